"""The annual report's charts, drawn with matplotlib and embedded as PNG.

Each chart is a function of a :class:`~wfscore.engine.result.Result` and a language that
returns a :class:`~wfscore.publish.tables.Section` holding the picture as a ``data:`` URI,
so the report's HTML needs no other file. ``figure_*`` functions return the
matplotlib figure itself, for tests and for anyone who wants to restyle it.

Labels come from the scheme (``name``, or ``name_en`` under ``lang="en"``) and
from the departments file, drawn with the CJK font of :mod:`wfscore.publish.fonts`. Text
is drawn as written: ``$`` in a name is not read as mathematics.
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np

from wfscore.engine.result import Result
from wfscore.inputs.scheme import label
from wfscore.publish.fonts import use_cjk_font
from wfscore.publish.report_text import report_words
from wfscore.publish.tables import Section, esc, note

DPI = 100
COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
STYLE = {
    "text.parse_math": False,  # a department named "$x$" is text, not mathematics
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titley": 1.03,  # a fixed title position: placing it automatically measured every tick
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.dpi": DPI,
}


def blank_figure(width: float, height: float, margins: dict[str, float] | None = None):
    """A figure outside pyplot (no global state, nothing to close); draw it inside ``chart_style()``.

    Margins are fixed (inches, converted to fractions) rather than computed by a
    layout engine: constrained layout measured every tick label several times and
    cost more than the drawing itself.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    m = {"left": 0.6, "right": 0.2, "top": 0.35, "bottom": 0.5, "wspace": 0.35, "hspace": 0.6}
    m.update(margins or {})
    fig.subplots_adjust(
        left=m["left"] / width,
        right=1 - m["right"] / width,
        top=1 - m["top"] / height,
        bottom=m["bottom"] / height,
        wspace=m["wspace"],
        hspace=m["hspace"],
    )
    return fig


LABEL_WIDTH = 48  # a chart's label from the inputs, in half-em columns (24 CJK characters)


def short(text: object, width: int = LABEL_WIDTH) -> str:
    """``text`` for a chart: control characters and direction overrides shown as escapes
    (:func:`wfscore.inputs.inert.plain`), and cut to ``width`` half-em columns with an
    ellipsis, so that a 300-character name never pushes the plot off its figure. Tables
    keep the full text."""
    import unicodedata

    from wfscore.inputs.inert import plain

    text = plain(text)
    if len(text) * 2 <= width:
        return text
    kept, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1:
            return "".join(kept) + "…"
        kept.append(ch)
        used += w
    return text


def text_inches(texts, size: float) -> float:
    """The width of the longest of ``texts`` at ``size`` points, CJK counting as a full em
    (at most the width of a :func:`short` label, plus a little)."""
    from wfscore.publish.tables import display_width

    widest = max((display_width(str(x)) for x in texts), default=0)
    return min(widest, LABEL_WIDTH + 12) * size / 2 / 72


def chart_style():
    """The charts' rc settings, with the CJK font first in ``font.sans-serif``."""
    import matplotlib

    use_cjk_font()
    return matplotlib.rc_context(STYLE)


def png(fig) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})  # 3% larger, faster
    return buf.getvalue()


def embed(fig, alt: str) -> str:
    """An ``<img>`` with the figure inlined as a base64 PNG."""
    data = base64.b64encode(png(fig)).decode("ascii")
    return f'<figure class="wf-chart"><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></figure>'


def _jitter(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-0.22, 0.22, n)


def _dots_and_box(ax, values: np.ndarray, position: float, colour: str, vertical: bool = True) -> None:
    ax.boxplot(
        [values],
        positions=[position],
        widths=0.55,
        orientation="vertical" if vertical else "horizontal",
        showfliers=False,
        patch_artist=True,
        medianprops={"color": "#222222"},
        boxprops={"facecolor": colour + "33", "edgecolor": "#555555"},
        whiskerprops={"color": "#555555"},
        capprops={"color": "#555555"},
    )
    spread = position + _jitter(len(values), seed=int(position * 7) + 1)
    xy = (spread, values) if vertical else (values, spread)
    ax.scatter(*xy, s=9, color=colour, alpha=0.75, linewidths=0, zorder=3)


# -- score distributions per category ---------------------------------------------------


def figure_distributions(result: Result, lang: str = "zh"):
    """One panel per category, each scaled 0 to the category's points: box and every department."""
    t = report_words(lang)
    categories = result.scheme.categories
    n = len(categories)
    cols = min(4, n)
    rows = math.ceil(n / cols)
    with chart_style():
        fig = blank_figure(2.6 * cols, 2.5 * rows + 0.3, {"top": 0.55, "bottom": 0.15, "left": 0.7})
        axes = fig.subplots(rows, cols, squeeze=False)
        for c, ax in enumerate(axes.flat):
            if c >= n:
                ax.set_visible(False)
                continue
            category = categories[c]
            _dots_and_box(ax, result.category[:, c], 0.0, COLOURS[c % len(COLOURS)])
            ax.set_ylim(0, category.points * 1.04)
            ax.set_xlim(-0.6, 0.6)
            ax.set_xticks([])
            ax.set_title(f"{short(label(category, lang))}\n{t['out_of'].format(points=category.points)}")
            if c % cols == 0:
                ax.set_ylabel(t["points_axis"])
    return fig


def distributions(result: Result, lang: str = "zh") -> Section:
    t = report_words(lang)
    return Section(
        t["distributions"],
        [note(t["distributions_note"]), embed(figure_distributions(result, lang), t["distributions"])],
    )


# -- composition of every department's total ---------------------------------------------


def _bars(ax, y: np.ndarray, left: np.ndarray, width: np.ndarray, height: float, **style):
    """Horizontal bars as one collection (a thousand separate patches draw ten times slower)."""
    from matplotlib.collections import PolyCollection

    lo, hi = y - height / 2, y + height / 2
    right = left + width
    verts = np.stack([np.column_stack(p) for p in ((left, lo), (right, lo), (right, hi), (left, hi))], axis=1)
    ax.add_collection(PolyCollection(verts, **style))


NAMED_BARS = 300  # departments whose names the composition chart writes beside the bars
UNNAMED_INCHES = 12.0  # the composition chart's height for more departments


def figure_composition(result: Result, lang: str = "zh"):
    """Every department's total as a horizontal bar stacked by category, best at the top."""
    t = report_words(lang)
    scheme = result.scheme
    order = result.order
    n = len(order)
    names = [short(x) for x in result.data.departments["name"].to_numpy()[order]]
    scores = result.category[order]
    size = 7 if n > 40 else 8
    show_names = n <= NAMED_BARS
    left_margin = (text_inches(names, size) if show_names else 0) + 0.25
    width = 9.0 + left_margin
    # a bar per department, named, up to NAMED_BARS; more make one picture of a page's height
    # (thousands of unnamed bars read as a band; 0.16 inch each made a 10,000-department
    # year's picture 1,600 inches tall)
    height = max(3.0, 0.16 * n + 1.2) if show_names else UNNAMED_INCHES
    with chart_style():
        fig = blank_figure(width, height, {"left": left_margin, "top": 0.45, "bottom": 0.55})
        ax = fig.add_subplot()
        y = np.arange(n, dtype=float)
        left = np.zeros(n)
        for c, category in enumerate(scheme.categories):
            _bars(
                ax,
                y,
                left,
                scores[:, c],
                0.78,
                facecolor=COLOURS[c % len(COLOURS)],
                linewidth=0,
                label=label(category, lang),
            )
            left = left + scores[:, c]
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, scheme.total_points)
        ax.set_yticks([])
        if show_names:
            # plain text beside each bar: a hundred tick objects cost more than the bars
            beside = ax.get_yaxis_transform()
            for y_n, name in zip(y, names):
                ax.text(-0.006, y_n, name, transform=beside, ha="right", va="center", fontsize=size)
        ax.set_xlabel(t["total_axis"])
        ax.tick_params(axis="x", labeltop=True, top=True)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="lower right", ncols=2 if len(scheme.categories) > 4 else 1, framealpha=0.9)
    return fig


def composition(result: Result, lang: str = "zh") -> Section:
    t = report_words(lang)
    return Section(
        t["composition"], [note(t["composition_note"]), embed(figure_composition(result, lang), t["composition"])]
    )


# -- totals by kind of department ------------------------------------------------------------


def figure_by_kind(result: Result, lang: str = "zh"):
    """Totals per kind of department (kinds in scheme order, those with departments only)."""
    t = report_words(lang)
    scheme = result.scheme
    kinds = result.data.departments["kind"].to_numpy()
    present = [k for k in scheme.kinds if (kinds == k).any()]
    labels = [t["kind_count"].format(kind=short(scheme.kind_name(k, lang)), n=int((kinds == k).sum())) for k in present]
    left_margin = text_inches(labels, 8) + 0.3
    with chart_style():
        fig = blank_figure(7.5 + left_margin, 0.45 * len(present) + 0.9, {"left": left_margin, "top": 0.15})
        ax = fig.add_subplot()
        for p, kind in enumerate(present):
            _dots_and_box(ax, result.total[kinds == kind], float(p), COLOURS[p % len(COLOURS)], vertical=False)
        ax.set_yticks(range(len(present)), labels)
        ax.set_ylim(len(present) - 0.5, -0.5)
        ax.set_xlim(0, scheme.total_points)
        ax.set_xlabel(t["total_axis"])
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    return fig


def by_kind(result: Result, lang: str = "zh") -> Section:
    t = report_words(lang)
    return Section(t["by_kind"], [embed(figure_by_kind(result, lang), t["by_kind"])])
