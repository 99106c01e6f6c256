"""Loading a year: read, check, and build the arrays the scoring maths needs.

``load_year`` is the one place inputs are checked. It reads every file, runs every
check of :mod:`wfscore.inputs.validation`, and raises :class:`InputError` with all errors
at once. What it returns, :class:`YearData`, can be trusted by everything after it.
Inputs are only read, never changed. ``rebuild`` does the same checks and building
for a loaded year with some tables replaced in memory (a decision not yet saved),
without reading any file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.inputs import lineage
from wfscore.inputs.files import TABLE_NAMES, Inputs, Table, read_folder
from wfscore.inputs.monitoring.figures import Figures, read_figures
from wfscore.inputs.monitoring.records import folder_of
from wfscore.inputs.problems import InputError, Problem, warning
from wfscore.inputs.scheme import Scheme
from wfscore.inputs.scheme_yaml import parse_scheme
from wfscore.inputs.validation import TABLES, Checked, check


@dataclass(frozen=True, eq=False)
class YearData:
    """A year's checked inputs, as tables and as arrays in scheme order.

    Arrays are departments (rows of ``departments``, in file order) × indicators
    (``scheme.arrays.indicator_ids``).
    """

    folder: Path
    scheme: Scheme
    departments: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    sources: dict[str, str]
    values: np.ndarray
    ratings: np.ndarray
    exempt: np.ndarray
    achievements: np.ndarray
    website_eval: np.ndarray
    incidents: np.ndarray
    major: np.ndarray
    warnings: tuple[Problem, ...]
    files: dict[str, str]
    synthetic: bool
    _cache: dict = field(default_factory=dict, repr=False, compare=False)
    # What was read (tables with their sources and encodings, the reading and scheme
    # warnings): what ``rebuild`` starts from.
    inputs: Inputs | None = field(default=None, repr=False, compare=False)
    # The figures of the office's monitoring (``monitoring/``), when the year has that
    # folder or an indicator of ``source: monitoring``; those indicators' values come from them.
    monitoring: Figures | None = field(default=None, repr=False, compare=False)

    @property
    def year(self) -> int:
        return self.scheme.year

    @property
    def dept_ids(self) -> np.ndarray:
        return self.departments["dept_id"].to_numpy()

    def cached(self, key, make):
        """``make()`` computed once per ``key`` for this year (the engine keeps its
        per-year arrays here, read-only, so results scored from one year share them)."""
        if key not in self._cache:
            value = make()
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            self._cache[key] = value
        return self._cache[key]

    @property
    def any_exempt(self) -> bool:
        if "any_exempt" not in self._cache:
            self._cache["any_exempt"] = bool(self.exempt.any())
        return self._cache["any_exempt"]

    def takes_website_eval(self, kinds: frozenset[str] | None = None) -> np.ndarray:
        """(D,) whether each department's kind is among ``kinds`` (default: those the
        year's scheme sends to the website evaluation)."""
        if kinds is None:
            kinds = self.scheme.arrays.website_kinds
        return self.departments["kind"].isin(kinds).to_numpy()


def _empty(name: str) -> pd.DataFrame:
    spec = TABLES[name]
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in spec.columns + spec.optional})
    frame.index.name = "line"
    return frame


def monitored(scheme: Scheme) -> list[tuple[int, str]]:
    """(scheme position, measure) of each indicator of ``source: monitoring``."""
    return [(n, i.measure) for n, i in enumerate(scheme.indicators) if i.source == "monitoring" and i.measure]


def _figures(folder: Path, scheme: Scheme, checked: Checked) -> Figures | None:
    """The monitoring's figures, when the year has a monitoring folder or indicators."""
    if not monitored(scheme) and not os.path.isdir(folder_of(folder)):
        return None
    table = checked.usable.get("departments")
    ids = [] if table is None else list(table.frame["dept_id"])
    return read_figures(folder, scheme, ids)


def _build(
    folder: Path, scheme: Scheme, inputs: Inputs, checked: Checked, synthetic: bool, figures: Figures | None = None
) -> YearData:
    tables = checked.usable
    frames = {name: tables[name].frame if name in tables else _empty(name) for name in TABLE_NAMES}
    sources = {
        name: tables[name].source
        if name in tables
        else (f"{inputs.workbook}, sheet {name}" if inputs.workbook else f"{name}.csv")
        for name in TABLE_NAMES
    }
    depts = frames["departments"].reset_index()
    arr = scheme.arrays
    n_d, n_i = len(depts), len(arr.indicator_ids)
    nothing = np.empty(0, dtype=np.intp)

    def at(name: str) -> tuple[np.ndarray, np.ndarray]:
        """Each row's department (row of ``departments``) and indicator (scheme position)."""
        if name not in tables:
            return nothing, nothing
        d = checked.column(name, "dept_id").positions(checked.depts)  # checked: unique dept_ids, file order
        i = checked.column(name, "indicator").positions(checked.indicators) if "indicator" in frames[name] else None
        return d, i

    def numbers(name: str, column: str) -> np.ndarray:
        return checked.column(name, column).number if name in tables else np.empty(0)

    values = np.full((n_d, n_i), np.nan)
    d, i = at("values")
    values[d, i] = numbers("values", "value")
    if figures is not None:
        for i, measure in monitored(scheme):  # the monitoring's figure, whatever values.csv says
            values[:, i] = figures.value[measure]

    d, i = at("ratings")
    slot = pd.DataFrame({"d": d, "i": i}).groupby(["d", "i"]).cumcount().to_numpy()
    ratings = np.full((n_d, n_i, int(slot.max()) + 1 if len(slot) else 0), np.nan)
    ratings[d, i, slot] = numbers("ratings", "rating")

    exempt = np.zeros((n_d, n_i), dtype=bool)
    d, i = at("exemptions")
    ok = checked.counted("exemptions") if "exemptions" in tables else nothing.astype(bool)
    exempt[d[ok], i[ok]] = True

    d, i = at("achievements")
    ok = checked.counted("achievements") if "achievements" in tables else nothing.astype(bool)
    achievements = np.zeros((n_d, n_i))
    np.add.at(achievements, (d[ok], i[ok]), 1.0)

    website_eval = np.full(n_d, np.nan)
    d, _ = at("website_eval")
    website_eval[d] = numbers("website_eval", "score")

    d, _ = at("incidents")
    standing = checked.counted("incidents") if "incidents" in tables else nothing.astype(bool)  # confirmed ones count
    incidents = np.zeros(n_d, dtype=np.intp)
    np.add.at(incidents, d[standing], 1)
    major = np.zeros(n_d, dtype=bool)
    severity = frames["incidents"]["severity"].to_numpy(dtype=object)[standing]
    major[d[standing][np.array([s.casefold() == "major" for s in severity], dtype=bool)]] = True

    for array in (values, ratings, exempt, achievements, website_eval, incidents, major):
        array.setflags(write=False)  # the checked inputs: nothing after loading may change them
    return YearData(
        folder=folder,
        scheme=scheme,
        departments=depts,
        tables=frames,
        sources=sources,
        values=values,
        ratings=ratings,
        exempt=exempt,
        achievements=achievements,
        website_eval=website_eval,
        incidents=incidents,
        major=major,
        warnings=(),
        files={**inputs.hashes, **(figures.files if figures is not None else {})},
        synthetic=synthetic,
        inputs=inputs,
        monitoring=figures,
    )


def _warnings(data: YearData, checked: Checked) -> list[Problem]:
    """Warnings that need the built arrays: ignored values, missing values, empty sections."""
    problems: list[Problem] = []
    scheme, arr = data.scheme, data.scheme.arrays
    names = data.departments["name"].to_numpy()
    ids = data.dept_ids
    takes = data.takes_website_eval()
    overridden = takes[:, None] & arr.website[None, :]
    exempt = data.exempt

    for name, column in (("values", "value"), ("ratings", "rating")):
        frame = data.tables[name]
        if frame.empty:
            continue
        d = checked.column(name, "dept_id").positions(checked.depts)
        i = checked.column(name, "indicator").positions(checked.indicators)
        first = None
        for reason, reason_zh, mask in (
            ("has a confirmed exemption", "已确认不适用", exempt[d, i] if data.any_exempt else None),
            (
                "takes its website points from the website evaluation",
                "按全市政务网站绩效评估计分",
                takes[d] & arr.website[i],
            ),
        ):
            if mask is None or not mask.any():
                continue
            if first is None:  # the first row of each department and indicator (ratings have several)
                first = ~pd.Series(d * len(arr.indicator_ids) + i).duplicated().to_numpy()
            for line, row in frame[mask & first].iterrows():
                problems.append(
                    warning(
                        data.sources[name],
                        f"is given for department {row['dept_id']}, indicator "
                        f"{row['indicator']}, which {reason}; it is ignored",
                        line=int(line),
                        column=column,
                        value=row[column],
                        message_zh=f"是部门 {row['dept_id']} 指标 {row['indicator']} 的数据，但该项{reason_zh}，"
                        "此数据不计",
                    )
                )

    needs_value = (arr.is_index | arr.is_direct)[None, :] & ~exempt & ~overridden
    # a pair has a value when values.csv gives one or any expert rated it
    missing = needs_value & np.isnan(data.values) & np.isnan(data.ratings).all(axis=-1)
    from_monitoring = np.zeros(len(arr.indicator_ids), dtype=bool)
    for i, _ in monitored(scheme):
        from_monitoring[i] = True
    if from_monitoring.any():
        problems += _monitoring_warnings(data, checked, missing & from_monitoring[None, :], from_monitoring)
        missing = missing & ~from_monitoring[None, :]
    for d, i in zip(*np.nonzero(missing)):
        ind = scheme.indicators[i]
        problems.append(
            warning(
                data.sources["values"],
                f"has no value for department {ids[d]} ({names[d]}), "
                f"indicator {ind.id} ({ind.name}); it scores 0 (expected a value, ratings, or a "
                "confirmed exemption)",
                message_zh=f"中没有部门 {ids[d]}（{names[d]}）指标 {ind.id}（{ind.name}）的数据，计 0 分"
                "（应提供指标值、专家评分或经确认的不适用申请）",
            )
        )

    applicable = (~exempt).astype(float) @ arr.in_section
    lines = data.departments["line"].to_numpy()
    for d, s in zip(*np.nonzero(applicable == 0)):
        section = scheme.sections[s]
        problems.append(
            warning(
                data.sources["departments"],
                f"has every indicator of section {section.id} ({section.name}) exempt; that section scores 0",
                line=int(lines[d]),
                column="dept_id",
                value=ids[d],
                message_zh=f"的“{section.name}”部分全部指标经确认不适用，该部分计 0 分",
            )
        )
    return problems


def _monitoring_warnings(
    data: YearData, checked: Checked, missing: np.ndarray, from_monitoring: np.ndarray
) -> list[Problem]:
    """A monitoring figure missing (scored 0), and a values.csv row for an indicator whose
    value comes from the monitoring (ignored)."""
    from wfscore.inputs.monitoring.figures import period_of

    problems: list[Problem] = []
    scheme = data.scheme
    names = data.departments["name"].to_numpy()
    ids = data.dept_ids
    start, end = period_of(scheme)
    frame = data.tables["values"]
    if not frame.empty:
        i = checked.column("values", "indicator").positions(checked.indicators)
        for line, row in frame[from_monitoring[i]].iterrows():
            problems.append(
                warning(
                    data.sources["values"],
                    f"is given for indicator {row['indicator']}, whose value comes from the monitoring; it is ignored",
                    line=int(line),
                    column="value",
                    value=row["value"],
                    message_zh=f"是指标 {row['indicator']} 的数据，但该指标取自日常监测，此数据不计",
                )
            )
    for d, i in zip(*np.nonzero(missing)):
        ind = scheme.indicators[i]
        problems.append(
            warning(
                "monitoring",
                f"has no {ind.measure} figure for department {ids[d]} ({names[d]}) "
                f"from {start} to {end}, for indicator {ind.id} ({ind.name}); it scores 0 "
                "(expected probes of its website or rows of an imported system in the period)",
                message_zh=f"中没有部门 {ids[d]}（{names[d]}）在 {start} 至 {end} 期间的 {ind.measure} "
                f"数据（指标 {ind.id}，{ind.name}），计 0 分（应有该期间对其网站的检查"
                "或导入的系统记录）",
            )
        )
    return problems


def _load(folder: Path | str) -> tuple[YearData | None, list[Problem]]:
    folder = Path(folder)
    inputs = read_folder(folder)
    problems = list(inputs.problems)
    scheme = None
    if inputs.scheme_text is not None:
        scheme, found = parse_scheme(inputs.scheme_text)
        problems += found
    if scheme is None:
        # Without a scheme the tables cannot be checked against it; report what we have.
        return None, problems
    read = replace(inputs, problems=list(problems))  # reading and scheme warnings, kept for rebuild
    checked = check(scheme, inputs)
    problems += checked.problems
    problems += lineage.check(checked.usable, scheme.year, folder)  # previous_ids against last year's folder
    figures = _figures(folder, scheme, checked)
    if figures is not None:
        problems += figures.problems
    if any(p.is_error for p in problems):
        return None, problems
    return _finish(_build(folder, scheme, read, checked, _synthetic(folder), figures), problems, checked)


def _synthetic(folder: Path) -> bool:
    """Whether the SYNTHETIC flag is there: any entry of that name, even a folder or a
    broken link, marks the data synthetic (when in doubt the outputs say so)."""
    return os.path.lexists(folder / "SYNTHETIC")


def _finish(data: YearData, problems: list[Problem], checked: Checked) -> tuple[YearData, list[Problem]]:
    problems = problems + _warnings(data, checked)
    data = YearData(**{**data.__dict__, "warnings": tuple(p for p in problems if not p.is_error)})
    return data, problems


def rebuild(data: YearData, **tables: pd.DataFrame) -> YearData:
    """``data`` with some tables replaced, checked and built as :func:`load_year` does.

    Each keyword names a table (``exemptions=frame``); a frame holds text cells with
    the line numbers as its index, like ``data.tables[name]``. No file is read. The
    replaced tables get every check of a loaded one (against the scheme and the
    other tables), the other tables were checked when ``data`` was loaded, and the
    warnings are worked out afresh; errors raise :class:`InputError`. The result's
    ``files`` (the input hashes of its provenance) leaves out the replaced tables'
    files: the rebuilt year is no longer what they hold.
    """
    unknown = sorted(set(tables) - set(TABLE_NAMES))
    if unknown:
        raise ValueError(f"not tables of a year: {', '.join(unknown)} (expected some of {', '.join(TABLE_NAMES)})")
    read = data.inputs
    if read is None:
        raise ValueError("this YearData was not made by load_year, so it cannot be rebuilt")
    given = {}
    for name, frame in tables.items():
        old = read.tables.get(name)
        given[name] = Table(
            name,
            data.sources[name],
            frame,
            old.row_word if old else ("row" if read.workbook else "line"),
            old.encoding if old else None,
        )
    replaced = {read.workbook} if read.workbook and tables else {f"{name}.csv" for name in tables}
    inputs = replace(
        read,
        tables={**read.tables, **given},
        hashes={f: h for f, h in read.hashes.items() if f not in replaced},
        problems=list(read.problems),
    )
    checked = check(data.scheme, inputs, only=set(tables))
    problems = list(read.problems) + checked.problems
    if any(p.is_error for p in problems):
        raise InputError(problems, str(data.folder))
    rebuilt, _ = _finish(
        _build(data.folder, data.scheme, inputs, checked, data.synthetic, data.monitoring), problems, checked
    )
    return rebuilt


def load_year(folder: Path | str) -> YearData:
    """Read and check ``folder``; raise :class:`InputError` listing every error."""
    data, problems = _load(folder)
    if data is None:
        raise InputError(problems, str(folder))
    return data


def validate(folder: Path | str) -> list[Problem]:
    """Every error and warning of ``folder``, errors first, in file and line order."""
    _, problems = _load(folder)
    return sorted(problems, key=lambda p: not p.is_error)
