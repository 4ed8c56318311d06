"""Makes the shared release builders of these tests importable as `pricing_builders`."""

import sys
from pathlib import Path

# The test tree is not a package (pytest runs with --import-mode=importlib), so the builders' folder is put
# on the path once, here, instead of every module copying the same helpers.
sys.path.insert(0, str(Path(__file__).parent))
