"""The signed-in product manager, and the catalog browser."""

from __future__ import annotations

from typing import Any

import reflex as rx

from designer.api import Answer, call, default_key


class Session(rx.State):
    """The product manager's key: backend-only (a leading underscore), so it never reaches the browser."""

    _key: str = ""
    sign_in_error: str = ""
    sign_in_prompt: str = ""
    signed_in: bool = False

    @rx.event
    def open_sign_in(self) -> None:
        self.sign_in_prompt = "Use your own product manager API key. It stays on the designer's server."

    async def api(self, method: str, path: str, **options: Any) -> Answer:
        # The key is held by this root state; the pages' states are its substates.
        session = self if type(self) is Session else await self.get_state(Session)
        return await call(method, path, session._key or default_key(), **options)

    @rx.event
    async def sign_in(self, form_data: dict[str, Any]) -> Any:
        candidate = str(form_data.get("key", "")).strip()
        answer = await call("GET", "/api/v1/drafts", candidate)
        if not answer.ok:
            self.sign_in_error = f"This key cannot manage the catalog: {answer.message}"
            return None
        self._key, self.sign_in_error, self.signed_in = candidate, "", True
        return rx.redirect("/")


class CatalogState(Session):
    query: str = ""
    lifecycle: str = ""
    segment: str = ""
    channel: str = ""
    category: str = ""
    release: str = ""
    offerings: list[dict[str, str]] = []
    releases: list[dict[str, str]] = []
    drafts: list[dict[str, str]] = []
    error: str = ""

    @rx.event
    def set_filter(self, name: str, value: str) -> Any:
        setattr(self, name, value)
        return CatalogState.search

    @rx.event
    async def search(self) -> None:
        filters = {
            "q": self.query,
            "lifecycleStatus": self.lifecycle,
            "segment": self.segment,
            "channel": self.channel,
            "category": self.category,
            "release": self.release,
        }
        answer = await self.api(
            "GET", "/api/v1/designer/offerings", params={k: v for k, v in filters.items() if v}
        )
        if not answer.ok:
            self.error = f"The catalog could not be listed: {answer.message}"
            return
        self.error = ""
        self.offerings = [_offering_row(o) for o in answer.body.get("offerings", [])]
        self.releases = [_release_row(r) for r in answer.body.get("releases", [])]
        drafts = await self.api("GET", "/api/v1/drafts")
        if drafts.ok:
            self.drafts = [
                {
                    k: str(d.get(k) or "")
                    for k in ("kind", "id", "version", "name", "lifecycleStatus", "updatedBy")
                }
                for d in drafts.body
            ]


def _offering_row(offering: dict[str, Any]) -> dict[str, str]:
    def joined(name: str) -> str:
        return ", ".join(str(v) for v in offering.get(name) or [])

    return {
        "id": str(offering.get("id", "")),
        "version": str(offering.get("version", "")),
        "name": str(offering.get("name", "")),
        "lifecycleStatus": str(offering.get("lifecycleStatus", "")),
        "segments": joined("segments"),
        "channels": joined("channels"),
        "categories": joined("categories"),
        "bundle": "bundle" if offering.get("isBundle") else "",
        "source": str(offering.get("source", "")),
        "release": str(offering.get("release") or ""),
    }


def _release_row(release: dict[str, Any]) -> dict[str, str]:
    status = (
        "in effect" if release.get("inEffect") else "scheduled" if release.get("scheduled") else "superseded"
    )
    return {
        "id": str(release.get("id", "")),
        "effectiveDate": str(release.get("effectiveDate", "")),
        "status": status,
    }
