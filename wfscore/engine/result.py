"""A scored year: the arrays of every step, and the tables built from them.

The arrays are what the pipeline computed. The tables (ranking, per-indicator
detail, adjustment log) are built from them the first time they are asked for, so
that scoring itself stays a handful of array operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from wfscore.inputs.loading import YearData
from wfscore.inputs.scheme import Scheme, SchemeArrays
from wfscore.inputs.validation import counted
from wfscore.inputs.wording import words


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as dist_version

    try:
        return dist_version("wfscore")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


@dataclass(frozen=True, eq=False)
class Result:
    """Scores of every department under one scheme.

    Arrays are departments (rows of ``data.departments``) × indicators, categories
    or sections, in scheme order. ``published`` holds the totals rounded half up,
    in units of 10^-rank_precision; ranks and excellence use it.
    """

    data: YearData
    scheme: Scheme
    arrays: SchemeArrays
    value: np.ndarray
    base: np.ndarray
    effective_weight: np.ndarray
    score: np.ndarray
    website_block: tuple
    security_block: tuple
    before_zero: np.ndarray
    category: np.ndarray
    section: np.ndarray
    total: np.ndarray
    published: np.ndarray
    rank: np.ndarray
    eligible: np.ndarray
    excellent: np.ndarray | None
    converted: np.ndarray | None
    base_percentile: float | None = None

    # -- masks of the adjustments (built on first use) -------------------------
    @cached_property
    def overridden(self) -> np.ndarray:
        """(D, I) pairs whose points come from the website evaluation."""
        mask = np.zeros(self.score.shape, dtype=bool)
        mask[self.website_block] = True
        return mask

    @cached_property
    def zeroed(self) -> np.ndarray:
        """(D, I) pairs zeroed by a security incident."""
        mask = np.zeros(self.score.shape, dtype=bool)
        mask[self.security_block] = True
        return mask

    @cached_property
    def missing(self) -> np.ndarray:
        """(D, I) applicable, non-overridden index or direct pairs with no value."""
        return np.isnan(self.value) & ~self.exempt & ~self.overridden & ~self.arrays.is_binary

    @cached_property
    def before_security(self) -> np.ndarray:
        """Scores before the security rule zeroed anything."""
        scores = self.score.copy()
        scores[self.security_block] = self.before_zero
        return scores

    # -- plain facts ----------------------------------------------------------
    @property
    def weight(self) -> np.ndarray:
        return self.arrays.weight

    @property
    def exempt(self) -> np.ndarray:
        return self.data.exempt

    @property
    def rounded_total(self) -> np.ndarray:
        return self.published / 10.0**self.scheme.rules.rank_precision

    @property
    def warnings(self):
        return self.data.warnings

    @cached_property
    def order(self) -> np.ndarray:
        """Department positions in rank order (ties in file order)."""
        return np.lexsort((np.arange(len(self.rank)), self.rank))

    def position(self, dept_id: str) -> int:
        ids = self.data.dept_ids
        found = np.flatnonzero(ids == str(dept_id).strip())
        if not len(found):
            raise KeyError(f"no department {dept_id!r} in {self.data.sources['departments']}")
        return int(found[0])

    @cached_property
    def provenance(self) -> dict:
        return {
            "year": self.scheme.year,
            "scheme_title": self.scheme.title,
            "folder": str(self.data.folder),
            "synthetic": self.data.synthetic,
            "inputs_sha256": dict(sorted(self.data.files.items())),
            "wfscore_version": version(),
            "base_percentile": self.base_percentile,
        }

    # -- tables ---------------------------------------------------------------
    @cached_property
    def ranking(self) -> pd.DataFrame:
        """One row per department in rank order, with the columns of SPEC §7."""
        depts = self.data.departments
        arr, order = self.arrays, self.order
        columns = {c: depts[c].take(order).reset_index(drop=True) for c in ("dept_id", "name", "kind")}
        for n, cid in enumerate(arr.category_ids):
            columns[cid] = self.category[order, n]
        for n, sid in enumerate(arr.section_ids):
            columns[sid] = self.section[order, n]
        columns.update(total=self.total[order], rank=self.rank[order], eligible=self.eligible[order])
        if self.excellent is not None:
            columns["excellent"] = self.excellent[order]
        if self.converted is not None:
            columns["converted"] = self.converted[order]
        return pd.DataFrame(columns)  # one frame built at once: a column at a time costs more than scoring

    def detail(self, lang: str = "zh") -> pd.DataFrame:
        """One row per department and indicator: value, base, weights, score, note."""
        return _detail(self, lang)

    def adjustments(self, lang: str = "zh") -> pd.DataFrame:
        """Every adjustment of steps 1, 3, 5, 6 and 9, with its reason."""
        return _adjustments(self, lang)

    @cached_property
    def _exemption_reasons(self) -> dict[tuple[str, str], str]:
        frame = self.data.tables["exemptions"]
        frame = frame[counted(frame)]
        return {(d, i): r for d, i, r in zip(frame["dept_id"], frame["indicator"], frame["reason"])}

    def _incident_text(self, lang: str) -> dict[str, str]:
        w = words(lang)
        frame = self.data.tables["incidents"]
        frame = frame[counted(frame)]  # the incidents that stand: the reasons for steps 6 and 9
        text: dict[str, list[str]] = {}
        for d, date, severity, description in zip(
            frame["dept_id"], frame["date"], frame["severity"], frame["description"]
        ):
            severity = w[f"severity_{severity.casefold()}"]
            text.setdefault(d, []).append(f"{date} {severity}" + (f" {description}" if description else ""))
        return {d: "; ".join(parts) for d, parts in text.items()}


def _log_rows(result: Result, lang: str) -> list[dict]:
    w = words(lang)
    scheme, arr = result.scheme, result.arrays
    ids = result.data.dept_ids
    names = result.data.departments["name"].to_numpy()
    inds = arr.indicator_ids
    rows: list[dict] = []

    def add(d: int, i: int | None, step: int, kind: str, reason: str) -> None:
        rows.append(
            {
                "dept_id": ids[d],
                "name": names[d],
                "indicator": "" if i is None else inds[i],
                "category": "" if i is None else arr.category_ids[arr.category_of[i]],
                "step": step,
                "kind": kind,
                "weight": np.nan if i is None else arr.weight[i],
                "effective_weight": np.nan if i is None else result.effective_weight[d, i],
                "score": np.nan if i is None else result.score[d, i],
                "reason": reason,
                "_d": d,
                "_i": -1 if i is None else i,
            }
        )

    for d, i in zip(*np.nonzero(result.missing)):
        add(d, i, 1, "missing_value", w["missing_value"])
    reasons = result._exemption_reasons
    for d, i in zip(*np.nonzero(result.exempt)):
        reason = reasons.get((ids[d], inds[i])) or w["no_reason"]
        add(d, i, 3, "exemption", w["exemption"].format(reason=reason, weight=arr.weight[i]))
    changed = ~result.exempt & ~np.isclose(result.effective_weight, arr.weight, rtol=0, atol=1e-9)
    for d, i in zip(*np.nonzero(changed)):
        add(
            d,
            i,
            3,
            "redistribution",
            w["redistribution"].format(weight=arr.weight[i], effective=result.effective_weight[d, i]),
        )
    empty = ((~result.exempt).astype(float) @ arr.in_section) == 0
    for d, s in zip(*np.nonzero(empty)):
        section = scheme.sections[s]
        name = section.name_en if lang == "en" and section.name_en else section.name
        add(d, None, 3, "section_exempt", w["section_exempt"].format(section=name))
    shown = result.overridden & ~result.exempt
    for d, i in zip(*np.nonzero(shown)):
        add(
            d,
            i,
            5,
            "website_evaluation",
            w["website_evaluation"].format(
                evaluation=plain_figure(result.data.website_eval[d]),
                effective=result.effective_weight[d, i],
                score=result.before_security[d, i],
            ),
        )
    incidents = result._incident_text(lang)
    for d, i in zip(*np.nonzero(result.zeroed)):
        add(
            d,
            i,
            6,
            "security_incident",
            w["security_incident"].format(incidents=incidents.get(ids[d], ""), before=result.before_security[d, i]),
        )
    for d in np.flatnonzero(~result.eligible):
        add(d, None, 9, "disqualification", w["disqualification"].format(incidents=incidents.get(ids[d], "")))
    return rows


_COLUMNS = ["dept_id", "name", "indicator", "category", "step", "kind", "weight", "effective_weight", "score", "reason"]


def _adjustments(result: Result, lang: str) -> pd.DataFrame:
    key = ("adjustments", lang)
    cache = result.__dict__.setdefault("_tables", {})
    if key not in cache:
        frame = pd.DataFrame(_log_rows(result, lang), columns=_COLUMNS + ["_d", "_i"])
        rank_of = dict(zip(result.data.dept_ids, result.rank))
        frame["_rank"] = frame["dept_id"].map(rank_of)
        cache[key] = (
            frame.sort_values(["_rank", "dept_id", "step"], kind="stable")
            .drop(columns=["_rank", "_d", "_i"])
            .reset_index(drop=True)
        )
    return cache[key]


def _detail(result: Result, lang: str) -> pd.DataFrame:
    key = ("detail", lang)
    cache = result.__dict__.setdefault("_tables", {})
    if key in cache:
        return cache[key]
    w = words(lang)
    arr = result.arrays
    n_d, n_i = result.score.shape
    notes = np.full((n_d, n_i), "", dtype=object)
    for row in _log_rows(result, lang):
        d, i = row["_d"], row["_i"]
        if i >= 0:
            notes[d, i] = row["reason"] if not notes[d, i] else f"{notes[d, i]}; {row['reason']}"
    counts = np.where(arr.is_binary, result.data.achievements, 0)
    for d, i in zip(*np.nonzero(counts)):
        text = w["achievements"].format(count=counts[d, i])
        notes[d, i] = text if not notes[d, i] else f"{notes[d, i]}; {text}"
    figures = getattr(result.data, "monitoring", None)
    if figures is not None:  # what each monitoring figure is and rests on
        from wfscore.inputs.monitoring.figures import basis_text

        for i, ind in enumerate(result.scheme.indicators):
            if ind.source != "monitoring" or not ind.measure:
                continue
            for d in np.flatnonzero(~result.overridden[:, i] & ~result.exempt[:, i]):
                text = basis_text(figures, ind.measure, d, lang)
                notes[d, i] = text if not notes[d, i] else f"{notes[d, i]}; {text}"
    order = result.order
    frame = pd.DataFrame(
        {
            "dept_id": np.repeat(result.data.dept_ids[order], n_i),
            "indicator": np.tile(np.array(arr.indicator_ids, dtype=object), n_d),
            "value": result.value[order].ravel(),
            "base": np.tile(result.base, n_d) if result.base.ndim == 1 else result.base[order].ravel(),
            "weight": np.tile(arr.weight, n_d),
            "effective_weight": result.effective_weight[order].ravel(),
            "score": result.score[order].ravel(),
            "note": notes[order].ravel(),
        }
    )
    cache[key] = frame
    return frame


def plain_figure(x: float) -> str:
    """A quoted input figure as people write it: at most four decimals, never in exponent
    form (an evaluation of 7e-129 reads 0, as its score does)."""
    return np.format_float_positional(float(x) + 0.0, precision=4, unique=True, trim="-")  # + 0.0: never "-0"
