# mypy: disable-error-code="no-any-return"
# (Reflex builders return Any once a Var, which mypy sees as Any, is passed in.)
"""The offering editor page: general information, specification, prices, rules, bundle and relationships."""

from __future__ import annotations

from typing import Any

import reflex as rx

from designer import documents as d
from designer.components import button, error_line, section, select, text_input
from designer.editor_state import EditorState
from designer.pages.review import review_sections

E: Any = EditorState  # Reflex turns class attributes into Vars and handlers into events: untyped here


def _choices(title: str, name: str, options: list[str], chosen: Any) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(title, font_weight="500", font_size="0.9em"),
        rx.hstack(
            *[
                rx.checkbox(
                    o, id=f"offering-{name}-{o}", checked=chosen.contains(o), on_change=E.toggle(name, o)
                )
                for o in options
            ],
            wrap="wrap",
        ),
        error_line(f"offering-{name}"),
        style={"border": "none", "padding": "0"},
    )


def general() -> rx.Component:
    f = E.form
    return section(
        "General information",
        rx.hstack(
            text_input("Offering id", "offering-id", f.id, E.set_field("id")),
            text_input("Name", "offering-name", f.name, E.set_field("name")),
            select(
                "Lifecycle status",
                "offering-lifecycle",
                f.lifecycle_status,
                d.LIFECYCLE,
                E.set_field("lifecycle_status"),
            ),
            wrap="wrap",
        ),
        text_input(
            "Description", "offering-description", f.description, E.set_field("description"), size="60"
        ),
        _choices("Channels", "channels", d.CHANNELS, f.channels),
        _choices("Market segments", "segments", d.SEGMENTS, f.segments),
        rx.hstack(
            text_input(
                "Categories (comma-separated ids)",
                "offering-categories",
                f.categories,
                E.set_field("categories"),
            ),
            text_input(
                "Valid from (ISO 8601)", "offering-valid-from", f.valid_from, E.set_field("valid_from")
            ),
            text_input("Valid until (ISO 8601)", "offering-valid-to", f.valid_to, E.set_field("valid_to")),
            wrap="wrap",
        ),
        section_id="general",
    )


def specification() -> rx.Component:
    f = E.form

    def row(c: Any, i: Any) -> rx.Component:
        return rx.hstack(
            text_input("Characteristic", f"char-{i}-name", c.name, E.set_row("characteristics", i, "name")),
            select(
                "Value type",
                f"char-{i}-type",
                c.value_type,
                d.VALUE_TYPES,
                E.set_row("characteristics", i, "value_type"),
            ),
            text_input(
                "Values (comma-separated)",
                f"char-{i}-values",
                c.value_list,
                E.set_row("characteristics", i, "value_list"),
            ),
            rx.checkbox(
                "Configurable",
                id=f"char-{i}-configurable",
                checked=c.configurable,
                on_change=E.set_row("characteristics", i, "configurable"),
            ),
            button("Remove characteristic", E.remove_row("characteristics", i), variant="soft"),
            wrap="wrap",
            align="end",
        )

    return section(
        "Specification and characteristics",
        rx.hstack(
            text_input(
                "Product specification id (empty: one of its own)",
                "offering-specification",
                f.specification,
                E.set_field("specification"),
            ),
            text_input("Order flow id", "offering-order-flow", f.order_flow, E.set_field("order_flow")),
            wrap="wrap",
        ),
        rx.cond(
            E.shared_specification,
            rx.text(
                "These characteristics belong to a specification other offerings may share; they are shown for "
                "reference and not saved from here. Leave the specification id empty to give the offering one of "
                "its own.",
                size="2",
                id="shared-specification",
            ),
        ),
        rx.foreach(f.characteristics, row),
        button("Add characteristic", E.add_row("characteristics"), variant="outline"),
        section_id="specification",
    )


def _tier(i: Any) -> Any:
    def render(t: Any, j: Any) -> rx.Component:
        return rx.hstack(
            text_input(
                "From quantity",
                f"price-{i}-tier-{j}-from",
                t.from_quantity,
                E.set_tier(i, j, "from_quantity"),
                "text",
                inputmode="decimal",
            ),
            text_input(
                "To quantity (empty: unbounded)",
                f"price-{i}-tier-{j}-to",
                t.to_quantity,
                E.set_tier(i, j, "to_quantity"),
                "text",
                inputmode="decimal",
            ),
            text_input(
                "Price per unit",
                f"price-{i}-tier-{j}-price",
                t.price,
                E.set_tier(i, j, "price"),
                "text",
                inputmode="decimal",
            ),
            button("Remove tier", E.remove_tier(i, j), variant="soft"),
            wrap="wrap",
            align="end",
        )

    return render


def _price(p: Any, i: Any) -> rx.Component:
    usage = p.price_type == "usage"
    return rx.box(
        rx.hstack(
            text_input("Price id", f"price-{i}-id", p.id, E.set_row("prices", i, "id")),
            text_input("Price name", f"price-{i}-name", p.name, E.set_row("prices", i, "name")),
            select(
                "Price type",
                f"price-{i}-type",
                p.price_type,
                d.PRICE_TYPES,
                E.set_row("prices", i, "price_type"),
            ),
            rx.cond(
                p.price_type == "recurring",
                select(
                    "Charge period",
                    f"price-{i}-period",
                    p.period,
                    d.PERIODS,
                    E.set_row("prices", i, "period"),
                ),
            ),
            rx.cond(
                ~usage | (p.tiers.length() == 0),
                text_input(
                    "Amount",
                    f"price-{i}-amount",
                    p.amount,
                    E.set_row("prices", i, "amount"),
                    "text",
                    inputmode="decimal",
                ),
            ),
            wrap="wrap",
            align="end",
        ),
        rx.cond(
            usage,
            rx.vstack(
                rx.hstack(
                    text_input(
                        "Unit of measure",
                        f"price-{i}-unit",
                        p.unit_of_measure,
                        E.set_row("prices", i, "unit_of_measure"),
                    ),
                    text_input(
                        "Included allowance",
                        f"price-{i}-allowance",
                        p.included_allowance,
                        E.set_row("prices", i, "included_allowance"),
                        "text",
                        inputmode="decimal",
                    ),
                    select(
                        "Tier mode",
                        f"price-{i}-tier-mode",
                        p.tier_mode,
                        d.TIER_MODES,
                        E.set_row("prices", i, "tier_mode"),
                    ),
                    wrap="wrap",
                ),
                error_line(f"price-{i}-tiers"),
                rx.foreach(p.tiers, _tier(i)),
                button("Add tier", E.add_tier(i), variant="outline"),
            ),
        ),
        rx.cond(
            p.price_type == "discount",
            rx.hstack(
                text_input(
                    "Percentage",
                    f"price-{i}-percentage",
                    p.percentage,
                    E.set_row("prices", i, "percentage"),
                    "text",
                    inputmode="decimal",
                ),
                text_input(
                    "Duration (billing cycles; empty: always)",
                    f"price-{i}-duration",
                    p.duration,
                    E.set_row("prices", i, "duration"),
                    "text",
                    inputmode="decimal",
                ),
            ),
        ),
        button("Remove price", E.remove_row("prices", i), variant="soft", color_scheme="red"),
        style={"border_left": "3px solid #8ab", "padding_left": "8px", "margin": "8px 0"},
    )


def prices() -> rx.Component:
    return section(
        "Prices, discounts and promotions",
        error_line("prices"),
        rx.foreach(E.form.prices, _price),
        button("Add price", E.add_row("prices"), variant="outline"),
        section_id="prices",
    )


def _predicate(i: Any) -> Any:
    def render(pr: Any, m: Any) -> rx.Component:
        return rx.hstack(
            select(
                "Fact", f"rule-{i}-predicate-{m}-fact", pr.fact, E.fact_names, E.set_predicate(i, m, "fact")
            ),
            rx.vstack(
                rx.el.label(
                    "Operator",
                    html_for=f"rule-{i}-predicate-{m}-operator",
                    font_weight="500",
                    font_size="0.9em",
                ),
                rx.el.select(
                    rx.foreach(E.operators, lambda o: rx.el.option(o["label"], value=o["id"])),
                    id=f"rule-{i}-predicate-{m}-operator",
                    value=pr.operator,
                    on_change=E.set_predicate(i, m, "operator"),
                    on_blur=E.save,
                ),
                error_line(f"rule-{i}-predicate-{m}-operator"),
                spacing="1",
            ),
            text_input(
                "Value",
                f"rule-{i}-predicate-{m}-value",
                pr.value,
                E.set_predicate(i, m, "value"),
                placeholder=E.fact_types[pr.fact].to(str),
            ),
            button("Remove condition", E.remove_predicate(i, m), variant="soft"),
            wrap="wrap",
            align="end",
        )

    return render


def _rule(r: Any, i: Any) -> rx.Component:
    return rx.box(
        rx.hstack(
            text_input("Rule id", f"rule-{i}-id", r.id, E.set_row("rules", i, "id")),
            text_input(
                "Reason code", f"rule-{i}-reason", r.reason_code, E.set_row("rules", i, "reason_code")
            ),
            text_input(
                "Message", f"rule-{i}-message", r.message, E.set_row("rules", i, "message"), size="40"
            ),
            wrap="wrap",
        ),
        select(
            "The rule is met when", f"rule-{i}-mode", r.mode, ["all", "any"], E.set_row("rules", i, "mode")
        ),
        rx.foreach(r.predicates, _predicate(i)),
        rx.hstack(
            button("Add condition", E.add_predicate(i), variant="outline"),
            button("Remove rule", E.remove_row("rules", i), variant="soft", color_scheme="red"),
        ),
        style={"border_left": "3px solid #a8b", "padding_left": "8px", "margin": "8px 0"},
    )


def rules() -> rx.Component:
    return section(
        "Eligibility rules",
        rx.text(
            "A rule is met when all (or any) of its conditions hold; an unmet rule reports its reason.",
            size="2",
        ),
        error_line("rules"),
        rx.foreach(E.form.rules, _rule),
        button("Add rule", E.add_row("rules"), variant="outline"),
        section_id="rules",
    )


def _link(name: str, cardinality: bool) -> Any:
    def render(link: Any, i: Any) -> rx.Component:
        extra = (
            [
                text_input(
                    label,
                    f"{name}-{i}-{attr}",
                    getattr(link, attr),
                    E.set_row(name, i, attr),
                    "text",
                    inputmode="decimal",
                )
                for label, attr in (("At least", "lower"), ("At most", "upper"), ("Default", "default"))
            ]
            if cardinality
            else [
                select(
                    "Relationship",
                    f"{name}-{i}-type",
                    link.kind,
                    d.RELATIONSHIP_TYPES,
                    E.set_row(name, i, "kind"),
                )
            ]
        )
        return rx.hstack(
            text_input("Offering id", f"{name}-{i}-id", link.id, E.set_row(name, i, "id")),
            *extra,
            button("Remove", E.remove_row(name, i), variant="soft"),
            wrap="wrap",
            align="end",
        )

    return render


def composition() -> rx.Component:
    return section(
        "Bundle and relationships",
        rx.checkbox(
            "This offering is a bundle",
            id="offering-is-bundle",
            checked=E.form.is_bundle,
            on_change=E.set_field("is_bundle"),
        ),
        rx.cond(
            E.form.is_bundle,
            rx.vstack(
                error_line("bundled"),
                rx.foreach(E.form.bundled, _link("bundled", True)),
                button("Add bundled offering", E.add_row("bundled"), variant="outline"),
            ),
        ),
        error_line("relationships"),
        rx.foreach(E.form.relationships, _link("relationships", False)),
        button("Add relationship", E.add_row("relationships"), variant="outline"),
        section_id="composition",
    )


def validation() -> rx.Component:
    return rx.vstack(
        rx.cond(
            E.conflict != "",
            rx.callout(
                rx.vstack(
                    rx.text(E.conflict, id="conflict"), button("Reload the saved version", E.reload_saved)
                ),
                color_scheme="red",
                role="alert",
                width="100%",
            ),
        ),
        rx.hstack(
            button("Save and validate", E.save),
            rx.text(E.status, id="status", role="status"),
            rx.text(E.notice, size="2"),
        ),
        rx.cond(
            E.general_errors.length() > 0,
            rx.el.ul(
                rx.foreach(E.general_errors, lambda e: rx.el.li(e)),
                id="general-errors",
                style={"color": "#b00020"},
            ),
        ),
        width="100%",
        position="sticky",
        top="0",
        background="white",
        z_index="5",
        padding="6px 0",
    )


def editor_page() -> rx.Component:
    return rx.container(
        rx.vstack(
            rx.hstack(rx.link("← Catalog", href="/"), rx.heading("Offering designer", size="6"), spacing="4"),
            validation(),
            general(),
            specification(),
            prices(),
            rules(),
            composition(),
            *review_sections(),
            spacing="3",
        ),
        size="4",
    )
