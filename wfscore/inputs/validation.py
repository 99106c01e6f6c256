"""Checking a year's tables against the scheme and each other (SPEC §3, §6).

Every check is a mask over a whole column, worked out with numpy and pandas (no
loop over rows), so that checking a year of 100,000 departments costs about what
reading its files does. Only the failing cells become :class:`Problem` objects,
each naming the file, line, column and value and saying what was expected. Every
failing cell of every table is reported, in a fixed order: a table's missing
columns first, then column by column (in the table's order), check by check, the
failing lines in file order. Checks across rows and tables (duplicates, a value
and ratings for one pair, a missing website evaluation) follow.

What the checks work out about a column (its numbers, the position of each id in
the departments or the scheme) is kept in :class:`Cells`, so that building the
arrays (:mod:`wfscore.inputs.loading`) does not work it out again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np
import pandas as pd

from wfscore.inputs import numbers
from wfscore.inputs.aliases import kind_id, kind_ids, severity_id
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
    "departments": TableSpec(("dept_id", "name", "kind"), ("previous_ids", "website"), required=True),
    "values": TableSpec(("dept_id", "indicator", "value"), required=True),
    "ratings": TableSpec(("dept_id", "indicator", "expert", "rating")),
    "website_eval": TableSpec(("dept_id", "score")),
    "exemptions": TableSpec(("dept_id", "indicator", "reason"), ("confirmed",)),
    "incidents": TableSpec(("dept_id", "date", "severity", "description"), ("confirmed",)),
    "achievements": TableSpec(("dept_id", "indicator", "title", "confirmed")),
}


# -- a column's cells ---------------------------------------------------------


# What a column of plain ASCII numbers holds: digits, signs, decimal points, exponents, line ends.
_NUMBER_BYTES = b"0123456789+-.eE\n"


def _numbers(text: np.ndarray) -> np.ndarray:
    """Text cells → floats as :func:`wfscore.inputs.numbers.read` reads them: NaN where
    not a number, infinity where infinite (full-width digits are read too; superscripts,
    circled numbers, other scripts' digits... are not numbers).

    A column of plain ASCII numbers (what nearly every file holds: digits, signs, points
    and exponents only) is read by pandas' C reader in one go, its zeros looked at again
    (``1e-999999999`` is not 0); anything else (an empty cell, a word, full-width digits, a
    cell that is not text) by :func:`~wfscore.inputs.numbers.read`, each distinct cell once.
    """
    if not len(text):
        return np.empty(0)
    if pd.api.types.infer_dtype(text, skipna=False) == "string":
        joined = "\n".join(text)
        if joined.isascii() and joined.count("\n") == len(text) - 1:
            raw = joined.encode("ascii")
            read = None
            if not raw.translate(None, _NUMBER_BYTES):
                try:
                    read = pd.read_csv(
                        io.BytesIO(raw),
                        header=None,
                        names=["n"],
                        dtype=np.float64,
                        na_filter=False,
                        skip_blank_lines=False,
                        engine="c",
                    )["n"].to_numpy()
                except (ValueError, pd.errors.ParserError):
                    read = None  # some cell is not a plain number: read them one by one below
            if read is not None and len(read) == len(text):
                zeros = np.flatnonzero(read == 0)
                if len(zeros):
                    read = read.copy()
                    read[zeros] = _read_each(text[zeros])  # 0, or a number too close to 0 to be read
                return read + 0.0  # -0 is 0
    return _read_each(text)


def _read_each(text: np.ndarray) -> np.ndarray:
    """:func:`wfscore.inputs.numbers.to_float` of each cell (its ``str`` where it is not
    text), each distinct cell once; NaN for a missing cell."""
    codes, distinct = pd.factorize(text)
    found = [numbers.to_float(c if isinstance(c, str) else str(c)) for c in distinct]
    return np.array(found + [np.nan], dtype=float)[codes]


def _text(distinct: np.ndarray) -> np.ndarray:
    """Distinct cells as text: a cell that is not text (in a frame given to
    :func:`wfscore.inputs.loading.rebuild`) is compared as its ``str``."""
    if pd.api.types.infer_dtype(distinct, skipna=False) == "string":
        return distinct
    return np.array([c if isinstance(c, str) else str(c) for c in distinct], dtype=object)


def _lookup(index: pd.Index, text: np.ndarray) -> np.ndarray:
    """Each cell's position in ``index`` (unique values), -1 where it is not there.

    Each distinct cell is looked up once; and where equal cells come in runs (a table
    sorted by department, as most are), only the first cell of each run is.
    """
    if len(text) > 1000 and (text[1:1000] != text[:999]).sum() < 250:
        starts = np.flatnonzero(np.concatenate([[True], text[1:] != text[:-1]]))
        if len(starts) < len(text) // 4:
            return np.repeat(_lookup(index, text[starts]), np.diff(np.append(starts, len(text))))
    codes, distinct = pd.factorize(text)
    distinct = _text(distinct)
    if len(distinct) == len(index) and (distinct == index.to_numpy()).all():
        found = np.arange(len(index))  # every id, in the index's order (a table in departments' order)
    else:
        found = index.get_indexer(distinct)
    return np.append(found, -1)[codes]  # code -1 (a missing cell): -1


class Cells:
    """One column's cells, and what the checks work out from them, each once.

    ``text`` holds the cells (text: a cell of a frame given to
    :func:`wfscore.inputs.loading.rebuild` that is not is compared as its ``str``);
    ``shown(k)`` is cell ``k`` as a message quotes it.
    """

    def __init__(self, series: pd.Series):
        self.series = series
        self.text = series.to_numpy(dtype=object)
        self._positions: dict[int, tuple[pd.Index, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.text)

    def shown(self, k: int) -> str:
        return str(self.text[k])

    @cached_property
    def empty(self) -> np.ndarray:
        """Which cells are empty. Once the cells are read as numbers, or looked up in an
        index without "", only those that failed need looking at."""
        found = None
        if "number" in self.__dict__:
            found = ~np.isnan(self.number)
        else:
            found = next((positions >= 0 for index, positions in self._positions.values() if "" not in index), None)
        if found is None:
            return self.text == ""
        empty = np.zeros(len(self.text), dtype=bool)
        maybe = np.flatnonzero(~found)
        empty[maybe] = self.text[maybe] == ""
        return empty

    @cached_property
    def number(self) -> np.ndarray:
        return _numbers(self.text)

    @cached_property
    def reasons(self) -> dict[int, str]:
        """Why cell ``k`` is not a number, for the cells where there is more to say than that
        (a superscript, another script's digit, an underscore...: :func:`wfscore.inputs.numbers.read`)."""
        found = {}
        for k in np.flatnonzero(~self.empty & np.isnan(self.number)):
            why = numbers.reason(self.shown(k))
            if why:
                found[int(k)] = why
        return found

    def explained(self) -> np.ndarray:
        """Which cells are not numbers for a reason :attr:`reasons` gives."""
        mask = np.zeros(len(self.text), dtype=bool)
        mask[list(self.reasons)] = True
        return mask

    def is_in(self, words) -> np.ndarray:
        """Which cells are one of ``words`` in any case (true/false words, severities)."""
        if not len(self.text):
            return np.zeros(0, dtype=bool)
        codes, distinct = pd.factorize(self.text)  # each distinct cell folded once
        known = np.array([c.casefold() in words for c in _text(distinct)] + [False])
        return known[codes]

    def positions(self, index: pd.Index) -> np.ndarray:
        """Each cell's position in ``index`` (unique values), -1 where it is not there."""
        key = id(index)
        if key not in self._positions:
            self.know(index, _lookup(index, self.text))
        return self._positions[key][1]

    def know(self, index: pd.Index, positions: np.ndarray) -> None:
        """Keep ``positions`` as the cells' positions in ``index``, worked out elsewhere."""
        self._positions[id(index)] = (index, positions)


def is_true(cells: pd.Series) -> pd.Series:
    """True/false words (any case) → booleans; call only on checked cells."""
    return pd.Series(Cells(cells).is_in(TRUE_WORDS), index=cells.index)


def counted(frame: pd.DataFrame) -> np.ndarray:
    """Which rows count: those whose ``confirmed`` is true, or every row of a table
    without a ``confirmed`` column (exemptions and incidents, SPEC §3). Checked cells only."""
    if "confirmed" not in frame:
        return np.ones(len(frame), dtype=bool)
    return Cells(frame["confirmed"]).is_in(TRUE_WORDS)


def number(cells: pd.Series) -> pd.Series:
    """Text cells → floats, NaN where not a number. Full-width digits are read too."""
    return pd.Series(_numbers(cells.to_numpy(dtype=object)), index=cells.index)


def parse_dates(cells: pd.Series) -> pd.Series:
    """``2011-05-03``, ``2011/5/3``, ``2011.5.3`` or ``2011年5月3日`` → Timestamp, NaT otherwise."""
    parts = (
        cells.astype(str)
        .str.normalize("NFKC")
        .str.extract(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
    )
    text = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


# -- the cell checks ----------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One check of a column: ``bad`` marks the failing cells; each becomes an error
    whose message is ``message``."""

    message: str
    bad: Callable[[Cells], np.ndarray]
    # The cell's own part of the message, put where the message says {why}.
    why: Callable[[Cells, int], str] | None = None


def _not_empty(what: str, index: pd.Index | None = None, numbers: bool = False) -> Check:
    """Empty cells. For a column of ids of ``index``, or of numbers, the ids are looked up
    (the numbers read) first: then only the cells that failed are looked at."""

    def empty(c: Cells) -> np.ndarray:
        if index is not None:
            c.positions(index)
        if numbers:
            c.number
        return c.empty

    return Check(f"is empty (expected {what})", empty)


def _one_of(index: pd.Index, message: str) -> Check:
    return Check(message, lambda c: ~c.empty & (c.positions(index) < 0))


def _number_checks(what: str, low: float, high: float | None) -> list[Check]:
    def outside(c: Cells) -> np.ndarray:
        n = c.number
        with np.errstate(invalid="ignore"):
            bad = np.isfinite(n) & (n < low)
            if high is not None:
                bad |= np.isfinite(n) & (n > high)
        return bad

    range_text = "is negative" if high is None else f"is outside {low:g}–{high:g}"
    return [
        _not_empty(what, numbers=True),
        Check(f"is not a number (expected {what})", lambda c: ~c.empty & np.isnan(c.number) & ~c.explained()),
        Check(
            f"is not a number: {{why}} (expected {what}, written like 85 or 85.5)",
            lambda c: c.explained(),
            why=lambda c, k: c.reasons[k],
        ),
        Check(f"is not finite (expected {what})", lambda c: np.isinf(c.number)),
        Check(f"{range_text} (expected {what})", outside),
    ]


def _dept_checks(depts: pd.Index | None) -> list[Check]:
    if depts is None:  # departments.csv itself is broken: its own error says so
        return [_not_empty("a department id")]
    return [
        _not_empty("a department id", depts),
        _one_of(depts, "is not a department of departments.csv (expected one of its dept_id values)"),
    ]


def website_fault(text: str) -> str | None:
    """What is wrong with ``text`` as a department's website address (``url``: not a URL;
    ``scheme``: not http or https; ``host``: no plain host name), or None when it is one."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (a port that is not a number raises)
    except ValueError:
        return "url"
    if parts.scheme.lower() not in ("http", "https"):
        return "scheme"
    if not parts.hostname or any(ch.isspace() for ch in text) or parts.username is not None:
        return "host"
    return None


def _website_checks() -> list[Check]:
    def faults(c: Cells) -> np.ndarray:
        return np.array(["" if t == "" else (website_fault(str(t)) or "") for t in c.text], dtype=object)

    return [
        Check(
            "is not a web address (expected an http or https URL such as http://www.example.gov.cn/, or nothing)",
            lambda c: faults(c) == "url",
        ),
        Check(
            "is not an http or https address (expected a URL such as http://www.example.gov.cn/, or nothing)",
            lambda c: faults(c) == "scheme",
        ),
        Check(
            "has no plain host name (expected a URL such as http://www.example.gov.cn/, without spaces or a "
            "user name, or nothing)",
            lambda c: faults(c) == "host",
        ),
    ]


def _indicator_checks(scheme: Scheme, indicators: pd.Index, binary: bool | None) -> list[Check]:
    ids = list(indicators)
    is_binary = np.array([i.method == "binary" for i in scheme.indicators] + [False])  # [-1]: not an indicator
    binary_ids = [i.id for i in scheme.indicators if i.method == "binary"]
    checks = [
        _not_empty("an indicator id", indicators),
        _one_of(indicators, f"is not an indicator of the scheme (expected one of {', '.join(ids)})"),
    ]
    if binary is False:
        checks.append(
            Check(
                "is a binary indicator, which takes its values from achievements.csv only "
                "(expected an index or direct indicator)",
                lambda c: is_binary[c.positions(indicators)],
            )
        )
    elif binary is True:
        checks.append(
            Check(
                f"is not a binary indicator (expected one of {', '.join(binary_ids)}: "
                "achievements count only for those)",
                lambda c: (c.positions(indicators) >= 0) & ~is_binary[c.positions(indicators)],
            )
        )
    return checks


def _true_false() -> list[Check]:
    words = TRUE_WORDS | FALSE_WORDS
    return [Check("is not true or false (expected true, yes, 1, 是 or false, no, 0, 否)", lambda c: ~c.is_in(words))]


def _schemas(
    scheme: Scheme, depts: pd.Index | None, indicators: pd.Index, kinds: pd.Index
) -> dict[str, dict[str, list[Check]]]:
    kind_help = "; ".join(f"{k} = {v.name}" for k, v in scheme.kinds.items())
    return {
        "departments": {
            "dept_id": [_not_empty("a department id")],
            "name": [_not_empty("the department's name")],
            "kind": [
                _not_empty("a kind id", kinds),
                _one_of(kinds, f"is not a kind of the scheme (expected one of: {kind_help})"),
            ],
            "website": _website_checks(),
        },
        "values": {
            "dept_id": _dept_checks(depts),
            "indicator": _indicator_checks(scheme, indicators, binary=False),
            "value": _number_checks("a non-negative number", 0, None),
        },
        "ratings": {
            "dept_id": _dept_checks(depts),
            "indicator": _indicator_checks(scheme, indicators, binary=False),
            "expert": [_not_empty("the expert's id or name")],
            "rating": _number_checks("a rating from 0 to 100", 0, 100),
        },
        "website_eval": {
            "dept_id": _dept_checks(depts),
            "score": _number_checks("a website evaluation score from 0 to 100", 0, 100),
        },
        "exemptions": {
            "dept_id": _dept_checks(depts),
            "indicator": _indicator_checks(scheme, indicators, binary=False),
            "confirmed": _true_false(),
        },
        "incidents": {
            "dept_id": _dept_checks(depts),
            "date": [
                _not_empty("a date like 2011-05-03"),
                Check(
                    "is not a date (expected a date like 2011-05-03)",
                    lambda c: ~c.empty & parse_dates(c.series).isna().to_numpy(),
                ),
            ],
            "severity": [Check("is not a severity (expected ordinary or major)", lambda c: ~c.is_in(SEVERITIES))],
            "confirmed": _true_false(),
        },
        "achievements": {
            "dept_id": _dept_checks(depts),
            "indicator": _indicator_checks(scheme, indicators, binary=True),
            "confirmed": _true_false(),
        },
    }


def _read_by_name(frame: pd.DataFrame, column: str, read: Callable[[str], object]) -> None:
    """``column``'s cells replaced, in place, by what ``read`` makes of them (each distinct
    cell read once); the column is left as it is when nothing changes."""
    cells = frame[column]
    named = {k: read(k) for k in pd.unique(cells.to_numpy()) if isinstance(k, str)}
    if any(k != v for k, v in named.items()):
        frame[column] = cells.map(lambda k: named.get(k, k)).astype(object)


def _kinds_by_name(frame: pd.DataFrame, scheme: Scheme) -> None:
    """Kinds written by their name (党的机关, Party organs) read as their ids, in place."""
    if not frame["kind"].isin(list(scheme.kinds)).all():
        ids = kind_ids(scheme.kinds)
        _read_by_name(frame, "kind", lambda k: kind_id(k, ids))


def _run(table: Table, spec: TableSpec, checks: dict[str, list[Check]], cells: dict[str, Cells]) -> list[Problem]:
    """The table's missing columns, then every failing cell; the checked columns' cells go
    into ``cells`` (those already there are used)."""
    frame = table.frame
    problems = [
        error(
            table.source,
            f"has no column {column!r} (expected the columns {', '.join(spec.columns)})",
            line=1,
            row_word=table.row_word,
        )
        for column in spec.columns
        if column not in frame
    ]
    lines = frame.index.to_numpy()
    for column in spec.columns + spec.optional:
        if column not in frame or column not in checks:
            continue
        found = cells.setdefault(column, Cells(frame[column]))
        for check in checks[column]:
            for k in np.flatnonzero(check.bad(found)):
                message = check.message if check.why is None else check.message.replace("{why}", check.why(found, k))
                problems.append(
                    error(
                        table.source,
                        message,
                        line=int(lines[k]),
                        column=column,
                        value=found.shown(k),
                        row_word=table.row_word,
                    )
                )
    return problems


# -- every table, and the checks across rows and tables ------------------------


@dataclass
class Checked:
    """What checking a year's tables found.

    ``problems``: every problem, in the order found. ``usable``: the tables fit to
    build on (a table with a missing column, or one that could not be read, is left
    out, so that later checks do not repeat its problem). ``cells``: the checked
    columns' :class:`Cells` by table and column. ``depts``, ``indicators`` and
    ``kinds``: the unique dept_id values of the departments table, the scheme's
    indicator and kind ids: the indexes the cells' positions refer to.
    """

    problems: list[Problem]
    usable: dict[str, Table]
    cells: dict[str, dict[str, Cells]] = field(default_factory=dict)
    depts: pd.Index | None = None
    indicators: pd.Index | None = None
    kinds: pd.Index | None = None

    def counted(self, name: str) -> np.ndarray:
        """:func:`counted` of table ``name``."""
        if "confirmed" not in self.usable[name].frame:
            return np.ones(len(self.usable[name].frame), dtype=bool)
        return self.column(name, "confirmed").is_in(TRUE_WORDS)

    def column(self, name: str, column: str) -> Cells:
        """The cells of ``column`` of table ``name`` (worked out afresh if it was not checked)."""
        table = self.cells.setdefault(name, {})
        if column not in table:
            table[column] = Cells(self.usable[name].frame[column])
        return table[column]


def check_tables(
    scheme: Scheme, inputs: Inputs, only: set[str] | None = None
) -> tuple[list[Problem], dict[str, Table]]:
    """Check every table; return the problems and the tables fit to build on (see :func:`check`)."""
    checked = check(scheme, inputs, only)
    return checked.problems, checked.usable


def check(scheme: Scheme, inputs: Inputs, only: set[str] | None = None) -> Checked:
    """Check every table of ``inputs`` against ``scheme`` and each other.

    With ``only`` (rebuilding a loaded year with some tables replaced), the tables
    not named were checked when the year was loaded: their own checks are not run
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
                problems.append(
                    error(
                        f"{where}",
                        f"has no sheet {name!r} (expected a sheet with the columns {', '.join(spec.columns)})",
                    )
                )
            else:
                problems.append(
                    error(f"{name}.csv", f"is missing (expected a table with the columns {', '.join(spec.columns)})")
                )

    indicators = pd.Index([i.id for i in scheme.indicators], dtype=object)
    kinds = pd.Index(list(scheme.kinds), dtype=object)
    checked = Checked(problems, {}, {}, None, indicators, kinds)
    if "departments" in tables and "dept_id" in tables["departments"].frame:
        ids = Cells(tables["departments"].frame["dept_id"])
        checked.depts = pd.Index(pd.unique(_text(ids.text)), dtype=object)
        if len(checked.depts) == len(ids):  # each id once: each row's position is its own
            ids.know(checked.depts, np.arange(len(ids)))
        checked.cells["departments"] = {"dept_id": ids}
    if "departments" in tables and "kind" in tables["departments"].frame:
        _kinds_by_name(tables["departments"].frame, scheme)
    if "incidents" in tables and "severity" in tables["incidents"].frame:
        _read_by_name(tables["incidents"].frame, "severity", severity_id)  # 一般, 重大
    checks = _schemas(scheme, checked.depts, indicators, kinds)
    for name, table in tables.items():
        if only is not None and name not in only:
            checked.usable[name] = table
            continue
        found = _run(table, TABLES[name], checks[name], checked.cells.setdefault(name, {}))
        problems += found
        problems += check_text(table)  # control characters, over-long cells (text_checks)
        if not any(p.line == 1 and p.column is None for p in found):
            checked.usable[name] = table

    usable = checked.usable
    if "departments" in usable and usable["departments"].frame.empty:
        table = usable["departments"]
        problems.append(
            error(
                table.source,
                "has no departments (expected one row per department to score)",
                line=2,
                row_word=table.row_word,
            )
        )
    keys = {
        "departments": (["dept_id"], "department"),
        "values": (["dept_id", "indicator"], "department and indicator"),
        "ratings": (["dept_id", "indicator", "expert"], "department, indicator and expert"),
        "website_eval": (["dept_id"], "department"),
        "exemptions": (["dept_id", "indicator"], "department and indicator"),
    }
    for name, (cols, what) in keys.items():
        if name in usable and (only is None or name in only):
            problems += _duplicates(checked, name, cols, what)
    problems += _across(scheme, checked, inputs, only)
    return checked


def _codes(checked: Checked, name: str, columns: list[str]) -> np.ndarray | None:
    """One integer per row, equal for rows whose ``columns`` hold the same text; None
    where a cell is not a known id (then the caller compares the text itself)."""
    key = np.zeros(len(checked.usable[name].frame), dtype=np.int64)
    size = 1
    for column in columns:
        cells = checked.column(name, column)
        if column == "dept_id" and checked.depts is not None:
            codes, n = cells.positions(checked.depts), len(checked.depts)
        elif column == "indicator":
            codes, n = cells.positions(checked.indicators), len(checked.indicators)
        else:
            codes, uniques = pd.factorize(cells.text)
            n = len(uniques)
        if (codes < 0).any() or size * max(n, 1) >= 2**62:
            return None
        key = key * max(n, 1) + codes
        size *= max(n, 1)
    return key


def any_twice(codes: np.ndarray) -> bool:
    """Whether some value of ``codes`` (non-negative integers) occurs twice."""
    if len(codes) < 2:
        return False
    if codes.max() <= 4 * len(codes) + 1_000_000:
        return bool(np.bincount(codes).max() > 1)
    ordered = np.sort(codes)
    return bool((ordered[1:] == ordered[:-1]).any())


def _duplicates(checked: Checked, name: str, keys: list[str], what: str) -> list[Problem]:
    table = checked.usable[name]
    frame = table.frame
    codes = _codes(checked, name, keys)
    if codes is not None and not any_twice(codes):
        return []  # every id known and no key twice: nothing to report
    dup = frame.duplicated(keys, keep=False) & (frame[keys] != "").all(axis=1)
    if not dup.any():
        return []
    first_line = frame[dup].reset_index().groupby(keys, sort=False)["line"].transform("first")
    first_line.index = frame.index[dup]
    later = frame[dup & frame.duplicated(keys, keep="first")]
    return [
        error(
            table.source,
            f"is listed twice (also on {table.row_word} {first_line[line]}; expected one row per {what})",
            line=int(line),
            column=keys[0],
            value=" / ".join(row[k] for k in keys),
            row_word=table.row_word,
        )
        for line, row in later.iterrows()
    ]


def _direct_limit(scheme: Scheme, checked: Checked, name: str, column: str) -> list[Problem]:
    table = checked.usable[name]
    weight = np.array([i.weight if i.method == "direct" else np.nan for i in scheme.indicators] + [np.nan])
    limit = weight[checked.column(name, "indicator").positions(checked.indicators)]  # NaN: not direct
    cells = checked.column(name, column)
    n = cells.number
    with np.errstate(invalid="ignore"):
        bad = np.isfinite(limit) & np.isfinite(n) & (n > limit)
    lines = table.frame.index.to_numpy()
    indicator = checked.column(name, "indicator")
    return [
        error(
            table.source,
            f"is above the weight of direct indicator {indicator.text[k]} "
            f"(expected 0–{limit[k]:g}: a direct value is points on the "
            "indicator's weight scale)",
            line=int(lines[k]),
            column=column,
            value=cells.shown(k),
            row_word=table.row_word,
        )
        for k in np.flatnonzero(bad)
    ]


def _rated_pairs(checked: Checked) -> list[Problem]:
    """Values for pairs that have ratings too: each an error."""
    values, ratings = checked.usable["values"], checked.usable["ratings"]
    if values.frame.empty or ratings.frame.empty:
        return []
    v, r = _codes(checked, "values", ["dept_id", "indicator"]), _codes(checked, "ratings", ["dept_id", "indicator"])
    if v is not None and r is not None and not np.isin(v, r).any():
        return []
    rated = ratings.frame.reset_index().groupby(["dept_id", "indicator"])["line"].first()
    pairs = pd.MultiIndex.from_frame(values.frame[["dept_id", "indicator"]])
    both = pairs.isin(rated.index)
    return [
        error(
            values.source,
            f"has ratings too ({ratings.source} "
            f"{ratings.row_word} {rated[(row['dept_id'], row['indicator'])]}) "
            "(expected either a value or ratings for a department and indicator, not both)",
            line=int(line),
            column="indicator",
            value=f"{row['dept_id']} / {row['indicator']}",
            row_word=values.row_word,
        )
        for line, row in values.frame[both].iterrows()
    ]


def _website(scheme: Scheme, checked: Checked, inputs: Inputs) -> list[Problem]:
    """A department of a kind the website evaluation applies to without a score, and a score
    for a department of another kind (a warning: it is ignored)."""
    rule = scheme.rules.website_evaluation
    tables = checked.usable
    problems: list[Problem] = []
    depts = tables["departments"]
    kind = checked.column("departments", "kind")
    takes = kind.positions(pd.Index(list(rule.kinds), dtype=object)) >= 0  # each department row
    if "website_eval" not in inputs.tables and "website_eval" not in inputs.unreadable and takes.any():
        src = f"{inputs.workbook}, sheet website_eval" if inputs.workbook else "website_eval.csv"
        problems.append(
            error(
                src,
                f"is missing (expected a website evaluation for each of the {int(takes.sum())} "
                f"departments of kind {', '.join(rule.kinds)})",
            )
        )
    if "website_eval" not in tables:
        return problems
    src = tables["website_eval"].source
    ids = checked.column("departments", "dept_id")
    row_of = ids.positions(checked.depts)  # each department row's position among the distinct ids
    given = checked.column("website_eval", "dept_id").positions(checked.depts)
    evaluated = np.zeros(len(checked.depts) + 1, dtype=bool)  # [-1]: an id that is not a department
    evaluated[given] = True
    lines = depts.frame.index.to_numpy()
    for k in np.flatnonzero(takes & ~evaluated[row_of]):
        problems.append(
            error(
                depts.source,
                f"is of kind {kind.text[k]} but has no row in {src} (expected a website evaluation score 0–100 for it)",
                line=int(lines[k]),
                column="dept_id",
                value=ids.text[k],
                row_word=depts.row_word,
            )
        )
    if len(checked.depts) == len(ids):  # each department once: a score's department is known
        table = tables["website_eval"]
        lines = table.frame.index.to_numpy()
        for k in np.flatnonzero((given >= 0) & ~np.append(takes, True)[given]):
            of = kind.text[given[k]]
            problems.append(
                warning(
                    src,
                    f"is a department of kind {of}, which the website evaluation does not apply to; the row is ignored",
                    line=int(lines[k]),
                    column="dept_id",
                    value=checked.column("website_eval", "dept_id").text[k],
                    row_word=table.row_word,
                    message_zh=f"的部门类别为 {scheme.kind_name(of)}，不适用政务网站绩效评估，此行不计",
                )
            )
    return problems


def _across(scheme: Scheme, checked: Checked, inputs: Inputs, only: set[str] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    tables = checked.usable
    # These checks find errors only, in values and ratings: with both checked already, skip them.
    numbers = only is None or bool({"values", "ratings"} & only)
    if "values" in tables and numbers:
        problems += _direct_limit(scheme, checked, "values", "value")
    if "ratings" in tables and numbers:
        problems += _direct_limit(scheme, checked, "ratings", "rating")
    if "values" in tables and "ratings" in tables and numbers:
        problems += _rated_pairs(checked)
    rule = scheme.rules.website_evaluation
    if rule is not None and "departments" in tables:
        problems += _website(scheme, checked, inputs)
    if "incidents" in tables:
        table = tables["incidents"]
        dates = parse_dates(table.frame["date"])
        off = dates.notna() & (dates.dt.year != scheme.year)
        for line, row in table.frame[off].iterrows():
            problems.append(
                warning(
                    table.source,
                    f"is not in {scheme.year}, the scheme's year; the incident still counts",
                    line=int(line),
                    column="date",
                    value=row["date"],
                    row_word=table.row_word,
                    message_zh=f"不在方案年度 {scheme.year} 年内；该事故仍然计入",
                )
            )
    return problems
