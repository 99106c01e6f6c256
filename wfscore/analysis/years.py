"""Years side by side: ranks, category shares and rank changes across a run of years,
departments followed through renames and mergers, and each change split into the
department's own part and the scheme's part.

    import wfscore
    from wfscore.analysis import years
    run = years.compare([wfscore.load_year(f"data/{y}") for y in (2011, 2012, 2013)])
    run.table          # one row per department and year: total, rank, previous rank, rank change, …
    run.shares         # one row per department, year and category: score / the category's points
    run.decomposition  # one row per department and year after the first: own part and scheme part
    run.not_compared   # what could not be compared, and why

**Following departments.** A department continues the departments named in its
``previous_ids`` (:mod:`wfscore.inputs.lineage`), or, when that is empty, last year's
department with its own ``dept_id``. With several predecessors (a merger) its
previous total and category shares are their means, and its previous rank is the
rank that mean total would have had among last year's published totals. Ranks
change sign as people read them: ``rank_change`` = previous rank − rank, so a
positive number is a rise.

**Shares.** A category's score divided by that year's points of the category, so
that a category re-weighted from 200 to 180 points still compares. A share can
pass 1 where exempt indicators moved a whole category's points elsewhere (README,
"Where SPEC.md is not quite right").

**Own part and scheme part** of the change of a department's total from year N−1
to N (SPEC-style notation: T = the total as published; C = the indicators both
schemes have with the same method and direction; S|C = a scheme restricted to C,
:func:`wfscore.analysis.rescore.restrict`):

- A = year N−1's data under year N−1's scheme restricted to C;
- B = year N's data under year N−1's scheme restricted to C;
- E = year N's data under year N's scheme restricted to C;
- ``own`` = B − A: what the department's own values moved, weighed as last year;
- ``reweighting`` = E − B: this year's weights and rules against last year's, on this year's data;
- ``indicator_set`` = (T_N − E) + (A − T_N−1): indicators added this year and dropped since last year;
- ``scheme`` = ``reweighting`` + ``indicator_set``; ``own`` + ``scheme`` = T_N − T_N−1 exactly.

Scores are relative (the composite index divides by the best department's value),
so "own" means the department's values against the field's, as the office scores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from wfscore.analysis.rescore import common_indicators, restrict, view
from wfscore.engine.pipeline import score
from wfscore.engine.ranking import ticks
from wfscore.engine.result import Result
from wfscore.inputs import lineage
from wfscore.inputs.files import Table
from wfscore.inputs.loading import YearData, load_year
from wfscore.inputs.problems import InputError

STATUSES = ("first", "same", "renamed", "merged", "split", "new")


@dataclass(frozen=True, eq=False)
class Comparison:
    """A run of consecutive years compared. See the module's notes for every column."""

    years: tuple[int, ...]
    results: dict[int, Result]
    table: pd.DataFrame
    shares: pd.DataFrame
    links: pd.DataFrame
    decomposition: pd.DataFrame
    not_compared: pd.DataFrame
    common: dict[int, tuple[str, ...]]

    @property
    def last(self) -> int:
        return self.years[-1]

    @property
    def synthetic(self) -> bool:
        return any(r.data.synthetic for r in self.results.values())

    def year(self, year: int) -> pd.DataFrame:
        """The rows of ``table`` for one year, in rank order."""
        rows = self.table[self.table["year"] == year]
        return rows.sort_values(["rank", "dept_id"], kind="stable").reset_index(drop=True)

    def movers(self, year: int | None = None, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The ``n`` biggest risers and fallers into ``year`` (default: the last), largest
        move first (ties: the better rank first)."""
        year = year or self.last
        rows = self.year(year).dropna(subset=["rank_change"])
        risers = (
            rows[rows["rank_change"] > 0]
            .sort_values(["rank_change", "rank"], ascending=[False, True], kind="stable")
            .head(n)
        )
        fallers = (
            rows[rows["rank_change"] < 0]
            .sort_values(["rank_change", "rank"], ascending=[True, True], kind="stable")
            .head(n)
        )
        return risers.reset_index(drop=True), fallers.reset_index(drop=True)

    def ancestors(self, year: int, dept_id: str, back_to: int) -> list[str]:
        """The dept_ids in year ``back_to`` that department ``dept_id`` of ``year`` continues."""
        ids = [dept_id]
        for y in range(year, back_to, -1):
            links = self.links[self.links["year"] == y]
            ids = list(dict.fromkeys(links[links["dept_id"].isin(ids)]["previous_id"]))
        return ids

    def rank_paths(self) -> pd.DataFrame:
        """One row per department of the last year and per department that ended earlier,
        one column per year: the rank of the department or, where it is the successor of
        several, their ranks (a list; empty where it did not exist), plus ``net_change``:
        the mean rank of its first-year ancestors minus its last rank (NaN when it has none)."""
        rows = []
        for year in self.years:
            later = self.links[self.links["year"] == year + 1]["previous_id"] if year < self.last else None
            here = self.year(year)
            if later is not None:
                here = here[~here["dept_id"].isin(set(later))]  # continued: shown in a later row
            for _, row in here.iterrows():
                ranks = {}
                for y in self.years:
                    if y > year:
                        ranks[y] = []
                        continue
                    ids = self.ancestors(year, row["dept_id"], y)
                    by_id = self.results[y]
                    rank_of = dict(zip(by_id.data.dept_ids, by_id.rank))
                    ranks[y] = [int(rank_of[i]) for i in ids]
                first = ranks[self.years[0]]
                net = float(np.mean(first)) - row["rank"] if first and year == self.last else np.nan
                rows.append(
                    {
                        "year": year,
                        "dept_id": row["dept_id"],
                        "name": row["name"],
                        "status": row["status"],
                        **{y: ranks[y] for y in self.years},
                        "net_change": net,
                    }
                )
        return pd.DataFrame(rows)


# -- building a comparison ---------------------------------------------------------------------


def _check_run(data: Sequence[YearData]) -> None:
    if not data:
        raise ValueError("no years to compare (expected a run of consecutive years, such as 2011, 2012, 2013)")
    found = [d.year for d in data]
    if any(b != a + 1 for a, b in zip(found, found[1:])):
        raise ValueError(
            f"years {', '.join(map(str, found))} are not a run of consecutive years (expected "
            "each year followed by the next, such as 2011, 2012, 2013: departments are followed "
            "through each year's previous_ids)"
        )


def _check_lineage(now: YearData, before: YearData) -> None:
    """Every previous id of ``now`` must be a department of ``before`` (InputError otherwise)."""
    frame = now.tables["departments"]
    if lineage.COLUMN not in frame:
        return
    table = Table("departments", now.sources["departments"], frame)
    where = f"{Path(before.folder).name}/{before.sources['departments']}"
    problems = lineage.unknown_ids(table, set(before.dept_ids), where)
    if problems:
        raise InputError(problems, str(now.folder))


def _status(predecessors: list[list[str]], now_ids, now_names, before_names: dict[str, str]) -> list[str]:
    claimed = pd.Series([p for ps in predecessors for p in ps]).value_counts()
    out = []
    for ids, dept, name in zip(predecessors, now_ids, now_names):
        if not ids:
            out.append("new")
        elif len(ids) > 1:
            out.append("merged")
        elif claimed[ids[0]] > 1:
            out.append("split")
        elif ids[0] == dept and before_names[ids[0]] == name:
            out.append("same")
        else:
            out.append("renamed")
    return out


def _year_rows(res: Result) -> pd.DataFrame:
    depts = res.data.departments
    return pd.DataFrame(
        {
            "year": res.scheme.year,
            "dept_id": depts["dept_id"].to_numpy(),
            "name": depts["name"].to_numpy(),
            "kind": depts["kind"].to_numpy(),
            "total": res.total,
            "rank": res.rank,
            "departments": len(res.total),
        }
    )


def _share_rows(res: Result) -> pd.DataFrame:
    cats = res.scheme.categories
    points = np.array([c.points for c in cats])
    n_d = len(res.total)
    return pd.DataFrame(
        {
            "year": res.scheme.year,
            "dept_id": np.repeat(res.data.dept_ids, len(cats)),
            "category": np.tile([c.id for c in cats], n_d),
            "points": np.tile(points, n_d),
            "score": res.category.ravel(),
            "share": (res.category / points).ravel(),
        }
    )


def _mean_over(values: dict[str, float], ids: list[str]) -> float:
    return float(np.mean([values[i] for i in ids])) if ids else np.nan


def _decompose(before: Result, now: Result, predecessors: list[list[str]]):
    """The decomposition rows of ``now``'s departments and the pair's not-compared rows."""
    a_scheme, b_scheme = before.scheme, now.scheme
    common, left_out = common_indicators(a_scheme, b_scheme)
    names = {i.id: i.name for i in a_scheme.indicators} | {i.id: i.name for i in b_scheme.indicators}
    kinds = {"only_first": "indicator_dropped", "only_second": "indicator_added", "method": "indicator_changed"}
    skipped = [{"year": b_scheme.year, "item": kinds[why], "id": i, "name": names[i]} for i, why in left_out.items()]
    n = len(now.total)
    empty = {k: np.full(n, np.nan) for k in ("previous_restricted", "now_under_previous", "now_restricted")}
    if common:
        old_c, old_dropped = restrict(a_scheme, common)
        new_c, new_dropped = restrict(b_scheme, common)
        for year, dropped, scheme in ((a_scheme.year, old_dropped, a_scheme), (b_scheme.year, new_dropped, b_scheme)):
            for item in dropped:
                skipped.append(
                    {
                        "year": b_scheme.year,
                        "item": "group_dropped",
                        "id": item,
                        "name": f"{year}: {_name_of(scheme, item)}",
                    }
                )
        a = score(view(before.data, old_c)).total
        empty["previous_restricted"] = np.array(
            [_mean_over(dict(zip(before.data.dept_ids, a)), p) for p in predecessors]
        )
        empty["now_under_previous"] = score(view(now.data, old_c)).total
        empty["now_restricted"] = score(view(now.data, new_c)).total
    total_before = dict(zip(before.data.dept_ids, before.total))
    previous_total = np.array([_mean_over(total_before, p) for p in predecessors])
    A, B, E = empty["previous_restricted"], empty["now_under_previous"], empty["now_restricted"]
    T0, T1 = previous_total, now.total
    frame = pd.DataFrame(
        {
            "year": b_scheme.year,
            "dept_id": now.data.dept_ids,
            "name": now.data.departments["name"].to_numpy(),
            "previous_total": T0,
            "total": T1,
            "change": T1 - T0,
            "own": B - A,
            "reweighting": E - B,
            "indicator_set": (T1 - E) + (A - T0),
            "previous_restricted": A,
            "now_under_previous": B,
            "now_restricted": E,
        }
    )
    frame["scheme"] = frame["reweighting"] + frame["indicator_set"]
    frame["compared"] = frame[["own", "scheme"]].notna().all(axis=1).to_numpy()
    ended = sorted(set(before.data.dept_ids) - {p for ps in predecessors for p in ps})
    before_names = dict(zip(before.data.dept_ids, before.data.departments["name"]))
    skipped += [
        {"year": b_scheme.year, "item": "department_new", "id": d, "name": nm}
        for d, nm, ps in zip(now.data.dept_ids, now.data.departments["name"], predecessors)
        if not ps
    ]
    skipped += [{"year": b_scheme.year, "item": "department_ended", "id": d, "name": before_names[d]} for d in ended]
    uncomparable = frame["own"].isna() & np.array([bool(p) for p in predecessors])
    skipped += [
        {"year": b_scheme.year, "item": "department_not_scored", "id": d, "name": nm}
        for d, nm in zip(frame.loc[uncomparable, "dept_id"], frame.loc[uncomparable, "name"])
    ]
    return frame, skipped, tuple(common)


def _name_of(scheme, item_id: str) -> str:
    for section in scheme.sections:
        if section.id == item_id:
            return section.name
        for category in section.categories:
            if category.id == item_id:
                return category.name
    return item_id


def compare(data: Sequence[YearData | Result]) -> Comparison:
    """Compare a run of consecutive years (loaded years, or results of
    ``wfscore.score``), oldest first. Raises ValueError when the years are not
    consecutive and :class:`~wfscore.InputError` when a ``previous_ids`` names a
    department the year before does not have."""
    results = [d if isinstance(d, Result) else score(d) for d in data]
    loaded = [r.data for r in results]
    _check_run(loaded)
    for before, now in zip(loaded, loaded[1:]):
        _check_lineage(now, before)

    tables, shares, links, parts, skipped = [], [], [], [], []
    common: dict[int, tuple[str, ...]] = {}
    first = _year_rows(results[0]).assign(status="first", previous_ids="", previous_total=np.nan, previous_rank=np.nan)
    tables.append(first)
    shares.append(_share_rows(results[0]).assign(previous_share=np.nan))
    for before, now in zip(results, results[1:]):
        year = now.scheme.year
        preds = lineage.predecessors(now.data.departments, before.data.dept_ids)
        rows = _year_rows(now)
        before_names = dict(zip(before.data.dept_ids, before.data.departments["name"]))
        rows["status"] = _status(preds, now.data.dept_ids, rows["name"], before_names)
        rows["previous_ids"] = [";".join(p) for p in preds]
        total_before = dict(zip(before.data.dept_ids, before.total))
        rank_before = dict(zip(before.data.dept_ids, before.rank))
        rows["previous_total"] = [_mean_over(total_before, p) for p in preds]
        precision = before.scheme.rules.rank_precision
        rows["previous_rank"] = [
            np.nan
            if not p
            else float(rank_before[p[0]])
            if len(p) == 1
            else float(1 + (before.published > ticks(np.array(_mean_over(total_before, p)), precision)).sum())
            for p in preds
        ]
        tables.append(rows)
        links.append(
            pd.DataFrame(
                [{"year": year, "dept_id": d, "previous_id": p} for d, ps in zip(now.data.dept_ids, preds) for p in ps],
                columns=["year", "dept_id", "previous_id"],
            )
        )
        share_now = _share_rows(now)
        share_before = _share_rows(before).set_index(["dept_id", "category"])["share"]
        pred_of = dict(zip(now.data.dept_ids, preds))
        share_now["previous_share"] = [
            float(np.mean([share_before[(p, c)] for p in pred_of[d]]))
            if pred_of[d] and (pred_of[d][0], c) in share_before.index
            else np.nan
            for d, c in zip(share_now["dept_id"], share_now["category"])
        ]
        shares.append(share_now)
        frame, notes, common[year] = _decompose(before, now, preds)
        parts.append(frame)
        skipped += notes

    table = pd.concat(tables, ignore_index=True)
    table["total_change"] = table["total"] - table["previous_total"]
    table["rank_change"] = table["previous_rank"] - table["rank"]
    share_frame = pd.concat(shares, ignore_index=True)
    share_frame["share_change"] = share_frame["share"] - share_frame["previous_share"]
    return Comparison(
        years=tuple(r.scheme.year for r in results),
        results={r.scheme.year: r for r in results},
        table=table,
        shares=share_frame,
        links=(
            pd.concat(links, ignore_index=True) if links else pd.DataFrame(columns=["year", "dept_id", "previous_id"])
        ),
        decomposition=(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()),
        not_compared=pd.DataFrame(skipped, columns=["year", "item", "id", "name"]),
        common=common,
    )


# -- opening years from folders --------------------------------------------------------------------


def open_years(data_root: object, years: object, lang: object = "zh") -> Comparison:
    """The trends notebook's first step: check ``data_root`` (a folder holding one
    folder per year, named by the year; ``""``: the folder holding
    :func:`~wfscore.inputs.params.year_folder`'s default), ``years`` (two or more
    consecutive years; ``[]``: every year folder of ``data_root``) and ``lang``, then load
    each ``data_root/<year>`` and compare them. Raises
    :class:`~wfscore.inputs.params.ParameterError` naming every bad parameter, and
    :class:`~wfscore.InputError` for a year with errors."""
    from wfscore.inputs.params import ParameterError, check_year, data_root as default_root, year_folders
    from wfscore.inputs.wording import LANGS

    if data_root == "":  # the notebook's default: the folder holding the default year folder
        data_root = default_root("")
    if (
        isinstance(years, (list, tuple))
        and not years
        and isinstance(data_root, (str, Path))
        and str(data_root).strip()
        and Path(data_root).is_dir()
    ):
        years = year_folders(Path(data_root))  # the notebook's default: every year of data_root
    problems = []
    if lang not in LANGS:
        problems.append(f"lang {lang!r} is not a report language (expected one of {', '.join(LANGS)})")
    root = None
    if not isinstance(data_root, (str, Path)) or not str(data_root).strip():
        problems.append(
            f"data_root {data_root!r} is not a folder name (expected the folder holding one "
            "folder per year, such as data)"
        )
    else:
        root = Path(data_root).expanduser()
        if not root.is_dir():
            problems.append(
                f"data_root {str(root)!r} is not a folder (expected the folder holding one folder "
                "per year, such as data)"
            )
    picked: list[int] = []
    if not isinstance(years, (list, tuple)) or len(years) < 2:
        problems.append(f"years {years!r} is not a list of two or more years (expected such as [2011, 2012, 2013])")
    else:
        for y in years:
            try:
                picked.append(check_year(y))
            except ValueError as exc:
                problems.append(str(exc))
        if len(picked) == len(years) and any(b != a + 1 for a, b in zip(picked, picked[1:])):
            problems.append(f"years {picked} are not consecutive (expected a run such as [2011, 2012, 2013])")
    if root is not None and not problems:
        missing = [str(y) for y in picked if not (root / str(y)).is_dir()]
        if missing:
            problems.append(
                f"data_root {str(root)!r} has no folder {', '.join(missing)} (expected one folder "
                "per year, named by the year)"
            )
    if problems:
        raise ParameterError("; ".join(problems))
    return compare([load_year(root / str(y)) for y in picked])


def with_previous(result: Result) -> Comparison | None:
    """``result``'s year compared with the year before, when the sibling folder of the
    year before exists (``data/2011`` for ``data/2012``); None otherwise."""
    folder = lineage.previous_folder(result.data.folder, result.scheme.year)
    if folder is None:
        return None
    return compare([load_year(folder), result])
