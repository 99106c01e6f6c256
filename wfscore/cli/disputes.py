"""``wfscore disputes DIR``: the year's dispute register (:mod:`wfscore.review.disputes`)
from the command line: list it, open a dispute, decide one."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, inert, message, nothing_written, print_problems, say, warning

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
WIDEST = 40  # display cells of a listed cell before it is cut with "…"


def add_command(sub, t) -> None:
    p = sub.add_parser(
        "disputes",
        help=t(
            "列出本年度的复核申请（disputes.csv），登记或决定一项复核申请",
            "list the year's disputes (disputes.csv), open one, or decide one",
        ),
        description=t(
            "列出年度文件夹的复核申请（disputes.csv：编号、部门、事项、部门主张、状态 待处理/已支持/已驳回、答复）。"
            "用 --open 登记一项新的复核申请；用 --uphold（支持）或 --reject（驳回）作出决定（支持时，"
            "通过审核台有记录、可撤销的决定写入更正后的单元格）。",
            "List the disputes of a year folder (disputes.csv: id, department, item, claim, state "
            "open/upheld/rejected, reply). With --open, register a new dispute; with --uphold or "
            "--reject, decide one (upholding writes the corrected cell through the desk's logged, "
            "undoable decisions).",
        ),
    )
    p.add_argument("dir", help=t("年度数据文件夹", "the year's data folder"))
    p.add_argument(
        "--dept",
        help=t(
            "只列此部门的复核申请（与 --open 一起：提出申请的部门）",
            "only this department's disputes (with --open: the department disputing)",
        ),
    )
    p.add_argument(
        "--state",
        choices=STATES,
        help=t(
            "只列处于此状态的复核申请（open 待处理、upheld 已支持、rejected 已驳回）", "only disputes in this state"
        ),
    )
    p.add_argument(
        "--open",
        choices=KINDS,
        metavar="KIND",
        help=t(
            f"登记一项此类复核申请（{', '.join(KINDS)}）；需要 --dept 和 --claim",
            f"open a dispute of this kind ({', '.join(KINDS)}); needs --dept and --claim",
        ),
    )
    p.add_argument("--indicator", default="", help=t("指标（value、rating）", "the indicator (value, rating)"))
    p.add_argument("--expert", default="", help=t("专家（rating）", "the expert (rating)"))
    p.add_argument(
        "--row",
        default="",
        help=t(
            "exemptions/achievements/incidents.csv 中的行（行号）",
            "the row of exemptions/achievements/incidents.csv (line number)",
        ),
    )
    p.add_argument("--claim", default="", help=t("部门主张", "what the department claims"))
    p.add_argument("--evidence", default="", help=t("证据材料的编号或出处", "the evidence's reference"))
    p.add_argument(
        "--uphold",
        type=int,
        metavar="ID",
        help=t("支持第 ID 项复核申请（与 --corrected、--reply 一起）", "uphold dispute ID (with --corrected, --reply)"),
    )
    p.add_argument(
        "--reject",
        type=int,
        metavar="ID",
        help=t("驳回第 ID 项复核申请（与 --reply 一起）", "reject dispute ID (with --reply)"),
    )
    p.add_argument(
        "--undo",
        type=int,
        metavar="ID",
        help=t(
            "撤销对第 ID 项复核申请的支持（其更正须是仍然有效的最后一项；与 --reviewer 一起）",
            "take back upheld dispute ID (its correction must be the last in force; with --reviewer)",
        ),
    )
    p.add_argument(
        "--corrected",
        default=None,
        help=t("更正后的值或评分（支持时）", "the corrected value or rating (when upholding)"),
    )
    p.add_argument(
        "--reply", default="", help=t("给部门的答复（决定时）", "the reply to the department (when deciding)")
    )
    p.add_argument("--reviewer", default="", help=t("决定人（决定时）", "who decides (when deciding)"))
    add_lang(p, t)
    p.set_defaults(run=cmd_disputes)


def _clip(text: str) -> str:
    from wfscore.inputs.terminal import width

    if width(text) <= WIDEST:
        return text
    while width(text) > WIDEST - 1:
        text = text[:-1]
    return text + "…"


def _print(frame, folder: Path, ui: str) -> None:
    from wfscore.inputs.terminal import table
    from wfscore.review.disputes import COLUMN_ZH, KIND_ZH, STATE_ZH, department_names

    zh = ui == "zh"
    if frame.empty:
        say(f"{folder}：没有复核申请" if zh else f"{folder}: no disputes")
        return
    names = department_names(folder)
    rows = []
    for d in frame.to_dict("records"):
        d["name"] = names.get(d["dept_id"], "")
        for column in ("opened", "decided"):
            d[column] = d[column][:19].replace("T", " ")
        if zh:
            d["kind"], d["state"] = KIND_ZH.get(d["kind"], d["kind"]), STATE_ZH.get(d["state"], d["state"])
        rows.append([_clip(inert(d[c], lines=False)) for c in LIST_COLUMNS])
    header = [COLUMN_ZH[c] if zh else c for c in LIST_COLUMNS]
    print(table(header, rows, right=[c in ("id", "row") for c in LIST_COLUMNS]))
    counts = frame["state"].value_counts()
    print()
    if zh:
        say(f"共 {len(frame)} 项复核申请：" + "，".join(f"{STATE_ZH[s]} {counts.get(s, 0)}" for s in STATES))
    else:
        say(f"{len(frame)} disputes: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATES))


def cmd_disputes(args) -> int:
    from wfscore.inputs.problems import InputError
    from wfscore.review.decisions import DecisionError

    ui = args.ui_lang
    zh = ui == "zh"
    folder = Path(args.dir)
    if not folder.is_dir():
        error(
            ui,
            f"{folder} 不是文件夹（应为年度数据文件夹）"
            if zh
            else f"{folder} is not a folder (expected a year's data folder)",
        )
        return 1
    if sum(x is not None for x in (args.open, args.uphold, args.reject, args.undo)) > 1:
        error(
            ui,
            "--open、--uphold、--reject 和 --undo 每次只能用一个"
            if zh
            else "--open, --uphold, --reject and --undo are one at a time",
        )
        return 2
    try:
        return _run(args, folder, ui)
    except InputError as exc:
        print_problems(exc.problems, str(folder), sys.stderr, ui)
        nothing_written(ui)
        return 1
    except DecisionError as exc:
        error(ui, message(exc, ui) + ("；未写出任何文件" if zh else "; nothing was written"))
        return 1


def _run(args, folder: Path, ui: str) -> int:
    from wfscore.review import disputes
    from wfscore.review.decisions import change_text

    zh = ui == "zh"
    if args.open:
        if not args.dept:
            error(
                ui,
                "--open 需要 --dept（提出复核申请的部门）" if zh else "--open needs --dept (the department disputing)",
            )
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
        say(
            f"已登记第 {entry['id']} 项复核申请（{folder / disputes.FILE}）"
            if zh
            else f"opened dispute {entry['id']} ({folder / disputes.FILE})"
        )
        return 0
    if args.uphold is not None:
        saved, row = disputes.uphold(
            folder, args.uphold, corrected=args.corrected, reply=args.reply, reviewer=args.reviewer
        )
        e = saved.entry
        change = inert(change_text(e["field"], e["old_value"], e["new_value"], ui), lines=False)
        say(
            f"已支持第 {row['id']} 项复核申请：{saved.file} 第 {e['row']} 行 {change}"
            f"（decisions.csv 第 {e['id']} 项决定；`wfscore disputes {folder} --undo {row['id']} --reviewer 姓名` "
            "可撤销此项支持）"
            if zh
            else f"upheld dispute {row['id']}: {saved.file} line {e['row']} {change} "
            f"(decision {e['id']} of decisions.csv; `wfscore disputes {folder} --undo {row['id']} --reviewer NAME` "
            "takes it back)"
        )
        return 0
    if args.reject is not None:
        row = disputes.reject(folder, args.reject, reply=args.reply, reviewer=args.reviewer)
        say(
            f"已驳回第 {row['id']} 项复核申请；没有表格改变"
            if zh
            else f"rejected dispute {row['id']}; no table changed"
        )
        return 0
    if args.undo is not None:
        saved, row = disputes.undo(folder, args.undo, reviewer=args.reviewer)
        say(
            f"第 {row['id']} 项复核申请重新待处理；{saved.file} 已恢复原样"
            if zh
            else f"dispute {row['id']} is open again; {saved.file} is back as it was"
        )
        return 0
    frame = disputes.read_register(folder)
    if args.dept:
        frame = frame[frame["dept_id"] == args.dept]
    if args.state:
        frame = frame[frame["state"] == args.state]
    stale = disputes.undone_elsewhere(folder, frame)  # reads decisions.csv: before anything is printed
    _print(frame, folder, ui)
    for ident in stale:
        warning(
            ui,
            f"第 {ident} 项复核申请已支持，但其更正已不再有效（已用 `wfscore restore` 撤销或恢复）：不计入"
            if zh
            else f"dispute {ident} is upheld but its decision is no longer in force (undone or restored "
            "with `wfscore restore`): its correction does not count",
        )
    return 0
