#!/usr/bin/env python3
"""The benchmark, runnable without installing tracksite: `python3 scripts/bench.py --sizes 10,100`.

Same as `tracksite bench ...` (see scripts/tracksite/tools/bench/ and docs/benchmarks.md).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tracksite.commands.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--root", str(Path(__file__).resolve().parent.parent), "bench", *sys.argv[1:]]))
