"""A product manager in a real browser: from a blank form to a published, orderable offering, and back.

The tests run in order on one stack: the first publishes `iot-sensor-plus`, the next ones edit it.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from runtime.supervisor import switchboard_command
from tests.designer.conftest import TIMINGS, Designer, shoot
from tests.system.stack import ORDERS

pytestmark = pytest.mark.browser

OFFERING = "iot-sensor-plus"


def _api(designer: Designer, role: str) -> httpx.Client:
    return designer.stack.client(role)


def _fill_new_offering(page: Page) -> None:
    page.get_by_label("Offering id").fill(OFFERING)
    page.get_by_label("Name", exact=True).fill("IoT Sensor Plus")
    page.get_by_label("Description").fill("Sensor connectivity billed per MB, cheaper past 100 MB")
    page.get_by_role("checkbox", name="partner").click()
    page.get_by_role("checkbox", name="callcentre").click()
    page.get_by_role("checkbox", name="business").click()
    page.get_by_role("checkbox", name="enterprise").click()
    page.get_by_label("Categories (comma-separated ids)").fill("iot")
    page.get_by_label("Product specification id (empty: one of its own)").fill("iot-connectivity")
    page.get_by_label("Order flow id").fill("iot-fleet")
    # A tiered usage price: 0.05 EUR a MB up to 100 MB, 0.02 EUR beyond.
    page.get_by_role("button", name="Add price").click()
    page.locator("#price-0-name").fill("Sensor data")
    page.locator("#price-0-type").select_option("usage")
    page.get_by_role("button", name="Add tier").click()
    page.locator("#price-0-tier-0-to").fill("100")
    page.locator("#price-0-tier-0-price").fill("0.05")
    page.get_by_role("button", name="Add tier").click()
    page.locator("#price-0-tier-1-from").fill("100")
    page.locator("#price-0-tier-1-price").fill("0.02")
    # An eligibility rule built from the vocabulary: business and enterprise customers only.
    page.get_by_role("button", name="Add rule").click()
    page.locator("#rule-0-reason").fill("NOT_A_BUSINESS")
    page.locator("#rule-0-message").fill("IoT Sensor Plus is sold to businesses only")
    page.locator("#rule-0-predicate-0-fact").select_option("customer.segment")
    page.locator("#rule-0-predicate-0-operator").select_option("in")
    page.locator("#rule-0-predicate-0-value").fill("business, enterprise")


def _saved_draft(designer: Designer, entity: str, holds: Callable[[dict[str, Any]], bool]) -> httpx.Response:
    """The draft once the page's last save has reached the API (a blur may save just before a click does)."""
    deadline = time.monotonic() + 15
    with _api(designer, "PRODUCT_MANAGER") as manager:
        while True:
            answer = manager.get(f"/api/v1/drafts/{entity}")
            if answer.status_code == 200 and holds(answer.json()["document"]["spec"]):
                return answer
            assert time.monotonic() < deadline, answer.text
            time.sleep(0.2)


def _blank_form(page: Page, designer: Designer) -> None:
    page.goto(designer.url + "/new")
    expect(page.locator("#status")).to_contain_text("A new offering")  # loaded: typing now reaches the app


def _move(page: Page, status: str) -> None:
    page.get_by_label("Move the offering to").select_option(status)
    page.get_by_role("button", name="Move lifecycle").click()
    expect(page.locator("#review-message")).to_have_text(f"Lifecycle status is now {status}.")


def _order_body() -> dict[str, Any]:
    return {
        "channel": [{"id": "partner", "role": "salesChannel"}],
        "relatedParty": [{"id": "CUST-3001", "role": "Customer", "@referredType": "Customer"}],
        "productOrderItem": [
            {"id": "1", "action": "add", "quantity": 1, "productOffering": {"id": OFFERING}}
        ],
    }


def _quote_body() -> dict[str, Any]:
    return {
        "customerId": "CUST-3001",
        "context": {"channel": "partner"},
        "cart": [{"id": "1", "productOffering": OFFERING, "usage": {"MB": 150}}],
    }


def test_a_product_manager_builds_checks_previews_and_publishes_an_offering_that_a_channel_orders(
    designer: Designer, browser: Browser
) -> None:
    page = designer.page(browser)
    _blank_form(page, designer)
    started = time.monotonic()

    # 1. A new offering from scratch, with a tiered usage price and an eligibility rule.
    _fill_new_offering(page)
    page.get_by_role("button", name="Save and validate").click()

    # 2. The engine's validator reports the usage price's missing unit of measure at that field; fix it.
    expect(page.locator("#price-0-unit-error")).to_contain_text("unitOfMeasure")
    expect(page.locator("#status")).to_contain_text("1 validation error")
    shoot(page, "01-validation-error")
    page.locator("#price-0-unit").fill("MB")
    page.locator("#price-0-unit").blur()  # live validation runs as the field is left
    expect(page.locator("#status")).to_have_text("Saved. Valid: ready to preview and publish.")
    expect(page.locator("#price-0-unit-error")).to_have_count(0)

    # Lifecycle through the table: inDesign → inTest → active.
    _move(page, "inTest")
    _move(page, "active")

    # 3. Try it: an enterprise customer, through a partner, using 150 MB.
    page.get_by_label("Customer id (CUST-1001, CUST-1002, CUST-2001, CUST-3001)").fill("CUST-3001")
    page.get_by_label("Channel", exact=True).select_option("partner")
    page.get_by_label("Usage unit (e.g. GB)").fill("MB")
    page.get_by_label("Usage volume").fill("150")
    page.get_by_role("button", name="Preview qualification and price").click()
    expect(page.locator("#try-result")).to_have_text("qualified")
    # Graduated tiers: 100 MB x 0.05 + 50 MB x 0.02 = 6.00 EUR, 7.26 EUR with 21 % VAT.
    expect(page.locator("#try-totals")).to_contain_text("usage: 6.00 EUR (7.26 EUR with tax)")
    page.locator("summary", has_text="Explanation trace").click()
    expect(page.locator("#try-trace li").first).to_be_visible()
    shoot(page, "02-preview")

    # A residential customer does not qualify, for the rule's reason.
    page.get_by_label("Customer id (CUST-1001, CUST-1002, CUST-2001, CUST-3001)").fill("CUST-1001")
    page.get_by_role("button", name="Preview qualification and price").click()
    expect(page.locator("#try-reasons")).to_contain_text("NOT_A_BUSINESS")
    expect(page.locator("#try-result")).to_have_text("unqualified")

    # 4. Publish, effective now.
    page.get_by_role("button", name="Prepare a release").click()
    expect(page.get_by_label("Release id")).not_to_have_value("")
    release_id = page.get_by_label("Release id").input_value()
    page.get_by_role("button", name="Publish the drafts").click()
    expect(page.locator("#review-message")).to_contain_text(f"Published in release {release_id}")
    published_after = time.monotonic() - started
    TIMINGS["blank form to published offer (scripted test), s"] = published_after
    print(f"blank form to published offer: {published_after:.1f} s")
    expect(page.locator("#history")).to_contain_text(f"in release {release_id}")
    shoot(page, "03-published")

    # 5. A channel orders it through TMF622: accepted against the new release, then carried by the workflow
    # (Temporal, the worker, the OSS simulator) to completion, with the product active in the inventory.
    with _api(designer, "CHANNEL") as channel:
        response = channel.post(ORDERS, json=_order_body())
        assert response.status_code == 201, response.text
        order = response.json()
        assert order["state"] == "acknowledged"
        assert order["catalogRelease"]["id"] == release_id
        assert order["productOrderItem"][0]["productOffering"]["id"] == OFFERING
        done = designer.stack.wait_state(order["id"], "completed", "failed", "held", timeout=90)
        assert done["state"] == "completed", done
        product_id = done["productOrderItem"][0]["product"]["id"]
        product = channel.get(f"/tmf-api/productInventory/v4/product/{product_id}")
        assert product.status_code == 200 and product.json()["status"] == "active", product.text
        # And the channel's own quote prices it as the preview did.
        quote = channel.post("/api/v1/quote", json=_quote_body())
        assert quote.status_code == 201, quote.text
        assert quote.json()["qualification"]["qualificationResult"] == "qualified"
        assert quote.json()["quote"]["totals"]["usage"] == {
            "dutyFreeAmount": {"unit": "EUR", "value": "6.00"},
            "taxIncludedAmount": {"unit": "EUR", "value": "7.26"},
        }


def test_the_catalog_lists_the_published_offering_and_the_release_in_effect(
    designer: Designer, browser: Browser
) -> None:
    page = designer.page(browser)
    page.goto(designer.url + "/")
    expect(page.locator("#releases")).to_contain_text("in effect")
    page.get_by_label("Search").fill("sensor")
    expect(page.locator("#offerings")).to_contain_text(OFFERING)
    page.get_by_label("Segment").select_option("residential")
    expect(page.locator("#offerings")).not_to_contain_text(OFFERING)
    expect(page.locator("#releases")).to_contain_text("in effect")
    shoot(page, "04-catalog")
    page.get_by_label("Segment").select_option("")
    page.get_by_label("Search").fill("")
    expect(page.locator("#offerings")).to_contain_text(OFFERING)
    page.get_by_label("Release (empty: the one in effect)").fill("2026.1")
    expect(page.locator("#offerings")).to_contain_text("fibre-500")
    expect(page.locator("#offerings")).not_to_contain_text(OFFERING)


def test_the_offering_shows_its_order_flow_and_version_history(designer: Designer, browser: Browser) -> None:
    page = designer.page(browser)
    page.goto(designer.url + f"/offering/{OFFERING}")
    expect(page.locator("#status")).to_contain_text("Opened the published version")
    page.get_by_role("button", name="Show order flow").click()

    def step(step_id: str) -> Locator:
        return page.locator("#order-flow").get_by_role("row", name=re.compile(f"^add {step_id} "))

    expect(step("create-subscribers")).to_contain_text("create-pool, allocate-sims")
    expect(step("create-pool")).to_contain_text("(starts at once)")
    expect(step("activate-connectivity")).to_contain_text("point of no return")
    page.get_by_role("button", name="Show version history").click()
    expect(page.locator("#history li")).to_have_count(1)
    expect(page.locator("#history")).to_contain_text("version 1 in release")


def test_every_input_is_labelled_and_the_form_is_reachable_by_keyboard(
    designer: Designer, browser: Browser
) -> None:
    page = designer.page(browser)
    page.goto(designer.url + f"/offering/{OFFERING}")
    expect(page.get_by_label("Name", exact=True)).to_have_value("IoT Sensor Plus")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button[role=checkbox]')]
            .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                         && !e.getAttribute('aria-labelledby') && !(e.closest('label')))
            .map(e => e.id || e.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []
    page.get_by_label("Offering id").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lifecycle status")).to_be_focused()
    page.get_by_label("Description").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox", name="web")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="web")).to_be_checked()


def test_a_manager_signs_in_with_their_own_key_and_a_channel_key_is_refused(
    designer: Designer, browser: Browser
) -> None:
    created = subprocess.run(
        switchboard_command("apikey", "create", "--role", "product_manager", "--name", "Eva de Boer"),
        env={**os.environ, "SWITCHBOARD_DATA_DIR": str(designer.stack.data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    own_key = created.stdout.strip().splitlines()[-1]
    page = designer.page(browser)
    page.goto(designer.url + "/signin")
    expect(page.locator("#sign-in-prompt")).to_contain_text("your own product manager API key")
    page.get_by_label("Product manager API key").fill(designer.stack.keys["CHANNEL"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot manage the catalog")
    page.get_by_label("Product manager API key").fill(own_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(designer.url + "/")
    assert own_key not in page.content()  # the key stays on the designer's server
    logged = designer.log.read_text(errors="replace")
    assert all(key not in logged for key in [own_key, *designer.stack.keys.values()])

    _blank_form(page, designer)
    page.get_by_label("Offering id").fill("eva-idea")
    page.get_by_label("Name", exact=True).fill("Eva's idea")
    page.get_by_role("button", name="Save and validate").click()
    expect(page.locator("#status")).to_contain_text("Saved.")
    draft = _saved_draft(designer, "ProductOffering/eva-idea", lambda spec: spec["name"] == "Eva's idea")
    with _api(designer, "PRODUCT_MANAGER") as manager:
        assert draft.json()["updatedBy"] == "Eva de Boer"  # saved with her key, not the designer's default
        removed = manager.delete(
            "/api/v1/drafts/ProductOffering/eva-idea", headers={"If-Match": draft.headers["etag"]}
        )
        assert removed.status_code == 204, removed.text


def test_a_bundle_with_cardinality_a_promotion_a_relationship_and_characteristics_is_drafted(
    designer: Designer, browser: Browser
) -> None:
    page = designer.page(browser)
    _blank_form(page, designer)
    page.get_by_label("Offering id").fill("iot-starter-kit")
    page.get_by_label("Name", exact=True).fill("IoT Starter Kit")
    page.get_by_role("checkbox", name="partner").click()
    page.get_by_role("checkbox", name="business").click()
    # Characteristics of a specification of its own.
    page.get_by_role("button", name="Add characteristic").click()
    page.locator("#char-0-name").fill("sensorCount")
    page.locator("#char-0-type").select_option("integer")
    page.locator("#char-0-values").fill("5, 10, 20")
    page.get_by_role("checkbox", name="Configurable").click()
    # A bundle of 1 to 10 IoT Sensor Plus, 2 by default.
    page.get_by_role("checkbox", name="This offering is a bundle").click()
    page.get_by_role("button", name="Add bundled offering").click()
    page.locator("#bundled-0-id").fill(OFFERING)
    page.locator("#bundled-0-upper").fill("10")
    page.locator("#bundled-0-default").fill("2")
    page.get_by_role("button", name="Add relationship").click()
    page.locator("#relationships-0-id").fill("iot-pooled-data")
    page.locator("#relationships-0-type").select_option("excludes")
    # A monthly fee and a 20 % promotion for 3 billing cycles.
    page.get_by_role("button", name="Add price").click()
    page.locator("#price-0-name").fill("Kit monthly")
    page.locator("#price-0-amount").fill("9.99")
    page.get_by_role("button", name="Add price").click()
    page.locator("#price-1-name").fill("Launch promotion")
    page.locator("#price-1-type").select_option("discount")
    page.locator("#price-1-percentage").fill("20")
    page.locator("#price-1-duration").fill("3")
    page.get_by_role("button", name="Save and validate").click()
    expect(page.locator("#status")).to_have_text("Saved. Valid: ready to preview and publish.")

    drafts = {
        "ProductOffering/iot-starter-kit": _saved_draft(
            designer, "ProductOffering/iot-starter-kit", lambda spec: "productOfferingRelationship" in spec
        ),
        "ProductSpecification/iot-starter-kit-spec": _saved_draft(
            designer, "ProductSpecification/iot-starter-kit-spec", lambda spec: True
        ),
        "ProductOfferingPrice/iot-starter-kit-price-1": _saved_draft(
            designer, "ProductOfferingPrice/iot-starter-kit-price-1", lambda spec: True
        ),
        "ProductOfferingPrice/iot-starter-kit-price-2": _saved_draft(
            designer,
            "ProductOfferingPrice/iot-starter-kit-price-2",
            lambda spec: "applicationDuration" in spec,
        ),
    }
    with _api(designer, "PRODUCT_MANAGER") as manager:
        offering = drafts["ProductOffering/iot-starter-kit"].json()["document"]["spec"]
        assert offering["bundledProductOffering"] == [
            {
                "id": OFFERING,
                "bundledProductOfferingOption": {
                    "numberRelOfferLowerLimit": 1,
                    "numberRelOfferUpperLimit": 10,
                    "numberRelOfferDefault": 2,
                },
            }
        ]
        assert offering["productOfferingRelationship"] == [
            {"id": "iot-pooled-data", "relationshipType": "excludes"}
        ]
        characteristic = drafts["ProductSpecification/iot-starter-kit-spec"].json()["document"]["spec"]
        assert characteristic["productSpecCharacteristic"][0]["configurable"] is True
        promotion = drafts["ProductOfferingPrice/iot-starter-kit-price-2"].json()["document"]["spec"]
        assert (str(promotion["percentage"]), promotion["applicationDuration"]) == (
            "20",
            3,
        )  # decimals as text
        monthly = drafts["ProductOfferingPrice/iot-starter-kit-price-1"].json()["document"]["spec"]
        assert monthly["price"] == {"unit": "EUR", "value": "9.99"}
        for entity, answer in drafts.items():
            removed = manager.delete(f"/api/v1/drafts/{entity}", headers={"If-Match": answer.headers["etag"]})
            assert removed.status_code == 204, removed.text


def test_a_narrowed_segment_is_flagged_as_breaking_in_the_diff(designer: Designer, browser: Browser) -> None:
    page = designer.page(browser)
    page.goto(designer.url + f"/offering/{OFFERING}")
    expect(page.get_by_label("Name", exact=True)).to_have_value("IoT Sensor Plus")
    expect(page.locator("#price-0-tier-1-price")).to_have_value("0.02")
    page.get_by_role("checkbox", name="enterprise").click()
    page.get_by_role("button", name="Show diff").click()
    breaking = page.locator("#diff .diff-breaking")
    expect(breaking.first).to_contain_text("marketSegment")
    expect(breaking.first).to_contain_text("BREAKING")
    page.get_by_role("button", name="Show impact").click()
    expect(page.locator("#impact")).to_contain_text("In-flight orders touched")
    shoot(page, "05-breaking-diff")


def test_a_stale_edit_is_refused_with_a_conflict_and_overwrites_nothing(
    designer: Designer, browser: Browser
) -> None:
    first, second = designer.page(browser), designer.page(browser)
    for page in (first, second):
        page.goto(designer.url + f"/offering/{OFFERING}")
        expect(page.locator("#status")).to_have_text("Opened the draft.")

    first.get_by_label("Description").fill("Edited by the first manager")
    first.get_by_role("button", name="Save and validate").click()
    expect(first.locator("#status")).to_contain_text("Saved.")

    second.get_by_label("Description").fill("Edited by the second manager")
    second.get_by_role("button", name="Save and validate").click()
    expect(second.get_by_role("alert")).to_contain_text("changed by someone else")
    expect(second.locator("#status")).to_have_text("Conflict: not saved.")
    shoot(second, "06-conflict")

    with _api(designer, "PRODUCT_MANAGER") as manager:
        draft = manager.get(f"/api/v1/drafts/ProductOffering/{OFFERING}").json()
    assert draft["document"]["spec"]["description"] == "Edited by the first manager"

    second.get_by_role("button", name="Reload the saved version").click()
    expect(second.get_by_label("Description")).to_have_value("Edited by the first manager")
