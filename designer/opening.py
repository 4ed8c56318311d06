"""Open an offering in the editor: its drafts when there are some, else the versions in effect."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from designer import documents as docs
from designer import loading

if TYPE_CHECKING:
    from designer.editor_state import EditorState


class Source:
    """Reads entity documents: the draft (with its ETag) first, else the release in effect."""

    def __init__(self, state: EditorState) -> None:
        self.state = state
        self.published: dict[str, dict[str, Any]] | None = None
        self.etags: dict[str, str] = {}
        self.currency = "EUR"

    async def _published(self) -> dict[str, dict[str, Any]]:
        if self.published is None:
            self.published = {}
            releases = await self.state.api("GET", "/api/v1/releases", params={"status": "inEffect"})
            if releases.ok and releases.body:
                files = await self.state.api("GET", f"/api/v1/releases/{releases.body[0]['id']}/documents")
                for item in files.body.get("documents", []) if files.ok else []:
                    document = json.loads(item["text"])
                    if document["kind"] == "CatalogRelease":
                        self.currency = document["spec"].get("currency", self.currency)
                    entity = docs.key(document["kind"], document["metadata"]["id"])
                    if entity not in self.published or _later(document, self.published[entity]):
                        self.published[entity] = document
        return self.published

    async def read(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        entity = docs.key(kind, entity_id)
        answer = await self.state.api("GET", f"/api/v1/drafts/{entity}")
        if answer.ok:
            self.etags[entity] = answer.etag
            document: dict[str, Any] = answer.body["document"]
            return document
        return (await self._published()).get(entity)


def _later(candidate: dict[str, Any], current: dict[str, Any]) -> bool:
    def start(document: dict[str, Any]) -> str:
        return str(document.get("spec", {}).get("validFor", {}).get("startDateTime", ""))

    return start(candidate) > start(current)


async def open_offering(state: EditorState, offering_id: str) -> None:
    await state.load_vocabulary()
    source = Source(state)
    offering = await source.read("ProductOffering", offering_id)
    if offering is None:
        state._reset(docs.OfferingForm(id=offering_id))
        state.status = f"No offering {offering_id} yet: this is a new one."
        return
    form = loading.offering_form(offering)
    prices = [
        await source.read("ProductOfferingPrice", pid)
        for pid in offering["spec"].get("productOfferingPrice", [])
    ]
    form.prices = [loading.price_row(p) for p in prices if p is not None]
    if form.policy:
        policy = await source.read("EligibilityPolicy", form.policy)
        if policy is not None:
            form.rules, unsupported = loading.rule_rows(policy)
            form.kept_rules = [r for r in policy["spec"].get("rules", []) if str(r.get("id")) in unsupported]
    if form.specification:
        specification = await source.read("ProductSpecification", form.specification)
        if specification is not None:
            form.characteristics = loading.characteristic_rows(specification)
    state._reset(form)
    await source._published()
    state.currency = source.currency
    # The baseline is the form's own rendering of what was read: saving then writes only what the manager
    # changed, and a published entity that is only looked at is never drafted.
    state._saved = {entity: json.dumps(d, sort_keys=True) for entity, d in state.current_documents().items()}
    state._etags = dict(source.etags)
    state.status = (
        "Opened the draft." if source.etags else "Opened the published version; saving drafts a new one."
    )
    if form.kept_rules:
        state.notice = (
            f"{len(form.kept_rules)} rule(s) with nested conditions are kept unchanged (not shown)."
        )
