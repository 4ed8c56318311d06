"""`make bench`: every benchmark, one after the other, each printing its figures."""

from __future__ import annotations

import subprocess
import sys

# api_bench last: it measures over HTTP against a server process, on SQLite and (when reachable) PostgreSQL.
BENCHMARKS = ("benchmarks.engine_bench", "benchmarks.rules_memory", "benchmarks.api_bench")


def main() -> int:
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        status = subprocess.call([sys.executable, "-m", module])
        if status:
            return status
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
