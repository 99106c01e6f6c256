"""``wfscore forms DIR --out FOLDER`` and ``wfscore collect FOLDER --into DIR [--status]``:
the forms that go out to departments, experts and the office, and the returns that come in
(:mod:`wfscore.inputs.forms`, :mod:`wfscore.inputs.collect`)."""

from __future__ import annotations

import sys
from pathlib import Path


def _safe(text: str) -> str:
    """Terminal text without control characters (a hostile file name or cell stays inert)."""
    return "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in str(text))


def _say(text: str, stream=None) -> None:
    print(_safe(text), file=stream or sys.stdout)


def _problem_line(p, lang: str) -> str:
    where = p.source
    if p.line is not None:
        where += f" {p.row_word} {p.line}"
    if p.column is not None:
        where += f", {p.column_word} {p.column}"
    message = p.message_in(lang)
    what = message if p.value is None else f"{p.value!r} {message}"
    word = ("错误" if p.is_error else "警告") if lang == "zh" else ("error" if p.is_error else "warning")
    return f"{word}: {where}: {what}"


def _print_problems(problems, lang: str, stream) -> None:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors + warnings:
        _say(_problem_line(p, lang), stream)
    if lang == "zh":
        _say(f"共 {len(errors)} 个错误，{len(warnings)} 个警告", stream)
    else:
        _say(f"{len(errors)} error{'s' * (len(errors) != 1)}, {len(warnings)} warning{'s' * (len(warnings) != 1)}",
             stream)


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

    folder, out = Path(args.dir), Path(args.out)
    experts = _experts(args.experts, folder)
    if experts is None:
        _say("错误: 未指定专家（请用 --experts E1 E2 … 或 --experts 专家名单.csv，或在年度文件夹中放 experts.csv）"
             if args.lang == "zh" else "error: no experts given (expected --experts E1 E2 ..., --experts FILE, "
             "or experts.csv in the year's folder)", sys.stderr)
        return 2
    try:
        names = write_forms(folder, out, experts, deadline=args.deadline or "", contact=args.contact or "",
                            lang=args.lang, progress=sys.stderr.isatty())
    except InputError as exc:
        _print_problems(exc.problems, args.lang, sys.stderr)
        _say("未写出任何文件" if args.lang == "zh" else "nothing was written", sys.stderr)
        return 1
    n = len(names.departments) + len(names.experts) + 1
    if args.lang == "zh":
        _say(f"已在 {out} 写出 {n} 个表格：部门自查表 {len(names.departments)} 个，专家评分表 "
             f"{len(names.experts)} 个，考核办填报表 1 个")
    else:
        _say(f"wrote {n} forms into {out}: {len(names.departments)} self-check forms, {len(names.experts)} "
             "rating sheets, 1 office workbook")
    return 0


def _decided(folder: Path) -> set[tuple[str, int]]:
    from wfscore.review.decisions import decided_rows, history

    return set(decided_rows(history(folder)))


def cmd_collect(args) -> int:
    from wfscore.inputs.collect import board_text, read_returns, write_year
    from wfscore.inputs.problems import InputError
    from wfscore.review.decisions import DecisionError

    lang = args.lang
    folder, into = Path(args.folder), Path(args.into)
    try:
        decided = _decided(into) if into.is_dir() else set()
    except DecisionError as exc:
        _say(f"error: {exc}", sys.stderr)
        return 1
    try:
        col = read_returns(folder, into, experts=args.experts or None, progress=sys.stderr.isatty())
    except InputError as exc:
        _print_problems(exc.problems, lang, sys.stderr)
        _say("未写出任何文件" if lang == "zh" else "nothing was written", sys.stderr)
        return 1
    if args.status:
        _say(board_text(col, decided, lang))
        if col.problems:
            _print_problems(col.problems, lang, sys.stdout)
        return 0
    try:
        outcome = write_year(col, decided)
    except InputError as exc:
        _print_problems(exc.problems, lang, sys.stderr)
        _say("未写出任何文件（请改正后重新汇总）" if lang == "zh" else "nothing was written (fix the returns, then collect again)",
             sys.stderr)
        return 1
    if col.problems:
        _print_problems(col.problems, lang, sys.stderr)
    for line in outcome.kept + outcome.notes:
        _say(("保留：" if lang == "zh" else "kept: ") + line if line in outcome.kept else
             ("说明：" if lang == "zh" else "note: ") + line)
    if lang == "zh":
        _say(f"已写入 {into}：{'、'.join(outcome.written) or '（无）'}" +
             (f"；未变：{'、'.join(outcome.unchanged)}" if outcome.unchanged else ""))
    else:
        _say(f"wrote into {into}: {', '.join(outcome.written) or '(nothing)'}" +
             (f"; unchanged: {', '.join(outcome.unchanged)}" if outcome.unchanged else ""))
    warnings = [p for p in outcome.problems if not p.is_error]
    if warnings:
        _say(f"本年度数据有 {len(warnings)} 个警告（wfscore validate {into} 列出全部）" if lang == "zh" else
             f"the year has {len(warnings)} warnings (wfscore validate {into} lists them)")
    return 0


def add_commands(sub) -> None:
    from wfscore.inputs.wording import LANGS

    p = sub.add_parser("forms", help="write the self-check, rating and office forms of a year (生成自查表、专家评分表)",
                       description="Write one self-check workbook per department, one rating workbook per expert "
                                   "and one office workbook, from DIR's scheme.yaml and departments.csv.")
    p.add_argument("dir", help="the year's folder (scheme.yaml, departments.csv)")
    p.add_argument("--out", required=True, help="the folder to write the forms into")
    p.add_argument("--deadline", help="the deadline printed on the forms (报送截止日期)")
    p.add_argument("--contact", help="the contact printed on the forms (联系人及电话)")
    p.add_argument("--experts", nargs="+", metavar="EXPERT",
                   help="expert ids, or one file of them (default: DIR/experts.csv, or the experts of DIR/ratings.csv)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the forms (default zh)")
    p.set_defaults(run=cmd_forms)

    p = sub.add_parser("collect", help="read the returned forms into a year's folder (汇总报送的表格)",
                       description="Read every workbook in FOLDER (forms made by wfscore forms, or summary sheets) "
                                   "and write DIR's values, ratings, website evaluation, exemption requests and "
                                   "achievement claims; --status prints the collection board instead.")
    p.add_argument("folder", help="the folder of returned workbooks (never written to)")
    p.add_argument("--into", required=True, help="the year's folder (scheme.yaml, departments.csv)")
    p.add_argument("--status", action="store_true", help="print the collection board; write nothing")
    p.add_argument("--experts", nargs="+", metavar="EXPERT", help="the experts expected (default: DIR/experts.csv)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the messages (default zh)")
    p.set_defaults(run=cmd_collect)
