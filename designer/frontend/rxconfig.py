"""Reflex configuration of the designer; `switchboard designer` runs Reflex from this folder."""

import reflex as rx

config = rx.Config(
    app_name="designer",
    app_module_import="designer.app",
    telemetry_enabled=False,
    backend_host="127.0.0.1",
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
