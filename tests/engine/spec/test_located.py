from decimal import Decimal

import pytest
import yaml

from engine.spec import located
from engine.spec.located import ParsedSource, child_path, core_schema_loader, parse_source


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with both PyYAML back ends: they must read every text alike.

    Where PyYAML has no libyaml, the "libyaml" run uses the loader's own fallback, so nothing is skipped.
    """
    if request.param == "pure-python":
        monkeypatch.setattr(located, "LOADER", core_schema_loader(yaml.SafeLoader))


def data_of(text: str) -> object:
    parsed = parse_source("doc.yaml", text)
    assert parsed.errors == ()
    (document,) = parsed.documents
    return document.data


def test_floats_become_exact_decimals_from_the_literal_text() -> None:
    data = data_of("price: 12.99\na: 0.1\nb: 0.2\n")
    assert data == {"price": Decimal("12.99"), "a": Decimal("0.1"), "b": Decimal("0.2")}
    assert isinstance(data, dict)
    assert data["a"] + data["b"] == Decimal("0.3")


def test_trailing_zeros_of_a_decimal_are_kept_as_written() -> None:
    data = data_of("value: 49.00\n")
    assert isinstance(data, dict)
    assert str(data["value"]) == "49.00"


def test_dates_and_timestamps_stay_the_strings_written() -> None:
    assert data_of("start: 2026-01-01\nat: 2026-01-01T10:00:00Z\n") == {
        "start": "2026-01-01",
        "at": "2026-01-01T10:00:00Z",
    }


def test_plain_scalars_follow_the_yaml_1_2_core_schema() -> None:
    text = "[NO, yes, off, true, False, ~, null, 010, 0x1F, 0o17, -3, 12:30, .inf, 1e3]"
    assert data_of(text) == [
        "NO",
        "yes",
        "off",
        True,
        False,
        None,
        None,
        10,
        31,
        15,
        -3,
        "12:30",
        ".inf",
        Decimal("1E+3"),
    ]


def test_quoted_scalars_are_strings() -> None:
    assert data_of("a: '12.99'\nb: \"true\"\nc: '1'\n") == {"a": "12.99", "b": "true", "c": "1"}


def test_every_path_has_its_line_and_column() -> None:
    text = "spec:\n  name: Fibre\n  productOfferingPrice:\n    - monthly\n    - {id: fee}\n"
    (document,) = parse_source("doc.yaml", text).documents
    assert document.positions["$.spec"] == (1, 1)
    assert document.positions["$.spec.name"] == (2, 3)
    assert document.positions["$.spec.productOfferingPrice"] == (3, 3)
    assert document.positions["$.spec.productOfferingPrice[0]"] == (4, 7)
    assert document.positions["$.spec.productOfferingPrice[1]"] == (5, 7)
    assert document.positions["$.spec.productOfferingPrice[1].id"] == (5, 8)


def test_a_missing_path_is_located_at_its_nearest_ancestor() -> None:
    (document,) = parse_source("doc.yaml", "spec:\n  price: {unit: EUR}\n").documents
    assert document.locate("$.spec.price.value") == (2, 3)
    assert document.locate("$.metadata.id") == (1, 1)


def test_several_documents_in_one_file_each_have_their_own_positions() -> None:
    parsed = parse_source("doc.yaml", "a: 1\n---\n---\nb: 2\nc: 3\n")
    assert [d.data for d in parsed.documents] == [{"a": 1}, {"b": 2, "c": 3}]
    assert [d.index for d in parsed.documents] == [0, 2]
    assert parsed.documents[1].positions["$.c"] == (5, 1)


def test_json_is_read_with_positions_too() -> None:
    parsed = parse_source("doc.json", '{"spec": {\n  "rate": 21.0,\n  "rates": [1, "x"]}}')
    (document,) = parsed.documents
    assert document.data == {"spec": {"rate": Decimal("21.0"), "rates": [1, "x"]}}
    assert document.positions["$.spec.rate"] == (2, 3)
    assert document.positions["$.spec.rates[1]"] == (3, 16)


def test_a_duplicate_key_is_an_error_at_the_second_occurrence() -> None:
    parsed = parse_source("doc.yaml", "spec:\n  name: A\n  price: 1\n  name: B\n")
    (error,) = parsed.errors
    assert (error.file, error.line, error.column, error.path) == ("doc.yaml", 4, 3, "$.spec.name")
    assert error.code == "DUPLICATE_KEY"
    assert "first at line 2" in error.message
    assert parsed.documents[0].problems == (error,)


def test_every_duplicate_key_is_reported() -> None:
    parsed = parse_source("doc.yaml", "a: 1\na: 2\nb: 1\nb: 2\n")
    assert [(e.line, e.path) for e in parsed.errors] == [(2, "$.a"), (4, "$.b")]


def test_a_syntax_error_is_a_located_error_not_an_exception() -> None:
    parsed = parse_source("doc.yaml", "spec:\n  name: A\n price: 1\n")
    (error,) = parsed.errors
    assert (error.line, error.column, error.layer, error.code) == (3, 2, "syntax", "YAML_SYNTAX")
    assert "while parsing a block mapping at line 1" in error.message


def test_documents_before_a_syntax_error_are_kept() -> None:
    parsed = parse_source("doc.yaml", "a: 1\n---\nb: [1, 2\n")
    assert [d.data for d in parsed.documents] == [{"a": 1}]
    assert [e.line for e in parsed.errors] == [4]


def test_aliases_are_refused_where_they_are_used() -> None:
    parsed = parse_source("doc.yaml", "a: &money {unit: EUR}\nb:\n  c: *money\nd: [1, *money]\n")
    assert [(e.line, e.column, e.path, e.code) for e in parsed.errors] == [
        (3, 3, "$.b.c", "UNSUPPORTED_YAML"),
        (4, 1, "$.d[1]", "UNSUPPORTED_YAML"),  # an alias in a list is located at the list
    ]
    assert "its anchor is at line 1" in parsed.errors[0].message


def test_a_self_referencing_alias_is_an_error_not_an_endless_loop() -> None:
    (error,) = parse_source("doc.yaml", "a: &loop [1, *loop]\n").errors
    assert (error.path, error.code) == ("$.a[1]", "UNSUPPORTED_YAML")


def test_unsupported_tags_are_errors() -> None:
    parsed = parse_source("doc.yaml", "a: !!binary aGVsbG8=\nb: !custom 1\nc: !!str 12\n")
    assert [(e.line, e.code) for e in parsed.errors] == [(1, "UNSUPPORTED_YAML"), (2, "UNSUPPORTED_YAML")]
    assert "!!binary" in parsed.errors[0].message
    assert parsed.documents[0].data["c"] == "12"


def test_an_explicit_tag_that_does_not_fit_its_text_is_an_error() -> None:
    (error,) = parse_source("doc.yaml", "a: !!int twelve\n").errors
    assert (error.line, error.path, error.code) == (1, "$.a", "YAML_SCALAR")


def test_a_non_scalar_key_is_an_error() -> None:
    (error,) = parse_source("doc.yaml", "? [a, b]\n: 1\n").errors
    assert error.code == "UNSUPPORTED_YAML"


@pytest.mark.parametrize("depth", [150, 3000])
def test_absurd_nesting_is_an_error_not_a_crash(depth: int) -> None:
    parsed = parse_source("doc.yaml", "[" * depth + "]" * depth)
    (error,) = parsed.errors
    assert error.code == "YAML_TOO_DEEP"


def test_empty_text_has_no_documents_and_no_errors() -> None:
    parsed = parse_source("doc.yaml", "# only a comment\n")
    assert parsed.documents == () and parsed.errors == ()


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("price", "$.spec.price"),
        (0, "$.spec[0]"),
        ("2026.1", "$.spec['2026.1']"),
        ("it's", "$.spec['it\\'s']"),
    ],
)
def test_child_paths_quote_keys_that_are_not_plain_names(key: str | int, path: str) -> None:
    assert child_path("$.spec", key) == path


def test_an_alias_bomb_costs_one_error_per_alias_not_an_exponential_expansion() -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    parsed = parse_source("doc.yaml", "\n".join(lines) + "\n")
    assert len(parsed.errors) == 90


def read_by_yaml_only(text: str, monkeypatch: pytest.MonkeyPatch) -> ParsedSource:
    with monkeypatch.context() as patched:
        patched.setattr(located, "_read_json", lambda file, text: None)
        return parse_source("doc.json", text)


def summary(parsed: ParsedSource) -> object:
    """Everything read, Decimal digits and bool-or-int included (repr tells them apart)."""
    documents = [(d.index, repr(d.data), dict(d.positions), d.problems) for d in parsed.documents]
    return documents, parsed.errors


@pytest.mark.parametrize(
    "text",
    [
        '{"kind":"X","spec":{"price":12.50,"n":-0,"big":1E+3,"xs":[1,"a",true,null,{}],"é":"ü😀 [:]"}}',
        '{\r\n  "a": {\r\n    "b": [1,\r\n 2.0]\r\n  }\r\n}\r\n',
        '{\n"a":\n1\n}',
        "  {}  ",
    ],
)
def test_a_json_object_read_by_json_has_the_values_and_positions_yaml_finds(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert located._read_json("doc.json", text) is not None
    assert summary(parse_source("doc.json", text)) == summary(read_by_yaml_only(text, monkeypatch))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # a duplicate key
        '{"' + "k" * 1100 + '": 1}',  # a key YAML cannot find the end of
        '{"a"\n: 1}',  # a key a line away from its colon
        '{"a":\t1}',  # a tab: libyaml takes it, pure-Python PyYAML does not
        '{"a": "\\u00e9\\ud83d\\ude00"}',  # escapes
        '{"a": NaN}',
        '{"a": ' + "[" * 150 + "]" * 150 + "}",
        '{"a": "\x7f"}',  # a character YAML refuses
        '{"a": "x\u2028y"}',  # a line break to YAML, not to JSON
        '{"a": ' + "1" * 5000 + "}",  # more digits than Python makes an int of
        "{a: 1}",
        '{"a": 1} x',
    ],
)
def test_a_text_json_might_read_otherwise_than_yaml_is_read_by_yaml(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert located._read_json("doc.json", text) is None
    assert summary(parse_source("doc.json", text)) == summary(read_by_yaml_only(text, monkeypatch))


def test_the_positions_of_a_json_document_are_a_read_only_mapping() -> None:
    (document,) = parse_source("doc.json", '{"spec": {\n  "rate": 21.0}}').documents
    assert document.positions == {"$": (1, 1), "$.spec": (1, 2), "$.spec.rate": (2, 3)}
    assert document.locate("$.spec.rate[3]") == (2, 3)
    with pytest.raises(TypeError):
        document.positions["$"] = (9, 9)  # type: ignore[index]
