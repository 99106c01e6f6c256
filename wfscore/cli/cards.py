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
    try:
        terminal = sys.stderr.isatty()
        made = build(args.dir, args.out, lang=args.lang, contact=args.contact, deadline=args.deadline,
                     pdf=want_pdf(args), progress=terminal, lines=not terminal)
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
        say(f"注意：{shown} 的反馈卡文件名本会相同，已在各自文件名后加上其编号的散列值" if ui == "zh" else
            f"note: the cards of {shown} would have had one file name; each name has its id's hash added", sys.stderr)
    if made.pdf:
        what = "HTML 和 PDF、index.html、cards.zip" if ui == "zh" else "HTML and PDF, index.html, cards.zip"
    else:
        what = "HTML、index.html" if ui == "zh" else "HTML, index.html"
    say(f"已将 {made.year} 年的 {made.count} 张反馈卡（{what}）写入 {made.folder}，"
        f"用时 {made.seconds:.1f} 秒" if ui == "zh" else
        f"wrote {made.count} feedback cards of {made.year} ({what}) into "
        f"{made.folder} in {made.seconds:.1f} s", sys.stderr)
    no_pdf_note(args)
    gc.freeze()  # as `wfscore report`: no cycle search over everything loaded at exit
    return 0


def add_command(subparsers, t) -> None:
    p = subparsers.add_parser(
        "cards", help=t("为每个部门生成考核结果反馈卡，HTML 和 PDF",
                        "a feedback card (考核结果反馈) for every department, HTML and PDF"),
        description=t("为 DIR 的每个部门写一张反馈卡，HTML 和 A4 PDF 各一份，另有 index.html 和 cards.zip（全部 PDF），"
                      "放入 --out（默认 reports/<年度>/cards/）。文件名为 <部门编号>_<部门名称>，在各系统上都可用。"
                      "全部反馈卡都生成后才替换该文件夹；--out 只能是新的或空的文件夹，或以前反馈卡的文件夹。",
                      "Write one feedback card per department of DIR, as HTML and as A4 PDF, with index.html "
                      "and cards.zip (the PDFs), into --out (default reports/<year>/cards/), each file named "
                      "<dept_id>_<name>, made safe on every system. The folder is replaced only when every card "
                      "was made; --out must be a new or empty folder, or earlier cards' folder."))
    p.add_argument("dir", metavar="DIR", help=t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011"))
    p.add_argument("--out", metavar="DIR", help=t("反馈卡文件夹（默认 reports/<年度>/cards/）",
                                                  "the cards folder (default reports/<year>/cards/)"))
    add_lang(p, t, "反馈卡", "the cards")
    add_no_pdf(p, t, "反馈卡的 HTML 和 index.html", "the cards as HTML and their index.html")
    p.add_argument("--contact", metavar="TEXT", help=t("申请复核的联系方式，如科室和电话",
                                                       "where to ask for a review (复核), e.g. an office and a phone"))
    p.add_argument("--deadline", metavar="DATE", help=t("申请复核的截止日期，如 2012-03-31",
                                                        "the last day to ask for a review, e.g. 2012-03-31"))
    p.set_defaults(run=cmd_cards)
