"""``wfscore history DIR`` and ``wfscore restore DIR VERSION``: the record of the desk's
decisions (:mod:`wfscore.review.decisions`) from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import inert

LOG = "decisions.csv"    # as wfscore.review.decisions.LOG (a test keeps them equal)
HISTORY = ".history"     # as wfscore.review.decisions.HISTORY


def _print_history(folder: Path) -> None:
    import pandas as pd

    from wfscore.review.decisions import HISTORY, LOG, history, read_log, replay

    log = history(folder)
    if log.empty:
        print(f"{folder}: no decisions recorded yet ({LOG} is absent or empty)")
        return
    table = log[["id", "time", "reviewer", "action", "file", "row", "dept_id", "field", "old_value", "new_value",
                 "status", "version", "comment"]].copy()
    table["time"] = table["time"].str.slice(0, 19).str.replace("T", " ")
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 250,
                           "display.max_rows", None, "display.max_colwidth", 60):
        print(inert(table.to_string(index=False)))
    last = replay(read_log(folder)).last()
    print()
    if last is not None:
        print(f"last decision in force: {inert(last)}; `wfscore restore {folder} last` undoes it")
    print(f"`wfscore restore {folder} VERSION` puts back a file as it was in that version "
          f"(the versions are kept in {folder / HISTORY})")


def cmd_history(args) -> int:
    from wfscore.review.decisions import DecisionError, workbook_of

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder (expected a year's data folder)", file=sys.stderr)
        return 1
    book = workbook_of(folder)
    if book:
        print(f"{folder} holds its tables in the workbook {book}; the adjustments desk edits CSV year folders "
              "only, so it has no decisions or versions")
        return 0
    try:
        _print_history(folder)
    except DecisionError as exc:
        print(f"error: {inert(exc)}", file=sys.stderr)
        return 1
    return 0


def cmd_restore(args) -> int:
    from wfscore.review.decisions import LOG, DecisionError, restore, undo_last

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder (expected a year's data folder)", file=sys.stderr)
        return 1
    try:
        if args.version == "last":
            saved = undo_last(folder, reviewer=args.reviewer, comment=args.comment)
            what = f"undid decision {saved.entry['ref']} ({saved.file} line {saved.entry['row']}, " \
                   f"{saved.entry['field']} {saved.entry['old_value']} → {saved.entry['new_value']})"
        else:
            saved = restore(folder, args.version, reviewer=args.reviewer, comment=args.comment)
            what = f"restored {saved.file} to version {args.version}"
    except DecisionError as exc:
        print(f"error: {inert(exc)}", file=sys.stderr)
        return 1
    kept = saved.entry["version"]
    print(f"{inert(what)}; recorded as entry {saved.entry['id']} of {folder / LOG}"
          + (f"; the replaced file is kept as version {kept}" if kept else "; no file changed"))
    return 0


def _reviewer() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name from the system: ask for --reviewer
        return ""


def add_history_command(subparsers) -> None:
    p = subparsers.add_parser(
        "history", help="list a year's recorded decisions and the file versions kept",
        description=f"List every entry of DIR/{LOG} (decisions made with the adjustments desk, undos, "
                    "restores), whether each decision is in force, and the version of the file it replaced "
                    f"(kept under DIR/{HISTORY}).")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.set_defaults(run=cmd_history)


def add_restore_command(subparsers) -> None:
    p = subparsers.add_parser(
        "restore", help="undo the last decision, or put back an earlier version of a file",
        description="Put back a version of a table file that `wfscore history DIR` lists (the decisions "
                    "made on that file since are no longer in force), or with VERSION 'last' undo the last "
                    "decision in force. The file replaced is kept as a version, and the restore is recorded "
                    f"in DIR/{LOG}.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.add_argument("version", metavar="VERSION", help="a version name from `wfscore history DIR`, or 'last'")
    p.add_argument("--reviewer", default=_reviewer(), help="who restores (default: the login name)")
    p.add_argument("--comment", default="", help="why, recorded in decisions.csv")
    p.set_defaults(run=cmd_restore)
