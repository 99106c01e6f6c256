"""``wfscore report DIR`` and ``wfscore report --all DIR`` (:mod:`wfscore.publish.report`,
:mod:`wfscore.publish.report_all`)."""

from __future__ import annotations

import gc
import sys

from wfscore.cli.common import inert, print_problems
from wfscore.inputs.wording import LANGS


def cmd_report(args) -> int:
    from wfscore.inputs.output import OutputError
    from wfscore.inputs.problems import InputError
    from wfscore.publish.report import OUTPUTS, ReportError, UsageError, build

    if args.out is not None and not args.out.strip():
        print(f"error: --out {args.out!r} is not a folder name (expected a folder such as reports/2011)",
              file=sys.stderr)
        return 2
    if args.all:  # every year of a folder of years, then the trends report (wfscore.publish.report_all)
        return cmd_all(args)
    try:
        built = build(args.dir, args.out, lang=args.lang, progress=sys.stderr.isatty())
    except InputError as exc:
        print_problems(exc.problems, args.dir, sys.stderr)
        print("no report was written", file=sys.stderr)
        return 1
    except ReportError as exc:
        print(f"error: {inert(exc)}", file=sys.stderr)
        print("no report was written; any previous report is unchanged", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except OutputError as exc:
        print(f"error: {inert(exc)}", file=sys.stderr)
        print("no report was written; any previous report is unchanged", file=sys.stderr)
        return exc.status
    for p in built.warnings:
        print(f"warning: {inert(p)}", file=sys.stderr)
    print(f"wrote the {built.year} report: " + ", ".join(str(built.folder / name) for name in OUTPUTS),
          file=sys.stderr)
    # The command ends here. Objects alive now are left to the operating system instead of
    # being searched for cycles at exit: a quarter of a second with pandas and
    # nbconvert loaded. (Everything written is closed; reference counting still runs.)
    gc.freeze()
    return 0


def add_command(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="build the annual report (HTML, Excel, executed notebook)",
        description="Run the annual report notebook on DIR with papermill and write report.html "
                    "(self-contained, code hidden), report.ipynb (the executed notebook) and "
                    "results.xlsx into --out (default reports/<year>/). The folder is replaced only "
                    "when every step succeeded; on failure nothing is written and the failed cell "
                    "is named.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011 (with --all: the folder "
                                              "holding one folder per year, e.g. data)")
    p.add_argument("--out", metavar="DIR", help="the report folder (default reports/<year>/; with --all the "
                                                "folder of all reports, default reports/)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the report (default zh)")
    p.add_argument("--all", action="store_true",
                   help="build the report of every year folder of DIR (named by the year, e.g. data/2011) in "
                        "parallel processes, then the trends report into <out>/trends/")
    p.add_argument("--jobs", type=int, metavar="N", default=None,
                   help="with --all: how many years to build at once (default: the number of CPUs)")
    p.set_defaults(run=cmd_report)


def cmd_all(args) -> int:
    """``wfscore report --all DIR``: print one line per year and one for the trends report."""
    from wfscore.inputs.output import OutputError
    from wfscore.publish.report import ReportError, UsageError
    from wfscore.publish.report_all import TRENDS_OUTPUTS, build_all

    progress = sys.stderr.isatty()
    try:
        result = build_all(args.dir, args.out, lang=args.lang, jobs=args.jobs, progress=progress)
    except ReportError as exc:
        print(f"error: {inert(exc)}", file=sys.stderr)
        print("no report was written", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except OutputError as exc:
        print(f"error: {inert(exc)}", file=sys.stderr)
        print("no report was written", file=sys.stderr)
        return exc.status
    for y in result.years:
        if y.ok:
            note = f" ({y.warnings} warning{'s' * (y.warnings != 1)})" if y.warnings else ""
            print(f"{y.year}: wrote {y.folder}{note}", file=sys.stderr)
        else:
            print(f"{y.year}: FAILED ({y.source}): {inert(y.reason)}", file=sys.stderr)
            for line in y.details:
                print(f"  error: {inert(line)}", file=sys.stderr)
            print(f"  the {y.year} report was not written; any previous one is unchanged", file=sys.stderr)
    if result.trends_folder is not None:
        span = f"{result.trends_years[0]}–{result.trends_years[-1]}"
        print(f"trends {span}: wrote " + ", ".join(str(result.trends_folder / n) for n in TRENDS_OUTPUTS),
              file=sys.stderr)
    elif result.trends_failure is not None:
        print(f"trends: FAILED: {inert(result.trends_failure)}", file=sys.stderr)
    else:
        print(f"trends: {result.trends_skipped}", file=sys.stderr)
    failed = [str(y.year) for y in result.years if not y.ok]
    if failed:
        print(f"{len(failed)} of {len(result.years)} years failed: {', '.join(failed)}", file=sys.stderr)
    gc.freeze()  # as `wfscore report`: no cycle search over everything loaded at exit
    return 0 if result.ok else 1
