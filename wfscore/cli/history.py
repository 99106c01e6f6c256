"""``wfscore history DIR`` and ``wfscore restore DIR VERSION``: the record of the desk's
decisions (:mod:`wfscore.review.decisions`) from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, inert, message, say

LOG = "decisions.csv"  # as wfscore.review.decisions.LOG (a test keeps them equal)
HISTORY = ".history"  # as wfscore.review.decisions.HISTORY


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
HISTORY_ZH = {
    "id": "编号",
    "time": "时间",
    "reviewer": "审核人",
    "action": "操作",
    "file": "文件",
    "row": "行号",
    "dept_id": "部门编号",
    "name": "部门",
    "change": "更改",
    "status": "状态",
    "version": "替换前的版本",
    "comment": "说明",
}


def _print_history(folder: Path, ui: str) -> None:
    from wfscore.inputs.terminal import table
    from wfscore.review.decisions import ACTION_ZH, HISTORY, LOG, STATUS_ZH, change_text, comment_text, history, replay
    from wfscore.review.disputes import department_names

    zh = ui == "zh"
    log = history(folder)
    if log.empty:
        say(
            f"{folder}：尚未记录任何决定（{LOG} 不存在或为空）"
            if zh
            else f"{folder}: no decisions recorded yet ({LOG} is absent or empty)"
        )
        return
    names = department_names(folder)
    rows = []
    for e in log.to_dict("records"):
        e["time"] = str(e["time"])[:19].replace("T", " ")
        e["name"] = names.get(e["dept_id"], "")
        e["change"] = change_text(e["field"], e["old_value"], e["new_value"], ui)
        e["comment"] = comment_text(e["comment"], ui)
        if zh:
            e["action"], e["status"] = ACTION_ZH.get(e["action"], e["action"]), STATUS_ZH.get(e["status"], e["status"])
        rows.append([inert(e[c], lines=False) for c in HISTORY_COLUMNS])
    header = [HISTORY_ZH[c] if zh else c for c in HISTORY_COLUMNS]
    print(table(header, rows, right=[c in ("id", "row") for c in HISTORY_COLUMNS]))
    last = replay(log).last()
    print()
    if last is not None:
        say(
            f"仍然有效的最后一个决定：{last}；`wfscore restore {folder} last` 可撤销它"
            if zh
            else f"last decision in force: {last}; `wfscore restore {folder} last` undoes it"
        )
    say(
        f"`wfscore restore {folder} VERSION` 可把文件恢复为该版本时的样子（各版本保存在 {folder / HISTORY}）"
        if zh
        else f"`wfscore restore {folder} VERSION` puts back a file as it was in that version "
        f"(the versions are kept in {folder / HISTORY})"
    )


def _not_a_folder(folder: Path, ui: str) -> int:
    error(
        ui,
        f"{folder} 不是文件夹（应为年度数据文件夹）"
        if ui == "zh"
        else f"{folder} is not a folder (expected a year's data folder)",
    )
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
            f"{folder} 的数据在工作簿 {book} 中；审核台只修改 CSV 年度文件夹，因此没有决定记录和版本"
            if ui == "zh"
            else f"{folder} holds its tables in the workbook {book}; the adjustments desk edits CSV year folders "
            "only, so it has no decisions or versions"
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
    zh = ui == "zh"
    folder = Path(args.dir)
    if not folder.is_dir():
        return _not_a_folder(folder, ui)
    try:
        if args.version == "last":
            saved = undo_last(folder, reviewer=args.reviewer, comment=args.comment)
            e = saved.entry
            change = change_text(e["field"], e["old_value"], e["new_value"], ui, arrow="→")
            what = (
                f"已撤销决定 {e['ref']}（{saved.file} 第 {e['row']} 行，{change}）"
                if zh
                else f"undid decision {e['ref']} ({saved.file} line {e['row']}, {change})"
            )
        else:
            saved = restore(folder, args.version, reviewer=args.reviewer, comment=args.comment)
            what = (
                f"已将 {saved.file} 恢复为版本 {args.version}"
                if zh
                else f"restored {saved.file} to version {args.version}"
            )
    except DecisionError as exc:
        error(ui, message(exc, ui))
        return 1
    kept = saved.entry["version"]
    if zh:
        say(
            f"{what}；已记为 {folder / LOG} 的第 {saved.entry['id']} 条"
            + (f"；被替换的文件保存为版本 {kept}" if kept else "；没有文件改变")
        )
    else:
        say(
            f"{what}; recorded as entry {saved.entry['id']} of {folder / LOG}"
            + (f"; the replaced file is kept as version {kept}" if kept else "; no file changed")
        )
    return 0


def _reviewer() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name from the system: ask for --reviewer
        return ""


def add_history_command(subparsers, t) -> None:
    p = subparsers.add_parser(
        "history",
        help=t("列出一个年度记录的决定和保存的文件版本", "list a year's recorded decisions and the file versions kept"),
        description=t(
            f"列出 DIR/{LOG} 的每一条记录（在审核台上作出的决定、撤销、恢复），每个决定是否仍然有效，"
            f"以及它所替换的文件版本（保存在 DIR/{HISTORY} 下）。",
            f"List every entry of DIR/{LOG} (decisions made with the adjustments desk, undos, "
            "restores), whether each decision is in force, and the version of the file it replaced "
            f"(kept under DIR/{HISTORY}).",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011"))
    add_lang(p, t)
    p.set_defaults(run=cmd_history)


def add_restore_command(subparsers, t) -> None:
    p = subparsers.add_parser(
        "restore",
        help=t(
            "撤销最后一个决定，或恢复文件的某个早先版本",
            "undo the last decision, or put back an earlier version of a file",
        ),
        description=t(
            "把表格文件恢复为 `wfscore history DIR` 列出的某个版本（此后对该文件作出的决定不再有效），"
            "或以 VERSION 'last' 撤销仍然有效的最后一个决定。被替换的文件保存为一个版本，"
            f"这次恢复记入 DIR/{LOG}。",
            "Put back a version of a table file that `wfscore history DIR` lists (the decisions "
            "made on that file since are no longer in force), or with VERSION 'last' undo the last "
            "decision in force. The file replaced is kept as a version, and the restore is recorded "
            f"in DIR/{LOG}.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011"))
    p.add_argument(
        "version",
        metavar="VERSION",
        help=t("`wfscore history DIR` 列出的版本名，或 'last'", "a version name from `wfscore history DIR`, or 'last'"),
    )
    p.add_argument(
        "--reviewer", default=_reviewer(), help=t("恢复人（默认：登录名）", "who restores (default: the login name)")
    )
    p.add_argument("--comment", default="", help=t("原因，记入 decisions.csv", "why, recorded in decisions.csv"))
    add_lang(p, t)
    p.set_defaults(run=cmd_restore)
