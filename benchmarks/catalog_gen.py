"""Generate a large catalog release from the sample one, keeping its rule and price shapes.

Every offering, price and eligibility policy of the sample release is cloned under new ids (`-g3`), with
every reference inside the clones (bundles, relationships, prices, alterations, rule values, examples)
rewritten to the clone's ids. Specifications, services, flows, categories and tax stay shared, as in a
real catalog where many offerings sell the same products.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.spec.canonical import canonical_json
from engine.spec.located import parse_source

SAMPLE = Path(__file__).resolve().parent.parent / "catalog_specs" / "2026.1"
CLONED_KINDS = frozenset({"ProductOffering", "ProductOfferingPrice", "EligibilityPolicy"})
# Fields that name a shared (not cloned) entity: an id there may equal a cloned id of another kind.
SHARED_REFERENCES = frozenset({"productSpecification", "orderFlow", "category", "serviceSpecification"})


def _documents(release: Path) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for file in sorted(release.rglob("*")):
        if file.suffix in {".yaml", ".yml", ".json"}:
            parsed = parse_source(str(file), file.read_text(encoding="utf-8"))
            if parsed.errors:
                raise SystemExit(f"{file}: the sample release does not parse: {parsed.errors[0]}")
            documents.extend(d.data for d in parsed.documents)
    return documents


def _rename(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_rename(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: v if k in SHARED_REFERENCES else _rename(v, ids) for k, v in value.items()}
    return value


def _clone(documents: Iterable[dict[str, Any]], suffix: str) -> list[dict[str, Any]]:
    cloned = [d for d in documents if d["kind"] in CLONED_KINDS]
    ids = {d["metadata"]["id"]: f"{d['metadata']['id']}{suffix}" for d in cloned}
    return [_rename(d, ids) for d in cloned]


def generate(target: Path, offerings: int, sample: Path = SAMPLE) -> int:
    """Write a release of at least `offerings` offerings to `target`; return how many it has."""
    documents = _documents(sample)
    per_copy = sum(1 for d in documents if d["kind"] == "ProductOffering")
    copies = max(0, math.ceil(offerings / per_copy) - 1)
    everything = list(documents)
    for n in range(1, copies + 1):
        everything.extend(_clone(documents, f"-g{n}"))
    target.mkdir(parents=True, exist_ok=True)
    for index, document in enumerate(everything):
        name = f"{index:05d}-{document['kind']}-{document['metadata']['id']}.json"
        (target / name).write_text(canonical_json(document), encoding="utf-8")
    return per_copy * (copies + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--offerings", type=int, default=500)
    args = parser.parse_args()
    count = generate(args.target, args.offerings)
    print(f"wrote a release of {count} offerings to {args.target}")


if __name__ == "__main__":
    main()
