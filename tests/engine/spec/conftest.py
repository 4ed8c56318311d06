"""Fixtures for the loader tests: the minimal valid release, and loading texts from memory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from engine.spec.loader import LoadResult, SourceDocument, load_documents
from tests.engine.spec.support import MINIMAL, RELEASE_YAML, LoadTexts


@pytest.fixture
def minimal_path() -> Path:
    return MINIMAL


@pytest.fixture
def load_texts() -> LoadTexts:
    """`load_texts(text)` or `load_texts({file: text})`: a release of these texts plus a valid release.yaml."""

    def load(texts: str | Mapping[str, str], with_release: bool = True) -> LoadResult:
        files = {"doc.yaml": texts} if isinstance(texts, str) else texts
        documents = [SourceDocument(name, text) for name, text in files.items()]
        if with_release:
            documents.insert(0, SourceDocument("release.yaml", RELEASE_YAML))
        return load_documents(documents)

    return load
