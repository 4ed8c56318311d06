"""Fixtures: the valid base release, and `swap` to put broken entities into it."""

from __future__ import annotations

import pytest

from engine.spec.common import Entity, Kind
from engine.spec.release import CatalogRelease
from tests.engine.validation.catalog import Swap, base_release, swap_into


@pytest.fixture
def base() -> CatalogRelease:
    return base_release()


@pytest.fixture
def swap(base: CatalogRelease) -> Swap:
    """`swap(entity, ...)`: the base release with these entities in place of theirs."""

    def swapped(*entities: Entity, drop: tuple[tuple[Kind, str], ...] = ()) -> CatalogRelease:
        return swap_into(base, *entities, drop=drop)

    return swapped
