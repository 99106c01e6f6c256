"""The results notice (通报) the office issues, as an editable Word document.

``wfscore report`` writes ``通报.docx`` beside the report (and ``通报.pdf`` from it with
LibreOffice, :mod:`wfscore.publish.office`). The layout follows GB/T 9704-2012 (党政机关
公文格式): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the issuing
office's heading in red and the 文号 under it, a red rule; the title in 小标宋 二号; the
body in 仿宋 三号 (16 pt) on a grid of 22 lines of 28 characters; headings 一、 in 黑体 and
（一） in 楷体; page numbers "— 1 —" in 宋体 四号 at the foot, odd pages right, even left;
the office and the date at the end; then the attachment (附件): every department's rank,
name, kind, section scores, total and converted score, the header repeated on each page.

The office, the 文号 and the date are parameters (:class:`NoticeParams`); left out, they
are placeholders (××) the office fills in in Word. The fonts named are those of an
office PC (仿宋_GB2312, falling back to 仿宋, 黑体, 楷体_GB2312 / 楷体, 方正小标宋简体,
Times New Roman for Latin letters and figures); the document embeds none.

The narrative is written from the result: the number of departments, the average and
the spread, the excellent, who lost eligibility and why, and, where the folder of the
year before exists, the change since then. Nothing technical (no hashes, no file names).
All text from the year's files goes in as plain text, its control characters shown as
escapes (:func:`wfscore.inputs.inert.plain`), so that a name cannot break the XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from wfscore.engine.result import Result
from wfscore.inputs import inert
from wfscore.inputs.scheme import label
from wfscore.inputs.validation import counted
from wfscore.publish.notice_docx import Layout
from wfscore.publish.notice_text import notice_words

FILE_NAME = "通报.docx"
PDF_NAME = "通报.pdf"

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class NoticeParams:
    """What the office fills in; None: a placeholder (××) to fill in in Word."""

    office: str | None = None
    number: str | None = None
    date: str | None = None


def clean(text: object) -> str:
    """``text`` safe in the document's XML: control characters and overrides as escapes."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", inert.plain(text))


def fixed(x: float, places: int = 2) -> str:
    """``x`` rounded half up to ``places`` decimals (as the ranking rounds), as text."""
    return str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# -- what the notice says ---------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """The numbers and names the narrative states, taken from a result."""

    n: int
    mean: float
    median: float
    best: str
    max: float
    min: float
    excellent: list[str] | None  # names in rank order; None: the scheme has no excellence rule
    share: float | None
    lost: list[tuple[str, list[str]]]  # name, dates of its major incidents
    zeroed: int
    security_category: str | None
    comparison: object | None  # wfscore.analysis.years.Comparison with the year before, or None


def facts(result: Result, comparison=None, lang: str = "zh") -> Facts:
    data, order = result.data, result.order
    names = data.departments["name"].to_numpy()
    total = result.total
    rules = result.scheme.rules
    excellent = None
    if result.excellent is not None:
        excellent = [names[d] for d in order if result.excellent[d]]
    incidents = data.tables.get("incidents")
    dates: dict[str, list[str]] = {}
    if incidents is not None and len(incidents):
        stands = incidents[counted(incidents)]
        for d, date, severity in zip(stands["dept_id"], stands["date"], stands["severity"]):
            if str(severity).casefold() == "major":
                dates.setdefault(str(d), []).append(str(date))
    ids = data.dept_ids
    lost = [(names[d], dates.get(str(ids[d]), [])) for d in order if not result.eligible[d]]
    category = None
    if rules.security_incident is not None:
        cat = next(
            (c for s in result.scheme.sections for c in s.categories if c.id == rules.security_incident.category), None
        )
        category = label(cat, lang) if cat is not None else rules.security_incident.category
    zeroed = int(result.zeroed.any(axis=1).sum()) if result.zeroed.size else 0
    top = int(order[0])
    return Facts(
        n=len(total),
        mean=float(np.mean(total)),
        median=float(np.median(total)),
        best=names[top],
        max=float(total.max()),
        min=float(total.min()),
        excellent=excellent,
        share=rules.excellence.share if rules.excellence is not None else None,
        lost=lost,
        zeroed=zeroed,
        security_category=category,
        comparison=comparison,
    )


def previous(result: Result):
    """The comparison with the year before (its sibling folder), or None when there is none
    or it cannot be read: the notice then says nothing of the year before."""
    from wfscore.analysis.years import with_previous
    from wfscore.inputs.problems import InputError

    try:
        return with_previous(result)
    except (InputError, ValueError, OSError):
        return None


def _change_lines(f: Facts, result: Result, t: dict) -> list[str]:
    comp, year = f.comparison, result.scheme.year
    before = comp.results[year - 1]
    mean_before, mean_now = fixed(np.mean(before.total)), fixed(f.mean)
    if mean_before == mean_now:
        lines = [t["change_same_mean"].format(before=year - 1, n_before=len(before.total), mean=mean_now)]
    else:
        way = t["up"] if Decimal(mean_now) > Decimal(mean_before) else t["down"]
        lines = [
            t["change_mean"].format(
                before=year - 1, n_before=len(before.total), mean_before=mean_before, way=way, mean=mean_now
            )
        ]
    risers, fallers = comp.movers(year, 3)
    for rows, key, item in ((risers, "risers", "mover"), (fallers, "fallers", "faller")):
        if len(rows):
            items = t["sep"].join(
                t[item].format(name=r["name"], before=int(r["previous_rank"]), now=int(r["rank"]))
                for _, r in rows.iterrows()
            )
            lines.append(t[key].format(items=items))
    return lines


def narrative(result: Result, f: Facts, params: NoticeParams, lang: str = "zh") -> list[tuple[str, str]]:
    """The notice's body as (style, text) pairs: ``h1`` (一、), ``h2`` (（一）), ``p``."""
    t = notice_words(lang)
    scheme, year = result.scheme, result.scheme.year
    office = params.office or t["office"]
    total_points = sum(s.points for s in scheme.sections)
    title = scheme.title_en if lang == "en" and scheme.title_en else scheme.title
    out = [
        ("p", t["opening"].format(scheme=title, office=office, n=f.n, year=year)),
        ("h1", t["h_overall"]),
        ("h2", t["h_scores"]),
    ]
    parts = t["sep" if lang == "zh" else "dates_sep"].join(
        t["scheme_part"].format(name=label(s, lang), points=_points(s.points)) for s in scheme.sections
    )
    first = [
        t["scheme_points"].format(total=_points(total_points), parts=parts),
        t["scores"].format(
            n=f.n,
            mean=fixed(f.mean),
            max=fixed(f.max),
            best=f.best,
            min=fixed(f.min),
            spread=fixed(f.max - f.min),
            median=fixed(f.median),
        ),
    ]
    out.append(("p", ("" if lang == "zh" else " ").join(first)))
    second = [
        t["no_excellence"]
        if f.excellent is None
        else t["excellent_count"].format(share=_points(f.share * 100), n=len(f.excellent))
    ]
    second.append(t["lost_count"].format(n=len(f.lost)) if f.lost else t["lost_none"])
    if f.zeroed and f.security_category:
        second.append(t["zeroed_count"].format(n=f.zeroed, category=f.security_category))
    out.append(("p", ("" if lang == "zh" else " ").join(second)))
    if f.comparison is not None:
        out.append(("h2", t["h_change"].format(before=year - 1)))
        out.append(("p", ("" if lang == "zh" else " ").join(_change_lines(f, result, t))))
    out.append(("h1", t["h_excellent"]))
    if f.excellent is None:
        out.append(("p", t["no_excellence"]))
    elif f.excellent:
        out.append(("p", t["excellent_list"].format(items=t["sep"].join(f.excellent), n=len(f.excellent))))
    else:
        out.append(("p", t["none"]))
    out.append(("h1", t["h_lost"]))
    if f.lost:
        items = t["sep"].join(
            t["lost_item"].format(name=name, dates=t["dates_sep"].join(dates) or "–") for name, dates in f.lost
        )
        out.append(("p", t["lost_list"].format(items=items)))
    else:
        out.append(("p", t["none"]))
    out.append(("h1", t["h_use"]))
    conv = scheme.rules.conversion
    out.append(
        (
            "p",
            t["use_converted"].format(points=_points(conv.points), total=_points(total_points))
            if conv is not None
            else t["use_plain"],
        )
    )
    return [(style, clean(text)) for style, text in out]


def _points(x: float) -> str:
    return f"{x:g}" if float(x) == round(float(x), 6) else fixed(x)


def table_rows(result: Result, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The attachment's header and rows: rank, name, kind, each section's score, the total
    and the converted score (where the scheme converts), in rank order."""
    t = notice_words(lang)
    scheme, arr = result.scheme, result.arrays
    places = scheme.rules.rank_precision
    header = [t["rank"], t["department"], t["kind"]] + [label(s, lang) for s in scheme.sections] + [t["total"]]
    if result.converted is not None:
        header.append(t["converted"])
    depts = result.data.departments
    names, kinds = depts["name"].to_numpy(), depts["kind"].to_numpy()
    rows = []
    for d in result.order:
        mark = ""
        if result.excellent is not None and result.excellent[d]:
            mark = t["excellent_mark"]
        elif not result.eligible[d]:
            mark = t["lost_mark"]
        row = [str(int(result.rank[d])), names[d] + mark, scheme.kind_name(kinds[d], lang)]
        row += [fixed(result.section[d, n], places) for n in range(len(arr.section_ids))]
        row.append(f"{result.published[d] / 10**places:.{places}f}")
        if result.converted is not None:
            row.append(fixed(result.converted[d], places))
        rows.append([clean(c) for c in row])
    return [clean(h) for h in header], rows


# -- the document -------------------------------------------------------------------------------


def write(
    result: Result, path: str | Path, lang: str = "zh", params: NoticeParams | None = None, comparison=None
) -> Path:
    """Write the notice of ``result`` to ``path`` (a .docx)."""
    params = params or NoticeParams()
    t = notice_words(lang)
    year = result.scheme.year
    doc = Layout(lang)
    doc.office_heading(clean(t["office_heading"].format(office=params.office or t["office"])))
    doc.number(clean(params.number or t["number"].format(year=year + 1)))
    doc.title(clean(t["title"].format(year=year)))
    if result.data.synthetic:
        doc.paragraph(t["synthetic"], indent=False)
    doc.paragraph(t["addressees"], indent=False)
    for style, text in narrative(result, facts(result, comparison, lang), params, lang):
        {"h1": doc.heading1, "h2": doc.heading2, "p": doc.paragraph}[style](text)
    doc.blank()
    doc.paragraph(clean(t["attachment_note"].format(year=year)))
    doc.signature(clean(params.office or t["office"]), clean(params.date or t["date"].format(year=year + 1)))
    header, rows = table_rows(result, lang)
    doc.attachment(
        t["attachment"],
        clean(t["attachment_title"].format(year=year)),
        header,
        rows,
        t["marks"] if (result.excellent is not None or not result.eligible.all()) else None,
    )
    path = Path(path)
    doc.save(path)
    return path
