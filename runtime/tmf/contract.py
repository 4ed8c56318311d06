"""Validate a JSON body against a definition of an official TMF v4 swagger file (shared/tmf/).

The swagger files are Swagger 2.0: their `definitions` are JSON Schema draft 4 with `#/definitions/...`
references, so the whole file serves as the root schema and each check refers into it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

SWAGGER_DIR = Path(__file__).resolve().parent / "swagger"

FILES = {
    "TMF620": "TMF620-ProductCatalog-v4.1.0.swagger.json",
    "TMF622": "TMF622-ProductOrdering-v4.0.0.swagger.json",
    "TMF629": "TMF629-Customer-v4.0.0.swagger.json",
    "TMF632": "TMF632-Party-v4.0.0.swagger.json",
    "TMF635": "TMF635-Usage-v4.0.0.swagger.json",
    "TMF637": "TMF637-ProductInventory-v4.0.0.swagger.json",
    "TMF641": "TMF641-ServiceOrdering-v4.1.0.swagger.json",
    "TMF666": "TMF666-Account-v4.1.0.swagger.json",
    "TMF678": "TMF678-Customer_Bill-v4.0.0.swagger.json",
    "TMF679": "TMF679-ProductOfferingQualification-v4.0.0.swagger.json",
    "TMF688": "TMF688-Event-v4.0.0.swagger.json",
}


@cache
def swagger(api: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SWAGGER_DIR / FILES[api]).read_text(encoding="utf-8"))
    return document


@cache
def _validator(api: str, definition: str) -> Draft4Validator:
    root = swagger(api)
    if definition not in root["definitions"]:
        raise KeyError(f"{api} has no definition {definition!r}")
    schema = {"definitions": root["definitions"], "$ref": f"#/definitions/{definition}"}
    return Draft4Validator(schema)


def violations(api: str, definition: str, body: Any) -> list[str]:
    """Every way `body` breaks the TMF definition; empty when it conforms."""
    errors = sorted(_validator(api, definition).iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def assert_conforms(api: str, definition: str, body: Any) -> None:
    problems = violations(api, definition, body)
    if problems:
        raise AssertionError(f"{api} {definition} violated:\n  " + "\n  ".join(problems))
