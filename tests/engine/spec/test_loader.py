from pathlib import Path

from engine.spec.common import Kind
from engine.spec.loader import LoadResult, SourceDocument, load_documents, load_release
from engine.spec.price import ProductOfferingPrice
from engine.spec.product import ProductOffering
from engine.validation.report import SpecError
from tests.engine.spec.support import RELEASE_YAML, LoadTexts

OFFERING = """\
apiVersion: switchboard.io/v1
kind: ProductOffering
metadata: {id: fibre-500, version: "1"}
spec:
  name: Fibre 500
"""


def errors_of(result: LoadResult) -> list[tuple[str, int, int, str, str]]:
    assert result.release is None
    return [(e.file, e.line, e.column, e.path, e.code) for e in result.report.errors]


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_the_minimal_release_loads_every_entity(minimal_path: Path) -> None:
    result = load_release(minimal_path)
    assert result.report.ok and result.ok
    release = result.release
    assert release is not None
    assert release.id == "2026.1"
    counts = {kind: len([e for e in release.entities if e.kind is kind]) for kind in Kind}
    assert counts == {
        Kind.CatalogRelease: 0,  # the manifest is the release's, not one of its entities
        Kind.Category: 2,
        Kind.ProductSpecification: 1,
        Kind.ServiceSpecification: 2,
        Kind.ProductOffering: 1,
        Kind.ProductOfferingPrice: 6,
        Kind.EligibilityPolicy: 1,
        Kind.OrderFlow: 1,
        Kind.TaxTable: 1,
    }
    assert len(release.contentHash) == 64


def test_every_entity_knows_its_file_positions_and_digest(minimal_path: Path) -> None:
    release = load_release(minimal_path).release
    assert release is not None
    offering = release.offering("fibre-500")
    assert offering.source.file == str(minimal_path / "offerings" / "fibre-500.yaml")
    assert offering.source.locate("$.spec.productOfferingPrice[1]") == (15, 45)
    assert offering.source.locate("$.spec.examples[1].expect.reasons[0]") == (41, 19)
    assert all(len(e.source.digest) == 64 for e in (*release.entities, release.manifest))
    tax = release.tax_table()
    assert tax is not None and tax.source.file.endswith("tax.json")
    assert tax.source.locate("$.spec.rates[2].rate") == (10, 54)


def test_the_same_texts_from_memory_give_the_same_release(minimal_path: Path) -> None:
    from_files = load_release(minimal_path).release
    files = sorted(minimal_path.rglob("*.*"), reverse=True)
    from_memory = load_documents(SourceDocument(str(f), f.read_text()) for f in files).release
    assert from_files is not None and from_memory is not None
    assert from_memory.contentHash == from_files.contentHash
    assert from_memory.entities == from_files.entities


def test_schema_errors_name_file_line_column_and_path(load_texts: LoadTexts) -> None:
    text = OFFERING + "  lifecycleStatus: lauched\n  isBundle: no\n  prce: 12\n"
    result = load_texts({"offering.yaml": text})
    assert errors_of(result) == [
        ("offering.yaml", 6, 3, "$.spec.lifecycleStatus", "NOT_ALLOWED"),
        ("offering.yaml", 7, 3, "$.spec.isBundle", "WRONG_TYPE"),
        ("offering.yaml", 8, 3, "$.spec.prce", "UNKNOWN_FIELD"),
    ]
    assert all(e.layer == "schema" for e in result.report.errors)


def test_every_error_of_every_file_is_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "release.yaml": RELEASE_YAML,
            "a/broken-yaml.yaml": "spec:\n  name: x\n name: y\n",
            "a/offering.yaml": OFFERING.replace("fibre-500", "Fibre 500"),
            "b/price.json": '{"apiVersion": "switchboard.io/v1", "kind": "ProductOfferingPrice",\n'
            ' "metadata": {"id": "p", "version": "1"},\n'
            ' "spec": {"name": "P", "priceType": "oneTime", "price": {"unit": "EUR", "value": "12,99"}}}',
            "b/second-offering.yaml": OFFERING + "  channel: web\n",
            "README.md": "not a spec",
            ".hidden/ignored.yaml": "this: [is not read",
        },
    )
    result = load_release(tmp_path)
    assert errors_of(result) == [
        (str(tmp_path / "a/broken-yaml.yaml"), 3, 2, "$", "YAML_SYNTAX"),
        (str(tmp_path / "a/offering.yaml"), 3, 12, "$.metadata.id", "INVALID_VALUE"),
        (str(tmp_path / "b/price.json"), 3, 73, "$.spec.price.value", "INVALID_VALUE"),
        (str(tmp_path / "b/second-offering.yaml"), 6, 3, "$.spec.channel", "WRONG_TYPE"),
    ]


def test_a_broken_document_does_not_hide_the_errors_of_the_next_one_in_its_file(
    load_texts: LoadTexts,
) -> None:
    text = (
        OFFERING + "  isSellable: maybe\n---\n" + OFFERING.replace("fibre-500", "fibre-1000") + "  bogus: 1\n"
    )
    assert errors_of(load_texts(text)) == [
        ("doc.yaml", 6, 3, "$.spec.isSellable", "WRONG_TYPE"),
        ("doc.yaml", 13, 3, "$.spec.bogus", "UNKNOWN_FIELD"),
    ]


def test_a_release_needs_exactly_one_catalog_release_document(load_texts: LoadTexts) -> None:
    missing = load_texts(OFFERING, with_release=False)
    assert errors_of(missing) == [("<documents>", 1, 1, "$", "MISSING_RELEASE")]
    second = RELEASE_YAML.replace('"2026.1"', '"2026.2"')
    twice = load_texts({"other.yaml": "# another\n" + second})
    assert errors_of(twice) == [("other.yaml", 3, 1, "$.kind", "MULTIPLE_RELEASES")]
    assert "release.yaml:2:1" in twice.report.errors[0].message


def test_a_missing_release_is_reported_at_the_folder(tmp_path: Path) -> None:
    write(tmp_path, {"offering.yaml": OFFERING})
    assert errors_of(load_release(tmp_path)) == [(str(tmp_path), 1, 1, "$", "MISSING_RELEASE")]


def test_a_duplicate_entity_version_is_an_error_at_the_second_occurrence(load_texts: LoadTexts) -> None:
    result = load_texts({"a.yaml": OFFERING, "b.yaml": "\n\n" + OFFERING})
    assert errors_of(result) == [("b.yaml", 5, 12, "$.metadata.id", "DUPLICATE_ENTITY")]
    assert "ProductOffering/fibre-500@1" in result.report.errors[0].message
    assert "a.yaml:3:12" in result.report.errors[0].message


def test_two_versions_of_one_entity_are_not_duplicates(load_texts: LoadTexts) -> None:
    result = load_texts(OFFERING + "---\n" + OFFERING.replace('version: "1"', 'version: "2"'))
    assert result.release is not None
    assert [o.version for o in result.release.all(ProductOffering)] == ["1", "2"]


def test_an_unknown_kind_lists_the_known_kinds(load_texts: LoadTexts) -> None:
    result = load_texts(OFFERING.replace("kind: ProductOffering", "kind: ProductOfering"))
    assert errors_of(result) == [("doc.yaml", 2, 1, "$.kind", "UNKNOWN_KIND")]
    message = result.report.errors[0].message
    assert "did you mean 'ProductOffering'?" in message
    assert all(kind.value in message for kind in Kind)


def test_a_document_that_is_not_a_mapping_is_an_error(load_texts: LoadTexts) -> None:
    assert errors_of(load_texts("- just\n- a list\n")) == [("doc.yaml", 1, 1, "$", "NOT_A_DOCUMENT")]


def test_a_fact_error_in_an_example_is_a_located_schema_error(load_texts: LoadTexts) -> None:
    text = OFFERING + (
        "  examples:\n"
        "    - name: no date\n"
        "      request: {context: {channel: web}}\n"
        "      expect: {qualification: qualified}\n"
        "    - name: bad quantity\n"
        "      request:\n"
        "        context: {channel: web, date: 2026-01-01}\n"
        "        cart: [{productOffering: fibre-500, quantity: 0}]\n"
        "      expect: {qualification: qualified}\n"
    )
    result = load_texts(text)
    assert errors_of(result) == [
        ("doc.yaml", 8, 17, "$.spec.examples[0].request.context.date", "INVALID_FACT"),
        ("doc.yaml", 13, 45, "$.spec.examples[1].request.cart[0].quantity", "INVALID_FACT"),
    ]
    assert all(e.layer == "schema" for e in result.report.errors)


def test_a_date_that_is_not_on_the_calendar_is_an_error(load_texts: LoadTexts) -> None:
    result = load_texts(OFFERING + "  validFor: {startDateTime: 2026-02-30}\n")
    assert errors_of(result) == [("doc.yaml", 6, 14, "$.spec.validFor.startDateTime", "INVALID_DATETIME")]


def test_a_path_that_is_not_a_folder_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert errors_of(load_release(missing)) == [(str(missing), 1, 1, "$", "NOT_A_RELEASE")]


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"release.yaml": RELEASE_YAML})
    (tmp_path / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert errors_of(load_release(tmp_path)) == [(str(tmp_path / "latin1.yaml"), 1, 1, "$", "UNREADABLE")]


def test_files_are_read_in_name_order_so_errors_are_stable(tmp_path: Path) -> None:
    write(tmp_path, {"release.yaml": RELEASE_YAML, "b.yaml": OFFERING, "a.yaml": OFFERING})
    (error,) = load_release(tmp_path).report.errors
    assert error.file == str(tmp_path / "b.yaml")


def test_a_loaded_release_finds_versions_by_date(minimal_path: Path) -> None:
    from datetime import UTC, datetime

    release = load_release(minimal_path).release
    assert release is not None
    june, july = datetime(2026, 6, 30, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    assert release.get(ProductOfferingPrice, "fibre-500-monthly", june).version == "1"
    assert release.get(ProductOfferingPrice, "fibre-500-monthly", july).version == "2"


def test_spec_error_renders_like_a_compiler_error() -> None:
    error = SpecError("a.yaml", 3, 5, "$.spec.price", "expected a mapping", "WRONG_TYPE", "schema")
    assert str(error) == "a.yaml:3:5: $.spec.price: expected a mapping [WRONG_TYPE]"
