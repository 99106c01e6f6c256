"""``wfscore disputes DIR``: the year's dispute register (:mod:`wfscore.review.disputes`)
from the command line: list it, open a dispute, decide one."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import error, inert, lang_option, message, nothing_written, print_problems, say, warning
from wfscore.inputs.i18n import NP_, _, pgettext

KINDS = ("value", "rating", "exemption", "achievement", "incident")  # as wfscore.review.disputes.KINDS
STATES = ("open", "upheld", "rejected")
LIST_COLUMNS = (
    "id",
    "dept_id",
    "name",
    "kind",
    "indicator",
    "expert",
    "row",
    "state",
    "claim",
    "evidence",
    "corrected",
    "reply",
    "decided_by",
    "opened",
    "decided",
)
# the words of the listing, for the catalogue (said with pgettext(context, word))
_WORDS = (
    NP_("dispute kind", "value"),
    NP_("dispute kind", "rating"),
    NP_("dispute kind", "exemption"),
    NP_("dispute kind", "achievement"),
    NP_("dispute kind", "incident"),
    NP_("dispute state", "open"),
    NP_("dispute state", "upheld"),
    NP_("dispute state", "rejected"),
    NP_("dispute column", "id"),
    NP_("dispute column", "dept_id"),
    NP_("dispute column", "name"),
    NP_("dispute column", "kind"),
    NP_("dispute column", "indicator"),
    NP_("dispute column", "expert"),
    NP_("dispute column", "row"),
    NP_("dispute column", "state"),
    NP_("dispute column", "claim"),
    NP_("dispute column", "evidence"),
    NP_("dispute column", "corrected"),
    NP_("dispute column", "reply"),
    NP_("dispute column", "decided_by"),
    NP_("dispute column", "opened"),
    NP_("dispute column", "decided"),
)
WIDEST = 40  # display cells of a listed cell before it is cut with "…"


def add_command(sub) -> None:
    p = sub.add_parser(
        "disputes",
        help=_("list the year's disputes (disputes.csv), open one, or decide one"),
        description=_(
            "List the disputes of a year folder (disputes.csv: id, department, item, claim, state "
            "'open', 'upheld' or 'rejected', reply). With --open, register a new dispute; with --uphold or "
            "--reject, decide one (upholding writes the corrected cell through the desk's logged, "
            "undoable decisions)."
        ),
    )
    p.add_argument("dir", metavar="DIR", help=_("the year's data folder"))
    p.add_argument("--dept", help=_("only this department's disputes (with --open: the department disputing)"))
    p.add_argument(
        "--state",
        choices=STATES,
        help=_("only disputes in this state ('open', 'upheld' or 'rejected')"),
    )
    p.add_argument(
        "--open",
        choices=KINDS,
        metavar="KIND",
        help=_("open a dispute of this kind ({kinds}); needs --dept and --claim").format(
            kinds=", ".join(repr(k) for k in KINDS)
        ),
    )
    p.add_argument("--indicator", default="", help=_("the indicator (of a 'value' or 'rating' dispute)"))
    p.add_argument("--expert", default="", help=_("the expert (of a 'rating' dispute)"))
    p.add_argument("--row", default="", help=_("the row of exemptions/achievements/incidents.csv (line number)"))
    p.add_argument("--claim", default="", help=_("what the department claims"))
    p.add_argument("--evidence", default="", help=_("the evidence's reference"))
    p.add_argument("--uphold", type=int, metavar="ID", help=_("uphold dispute ID (with --corrected, --reply)"))
    p.add_argument("--reject", type=int, metavar="ID", help=_("reject dispute ID (with --reply)"))
    p.add_argument(
        "--undo",
        type=int,
        metavar="ID",
        help=_("take back upheld dispute ID (its correction must be the last in force; with --reviewer)"),
    )
    p.add_argument("--corrected", default=None, help=_("the corrected value or rating (when upholding)"))
    p.add_argument("--reply", default="", help=_("the reply to the department (when deciding)"))
    p.add_argument("--reviewer", default="", help=_("who decides (when deciding)"))
    lang_option(p)
    p.set_defaults(run=cmd_disputes)


def _clip(text: str) -> str:
    from wfscore.inputs.terminal import width

    if width(text) <= WIDEST:
        return text
    while width(text) > WIDEST - 1:
        text = text[:-1]
    return text + "…"


def _print(frame, folder: Path) -> None:
    from wfscore.inputs.terminal import table
    from wfscore.review.disputes import department_names

    if frame.empty:
        say(_("{folder}: no disputes").format(folder=folder))
        return
    names = department_names(folder)
    rows = []
    for d in frame.to_dict("records"):
        d["name"] = names.get(d["dept_id"], "")
        for column in ("opened", "decided"):
            d[column] = d[column][:19].replace("T", " ")
        d["kind"] = pgettext("dispute kind", d["kind"]) if d["kind"] in KINDS else d["kind"]
        d["state"] = pgettext("dispute state", d["state"]) if d["state"] in STATES else d["state"]
        rows.append([_clip(inert(d[c], lines=False)) for c in LIST_COLUMNS])
    header = [pgettext("dispute column", c) for c in LIST_COLUMNS]
    print(table(header, rows, right=[c in ("id", "row") for c in LIST_COLUMNS]))
    counts = frame["state"].value_counts()
    print()
    say(
        _("{n} disputes: {open} open, {upheld} upheld, {rejected} rejected").format(
            n=len(frame), **{s: counts.get(s, 0) for s in STATES}
        )
    )


def cmd_disputes(args) -> int:
    from wfscore.inputs.problems import InputError
    from wfscore.review.decisions import DecisionError

    ui = args.ui_lang
    folder = Path(args.dir)
    if not folder.is_dir():
        error(ui, _("{folder} is not a folder (expected a year's data folder)").format(folder=folder))
        return 1
    if sum(x is not None for x in (args.open, args.uphold, args.reject, args.undo)) > 1:
        error(ui, _("--open, --uphold, --reject and --undo are one at a time"))
        return 2
    try:
        return _run(args, folder, ui)
    except InputError as exc:
        print_problems(exc.problems, str(folder), sys.stderr, ui)
        nothing_written(ui)
        return 1
    except DecisionError as exc:
        error(ui, _("{reason}; nothing was written").format(reason=message(exc, ui)))
        return 1


def _run(args, folder: Path, ui: str) -> int:
    from wfscore.review import disputes
    from wfscore.review.decisions import change_text

    if args.open:
        if not args.dept:
            error(ui, _("--open needs --dept (the department disputing)"))
            return 2
        entry = disputes.open_dispute(
            folder,
            args.dept,
            args.open,
            claim=args.claim,
            evidence=args.evidence,
            indicator=args.indicator,
            expert=args.expert,
            row=args.row,
        )
        say(_("opened dispute {id} ({file})").format(id=entry["id"], file=folder / disputes.FILE))
        return 0
    if args.uphold is not None:
        saved, row = disputes.uphold(
            folder, args.uphold, corrected=args.corrected, reply=args.reply, reviewer=args.reviewer
        )
        e = saved.entry
        change = inert(change_text(e["field"], e["old_value"], e["new_value"], ui), lines=False)
        say(
            _(
                "upheld dispute {id}: {file} line {row} {change} (decision {decision} of decisions.csv; "
                "`wfscore disputes {folder} --undo {id} --reviewer {name}` takes it back)"
            ).format(
                id=row["id"],
                file=saved.file,
                row=e["row"],
                change=change,
                decision=e["id"],
                folder=folder,
                name=pgettext("placeholder", "NAME"),
            )
        )
        return 0
    if args.reject is not None:
        row = disputes.reject(folder, args.reject, reply=args.reply, reviewer=args.reviewer)
        say(_("rejected dispute {id}; no table changed").format(id=row["id"]))
        return 0
    if args.undo is not None:
        saved, row = disputes.undo(folder, args.undo, reviewer=args.reviewer)
        say(_("dispute {id} is open again; {file} is back as it was").format(id=row["id"], file=saved.file))
        return 0
    frame = disputes.read_register(folder)
    if args.dept:
        frame = frame[frame["dept_id"] == args.dept]
    if args.state:
        frame = frame[frame["state"] == args.state]
    stale = disputes.undone_elsewhere(folder, frame)  # reads decisions.csv: before anything is printed
    _print(frame, folder)
    for ident in stale:
        warning(
            ui,
            _(
                "dispute {id} is upheld but its decision is no longer in force (undone or restored "
                "with `wfscore restore`): its correction does not count"
            ).format(id=ident),
        )
    return 0
