"""The designer app: pages and their loaders. Run it with `switchboard designer`."""

from __future__ import annotations

import reflex as rx

from designer.editor_state import EditorState
from designer.opening import open_offering
from designer.pages.catalog import catalog_page, sign_in_page
from designer.pages.editor import editor_page
from designer.state import CatalogState, Session


class OpenState(EditorState):
    @rx.event
    async def open_from_route(self) -> None:
        editor = await self.get_state(EditorState)
        await open_offering(editor, str(self.router.page.params.get("offering_id", "")))


app = rx.App()
app.add_page(catalog_page, route="/", title="Designer: catalog", on_load=CatalogState.search)
app.add_page(sign_in_page, route="/signin", title="Designer: sign in", on_load=Session.open_sign_in)
app.add_page(editor_page, route="/new", title="Designer: new offering", on_load=EditorState.new_offering)
app.add_page(
    editor_page,
    route="/offering/[offering_id]",
    title="Designer: offering",
    on_load=OpenState.open_from_route,
)
