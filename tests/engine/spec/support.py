"""Shared by the loader tests: where the minimal release is, and a valid release manifest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.spec.loader import LoadResult

MINIMAL = Path(__file__).resolve().parents[2] / "fixtures" / "spec" / "minimal"

RELEASE_YAML = """\
apiVersion: switchboard.io/v1
kind: CatalogRelease
metadata: {id: "2026.1", version: "1"}
spec: {name: Test, effectiveDate: "2026-01-01T00:00:00Z"}
"""

LoadTexts = Callable[..., LoadResult]
