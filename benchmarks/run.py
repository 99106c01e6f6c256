"""Run every benchmark (benchmarks/bench_*.py) in one process and print their tables.

make bench                       # all of them
python benchmarks/run.py core    # only bench_core.py
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    wanted = [n for n in names if not argv or n.removeprefix("bench_") in argv]
    failed = []
    for name in wanted:
        module = importlib.import_module(name)
        ok = module.main()
        if ok is False:
            failed.append(name)
    if failed:
        print(f"\ntargets missed in: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
