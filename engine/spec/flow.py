"""OrderFlow: how adding, modifying or deleting an offering decomposes into OSS service-order steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import ClassVar

from engine.facts import ItemAction
from engine.spec.common import Entity, Kind


class ServiceAction(StrEnum):
    """TMF641 service order item actions."""

    add = "add"
    modify = "modify"
    delete = "delete"


@dataclass(frozen=True, slots=True)
class Compensation:
    """What undoes a completed step when the order is cancelled before its point of no return."""

    action: ServiceAction
    serviceSpecification: str | None = None  # None: the step's own service specification


@dataclass(frozen=True, slots=True)
class OrderFlowStep:
    id: str
    name: str
    serviceSpecification: str
    action: ServiceAction = ServiceAction.add
    dependsOn: tuple[str, ...] = ()  # steps of the same flow
    # Steps of *other* items in the same order that provision these service specifications run first,
    # e.g. TV activation waits for the broadband access of the fibre item.
    dependsOnService: tuple[str, ...] = ()
    pointOfNoReturn: bool = False  # once this step is sent to the OSS, the order can no longer be cancelled
    timeout: timedelta = timedelta(hours=24)
    compensation: Compensation | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderFlow(Entity):
    kind: ClassVar[Kind] = Kind.OrderFlow
    actions: Mapping[ItemAction, tuple[OrderFlowStep, ...]] = field(default_factory=dict)

    def steps(self, action: ItemAction) -> tuple[OrderFlowStep, ...]:
        return self.actions.get(action, ())
