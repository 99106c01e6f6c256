"""``wfscore history DIR`` and ``wfscore restore DIR VERSION``: the record of the desk's
decisions (:mod:`wfscore.review.decisions`) from the command line."""

from __future__ import annotations

from pathlib import Path

from wfscore.cli.common import error, inert, lang_option, message, say
from wfscore.inputs.i18n import NP_, _, pgettext

LOG = "decisions.csv"  # as wfscore.review.decisions.LOG (a test keeps them equal)
HISTORY = ".history"  # as wfscore.review.decisions.HISTORY
ACTIONS = ("decide", "undo", "restore")  # as the actions of wfscore.review.decisions
STATUSES = ("in force", "undone")
# the words of the listing, for the catalogue (said with pgettext(context, word))
_WORDS = (
    NP_("decision action", "decide"),
    NP_("decision action", "undo"),
    NP_("decision action", "restore"),
    NP_("decision status", "in force"),
    NP_("decision status", "undone"),
    NP_("history column", "id"),
    NP_("history column", "time"),
    NP_("history column", "reviewer"),
    NP_("history column", "action"),
    NP_("history column", "file"),
    NP_("history column", "row"),
    NP_("history column", "dept_id"),
    NP_("history column", "name"),
    NP_("history column", "change"),
    NP_("history column", "status"),
    NP_("history column", "version"),
    NP_("history column", "comment"),
    NP_("placeholder", "VERSION"),
)


HISTORY_COLUMNS = (
    "id",
    "time",
    "reviewer",
    "action",
    "file",
    "row",
    "dept_id",
    "name",
    "change",
    "status",
    "version",
    "comment",
)


def _print_history(folder: Path, ui: str) -> None:
    from wfscore.inputs.terminal import table
    from wfscore.review.decisions import HISTORY, LOG, change_text, comment_text, history, replay
    from wfscore.review.disputes import department_names

    log = history(folder)
    if log.empty:
        say(_("{folder}: no decisions recorded yet ({log} is absent or empty)").format(folder=folder, log=LOG))
        return
    names = department_names(folder)
    rows = []
    for e in log.to_dict("records"):
        e["time"] = str(e["time"])[:19].replace("T", " ")
        e["name"] = names.get(e["dept_id"], "")
        e["change"] = change_text(e["field"], e["old_value"], e["new_value"], ui)
        e["comment"] = comment_text(e["comment"], ui)
        e["action"] = pgettext("decision action", e["action"]) if e["action"] in ACTIONS else e["action"]
        e["status"] = pgettext("decision status", e["status"]) if e["status"] in STATUSES else e["status"]
        rows.append([inert(e[c], lines=False) for c in HISTORY_COLUMNS])
    header = [pgettext("history column", c) for c in HISTORY_COLUMNS]
    print(table(header, rows, right=[c in ("id", "row") for c in HISTORY_COLUMNS]))
    last = replay(log).last()
    print()
    if last is not None:
        say(
            _("last decision in force: {last}; `wfscore restore {folder} last` undoes it").format(
                last=last, folder=folder
            )
        )
    say(
        _(
            "`wfscore restore {folder} {version}` puts back a file as it was in that version "
            "(the versions are kept in {kept})"
        ).format(folder=folder, version=pgettext("placeholder", "VERSION"), kept=folder / HISTORY)
    )


def _not_a_folder(folder: Path, ui: str) -> int:
    error(ui, _("{folder} is not a folder (expected a year's data folder)").format(folder=folder))
    return 1


def cmd_history(args) -> int:
    from wfscore.review.decisions import DecisionError, workbook_of

    ui = args.ui_lang
    folder = Path(args.dir)
    if not folder.is_dir():
        return _not_a_folder(folder, ui)
    book = workbook_of(folder)
    if book:
        say(
            _(
                "{folder} holds its tables in the workbook {book}; the adjustments desk edits CSV year folders "
                "only, so it has no decisions or versions"
            ).format(folder=folder, book=book)
        )
        return 0
    try:
        _print_history(folder, ui)
    except DecisionError as exc:
        error(ui, message(exc, ui))
        return 1
    return 0


def cmd_restore(args) -> int:
    from wfscore.review.decisions import LOG, DecisionError, change_text, restore, undo_last

    ui = args.ui_lang
    folder = Path(args.dir)
    if not folder.is_dir():
        return _not_a_folder(folder, ui)
    try:
        if args.version == "last":
            saved = undo_last(folder, reviewer=args.reviewer, comment=args.comment)
            e = saved.entry
            change = change_text(e["field"], e["old_value"], e["new_value"], ui, arrow="→")
            what = _("undid decision {ref} ({file} line {row}, {change})").format(
                ref=e["ref"], file=saved.file, row=e["row"], change=change
            )
        else:
            saved = restore(folder, args.version, reviewer=args.reviewer, comment=args.comment)
            what = _("restored {file} to version {version}").format(file=saved.file, version=args.version)
    except DecisionError as exc:
        error(ui, message(exc, ui))
        return 1
    kept = saved.entry["version"]
    recorded = _("{what}; recorded as entry {id} of {log}").format(what=what, id=saved.entry["id"], log=folder / LOG)
    if kept:
        say(_("{said}; the replaced file is kept as version {version}").format(said=recorded, version=kept))
    else:
        say(_("{said}; no file changed").format(said=recorded))
    return 0


def _reviewer() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name from the system: ask for --reviewer
        return ""


def add_history_command(subparsers) -> None:
    p = subparsers.add_parser(
        "history",
        help=_("list a year's recorded decisions and the file versions kept"),
        description=_(
            "List every entry of DIR/{log} (decisions made with the adjustments desk, undos, "
            "restores), whether each decision is in force, and the version of the file it replaced "
            "(kept under DIR/{kept})."
        ).format(log=LOG, kept=HISTORY),
    )
    p.add_argument("dir", metavar="DIR", help=_("a year's data folder, e.g. data/2011"))
    lang_option(p)
    p.set_defaults(run=cmd_history)


def add_restore_command(subparsers) -> None:
    p = subparsers.add_parser(
        "restore",
        help=_("undo the last decision, or put back an earlier version of a file"),
        description=_(
            "Put back a version of a table file that `wfscore history DIR` lists (the decisions "
            "made on that file since are no longer in force), or with VERSION 'last' undo the last "
            "decision in force. The file replaced is kept as a version, and the restore is recorded "
            "in DIR/{log}."
        ).format(log=LOG),
    )
    p.add_argument("dir", metavar="DIR", help=_("a year's data folder, e.g. data/2011"))
    p.add_argument("version", metavar="VERSION", help=_("a version name from `wfscore history DIR`, or 'last'"))
    p.add_argument("--reviewer", default=_reviewer(), help=_("who restores (default: the login name)"))
    p.add_argument("--comment", default="", help=_("why, recorded in decisions.csv"))
    lang_option(p)
    p.set_defaults(run=cmd_restore)
