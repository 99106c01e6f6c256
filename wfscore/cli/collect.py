"""``wfscore forms DIR --out FOLDER`` and ``wfscore collect FOLDER --into DIR [--status]``:
the forms that go out to departments, experts and the office, and the returns that come in
(:mod:`wfscore.inputs.forms`, :mod:`wfscore.inputs.collect`)."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, message, nothing_written, print_problems, say, text_in


def _experts(given: list[str] | None, folder: Path) -> list[str] | None:
    """``--experts``: ids, or one path to a file of ids; None: DIR/experts.csv, then the
    experts of DIR/ratings.csv."""
    from wfscore.inputs.forms import read_experts

    if given:
        if len(given) == 1 and Path(given[0]).is_file():
            return read_experts(Path(given[0]).read_text(encoding="utf-8-sig"))
        return list(given)
    if (folder / "experts.csv").is_file():
        return read_experts((folder / "experts.csv").read_text(encoding="utf-8-sig"))
    if (folder / "ratings.csv").is_file():
        import csv

        with open(folder / "ratings.csv", encoding="utf-8-sig", newline="") as f:
            return sorted({r.get("expert", "").strip() for r in csv.DictReader(f)} - {""})
    return None


def cmd_forms(args) -> int:
    from wfscore.inputs.forms import write_forms
    from wfscore.inputs.problems import InputError

    ui = args.ui_lang
    folder, out = Path(args.dir), Path(args.out)
    experts = _experts(args.experts, folder)
    waiting = experts is None
    experts = experts or []
    try:
        names = write_forms(
            folder,
            out,
            experts,
            deadline=args.deadline or "",
            contact=args.contact or "",
            lang=args.lang,
            progress=sys.stderr.isatty(),
        )
    except InputError as exc:
        print_problems(exc.problems, None, sys.stderr, ui)
        nothing_written(ui)
        return 1
    n = len(names.departments) + len(names.experts) + 1
    if ui == "zh":
        say(
            f"已在 {out} 写出 {n} 个表格：部门自查表 {len(names.departments)} 个，专家评分表 "
            f"{len(names.experts)} 个，考核办填报表 1 个"
        )
    else:
        say(
            f"wrote {n} forms into {out}: {len(names.departments)} self-check forms, {len(names.experts)} "
            "rating sheets, 1 office workbook"
        )
    if waiting:
        say(
            "专家评分表待专家名单确定后再生成：届时用 --experts E1 E2 …（或 --experts 专家名单.csv，或年度文件夹中的 "
            "experts.csv）再运行一次 wfscore forms，将重新写出全部表格"
            if ui == "zh"
            else "the rating sheets wait for the expert list: run wfscore forms again with --experts E1 E2 ... (or "
            "--experts FILE, or experts.csv in the year's folder), which writes every form again"
        )
    return 0


def _decided(folder: Path) -> dict[tuple[str, int], list[int]]:
    from wfscore.review.decisions import decided_rows, history

    return decided_rows(history(folder))


def cmd_collect(args) -> int:
    from wfscore.inputs.collect import board_text, read_returns
    from wfscore.inputs.problems import InputError
    from wfscore.review.collected import finish, write_year
    from wfscore.review.decisions import DecisionError

    lang = ui = args.ui_lang
    folder, into = Path(args.folder), Path(args.into)
    try:
        if into.is_dir() and finish(into):
            say(
                "说明：已完成此前一次被中断的汇总写入"
                if ui == "zh"
                else "note: finished writing the collection an earlier run was stopped in",
                sys.stderr,
            )
        decided = _decided(into) if into.is_dir() else {}
    except DecisionError as exc:
        error(ui, message(exc, ui))
        return 1
    except InputError as exc:
        print_problems(exc.problems, None, sys.stderr, ui)
        nothing_written(ui)
        return 1
    try:
        experts = args.experts or (_experts(None, into) if into.is_dir() else None)  # those forms used
        col = read_returns(folder, into, experts=experts, progress=sys.stderr.isatty())
    except InputError as exc:
        print_problems(exc.problems, None, sys.stderr, ui)
        nothing_written(ui)
        return 1
    if args.status:
        say(board_text(col, decided, args.lang))
        if col.problems:
            print_problems(col.problems, None, sys.stdout, ui)
        return 1 if col.errors else 0  # as validate: a script or a scheduler sees that a return is bad
    try:
        outcome = write_year(col, replace=args.replace, reviewer=args.reviewer or "")
    except InputError as exc:
        print_problems(exc.problems, None, sys.stderr, ui)
        say(
            "未写出任何文件（请改正后重新汇总）"
            if ui == "zh"
            else "nothing was written (fix the returns, then collect again)",
            sys.stderr,
        )
        return 1
    if col.problems:
        print_problems(col.problems, None, sys.stderr, ui)
    for line in outcome.kept:
        say(("保留：" if ui == "zh" else "kept: ") + text_in(line, ui))
    for line in outcome.notes:
        say(("说明：" if ui == "zh" else "note: ") + text_in(line, ui))
    if lang == "zh":
        say(
            f"已写入 {into}：{'、'.join(outcome.written) or '（无）'}"
            + (f"；未变：{'、'.join(outcome.unchanged)}" if outcome.unchanged else "")
        )
    else:
        say(
            f"wrote into {into}: {', '.join(outcome.written) or '(nothing)'}"
            + (f"; unchanged: {', '.join(outcome.unchanged)}" if outcome.unchanged else "")
        )
    if outcome.versions:
        kept = ("、" if lang == "zh" else ", ").join(f"{f} → {v}" for f, v in outcome.versions.items())
        say(
            f"被替换的文件已保存为版本（{kept}）；`wfscore restore {into} VERSION` 可恢复"
            if lang == "zh"
            else f"the files replaced are kept as versions ({kept}); `wfscore restore {into} VERSION` brings one back"
        )
    warnings = [p for p in outcome.problems if not p.is_error]
    if warnings:
        say(
            f"本年度数据有 {len(warnings)} 个警告（wfscore validate {into} 列出全部）"
            if lang == "zh"
            else f"the year has {len(warnings)} warnings (wfscore validate {into} lists them)"
        )
    return 0


def add_commands(sub, t) -> None:
    p = sub.add_parser(
        "forms",
        help=t(
            "生成一个年度的自查表、专家评分表和考核办填报表",
            "write the self-check, rating and office forms of a year (生成自查表、专家评分表)",
        ),
        description=t(
            "根据 DIR 的 scheme.yaml 和 departments.csv，为每个部门写一个自查表工作簿，"
            "为每位专家写一个评分表工作簿，另写一个考核办填报表工作簿。",
            "Write one self-check workbook per department, one rating workbook per expert "
            "and one office workbook, from DIR's scheme.yaml and departments.csv.",
        ),
    )
    p.add_argument(
        "dir", help=t("年度文件夹（scheme.yaml、departments.csv）", "the year's folder (scheme.yaml, departments.csv)")
    )
    p.add_argument("--out", required=True, help=t("写入表格的文件夹", "the folder to write the forms into"))
    p.add_argument("--deadline", help=t("印在表格上的报送截止日期", "the deadline printed on the forms (报送截止日期)"))
    p.add_argument("--contact", help=t("印在表格上的联系人及电话", "the contact printed on the forms (联系人及电话)"))
    p.add_argument(
        "--experts",
        nargs="+",
        metavar="EXPERT",
        help=t(
            "专家编号，或一个列有专家编号的文件（默认：DIR/experts.csv，或 DIR/ratings.csv 中的专家）",
            "expert ids, or one file of them (default: DIR/experts.csv, or the experts of DIR/ratings.csv)",
        ),
    )
    add_lang(p, t, "表格", "the forms")
    p.set_defaults(run=cmd_forms)

    p = sub.add_parser(
        "collect",
        help=t("把报送回来的表格汇总到一个年度文件夹", "read the returned forms into a year's folder (汇总报送的表格)"),
        description=t(
            "读取 FOLDER 中的每个工作簿（wfscore forms 生成的表格，或汇总表），写出 DIR 的"
            "指标值、专家评分、网站评估、免考申请和加分申报；--status 则改为打印报送情况。",
            "Read every workbook in FOLDER (forms made by wfscore forms, or summary sheets) "
            "and write DIR's values, ratings, website evaluation, exemption requests and "
            "achievement claims; --status prints the collection board instead.",
        ),
    )
    p.add_argument(
        "folder",
        help=t("报送回来的工作簿所在的文件夹（不会写入）", "the folder of returned workbooks (never written to)"),
    )
    p.add_argument(
        "--into",
        required=True,
        help=t("年度文件夹（scheme.yaml、departments.csv）", "the year's folder (scheme.yaml, departments.csv)"),
    )
    p.add_argument(
        "--status",
        action="store_true",
        help=t("打印报送情况，不写任何文件", "print the collection board; write nothing"),
    )
    p.add_argument(
        "--experts",
        nargs="+",
        metavar="EXPERT",
        help=t("应报送的专家（默认：DIR/experts.csv）", "the experts expected (default: DIR/experts.csv)"),
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help=t(
            "删除已报送者的报表中不再填报的行（默认只新增和更新，从不删除）",
            "remove the rows a returned form no longer gives (by default rows are only added and "
            "updated, never removed)",
        ),
    )
    p.add_argument(
        "--reviewer",
        help=t(
            "汇总人，记入 decisions.csv（默认：登录名）",
            "who collects, recorded in decisions.csv (default: the login name)",
        ),
    )
    add_lang(p, t, "报送情况", "the board")
    p.set_defaults(run=cmd_collect)
