"""`switchboard catalog publish | releases | export` against the database of the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.spec.loader import load_release
from runtime.cli import main

CATALOG = Path(__file__).resolve().parents[3] / "catalog_specs"


@pytest.fixture(autouse=True)
def environment(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWITCHBOARD_DATABASE_URL", database_url)
    monkeypatch.setenv("SWITCHBOARD_DATA_DIR", str(tmp_path / "data"))


def test_publish_list_and_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Dates on either side of any test run's clock.
    assert main(["catalog", "publish", str(CATALOG / "2026.1"), "--effective-date", "2020-01-01"]) == 0
    assert (
        main(["catalog", "publish", str(CATALOG / "2026.2"), "--effective-date", "2099-01-01T00:00:00Z"]) == 0
    )
    capsys.readouterr()
    assert main(["catalog", "releases"]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    hashes = {fields[0]: fields[2] for fields in lines}
    assert [(fields[0], fields[1], fields[3]) for fields in lines] == [
        ("2026.1", "2020-01-01T00:00:00+00:00", "inEffect"),
        ("2026.2", "2099-01-01T00:00:00+00:00", "scheduled"),
    ]
    assert main(["catalog", "export", "2026.2", str(tmp_path / "out")]) == 0
    exported = load_release(tmp_path / "out").release
    assert exported is not None and exported.contentHash == hashes["2026.2"]


def test_a_broken_folder_prints_located_errors_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(shutil.copytree(CATALOG / "2026.1", tmp_path / "broken"))
    flow = folder / "offerings" / "add-ons" / "digital-newsstand.yaml"
    flow.write_text(flow.read_text().replace("orderFlow: digital-content", "orderFlow: nowhere"))
    assert main(["catalog", "publish", str(folder)]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert (
        f"{flow}:17:3: $.spec.orderFlow: 'nowhere' names no OrderFlow in this release [UNRESOLVED_REFERENCE]"
        in errors
    )
    assert errors[-1] == "refused: 1 error; nothing was stored"
    assert main(["catalog", "releases"]) == 0
    assert capsys.readouterr().err.strip() == "no releases"


def test_publishing_twice_and_exporting_into_a_full_folder_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", "publish", str(CATALOG / "2026.1")]) == 0
    assert main(["catalog", "publish", str(CATALOG / "2026.1")]) == 1
    assert "RELEASE_ALREADY_PUBLISHED: release 2026.1 is already published" in capsys.readouterr().err
    assert main(["catalog", "export", "2026.1", str(CATALOG)]) == 1
    assert "EXPORT_TARGET_NOT_EMPTY" in capsys.readouterr().err
    assert main(["catalog", "export", "1999.1", str(tmp_path / "none")]) == 1
    assert "NOT_FOUND: there is no release 1999.1" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()
