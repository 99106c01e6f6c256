"""``wfscore cards DIR``: a feedback card for every department (:mod:`wfscore.publish.cards`)."""

from __future__ import annotations

import gc
import sys

from wfscore.cli.common import add_lang, error, message, print_problems, say, warning
from wfscore.cli.report import add_no_pdf, no_pdf_note, want_pdf


def _none_written(ui: str, previous: bool = True) -> None:
    if ui == "zh":
        say("未写出反馈卡" + ("；原有反馈卡保持不变" if previous else ""), sys.stderr)
    else:
        say("no cards were written" + ("; any previous cards are unchanged" if previous else ""), sys.stderr)


def cmd_cards(args) -> int:
    from wfscore.inputs.output import OutputError
    from wfscore.inputs.problems import InputError
    from wfscore.publish.cards import CardsError, build
    from wfscore.publish.pdf import PdfError

    ui = args.ui_lang
    if args.check is not None:
        return cmd_check(args)
    try:
        terminal = sys.stderr.isatty()
        made = build(
            args.dir,
            args.out,
            lang=args.lang,
            contact=args.contact,
            deadline=args.deadline,
            pdf=want_pdf(args),
            rank_interval=not args.no_rank_interval,
            progress=terminal,
            lines=not terminal,
        )
    except InputError as exc:
        print_problems(exc.problems, args.dir, sys.stderr, ui)
        _none_written(ui, previous=False)
        return 1
    except CardsError as exc:
        error(ui, message(exc, ui))
        _none_written(ui)
        return 2
    except PdfError as exc:
        error(ui, message(exc, ui))
        _none_written(ui)
        return 1
    except OutputError as exc:
        error(ui, message(exc, ui))
        _none_written(ui)
        return exc.status
    for p in made.warnings:
        warning(ui, p.text(ui))
    for ids in made.clashes:
        shown = "、".join(ids) if ui == "zh" else ", ".join(ids)
        say(
            f"注意：{shown} 的反馈卡文件名本会相同，已在各自文件名后加上其编号的散列值"
            if ui == "zh"
            else f"note: the cards of {shown} would have had one file name; each name has its id's hash added",
            sys.stderr,
        )
    if made.pdf:
        what = "HTML 和 PDF、index.html、cards.zip" if ui == "zh" else "HTML and PDF, index.html, cards.zip"
    else:
        what = "HTML、index.html" if ui == "zh" else "HTML, index.html"
    say(
        f"已将 {made.year} 年的 {made.count} 张反馈卡（{what}）写入 {made.folder}，用时 {made.seconds:.1f} 秒"
        if ui == "zh"
        else f"wrote {made.count} feedback cards of {made.year} ({what}) into {made.folder} in {made.seconds:.1f} s",
        sys.stderr,
    )
    no_pdf_note(args)
    gc.freeze()  # as `wfscore report`: no cycle search over everything loaded at exit
    return 0


SHOWN = 10  # departments or files named on a line of --check


def _listed(items, ui: str, names: dict | None = None) -> str:
    shown = [
        f"{i}（{names[i]}）"
        if ui == "zh" and names and i in names
        else f"{i} ({names[i]})"
        if names and i in names
        else str(i)
        for i in items[:SHOWN]
    ]
    more = len(items) - len(shown)
    if ui == "zh":
        return "、".join(shown) + (f"等 {len(items)} 个" if more else "")
    return ", ".join(shown) + (f" and {more} more" if more else "")


def cmd_check(args) -> int:
    """``wfscore cards DIR --check CARDS``: which cards of CARDS are not of DIR's current result."""
    from wfscore.inputs.problems import InputError
    from wfscore.publish.cards import CardsError, check_cards

    ui = args.ui_lang
    zh = ui == "zh"
    try:
        found = check_cards(args.dir, args.check)
    except InputError as exc:
        print_problems(exc.problems, args.dir, sys.stderr, ui)
        return 1
    except CardsError as exc:
        error(ui, message(exc, ui))
        return 2
    short = found.result[:16]
    if found.ok:
        say(
            f"{found.folder} 中的 {found.cards} 张反馈卡都属于 {args.dir} 的当前考核结果（结果 {short}）"
            if zh
            else f"all {found.cards} cards in {found.folder} are of the current result of {args.dir} (result {short})"
        )
        return 0
    names = found.names
    if found.other_result:
        say(
            (
                f"{len(found.other_result)} 张反馈卡属于另一考核结果（当前结果 {short}）："
                f"{_listed(found.other_result, ui, names)}"
            )
            if zh
            else f"{len(found.other_result)} cards are of another result (the current one is {short}): "
            f"{_listed(found.other_result, ui, names)}"
        )
        if found.changed:
            say(
                f"  其中这些部门自己的数字已经改变：{_listed(found.changed, ui, names)}"
                if zh
                else f"  of these, the departments whose own figures changed: {_listed(found.changed, ui, names)}"
            )
        else:
            say(
                "  各部门自己的数字未变（名次稳健性等全体数字可能已变）"
                if zh
                else "  no department's own figures changed (figures of all, such as the rank intervals, may have)"
            )
    if found.missing:
        say(
            f"没有反馈卡的部门：{_listed(found.missing, ui, names)}"
            if zh
            else f"departments without a card: {_listed(found.missing, ui, names)}"
        )
    if found.unknown:
        say(
            f"不属于当前任何部门的反馈卡：{_listed(found.unknown, ui)}"
            if zh
            else f"cards of no current department: {_listed(found.unknown, ui)}"
        )
    if found.edited:
        say(
            f"反馈卡写出后被添加或改动的文件：{_listed(found.edited, ui)}"
            if zh
            else f"files added or changed since the cards were written: {_listed(found.edited, ui)}"
        )
    say(
        f"请重新生成反馈卡：wfscore cards {args.dir} --out {found.folder}"
        if zh
        else f"make the cards again: wfscore cards {args.dir} --out {found.folder}"
    )
    return 1


def add_command(subparsers, t) -> None:
    p = subparsers.add_parser(
        "cards",
        help=t(
            "为每个部门生成考核结果反馈卡，HTML 和 PDF",
            "a feedback card (考核结果反馈) for every department, HTML and PDF",
        ),
        description=t(
            "为 DIR 的每个部门写一张反馈卡，HTML 和 A4 PDF 各一份，另有 index.html 和 cards.zip（全部 PDF），"
            "放入 --out（默认 reports/<年度>/cards/）。文件名为 <部门编号>_<部门名称>，在各系统上都可用。"
            "全部反馈卡都生成后才替换该文件夹；--out 只能是新的或空的文件夹，或以前反馈卡的文件夹。",
            "Write one feedback card per department of DIR, as HTML and as A4 PDF, with index.html "
            "and cards.zip (the PDFs), into --out (default reports/<year>/cards/), each file named "
            "<dept_id>_<name>, made safe on every system. The folder is replaced only when every card "
            "was made; --out must be a new or empty folder, or earlier cards' folder.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011"))
    p.add_argument(
        "--out",
        metavar="DIR",
        help=t("反馈卡文件夹（默认 reports/<年度>/cards/）", "the cards folder (default reports/<year>/cards/)"),
    )
    add_lang(p, t, "反馈卡", "the cards")
    add_no_pdf(p, t, "反馈卡的 HTML 和 index.html", "the cards as HTML and their index.html")
    p.add_argument(
        "--contact",
        metavar="TEXT",
        help=t("申请复核的联系方式，如科室和电话", "where to ask for a review (复核), e.g. an office and a phone"),
    )
    p.add_argument(
        "--deadline",
        metavar="DATE",
        help=t("申请复核的截止日期，如 2012-03-31", "the last day to ask for a review, e.g. 2012-03-31"),
    )
    p.add_argument(
        "--no-rank-interval",
        action="store_true",
        help=t(
            "反馈卡上不写名次稳健性（权重浮动时名次的区间）",
            "leave the rank interval (how the rank moves when the weights vary) off the cards",
        ),
    )
    p.add_argument(
        "--check",
        metavar="CARDS",
        help=t(
            (
                "不生成反馈卡，而是核对文件夹 CARDS 中的反馈卡是否属于 DIR 的当前考核结果，"
                "列出不符的反馈卡（不符时退出状态为 1）"
            ),
            "make no cards: check whether the cards in the folder CARDS are of DIR's current result and name those "
            "that are not (exit status 1 when any is not)",
        ),
    )
    p.set_defaults(run=cmd_cards)
