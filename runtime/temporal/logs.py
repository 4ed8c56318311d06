"""One JSON line per log record in the worker process, with the order id and workflow id on each.

Workflow and activity loggers put Temporal's details under `temporal_workflow` / `temporal_activity`; the
order workflow adds `order_id` (and fields such as `step`). Records from elsewhere carry what they have.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from workflows.contracts import workflow_id

_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_PREFIX = workflow_id("")


def order_id_of(workflow: str | None) -> str | None:
    if workflow is None or not workflow.startswith(_PREFIX):
        return None
    return workflow[len(_PREFIX) :]


class OrderLogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        temporal = getattr(record, "temporal_workflow", None) or getattr(record, "temporal_activity", None)
        details: dict[str, Any] = temporal if isinstance(temporal, dict) else {}
        workflow = details.get("workflow_id")
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "order_id": getattr(record, "order_id", None) or order_id_of(workflow),
            "workflow_id": workflow,
        }
        if "activity_type" in details:
            line["activity"] = details["activity_type"]
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in line and not name.startswith("temporal_"):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the whole process."""
    handler = logging.StreamHandler()
    handler.setFormatter(OrderLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
