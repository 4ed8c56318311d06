# mypy: disable-error-code="no-any-return"
# (Reflex builders return Any once a Var, which mypy sees as Any, is passed in.)
"""The editor's lower half: try it, diff and impact, order flow, lifecycle and publishing, history."""

from __future__ import annotations

from typing import Any

import reflex as rx

from designer import documents as d
from designer.components import button, field, lines, section
from designer.editor_state import ReviewState

R: Any = ReviewState  # Reflex Vars and events, which mypy cannot type
STYLE = {"padding": "4px 6px", "border": "1px solid #bbb", "border_radius": "4px"}


def _input(label: str, name: str, value: Any, **props: Any) -> rx.Component:
    control = rx.el.input(id=f"review-{name}", value=value, on_change=R.set_value(name), style=STYLE, **props)
    return field(label, f"review-{name}", control)


def _select(label: str, name: str, value: Any, options: list[str]) -> rx.Component:
    control = rx.el.select(
        *[rx.el.option(o, value=o) for o in options],
        id=f"review-{name}",
        value=value,
        on_change=R.set_value(name),
        style=STYLE,
    )
    return field(label, f"review-{name}", control)


def try_it() -> rx.Component:
    return section(
        "Try it: qualification and price with the drafts",
        rx.hstack(
            _input(
                "Customer id (CUST-1001, CUST-1002, CUST-2001, CUST-3001)", "try_customer", R.try_customer
            ),
            _select("Channel", "try_channel", R.try_channel, d.CHANNELS),
            _input("Quantity", "try_quantity", R.try_quantity, inputmode="numeric"),
            _input("Usage unit (e.g. GB)", "try_usage_unit", R.try_usage_unit),
            _input("Usage volume", "try_usage_amount", R.try_usage_amount, inputmode="decimal"),
            wrap="wrap",
            align="end",
        ),
        button("Preview qualification and price", R.try_it),
        rx.cond(R.try_error != "", rx.text(R.try_error, id="try-error", color="#b00020", role="alert")),
        rx.cond(
            R.try_result != "",
            rx.vstack(
                rx.text("Qualification: ", rx.el.strong(R.try_result, id="try-result")),
                lines(R.try_reasons, "try-reasons"),
                rx.heading("Totals", size="3"),
                lines(R.try_totals, "try-totals"),
                rx.el.details(rx.el.summary("Explanation trace"), lines(R.try_trace, "try-trace")),
            ),
        ),
        section_id="try-it",
    )


def _diff_row(row: Any) -> rx.Component:
    breaking = row["breaking"] != ""
    return rx.table.row(
        rx.table.cell(rx.cond(breaking, rx.badge("BREAKING", color_scheme="red"), rx.text("ok"))),
        rx.table.cell(row["path"]),
        rx.table.cell(row["change"]),
        rx.table.cell(row["before"]),
        rx.table.cell(row["after"]),
        rx.table.cell(row["reason"]),
        background=rx.cond(breaking, "#fde8e8", "transparent"),
        class_name=rx.cond(breaking, "diff-breaking", "diff-change"),
    )


def diff_and_impact() -> rx.Component:
    return section(
        "Before publishing: diff against the published version, and impact",
        rx.hstack(button("Show diff", R.show_diff), button("Show impact", R.show_impact)),
        rx.cond(
            R.diff.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("", "Field", "Change", "Before", "After", "Why it breaks")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(R.diff, _diff_row)),
                id="diff",
            ),
        ),
        lines(R.impact, "impact"),
        section_id="diff-impact",
    )


def order_flow() -> rx.Component:
    return section(
        "Order flow",
        button("Show order flow", R.show_flow),
        rx.cond(
            R.flow.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Action", "Step", "Name", "Service", "Waits for", "")
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        R.flow,
                        lambda s: rx.table.row(
                            *[
                                rx.table.cell(s[k])
                                for k in ("action", "id", "name", "service", "dependsOn", "flags")
                            ]
                        ),
                    )
                ),
                id="order-flow",
            ),
        ),
        section_id="order-flow-section",
    )


def lifecycle_and_publish() -> rx.Component:
    return section(
        "Lifecycle and publishing",
        rx.hstack(
            _select("Move the offering to", "lifecycle_target", R.lifecycle_target, d.LIFECYCLE),
            button("Move lifecycle", R.move_lifecycle, variant="outline"),
            align="end",
        ),
        button("Prepare a release", R.prepare_publish, variant="outline"),
        rx.hstack(
            _input("Release id", "release_id", R.release_id),
            _input("Release name", "release_name", R.release_name, size="40"),
            _input("Effective date (ISO 8601)", "effective_date", R.effective_date),
            wrap="wrap",
            align="end",
        ),
        button("Publish the drafts", R.publish, color_scheme="green"),
        rx.text(R.review_message, id="review-message", role="status"),
        section_id="publish",
    )


def history() -> rx.Component:
    return section(
        "Version history",
        button("Show version history", R.show_history, variant="outline"),
        rx.el.ul(
            rx.foreach(
                R.history,
                lambda h: rx.el.li(
                    "version ",
                    h["version"],
                    " in release ",
                    h["release"],
                    " (",
                    h["status"],
                    ", effective ",
                    h["effectiveDate"],
                    ")",
                ),
            ),
            id="history",
        ),
        section_id="history-section",
    )


def review_sections() -> list[rx.Component]:
    return [try_it(), diff_and_impact(), order_flow(), lifecycle_and_publish(), history()]
