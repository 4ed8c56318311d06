"""engine/validation/report.py: the loader's report type (its tests live with the loader's)."""

from engine.spec.common import SourceInfo
from engine.validation.report import SpecError, ValidationReport


def error(file: str, line: int, message: str = "m", layer: str = "schema") -> SpecError:
    return SpecError(file, line, 1, "$", message, "CODE", layer)  # type: ignore[arg-type]


def test_a_report_is_sorted_by_file_and_line_without_repeats() -> None:
    report = ValidationReport.of(
        [error("b.yaml", 1), error("a.yaml", 9), error("a.yaml", 2), error("a.yaml", 9)]
    )
    assert [(e.file, e.line) for e in report] == [("a.yaml", 2), ("a.yaml", 9), ("b.yaml", 1)]


def test_a_report_without_errors_is_ok() -> None:
    assert ValidationReport().ok
    assert not ValidationReport.of([error("a.yaml", 1)]).ok


def test_reports_merge_and_split_by_layer() -> None:
    report = ValidationReport.of([error("a.yaml", 3)]).merged([error("a.yaml", 1, layer="semantic")])
    assert [e.line for e in report] == [1, 3]
    assert [e.line for e in report.in_layer("semantic")] == [1]


def test_a_report_prints_one_error_per_line() -> None:
    report = ValidationReport.of([error("a.yaml", 2, "second"), error("a.yaml", 1, "first")])
    assert str(report) == "a.yaml:1:1: $: first [CODE]\na.yaml:2:1: $: second [CODE]"


def test_an_error_at_an_entity_path_is_located_at_the_nearest_known_position() -> None:
    source = SourceInfo("o.yaml", {"$": (1, 1), "$.spec": (4, 1), "$.spec.productOfferingPrice[0]": (9, 7)})
    found = SpecError.at(source, "$.spec.productOfferingPrice[0]", "unknown price", code="UNKNOWN_REFERENCE")
    assert str(found) == "o.yaml:9:7: $.spec.productOfferingPrice[0]: unknown price [UNKNOWN_REFERENCE]"
    assert found.layer == "semantic"
    missing = SpecError.at(source, "$.spec.orderFlow", "missing", code="X")
    assert (missing.line, missing.column) == (4, 1)
