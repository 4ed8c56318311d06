"""Parsing of OrderFlow documents: steps per item action, with dependencies, timeouts and compensation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from engine.facts import ItemAction
from engine.spec.common import SourceInfo
from engine.spec.flow import Compensation, OrderFlow, OrderFlowStep, ServiceAction
from engine.spec.located import child_path
from engine.spec.parse_common import duration, entity_fields, frozen_mapping, strings

DEFAULT_TIMEOUT = timedelta(hours=24)


def parse_order_flow(document: Mapping[str, Any], source: SourceInfo) -> OrderFlow:
    actions = document["spec"]["actions"]
    return OrderFlow(
        **entity_fields(document, source),
        actions=frozen_mapping(
            {
                ItemAction(action): tuple(
                    _step(item, f"$.spec.actions.{action}[{i}]") for i, item in enumerate(steps)
                )
                for action, steps in actions.items()
            }
        ),
    )


def _step(data: Mapping[str, Any], path: str) -> OrderFlowStep:
    timeout = data.get("timeout")
    compensation = data.get("compensation")
    return OrderFlowStep(
        id=data["id"],
        name=data["name"],
        serviceSpecification=data["serviceSpecification"],
        action=ServiceAction(data.get("action", ServiceAction.add)),
        dependsOn=strings(data.get("dependsOn")),
        dependsOnService=strings(data.get("dependsOnService")),
        pointOfNoReturn=data.get("pointOfNoReturn", False),
        timeout=DEFAULT_TIMEOUT if timeout is None else duration(timeout, child_path(path, "timeout")),
        compensation=None
        if compensation is None
        else Compensation(ServiceAction(compensation["action"]), compensation.get("serviceSpecification")),
    )
