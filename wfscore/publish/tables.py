"""The annual report's tables: headline figures, styled tables, and the Excel workbook.

Each report section is a function of a :class:`~wfscore.engine.result.Result` and a
language that returns a :class:`Section`; a notebook cell shows it by evaluating
it. Every piece of text that comes from the inputs (department names, reasons,
titles, file names, warnings) is HTML-escaped here, so a name such as
``<script>alert(1)</script>`` shows as text. In the workbook every text cell is
written as a string, never as a formula.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.engine.ranking import excellence_count
from wfscore.engine.result import Result, plain_figure
from wfscore.inputs import inert
from wfscore.inputs.output import formula_leading
from wfscore.inputs.scheme import label
from wfscore.inputs.wording import words
from wfscore.publish.report_text import report_words

WORKBOOK = "results.xlsx"


def esc(value: object) -> str:
    """Text from the inputs, safe inside HTML (quotes included; control characters and
    bidirectional overrides shown as escapes: :func:`wfscore.inputs.inert.html`)."""
    return inert.html(value)


@dataclass
class Section:
    """One part of the report: a heading and HTML parts, shown by Jupyter as HTML."""

    title: str
    parts: list[str] = field(default_factory=list)
    level: int = 2

    @property
    def html(self) -> str:
        head = f"<h{self.level}>{esc(self.title)}</h{self.level}>" if self.title else ""
        return f'<section class="wf-section">{head}{"".join(self.parts)}</section>'

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the notebook's text/plain output: short, the HTML is the content
        return f"<Section {self.title!r}>"


def shown_path(path: object) -> str:
    """A folder as a published page shows it: relative to the working folder (the project)
    when it is inside it, else by its name; never the machine's absolute path."""
    p = Path(str(path)).expanduser()
    try:
        full = p.resolve()
        return full.relative_to(Path.cwd().resolve()).as_posix() or "."
    except (ValueError, OSError):
        return p.name or str(path)


def note(text: str, cls: str = "wf-note") -> str:
    return f'<p class="{cls}">{esc(text)}</p>'


def _num(x: float, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _kv_table(rows: list[tuple[str, str]], cls: str = "wf-kv") -> str:
    """A two-column table of (already escaped) labels and values."""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="{cls}"><tbody>{body}</tbody></table>'


def _unique(labels: list[str]) -> list[str]:
    """Column labels made unique (a category may share its section's name)."""
    seen: dict[str, int] = {}
    out = []
    for text in labels:
        n = seen.get(text, 0)
        seen[text] = n + 1
        out.append(text if n == 0 else f"{text} ({n + 1})")
    return out


SHORT = 24  # a column whose every cell is at most this wide (CJK counts 2: 12 characters) never wraps


def _short_columns(frame: pd.DataFrame) -> set[int]:
    """The columns whose every cell and header are at most :data:`SHORT` wide (a level, a
    line number, a code, a score, a department's name)."""
    short = set()
    for n, column in enumerate(frame.columns):
        cells = [str(column)] + ["" if _cell_text(v) is None else _cell_text(v) for v in frame[column].tolist()]
        if max(display_width(c) for c in cells) <= SHORT:
            short.add(n)
    return short


_ROW = re.compile(r"<tr[^>]*>.*?</tr>", re.S)


def _keep_whole(table: str, short: set[int]) -> str:
    """``table`` (pandas' ``to_html``) with the cells of the ``short`` columns marked
    ``wf-whole`` (never wrapped): on paper a long column beside them would otherwise
    squeeze them until a word breaks a character a line."""

    def row(match: re.Match) -> str:
        cells = iter(range(10_000))
        return re.sub(
            r"<(td|th)(?=[ >])",
            lambda m: f'<{m.group(1)} class="wf-whole"' if next(cells) in short else m.group(0),
            match.group(0),
        )

    return _ROW.sub(row, table) if short else table


# Tables longer than PRINT_ALL_ROWS rows (the ranking, the adjustments) print their first
# PRINT_ROWS rows, with a note (shown on paper only) that report.html and results.xlsx hold
# every row: chromium took more than 10 minutes to print 10,000 departments' several hundred
# pages. The rows left off paper sit between PRINT_CUT and PRINT_CUT_END (report.printed).
# $WFSCORE_PRINT_ROWS ("1000,300") sets both, read when a table is made: the report's kernel
# inherits it (the tests print a small year's tables cut short).
PRINT_ALL_ROWS, PRINT_ROWS = 1000, 300
PRINT_ROWS_VAR = "WFSCORE_PRINT_ROWS"
PRINT_CUT, PRINT_CUT_END = "<!--wf-print-cut-->", "<!--/wf-print-cut-->"


def print_rows() -> tuple[int, int]:
    """(:data:`PRINT_ALL_ROWS`, :data:`PRINT_ROWS`), or the two numbers in ``$WFSCORE_PRINT_ROWS``."""
    import os

    value = os.environ.get(PRINT_ROWS_VAR, "")
    parts = value.split(",")
    if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
        return int(parts[0]), int(parts[1])
    return PRINT_ALL_ROWS, PRINT_ROWS


def print_cut(table: str, keep: int) -> str:
    """``table`` (HTML, one ``<tbody>``) with its body rows after the first ``keep`` between
    :data:`PRINT_CUT` and :data:`PRINT_CUT_END`; unchanged when it has no more rows."""
    start = table.find("<tbody")
    end = table.rfind("</tbody>")
    if start < 0 or end < 0:
        return table
    at = start
    for _ in range(keep + 1):
        at = table.find("<tr", at + 1)
        if at < 0 or at > end:
            return table
    return table[:at] + PRINT_CUT + table[at:end] + PRINT_CUT_END + table[end:]


def printed_note(text: str) -> str:
    """A note the printed report shows and the page does not (the template's ``wf-print-only``)."""
    return note(text, "wf-note wf-print-only")


def frame_html(
    frame: pd.DataFrame, scroll: bool = False, print_rows: int | None = None, keep_whole: bool = True
) -> str:
    """A plain table: 2 decimals, every cell and header escaped, short columns kept on one
    line (:func:`_keep_whole`; not with ``keep_whole`` False). (Styler is kept for the
    ranking; for long plain tables ``to_html`` is several times faster and smaller.)"""
    frame = inert.frame(
        frame.assign(
            **{c: frame[c].map(lambda v: "" if v is None else v) for c in frame.columns if frame[c].dtype == object}
        )
    )
    table = frame.to_html(
        index=False, escape=True, na_rep="", classes="wf-table", border=0, float_format="{:.2f}".format
    )
    if keep_whole:
        table = _keep_whole(table, _short_columns(frame))
    if print_rows is not None:
        table = print_cut(table, print_rows)
    return f'<div class="wf-scroll">{table}</div>' if scroll else table


# -- the title and headline figures --------------------------------------------------


def title(result: Result, lang: str = "zh") -> Section:
    """The report's title; states plainly when the data is synthetic."""
    t = report_words(lang)
    scheme = result.scheme
    name = scheme.title_en if lang == "en" and scheme.title_en else scheme.title
    parts = []
    if result.data.synthetic:
        parts.append(note(t["synthetic"], "wf-synthetic"))
    parts.append(note(t["appendix_where"]))
    return Section(t["report_title"].format(title=name), parts, level=1)


APPENDIX_FILE = "附录.pdf"  # the appendix printed apart from report.pdf (wfscore.publish.report)


def appendix(result: Result, lang: str = "zh") -> Section:
    """The appendix's heading: the parts after it (the notebook's cells tagged
    ``report-appendix``) are for checking, and print into :data:`APPENDIX_FILE`."""
    t = report_words(lang)
    name = result.scheme.title_en if lang == "en" and result.scheme.title_en else result.scheme.title
    return Section(
        f"{t['appendix']}：{name}" if lang == "zh" else f"{t['appendix']}: {name}", [note(t["appendix_note"])], level=1
    )


def shown_categories(result: Result) -> list[int]:
    """Positions of the categories the ranking table shows: those of the section with
    the most points (指标考核 in 2011). The other sections are shown as wholes."""
    scheme = result.scheme
    biggest = max(range(len(scheme.sections)), key=lambda s: scheme.sections[s].points)
    return [c for c, s in enumerate(result.arrays.section_of_category) if s == biggest]


def headline(result: Result, lang: str = "zh") -> Section:
    """Departments, mean, median, spread and the excellence count."""
    t = report_words(lang)
    total = result.total
    points = float(result.arrays.weight.sum())
    q1, q3 = np.percentile(total, [25, 75])
    rows = [
        (t["departments"], f"{len(total)}"),
        (t["mean"], t["mean_of"].format(mean=_num(float(total.mean())), points=points)),
        (t["median"], _num(float(np.median(total)))),
        (t["std"], _num(float(total.std(ddof=0)))),
        (t["iqr"], _num(float(q3 - q1))),
        (t["range"], f"{_num(float(total.min()))} – {_num(float(total.max()))}"),
    ]
    if result.excellent is not None:
        rows.append((t["excellent_count"], f"{int(result.excellent.sum())}"))
    rows.append((t["ineligible_count"], f"{int((~result.eligible).sum())}"))
    figures = "".join(
        f'<div class="wf-figure"><div class="wf-figure-label">{esc(k)}</div>'
        f'<div class="wf-figure-value">{esc(v)}</div></div>'
        for k, v in rows
    )
    return Section(t["headline"], [f'<div class="wf-figures">{figures}</div>'])


# -- the ranking ----------------------------------------------------------------------


def ranking_frame(result: Result, lang: str = "zh") -> tuple[pd.DataFrame, dict[str, float]]:
    """The ranking as shown: labelled columns in rank order, and each score column's points."""
    w, scheme = words(lang), result.scheme
    ranking = result.ranking
    categories = scheme.categories
    shown = shown_categories(result)
    cat_labels = [label(categories[c], lang) for c in shown]
    sec_labels = [label(s, lang) for s in scheme.sections]
    fixed = [w["rank"], w["department"], w["kind"]]
    tail = [w["total"], w["eligible"]] + ([w["excellent"]] if result.excellent is not None else [])
    columns = _unique(fixed + cat_labels + sec_labels + tail)
    yes_no = {True: w["yes"], False: w["no"]}
    data = [ranking["rank"], ranking["name"], ranking["kind"].map(lambda k: scheme.kind_name(k, lang))]
    data += [ranking[categories[c].id] for c in shown]
    data += [ranking[s.id] for s in scheme.sections]
    data += [ranking["total"], ranking["eligible"].map(yes_no)]
    if result.excellent is not None:
        data.append(ranking["excellent"].map(yes_no))
    frame = pd.DataFrame({col: series.to_numpy() for col, series in zip(columns, data)})
    if "converted" in ranking:  # the total on the comprehensive assessment's scale (折算得分)
        frame.insert(
            frame.columns.get_loc(columns[len(fixed) + len(shown) + len(sec_labels)]) + 1,
            w["converted"],
            ranking["converted"].to_numpy(),
        )
    n_fixed, n_cat, n_sec = len(fixed), len(shown), len(sec_labels)
    points = [categories[c].points for c in shown] + [s.points for s in scheme.sections]
    points.append(scheme.total_points)
    score_cols = columns[n_fixed : n_fixed + n_cat + n_sec] + [columns[n_fixed + n_cat + n_sec]]
    return frame, dict(zip(score_cols, map(float, points)))


# the ranking's search box and sorting (templates/ranking.js), SEARCH_LABEL and SORT_LABEL filled in
RANKING_SCRIPT = (
    "<script>\n" + (Path(__file__).parent / "templates" / "ranking.js").read_text(encoding="utf-8") + "</script>"
)


def ranking(result: Result, lang: str = "zh") -> Section:
    """The full ranking with in-cell bars, each scaled to its column's full points: the
    dept_id beside the name and the total right after them (visible on a 1024 px
    screen), a sticky header, and, with JavaScript, a search box and sorting by any
    column (the table reads the same without it)."""
    t, w = report_words(lang), words(lang)
    frame, points = ranking_frame(result, lang)
    frame.insert(1, t["dept_id"], result.ranking["dept_id"].to_numpy())
    total = frame.pop(w["total"])
    frame.insert(3, w["total"], total)
    if w["converted"] in frame:  # beside the total: both on every printed page
        frame.insert(4, w["converted"], frame.pop(w["converted"]))
    frame = inert.frame(frame)
    points = {inert.plain(c): p for c, p in points.items()}
    texts = [frame.columns.get_loc(c) for c in (t["dept_id"], w["department"], w["kind"])]
    # the name and the kind may wrap (print); the id never does
    table = (
        _styled_ranking(frame, points, texts)
        if len(frame) <= STYLED_ROWS
        else _plain_ranking(frame, points, left=tuple(texts), wrapping=tuple(texts[1:]))
    )
    notes = [note(t["ranking_note"].format(precision=result.scheme.rules.rank_precision))]
    most, kept = print_rows()
    if len(frame) > most:
        table = print_cut(table, kept)
        notes.append(printed_note(t["ranking_printed"].format(shown=f"{kept:,}", total=f"{len(frame):,}")))
    script = RANKING_SCRIPT.replace(
        "SEARCH_LABEL", json.dumps(t.get("search", "搜索部门" if lang == "zh" else "Search"))
    ).replace("SORT_LABEL", json.dumps("点击排序" if lang == "zh" else "click to sort"))
    return Section(
        t["ranking"], notes + [f'<div class="wf-rank"><div class="wf-wide wf-rank-box">{table}</div></div>', script]
    )


# Rankings of more departments than this are written as a plain table (:func:`_plain_ranking`):
# pandas' Styler gives every cell an id and its bar a CSS rule, 14 MB of HTML for 10,000
# departments, which a browser takes minutes to load and print.
STYLED_ROWS = 1000
BAR = "#9ecae1"


def _styled_ranking(frame: pd.DataFrame, points: dict[str, float], texts: list[int]) -> str:
    """The ranking by pandas' Styler: each cell its id and class, each bar its CSS rule;
    the columns at ``texts`` (id, name, kind) to the left, the name and kind may wrap."""
    left = ", ".join(f"td.col{i}, th.col{i}" for i in texts)
    wrapping = ", ".join(f"td.col{i}" for i in texts[1:])
    styler = (
        frame.style.hide(axis="index")
        .format(precision=2, escape="html")
        .format_index(escape="html", axis=1)
        .set_uuid("ranking")
        .set_table_attributes('class="wf-table wf-ranking"')
        .set_table_styles(
            [
                {"selector": "td", "props": "white-space: nowrap; text-align: right;"},
                {"selector": left, "props": "text-align: left;"},
                {"selector": wrapping, "props": "white-space: var(--wf-text-wrap, nowrap);"},
            ]
        )
    )
    for column, full in points.items():
        styler = styler.bar(subset=[column], vmin=0, vmax=full, color=BAR, height=65, props="min-width: 4.5em;")
    return styler.to_html()


def _plain_ranking(
    frame: pd.DataFrame, points: dict[str, float], left: tuple[int, ...], wrapping: tuple[int, ...] = ()
) -> str:
    """The ranking as :func:`_styled_ranking` shows it, in about a quarter of the HTML: the
    table's id and classes, two decimals, text escaped; alignment by column (the
    ``left`` positions to the left, the rest to the right) and each bar drawn by one rule
    from the cell's share of its column's points (``style="--p:…"``), no id per cell."""
    css = [
        "#T_ranking td { white-space: nowrap; text-align: right; }",
        ", ".join(f"#T_ranking td:nth-child({i + 1}), #T_ranking th:nth-child({i + 1})" for i in left)
        + " { text-align: left; }",
        *(
            [
                ", ".join(f"#T_ranking td:nth-child({i + 1})" for i in wrapping)
                + " { white-space: var(--wf-text-wrap, nowrap); }"
            ]
            if wrapping
            else []
        ),
        f"#T_ranking td[style] {{ min-width: 4.5em; background: linear-gradient(90deg, {BAR} var(--p), "
        "transparent var(--p)) no-repeat center; background-size: 100% 65%; }",
    ]
    head = "".join(f'<th class="col{j}">{esc(c)}</th>' for j, c in enumerate(frame.columns))
    columns = []
    for name in frame.columns:
        values = frame[name].to_numpy()
        if name in points:
            values = values.astype(float)
            full = points[name]
            share = np.clip(values / full * 100, 0, 100) if full > 0 else np.zeros(len(values))
            columns.append(
                [
                    "<td></td>" if math.isnan(v) else f'<td style="--p:{p:.1f}%">{v:.2f}</td>'
                    for v, p in zip(values, share)
                ]
            )
        elif values.dtype.kind == "f":
            columns.append(["<td></td>" if math.isnan(v) else f"<td>{v:.2f}</td>" for v in values])
        else:
            columns.append([f"<td>{esc(v)}</td>" for v in values])
    body = "\n".join("<tr>" + "".join(row) + "</tr>" for row in zip(*columns))
    return (
        f'<style type="text/css">\n{chr(10).join(css)}\n</style>\n'
        f'<table id="T_ranking" class="wf-table wf-ranking"><thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table>"
    )


# -- adjustments, warnings, excellence, provenance ----------------------------------


ADJUSTMENT_KINDS = (
    "missing_value",
    "exemption",
    "redistribution",
    "section_exempt",
    "website_evaluation",
    "security_incident",
    "disqualification",
)


def adjustments_frame(result: Result, lang: str = "zh", log: pd.DataFrame | None = None) -> pd.DataFrame:
    """The adjustment log (default: all of it) with labelled columns and kinds, in rank order."""
    w, t, scheme = words(lang), report_words(lang), result.scheme
    log = result.adjustments(lang) if log is None else log
    categories = {c.id: label(c, lang) for c in scheme.categories}
    indicators = {i.id: label(i, lang) for i in scheme.indicators}
    return pd.DataFrame(
        {
            t["dept_id"]: log["dept_id"],
            w["department"]: log["name"],
            w["indicator"]: log["indicator"],
            t["indicator_name"]: log["indicator"].map(lambda i: indicators.get(i, "")),
            t["category"]: log["category"].map(lambda c: categories.get(c, "")),
            t["adjustment_kind"]: log["kind"].map(lambda k: t.get(f"kind_{k}", k)),
            w["weight"]: log["weight"],
            w["effective_weight"]: log["effective_weight"],
            w["score"]: log["score"],
            t["reason"]: log["reason"],
        }
    )


def _website_by_department(result: Result, log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The log with each department's website-evaluation rows merged into one: the same
    formula over the category's sums (the per-indicator rows are in the workbook)."""
    is_web = (log["kind"] == "website_evaluation").to_numpy()
    if not is_web.any():
        return log
    evaluation = dict(zip(result.data.dept_ids, result.data.website_eval))
    template = words(lang)["website_evaluation"]
    sep = "、" if lang == "zh" else ", "
    merged = (
        log[is_web]
        .groupby(["dept_id", "category"], sort=False)
        .agg(
            name=("name", "first"),
            indicator=("indicator", sep.join),
            step=("step", "first"),
            kind=("kind", "first"),
            weight=("weight", "sum"),
            effective_weight=("effective_weight", "sum"),
            score=("score", "sum"),
        )
        .reset_index()
    )
    merged["reason"] = [
        template.format(evaluation=plain_figure(evaluation[d]), effective=e, score=v)
        for d, e, v in zip(merged["dept_id"], merged["effective_weight"], merged["score"])
    ]
    out = pd.concat([log[~is_web], merged[log.columns]], ignore_index=True)
    rank = dict(zip(result.data.dept_ids, result.rank))
    key = out["dept_id"].map(rank)
    return out.assign(_rank=key).sort_values(["_rank", "dept_id", "step"], kind="stable").drop(columns="_rank")


def adjustments(result: Result, lang: str = "zh") -> Section:
    """A count of each kind of adjustment, then every adjustment with its reason (a
    department's website-evaluation rows merged into one, fewer columns: the workbook
    has every row and column)."""
    t = report_words(lang)
    log = result.adjustments(lang)
    if log.empty:
        return Section(
            t["adjustments"],
            [note(t["adjustments_note"]), note(t["none"])] + _decisions(result, lang) + _review(result, lang),
        )
    counts = log.groupby("kind", sort=False).agg(rows=("dept_id", "size"), depts=("dept_id", "nunique"))
    counts = counts.reindex(
        [k for k in ADJUSTMENT_KINDS if k in counts.index] + [k for k in counts.index if k not in ADJUSTMENT_KINDS]
    )
    summary = pd.DataFrame(
        {
            t["adjustment_kind"]: [t.get(f"kind_{k}", k) for k in counts.index],
            t["rows"]: counts["rows"].to_numpy(),
            t["departments_affected"]: counts["depts"].to_numpy(),
        }
    )
    w = words(lang)
    shown = adjustments_frame(result, lang, _website_by_department(result, log, lang))
    # the page keeps what a reader checks (the reason carries the weights and points);
    # the workbook has every column
    shown = shown[[w["department"], w["indicator"], t["indicator_name"], t["adjustment_kind"], w["score"], t["reason"]]]
    parts = [note(t["adjustments_note"]), frame_html(summary)]
    if "website_evaluation" in counts.index:
        parts.append(note(t["website_merged"]))
    most, kept = print_rows()
    if len(shown) > most:
        parts.append(printed_note(t["adjustments_printed"].format(shown=f"{kept:,}", total=f"{len(shown):,}")))
        parts.append(frame_html(shown, scroll=True, print_rows=kept))
    else:
        parts.append(frame_html(shown, scroll=True))
    parts += _decisions(result, lang) + _review(result, lang)
    return Section(t["adjustments"], parts)


def _review(result: Result, lang: str) -> list[str]:
    """The year's disputes and their outcome, and the experts' agreement per indicator."""
    from wfscore.publish.review_tables import review_parts

    render = {"heading": lambda x: f"<h3>{esc(x)}</h3>", "note": note, "table": lambda x: frame_html(x, scroll=True)}
    return [render[what](content) for what, content in review_parts(result, lang)]


def _decisions(result: Result, lang: str) -> list[str]:
    """The year's review decisions from decisions.csv (the adjustments desk), in force."""
    from wfscore.review.audit import decisions_table

    t = report_words(lang)
    parts = [f"<h3>{esc(t['decisions'])}</h3>"]
    table = decisions_table(result.data.folder, lang)
    if table.empty:
        return parts + [note(t["no_decisions"])]
    return parts + [note(t["decisions_note"]), frame_html(table, scroll=True)]


def warnings_frame(result: Result, lang: str = "zh") -> pd.DataFrame:
    t = report_words(lang)
    problems = result.warnings
    return pd.DataFrame(
        {
            t["severity"]: [t[f"severity_{p.severity}"] for p in problems],
            t["source"]: [p.source for p in problems],
            t["line"]: pd.Series([p.line for p in problems], dtype=object),
            t["column"]: [p.column or "" for p in problems],
            t["value_text"]: [p.value or "" for p in problems],
            t["message"]: [p.message_in(lang) for p in problems],
        }
    )


def data_warnings(result: Result, lang: str = "zh") -> Section:
    """Every data-quality warning loading found (errors would have stopped the report)."""
    t = report_words(lang)
    if not result.warnings:
        return Section(t["warnings"], [note(t["no_warnings"])])
    return Section(t["warnings"], [frame_html(warnings_frame(result, lang), scroll=True)])


def excellence(result: Result, lang: str = "zh") -> Section:
    """The departments rated excellent, and those not eligible, in rank order."""
    t, w, scheme = report_words(lang), words(lang), result.scheme
    ranking = result.ranking
    pick = [w["rank"], w["department"], w["kind"], w["total"]]

    def rows(mask) -> pd.DataFrame:
        chosen = ranking[mask]
        return pd.DataFrame(
            {
                pick[0]: chosen["rank"].to_numpy(),
                pick[1]: chosen["name"].to_numpy(),
                pick[2]: [scheme.kind_name(k, lang) for k in chosen["kind"]],
                pick[3]: chosen["total"].to_numpy(),
            }
        )

    parts = []
    rule = scheme.rules.excellence
    if rule is None or result.excellent is None:
        parts.append(note(t["no_excellence_rule"]))
    else:
        n = excellence_count(rule.share, len(result.total))
        parts.append(note(t["excellence_note"].format(share=rule.share, n=n)))
        parts += _listed(rows(ranking["excellent"].to_numpy(dtype=bool)), t)
    not_eligible = ~ranking["eligible"].to_numpy(dtype=bool)
    if not_eligible.any():
        parts.append(f"<h3>{esc(t['not_eligible'])}</h3>")
        parts += _listed(rows(not_eligible), t)
    return Section(t["excellence"], parts)


def _listed(frame: pd.DataFrame, t: dict) -> list[str]:
    """``frame`` as a table; above :func:`print_rows`' length, printed cut short with a note."""
    most, kept = print_rows()
    if len(frame) <= most:
        return [frame_html(frame)]
    return [
        printed_note(t["list_printed"].format(shown=f"{kept:,}", total=f"{len(frame):,}")),
        frame_html(frame, print_rows=kept),
    ]


# the libraries a report's figures, tables, pages and PDF come from: their versions go into its
# provenance, so that a year's report can be rebuilt next year with the same ones (requirements.lock)
LIBRARIES = (
    "wfscore",
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "jinja2",
    "openpyxl",
    "xlsxwriter",
    "playwright",
)


def library_versions() -> list[tuple[str, str]]:
    """Python's version and each of :data:`LIBRARIES`' as installed ("—" for one that is not)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = [("python", platform.python_version())]
    for name in LIBRARIES:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "—"))
    return found


def provenance(result: Result, parameters: dict | None = None, lang: str = "zh") -> Section:
    """Scheme title, year, data folder, input hashes, wfscore version, parameters, and the
    versions of Python and the libraries it ran with."""
    t, w = report_words(lang), words(lang)
    prov = result.provenance
    rows = [
        (esc(t["scheme_title"]), esc(prov["scheme_title"])),
        (esc(t["year"]), esc(prov["year"])),
        (esc(t["folder"]), f"<code>{esc(shown_path(prov['folder']))}</code>"),
        (esc(t["synthetic_flag"]), esc(w["yes"] if prov["synthetic"] else w["no"])),
        (esc(t["version"]), esc(prov["wfscore_version"])),
    ]
    if prov.get("base_percentile") is not None:
        rows.append((esc(t["base_percentile"]), esc(prov["base_percentile"])))
    if parameters:
        rows.append(
            (
                esc(t["parameters"]),
                "<br>".join(
                    f"<code>{esc(k)} = {esc(repr(shown_path(v) if k.endswith('_dir') else v))}</code>"
                    for k, v in parameters.items()
                ),
            )
        )
    hashes = "".join(
        f"<tr><td><code>{esc(f)}</code></td><td><code>{esc(h)}</code></td></tr>"
        for f, h in prov["inputs_sha256"].items()
    )
    inputs = (
        f'<h3>{esc(t["inputs"])}</h3><table class="wf-table"><thead><tr><th>{esc(t["file"])}</th>'
        f"<th>SHA-256</th></tr></thead><tbody>{hashes}</tbody></table>"
    )
    versions = "".join(
        f"<tr><td><code>{esc(name)}</code></td><td><code>{esc(v)}</code></td></tr>" for name, v in library_versions()
    )
    libraries = (
        f'<h3>{esc(t["libraries"])}</h3><table class="wf-table wf-versions"><thead><tr>'
        f"<th>{esc(t['library'])}</th><th>{esc(t['library_version'])}</th></tr></thead>"
        f"<tbody>{versions}</tbody></table>"
    )
    return Section(t["provenance"], [_kv_table(rows), inputs, libraries])


# -- the Excel workbook ------------------------------------------------------------------


def workbook_sheets(result: Result, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The workbook's sheets as frames, named in ``lang``: ranking (in rank order, every
    category and section), per-indicator detail, adjustments, warnings, and an about sheet."""
    t, w, scheme = report_words(lang), words(lang), result.scheme
    ranking = result.ranking
    yes_no = {True: w["yes"], False: w["no"]}
    columns: dict[str, object] = {
        w["rank"]: ranking["rank"].to_numpy(),
        t["dept_id"]: ranking["dept_id"].to_numpy(),
        w["department"]: ranking["name"].to_numpy(),
        w["kind"]: [scheme.kind_name(k, lang) for k in ranking["kind"]],
    }
    labels = _unique([label(c, lang) for c in scheme.categories] + [label(s, lang) for s in scheme.sections])
    ids = [c.id for c in scheme.categories] + [s.id for s in scheme.sections]
    for text, item in zip(labels, ids):
        columns[text] = ranking[item].to_numpy()
    columns[w["total"]] = ranking["total"].to_numpy()
    columns[w["eligible"]] = ranking["eligible"].map(yes_no).to_numpy()
    if "excellent" in ranking:
        columns[w["excellent"]] = ranking["excellent"].map(yes_no).to_numpy()
    if "converted" in ranking:
        columns[w["converted"]] = ranking["converted"].to_numpy()
    rank_sheet = pd.DataFrame(columns)

    detail = result.detail(lang)
    names = dict(zip(result.data.dept_ids, result.data.departments["name"]))
    indicators = {i.id: i for i in scheme.indicators}
    cat_of = {i.id: label(c, lang) for c in scheme.categories for i in c.indicators}
    detail_sheet = pd.DataFrame(
        {
            t["dept_id"]: detail["dept_id"],
            w["department"]: detail["dept_id"].map(names),
            w["indicator"]: detail["indicator"],
            t["indicator_name"]: detail["indicator"].map(lambda i: label(indicators[i], lang)),
            t["category"]: detail["indicator"].map(cat_of),
            w["value"]: detail["value"],
            w["base"]: detail["base"],
            w["weight"]: detail["weight"],
            w["effective_weight"]: detail["effective_weight"],
            w["score"]: detail["score"],
            w["note"]: detail["note"],
        }
    )

    prov = result.provenance
    about = [
        (t["scheme_title"], prov["scheme_title"]),
        (t["year"], prov["year"]),
        (t["folder"], shown_path(prov["folder"])),
        (t["synthetic_flag"], w["yes"] if prov["synthetic"] else w["no"]),
        (t["version"], prov["wfscore_version"]),
    ]
    if result.data.synthetic:
        about.insert(0, ("", t["synthetic"]))
    about += [(f"{t['inputs']} {f}", h) for f, h in prov["inputs_sha256"].items()]
    about_sheet = pd.DataFrame(about, columns=[t["item"], t["value_text"]])

    return {
        t["sheet_ranking"]: rank_sheet,
        t["sheet_detail"]: detail_sheet,
        t["sheet_adjustments"]: adjustments_frame(result, lang),
        t["sheet_warnings"]: warnings_frame(result, lang),
        t["sheet_about"]: about_sheet,
    }


def display_width(text: str) -> int:
    """Characters as a spreadsheet column counts them: CJK and full-width ones count twice."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_text(value: object) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else f"{value:.2f}"
    return str(value)


def write_excel(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """Write ``sheets`` with XlsxWriter: a frozen, filtered header row, widths that fit,
    2-decimal numbers, and every text cell stored as text (a cell starting with
    = + - @ is a string with Excel's quote prefix, never a formula)."""
    import xlsxwriter

    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": False,
    }
    with xlsxwriter.Workbook(str(path), options) as book:
        header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"})
        decimal = book.add_format({"num_format": "0.00"})
        integer = book.add_format({"num_format": "0"})
        quoted = book.add_format({"quote_prefix": True})
        for name, frame in sheets.items():
            sheet = book.add_worksheet(name)
            for col, column in enumerate(frame.columns):
                sheet.write_string(0, col, str(column), header)
                texts = {str(column)}
                for row, value in enumerate(frame[column].tolist(), start=1):
                    text = _cell_text(value)
                    if text is None:
                        continue
                    texts.add(text)
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        sheet.write_string(row, col, text, quoted if formula_leading(text) else None)
                    else:
                        sheet.write_number(row, col, value, integer if isinstance(value, int) else decimal)
                width = max(display_width(text) for text in texts)
                sheet.set_column(col, col, min(width + 2, 80))
            sheet.freeze_panes(1, 0)
            if len(frame):
                sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)


def write_workbook(result: Result, out_dir: str | Path, lang: str = "zh") -> Section:
    """Write ``results.xlsx`` into ``out_dir`` and say what it holds; ``""`` (the report
    notebook's default) is the folder ``open_year`` chose, ``reports/<year>``."""
    from wfscore.inputs.params import report_folder

    t = report_words(lang)
    sheets = workbook_sheets(result, lang)
    if str(out_dir) == "":
        out_dir = report_folder(Path(result.data.folder), result.scheme.year)
    path = Path(out_dir) / WORKBOOK
    write_excel(sheets, path)
    return Section(
        t["workbook"],
        [note(t["workbook_written"].format(name=WORKBOOK, sheets=("、" if lang == "zh" else ", ").join(sheets)))],
    )
