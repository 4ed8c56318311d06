# mypy: disable-error-code="no-any-return"
# (Reflex builders return Any once a Var, which mypy sees as Any, is passed in.)
"""Form pieces shared by the pages: every input has a visible label and its own error line."""

from __future__ import annotations

from typing import Any

import reflex as rx

from designer.editor_state import EditorState as _EditorState

EditorState: Any = _EditorState  # Reflex Vars and events, which mypy cannot type

INPUT_STYLE = {"padding": "4px 6px", "border": "1px solid #bbb", "border_radius": "4px", "min_width": "8em"}


def error_line(input_id: Any) -> rx.Component:
    return rx.cond(
        EditorState.field_errors.contains(input_id),
        rx.text(EditorState.field_errors[input_id], id=input_id + "-error", color="#b00020", size="2"),
    )


def field(label: Any, input_id: Any, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=input_id, font_weight="500", font_size="0.9em"),
        control,
        error_line(input_id),
        spacing="1",
        align="start",
    )


def text_input(
    label: Any, input_id: Any, value: Any, on_change: Any, kind: str = "text", **props: Any
) -> rx.Component:
    control = rx.el.input(
        id=input_id,
        type=kind,
        value=value,
        on_change=on_change,
        on_blur=EditorState.save,
        aria_describedby=input_id + "-error" if isinstance(input_id, str) else None,
        style=INPUT_STYLE,
        **props,
    )
    return field(label, input_id, control)


def select(label: Any, input_id: Any, value: Any, options: Any, on_change: Any) -> rx.Component:
    if isinstance(options, list):
        choices: Any = [rx.el.option(o, value=o) for o in options]
    else:
        choices = [rx.foreach(options, lambda o: rx.el.option(o, value=o))]
    control = rx.el.select(
        rx.el.option("(choose)", value=""),
        *choices,
        id=input_id,
        value=value,
        on_change=on_change,
        on_blur=EditorState.save,
        style=INPUT_STYLE,
    )
    return field(label, input_id, control)


def section(title: str, *children: rx.Component, section_id: str = "") -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="4", margin_bottom="8px"),
        *children,
        id=section_id or None,
        aria_label=title,
        style={"border": "1px solid #ddd", "border_radius": "8px", "padding": "12px", "width": "100%"},
    )


def button(label: str, on_click: Any, **props: Any) -> rx.Component:
    return rx.button(label, on_click=on_click, type="button", **props)


def lines(items: Any, list_id: str) -> rx.Component:
    return rx.el.ul(rx.foreach(items, lambda line: rx.el.li(line)), id=list_id)
