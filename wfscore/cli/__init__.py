"""The ``wfscore`` command line (SPEC §7): the top of the package, which nothing imports.

Exit status: 0 on success, 1 when the inputs have errors (every error is
printed, nothing is written), 2 for a usage error.

One module per group of commands; each registers its sub-commands and imports the
library only when a command runs, so that ``wfscore --help`` imports almost
nothing and ``wfscore score`` no more than scoring needs (``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import argparse

from wfscore.cli import cards, coherence, collect, disputes, history, report, scoring, sensitivity


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wfscore")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked for (reading the
    package metadata imports more than all of ``--help``)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="show the version and exit"):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"wfscore {_version()}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="wfscore",
        description="Score and rank departments on a published points scheme "
                    "(潍坊市直部门信息化工作绩效考核). See README.md and SPEC.md.",
    )
    main.add_argument("--version", action=_Version)
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scoring.add_commands(sub)
    report.add_command(sub)
    sensitivity.add_command(sub)
    history.add_history_command(sub)
    history.add_restore_command(sub)
    collect.add_commands(sub)
    coherence.add_command(sub)
    disputes.add_command(sub)
    cards.add_command(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except OSError as exc:  # a command's own checks name their files; this is the last resort
        import sys

        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}; the command stopped", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
