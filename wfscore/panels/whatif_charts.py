"""The what-if panel's two charts, drawn with matplotlib and redrawn in place.

Each chart builds its figure and artists once, with everything that never
changes (axes, ticks, tick labels, titles) drawn once and its pixels saved. An
update moves data into the existing artists (``set_segments``, ``set_offsets``),
restores the saved pixels ("blitting"), draws only the data artists over them
with the Agg canvas, and encodes a palette PNG with a fast compression level. An
update whose data is the same as the last one returns the last PNG without
drawing (a widget given the same bytes sends nothing to the browser). Rebuilding
a figure, re-running a layout engine or re-drawing tick labels on every slider
release is what makes such panels slow. No pyplot: nothing is shown in a
notebook by accident, and nothing global changes.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from PIL import Image

from wfscore.publish.charts import short
from wfscore.publish.fonts import use_cjk_font

UP, DOWN, SAME, PICKED = "#2e7d32", "#c62828", "#b0b0b0", "#1565c0"
MAX_LABELS = 12  # picked departments labelled on the slope chart

WORDS = {
    "zh": {
        "official": "官方方案",
        "scenario": "假设方案",
        "rank": "名次",
        "slope": "名次变化（官方 → 假设）",
        "share": "得分率（占类别分值 %）",
        "dist": "各类别得分分布（灰：官方，蓝：假设；竖线为中位数）",
    },
    "en": {
        "official": "Official",
        "scenario": "Scenario",
        "rank": "Rank",
        "slope": "Rank change (official → scenario)",
        "share": "Score (% of category points)",
        "dist": "Score distribution by category (grey: official, blue: scenario; bars: median)",
    },
}


class _Blitted:
    """A figure whose static part is drawn once and whose data artists are redrawn."""

    figure: Figure
    canvas: FigureCanvasAgg
    dynamic: list

    def _render(self) -> bytes:
        if getattr(self, "_background", None) is None:
            for artist in self.dynamic:
                artist.set_animated(True)  # a full draw leaves them out
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.dynamic:
            self.figure.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        # A 256-colour palette PNG: encoding it takes about a third of the time of a
        # full-colour one (no per-row filtering, a quarter of the bytes to compress),
        # and on these flat-coloured charts the difference is not visible (antialiased
        # edges shift by a few levels).
        image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _unchanged(self, *data) -> bool:
        """True when ``data`` (arrays, lists) equals the last update's: nothing to redraw."""
        key = [np.array(d, copy=True) for d in data]
        last = getattr(self, "_last", None)
        self._last = key
        return (
            last is not None
            and len(last) == len(key)
            and all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(last, key))
        )


class SlopeChart(_Blitted):
    """Official rank on the left, scenario rank on the right, one line per department."""

    def __init__(self, departments: int, lang: str = "zh", size: tuple[float, float] = (5.0, 6.0), dpi: int = 80):
        use_cjk_font()
        w = WORDS[lang]
        self.figure = Figure(figsize=size, dpi=dpi)
        # Fixed margins (a layout engine would re-measure every label on every
        # redraw); the right one leaves room for the picked departments' names.
        self.figure.subplots_adjust(left=0.12, right=0.56, top=0.94, bottom=0.06)
        self.canvas = FigureCanvasAgg(self.figure)
        ax = self.ax = self.figure.add_subplot()
        self.lines = LineCollection([], linewidths=0.8, alpha=0.55)
        self.picked_lines = LineCollection([], linewidths=2.4, colors=PICKED, zorder=3)
        ax.add_collection(self.lines)
        ax.add_collection(self.picked_lines)
        self.labels = [
            ax.text(1.04, 0, "", fontsize=8, color=PICKED, va="center", visible=False, clip_on=False)
            for _ in range(MAX_LABELS)
        ]
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(departments + 1, 0)
        ax.set_xticks([0, 1], [w["official"], w["scenario"]])
        ax.set_ylabel(w["rank"])
        ax.set_title(w["slope"], fontsize=10)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        self.dynamic = [self.lines, self.picked_lines, *self.labels]
        self._png = None

    def update(
        self, official_rank: np.ndarray, scenario_rank: np.ndarray, picked: list[int], names: np.ndarray
    ) -> bytes:
        if self._unchanged(official_rank, scenario_rank, picked) and self._png is not None:
            return self._png
        n = len(official_rank)
        segments = np.zeros((n, 2, 2))
        segments[:, 1, 0] = 1.0
        segments[:, 0, 1] = official_rank
        segments[:, 1, 1] = scenario_rank
        move = official_rank - scenario_rank
        colours = np.where(move > 0, UP, np.where(move < 0, DOWN, SAME))
        self.lines.set_segments(segments)
        self.lines.set_color(colours)
        self.picked_lines.set_segments(segments[picked])
        for k, label in enumerate(self.labels):
            if k < len(picked):
                d = picked[k]
                label.set_position((1.04, scenario_rank[d]))
                label.set_text(f"{short(names[d])} {official_rank[d]}→{scenario_rank[d]}")
                label.set_visible(True)
            else:
                label.set_visible(False)
        self._png = self._render()
        return self._png


class Distributions(_Blitted):
    """Each category's scores as a share of its points: official (grey) above,
    scenario (blue) below, with each one's median as a bar. ``labels`` names the
    categories (they stay fixed: the points move, and the panel's tables show them)."""

    def __init__(
        self,
        departments: int,
        labels: list[str],
        lang: str = "zh",
        size: tuple[float, float] = (6.4, 4.4),
        dpi: int = 80,
        seed: int = 0,
    ):
        use_cjk_font()
        w = WORDS[lang]
        categories = len(labels)
        self.figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        ax = self.ax = self.figure.add_subplot()
        rows = np.arange(categories)
        jitter = np.random.default_rng(seed).uniform(-0.13, 0.13, size=(departments, categories))
        self.y_official = (rows - 0.2 + jitter).ravel()
        self.y_scenario = (rows + 0.2 + jitter).ravel()
        empty = np.zeros((0, 2))
        self.official = ax.scatter(empty[:, 0], empty[:, 1], s=6, color=SAME, alpha=0.7, linewidths=0)
        self.scenario = ax.scatter(empty[:, 0], empty[:, 1], s=6, color=PICKED, alpha=0.7, linewidths=0)
        self.official_median = ax.scatter(empty[:, 0], empty[:, 1], marker="|", s=260, color="#555555", linewidths=2)
        self.scenario_median = ax.scatter(empty[:, 0], empty[:, 1], marker="|", s=260, color="#0d47a1", linewidths=2)
        self.rows = rows
        ax.set_xlim(-3, 103)
        ax.set_ylim(categories - 0.5, -0.5)
        ax.set_yticks(rows, [short(x) for x in labels], fontsize=8)  # a 300-character name fits too
        ax.set_xlabel(w["share"])
        ax.set_title(w["dist"], fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        # the official scheme's scores never change: they are part of the saved background
        self.dynamic = [self.scenario, self.scenario_median]
        self._official_key = None
        # lay out once, then keep that layout: re-running the layout engine doubles a redraw
        self.canvas.draw()
        self.figure.set_layout_engine("none")
        self._png = None

    @staticmethod
    def _share(scores: np.ndarray, points: np.ndarray) -> np.ndarray:
        return 100.0 * scores / points

    def update(
        self, official: np.ndarray, official_points: np.ndarray, scenario: np.ndarray, scenario_points: np.ndarray
    ) -> bytes:
        if self._unchanged(official, official_points, scenario, scenario_points) and self._png is not None:
            return self._png
        if self._official_key is None or not (
            np.array_equal(self._official_key[0], official) and np.array_equal(self._official_key[1], official_points)
        ):
            before = self._share(official, official_points)
            self.official.set_offsets(np.column_stack([before.ravel(), self.y_official]))
            self.official_median.set_offsets(np.column_stack([np.median(before, axis=0), self.rows - 0.2]))
            self._official_key = (np.array(official, copy=True), np.array(official_points, copy=True))
            self._background = None  # drawn again with the new official scores
        after = self._share(scenario, scenario_points)
        self.scenario.set_offsets(np.column_stack([after.ravel(), self.y_scenario]))
        self.scenario_median.set_offsets(np.column_stack([np.median(after, axis=0), self.rows + 0.2]))
        self._png = self._render()
        return self._png
