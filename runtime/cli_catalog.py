"""`switchboard catalog ...`: validate, test, diff, facts, schema, hash."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import engine.spec
from engine.diff import diff_releases
from engine.facts import vocabulary
from engine.spec.common import Kind
from engine.validation.pipeline import CatalogValidation, validate_catalog
from runtime import cli_store

SCHEMA_DIR = Path(engine.spec.__file__).resolve().parent / "schemas"


def register(commands: Any) -> None:
    catalog = commands.add_parser("catalog", help="work with catalog releases (folders of spec files)")
    sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")

    validate = sub.add_parser("validate", help="check release folders: schema, semantics and examples")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("--no-examples", action="store_true", help="skip running the offerings' examples")
    validate.set_defaults(handler=run_validate)

    test = sub.add_parser("test", help="run every offering's examples and list each result")
    test.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    test.set_defaults(handler=run_test)

    diff = sub.add_parser("diff", help="what changed between two releases, breaking changes marked")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--json", action="store_true")
    diff.set_defaults(handler=run_diff)

    facts = sub.add_parser("facts", help="the fact vocabulary eligibility rules may use")
    facts.set_defaults(handler=run_facts)

    schema = sub.add_parser("schema", help="where the JSON Schemas are, or print one")
    schema.add_argument("kind", nargs="?", choices=[k.value for k in Kind])
    schema.set_defaults(handler=run_schema)

    cli_store.register(sub)


def _print_report(result: CatalogValidation) -> None:
    for error in result.report:
        print(error, file=sys.stderr)


def run_validate(args: argparse.Namespace) -> int:
    result = validate_catalog(args.paths, run_example_checks=not args.no_examples)
    _print_report(result)
    for release in result.releases:
        print(
            f"release {release.id}: {len(release.entities)} entity versions, contentHash {release.contentHash}"
        )
    if result.examples:
        passed = sum(1 for outcome in result.examples if outcome.passed)
        print(f"examples: {passed}/{len(result.examples)} passed")
    count = len(result.report.errors)
    print("valid" if result.ok else f"{count} error{'s' if count != 1 else ''}", file=sys.stderr)
    return 0 if result.ok else 1


def run_test(args: argparse.Namespace) -> int:
    result = validate_catalog(args.paths)
    for outcome in result.examples:
        status = "PASS" if outcome.passed else "FAIL"
        print(f"{status} {outcome.offering.id}@{outcome.offering.version}: {outcome.example.name}")
        for mismatch in outcome.mismatches:
            print(f"     {mismatch}")
    if not result.ok:
        _print_report(result)
        return 1
    return 0


def run_diff(args: argparse.Namespace) -> int:
    result = validate_catalog([args.old, args.new], run_example_checks=False)
    old, new = result.release(args.old), result.release(args.new)
    if old is None or new is None:
        _print_report(result)
        print("cannot diff: a release does not load", file=sys.stderr)
        return 1
    changes = diff_releases(old, new)
    print(json.dumps(changes.to_dict(), indent=2) if args.json else changes.to_text())
    return 0


def run_facts(args: argparse.Namespace) -> int:
    print(json.dumps(vocabulary(), indent=2))
    return 0


def run_schema(args: argparse.Namespace) -> int:
    if args.kind is None:
        print(f"JSON Schemas (2020-12): {SCHEMA_DIR}")
        for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
            print(f"  {path.name}")
        return 0
    print((SCHEMA_DIR / f"{args.kind}.schema.json").read_text(encoding="utf-8"))
    return 0
