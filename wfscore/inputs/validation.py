"""Checking a year's tables against the scheme and each other (SPEC §3, §6).

Cell checks (ids, numbers, ranges, true/false words) are pandera schemas run
lazily, so every failing cell of every table is collected in one pass. Checks
across rows and tables (duplicates, a value and ratings for one pair, a missing
website evaluation) are plain pandas. Each failure becomes a :class:`Problem` that
names the file, line, column and value, and says what was expected.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pandera.pandas as pa

from wfscore.inputs.files import Inputs, Table
from wfscore.inputs.problems import Problem, error, warning
from wfscore.inputs.scheme import Scheme
from wfscore.inputs.text_checks import check_text

TRUE_WORDS = frozenset({"true", "yes", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "0", "否"})
SEVERITIES = ("ordinary", "major")


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    required: bool = False


TABLES: dict[str, TableSpec] = {
    "departments": TableSpec(("dept_id", "name", "kind"), ("previous_ids",), required=True),
    "values": TableSpec(("dept_id", "indicator", "value"), required=True),
    "ratings": TableSpec(("dept_id", "indicator", "expert", "rating")),
    "website_eval": TableSpec(("dept_id", "score")),
    "exemptions": TableSpec(("dept_id", "indicator", "reason"), ("confirmed",)),
    "incidents": TableSpec(("dept_id", "date", "severity", "description"), ("confirmed",)),
    "achievements": TableSpec(("dept_id", "indicator", "title", "confirmed")),
}


def is_true(cells: pd.Series) -> pd.Series:
    """True/false words (any case) → booleans; call only on checked cells."""
    return cells.astype(str).str.casefold().isin(TRUE_WORDS)


def counted(frame: pd.DataFrame) -> np.ndarray:
    """Which rows count: those whose ``confirmed`` is true, or every row of a table
    without a ``confirmed`` column (exemptions and incidents, SPEC §3). Checked cells only."""
    if "confirmed" not in frame:
        return np.ones(len(frame), dtype=bool)
    return is_true(frame["confirmed"]).to_numpy(dtype=bool)


def number(cells: pd.Series) -> pd.Series:
    """Text cells → floats, NaN where not a number. Full-width digits are read too."""
    return pd.to_numeric(cells.astype(str).str.normalize("NFKC"), errors="coerce")


def parse_dates(cells: pd.Series) -> pd.Series:
    """``2011-05-03``, ``2011/5/3``, ``2011.5.3`` or ``2011年5月3日`` → Timestamp, NaT otherwise."""
    parts = cells.astype(str).str.normalize("NFKC").str.extract(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"
    )
    text = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


# -- pandera column checks --------------------------------------------------


def _check(fn, message: str) -> pa.Check:
    return pa.Check(fn, element_wise=False, error=message, ignore_na=False)


def _not_empty(what: str) -> pa.Check:
    return _check(lambda s: s.astype(str) != "", f"is empty (expected {what})")


def _one_of(known, message: str) -> pa.Check:
    known = list(known)
    return _check(lambda s: (s.astype(str) == "") | s.astype(str).isin(known), message)


def _number_checks(what: str, low: float, high: float | None) -> list[pa.Check]:
    def within(s):  # not "in_range": pandera would take that for its built-in check
        n = number(s)
        bad = np.isfinite(n) & (n < low)
        if high is not None:
            bad |= np.isfinite(n) & (n > high)
        return ~bad

    range_text = "is negative" if high is None else f"is outside {low:g}–{high:g}"
    return [
        _not_empty(what),
        _check(lambda s: (s.astype(str) == "") | number(s).notna(), f"is not a number (expected {what})"),
        _check(lambda s: ~np.isinf(number(s)), f"is not finite (expected {what})"),
        _check(within, f"{range_text} (expected {what})"),
    ]


def _dept_checks(dept_ids) -> list[pa.Check]:
    if dept_ids is None:  # departments.csv itself is broken: its own error says so
        return [_not_empty("a department id")]
    return [
        _not_empty("a department id"),
        _one_of(dept_ids, "is not a department of departments.csv (expected one of its dept_id values)"),
    ]


def _indicator_checks(scheme: Scheme, binary: bool | None) -> list[pa.Check]:
    ids = [i.id for i in scheme.indicators]
    binary_ids = [i.id for i in scheme.indicators if i.method == "binary"]
    checks = [
        _not_empty("an indicator id"),
        _one_of(ids, f"is not an indicator of the scheme (expected one of {', '.join(ids)})"),
    ]
    if binary is False:
        checks.append(
            _check(lambda s: ~s.astype(str).isin(binary_ids),
                   "is a binary indicator, which takes its values from achievements.csv only "
                   "(expected an index or direct indicator)")
        )
    elif binary is True:
        checks.append(
            _check(lambda s: ~s.astype(str).isin(ids) | s.astype(str).isin(binary_ids),
                   f"is not a binary indicator (expected one of {', '.join(binary_ids)}: "
                   "achievements count only for those)")
        )
    return checks


def _true_false() -> list[pa.Check]:
    words = TRUE_WORDS | FALSE_WORDS
    return [
        _check(lambda s: s.astype(str).str.casefold().isin(words),
               "is not true or false (expected true, yes, 1, 是 or false, no, 0, 否)")
    ]


def _schemas(scheme: Scheme, dept_ids) -> dict[str, dict[str, list[pa.Check]]]:
    kinds = list(scheme.kinds)
    kind_help = "; ".join(f"{k} = {v.name}" for k, v in scheme.kinds.items())
    return {
        "departments": {
            "dept_id": [_not_empty("a department id")],
            "name": [_not_empty("the department's name")],
            "kind": [
                _not_empty("a kind id"),
                _one_of(kinds, f"is not a kind of the scheme (expected one of: {kind_help})"),
            ],
        },
        "values": {
            "dept_id": _dept_checks(dept_ids),
            "indicator": _indicator_checks(scheme, binary=False),
            "value": _number_checks("a non-negative number", 0, None),
        },
        "ratings": {
            "dept_id": _dept_checks(dept_ids),
            "indicator": _indicator_checks(scheme, binary=False),
            "expert": [_not_empty("the expert's id or name")],
            "rating": _number_checks("a rating from 0 to 100", 0, 100),
        },
        "website_eval": {
            "dept_id": _dept_checks(dept_ids),
            "score": _number_checks("a website evaluation score from 0 to 100", 0, 100),
        },
        "exemptions": {
            "dept_id": _dept_checks(dept_ids),
            "indicator": _indicator_checks(scheme, binary=False),
            "confirmed": _true_false(),
        },
        "incidents": {
            "dept_id": _dept_checks(dept_ids),
            "date": [
                _not_empty("a date like 2011-05-03"),
                _check(lambda s: (s.astype(str) == "") | parse_dates(s).notna(),
                       "is not a date (expected a date like 2011-05-03)"),
            ],
            "severity": [
                _check(lambda s: s.astype(str).str.casefold().isin(SEVERITIES),
                       "is not a severity (expected ordinary or major)")
            ],
            "confirmed": _true_false(),
        },
        "achievements": {
            "dept_id": _dept_checks(dept_ids),
            "indicator": _indicator_checks(scheme, binary=True),
            "confirmed": _true_false(),
        },
    }


def _run(table: Table, spec: TableSpec, checks: dict[str, list[pa.Check]]) -> list[Problem]:
    columns = {c: pa.Column(None, checks.get(c, []), nullable=True) for c in spec.columns}
    for c in spec.optional:
        if c in checks:
            columns[c] = pa.Column(None, checks[c], nullable=True, required=False)
    schema = pa.DataFrameSchema(columns, strict=False)
    try:
        schema.validate(table.frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        if case.check == "column_in_dataframe":
            problems.append(
                error(table.source, f"has no column {case.failure_case!r} "
                      f"(expected the columns {', '.join(spec.columns)})",
                      line=1, row_word=table.row_word)
            )
        elif case.index is None:  # a check that could not run: a bug in wfscore, not in the data
            raise RuntimeError(f"checking {table.source} failed: {case.check}: {case.failure_case}")
        else:
            problems.append(
                error(table.source, str(case.check), line=int(case.index), column=str(case.column),
                      value=str(case.failure_case), row_word=table.row_word)
            )
    return problems


def _duplicates(table: Table, keys: list[str], what: str) -> list[Problem]:
    frame = table.frame
    dup = frame.duplicated(keys, keep=False) & (frame[keys] != "").all(axis=1)
    if not dup.any():
        return []
    first_line = frame[dup].reset_index().groupby(keys, sort=False)["line"].transform("first")
    first_line.index = frame.index[dup]
    later = frame[dup & frame.duplicated(keys, keep="first")]
    return [
        error(table.source, f"is listed twice (also on {table.row_word} {first_line[line]}; "
              f"expected one row per {what})", line=int(line), column=keys[0],
              value=" / ".join(row[k] for k in keys), row_word=table.row_word)
        for line, row in later.iterrows()
    ]


def check_tables(scheme: Scheme, inputs: Inputs,
                 only: set[str] | None = None) -> tuple[list[Problem], dict[str, Table]]:
    """Check every table; return the problems and the tables fit to build on.

    A table with a missing column, or one that could not be read, is left out of
    the second result so that later checks do not repeat its problem. With
    ``only`` (rebuilding a loaded year with some tables replaced), the tables not
    named were checked when the year was loaded: their own checks are not run
    again; the named tables' checks and every check across tables are.
    """
    problems: list[Problem] = []
    tables = inputs.tables
    where = inputs.workbook
    if only is not None and "departments" in only:
        only = None  # every table's department ids are checked against departments.csv
    for name, spec in TABLES.items():
        if spec.required and name not in tables and name not in inputs.unreadable:
            if where:
                problems.append(error(f"{where}", f"has no sheet {name!r} (expected a sheet with the "
                                      f"columns {', '.join(spec.columns)})"))
            else:
                problems.append(error(f"{name}.csv", "is missing (expected a table with the columns "
                                      f"{', '.join(spec.columns)})"))

    dept_ids: list[str] | None = None
    if "departments" in tables and "dept_id" in tables["departments"].frame:
        dept_ids = list(tables["departments"].frame["dept_id"])
    checks = _schemas(scheme, dept_ids)
    usable: dict[str, Table] = {}
    for name, table in tables.items():
        if only is not None and name not in only:
            usable[name] = table
            continue
        spec = TABLES[name]
        found = _run(table, spec, checks[name])
        problems += found
        problems += check_text(table)  # control characters, over-long cells (text_checks)
        if not any(p.line == 1 and p.column is None for p in found):
            usable[name] = table

    if "departments" in usable and usable["departments"].frame.empty:
        table = usable["departments"]
        problems.append(error(table.source, "has no departments (expected one row per department to score)",
                              line=2, row_word=table.row_word))
    keys = {
        "departments": (["dept_id"], "department"),
        "values": (["dept_id", "indicator"], "department and indicator"),
        "ratings": (["dept_id", "indicator", "expert"], "department, indicator and expert"),
        "website_eval": (["dept_id"], "department"),
        "exemptions": (["dept_id", "indicator"], "department and indicator"),
    }
    for name, (cols, what) in keys.items():
        if name in usable and (only is None or name in only):
            problems += _duplicates(usable[name], cols, what)
    problems += _across(scheme, usable, inputs, only)
    return problems, usable


def _direct_limit(scheme: Scheme, table: Table, column: str) -> list[Problem]:
    direct = {i.id: i.weight for i in scheme.indicators if i.method == "direct"}
    frame = table.frame
    limit = frame["indicator"].map(direct)
    n = number(frame[column])
    bad = limit.notna() & np.isfinite(n) & (n > limit)
    return [
        error(table.source, f"is above the weight of direct indicator {row['indicator']} "
              f"(expected 0–{direct[row['indicator']]:g}: a direct value is points on the "
              "indicator's weight scale)", line=int(line), column=column, value=row[column],
              row_word=table.row_word)
        for line, row in frame[bad].iterrows()
    ]


def _across(scheme: Scheme, tables: dict[str, Table], inputs: Inputs, only: set[str] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    # These checks find errors only, in values and ratings: with both checked already, skip them.
    numbers = only is None or bool({"values", "ratings"} & only)
    if "values" in tables and numbers:
        problems += _direct_limit(scheme, tables["values"], "value")
    if "ratings" in tables and numbers:
        problems += _direct_limit(scheme, tables["ratings"], "rating")
    if "values" in tables and "ratings" in tables and numbers:
        values, ratings = tables["values"], tables["ratings"]
        rated = ratings.frame.reset_index().groupby(["dept_id", "indicator"])["line"].first()
        pairs = pd.MultiIndex.from_frame(values.frame[["dept_id", "indicator"]])
        both = pairs.isin(rated.index)
        for line, row in values.frame[both].iterrows():
            problems.append(
                error(values.source, f"has ratings too ({ratings.source} "
                      f"{ratings.row_word} {rated[(row['dept_id'], row['indicator'])]}) "
                      "(expected either a value or ratings for a department and indicator, not both)",
                      line=int(line), column="indicator",
                      value=f"{row['dept_id']} / {row['indicator']}", row_word=values.row_word)
            )
    rule = scheme.rules.website_evaluation
    if rule is not None and "departments" in tables:
        depts = tables["departments"].frame
        needs = depts[depts["kind"].isin(rule.kinds)]
        evaluated = set(tables["website_eval"].frame["dept_id"]) if "website_eval" in tables else set()
        if "website_eval" not in inputs.tables and "website_eval" not in inputs.unreadable and len(needs):
            src = f"{inputs.workbook}, sheet website_eval" if inputs.workbook else "website_eval.csv"
            problems.append(
                error(src, f"is missing (expected a website evaluation for each of the {len(needs)} "
                      f"departments of kind {', '.join(rule.kinds)})")
            )
        elif "website_eval" in tables:
            src = tables["website_eval"].source
            for line, row in needs[~needs["dept_id"].isin(evaluated)].iterrows():
                problems.append(
                    error(tables["departments"].source, f"is of kind {row['kind']} but has no row in "
                          f"{src} (expected a website evaluation score 0–100 for it)", line=int(line),
                          column="dept_id", value=row["dept_id"], row_word=tables["departments"].row_word)
                )
            frame = tables["website_eval"].frame
            kinds = depts.set_index("dept_id")["kind"] if depts["dept_id"].is_unique else None
            if kinds is not None:
                not_needed = frame["dept_id"].map(kinds).notna() & ~frame["dept_id"].map(kinds).isin(rule.kinds)
                for line, row in frame[not_needed].iterrows():
                    problems.append(
                        warning(src, f"is a department of kind {kinds[row['dept_id']]}, which the website "
                                "evaluation does not apply to; the row is ignored", line=int(line),
                                column="dept_id", value=row["dept_id"], row_word=tables["website_eval"].row_word,
                                message_zh=f"的部门类别为 {scheme.kind_name(kinds[row['dept_id']])}，"
                                           "不适用政务网站绩效评估，此行不计")
                    )
    if "incidents" in tables:
        table = tables["incidents"]
        dates = parse_dates(table.frame["date"])
        off = dates.notna() & (dates.dt.year != scheme.year)
        for line, row in table.frame[off].iterrows():
            problems.append(
                warning(table.source, f"is not in {scheme.year}, the scheme's year; the incident still counts",
                        line=int(line), column="date", value=row["date"], row_word=table.row_word,
                        message_zh=f"不在方案年度 {scheme.year} 年内；该事故仍然计入")
            )
    return problems
