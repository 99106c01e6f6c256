"""The year's figures from the monitoring: each department's measures over the scheme's
monitoring period, each with the probes or rows it rests on.

- ``availability``: the share (percent) of the period's probes of the department's
  website that were ok (``probes.csv``, column ``ok``);
- ``gov_cn``: the share (percent) of those probes that found the site on a ``.gov.cn`` host;
- ``online_rate``: items handled online / items in all (percent), summed over the
  period's rows of the approval system's import (``approval.csv``: ``online``, ``total``);
- ``logins``: the platform's logins summed over the period (``platform.csv``: ``logins``).

A department with no probe or row in the period has no figure (NaN): loading warns of it,
and its indicator scores 0, as a missing value does. Pure reading and arithmetic over
the monitoring files: :func:`read_figures` is what loading, ``wfscore monitor summary``
and the report call.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.inputs.monitoring.records import FOLDER, PROBE_COLUMNS, PROBES, folder_of, read_records
from wfscore.inputs.problems import Problem, warning
from wfscore.inputs.scheme import MEASURES, Scheme
from wfscore.inputs.validation import number

# The measures an imported system gives: measure → (system, its count fields).
SYSTEM_OF = {"online_rate": ("approval", ("online", "total")), "logins": ("platform", ("logins",))}
SYSTEM_COLUMNS = ("dept_id", "date")  # then the system's count fields, then where each row came from
ORIGIN_COLUMNS = ("file", "line")


def period_of(scheme: Scheme) -> tuple[str, str]:
    """The monitoring period's first and last day (ISO): the scheme's ``monitoring``
    ``start`` and ``end``, by default the scheme's year."""
    m = scheme.monitoring
    start = (m.start if m is not None else None) or f"{scheme.year}-01-01"
    end = (m.end if m is not None else None) or f"{scheme.year}-12-31"
    return start, end


@dataclass(frozen=True)
class Figures:
    """Each measure per department (rows of ``departments``, in file order).

    ``value[m]``: the figure (NaN where nothing stands behind it); ``basis[m]``: how many
    probes or rows it rests on; ``part[m]``: the probes ok or on ``.gov.cn``, the items
    handled online; ``whole[m]``: the items in all (``online_rate``)."""

    start: str
    end: str
    whole_year: bool
    dept_ids: tuple[str, ...]
    value: dict[str, np.ndarray]
    basis: dict[str, np.ndarray]
    part: dict[str, np.ndarray]
    whole: dict[str, np.ndarray]
    sites: dict[str, str] = field(default_factory=dict)  # dept_id → the last probed address
    files: dict[str, str] = field(default_factory=dict)  # monitoring/<file> → sha256
    problems: tuple[Problem, ...] = ()

    @property
    def any(self) -> bool:
        """Whether the year has any monitoring in the period."""
        return any(int(b.sum()) > 0 for b in self.basis.values())

    def has(self, measure: str) -> bool:
        return int(self.basis[measure].sum()) > 0

    def frame(self, names: list[str] | None = None) -> pd.DataFrame:
        """One row per department: each measure and what it rests on (the summary)."""
        columns: dict[str, object] = {"dept_id": list(self.dept_ids)}
        if names is not None:
            columns["name"] = names
        for m in MEASURES:
            columns[m] = np.round(self.value[m], 4)
            columns[f"{m}_basis"] = self.basis[m]
        columns["online_items"] = self.part["online_rate"]
        columns["all_items"] = self.whole["online_rate"]
        return pd.DataFrame(columns)


def _hash(path: Path) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def _in_period(dates: pd.Series, start: str, end: str) -> np.ndarray:
    codes, distinct = pd.factorize(dates.to_numpy(dtype=object))  # each distinct time looked at once
    inside = np.array([start <= str(t)[:10] <= end for t in distinct] + [False])
    return inside[codes]


def _positions(ids: pd.Series, index: pd.Index) -> np.ndarray:
    """Each cell's position in ``index``, -1 where it is not there (cells come stripped)."""
    codes, distinct = pd.factorize(ids.to_numpy(dtype=object))
    return np.append(index.get_indexer(distinct), -1)[codes]


def _unknown(source: str, frame: pd.DataFrame, d: np.ndarray) -> list[Problem]:
    problems = []
    bad = frame.loc[d < 0, "dept_id"]
    for dept, lines in bad.groupby(bad, sort=False).groups.items():
        problems.append(
            warning(
                source,
                f"holds rows of {dept!r}, which is not a department of departments.csv; "
                f"they are left out ({len(lines)} rows)",
                line=int(lines[0]),
                column="dept_id",
                message_zh=f"中有 {dept!r} 的记录，但它不是 departments.csv 中的部门，这些记录不计（{len(lines)} 行）",
            )
        )
    return problems


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    return number(frame[column]).to_numpy(dtype=float)


def read_figures(folder: Path | str, scheme: Scheme, dept_ids) -> Figures:
    """The figures of the year in ``folder`` for the departments ``dept_ids`` (in order)."""
    folder = Path(folder)
    mon = folder_of(folder)
    start, end = period_of(scheme)
    index = pd.Index([str(d) for d in dept_ids])
    n = len(index)
    value = {m: np.full(n, np.nan) for m in MEASURES}
    basis = {m: np.zeros(n, dtype=np.int64) for m in MEASURES}
    part = {m: np.zeros(n) for m in MEASURES}
    whole = {m: np.zeros(n) for m in MEASURES}
    problems: list[Problem] = []
    files: dict[str, str] = {}
    sites: dict[str, str] = {}

    path = mon / PROBES
    source = f"{FOLDER}/{PROBES}"
    frame, found = read_records(path, PROBE_COLUMNS, source)
    problems += found
    if frame is not None and len(frame):
        digest = _hash(path)
        if digest:
            files[source] = digest
        d = _positions(frame["dept_id"], index)
        problems += _unknown(source, frame, d)
        keep = (d >= 0) & _in_period(frame["time"], start, end)
        d = d[keep]
        ok = frame["ok"].to_numpy(dtype=object)[keep]
        gov = frame["gov_cn"].to_numpy(dtype=object)[keep]
        counts = np.bincount(d, minlength=n)
        for m, flags in (("availability", ok), ("gov_cn", gov)):
            yes = np.isin(flags, ["yes", "true", "1", "是"])
            basis[m] = counts
            part[m] = np.bincount(d, weights=yes.astype(float), minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                value[m] = np.where(counts > 0, 100.0 * part[m] / counts, np.nan)
        urls = frame["url"].to_numpy(dtype=object)[keep]
        last = pd.Series(urls).groupby(d).last()
        sites = {index[int(k)]: str(v) for k, v in last.items()}

    for measure, (system, fields) in SYSTEM_OF.items():
        path = mon / f"{system}.csv"
        source = f"{FOLDER}/{system}.csv"
        if not os.path.lexists(path):
            continue
        frame, found = read_records(path, SYSTEM_COLUMNS + fields, source)
        problems += found
        if frame is None or not len(frame):
            continue
        digest = _hash(path)
        if digest:
            files[source] = digest
        d = _positions(frame["dept_id"], index)
        problems += _unknown(source, frame, d)
        keep = (d >= 0) & _in_period(frame["date"], start, end)
        d = d[keep]
        counts = np.bincount(d, minlength=n)
        basis[measure] = counts
        first = np.nan_to_num(_numbers(frame, fields[0])[keep])
        part[measure] = np.bincount(d, weights=first, minlength=n)
        if measure == "online_rate":
            whole[measure] = np.bincount(d, weights=np.nan_to_num(_numbers(frame, fields[1])[keep]), minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                value[measure] = np.where(
                    (counts > 0) & (whole[measure] > 0), 100.0 * part[measure] / whole[measure], np.nan
                )
        else:
            value[measure] = np.where(counts > 0, part[measure], np.nan)
    whole_year = (start, end) == (f"{scheme.year}-01-01", f"{scheme.year}-12-31")
    return Figures(start, end, whole_year, tuple(index), value, basis, part, whole, sites, files, tuple(problems))


# -- what a figure rests on, in words ----------------------------------------------------------

_BASIS = {
    "zh": {
        "availability": "可用率 {v:.1f}%：{period} {n} 次检查中 {k} 次正常",
        "gov_cn": ".gov.cn 域名 {v:.1f}%：{period} {n} 次检查中 {k} 次在 .gov.cn 上",
        "online_rate": "网上办理率 {v:.1f}%：{period}办件 {w} 件中网上办理 {k} 件（{n} 行记录）",
        "logins": "登录 {v:g} 次：{period} {n} 行记录",
        "none": "{measure}：{period}没有监测记录，计 0 分",
        "year": "一年",
        "period": "{start} 至 {end}",
    },
    "en": {
        "availability": "availability {v:.1f}%: {k} of {n} checks ok {period}",
        "gov_cn": "on .gov.cn {v:.1f}%: {k} of {n} checks {period}",
        "online_rate": "online rate {v:.1f}%: {k} of {w} items handled online {period} ({n} rows)",
        "logins": "{v:g} logins {period} ({n} rows)",
        "none": "{measure}: no monitoring records {period}; scores 0",
        "year": "in the year",
        "period": "from {start} to {end}",
    },
}
MEASURE_NAMES = {
    "zh": {"availability": "可用率", "gov_cn": ".gov.cn 域名", "online_rate": "网上办理率", "logins": "登录次数"},
    "en": {"availability": "availability", "gov_cn": "on .gov.cn", "online_rate": "online rate", "logins": "logins"},
}


def period_text(figures: Figures, lang: str = "zh") -> str:
    w = _BASIS["en" if lang == "en" else "zh"]
    return w["year"] if figures.whole_year else w["period"].format(start=figures.start, end=figures.end)


def basis_text(figures: Figures, measure: str, d: int, lang: str = "zh") -> str:
    """What department ``d``'s figure of ``measure`` is and rests on: "可用率 97.3%：一年
    365 次检查中 355 次正常"."""
    w = _BASIS["en" if lang == "en" else "zh"]
    period = period_text(figures, lang)
    v = figures.value[measure][d]
    if np.isnan(v):
        return w["none"].format(measure=MEASURE_NAMES["en" if lang == "en" else "zh"][measure], period=period)
    return w[measure].format(
        v=v,
        n=int(figures.basis[measure][d]),
        k=f"{figures.part[measure][d]:g}",
        w=f"{figures.whole[measure][d]:g}",
        period=period,
    )
