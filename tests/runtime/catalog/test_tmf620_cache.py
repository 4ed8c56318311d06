from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from engine.spec.common import Kind
from engine.spec.loader import load_release
from runtime.catalog.tmf620_cache import clear, projected_list

RELEASE = load_release(Path(__file__).resolve().parents[3] / "catalog_specs" / "2026.2").release


def test_a_projection_is_built_once_per_validity_interval_and_again_across_a_boundary() -> None:
    assert RELEASE is not None
    clear()  # other tests read the same release through the API and fill the cache
    builds: list[datetime] = []

    def build_at(at: datetime) -> list[dict[str, object]]:
        builds.append(at)
        return [{"at": at.isoformat()}]

    august_1, august_15 = datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 8, 15, tzinfo=UTC)
    # 2026-09-01 is a boundary of this release: the EU+ day pass moves from version 2 to version 3.
    september_2 = datetime(2026, 9, 2, tzinfo=UTC)
    first = projected_list(RELEASE, Kind.ProductOfferingPrice, august_1, lambda: build_at(august_1))
    again = projected_list(RELEASE, Kind.ProductOfferingPrice, august_15, lambda: build_at(august_15))
    later = projected_list(RELEASE, Kind.ProductOfferingPrice, september_2, lambda: build_at(september_2))
    assert again is first
    assert later is not first
    assert builds == [august_1, september_2]
