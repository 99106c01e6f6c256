"""``wfscore validate``, ``wfscore score`` and ``wfscore explain`` (SPEC §7)."""

from __future__ import annotations

import sys

from wfscore.cli.common import add_lang, error, inert, load, message, print_problems, say, warning


def cmd_validate(args) -> int:
    from wfscore.inputs.loading import validate

    problems = validate(args.dir)
    print_problems(problems, args.dir, sys.stdout, args.ui_lang)
    return 1 if any(p.is_error for p in problems) else 0


def cmd_score(args) -> int:
    from wfscore.engine.pipeline import score
    from wfscore.inputs.output import OutputError, check_targets, staged, write_csv

    ui = args.ui_lang
    try:  # before anything is read: a wrong --out is a usage error
        targets = check_targets({"--out": args.out, "--detail": args.detail}, reads=[args.dir])
    except OutputError as exc:
        error(ui, message(exc, ui))
        return exc.status
    data = load(args.dir, ui)
    if data is None:
        return 1
    result = score(data)
    try:
        with staged(*targets) as paths:
            write_csv(result.ranking, paths[0], encoding=args.encoding)
            if args.detail:
                write_csv(result.detail(args.lang), paths[1], encoding=args.encoding)
    except OutputError as exc:
        error(ui, message(exc, ui))
        return exc.status
    for p in data.warnings:
        warning(ui, p.text(ui))
    files = ", ".join(str(t) for t in targets)
    say(
        f"已为 {args.dir} 的 {len(result.total)} 个部门计分，写出 {files}"
        if ui == "zh"
        else f"scored {len(result.total)} departments of {args.dir}: wrote {files}",
        sys.stderr,
    )
    return 0


def cmd_explain(args) -> int:
    from wfscore.engine.explain import explain
    from wfscore.engine.pipeline import score

    ui = args.ui_lang
    data = load(args.dir, ui)
    if data is None:
        return 1
    result = score(data)
    try:
        text = explain(result, args.dept_id, lang=args.lang)
    except KeyError:
        known = ", ".join(data.dept_ids[:10]) + (", …" if len(data.dept_ids) > 10 else "")
        source = data.sources["departments"]
        error(
            ui,
            f"{source} 中没有部门 {args.dept_id!r}（应为 dept_id，例如 {known}）"
            if ui == "zh"
            else f"no department {args.dept_id!r} in {source} (expected a dept_id such as {known})",
        )
        return 1
    print(inert(text))
    return 0


def add_commands(sub, t) -> None:
    year = t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011")
    p = sub.add_parser(
        "validate",
        help=t("检查一个年度文件夹，列出全部错误和警告", "check a year's folder and print every error and warning"),
        description=t(
            "按 SPEC §3–§6 检查 DIR，列出全部错误和警告。没有错误时退出码为 0，有错误时为 1。",
            "Check DIR against SPEC §3–§6 and print every error and warning. "
            "Exit 0 when there are no errors, 1 when there are.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=year)
    add_lang(p, t)
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser(
        "score",
        help=t("为一个年度计分，结果写成 CSV", "score a year and write the results as CSV"),
        description=t(
            "为 DIR 的每个部门计分：每个部门一行写入 --out（每个部门每项指标一行写入 "
            "--detail）。输入有误时列出全部错误，不写任何文件，退出码为 1。",
            "Score every department of DIR and write one row per department "
            "to --out (and one row per department and indicator to --detail). "
            "On invalid input print every error, write nothing and exit 1.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=year)
    p.add_argument(
        "--out", required=True, metavar="FILE", help=t("结果 CSV，每个部门一行", "results CSV, one row per department")
    )
    p.add_argument(
        "--detail",
        metavar="FILE",
        help=t("明细 CSV，每个部门每项指标一行", "detail CSV, one row per department and indicator"),
    )
    add_lang(p, t, "明细说明", "the detail notes")
    p.add_argument(
        "--encoding",
        choices=("utf-8-sig", "utf-8", "gb18030"),
        default="utf-8-sig",
        help=t(
            "CSV 文件的编码（默认 utf-8-sig：带 BOM 的 UTF-8，中文 Windows 上的 Excel 能正确打开）",
            "encoding of the CSV files (default utf-8-sig: UTF-8 with a BOM, which Excel on a "
            "Chinese-locale PC reads correctly)",
        ),
    )
    p.set_defaults(run=cmd_score)

    p = sub.add_parser(
        "explain",
        help=t("打印一个部门的得分明细和加减分", "print one department's breakdown and adjustments"),
        description=t(
            "打印一个部门每一分的来历：每项指标的值、基数、权重和得分，以及每项加减分及其理由。",
            "Print where every point of one department came from: each "
            "indicator's value, base, weights and score, and every adjustment "
            "with its reason.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=year)
    p.add_argument("dept_id", metavar="DEPT_ID", help=t("部门的 dept_id", "the department's dept_id"))
    add_lang(p, t, "明细", "the breakdown")
    p.set_defaults(run=cmd_explain)
