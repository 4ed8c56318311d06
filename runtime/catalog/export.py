"""Writing a stored release back as spec files.

Each document is written as the canonical JSON it is stored as (one line and a newline), so importing the
folder again gives the same digests and the same contentHash, byte for byte. The layout is the sample
catalog's: `release.json`, then one folder per kind and one file per entity version,
`offerings/fibre-500@2.json`. A version that is not a plain file name (the spec language allows any
string) is named by its digest instead, so no version can write outside the folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from engine.spec.common import Kind
from runtime.api.errors import Conflict
from runtime.catalog.publishing import StoredDocument

FOLDERS = {
    Kind.Category: "categories",
    Kind.ProductSpecification: "specifications/products",
    Kind.ServiceSpecification: "specifications/services",
    Kind.ProductOffering: "offerings",
    Kind.ProductOfferingPrice: "prices",
    Kind.EligibilityPolicy: "policies",
    Kind.OrderFlow: "flows",
    Kind.TaxTable: "tax",
}
_PLAIN_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}$")


@dataclass(frozen=True, slots=True)
class ExportedFile:
    path: PurePosixPath  # relative to the release folder
    text: str


def export_files(documents: Sequence[StoredDocument]) -> list[ExportedFile]:
    files: list[ExportedFile] = []
    taken: set[str] = set()
    for document in documents:
        path = _path(document)
        if path.as_posix().lower() in taken:  # case-insensitive file systems too
            path = path.with_name(f"{document.entity_id}@{document.digest[:16]}.json")
        taken.add(path.as_posix().lower())
        files.append(ExportedFile(path, document.text + "\n"))
    return files


def _path(document: StoredDocument) -> PurePosixPath:
    if document.kind is Kind.CatalogRelease:
        return PurePosixPath("release.json")
    name = document.entity_id if _PLAIN_NAME.match(document.entity_id) else document.digest[:16]
    version = document.version if _PLAIN_NAME.match(document.version.lower()) else document.digest[:16]
    return PurePosixPath(FOLDERS[document.kind]) / f"{name}@{version}.json"


def write_release(files: Sequence[ExportedFile], directory: Path) -> None:
    """Write the files under `directory`, which must be empty or not exist: a release folder holds one
    release, and a file left over from another would be imported with it."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise Conflict(f"{directory} is not an empty folder", code="EXPORT_TARGET_NOT_EMPTY")
    for file in files:
        target = directory.joinpath(*file.path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, encoding="utf-8", newline="\n")
