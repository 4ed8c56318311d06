"""The offering editor: the form, its drafts (saved with their ETags), and live validation.

Every save writes only the documents that changed, each with the ETag it was read with: a draft someone
else saved meanwhile answers 412, and the editor then stops and says so instead of overwriting.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import reflex as rx

from designer import documents as docs
from designer import review
from designer.documents import (
    CharacteristicRow,
    LinkRow,
    OfferingForm,
    PredicateRow,
    PriceRow,
    RuleRow,
    TierRow,
)
from designer.state import Session

IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9.-]{0,199}$")
CONFLICT = (
    "Conflict: {entity} was changed by someone else after you opened it. Your changes were NOT saved and "
    "nothing was overwritten. Reload the saved version, then make your change again."
)
EXISTS = (
    "{entity} already exists as a draft that this page did not open. Nothing was overwritten: open the offering "
    "from the catalog to edit that draft, or choose another id."
)
NEW = "A new offering: leaving a field saves the draft and validates it."
ROWS: dict[str, type[Any]] = {
    "prices": PriceRow,
    "rules": RuleRow,
    "characteristics": CharacteristicRow,
    "bundled": LinkRow,
    "relationships": LinkRow,
}


def _plain(value: Any) -> Any:
    """A form value as the form keeps it: text, or a checkbox's boolean, or rows."""
    return value if isinstance(value, bool | list) else str(value)


def _text(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True)


class EditorState(Session):
    form: OfferingForm = OfferingForm()
    facts: list[dict[str, str]] = []
    operators: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    general_errors: list[str] = []
    status: str = ""
    conflict: str = ""
    notice: str = ""
    currency: str = "EUR"
    _etags: dict[str, str] = {}
    _saved: dict[str, str] = {}

    @rx.var
    def fact_types(self) -> dict[str, str]:
        return {fact["name"]: fact["type"] for fact in self.facts}

    @rx.var
    def shared_specification(self) -> bool:
        """The offering names a specification other offerings may share: its characteristics are read-only."""
        return self.form.specification not in ("", docs.specification_id(self.form.id))

    @rx.var
    def fact_names(self) -> list[str]:
        return [fact["name"] for fact in self.facts]

    def fact_type_map(self) -> dict[str, str]:
        return {fact["name"]: fact["type"] for fact in self.facts}

    async def load_vocabulary(self) -> None:
        if self.facts:
            return
        answer = await self.api("GET", "/api/v1/designer/vocabulary")
        if not answer.ok:
            self.general_errors = [f"The rule vocabulary could not be read: {answer.message}"]
            return
        self.facts = [
            {
                "name": f["name"],
                "type": str(f.get("type", "")),
                "hint": f"{f.get('type', '')}"
                + (f" ({', '.join(map(str, f['allowedValues']))})" if f.get("allowedValues") else ""),
            }
            for f in answer.body.get("facts", [])
        ]
        self.operators = [{"id": o["id"], "label": o.get("label", o["id"])} for o in answer.body["operators"]]

    def _reset(self, form: OfferingForm) -> None:
        self.form = form
        self.field_errors, self.general_errors = {}, []
        self.status = self.conflict = self.notice = ""
        self._etags, self._saved = {}, {}

    @rx.event
    async def new_offering(self) -> None:
        self._reset(OfferingForm())
        await self.load_vocabulary()
        self.status = NEW

    # Editing the form -------------------------------------------------------------------------------------

    @rx.event
    def set_field(self, name: str, value: Any) -> None:
        self._replace(name, value)

    def _replace(self, name: str, value: Any) -> None:
        self.form = dataclasses.replace(self.form, **{name: _plain(value)})

    @rx.event
    def toggle(self, name: str, choice: str, checked: bool) -> None:
        chosen = [c for c in getattr(self.form, name) if c != choice] + ([choice] if checked else [])
        self._replace(name, chosen)

    @rx.event
    def add_row(self, name: str) -> None:
        rows = list(getattr(self.form, name))
        row = ROWS[name]()
        if name == "prices":
            row.id = f"{self.form.id}-price-{len(rows) + 1}" if self.form.id else ""
        if name == "rules":
            row.id = f"rule-{len(rows) + 1}"
            row.predicates = [PredicateRow()]
        self._replace(name, [*rows, row])

    @rx.event
    def remove_row(self, name: str, index: int) -> None:
        rows = list(getattr(self.form, name))
        del rows[index]
        self._replace(name, rows)

    @rx.event
    def set_row(self, name: str, index: int, attribute: str, value: Any) -> None:
        rows = list(getattr(self.form, name))
        rows[index] = dataclasses.replace(rows[index], **{attribute: _plain(value)})
        self._replace(name, rows)

    def _set_child(self, name: str, index: int, children: str, change: Any) -> None:
        rows = list(getattr(self.form, name))
        kids = list(getattr(rows[index], children))
        change(kids)
        rows[index] = dataclasses.replace(rows[index], **{children: kids})
        self._replace(name, rows)

    @rx.event
    def add_tier(self, index: int) -> None:
        def append(tiers: list[TierRow]) -> None:
            start = tiers[-1].to_quantity if tiers else "0"
            tiers.append(TierRow(from_quantity=start))

        self._set_child("prices", index, "tiers", append)

    @rx.event
    def remove_tier(self, index: int, tier: int) -> None:
        self._set_child("prices", index, "tiers", lambda tiers: tiers.pop(tier))

    @rx.event
    def set_tier(self, index: int, tier: int, attribute: str, value: str) -> None:
        def change(tiers: list[TierRow]) -> None:
            tiers[tier] = dataclasses.replace(tiers[tier], **{attribute: _plain(value)})

        self._set_child("prices", index, "tiers", change)

    @rx.event
    def add_predicate(self, index: int) -> None:
        self._set_child("rules", index, "predicates", lambda p: p.append(PredicateRow()))

    @rx.event
    def remove_predicate(self, index: int, predicate: int) -> None:
        self._set_child("rules", index, "predicates", lambda p: p.pop(predicate))

    @rx.event
    def set_predicate(self, index: int, predicate: int, attribute: str, value: str) -> None:
        def change(predicates: list[PredicateRow]) -> None:
            predicates[predicate] = dataclasses.replace(predicates[predicate], **{attribute: _plain(value)})

        self._set_child("rules", index, "predicates", change)

    # Saving and live validation ---------------------------------------------------------------------------

    def current_documents(self) -> dict[str, dict[str, Any]]:
        return docs.documents(self.form, self.currency, self.fact_type_map())

    @rx.event
    async def save(self) -> None:
        """Save what changed, then validate every draft (the live validation runs on each field's blur)."""
        await self.save_and_validate()

    async def save_and_validate(self) -> None:
        if self.conflict:
            return
        if not IDENTIFIER.match(self.form.id):
            self.field_errors = {"offering-id": "Enter an id: lower-case letters, digits, dots and dashes."}
            self.status = "Not saved: the offering needs an id."
            return
        if await self._save_changed():
            await self.run_validation()

    async def _save_changed(self) -> bool:
        wanted = self.current_documents()
        for entity, document in wanted.items():
            if self._saved.get(entity) == _text(document):
                continue
            answer = await self.api(
                "PUT", f"/api/v1/drafts/{entity}", body=document, if_match=self._etags.get(entity, "")
            )
            if answer.status == 428 and entity not in self._saved:
                self.conflict = EXISTS.format(entity=entity)
                self.status = "Not saved: the draft already exists."
                return False
            if answer.status in (412, 428):  # 428: drafted by someone else since this page read it
                self.conflict = CONFLICT.format(entity=entity)
                self.status = "Conflict: not saved."
                return False
            if not answer.ok:
                self.status = f"{entity} was not saved: {answer.message}"
                return False
            self._etags[entity] = answer.etag
            self._saved[entity] = _text(document)
        for entity in [e for e in self._etags if e not in wanted]:
            answer = await self.api("DELETE", f"/api/v1/drafts/{entity}", if_match=self._etags[entity])
            if answer.status == 412:
                self.conflict = CONFLICT.format(entity=entity)
                return False
            self._etags.pop(entity)
            self._saved.pop(entity, None)
        return True

    @rx.event
    async def validate(self) -> None:
        await self.run_validation()

    async def run_validation(self) -> None:
        answer = await self.api("POST", "/api/v1/drafts/validate", body={})
        if not answer.ok:
            self.status = f"Validation did not run: {answer.message}"
            return
        self._show_errors(answer.body.get("errors", []))
        self.status = (
            "Saved. Valid: ready to preview and publish."
            if answer.body.get("valid")
            else (f"Saved. {len(answer.body.get('errors', []))} validation error(s) to fix.")
        )

    def _show_errors(self, errors: list[dict[str, Any]]) -> None:
        fields: dict[str, str] = {}
        general: list[str] = []
        for error in errors:
            text = f"{error.get('message', '')} [{error.get('code', '')}]"
            field = docs.field_id(self.form, error)
            if field:
                fields[field] = f"{fields[field]}; {text}" if field in fields else text
            else:
                general.append(f"{error.get('file', '')} {error.get('path', '')}: {text}")
        self.field_errors, self.general_errors = fields, general

    @rx.event
    async def reload_saved(self) -> None:
        """After a conflict: drop the local edits and load what is saved now."""
        from designer.opening import open_offering

        self.conflict = ""
        await open_offering(self, self.form.id)


class ReviewState(EditorState):
    """Try it, diff, impact, order flow, lifecycle, publishing and history of the offering being edited."""

    try_customer: str = "CUST-1001"
    try_channel: str = "web"
    try_quantity: str = "1"
    try_usage_unit: str = ""
    try_usage_amount: str = ""
    try_result: str = ""
    try_reasons: list[str] = []
    try_totals: list[str] = []
    try_trace: list[str] = []
    try_error: str = ""
    diff_against: str = ""
    diff: list[dict[str, str]] = []
    impact: list[str] = []
    flow: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    lifecycle_target: str = "active"
    release_id: str = ""
    release_name: str = ""
    effective_date: str = ""
    review_message: str = ""

    @rx.event
    def set_value(self, name: str, value: str) -> None:
        setattr(self, name, value)

    async def _saved_ok(self) -> bool:
        editor = await self.get_state(EditorState)
        await editor.save_and_validate()
        if editor.conflict or not editor.form.id:
            self.review_message = editor.conflict or "Give the offering an id first."
            return False
        return True

    @rx.event
    async def try_it(self) -> None:
        self.try_result, self.try_reasons, self.try_totals, self.try_trace = "", [], [], []
        if not await self._saved_ok():
            return
        answer = await self.api("POST", "/api/v1/drafts/preview", body=review.preview_body(self))
        if not answer.ok:
            errors = answer.body.get("errors", []) if isinstance(answer.body, dict) else []
            self.try_error = "; ".join(e.get("message", "") for e in errors[:5]) or answer.message
            return
        self.try_error = ""
        self.try_result, self.try_reasons, self.try_totals, self.try_trace = review.preview_rows(answer.body)

    @rx.event
    async def show_diff(self) -> None:
        if not await self._saved_ok():
            return
        answer = await self.api("GET", f"/api/v1/drafts/ProductOffering/{self.form.id}/diff")
        if not answer.ok:
            self.review_message = f"No diff: {answer.message}"
            return
        against = answer.body.get("against")
        self.diff_against = (
            json.dumps(against) if isinstance(against, dict) else str(against or "nothing published")
        )
        self.diff = review.diff_rows(answer.body)
        self.review_message = "" if self.diff else "No change against the published version."

    @rx.event
    async def show_impact(self) -> None:
        if not await self._saved_ok():
            return
        answer = await self.api("GET", f"/api/v1/drafts/ProductOffering/{self.form.id}/impact")
        self.impact = (
            review.impact_lines(answer.body) if answer.ok else [f"No impact preview: {answer.message}"]
        )

    @rx.event
    async def show_flow(self) -> None:
        from designer.opening import Source

        if not self.form.order_flow:
            self.flow, self.review_message = [], "The offering names no order flow."
            return
        document = await Source(self).read("OrderFlow", self.form.order_flow)
        self.flow = review.flow_steps(document) if document else []
        self.review_message = (
            "" if document else f"No order flow {self.form.order_flow} in drafts or in effect."
        )

    @rx.event
    async def show_history(self) -> None:
        self.history = await review.history_rows(self)
        if not self.history:
            self.review_message = "No published version yet."

    @rx.event
    async def move_lifecycle(self) -> None:
        if not await self._saved_ok():
            return
        entity = f"ProductOffering/{self.form.id}"
        answer = await self.api(
            "POST", f"/api/v1/drafts/{entity}/lifecycle", body={"lifecycleStatus": self.lifecycle_target}
        )
        if not answer.ok:
            self.review_message = f"Lifecycle not changed: {answer.message}"
            return
        editor = await self.get_state(EditorState)
        editor.form = dataclasses.replace(editor.form, lifecycle_status=self.lifecycle_target)
        editor._etags[entity] = answer.etag
        editor._saved[entity] = _text(editor.current_documents()[entity])
        self.review_message = f"Lifecycle status is now {self.lifecycle_target}."

    @rx.event
    def prepare_publish(self) -> None:
        if not self.release_id:
            self.release_id, self.release_name, self.effective_date = review.default_release()

    @rx.event
    async def publish(self) -> None:
        if not await self._saved_ok():
            return
        body = {"releaseId": self.release_id, "name": self.release_name, "effectiveDate": self.effective_date}
        answer = await self.api("POST", "/api/v1/drafts/publish", body=body)
        if not answer.ok:
            errors = answer.body.get("errors", []) if isinstance(answer.body, dict) else []
            self.review_message = f"Not published: {answer.message}" + "".join(
                f"; {e.get('message', '')}" for e in errors[:5]
            )
            return
        editor = await self.get_state(EditorState)
        # The drafts are gone: the published documents are the new baseline; a next edit drafts anew.
        editor._etags = {}
        editor._saved = {entity: _text(d) for entity, d in editor.current_documents().items()}
        editor.status = f"Published in release {self.release_id}, effective {self.effective_date}."
        self.review_message = editor.status
        self.release_id = ""
        self.history = await review.history_rows(self)
