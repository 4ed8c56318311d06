"""Pieces shared by every kind: the envelope, validity periods, lifecycle status, source locations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

API_VERSION = "switchboard.io/v1"


class Kind(StrEnum):
    CatalogRelease = "CatalogRelease"
    Category = "Category"
    ProductSpecification = "ProductSpecification"
    ServiceSpecification = "ServiceSpecification"
    ProductOffering = "ProductOffering"
    ProductOfferingPrice = "ProductOfferingPrice"
    EligibilityPolicy = "EligibilityPolicy"
    OrderFlow = "OrderFlow"
    TaxTable = "TaxTable"


class LifecycleStatus(StrEnum):
    """TMF620 user guide catalog lifecycle; the transition table lives in `engine.lifecycle`."""

    inStudy = "inStudy"
    inDesign = "inDesign"
    inTest = "inTest"
    active = "active"
    launched = "launched"
    retired = "retired"
    obsolete = "obsolete"
    rejected = "rejected"

    @classmethod
    def sellable(cls) -> frozenset[LifecycleStatus]:
        return frozenset({cls.active, cls.launched})


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where an entity came from, so semantic errors can point at file:line:column like schema errors do.

    `positions` maps a JSON path (`$.spec.productOfferingPrice[0]`) to (line, column), both 1-based.
    """

    file: str
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # SHA-256 of the entity's canonical document; equal digests mean equal content.
    digest: str = ""

    def locate(self, path: str) -> tuple[int, int]:
        """Position of `path`, or of its nearest located ancestor."""
        probe = path
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            if cut <= 0:
                break
            probe = probe[:cut]
        return self.positions.get("$", (1, 1))


NO_SOURCE = SourceInfo(file="<memory>")


@dataclass(frozen=True, slots=True)
class TimePeriod:
    """TMF `TimePeriod`; an open end is None. Start is inclusive, end exclusive."""

    startDateTime: datetime | None = None
    endDateTime: datetime | None = None

    def contains(self, moment: datetime) -> bool:
        after_start = self.startDateTime is None or moment >= self.startDateTime
        before_end = self.endDateTime is None or moment < self.endDateTime
        return after_start and before_end

    def overlaps(self, other: TimePeriod) -> bool:
        starts_before_other_ends = (
            self.startDateTime is None or other.endDateTime is None or self.startDateTime < other.endDateTime
        )
        other_starts_before_self_ends = (
            other.startDateTime is None or self.endDateTime is None or other.startDateTime < self.endDateTime
        )
        return starts_before_other_ends and other_starts_before_self_ends


ALWAYS = TimePeriod()


@dataclass(frozen=True, slots=True)
class EntityKey:
    kind: Kind
    id: str
    version: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.id}@{self.version}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """Fields every versioned catalog entity has; each kind adds its own `spec` fields."""

    id: str
    version: str
    name: str
    description: str = ""
    lifecycleStatus: LifecycleStatus = LifecycleStatus.active
    validFor: TimePeriod = ALWAYS
    source: SourceInfo = field(default=NO_SOURCE, compare=False, hash=False, repr=False)

    kind: ClassVar[Kind]

    @property
    def key(self) -> EntityKey:
        return EntityKey(self.kind, self.id, self.version)
