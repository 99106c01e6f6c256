"""The ``wfscore`` command line (SPEC §7): the top of the package, which nothing imports.

Exit status: 0 on success, 1 when the inputs have errors (every error is
printed, nothing is written), 2 for a usage error.

One module per group of commands; each registers its sub-commands and imports the
library only when a command runs, so that ``wfscore --help`` imports almost
nothing and ``wfscore score`` no more than scoring needs (``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import argparse

from wfscore.cli import cards, history, report, scoring, sensitivity


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wfscore")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="wfscore",
        description="Score and rank departments on a published points scheme "
                    "(潍坊市直部门信息化工作绩效考核). See README.md and SPEC.md.",
    )
    main.add_argument("--version", action="version", version=f"wfscore {_version()}")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scoring.add_commands(sub)
    report.add_command(sub)
    sensitivity.add_command(sub)
    history.add_history_command(sub)
    history.add_restore_command(sub)
    cards.add_command(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
