"""The designer's forms as spec documents, and back; validation errors put on their form fields."""

from __future__ import annotations

from pathlib import Path

from designer import documents as d
from designer import loading, review
from runtime.cli_designer import product_manager_key, reflex_environment

FACT_TYPES = {
    "customer.segment": "string",
    "address.fibreAvailable": "boolean",
    "account.tenureMonths": "integer",
}


def _form() -> d.OfferingForm:
    return d.OfferingForm(
        id="iot-x",
        name="IoT X",
        lifecycle_status="inDesign",
        channels=["partner", "web"],
        segments=["business"],
        categories="iot, add-ons",
        prices=[
            d.PriceRow(
                id="iot-x-data",
                name="Data",
                price_type="usage",
                unit_of_measure="MB",
                tiers=[d.TierRow("0", "100", "0.05"), d.TierRow("100", "", "0.0200")],
            ),
            d.PriceRow(id="iot-x-promo", name="Promo", price_type="discount", percentage="20", duration="3"),
        ],
        rules=[
            d.RuleRow(
                "business",
                "NOT_A_BUSINESS",
                "Businesses only",
                "any",
                [
                    d.PredicateRow("customer.segment", "in", "business, enterprise"),
                    d.PredicateRow("account.tenureMonths", "greaterThanOrEqual", "12"),
                ],
            )
        ],
        characteristics=[d.CharacteristicRow("simType", "string", "esim, mff2", True)],
    )


def test_a_form_makes_the_offering_its_prices_policy_and_specification() -> None:
    documents = d.documents(_form(), "EUR", FACT_TYPES)
    offering = documents["ProductOffering/iot-x"]["spec"]
    assert offering["channel"] == ["web", "partner"]  # in the catalog's order
    assert offering["category"] == ["iot", "add-ons"]
    assert offering["productOfferingPrice"] == ["iot-x-data", "iot-x-promo"]
    assert offering["eligibilityPolicy"] == "iot-x-eligibility"
    assert offering["productSpecification"] == "iot-x-spec"
    assert "validFor" not in offering
    data = documents["ProductOfferingPrice/iot-x-data"]["spec"]
    assert data["tiers"] == [
        {"fromQuantity": 0, "toQuantity": 100, "price": {"unit": "EUR", "value": "0.05"}},
        {"fromQuantity": 100, "price": {"unit": "EUR", "value": "0.0200"}},  # exact text, never a float
    ]
    assert "price" not in data
    promo = documents["ProductOfferingPrice/iot-x-promo"]["spec"]
    assert (promo["percentage"], promo["applicationDuration"], "price" in promo) == (20, 3, False)
    rule = documents["EligibilityPolicy/iot-x-eligibility"]["spec"]["rules"][0]
    assert rule["condition"] == {
        "any": [
            {"fact": "customer.segment", "operator": "in", "value": ["business", "enterprise"]},
            {"fact": "account.tenureMonths", "operator": "greaterThanOrEqual", "value": 12},
        ]
    }
    characteristic = documents["ProductSpecification/iot-x-spec"]["spec"]["productSpecCharacteristic"][0]
    assert characteristic["productSpecCharacteristicValue"] == [{"value": "esim"}, {"value": "mff2"}]


def test_a_boolean_fact_gets_a_json_boolean() -> None:
    assert d.typed_value("True", "boolean", "equal") is True
    assert d.typed_value("12a", "integer", "equal") == "12a"  # left as typed: the validator reports it


def test_documents_read_back_into_the_same_form() -> None:
    form = _form()
    documents = d.documents(form, "EUR", FACT_TYPES)
    again = loading.offering_form(documents["ProductOffering/iot-x"])
    again.prices = [loading.price_row(documents[f"ProductOfferingPrice/{p.id}"]) for p in form.prices]
    again.rules, unsupported = loading.rule_rows(documents["EligibilityPolicy/iot-x-eligibility"])
    again.characteristics = loading.characteristic_rows(documents["ProductSpecification/iot-x-spec"])
    assert unsupported == []
    assert d.documents(again, "EUR", FACT_TYPES) == documents


def test_fields_the_form_does_not_show_are_written_back_unchanged() -> None:
    published = {
        "apiVersion": d.API_VERSION,
        "kind": "ProductOffering",
        "metadata": {"id": "fibre-x", "version": "3"},
        "spec": {"name": "Fibre X", "exclusivityGroup": "access", "examples": [{"name": "one"}]},
    }
    rendered = d.offering_document(loading.offering_form(published))
    assert rendered["spec"]["exclusivityGroup"] == "access"
    assert rendered["spec"]["examples"] == [{"name": "one"}]
    assert "version" not in rendered["metadata"]  # the API numbers the new draft version


def test_a_nested_condition_is_kept_out_of_the_builder_and_written_back() -> None:
    nested = {"all": [{"any": [{"fact": "customer.segment", "operator": "equal", "value": "business"}]}]}
    policy = {"spec": {"rules": [{"id": "deep", "reasonCode": "X", "message": "m", "condition": nested}]}}
    rows, unsupported = loading.rule_rows(policy)
    assert (rows, unsupported) == ([], ["deep"])


def test_validation_errors_land_on_the_fields_they_concern() -> None:
    form = _form()
    missing = {
        "file": "draft:ProductOfferingPrice/iot-x-data",
        "path": "$.spec",
        "message": "missing required field 'unitOfMeasure' (a usage price)",
    }
    tier = {
        "file": "draft:ProductOfferingPrice/iot-x-data",
        "path": "$.spec.tiers[1].price.value",
        "message": "x",
    }
    rule = {
        "file": "draft:EligibilityPolicy/iot-x-eligibility",
        "path": "$.spec.rules[0].condition.any[1].value",
        "message": "x",
    }
    name = {"file": "draft:ProductOffering/iot-x", "path": "$.spec.name", "message": "x"}
    elsewhere = {"file": "release:2026.2/ProductOffering/fibre-500@1", "path": "$.spec.name", "message": "x"}
    assert d.field_id(form, missing) == "price-0-unit"
    assert d.field_id(form, tier) == "price-0-tier-1-price"
    assert d.field_id(form, rule) == "rule-0-predicate-1-value"
    assert d.field_id(form, name) == "offering-name"
    assert d.field_id(form, elsewhere) == ""


def test_preview_totals_read_as_lines() -> None:
    totals = {
        "usage": {
            "dutyFreeAmount": {"unit": "EUR", "value": "6.00"},
            "taxIncludedAmount": {"unit": "EUR", "value": "7.26"},
        }
    }
    assert review.total_lines(totals) == ["usage: 6.00 EUR (7.26 EUR with tax)"]


def test_the_designer_takes_the_product_manager_key_from_the_keys_file(tmp_path: Path) -> None:
    (tmp_path / "api-keys.env").write_text(
        "# keys\nexport SB_CHANNEL_KEY=sb_channel\nexport SB_PRODUCT_MANAGER_KEY=sb_pm_secret\n",
        encoding="utf-8",
    )
    assert product_manager_key({}, tmp_path) == ("sb_pm_secret", str(tmp_path / "api-keys.env"))
    assert product_manager_key({"SWITCHBOARD_DESIGNER_KEY": "own"}, tmp_path)[0] == "own"
    assert product_manager_key({}, tmp_path / "nowhere") == ("", "")


def test_reflex_runs_offline_on_loopback() -> None:
    env = reflex_environment({"NPM_CONFIG_REGISTRY": "https://registry.example/"}, "http://127.0.0.1:9", "k")
    assert env["REFLEX_TELEMETRY_ENABLED"] == "false"
    assert env["REFLEX_CHECK_LATEST_VERSION"] == "false"
    assert env["NPM_CONFIG_REGISTRY"] == "https://registry.example/"
    assert env["SWITCHBOARD_DESIGNER_API_URL"] == "http://127.0.0.1:9"
    assert env["REFLEX_BUN_PATH"].endswith("bun.exe")
