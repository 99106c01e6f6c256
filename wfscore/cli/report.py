"""``wfscore report DIR`` and ``wfscore report --all DIR`` (:mod:`wfscore.publish.report`,
:mod:`wfscore.publish.report_all`)."""

from __future__ import annotations

import gc
import sys

from wfscore.cli.common import add_lang, error, message, print_problems, say, text_in, warning


def _none_written(ui: str, previous: bool = True) -> None:
    if ui == "zh":
        say("未写出报告" + ("；原有报告保持不变" if previous else ""), sys.stderr)
    else:
        say("no report was written" + ("; any previous report is unchanged" if previous else ""), sys.stderr)


def want_pdf(args) -> bool:
    """Whether to print the PDF: not with ``--no-pdf``, nor without a browser (looked for
    now, before the work; :func:`no_pdf_note` says so at the end)."""
    from wfscore.publish.pdf import PdfError, chromium_path

    args.no_browser = None
    if args.no_pdf:
        return False
    try:
        chromium_path()
    except PdfError as exc:
        args.no_browser = exc
        return False
    return True


def no_pdf_note(args) -> None:
    """The one line saying the PDF was not made for want of a browser, and how to get one."""
    if getattr(args, "no_browser", None) is not None:
        say(("注意：" if args.ui_lang == "zh" else "note: ") + message(args.no_browser, args.ui_lang), sys.stderr)


def add_no_pdf(p, t, what_zh: str, what_en: str) -> None:
    """A command's ``--no-pdf``."""
    p.add_argument(
        "--no-pdf",
        action="store_true",
        help=t(
            f"不生成 PDF，只写出{what_zh}（找不到 Chrome、Edge 或 Chromium 浏览器时也是如此，"
            "并提示一行；环境变量 WFSCORE_CHROMIUM 可指定浏览器的可执行文件）",
            f"write {what_en} without the PDF (as happens, with a one-line note, when no Chrome, "
            "Edge or Chromium is found; WFSCORE_CHROMIUM names the browser's executable)",
        ),
    )


def cmd_report(args) -> int:
    from wfscore.inputs.output import OutputError
    from wfscore.inputs.problems import InputError
    from wfscore.publish.report import ReportError, UsageError, build

    ui = args.ui_lang
    if args.out is not None and not args.out.strip():
        error(
            ui,
            f"--out {args.out!r} 不是文件夹名（应为文件夹，如 reports/2011）"
            if ui == "zh"
            else f"--out {args.out!r} is not a folder name (expected a folder such as reports/2011)",
        )
        return 2
    if args.all:  # every year of a folder of years, then the trends report (wfscore.publish.report_all)
        return cmd_all(args)
    from wfscore.publish.notice import NoticeParams

    terminal = sys.stderr.isatty()
    params = NoticeParams(office=args.office, number=args.doc_number, date=args.notice_date)
    try:
        built = build(
            args.dir,
            args.out,
            lang=args.lang,
            progress=terminal,
            lines=not terminal,
            pdf=want_pdf(args),
            notice=params,
            notice_pdf=not args.no_pdf,
        )
    except InputError as exc:
        print_problems(exc.problems, args.dir, sys.stderr, ui)
        _none_written(ui, previous=False)
        return 1
    except ReportError as exc:
        error(ui, message(exc, ui))
        _none_written(ui)
        return 2 if isinstance(exc, UsageError) else 1
    except OutputError as exc:
        error(ui, message(exc, ui))
        _none_written(ui)
        return exc.status
    for p in built.warnings:
        warning(ui, p.text(ui))
    files = ", ".join(str(built.folder / name) for name in built.outputs)
    say(f"已写出 {built.year} 年报告：{files}" if ui == "zh" else f"wrote the {built.year} report: {files}", sys.stderr)
    for name in built.removed:  # cards of another result are never left beside the new report
        again = f"wfscore cards {args.dir} --out {built.folder / name}"
        say(
            f"注意：{built.folder / name} 中的反馈卡属于另一考核结果，已删除；请重新生成：{again}"
            if ui == "zh"
            else f"note: the cards in {built.folder / name} were of another result and were removed; make them again: "
            f"{again}",
            sys.stderr,
        )
    no_pdf_note(args)
    for note in built.notes:  # 通报.pdf not made (no LibreOffice): the .docx is there
        say(("注意：" if ui == "zh" else "note: ") + message(note, ui), sys.stderr)
    if built.pdf_failed is not None:  # asked for and not made: the rest is written, the run failed
        error(ui, text_in(built.pdf_failed, ui))
        gc.freeze()
        return 1
    # The command ends here. Objects alive now are left to the operating system instead of
    # being searched for cycles at exit: a quarter of a second with pandas and
    # nbconvert loaded. (Everything written is closed; reference counting still runs.)
    gc.freeze()
    return 0


def add_command(subparsers, t) -> None:
    p = subparsers.add_parser(
        "report",
        help=t(
            "生成年度报告（HTML、Excel、已运行的 notebook）", "build the annual report (HTML, Excel, executed notebook)"
        ),
        description=t(
            "用 papermill 对 DIR 运行年度报告 notebook，写出 report.html（单一文件，不显示代码）、"
            "report.pdf（A4，由 Chrome、Edge 或 Chromium 打印）、report.ipynb（已运行的 notebook）和 "
            "results.xlsx，放入 --out（默认 reports/<年度>/）。每一步都成功后才替换该文件夹；失败时不写任何"
            "文件，并指出出错的单元格。--out 只能是新的或空的文件夹，或以前报告的文件夹（其中只有报告写出的文件）。",
            "Run the annual report notebook on DIR with papermill and write report.html "
            "(self-contained, code hidden), report.pdf (A4, printed by Chrome, Edge or Chromium), "
            "report.ipynb (the executed notebook) and results.xlsx into --out (default "
            "reports/<year>/). The folder is replaced only when every step succeeded; on failure "
            "nothing is written and the failed cell is named. --out must be a new or empty folder, "
            "or a previous report's (holding only the files the report wrote).",
        ),
    )
    p.add_argument(
        "dir",
        metavar="DIR",
        help=t(
            "年度数据文件夹，如 data/2011（与 --all 一起：存放各年度文件夹的文件夹，如 data）",
            "a year's data folder, e.g. data/2011 (with --all: the folder holding one folder per year, e.g. data)",
        ),
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help=t(
            "报告文件夹（默认 reports/<年度>/；与 --all 一起：全部报告的文件夹，默认 reports/）",
            "the report folder (default reports/<year>/; with --all the folder of all reports, default reports/)",
        ),
    )
    add_lang(p, t, "报告", "the report")
    add_no_pdf(p, t, "其余文件（HTML、Excel、notebook）", "the HTML, the workbook and the notebook")
    p.add_argument(
        "--office",
        metavar="TEXT",
        help=t(
            "通报的发文机关（默认占位“××市信息化工作领导小组办公室”，在 Word 中填写）",
            "the notice's issuing office (default a placeholder, ××, to fill in in Word)",
        ),
    )
    p.add_argument(
        "--doc-number",
        metavar="TEXT",
        help=t(
            "通报的发文字号，如 潍信办〔2012〕3号（默认占位“×信办〔<下一年>〕×号”）",
            "the notice's document number (文号), e.g. 潍信办〔2012〕3号 (default a placeholder)",
        ),
    )
    p.add_argument(
        "--notice-date",
        metavar="TEXT",
        help=t(
            "通报的成文日期，如 2012年3月1日（默认占位“<下一年>年×月×日”）",
            "the notice's date, e.g. 2012年3月1日 (default a placeholder)",
        ),
    )
    p.add_argument(
        "--all",
        action="store_true",
        help=t(
            "以多个进程并行生成 DIR 下每个年度文件夹（以年度命名，如 data/2011）的报告，"
            "再生成趋势报告，放入 <out>/trends/",
            "build the report of every year folder of DIR (named by the year, e.g. data/2011) in "
            "parallel processes, then the trends report into <out>/trends/",
        ),
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        default=None,
        help=t(
            "与 --all 一起：同时生成几个年度（默认：CPU 个数）",
            "with --all: how many years to build at once (default: the number of CPUs)",
        ),
    )
    p.set_defaults(run=cmd_report)


def cmd_all(args) -> int:
    """``wfscore report --all DIR``: print one line per year and one for the trends report."""
    from wfscore.inputs.output import OutputError
    from wfscore.publish.report import ReportError, UsageError
    from wfscore.publish.report_all import TRENDS_OUTPUTS, build_all

    ui = args.ui_lang
    zh = ui == "zh"
    progress = sys.stderr.isatty()
    try:
        result = build_all(args.dir, args.out, lang=args.lang, jobs=args.jobs, progress=progress, pdf=want_pdf(args))
    except ReportError as exc:
        error(ui, message(exc, ui))
        _none_written(ui, previous=False)
        return 2 if isinstance(exc, UsageError) else 1
    except OutputError as exc:
        error(ui, message(exc, ui))
        _none_written(ui, previous=False)
        return exc.status
    for y in result.years:
        if y.ok:
            if zh:
                say(f"{y.year}：已写出 {y.folder}" + (f"（{y.warnings} 个警告）" if y.warnings else ""), sys.stderr)
            else:
                note = f" ({y.warnings} warning{'s' * (y.warnings != 1)})" if y.warnings else ""
                say(f"{y.year}: wrote {y.folder}{note}", sys.stderr)
            if y.pdf_failed is not None:
                say(("  错误：" if zh else "  error: ") + text_in(y.pdf_failed, ui), sys.stderr)
        else:
            reason = text_in(y.reason, ui)
            say(
                f"{y.year}：失败（{y.source}）：{reason}" if zh else f"{y.year}: FAILED ({y.source}): {reason}",
                sys.stderr,
            )
            for line in y.details:
                say(("  错误：" if zh else "  error: ") + text_in(line, ui), sys.stderr)
            say(
                f"  未写出 {y.year} 年报告；原有报告保持不变"
                if zh
                else f"  the {y.year} report was not written; any previous one is unchanged",
                sys.stderr,
            )
    if result.trends_folder is not None:
        span = f"{result.trends_years[0]}–{result.trends_years[-1]}"
        files = ", ".join(str(result.trends_folder / n) for n in TRENDS_OUTPUTS)
        say(f"趋势报告 {span}：已写出 {files}" if zh else f"trends {span}: wrote {files}", sys.stderr)
    elif result.trends_failure is not None:
        failure = text_in(result.trends_failure, ui)
        say(f"趋势报告：失败：{failure}" if zh else f"trends: FAILED: {failure}", sys.stderr)
    else:
        skipped = text_in(result.trends_skipped, ui)
        say(f"趋势报告：{skipped}" if zh else f"trends: {skipped}", sys.stderr)
    no_pdf_note(args)
    failed = [str(y.year) for y in result.years if not y.ok]
    no_pdf = any(y.pdf_failed is not None for y in result.years)
    if failed:
        say(
            f"{len(result.years)} 个年度中有 {len(failed)} 个失败：{'、'.join(failed)}"
            if zh
            else f"{len(failed)} of {len(result.years)} years failed: {', '.join(failed)}",
            sys.stderr,
        )
    gc.freeze()  # as `wfscore report`: no cycle search over everything loaded at exit
    return 0 if result.ok and not no_pdf else 1
