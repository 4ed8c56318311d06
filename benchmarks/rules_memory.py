"""Memory of the durable-rules adapter over a long run: evaluate one realistic ruleset N times (default
1,000,000) and print RSS at the start, after warm-up and at intervals, the growth in bytes per evaluation
after warm-up, and evaluations per second.

The ruleset is the sample catalog's Fibre 500 one, as eligibility compiles it (derived catalog rules and the
fibre serviceability policy, negated); the facts rotate through qualifying and failing customers so that
both the catch-all and the rule actions fire.

Run: `.venv/bin/python -m benchmarks.rules_memory [--evaluations N]`.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from engine.eligibility_facts import item_facts, moment, request_facts
from engine.eligibility_rules import CatalogIndex, catalog_rules, compile_item_rules, policy_rules
from engine.facts import (
    AccountProfile,
    CartItem,
    CustomerProfile,
    EvaluationRequest,
    InstallationAddress,
    InventoryItem,
    SalesContext,
)
from engine.rules.durable_adapter import RuleHost, RulesetHandle
from engine.rules.values import FactValue
from engine.spec.loader import load_release
from engine.spec.policy import EligibilityPolicy
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease

SAMPLE = Path(__file__).resolve().parent.parent / "catalog_specs" / "2026.1"
OFFERING = "fibre-500"
WARM_UP = 20_000
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


def _load_ruleset(host: RuleHost, release: CatalogRelease, day: date) -> RulesetHandle:
    offering = release.find(ProductOffering, OFFERING, moment(day))
    assert offering is not None and offering.eligibilityPolicy is not None
    policy = release.find(EligibilityPolicy, offering.eligibilityPolicy, moment(day))
    derived = catalog_rules(offering, CatalogIndex.of(release))
    return host.load(f"bench/{OFFERING}", compile_item_rules(derived, policy_rules(policy)))


def _fact_sets(release: CatalogRelease, day: date) -> list[Mapping[str, FactValue | None]]:
    """Customers that qualify, and customers that fail one to four rules."""
    base = EvaluationRequest(
        context=SalesContext("web", day),
        customer=CustomerProfile(segment="residential", creditClass="A", ageYears=34),
        account=AccountProfile(status="active", outstandingBalance=Decimal("0.00"), tenureMonths=18),
        address=InstallationAddress("NL", "NL-NH", True, 1000, True),
        cart=(CartItem("1", OFFERING),),
    )
    variants = [
        base,
        replace(base, address=InstallationAddress("NL", "NL-OV", True, 200, False)),
        replace(base, address=InstallationAddress("BE", "BE-VAN", False, 30, True)),
        replace(base, customer=CustomerProfile(segment="business", creditClass="D", ageYears=50)),
        replace(base, context=SalesContext("partner", day), inventory=(InventoryItem("fibre-100"),)),
        replace(
            base,
            account=AccountProfile(status="suspended", outstandingBalance=Decimal("12.5"), tenureMonths=1),
        ),
    ]
    return [{**request_facts(r, release), **item_facts(r, release, 0)} for r in variants]


def run(evaluations: int) -> None:
    loaded = load_release(SAMPLE)
    if loaded.release is None:
        raise SystemExit(f"the sample release does not load:\n{loaded.report}")
    day = date(2026, 3, 2)
    host = RuleHost()
    handle = _load_ruleset(host, loaded.release, day)
    fact_sets = _fact_sets(loaded.release, day)
    gc.collect()
    start = rss_bytes()
    print(f"ruleset: {len(handle.ruleIds)} rules; {len(fact_sets)} rotating fact sets")
    print(f"RSS at start: {start / 2**20:.1f} MB")
    warm_up = min(WARM_UP, evaluations)
    for n in range(warm_up):
        host.evaluate(handle, fact_sets[n % len(fact_sets)])
    gc.collect()
    after_warm_up = rss_bytes()
    print(f"RSS after {warm_up:,} warm-up evaluations: {after_warm_up / 2**20:.1f} MB")
    remaining = evaluations - warm_up
    interval = max(1, remaining // 10)
    began = time.perf_counter()
    for n in range(1, remaining + 1):
        host.evaluate(handle, fact_sets[n % len(fact_sets)])
        if n % interval == 0 or n == remaining:
            elapsed = time.perf_counter() - began
            print(
                f"  {warm_up + n:>10,} evaluations: RSS {rss_bytes() / 2**20:7.1f} MB, {n / elapsed:,.0f} evaluations/s"
            )
    elapsed = time.perf_counter() - began
    gc.collect()
    end = rss_bytes()
    host.unload(handle)
    growth = (end - after_warm_up) / remaining if remaining else 0.0
    print(f"RSS at end: {end / 2**20:.1f} MB")
    print(f"growth after warm-up: {end - after_warm_up:,} bytes = {growth:.2f} bytes per evaluation")
    print(f"throughput: {remaining / elapsed:,.0f} evaluations/s ({elapsed / remaining * 1e6:.1f} us each)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--evaluations", type=int, default=1_000_000)
    args = parser.parse_args()
    run(args.evaluations)


if __name__ == "__main__":
    main()
