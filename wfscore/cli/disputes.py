"""``wfscore disputes DIR``: the year's dispute register (:mod:`wfscore.review.disputes`)
from the command line: list it, open a dispute, decide one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

KINDS = ("value", "rating", "exemption", "achievement", "incident")  # as wfscore.review.disputes.KINDS
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _inert(text) -> str:
    """Text for the terminal: control characters (escape sequences) shown as spaces."""
    return _CONTROL.sub(" ", str(text))


def add_command(sub) -> None:
    p = sub.add_parser(
        "disputes", help="list the year's disputes (disputes.csv), open one, or decide one",
        description="List the disputes of a year folder (disputes.csv: id, department, item, claim, state "
                    "open/upheld/rejected, reply). With --open, register a new dispute; with --uphold or "
                    "--reject, decide one (upholding writes the corrected cell through the desk's logged, "
                    "undoable decisions).")
    p.add_argument("dir", help="the year's data folder")
    p.add_argument("--dept", help="only this department's disputes (with --open: the department disputing)")
    p.add_argument("--state", choices=("open", "upheld", "rejected"), help="only disputes in this state")
    p.add_argument("--open", choices=KINDS, metavar="KIND",
                   help=f"open a dispute of this kind ({', '.join(KINDS)}); needs --dept and --claim")
    p.add_argument("--indicator", default="", help="the indicator (value, rating)")
    p.add_argument("--expert", default="", help="the expert (rating)")
    p.add_argument("--row", default="", help="the row of exemptions/achievements/incidents.csv (line number)")
    p.add_argument("--claim", default="", help="what the department claims")
    p.add_argument("--evidence", default="", help="the evidence's reference")
    p.add_argument("--uphold", type=int, metavar="ID", help="uphold dispute ID (with --corrected, --reply)")
    p.add_argument("--reject", type=int, metavar="ID", help="reject dispute ID (with --reply)")
    p.add_argument("--undo", type=int, metavar="ID",
                   help="take back upheld dispute ID (its decision must be the last in force; with --reviewer)")
    p.add_argument("--corrected", default=None, help="the corrected value or rating (when upholding)")
    p.add_argument("--reply", default="", help="the reply to the department (when deciding)")
    p.add_argument("--reviewer", default="", help="who decides (when deciding)")
    p.set_defaults(run=cmd_disputes)


def _print(frame, folder: Path) -> None:
    import pandas as pd

    if frame.empty:
        print(f"{folder}: no disputes")
        return
    table = frame[["id", "dept_id", "kind", "indicator", "expert", "row", "state", "claim", "evidence", "corrected",
                   "reply", "decided_by", "opened", "decided"]].copy()
    for column in ("opened", "decided"):
        table[column] = table[column].str.slice(0, 19).str.replace("T", " ")
    table = table.map(_inert)
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 250,
                           "display.max_rows", None, "display.max_colwidth", 50):
        print(table.to_string(index=False))
    counts = frame["state"].value_counts()
    print(f"\n{len(frame)} disputes: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("open", "upheld", "rejected")))


def cmd_disputes(args) -> int:
    from wfscore.inputs.problems import InputError
    from wfscore.review import disputes
    from wfscore.review.decisions import DecisionError

    from wfscore.cli.common import print_problems

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder (expected a year's data folder)", file=sys.stderr)
        return 1
    if sum(x is not None for x in (args.open, args.uphold, args.reject, args.undo)) > 1:
        print("error: --open, --uphold, --reject and --undo are one at a time", file=sys.stderr)
        return 2
    try:
        if args.open:
            if not args.dept:
                print("error: --open needs --dept (the department disputing)", file=sys.stderr)
                return 2
            entry = disputes.open_dispute(folder, args.dept, args.open, claim=args.claim, evidence=args.evidence,
                                          indicator=args.indicator, expert=args.expert, row=args.row)
            print(f"opened dispute {entry['id']} ({folder / disputes.FILE})")
            return 0
        if args.uphold is not None:
            saved, row = disputes.uphold(folder, args.uphold, corrected=args.corrected, reply=args.reply,
                                         reviewer=args.reviewer)
            print(f"upheld dispute {row['id']}: {saved.file} line {saved.entry['row']} {saved.entry['field']} "
                  f"{_inert(saved.entry['old_value'])} -> {_inert(saved.entry['new_value'])} "
                  f"(decision {saved.entry['id']}; `wfscore disputes {folder} --undo {row['id']} --reviewer NAME` "
                  "takes it back)")
            return 0
        if args.reject is not None:
            row = disputes.reject(folder, args.reject, reply=args.reply, reviewer=args.reviewer)
            print(f"rejected dispute {row['id']}; no table changed")
            return 0
        if args.undo is not None:
            saved, row = disputes.undo(folder, args.undo, reviewer=args.reviewer)
            print(f"dispute {row['id']} is open again; {saved.file} is back as it was (decision {saved.entry['ref']} "
                  "undone)")
            return 0
        frame = disputes.read_register(folder)
    except InputError as exc:
        print_problems(exc.problems, str(folder), sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    except DecisionError as exc:
        print(f"error: {_inert(exc)}; nothing was written", file=sys.stderr)
        return 1
    if args.dept:
        frame = frame[frame["dept_id"] == args.dept]
    if args.state:
        frame = frame[frame["state"] == args.state]
    _print(frame, folder)
    for ident in disputes.undone_elsewhere(folder, frame):
        print(f"warning: dispute {ident} is upheld but its decision is no longer in force (undone or restored "
              "with `wfscore restore`): its correction does not count", file=sys.stderr)
    return 0
