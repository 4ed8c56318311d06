"""GET /api/v1/drafts/{kind}/{id}/diff: a draft against the published version in effect, field by field,
breaking changes marked by the engine's rules."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from runtime.auth.roles import Role
from tests.runtime.catalog.test_designer_support import (
    DRAFTS,
    designer,
    envelope,
    pm,
    published,
    put_draft,
)
from tests.runtime.catalog.test_tmf620_support import assert_tmf_error
from tests.runtime.support import Api

__all__ = ["designer"]


async def _diff(api: Api, kind: str, entity_id: str) -> dict[str, Any]:
    response = await api.client.get(f"{DRAFTS}/{kind}/{entity_id}/diff", headers=pm(api))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_path(diff: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {change["path"]: change for change in diff["changes"]}


async def test_a_raised_price_is_a_breaking_change_at_its_amount(designer: Api) -> None:
    price = await published(designer, "2026.2", "ProductOfferingPrice", "fibre-500-monthly", "2")
    draft = copy.deepcopy(price)
    draft["metadata"]["version"] = "3"
    draft["spec"]["price"]["value"] = "45.99"
    draft["spec"]["name"] = "Fibre 500 per month"
    await put_draft(designer, draft)

    diff = await _diff(designer, "ProductOfferingPrice", "fibre-500-monthly")

    assert diff["against"] == {"release": "2026.2", "version": "2"}
    assert diff["breakingChecked"] is True
    changes = _by_path(diff)
    amount = changes["$.spec.price.value"]
    assert (amount["change"], Decimal(amount["before"]), Decimal(amount["after"])) == (
        "changed",
        Decimal("42.99"),
        Decimal("45.99"),
    )
    assert amount["breaking"] is True
    assert "price raised" in amount["reason"] and "fibre-500" in amount["reason"]
    assert changes["$.metadata.version"]["breaking"] is False
    assert changes["$.spec.name"]["breaking"] is False
    assert changes["$.spec.name"]["before"] == "Fibre 500 monthly"
    assert diff["breakingCount"] == 1


async def test_a_lowered_price_is_a_change_that_breaks_nothing(designer: Api) -> None:
    price = await published(designer, "2026.2", "ProductOfferingPrice", "fibre-500-monthly", "2")
    draft = copy.deepcopy(price)
    draft["metadata"]["version"] = "3"
    draft["spec"]["price"]["value"] = "39.99"
    await put_draft(designer, draft)

    diff = await _diff(designer, "ProductOfferingPrice", "fibre-500-monthly")

    assert _by_path(diff)["$.spec.price.value"]["breaking"] is False
    assert diff["breakingCount"] == 0 and diff["breakingChecked"] is True


async def test_narrowed_channels_and_an_added_rule_are_flagged_where_they_are(designer: Api) -> None:
    offering = await published(designer, "2026.2", "ProductOffering", "fibre-500", "2")
    draft = copy.deepcopy(offering)
    draft["metadata"]["version"] = "3"
    draft["spec"]["channel"] = ["web", "app"]
    draft["spec"]["description"] = "500/500 Mbps fibre"
    await put_draft(designer, draft)
    policy = await published(designer, "2026.2", "EligibilityPolicy", "fibre-500-serviceability", "1")
    stricter = copy.deepcopy(policy)
    stricter["metadata"]["version"] = "2"
    stricter["spec"]["rules"].append(
        {
            "id": "adults-only",
            "reasonCode": "TOO_YOUNG",
            "message": "Customers must be 18 or older",
            "condition": {"fact": "customer.ageYears", "operator": "greaterThanOrEqual", "value": 18},
        }
    )
    await put_draft(designer, stricter)

    offering_diff = _by_path(await _diff(designer, "ProductOffering", "fibre-500"))
    policy_diff = await _diff(designer, "EligibilityPolicy", "fibre-500-serviceability")

    channel = offering_diff["$.spec.channel"]
    assert channel["before"] == ["web", "app", "retail", "callcentre", "partner"]
    assert channel["after"] == ["web", "app"] and channel["breaking"] is True
    assert "eligibility narrowed" in channel["reason"]
    assert offering_diff["$.spec.description"]["breaking"] is False
    [added] = [c for c in policy_diff["changes"] if c["change"] == "added"]
    assert added["path"] == "$.spec.rules[5]" and added["after"]["id"] == "adults-only"
    assert added["breaking"] is True and "rule adults-only added" in added["reason"]


async def test_a_new_entity_is_all_added_against_nothing(designer: Api) -> None:
    spec = {
        "name": "Audio Newsstand monthly",
        "priceType": "recurring",
        "price": {"unit": "EUR", "value": "4.99"},
    }
    document = envelope("ProductOfferingPrice", "audio-newsstand-monthly", spec)
    await put_draft(designer, document)

    diff = await _diff(designer, "ProductOfferingPrice", "audio-newsstand-monthly")

    assert diff["against"] is None
    [change] = diff["changes"]
    assert (change["path"], change["change"], change["before"]) == ("$", "added", None)
    assert change["after"]["spec"]["name"] == "Audio Newsstand monthly"


async def test_an_incomplete_draft_still_lists_its_changes_unchecked(designer: Api) -> None:
    offering = await published(designer, "2026.2", "ProductOffering", "fibre-500", "2")
    draft = copy.deepcopy(offering)
    draft["metadata"]["version"] = "3"
    del draft["spec"]["name"]  # the schema needs a name: the draft does not load
    await put_draft(designer, draft)

    diff = await _diff(designer, "ProductOffering", "fibre-500")

    assert diff["breakingChecked"] is False
    assert _by_path(diff)["$.spec.name"] == {
        "path": "$.spec.name",
        "change": "removed",
        "before": "Fibre 500",
        "after": None,
        "breaking": False,
        "reason": None,
    }


async def test_diff_needs_a_draft_a_known_kind_and_a_product_manager(designer: Api) -> None:
    assert_tmf_error(
        await designer.client.get(f"{DRAFTS}/ProductOffering/fibre-500/diff", headers=pm(designer)), 404
    )
    assert_tmf_error(
        await designer.client.get(f"{DRAFTS}/Nonsense/fibre-500/diff", headers=pm(designer)), 404
    )
    url = f"{DRAFTS}/ProductOffering/fibre-500/diff"
    assert_tmf_error(await designer.client.get(url, headers=designer.auth(Role.channel)), 403)
    assert_tmf_error(await designer.client.get(url), 401)
