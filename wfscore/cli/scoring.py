"""``wfscore validate``, ``wfscore score`` and ``wfscore explain`` (SPEC §7)."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import inert, load, print_problems
from wfscore.inputs.wording import LANGS


def cmd_validate(args) -> int:
    from wfscore.inputs.loading import validate

    problems = validate(args.dir)
    print_problems(problems, args.dir, sys.stdout)
    return 1 if any(p.is_error for p in problems) else 0


def cmd_score(args) -> int:
    from wfscore.engine.pipeline import score
    from wfscore.inputs.output import OutputError, check_targets, staged, write_csv

    try:  # before anything is read: a wrong --out is a usage error
        targets = check_targets({"--out": args.out, "--detail": args.detail}, reads=[args.dir])
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    data = load(args.dir)
    if data is None:
        return 1
    result = score(data)
    try:
        with staged(*targets) as paths:
            write_csv(result.ranking, paths[0], encoding=args.encoding)
            if args.detail:
                write_csv(result.detail(args.lang), paths[1], encoding=args.encoding)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    for p in data.warnings:
        print(f"warning: {inert(str(p))}", file=sys.stderr)
    print(f"scored {len(result.total)} departments of {args.dir}: wrote "
          + ", ".join(str(t) for t in targets), file=sys.stderr)
    return 0


def cmd_explain(args) -> int:
    from wfscore.engine.explain import explain
    from wfscore.engine.pipeline import score

    data = load(args.dir)
    if data is None:
        return 1
    result = score(data)
    try:
        text = explain(result, args.dept_id, lang=args.lang)
    except KeyError:
        known = ", ".join(data.dept_ids[:10]) + (", …" if len(data.dept_ids) > 10 else "")
        known = inert(known)
        print(f"error: no department {args.dept_id!r} in {data.sources['departments']} "
              f"(expected a dept_id such as {known})", file=sys.stderr)
        return 1
    print(inert(text))
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("validate", help="check a year's folder and print every error and warning",
                       description="Check DIR against SPEC §3–§6 and print every error and warning. "
                                   "Exit 0 when there are no errors, 1 when there are.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("score", help="score a year and write the results as CSV",
                       description="Score every department of DIR and write one row per department "
                                   "to --out (and one row per department and indicator to --detail). "
                                   "On invalid input print every error, write nothing and exit 1.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.add_argument("--out", required=True, metavar="FILE", help="results CSV, one row per department")
    p.add_argument("--detail", metavar="FILE", help="detail CSV, one row per department and indicator")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the detail notes (default zh)")
    p.add_argument("--encoding", choices=("utf-8-sig", "utf-8", "gb18030"), default="utf-8-sig",
                   help="encoding of the CSV files (default utf-8-sig: UTF-8 with a BOM, which Excel on a "
                        "Chinese-locale PC reads correctly)")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("explain", help="print one department's breakdown and adjustments",
                       description="Print where every point of one department came from: each "
                                   "indicator's value, base, weights and score, and every adjustment "
                                   "with its reason.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.add_argument("dept_id", metavar="DEPT_ID", help="the department's dept_id")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the labels (default zh)")
    p.set_defaults(run=cmd_explain)
