"""Before publishing: try it, the diff, the impact, the order flow, lifecycle moves, publishing, history.

Each function reads the editor's state, asks the API and returns plain rows for the page.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.editor_state import EditorState, ReviewState


def _money(amount: Any) -> str:
    if isinstance(amount, dict) and "value" in amount:
        return f"{amount['value']} {amount.get('unit', '')}".strip()
    return "" if amount is None else str(amount)


def total_lines(totals: dict[str, Any]) -> list[str]:
    """`recurring month: 40.00 EUR (48.40 EUR with tax)`, one line per total of the quote."""
    lines = []

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict) and ("dutyFreeAmount" in node or "taxIncludedAmount" in node):
            taxed = _money(node.get("taxIncludedAmount"))
            lines.append(
                f"{prefix}: {_money(node.get('dutyFreeAmount'))}" + (f" ({taxed} with tax)" if taxed else "")
            )
        elif isinstance(node, dict):
            for name, child in node.items():
                walk(f"{prefix} {name}".strip(), child)
        else:
            lines.append(f"{prefix}: {_money(node)}")

    walk("", totals)
    return lines


def preview_rows(body: dict[str, Any]) -> tuple[str, list[str], list[str], list[str]]:
    """(qualification result, reasons, totals, trace) of a preview answer."""
    qualification = body.get("qualification", {})
    reasons: list[str] = []
    trace: list[str] = []
    for item in qualification.get("items", []):
        for reason in item.get("eligibilityUnavailabilityReason", []):
            reasons.append(f"{reason.get('code', '')}: {reason.get('label') or reason.get('message', '')}")
        trace.extend(f"qualification: {line}" for line in item.get("trace", []))
    quote = body.get("quote", {})
    for step in quote.get("trace", []):
        amount = _money(step.get("amount"))
        trace.append(
            f"price: {step.get('step', '')} {step.get('message', '')}" + (f" = {amount}" if amount else "")
        )
    return (
        str(qualification.get("qualificationResult", "")),
        reasons,
        total_lines(quote.get("totals", {})),
        trace,
    )


def preview_body(state: ReviewState) -> dict[str, Any]:
    item: dict[str, Any] = {"productOffering": state.form.id, "quantity": int(state.try_quantity or "1")}
    if state.try_usage_amount.strip() and state.try_usage_unit.strip():
        item["usage"] = {state.try_usage_unit.strip(): state.try_usage_amount.strip()}
    body: dict[str, Any] = {"channel": state.try_channel, "cart": [item]}
    if state.try_customer.strip():
        body["customerId"] = state.try_customer.strip()
    return body


def diff_rows(body: dict[str, Any]) -> list[dict[str, str]]:
    def show(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else json.dumps(value)

    return [
        {
            "path": str(change.get("path", "")),
            "change": str(change.get("change", "")),
            "before": show(change.get("before")),
            "after": show(change.get("after")),
            "breaking": "breaking" if change.get("breaking") else "",
            "reason": str(change.get("reason") or ""),
        }
        for change in body.get("changes", [])
    ]


def impact_lines(body: dict[str, Any]) -> list[str]:
    lines = [
        f"Active subscriptions touched: {body.get('activeSubscriptions', 0)}",
        f"In-flight orders touched: {body.get('inFlightOrders', 0)}",
    ]
    offerings = body.get("offerings") or []
    if offerings:
        names = [o if isinstance(o, str) else str(o.get("id", o)) for o in offerings]
        lines.append(f"Offerings concerned: {', '.join(names)}")
    return lines


def flow_steps(document: dict[str, Any]) -> list[dict[str, str]]:
    steps = []
    for action, items in document.get("spec", {}).get("actions", {}).items():
        for step in items:
            depends = [
                *step.get("dependsOn", []),
                *(f"service {s}" for s in step.get("dependsOnService", [])),
            ]
            steps.append(
                {
                    "action": action,
                    "id": str(step.get("id", "")),
                    "name": str(step.get("name", "")),
                    "service": str(step.get("serviceSpecification", "")),
                    "dependsOn": ", ".join(depends) or "(starts at once)",
                    "flags": "point of no return" if step.get("pointOfNoReturn") else "",
                }
            )
    return steps


def default_release() -> tuple[str, str, str]:
    now = datetime.now(UTC)
    return (
        f"{now:%Y.%m.%d-%H%M%S}",
        f"Designer release of {now:%d %B %Y %H:%M}",
        now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


async def history_rows(state: EditorState) -> list[dict[str, str]]:
    """Every published version of the offering, release by release, oldest first."""
    releases = await state.api("GET", "/api/v1/releases")
    rows = []
    for release in releases.body if releases.ok else []:
        detail = await state.api("GET", f"/api/v1/releases/{release['id']}")
        for entity in detail.body.get("entities", []) if detail.ok else []:
            if entity["kind"] == "ProductOffering" and entity["id"] == state.form.id:
                rows.append(
                    {
                        "release": str(release["id"]),
                        "effectiveDate": str(release.get("effectiveDate", "")),
                        "status": str(release.get("status", "")),
                        "version": str(entity["version"]),
                    }
                )
    return rows
