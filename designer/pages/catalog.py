# mypy: disable-error-code="no-any-return"
# (Reflex builders return Any once a Var, which mypy sees as Any, is passed in.)
"""Browse the catalog: search and filter offerings, see releases in effect and scheduled, and the drafts."""

from __future__ import annotations

from typing import Any

import reflex as rx

from designer import documents as d
from designer.components import field
from designer.state import CatalogState, Session

C: Any = CatalogState  # Reflex Vars and events, which mypy cannot type
STYLE = {"padding": "4px 6px", "border": "1px solid #bbb", "border_radius": "4px"}


def _filter(label: str, name: str, options: list[str]) -> rx.Component:
    control = rx.el.select(
        rx.el.option("(any)", value=""),
        *[rx.el.option(o, value=o) for o in options],
        id=f"filter-{name}",
        on_change=C.set_filter(name),
        style=STYLE,
    )
    return field(label, f"filter-{name}", control)


def _offering(row: Any) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["id"], href="/offering/" + row["id"])),
        *[
            rx.table.cell(row[k])
            for k in ("name", "version", "lifecycleStatus", "segments", "channels", "categories")
        ],
        rx.table.cell(row["source"], " ", row["bundle"]),
    )


def catalog_page() -> rx.Component:
    return rx.container(
        rx.vstack(
            rx.hstack(
                rx.heading("Switchboard designer: the catalog", size="6"),
                rx.link(rx.button("New offering"), href="/new"),
                rx.link("Sign in with another key", href="/signin"),
                spacing="4",
                align="center",
            ),
            rx.heading("Releases", size="4"),
            rx.el.ul(
                rx.foreach(
                    C.releases,
                    lambda r: rx.el.li(r["id"], ": ", r["status"], ", effective ", r["effectiveDate"]),
                ),
                id="releases",
            ),
            rx.hstack(
                field(
                    "Search",
                    "filter-q",
                    rx.el.input(id="filter-q", value=C.query, on_change=C.set_filter("query"), style=STYLE),
                ),
                _filter("Lifecycle status", "lifecycle", d.LIFECYCLE),
                _filter("Segment", "segment", d.SEGMENTS),
                _filter("Channel", "channel", d.CHANNELS),
                field(
                    "Category",
                    "filter-category",
                    rx.el.input(
                        id="filter-category",
                        value=C.category,
                        on_change=C.set_filter("category"),
                        style=STYLE,
                    ),
                ),
                field(
                    "Release (empty: the one in effect)",
                    "filter-release",
                    rx.el.input(
                        id="filter-release", value=C.release, on_change=C.set_filter("release"), style=STYLE
                    ),
                ),
                wrap="wrap",
                align="end",
            ),
            rx.cond(C.error != "", rx.text(C.error, color="#b00020", role="alert")),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in (
                                "Id",
                                "Name",
                                "Version",
                                "Status",
                                "Segments",
                                "Channels",
                                "Categories",
                                "Source",
                            )
                        ]
                    )
                ),
                rx.table.body(rx.foreach(C.offerings, _offering)),
                id="offerings",
            ),
            rx.heading("Drafts", size="4"),
            rx.el.ul(
                rx.foreach(
                    C.drafts,
                    lambda x: rx.el.li(
                        rx.cond(
                            x["kind"] == "ProductOffering", rx.link("open ", href="/offering/" + x["id"])
                        ),
                        x["kind"],
                        " ",
                        x["id"],
                        " v",
                        x["version"],
                        " (",
                        x["lifecycleStatus"],
                        ") by ",
                        x["updatedBy"],
                    ),
                ),
                id="drafts",
            ),
            spacing="3",
        ),
        size="4",
    )


def sign_in_page() -> rx.Component:
    return rx.container(
        rx.heading("Sign in to the designer", size="6"),
        rx.text(Session.sign_in_prompt, id="sign-in-prompt"),
        rx.form(
            rx.vstack(
                rx.el.label("Product manager API key", html_for="key"),
                rx.el.input(id="key", name="key", type="password", style=STYLE, autocomplete="off"),
                rx.button("Sign in", type="submit"),
                rx.cond(
                    Session.sign_in_error != "", rx.text(Session.sign_in_error, color="#b00020", role="alert")
                ),
            ),
            on_submit=Session.sign_in,
        ),
    )
