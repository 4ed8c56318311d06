"""Makes the shared hypothesis strategies of these tests importable as `condition_strategies`."""

import sys
from pathlib import Path

# The test tree is not a package (pytest runs with --import-mode=importlib): put this folder on the path once.
sys.path.insert(0, str(Path(__file__).parent))
