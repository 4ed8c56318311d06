"""`make bench`: every benchmark, one after the other, each printing its figures."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ("benchmarks.engine_bench", "benchmarks.rules_memory")


def main() -> int:
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        status = subprocess.call([sys.executable, "-m", module])
        if status:
            return status
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
