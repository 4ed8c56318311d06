"""In-process engine benchmark: validate + compile a 500-offering catalog, then qualify and quote
10,000 random customers with carts of 1 to 5 items. Prints p50/p99 latency and peak memory.

Run: `make bench` or `.venv/bin/python -m benchmarks.engine_bench [--requests N] [--offerings N]`.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks.catalog_gen import generate
from engine.eligibility import EligibilityEngine
from engine.errors import EngineError
from engine.examples import run_examples
from engine.facts import (
    AccountProfile,
    CartItem,
    CustomerProfile,
    EvaluationRequest,
    InstallationAddress,
    InventoryItem,
    SalesContext,
)
from engine.pricing import quote
from engine.spec.common import LifecycleStatus
from engine.spec.loader import load_release
from engine.spec.product import ProductOffering
from engine.spec.release import CatalogRelease
from engine.validation.semantic import check_release

CHANNELS = ("web", "app", "retail", "callcentre", "partner")
SEGMENTS = ("residential", "business", "enterprise")


def _random_request(rng: random.Random, offerings: list[str], day: date) -> EvaluationRequest:
    cart = tuple(
        CartItem(id=str(i + 1), productOffering=rng.choice(offerings)) for i in range(rng.randint(1, 5))
    )
    inventory = tuple(InventoryItem(rng.choice(offerings)) for _ in range(rng.randint(0, 2)))
    return EvaluationRequest(
        context=SalesContext(channel=rng.choice(CHANNELS), date=day + timedelta(days=rng.randint(0, 150))),
        customer=CustomerProfile(
            id=f"c{rng.randint(1, 10**6)}",
            segment=rng.choice(SEGMENTS),
            creditClass=rng.choice("ABCD"),
            ageYears=rng.randint(16, 90),
        ),
        account=AccountProfile(
            status=rng.choice(("active", "active", "active", "suspended")),
            outstandingBalance=Decimal(rng.choice(("0.00", "0.00", "0.00", "25.00", "250.00"))),
            tenureMonths=rng.randint(0, 120),
        ),
        address=InstallationAddress(
            country="NL",
            region=rng.choice(("NL-NH", "NL-ZH", "NL-UT")),
            fibreAvailable=rng.random() < 0.7,
            maxDownloadMbps=rng.choice((100, 500, 1000, 4000)),
            fiveGCoverage=rng.random() < 0.8,
        ),
        cart=cart,
        inventory=inventory,
    )


def _sellable(release: CatalogRelease) -> list[str]:
    sellable = {LifecycleStatus.active, LifecycleStatus.launched}
    return sorted({o.id for o in release.all(ProductOffering) if o.lifecycleStatus in sellable})


def _load_and_compile(folder: Path) -> tuple[CatalogRelease, EligibilityEngine, dict[str, float]]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    loaded = load_release(folder)
    timings["load + schema"] = time.perf_counter() - started
    if loaded.release is None:
        raise SystemExit(f"generated catalog does not load:\n{loaded.report}")
    mark = time.perf_counter()
    errors = check_release(loaded.release)
    timings["semantic checks"] = time.perf_counter() - mark
    if errors:
        raise SystemExit("generated catalog has semantic errors:\n" + "\n".join(map(str, errors)))
    mark = time.perf_counter()
    engine = EligibilityEngine(loaded.release)
    timings["compile rules"] = time.perf_counter() - mark
    mark = time.perf_counter()
    failed = [o for o in run_examples(loaded.release, engine.qualify) if not o.passed]
    timings["run every example"] = time.perf_counter() - mark
    if failed:
        raise SystemExit(f"{len(failed)} examples of the generated catalog fail")
    return loaded.release, engine, timings


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(requests: int, offerings: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        count = generate(Path(tmp), offerings)
        release, engine, timings = _load_and_compile(Path(tmp))
    rng = random.Random(seed)
    ids = _sellable(release)
    start_day = release.effectiveDate.date()
    batch = [_random_request(rng, ids, start_day) for _ in range(requests)]
    latencies: list[float] = []
    refused = 0
    outcomes: dict[str, int] = {}
    with engine:
        began = time.perf_counter()
        for request in batch:
            t0 = time.perf_counter()
            try:
                result = engine.qualify(request)
                quote(release, request)
                outcomes[result.qualificationResult.value] = (
                    outcomes.get(result.qualificationResult.value, 0) + 1
                )
            except EngineError:
                refused += 1
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"catalog: {count} offerings, {len(release.entities)} entity versions")
    for stage, seconds in timings.items():
        print(f"  {stage}: {seconds:.3f} s")
    print(f"validate + compile, examples included: {sum(timings.values()):.3f} s (target <= 2 s)")
    print(
        f"requests: {requests} (qualify + quote, carts of 1-5 items), {elapsed:.2f} s, {requests / elapsed:.0f} req/s"
    )
    print(f"outcomes: {dict(sorted(outcomes.items()))}, refused with an engine error: {refused}")
    print(f"latency p50: {_percentile(latencies, 0.50) * 1000:.3f} ms (target <= 2 ms)")
    print(f"latency p99: {_percentile(latencies, 0.99) * 1000:.3f} ms (target <= 10 ms)")
    print(f"latency mean: {statistics.fmean(latencies) * 1000:.3f} ms, max {max(latencies) * 1000:.3f} ms")
    print(f"peak RSS: {peak_mb:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--offerings", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    run(args.requests, args.offerings, args.seed)


if __name__ == "__main__":
    main()
