"""`switchboard quote`: qualify and price a cart against a release, with the explanation trace."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.diff import diff_releases
from engine.eligibility import EligibilityEngine, QualificationResult
from engine.facts import parse_request
from engine.pricing import Quote, quote
from engine.spec.located import parse_source
from engine.spec.release import CatalogRelease
from engine.validation.pipeline import validate_catalog
from runtime.render import render_qualification, render_quote

SAMPLE_CATALOG = Path(__file__).resolve().parent.parent / "catalog_specs"
DEMO_REQUEST = SAMPLE_CATALOG / "requests" / "converged-bundle.yaml"


def register(commands: Any) -> None:
    command = commands.add_parser("quote", help="qualify and price a cart, with the explanation trace")
    command.add_argument("release", type=Path, metavar="RELEASE", help="a release folder")
    command.add_argument("--request", type=Path, required=True, help="YAML or JSON request (see docs)")
    command.add_argument("--json", action="store_true", help="print JSON instead of text")
    command.add_argument("--no-trace", action="store_true", help="leave the explanation trace out")
    command.set_defaults(handler=run_quote)


def _read_request(path: Path) -> dict[str, Any]:
    # The located parser keeps decimals exact (no float round trip) and reports syntax errors with lines.
    parsed = parse_source(str(path), path.read_text(encoding="utf-8"))
    if parsed.errors:
        raise SystemExit("\n".join(str(e) for e in parsed.errors))
    if len(parsed.documents) != 1 or not isinstance(parsed.documents[0].data, dict):
        raise SystemExit(f"{path}: expected one request object")
    data: dict[str, Any] = parsed.documents[0].data
    return data


def _load(path: Path) -> CatalogRelease:
    result = validate_catalog([path], run_example_checks=False)
    release = result.release(path)
    if not result.ok or release is None:
        for error in result.report:
            print(error, file=sys.stderr)
        raise SystemExit(f"{path}: the release does not validate")
    return release


def price_cart(release: CatalogRelease, request_data: dict[str, Any]) -> tuple[QualificationResult, Quote]:
    request = parse_request(request_data)
    with EligibilityEngine(release) as engine:
        qualification = engine.qualify(request)
    return qualification, quote(release, request)


def run_quote(args: argparse.Namespace) -> int:
    release = _load(args.release)
    qualification, priced = price_cart(release, _read_request(args.request))
    if args.json:
        print(json.dumps({"qualification": qualification.to_dict(), "quote": priced.to_dict()}, indent=2))
    else:
        print(render_qualification(qualification))
        print(render_quote(priced, with_trace=not args.no_trace))
    return 0


def demo(args: argparse.Namespace) -> int:
    """What `make run` shows until the API lands: validate, diff, and price a converged bundle."""
    old, new = SAMPLE_CATALOG / "2026.1", SAMPLE_CATALOG / "2026.2"
    result = validate_catalog([old, new])
    for error in result.report:
        print(error, file=sys.stderr)
    passed = sum(1 for outcome in result.examples if outcome.passed)
    print(f"== validate {old.name} {new.name}: {'valid' if result.ok else 'INVALID'}")
    for release in result.releases:
        print(
            f"   release {release.id}: {len(release.entities)} entity versions, hash {release.contentHash[:16]}"
        )
    print(f"   examples: {passed}/{len(result.examples)} passed")
    old_release, new_release = result.release(old), result.release(new)
    if not result.ok or old_release is None or new_release is None:
        return 1
    print(f"\n== diff {old.name} -> {new.name}")
    print(diff_releases(old_release, new_release).to_text())
    print(f"\n== quote {DEMO_REQUEST.relative_to(SAMPLE_CATALOG.parent)} against {new.name}")
    qualification, priced = price_cart(new_release, _read_request(DEMO_REQUEST))
    print(render_qualification(qualification))
    print(render_quote(priced, with_trace=True))
    return 0
