import functools
import json
import operator
import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.spec.canonical import canonical_decimal, canonical_json, document_digest, release_hash
from engine.spec.common import Kind
from engine.spec.loader import load_release
from engine.spec.located import parse_source
from engine.spec.parse_schema import kind_schema, schema_registry
from tests.engine.spec.support import MINIMAL, ODD, places, replaced


def document(text: str) -> object:
    (located,) = parse_source("doc.yaml", text).documents
    return located.data


def price(value: str) -> object:
    return document(
        "apiVersion: switchboard.io/v1\nkind: ProductOfferingPrice\nmetadata: {id: p, version: '1'}\n"
        f"spec: {{name: P, priceType: oneTime, price: {{unit: EUR, value: {value}}}}}\n"
    )


def test_canonical_json_sorts_keys_and_has_no_whitespace() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "café"], "c": {"z": "x", "y": 2}}) == (
        '{"a":[true,null,"café"],"b":1,"c":{"y":2,"z":"x"}}'
    )


@pytest.mark.parametrize("written", ['"12.5"', "12.50", "12.500", "'12.5'", "1.25e1"])
def test_equivalent_forms_of_a_money_value_hash_the_same(written: str) -> None:
    assert document_digest(price(written)) == document_digest(price("12.5"))
    assert '"value":"12.5"' in canonical_json(price(written))


def test_an_integral_money_value_is_written_without_decimals() -> None:
    assert '"value":"1000"' in canonical_json(price("1e3"))
    assert '"value":"1000"' in canonical_json(price('"1000.00"'))
    assert '"value":"1000"' in canonical_json(price("1000"))


def test_a_different_amount_hashes_differently() -> None:
    assert document_digest(price("12.5")) != document_digest(price("12.51"))


def test_decimals_are_normalised_everywhere_the_schema_declares_them() -> None:
    text = """\
apiVersion: switchboard.io/v1
kind: ProductOffering
metadata: {id: o, version: "1"}
spec:
  name: O
  examples:
    - name: e
      request: {context: {channel: web, date: 2026-01-01}}
      expect: {qualification: qualified, oneTimeTotal: 49.00, recurringTotal: {month: "39.990"}}
"""
    canonical = canonical_json(document(text))
    assert '"oneTimeTotal":"49"' in canonical
    assert '"recurringTotal":{"month":"39.99"}' in canonical


def test_values_that_are_not_decimal_fields_keep_their_type() -> None:
    spec = "apiVersion: switchboard.io/v1\nkind: ProductSpecification\nmetadata: {id: s, version: '1'}\n"
    spec += "spec:\n  name: S\n  productSpecCharacteristic:\n    - name: c\n      valueType: decimal\n"
    as_number = document(spec + "      productSpecCharacteristicValue: [{value: 2.50}]\n")
    as_text = document(spec + "      productSpecCharacteristicValue: [{value: '2.5'}]\n")
    assert '"value":2.5}' in canonical_json(as_number)
    assert '"value":"2.5"}' in canonical_json(as_text)
    assert document_digest(as_number) != document_digest(as_text)


def test_a_decimal_outside_decimal_fields_stays_a_json_number_that_reads_back_as_a_decimal() -> None:
    assert canonical_json({"kind": "Nope", "x": Decimal("2.00"), "y": Decimal("1E+2")}) == (
        '{"kind":"Nope","x":2.0,"y":100.0}'
    )
    assert document('{"x": 2.0}') == {"x": Decimal("2.0")}


def test_floats_have_no_canonical_form() -> None:
    with pytest.raises(TypeError):
        canonical_json({"value": 12.99})


@pytest.mark.parametrize(
    ("number", "text"),
    [("12.50", "12.5"), ("100", "100"), ("1E+3", "1000"), ("0.000", "0"), ("-0", "0"), ("-0.10", "-0.1")],
)
def test_canonical_decimals_are_plain_and_normalised(number: str, text: str) -> None:
    assert canonical_decimal(Decimal(number)) == text


def test_the_release_hash_does_not_depend_on_the_order_of_entities() -> None:
    assert release_hash("m", ["a", "b", "c"]) == release_hash("m", ["c", "a", "b"])
    assert release_hash("m", ["a", "b"]) != release_hash("n", ["a", "b"])


def content_hash(folder: Path) -> str:
    result = load_release(folder)
    assert result.release is not None, str(result.report)
    return result.release.contentHash


def test_formatting_comments_quoting_and_file_names_do_not_change_the_hash(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(MINIMAL, copy)
    prices = copy / "prices" / "fibre-prices.yaml"
    reformatted = prices.read_text().replace(
        "  price: {unit: EUR, value: 39.99}\n",
        "  # a comment\n  price:\n    value: '39.990'   # quoted, trailing zero\n    unit: EUR\n",
    )
    assert reformatted != prices.read_text()
    prices.unlink()
    (copy / "renamed").mkdir()
    (copy / "renamed" / "all-the-prices.yml").write_text(reformatted)
    assert content_hash(copy) == content_hash(MINIMAL)


def test_a_changed_amount_changes_the_hash(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(MINIMAL, copy)
    prices = copy / "prices" / "fibre-prices.yaml"
    prices.write_text(prices.read_text().replace("value: 39.99}", "value: 39.98}"))
    assert content_hash(copy) != content_hash(MINIMAL)


def test_import_export_import_gives_the_same_hash_and_the_same_entities(tmp_path: Path) -> None:
    exported = tmp_path / "exported"
    exported.mkdir()
    count = 0
    for path in sorted(MINIMAL.rglob("*.*")):
        for located in parse_source(str(path), path.read_text()).documents:
            count += 1
            (exported / f"{count:03}.json").write_text(canonical_json(located.data))
    original, reloaded = load_release(MINIMAL).release, load_release(exported).release
    assert original is not None and reloaded is not None
    assert reloaded.contentHash == original.contentHash
    assert reloaded.entities == original.entities
    assert reloaded.manifest == original.manifest


def walked_decimal_places(document: dict[str, Any]) -> set[tuple[str | int, ...]]:
    """Where decimals are, by the definition: a walk of the document with its kind's schema, following every
    `$ref` and branch, collecting the places a `"format": "decimal"` schema applies to."""
    schema = kind_schema(Kind(document["kind"]))
    found: set[tuple[str | int, ...]] = set()

    def walk(instance: Any, schema: Any, resolver: Any, at: tuple[str | int, ...]) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            resolved = resolver.lookup(schema["$ref"])
            walk(instance, resolved.contents, resolved.resolver, at)
        if schema.get("format") == "decimal":
            found.add(at)
        branches = [*schema.get("allOf", ()), *schema.get("anyOf", ()), *schema.get("oneOf", ())]
        for branch in branches + [schema[key] for key in ("then", "else") if key in schema]:
            walk(instance, branch, resolver, at)
        if isinstance(instance, dict):
            for key, value in instance.items():
                sub = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
                walk(value, sub, resolver, (*at, key))
        elif isinstance(instance, list) and "items" in schema:
            for i, item in enumerate(instance):
                walk(item, schema["items"], resolver, (*at, i))

    walk(document, schema, schema_registry().resolver(base_uri=schema["$id"]), ())
    return found


def test_decimal_fields_are_exactly_where_a_walk_of_the_schema_finds_them() -> None:
    """Each document of the minimal release and variants of it holding odd values, with every leaf made 1.50:
    the canonical JSON has the decimal string "1.5" at the places the walk finds, a number elsewhere."""
    pick = random.Random(11)
    for path in sorted(MINIMAL.rglob("*.*")):
        for located in parse_source(str(path), path.read_text()).documents:
            data = located.data
            variants = [
                data,
                *(
                    replaced(data, at, v)
                    for at in places(data)
                    if at not in [(), ("kind",)]
                    for v in pick.sample(ODD, 2)
                ),
            ]
            for variant in variants:
                leaves = {at for at in places(variant) if not isinstance(value_at(variant, at), dict | list)}
                leaves.discard(("kind",))
                probe = functools.reduce(lambda d, at: replaced(d, at, Decimal("1.50")), leaves, variant)
                written = json.loads(canonical_json(probe), parse_float=Decimal)
                as_decimal = {at for at in leaves if value_at(written, at) == "1.5"}
                assert as_decimal == leaves & walked_decimal_places(probe), (path, variant)


def value_at(document: Any, at: tuple[str | int, ...]) -> Any:
    return functools.reduce(operator.getitem, at, document)
