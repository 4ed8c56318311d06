"""GET /api/v1/designer/vocabulary: the engine's facts and operators, and a rule template that validates."""

from __future__ import annotations

import json

import pytest

from engine.facts import FACTS
from engine.spec.conditions import Operator
from engine.spec.operators import UnknownOperatorError
from engine.spec.parse_policy import parse_condition
from engine.spec.parse_schema import schema_file
from runtime.auth.roles import Role
from tests.runtime.catalog.test_designer_support import DRAFTS, designer, envelope, pm, put_draft
from tests.runtime.catalog.test_tmf620_support import assert_tmf_error
from tests.runtime.support import Api

__all__ = ["designer"]
VOCABULARY = "/api/v1/designer/vocabulary"


async def test_the_vocabulary_is_the_engines_fact_model_and_operator_table(api: Api) -> None:
    response = await api.client.get(VOCABULARY, headers=pm(api))

    assert response.status_code == 200, response.text
    body = response.json()
    facts = {fact["name"]: fact for fact in body["facts"]}
    assert set(facts) == set(FACTS)
    assert facts["customer.creditClass"]["allowedValues"] == ["A", "B", "C", "D"]
    assert facts["account.outstandingBalance"]["type"] == "decimal"
    assert "allowedValues" not in facts["address.region"]
    operators = {op["id"]: op for op in body["operators"]}
    schema_enum = json.loads(schema_file("common").read_text())["$defs"]["Predicate"]["properties"][
        "operator"
    ]
    assert list(operators) == [op.value for op in Operator] == schema_enum["enum"]
    assert operators["in"]["arity"] == "list" and operators["equal"]["arity"] == "single"
    assert operators["contains"]["valueTypes"] == ["stringList"]
    for fact in body["facts"]:  # every operator a fact offers applies to its type
        assert all(fact["type"] in operators[op]["valueTypes"] for op in fact["operators"]), fact
    assert {c["id"] for c in body["ruleTemplate"]["combinators"]} == {"all", "any", "not"}
    assert [f["name"] for f in body["ruleTemplate"]["fields"]] == ["id", "reasonCode", "message", "condition"]


async def test_the_template_rule_is_one_the_validator_accepts(designer: Api) -> None:
    template = (await designer.client.get(VOCABULARY, headers=pm(designer))).json()["ruleTemplate"]
    policy = envelope(
        "EligibilityPolicy", "designer-template", {"name": "Template", "rules": [template["example"]]}
    )
    await put_draft(designer, policy)

    report = (await designer.client.post(f"{DRAFTS}/validate", headers=pm(designer))).json()

    assert [e for e in report["errors"] if "designer-template" in e["file"]] == []


def test_the_policy_parser_reads_operators_through_the_table() -> None:
    parsed = parse_condition({"fact": "customer.segment", "operator": "in", "value": ["business"]}, "$")
    assert parsed.operator is Operator.isIn  # type: ignore[union-attr]
    with pytest.raises(UnknownOperatorError):
        parse_condition({"fact": "customer.segment", "operator": "like", "value": "b%"}, "$")


async def test_the_vocabulary_is_for_product_managers(api: Api) -> None:
    assert (await api.client.get(VOCABULARY, headers=api.auth(Role.admin))).status_code == 200
    assert_tmf_error(await api.client.get(VOCABULARY, headers=api.auth(Role.channel)), 403)
    assert_tmf_error(await api.client.get(VOCABULARY), 401)
