"""Charts of years side by side (:mod:`wfscore.analysis.years`), drawn with matplotlib.

Each ``figure_*`` function takes a :class:`~wfscore.analysis.years.Comparison` and returns a
matplotlib ``Figure`` (outside pyplot); :mod:`wfscore.publish.year_report` embeds them as
PNG in report sections. Chinese by default, English with ``lang="en"`` (scheme
``name_en``); department names are drawn as written in ``departments.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfscore.analysis.years import Comparison
from wfscore.inputs.scheme import label
from wfscore.inputs.wording import rank_move
from wfscore.publish.charts import COLOURS, blank_figure, chart_style, short, text_inches
from wfscore.publish.years_text import year_words

RISE, FALL, OTHER = "#2e8b57", "#d62728", "#b8c2cc"
LINE_COLOURS = tuple(c for c in COLOURS if c not in ("#edc948", "#ff9da7", "#bab0ac")) + (
    "#8c6d31",
)  # readable as text


def _box(ax, values: np.ndarray, position: float, colour: str, width: float) -> None:
    """A box of ``values`` at ``position``, ``width`` wide, with every value as a jittered dot."""
    ax.boxplot(
        [values],
        positions=[position],
        widths=width,
        showfliers=False,
        patch_artist=True,
        medianprops={"color": "#222222"},
        boxprops={"facecolor": colour + "33", "edgecolor": "#555555"},
        whiskerprops={"color": "#555555"},
        capprops={"color": "#555555"},
    )
    jitter = np.random.default_rng(int(position * 7) + 1).uniform(-width * 0.4, width * 0.4, len(values))
    ax.scatter(position + jitter, values, s=7, color=colour, alpha=0.75, linewidths=0, zorder=3)


def _wrap(text: str, width: int = 16) -> str:
    """``text`` in lines of about ``width`` columns (a CJK character counting as two)."""
    import textwrap

    if text.isascii():
        return textwrap.fill(text, width)
    step = max(1, width // 2)
    return "\n".join(text[k : k + step] for k in range(0, len(text), step))


def _rank_axis(ax, n: int) -> None:
    ax.set_ylim(n + 1, 0)
    step = 10 if n <= 60 else 20
    ax.set_yticks([1] + list(range(step, n + 1, step)))


def _spread(positions: np.ndarray, gap: float) -> np.ndarray:
    """Label positions moved apart (down the page) so that neighbours are ``gap`` apart."""
    order = np.argsort(positions, kind="stable")
    out = np.asarray(positions, dtype=float).copy()
    last = -np.inf
    for k in order:
        out[k] = max(out[k], last + gap)
        last = out[k]
    return out


def _lines(ax, segments: list, colour: str, width: float, alpha: float = 1.0, z: int = 2) -> None:
    from matplotlib.collections import LineCollection

    if segments:
        ax.add_collection(LineCollection(segments, colors=colour, linewidths=width, alpha=alpha, zorder=z))


def _ranks(comp: Comparison, year: int) -> dict[str, int]:
    res = comp.results[year]
    return dict(zip(res.data.dept_ids, res.rank))


def _names(comp: Comparison, year: int) -> dict[str, str]:
    res = comp.results[year]
    return dict(zip(res.data.dept_ids, map(short, res.data.departments["name"])))


# -- the slope chart of one year against the year before ---------------------------------------------


def figure_slope(comp: Comparison, year: int | None = None, lang: str = "zh", highlight: int = 5):
    """Last year's rank (left) to this year's (right), one line per link between a
    department and its predecessor; the ``highlight`` biggest risers and fallers coloured
    and named on the right."""
    t = year_words(lang)
    year = year or comp.last
    before = year - 1
    rank_now, rank_before = _ranks(comp, year), _ranks(comp, before)
    links = comp.links[comp.links["year"] == year]
    risers, fallers = comp.movers(year, highlight)
    marked = {d: RISE for d in risers["dept_id"]} | {d: FALL for d in fallers["dept_id"]}
    rows = comp.year(year).set_index("dept_id")
    labels = {d: f"{short(rows.at[d, 'name'])}  {rank_move(rows.at[d, 'rank_change'])}" for d, c in marked.items()}
    n = max(len(rank_now), len(rank_before))
    right = text_inches(labels.values(), 8) + 0.3
    height = max(4.0, 0.075 * n + 1.2)
    with chart_style():
        fig = blank_figure(5.0 + right + 0.8, height, {"left": 0.8, "right": right, "top": 0.45, "bottom": 0.35})
        ax = fig.add_subplot()
        grey, coloured = [], {RISE: [], FALL: []}
        for d, p in zip(links["dept_id"], links["previous_id"]):
            seg = [(0, rank_before[p]), (1, rank_now[d])]
            (coloured[marked[d]] if d in marked else grey).append(seg)
        _lines(ax, grey, OTHER, 0.7, 0.8)
        for colour, segs in coloured.items():
            _lines(ax, segs, colour, 1.8, 1.0, 3)
        continued = set(links["previous_id"])
        ended = [r for d, r in rank_before.items() if d not in continued]
        new = [rank_now[d] for d in rank_now if d not in set(links["dept_id"])]
        ax.scatter([0] * len(ended), ended, s=14, facecolors="none", edgecolors="#555555", zorder=4)
        ax.scatter([1] * len(new), new, s=14, facecolors="none", edgecolors="#555555", zorder=4)
        ids = list(labels)
        ys = _spread(np.array([rank_now[d] for d in ids], dtype=float), gap=n / (height * 72 / 10) * 1.15)
        for d, y in zip(ids, ys):
            ax.text(1.04, y, labels[d], va="center", ha="left", fontsize=8, color=marked[d])
        ax.set_xlim(-0.05, 1.0)
        _rank_axis(ax, n)
        ax.set_xticks([0, 1], [str(before), str(year)])
        ax.tick_params(axis="x", labeltop=True, top=True, bottom=False, labelbottom=False)
        ax.set_ylabel(t["rank_axis"])
        ax.spines["bottom"].set_visible(False)
    return fig


# -- category shares, this year against the year before --------------------------------------------------


def both_years(comp: Comparison, year: int) -> list[tuple]:
    """(category id, label, points before, points now) for the categories both years have."""
    before = {c.id: c for c in comp.results[year - 1].scheme.categories}
    return [(c.id, c, before[c.id].points, c.points) for c in comp.results[year].scheme.categories if c.id in before]


def figure_shares(comp: Comparison, year: int | None = None, lang: str = "zh"):
    """For every category both years have: last year's shares (left box) and this year's
    (right box), each dot a department, on one 0–100% axis."""
    t = year_words(lang)
    year = year or comp.last
    cats = both_years(comp, year)
    shares = comp.shares
    with chart_style():
        fig = blank_figure(1.25 * len(cats) + 1.6, 4.6, {"left": 0.8, "bottom": 1.05, "top": 0.6})
        ax = fig.add_subplot()
        top = 1.0
        for k, (cid, cat, p_before, p_now) in enumerate(cats):
            for offset, y, colour in ((-0.21, year - 1, COLOURS[0]), (0.21, year, COLOURS[1])):
                values = shares[(shares["year"] == y) & (shares["category"] == cid)]["share"].to_numpy()
                top = max(top, float(values.max()))
                _box(ax, values * 100, k + offset, colour, 0.36)
        ax.set_xticks(
            range(len(cats)),
            [f"{_wrap(short(label(c, lang), 48))}\n{p0:g} → {p1:g}" for _, c, p0, p1 in cats],
            fontsize=7.5,
        )
        ax.set_xlim(-0.6, len(cats) - 0.4)
        ax.set_ylim(0, top * 104)
        ax.set_ylabel(t["share_axis"] + " (%)")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        from matplotlib.patches import Patch

        fig.legend(
            handles=[Patch(color=COLOURS[0], label=str(year - 1)), Patch(color=COLOURS[1], label=str(year))],
            loc="upper center",
            ncols=2,
            frameon=False,
        )
    return fig


# -- the decomposition of the largest changes -------------------------------------------------------------


def figure_decomposition(comp: Comparison, year: int | None = None, lang: str = "zh", n: int = 20):
    """The ``n`` largest changes of the total, each as a bar of its own change and a bar
    of the scheme's (stacked away from 0 on each side), with a diamond at the change."""
    t = year_words(lang)
    year = year or comp.last
    rows = comp.decomposition
    rows = rows[(rows["year"] == year) & rows["compared"]]
    rows = rows.reindex(rows["change"].abs().sort_values(ascending=False, kind="stable").index).head(n)
    names = [short(x) for x in rows["name"]]
    left = text_inches(names, 8) + 0.3
    k = len(rows)
    with chart_style():
        fig = blank_figure(7.5 + left, 0.26 * k + 1.3, {"left": left, "top": 0.35, "bottom": 0.75})
        ax = fig.add_subplot()
        y = np.arange(k)
        positive, negative = np.zeros(k), np.zeros(k)
        for column, colour in (("own", COLOURS[0]), ("reweighting", COLOURS[1]), ("indicator_set", COLOURS[5])):
            v = rows[column].to_numpy(dtype=float)
            start = np.where(v >= 0, positive, negative)
            ax.barh(y, v, left=start, height=0.7, color=colour, label=t[column])
            positive += np.clip(v, 0, None)
            negative += np.clip(v, None, 0)
        ax.scatter(rows["change"], y, marker="D", s=22, color="#222222", zorder=4, label=t["total_change"])
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(y, names, fontsize=8)
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xlabel(t["change_axis"])
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.legend(loc="lower center", ncols=4, frameon=False)
    return fig


# -- trends over the whole run ---------------------------------------------------------------------------------


def figure_trajectories(comp: Comparison, lang: str = "zh", highlight: int = 8):
    """Every department's rank year by year (one segment per link to a predecessor), the
    ``highlight`` largest net moves over the run coloured and named at the right."""
    years = comp.years
    paths = comp.rank_paths()
    last = paths[paths["year"] == comp.last].dropna(subset=["net_change"])
    top = last.reindex(last["net_change"].abs().sort_values(ascending=False, kind="stable").index).head(highlight)
    colour_of = {}
    for k, d in enumerate(top["dept_id"]):
        colour_of[d] = LINE_COLOURS[k % len(LINE_COLOURS)]
    # every link belongs to the highlighted department it leads to, if any
    marked: dict[tuple[int, str], str] = {}
    for d, colour in colour_of.items():
        for y in years:
            for a in comp.ancestors(comp.last, d, y):
                marked[(y, a)] = colour
    ranks = {y: _ranks(comp, y) for y in years}
    grey, coloured = [], {}
    for y, d, p in zip(comp.links["year"], comp.links["dept_id"], comp.links["previous_id"]):
        seg = [(y - 1, ranks[y - 1][p]), (y, ranks[y][d])]
        colour = marked.get((y, d))
        (coloured.setdefault(colour, []) if colour else grey).append(seg)
    n = max(len(r.total) for r in comp.results.values())
    rank_last = ranks[comp.last]
    names = _names(comp, comp.last)
    labels = {d: f"{names[d]}  {rank_move(net)}" for d, net in zip(top["dept_id"], top["net_change"])}
    right = text_inches(labels.values(), 8) + 0.3
    height = max(4.5, 0.06 * n + 1.2)
    with chart_style():
        fig = blank_figure(
            1.9 * len(years) + right + 1.0, height, {"left": 0.8, "right": right, "top": 0.45, "bottom": 0.35}
        )
        ax = fig.add_subplot()
        _lines(ax, grey, OTHER, 0.6, 0.7)
        for colour, segs in coloured.items():
            _lines(ax, segs, colour, 1.8, 1.0, 3)
        for y in years:  # departments without a predecessor (new) start with a dot
            linked = set(comp.links[comp.links["year"] == y]["dept_id"]) if y > years[0] else set(ranks[y])
            starts = [r for d, r in ranks[y].items() if d not in linked]
            ax.scatter([y] * len(starts), starts, s=12, facecolors="none", edgecolors="#555555", zorder=4)
        ids = list(labels)
        ys = _spread(np.array([rank_last[d] for d in ids], dtype=float), gap=n / (height * 72 / 10) * 1.15)
        for d, y in zip(ids, ys):
            ax.text(comp.last + 0.06, y, labels[d], va="center", ha="left", fontsize=8, color=colour_of[d])
        ax.set_xlim(years[0] - 0.1, comp.last)
        _rank_axis(ax, n)
        ax.set_xticks(list(years), [str(y) for y in years])
        ax.tick_params(axis="x", labeltop=True, top=True, bottom=False, labelbottom=False)
        ax.set_ylabel(year_words(lang)["rank_axis"])
        ax.spines["bottom"].set_visible(False)
    return fig


def categories_over_years(comp: Comparison) -> list[tuple[str, object]]:
    """(id, category) of every category of the run: the last year's order, then any
    category that only earlier years had (labelled from the latest year that had it)."""
    seen: dict[str, object] = {}
    for y in reversed(comp.years):
        for c in comp.results[y].scheme.categories:
            seen.setdefault(c.id, c)
    order = [c.id for c in comp.results[comp.last].scheme.categories]
    order += [cid for cid in seen if cid not in order]
    return [(cid, seen[cid]) for cid in order]


def share_means(comp: Comparison) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean share per category (rows) and year (columns), and each category's points
    per year (NaN where the year has no such category)."""
    cats = [cid for cid, _ in categories_over_years(comp)]
    means = comp.shares.pivot_table(index="category", columns="year", values="share", aggfunc="mean")
    points = comp.shares.pivot_table(index="category", columns="year", values="points", aggfunc="first")
    return means.reindex(index=cats, columns=list(comp.years)), points.reindex(index=cats, columns=list(comp.years))


def figure_share_heatmap(comp: Comparison, lang: str = "zh"):
    """Categories × years: the mean share of the category's points, annotated with the
    share and that year's points; grey where a year has no such category."""
    t = year_words(lang)
    means, points = share_means(comp)
    cats = categories_over_years(comp)
    labels = [short(label(c, lang)) for _, c in cats]
    left = text_inches(labels, 8) + 0.3
    with chart_style():
        fig = blank_figure(
            1.25 * len(comp.years) + left + 1.3,
            0.48 * len(cats) + 1.0,
            {"left": left, "right": 1.1, "top": 0.45, "bottom": 0.2},
        )
        ax = fig.add_subplot()
        data = np.ma.masked_invalid(means.to_numpy(dtype=float) * 100)
        import matplotlib

        cmap = matplotlib.colormaps["YlGnBu"].with_extremes(bad="#e6e6e6")
        image = ax.imshow(
            data,
            cmap=cmap,
            aspect="auto",
            vmin=max(0.0, float(data.min()) - 5),
            vmax=min(100.0, float(data.max()) + 5) if data.count() else 100,
        )
        for (r, c), value in np.ndenumerate(means.to_numpy(dtype=float)):
            if np.isnan(value):
                ax.text(c, r, "–", ha="center", va="center", fontsize=9, color="#666666")
                continue
            dark = image.norm(value * 100) > 0.6
            ax.text(
                c,
                r,
                f"{value:.0%}\n({t['points_of'].format(points=points.iat[r, c])})",
                ha="center",
                va="center",
                fontsize=7.5,
                color="white" if dark else "#222222",
            )
        ax.set_xticks(range(len(comp.years)), [str(y) for y in comp.years])
        ax.tick_params(axis="x", labeltop=True, top=True, bottom=False, labelbottom=False)
        ax.set_yticks(range(len(cats)), labels)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.03)
        bar.set_label(t["share_axis"] + " (%)", fontsize=8)
    return fig


def figure_share_distributions(comp: Comparison, lang: str = "zh"):
    """One panel per category, one box (with every department as a dot) per year."""
    import math

    t = year_words(lang)
    cats = categories_over_years(comp)
    shares = comp.shares
    cols = min(4, len(cats))
    rows = math.ceil(len(cats) / cols)
    top = max(1.0, float(shares["share"].max()))
    with chart_style():
        fig = blank_figure(
            max(2.6, 0.55 * len(comp.years) + 1.2) * cols, 2.6 * rows + 0.3, {"top": 0.55, "bottom": 0.35, "left": 0.7}
        )
        axes = fig.subplots(rows, cols, squeeze=False, sharey=True)
        for k, ax in enumerate(axes.flat):
            if k >= len(cats):
                ax.set_visible(False)
                continue
            cid, cat = cats[k]
            for p, y in enumerate(comp.years):
                values = shares[(shares["year"] == y) & (shares["category"] == cid)]["share"].to_numpy()
                if len(values):
                    _box(ax, values * 100, float(p), COLOURS[p % len(COLOURS)], 0.55)
            ax.set_xticks(range(len(comp.years)), [str(y) for y in comp.years], fontsize=7)
            ax.set_xlim(-0.6, len(comp.years) - 0.4)
            ax.set_ylim(0, top * 104)
            ax.set_title(_wrap(label(cat, lang), 30))
            if k % cols == 0:
                ax.set_ylabel(t["share_axis"] + " (%)")
    return fig
