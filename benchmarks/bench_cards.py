"""Feedback cards and report.pdf against chromium's own floor, measured in the same run.

    python benchmarks/run.py cards

- cards: ``wfscore.publish.cards.build(data/2011)``: 129 cards as HTML and PDF (scoring,
  the robustness analysis, rendering, one font subset, printing, the zip), and its parts;
- floor: the same chromium (one browser, the same number of tabs) printing a one-page
  HTML as many times as the cards have pages: what any card costs at least;
- report.pdf: printing the sample report's page, against the floor for its page count.

Target: all the cards in under 30 s on two cores. The machine is shared: the load
average is printed with the numbers.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, table

DATA = ROOT / "data" / "2011"
TARGET = 30.0
TABS = 2
ONE_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page { size: A4; }</style></head>'
    "<body><h1>Floor</h1><p>one page</p></body></html>"
)


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 1


def _floor(n: int, tmp: Path) -> float:
    from wfscore.publish.pdf import Job, print_pdfs

    start = time.perf_counter()
    print_pdfs([Job(ONE_PAGE, tmp / f"floor-{k}.pdf") for k in range(n)], tabs=TABS)
    return time.perf_counter() - start


def main() -> bool:
    import wfscore
    from wfscore.publish import cards
    from wfscore.publish.pdf import Job, print_pdf, print_pdfs
    from wfscore.publish.webfont import FontSubsetter

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        load = os.getloadavg()[0]
        start = time.perf_counter()
        made = cards.build(DATA, tmp / "cards", tabs=TABS)
        total = time.perf_counter() - start
        pages = sum(_pages(p) for p in (tmp / "cards").glob("*.pdf"))
        floor = _floor(pages, tmp)

        # the parts, in this process
        t = time.perf_counter()
        result = wfscore.score(wfscore.load_year(DATA))
        maker = cards.maker_for(result)
        t_prepare = time.perf_counter() - t
        t = time.perf_counter()
        rendered = cards.render(maker)
        t_render = time.perf_counter() - t
        t = time.perf_counter()
        fonts = FontSubsetter()
        face = fonts.shared_face([html for _, _, html in rendered])
        htmls = [fonts.embed(html, face) for _, _, html in rendered]
        t_font = time.perf_counter() - t
        t = time.perf_counter()
        print_pdfs([Job(h, tmp / f"p{k}.pdf") for k, h in enumerate(htmls)], tabs=TABS)
        t_print = time.perf_counter() - t

        # report.pdf: the page of a report built from the sample (the notebook run is not timed)
        from wfscore.publish import report

        report.build(DATA, tmp / "report")
        page = (tmp / "report" / "report.html").read_text(encoding="utf-8")
        t = time.perf_counter()
        print_pdf(page, tmp / "again.pdf")
        t_report = time.perf_counter() - t
        report_pages = _pages(tmp / "again.pdf")
        report_floor = _floor(report_pages, tmp)

    table(
        f"feedback cards of data/2011 ({made.count} departments, {pages} pages; load average {load:.1f} on 2 cores)",
        ["what", "time", "floor", "ratio", "target"],
        [
            [
                "all cards, HTML + PDF + zip (cards.build)",
                fmt(total),
                fmt(floor),
                f"{total / floor:.1f}x",
                f"< {TARGET:.0f} s: {'met' if total < TARGET else 'MISSED'}",
            ],
            ["  score + robustness + last year", fmt(t_prepare), "", "", ""],
            ["  render 129 HTML pages (jinja2)", fmt(t_render), "", "", ""],
            ["  one font subset (fontTools, WOFF2) + embed", fmt(t_font), "", "", ""],
            [f"  print 129 PDFs (chromium, {TABS} tabs)", fmt(t_print), fmt(floor), f"{t_print / floor:.1f}x", ""],
            [
                f"report.pdf ({report_pages} pages)",
                fmt(t_report),
                fmt(report_floor),
                f"{t_report / report_floor:.1f}x",
                "",
            ],
        ],
    )
    return total < TARGET


if __name__ == "__main__":
    main()
