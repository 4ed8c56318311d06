"""`make bench`: every benchmark, one after the other, each printing its figures."""

from __future__ import annotations

import subprocess
import sys

# api_bench and order_bench last: they measure over HTTP against server processes (order_bench: the whole
# system, API, Temporal, worker and OSS simulator).
BENCHMARKS = (
    "benchmarks.engine_bench",
    "benchmarks.rules_memory",
    "benchmarks.api_bench",
    "benchmarks.order_bench",
)


def main() -> int:
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        status = subprocess.call([sys.executable, "-m", module])
        if status:
            return status
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
