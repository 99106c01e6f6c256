"""``wfscore disputes DIR``: the year's dispute register (:mod:`wfscore.review.disputes`)
from the command line: list it, open a dispute, decide one."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, inert, message, nothing_written, print_problems, say, warning

KINDS = ("value", "rating", "exemption", "achievement", "incident")  # as wfscore.review.disputes.KINDS
STATES = ("open", "upheld", "rejected")
STATES_ZH = {"open": "待处理", "upheld": "已采纳", "rejected": "已驳回"}


def add_command(sub, t) -> None:
    p = sub.add_parser(
        "disputes", help=t("列出本年度的异议（disputes.csv），登记或裁决一项异议",
                           "list the year's disputes (disputes.csv), open one, or decide one"),
        description=t("列出年度文件夹的异议（disputes.csv：编号、部门、事项、诉求、状态 open/upheld/rejected、答复）。"
                      "用 --open 登记一项新异议；用 --uphold 或 --reject 裁决一项（采纳时，通过审核台有记录、"
                      "可撤销的决定写入更正后的单元格）。",
                      "List the disputes of a year folder (disputes.csv: id, department, item, claim, state "
                      "open/upheld/rejected, reply). With --open, register a new dispute; with --uphold or "
                      "--reject, decide one (upholding writes the corrected cell through the desk's logged, "
                      "undoable decisions)."))
    p.add_argument("dir", help=t("年度数据文件夹", "the year's data folder"))
    p.add_argument("--dept", help=t("只列此部门的异议（与 --open 一起：提出异议的部门）",
                                    "only this department's disputes (with --open: the department disputing)"))
    p.add_argument("--state", choices=STATES, help=t("只列处于此状态的异议", "only disputes in this state"))
    p.add_argument("--open", choices=KINDS, metavar="KIND",
                   help=t(f"登记一项此类异议（{', '.join(KINDS)}）；需要 --dept 和 --claim",
                          f"open a dispute of this kind ({', '.join(KINDS)}); needs --dept and --claim"))
    p.add_argument("--indicator", default="", help=t("指标（value、rating）", "the indicator (value, rating)"))
    p.add_argument("--expert", default="", help=t("专家（rating）", "the expert (rating)"))
    p.add_argument("--row", default="", help=t("exemptions/achievements/incidents.csv 中的行（行号）",
                                               "the row of exemptions/achievements/incidents.csv (line number)"))
    p.add_argument("--claim", default="", help=t("部门的诉求", "what the department claims"))
    p.add_argument("--evidence", default="", help=t("证明材料的编号或出处", "the evidence's reference"))
    p.add_argument("--uphold", type=int, metavar="ID", help=t("采纳编号为 ID 的异议（与 --corrected、--reply 一起）",
                                                              "uphold dispute ID (with --corrected, --reply)"))
    p.add_argument("--reject", type=int, metavar="ID", help=t("驳回编号为 ID 的异议（与 --reply 一起）",
                                                              "reject dispute ID (with --reply)"))
    p.add_argument("--undo", type=int, metavar="ID",
                   help=t("收回已采纳的异议 ID（其决定须是仍然有效的最后一个；与 --reviewer 一起）",
                          "take back upheld dispute ID (its decision must be the last in force; with --reviewer)"))
    p.add_argument("--corrected", default=None, help=t("更正后的值或评分（采纳时）",
                                                       "the corrected value or rating (when upholding)"))
    p.add_argument("--reply", default="", help=t("给部门的答复（裁决时）", "the reply to the department (when deciding)"))
    p.add_argument("--reviewer", default="", help=t("裁决人（裁决时）", "who decides (when deciding)"))
    add_lang(p, t)
    p.set_defaults(run=cmd_disputes)


def _print(frame, folder: Path, ui: str) -> None:
    import pandas as pd

    if frame.empty:
        say(f"{folder}：没有异议" if ui == "zh" else f"{folder}: no disputes")
        return
    table = frame[["id", "dept_id", "kind", "indicator", "expert", "row", "state", "claim", "evidence", "corrected",
                   "reply", "decided_by", "opened", "decided"]].copy()
    for column in ("opened", "decided"):
        table[column] = table[column].str.slice(0, 19).str.replace("T", " ")
    table = table.map(lambda v: inert(v, lines=False))
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 250,
                           "display.max_rows", None, "display.max_colwidth", 50):
        print(table.to_string(index=False))
    counts = frame["state"].value_counts()
    print()
    if ui == "zh":
        say(f"共 {len(frame)} 项异议：" + "，".join(f"{STATES_ZH[s]} {counts.get(s, 0)}" for s in STATES))
    else:
        say(f"{len(frame)} disputes: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATES))


def cmd_disputes(args) -> int:
    from wfscore.inputs.problems import InputError
    from wfscore.review import disputes
    from wfscore.review.decisions import DecisionError

    ui = args.ui_lang
    zh = ui == "zh"
    folder = Path(args.dir)
    if not folder.is_dir():
        error(ui, f"{folder} 不是文件夹（应为年度数据文件夹）" if zh else
              f"{folder} is not a folder (expected a year's data folder)")
        return 1
    if sum(x is not None for x in (args.open, args.uphold, args.reject, args.undo)) > 1:
        error(ui, "--open、--uphold、--reject 和 --undo 每次只能用一个" if zh else
              "--open, --uphold, --reject and --undo are one at a time")
        return 2
    try:
        if args.open:
            if not args.dept:
                error(ui, "--open 需要 --dept（提出异议的部门）" if zh else
                      "--open needs --dept (the department disputing)")
                return 2
            entry = disputes.open_dispute(folder, args.dept, args.open, claim=args.claim, evidence=args.evidence,
                                          indicator=args.indicator, expert=args.expert, row=args.row)
            say(f"已登记异议 {entry['id']}（{folder / disputes.FILE}）" if zh else
                f"opened dispute {entry['id']} ({folder / disputes.FILE})")
            return 0
        if args.uphold is not None:
            saved, row = disputes.uphold(folder, args.uphold, corrected=args.corrected, reply=args.reply,
                                         reviewer=args.reviewer)
            e = saved.entry
            old, new = inert(e["old_value"], lines=False), inert(e["new_value"], lines=False)
            say(f"已采纳异议 {row['id']}：{saved.file} 第 {e['row']} 行 {e['field']} {old} -> {new}"
                f"（决定 {e['id']}；`wfscore disputes {folder} --undo {row['id']} --reviewer 姓名` 可收回）" if zh else
                f"upheld dispute {row['id']}: {saved.file} line {e['row']} {e['field']} {old} -> {new} "
                f"(decision {e['id']}; `wfscore disputes {folder} --undo {row['id']} --reviewer NAME` "
                "takes it back)")
            return 0
        if args.reject is not None:
            row = disputes.reject(folder, args.reject, reply=args.reply, reviewer=args.reviewer)
            say(f"已驳回异议 {row['id']}；没有表格改变" if zh else f"rejected dispute {row['id']}; no table changed")
            return 0
        if args.undo is not None:
            saved, row = disputes.undo(folder, args.undo, reviewer=args.reviewer)
            say(f"异议 {row['id']} 重新待处理；{saved.file} 已恢复原样（决定 {saved.entry['ref']} 已撤销）" if zh else
                f"dispute {row['id']} is open again; {saved.file} is back as it was (decision {saved.entry['ref']} "
                "undone)")
            return 0
        frame = disputes.read_register(folder)
    except InputError as exc:
        print_problems(exc.problems, str(folder), sys.stderr, ui)
        nothing_written(ui)
        return 1
    except DecisionError as exc:
        error(ui, message(exc, ui) + ("；未写出任何文件" if zh else "; nothing was written"))
        return 1
    if args.dept:
        frame = frame[frame["dept_id"] == args.dept]
    if args.state:
        frame = frame[frame["state"] == args.state]
    _print(frame, folder, ui)
    for ident in disputes.undone_elsewhere(folder, frame):
        warning(ui, f"异议 {ident} 已采纳，但其决定已不再有效（已用 `wfscore restore` 撤销或恢复）：其更正不计入" if zh else
                f"dispute {ident} is upheld but its decision is no longer in force (undone or restored "
                "with `wfscore restore`): its correction does not count")
    return 0
