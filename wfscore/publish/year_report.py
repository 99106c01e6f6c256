"""Report sections for years side by side: the annual report's comparison with the
year before, and the trends report over a run of years (``notebooks/trends.ipynb``).

Each function returns a :class:`~wfscore.publish.tables.Section` that a notebook cell shows
as HTML. In the annual report the comparison is optional: :func:`previous_year`
returns a :class:`YearOnYear` that shows the section's heading and either an
introduction or the one-line reason it is skipped; the functions after it then
return None (the cell shows nothing) when there is nothing to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.analysis.years import Comparison, open_years, with_previous
from wfscore.engine.result import Result, version
from wfscore.inputs.lineage import previous_folder
from wfscore.inputs.problems import InputError
from wfscore.inputs.scheme import label
from wfscore.inputs.wording import rank_move
from wfscore.publish import year_charts
from wfscore.publish.charts import embed
from wfscore.publish.tables import Section, esc, frame_html, note, shown_path
from wfscore.publish.years_text import year_words

SEP = {"zh": "、", "en": ", "}
LIST_SEP = {"zh": "；", "en": "; "}


def _frame_html(frame: pd.DataFrame, scroll: bool = False) -> str:
    """A plain table of the report's style (:func:`wfscore.publish.tables.frame_html`), its
    columns left to wrap."""
    return frame_html(frame, scroll, keep_whole=False)


def _kv_table(rows: list[tuple[str, str]]) -> str:
    """A two-column table of (already escaped) labels and values."""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="wf-kv"><tbody>{body}</tbody></table>'


# -- the annual report's comparison with the year before -----------------------------------------------


@dataclass(frozen=True)
class YearOnYear:
    """The annual report's year compared with the year before, or why not."""

    result: Result
    comparison: Comparison | None
    skipped: str | None
    lang: str = "zh"

    @property
    def year(self) -> int:
        return self.result.scheme.year

    def _repr_html_(self) -> str:
        return heading(self).html

    def __repr__(self) -> str:
        return f"<YearOnYear {self.year}: {'skipped' if self.comparison is None else 'compared'}>"


def previous_year(result: Result, lang: str = "zh") -> YearOnYear:
    """Compare ``result``'s year with the sibling folder of the year before, if there is
    one (``data/2011`` for ``data/2012``). A missing or broken previous year skips the
    comparison with a one-line note; it never stops the report."""
    t = year_words(lang)
    year = result.scheme.year
    folder = previous_folder(result.data.folder, year)
    if folder is None:
        where = Path(result.data.folder).resolve().parent / str(year - 1)
        return YearOnYear(result, None, t["yoy_skipped"].format(before=year - 1, folder=shown_path(where)), lang)
    try:
        comparison = with_previous(result)
    except InputError as exc:
        first = exc.errors[0] if exc.errors else exc
        more = f" (+{len(exc.errors) - 1})" if len(exc.errors) > 1 else ""
        return YearOnYear(result, None, t["yoy_broken"].format(before=year - 1, error=f"{first}{more}"), lang)
    except ValueError as exc:  # e.g. the folder of the year before holds another year's scheme
        return YearOnYear(result, None, t["yoy_broken"].format(before=year - 1, error=exc), lang)
    return YearOnYear(result, comparison, None, lang)


def _lineage_lines(comp: Comparison, year: int, lang: str) -> list[str]:
    t = year_words(lang)
    rows = comp.year(year)
    names_before = dict(zip(comp.results[year - 1].data.dept_ids, comp.results[year - 1].data.departments["name"]))
    sep = SEP[lang]
    lines = []
    for status, key in (("renamed", "lineage_renamed"), ("merged", "lineage_merged"), ("split", "lineage_split")):
        chosen = rows[rows["status"] == status]
        if len(chosen):
            items = [
                t["merged_from" if status == "merged" else "renamed_from"].format(
                    name=r["name"],
                    old=names_before[r["previous_ids"]] if status != "merged" else "",
                    parts=sep.join(names_before[p] for p in r["previous_ids"].split(";")),
                )
                for _, r in chosen.sort_values("dept_id").iterrows()
            ]
            lines.append(t[key].format(items=sep.join(items)))
    new = rows[rows["status"] == "new"]
    if len(new):
        lines.append(t["lineage_new"].format(items=sep.join(new.sort_values("dept_id")["name"])))
    ended = comp.not_compared[(comp.not_compared["year"] == year) & (comp.not_compared["item"] == "department_ended")]
    if len(ended):
        lines.append(t["lineage_ended"].format(items=sep.join(ended["name"])))
    return lines


def heading(yoy: YearOnYear) -> Section:
    """The comparison's heading: the years, the departments, renames, mergers and new
    departments; or the one-line reason the comparison is skipped."""
    t = year_words(yoy.lang)
    if yoy.comparison is None:
        return Section(t["yoy_plain"], [note(yoy.skipped)])
    comp, year = yoy.comparison, yoy.year
    parts = [
        note(
            t["yoy_intro"].format(
                before=year - 1,
                now=year,
                n_before=len(comp.results[year - 1].total),
                n_now=len(comp.results[year].total),
            )
        )
    ]
    lines = _lineage_lines(comp, year, yoy.lang)
    if lines:
        parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
    return Section(t["yoy"].format(before=year - 1, now=year), parts)


def slope(yoy: YearOnYear, lang: str = "zh", highlight: int = 5) -> Section | None:
    """The slope chart of last year's ranks against this year's (None when skipped)."""
    if yoy.comparison is None:
        return None
    t = year_words(lang)
    fig = year_charts.figure_slope(yoy.comparison, yoy.year, lang, highlight)
    return Section(t["slope"], [note(t["slope_note"].format(n=highlight)), embed(fig, t["slope"])], level=3)


def _movers_frame(comp: Comparison, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = year_words(lang)
    from wfscore.inputs.wording import words

    w = words(lang)
    decomposition = comp.decomposition.set_index(["year", "dept_id"])
    keys = list(zip(rows["year"], rows["dept_id"]))
    own = [decomposition.at[k, "own"] if k in decomposition.index else np.nan for k in keys]
    scheme = [decomposition.at[k, "scheme"] if k in decomposition.index else np.nan for k in keys]
    return pd.DataFrame(
        {
            w["department"]: rows["name"].to_numpy(),
            t["rank_before"]: rows["previous_rank"].astype(int).to_numpy(),
            t["rank_now"]: rows["rank"].to_numpy(),
            t["rank_change"]: [rank_move(c) for c in rows["rank_change"]],
            t["total_before"]: rows["previous_total"].to_numpy(),
            t["total_now"]: rows["total"].to_numpy(),
            t["own"]: own,
            t["scheme"]: scheme,
        }
    )


def movers(yoy: YearOnYear, lang: str = "zh", n: int = 10) -> Section | None:
    """The ``n`` biggest risers and fallers, with the own and scheme parts of their change."""
    if yoy.comparison is None:
        return None
    t = year_words(lang)
    risers, fallers = yoy.comparison.movers(yoy.year, n)
    parts = []
    for title, rows in ((t["risers"], risers), (t["fallers"], fallers)):
        parts.append(f"<h4>{esc(title)}</h4>")
        parts.append(_frame_html(_movers_frame(yoy.comparison, rows, lang)) if len(rows) else note(t["no_movers"]))
    return Section(t["movers"], parts, level=3)


def shares_frame(comp: Comparison, year: int, lang: str = "zh") -> pd.DataFrame:
    """Per category both years have: points, mean shares and how many departments rose."""
    t = year_words(lang)
    shares = comp.shares
    rows = []
    for cid, cat, p_before, p_now in year_charts.both_years(comp, year):
        now = shares[(shares["year"] == year) & (shares["category"] == cid)]
        before = shares[(shares["year"] == year - 1) & (shares["category"] == cid)]
        mean_now, mean_before = now["share"].mean(), before["share"].mean()
        rows.append(
            {
                t["category"]: label(cat, lang),
                t["points_before"]: p_before,
                t["points_now"]: p_now,
                t["mean_before"]: f"{mean_before:.1%}",
                t["mean_now"]: f"{mean_now:.1%}",
                t["mean_change"]: f"{(mean_now - mean_before) * 100:+.1f}",
                t["improved"]: int((now["share_change"] > 0).sum()),
            }
        )
    return pd.DataFrame(rows)


def shares_moving(yoy: YearOnYear, lang: str = "zh") -> Section | None:
    """Each category's shares last year and this year, as a chart and a table."""
    if yoy.comparison is None:
        return None
    t = year_words(lang)
    comp, year = yoy.comparison, yoy.year
    parts = [
        note(t["shares_note"]),
        embed(year_charts.figure_shares(comp, year, lang), t["shares"]),
        _frame_html(shares_frame(comp, year, lang)),
    ]
    both = {cid for cid, *_ in year_charts.both_years(comp, year)}
    single = [
        f"{label(c, lang)} ({y})"
        for y in (year - 1, year)
        for c in comp.results[y].scheme.categories
        if c.id not in both
    ]
    if single:
        parts.append(note(t["only_one_year"].format(items=SEP[lang].join(single))))
    return Section(t["shares"], parts, level=3)


def decomposition_frame(comp: Comparison, year: int, lang: str = "zh") -> pd.DataFrame:
    """Every compared department's change split into own, weights-and-rules and
    indicator-set parts, largest change first."""
    t = year_words(lang)
    from wfscore.inputs.wording import words

    rows = comp.decomposition
    rows = rows[(rows["year"] == year) & rows["compared"]]
    rows = rows.reindex(rows["change"].abs().sort_values(ascending=False, kind="stable").index)
    return pd.DataFrame(
        {
            words(lang)["department"]: rows["name"].to_numpy(),
            t["total_before"]: rows["previous_total"].to_numpy(),
            t["total_now"]: rows["total"].to_numpy(),
            t["total_change"]: rows["change"].to_numpy(),
            t["own"]: rows["own"].to_numpy(),
            t["reweighting"]: rows["reweighting"].to_numpy(),
            t["indicator_set"]: rows["indicator_set"].to_numpy(),
        }
    )


def not_compared_frame(comp: Comparison, year: int, lang: str = "zh") -> pd.DataFrame:
    """What could not be compared between ``year`` and the year before, grouped by kind."""
    t = year_words(lang)
    rows = comp.not_compared[comp.not_compared["year"] == year]
    if rows.empty:
        return pd.DataFrame({t["category"]: [], "": []})
    grouped = rows.groupby("item", sort=False).apply(
        lambda g: SEP[lang].join(f"{i} {n}" for i, n in zip(g["id"], g["name"])), include_groups=False
    )
    return pd.DataFrame({t["category"]: [t[f"item_{k}"] for k in grouped.index], "": grouped.to_numpy()})


def decomposition(yoy: YearOnYear, lang: str = "zh", n: int = 20) -> Section | None:
    """How much of each change came from the department's own values and how much from
    the scheme, and what could not be compared."""
    if yoy.comparison is None:
        return None
    t = year_words(lang)
    comp, year = yoy.comparison, yoy.year
    rows = comp.decomposition[(comp.decomposition["year"] == year) & comp.decomposition["compared"]]
    parts = [
        note(t["decomposition_note"].format(n=len(comp.common[year]))),
        note(t["decomposition_summary"].format(own=rows["own"].abs().mean(), scheme=rows["scheme"].abs().mean())),
        embed(year_charts.figure_decomposition(comp, year, lang, n), t["decomposition_chart"].format(n=n)),
        _frame_html(decomposition_frame(comp, year, lang), scroll=True),
        f"<h4>{esc(t['not_compared'])}</h4>",
    ]
    skipped = not_compared_frame(comp, year, lang)
    parts.append(_frame_html(skipped) if len(skipped) else note(t["nothing_uncompared"]))
    return Section(t["decomposition"], parts, level=3)


# -- the trends report over a run of years ------------------------------------------------------------------


def open_run(data_root: object, years: object, lang: object = "zh") -> Comparison:
    """The trends notebook's first step: check the parameters, load and compare the years
    (:func:`wfscore.analysis.years.open_years`)."""
    return open_years(data_root, years, lang)


def trends_title(comp: Comparison, lang: str = "zh") -> Section:
    """The trends report's title, the synthetic-data notice when any year is synthetic,
    and one line per year (its scheme, departments, renames, mergers, new departments)."""
    t = year_words(lang)
    parts = []
    if comp.synthetic:
        parts.append(note(t["synthetic"], "wf-synthetic"))
    parts.append(note(t["trends_intro"].format(n=len(comp.years), years=SEP[lang].join(map(str, comp.years)))))
    lines = []
    for year in comp.years:
        scheme = comp.results[year].scheme
        title = scheme.title_en if lang == "en" and scheme.title_en else scheme.title
        events = _lineage_lines(comp, year, lang) if year > comp.years[0] else []
        lines.append(
            t["year_line"].format(
                year=year,
                title=title,
                n=len(comp.results[year].total),
                events=t["events"].format(items=LIST_SEP[lang].join(events)) if events else "",
            )
        )
    parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
    return Section(t["trends_title"].format(first=comp.years[0], last=comp.last), parts, level=1)


def trajectories(comp: Comparison, lang: str = "zh", highlight: int = 8) -> Section:
    t = year_words(lang)
    fig = year_charts.figure_trajectories(comp, lang, highlight)
    return Section(
        t["trajectories"],
        [
            note(t["trajectories_note"].format(first=comp.years[0], last=comp.last, n=highlight)),
            embed(fig, t["trajectories"]),
        ],
    )


def share_heatmap(comp: Comparison, lang: str = "zh") -> Section:
    t = year_words(lang)
    return Section(
        t["heatmap"], [note(t["heatmap_note"]), embed(year_charts.figure_share_heatmap(comp, lang), t["heatmap"])]
    )


def share_distributions(comp: Comparison, lang: str = "zh") -> Section:
    t = year_words(lang)
    return Section(
        t["distributions"],
        [note(t["distributions_note"]), embed(year_charts.figure_share_distributions(comp, lang), t["distributions"])],
    )


def rank_table_frame(comp: Comparison, lang: str = "zh") -> pd.DataFrame:
    """One row per department (of the last year, then those that ended earlier), one
    column per year with its rank or its predecessors' ranks, and the net change."""
    t = year_words(lang)
    from wfscore.inputs.wording import words

    paths = comp.rank_paths()
    last = paths["year"] == comp.last
    order = paths.assign(
        _last=~last, _rank=[r[-1] if r else np.inf for r in paths[comp.last]], _end=-paths["year"]
    ).sort_values(["_last", "_end", "_rank"], kind="stable")
    frame = pd.DataFrame({words(lang)["department"]: order["name"].to_numpy()})
    for year in comp.years:
        frame[str(year)] = ["、".join(map(str, r)) if lang == "zh" else ", ".join(map(str, r)) for r in order[year]]
    frame[t["net_change"]] = [("" if np.isnan(x) else rank_move(x, zero="0")) for x in order["net_change"]]
    return frame


def rank_table(comp: Comparison, lang: str = "zh") -> Section:
    t = year_words(lang)
    return Section(
        t["rank_table"], [note(t["rank_table_note"]), _frame_html(rank_table_frame(comp, lang), scroll=True)]
    )


def year_pairs_frame(comp: Comparison, lang: str = "zh") -> pd.DataFrame:
    """Per pair of years: departments compared, rank correlation, mean own and scheme
    parts, common, added and dropped indicators."""
    t = year_words(lang)
    rows = []
    for year in comp.years[1:]:
        table = comp.year(year).dropna(subset=["previous_rank"])
        parts = comp.decomposition[(comp.decomposition["year"] == year) & comp.decomposition["compared"]]
        skipped = comp.not_compared[comp.not_compared["year"] == year]
        added = skipped[skipped["item"] == "indicator_added"]["id"]
        dropped = skipped[skipped["item"] == "indicator_dropped"]["id"]
        rho = float(np.corrcoef(table["previous_rank"], table["rank"])[0, 1]) if len(table) > 1 else np.nan
        rows.append(
            {
                t["pair"]: f"{year - 1} → {year}",
                t["compared"]: len(parts),
                t["rank_correlation"]: rho,
                t["mean_abs_own"]: parts["own"].abs().mean(),
                t["mean_abs_scheme"]: parts["scheme"].abs().mean(),
                t["common_indicators"]: len(comp.common[year]),
                t["added"]: ", ".join(added),
                t["dropped"]: ", ".join(dropped),
            }
        )
    return pd.DataFrame(rows)


def year_pairs(comp: Comparison, lang: str = "zh") -> Section:
    t = year_words(lang)
    return Section(t["year_pairs"], [_frame_html(year_pairs_frame(comp, lang))])


def provenance(comp: Comparison, parameters: dict | None = None, lang: str = "zh") -> Section:
    """Per year: folder, scheme title and how many input files; the wfscore version and parameters."""
    t = year_words(lang)
    rows = []
    for year in comp.years:
        res = comp.results[year]
        rows.append(
            (
                esc(f"{t['year']} {year}"),
                f"<code>{esc(shown_path(res.data.folder))}</code><br>{esc(res.scheme.title)}<br>"
                f"{esc(t['files_hashed'].format(n=len(res.data.files)))}",
            )
        )
    rows.append((esc(t["version"]), esc(version())))
    if parameters:
        rows.append(
            (
                esc(t["parameters"]),
                "<br>".join(
                    f"<code>{esc(k)} = {esc(repr(shown_path(v) if k.endswith(('_dir', '_root')) else v))}</code>"
                    for k, v in parameters.items()
                ),
            )
        )
    return Section(t["provenance"], [_kv_table(rows)])
