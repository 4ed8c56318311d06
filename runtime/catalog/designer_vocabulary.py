"""The vocabulary the designer builds eligibility rules from, exported from the engine (never a copy).

- facts: `engine.facts.vocabulary()` (name, value type, allowed values, the operators the type admits);
- operators: `engine.spec.operators.operator_table()`, the table the policy parser reads operators through;
- ruleTemplate: the fields a rule needs and the combinators of a condition tree, read from the spec
  language's JSON Schema, and an example rule built from the first fact and operator above.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from engine.facts import FACTS, ValueType, vocabulary
from engine.spec.common import Kind
from engine.spec.operators import OPERATORS, operator_table
from engine.spec.parse_schema import kind_schema, schema_file

# An example value per type, for the template's predicate.
_SAMPLE_VALUE: dict[ValueType, Any] = {
    ValueType.string: "",
    ValueType.integer: 0,
    ValueType.decimal: "0",
    ValueType.boolean: True,
    ValueType.date: "2026-01-01",
    ValueType.stringList: "",
}


@cache
def _common_definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = json.loads(schema_file("common").read_text(encoding="utf-8"))["$defs"]
    return definitions


def designer_vocabulary() -> dict[str, Any]:
    return {
        "facts": [_fact(entry) for entry in vocabulary()],
        "valueTypes": [t.value for t in ValueType],
        "operators": operator_table(),
        "ruleTemplate": rule_template(),
    }


def _fact(entry: dict[str, Any]) -> dict[str, Any]:
    fact = {
        "name": entry["name"],
        "type": entry["valueType"],
        "description": entry["description"],
        "operators": entry["operators"],
    }
    if entry["allowedValues"]:
        fact["allowedValues"] = entry["allowedValues"]
    return fact


def rule_template() -> dict[str, Any]:
    """The fields of a rule and the combinators of its condition tree, from the EligibilityPolicy schema."""
    rule = kind_schema(Kind.EligibilityPolicy)["$defs"]["Rule"]
    common = _common_definitions()
    fields = [
        {"name": name, "title": rule["properties"][name].get("title", name), "required": True}
        | _description(rule["properties"][name])
        for name in rule["required"]
    ]
    combinators = [
        {"id": key, "label": common[definition]["title"], "arity": arity}
        for key, definition, arity in (
            ("all", "AllCondition", "list"),
            ("any", "AnyCondition", "list"),
            ("not", "NotCondition", "single"),
        )
    ]
    return {"fields": fields, "combinators": combinators, "example": _example_rule()}


def _description(schema: Mapping[str, Any]) -> dict[str, str]:
    return {"description": schema["description"]} if "description" in schema else {}


def _example_rule() -> dict[str, Any]:
    fact = next(iter(FACTS.values()))
    operator = OPERATORS[fact.operators[0].value]
    value = fact.allowedValues[0] if fact.allowedValues else _SAMPLE_VALUE[fact.valueType]
    return {
        "id": "new-rule",
        "reasonCode": "NEW_RULE_NOT_MET",
        "message": "Explain, for the customer, why the offer is not available",
        "condition": {
            "all": [
                {
                    "fact": fact.name,
                    "operator": operator.operator.value,
                    "value": [value] if operator.arity == "list" else value,
                }
            ]
        },
    }
