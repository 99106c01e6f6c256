"""What-if scenarios: a modified copy of a year's scheme, and how its ranking moves.

A scenario is an ordinary :class:`~wfscore.inputs.scheme.Scheme`, so it scores with
``wfscore.score(year, scenario)`` and exports with ``Scheme.to_yaml()``. The
functions here never change the scheme they are given: each returns an edited
deep copy (``model_copy(deep=True)``) in which every category's points are the sum
of its indicators' weights and every section's points the sum of its categories',
as ``scheme.yaml`` requires (SPEC §4).

With ``keep_section=True`` an edit keeps its section's total fixed: the other
indicators of the section are rescaled in proportion to absorb the difference.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from wfscore.engine.result import Result
from wfscore.inputs.output import csv_ready
from wfscore.inputs.scheme import Category, IndexBase, Indicator, Scheme, SecurityIncident

# The smallest weight an edit may leave on an indicator: scheme weights must be
# positive, and a weight rescaled towards 0 would silently drop an indicator.
MIN_WEIGHT = 0.5


def _section_of(scheme: Scheme, item_id: str):
    for section in scheme.sections:
        for category in section.categories:
            if category.id == item_id or any(i.id == item_id for i in category.indicators):
                return section
    raise KeyError(f"{item_id!r} is not a category or indicator of the scheme")


def _set_total(
    scheme: Scheme, item_id: str, chosen: list[Indicator], total: float, keep_section: bool
) -> tuple[Scheme, float]:
    """Scale ``chosen`` (indicators of ``scheme``, which must be a private copy) so
    their weights add up to ``total``; return the scheme and the total applied."""
    section = _section_of(scheme, item_id)
    ids = {i.id for i in chosen}
    others = [i for c in section.categories for i in c.indicators if i.id not in ids]
    current = sum(i.weight for i in chosen)
    low = MIN_WEIGHT * current / min(i.weight for i in chosen)
    high = np.inf
    if keep_section:
        rest = sum(i.weight for i in others)
        if not others:
            total = current  # nothing else in the section can make room
        else:
            high = section.points - MIN_WEIGHT * rest / min(i.weight for i in others)
    total = float(min(max(total, low), max(high, low)))
    factor = total / current
    for i in chosen:
        i.weight = i.weight * factor
    if keep_section and others:
        rest_factor = (section.points - total) / rest
        for i in others:
            i.weight = i.weight * rest_factor
    for category in section.categories:
        category.points = sum(i.weight for i in category.indicators)
    if not keep_section:
        section.points = sum(c.points for c in section.categories)
    return scheme, total


def with_weight(scheme: Scheme, indicator_id: str, weight: float, keep_section: bool = False) -> tuple[Scheme, float]:
    """A copy of ``scheme`` with one indicator's weight changed, and the weight applied.

    The weight is kept at or above :data:`MIN_WEIGHT`; with ``keep_section`` it is
    also kept low enough that every other indicator of the section stays at or
    above it, and in a section with a single indicator it cannot change.
    """
    new = scheme.model_copy(deep=True)
    indicator = new.indicator(str(indicator_id))
    return _set_total(new, indicator.id, [indicator], weight, keep_section)


def with_points(scheme: Scheme, category_id: str, points: float, keep_section: bool = False) -> tuple[Scheme, float]:
    """A copy of ``scheme`` with one category's points changed, its indicators'
    weights scaled in proportion, and the points applied (bounded as in
    :func:`with_weight`)."""
    new = scheme.model_copy(deep=True)
    category: Category = new.category(str(category_id))
    return _set_total(new, category.id, list(category.indicators), points, keep_section)


def with_rules(
    scheme: Scheme,
    official: Scheme,
    *,
    not_applicable: str | None = None,
    security_category: str | None = "",
    website_evaluation: bool | None = None,
    ratings: str | None = None,
    index_base: str | float | None = None,
) -> Scheme:
    """A copy of ``scheme`` with some rules changed; an argument left at its default
    keeps the rule as it is.

    ``security_category``: the category a security incident zeroes, or None for no
    such rule. ``website_evaluation``: True restores ``official``'s rule, False
    scores every department on its own values. ``index_base``: "max" or a
    percentile (scores capped at the weight).
    """
    new = scheme.model_copy(deep=True)
    rules = new.rules
    if not_applicable is not None:
        rules.not_applicable = not_applicable
    if security_category != "":
        if security_category is None:
            rules.security_incident = None
        elif official.rules.security_incident and official.rules.security_incident.category == security_category:
            rules.security_incident = official.rules.security_incident.model_copy(deep=True)
        else:
            new.category(security_category)  # KeyError for an unknown category
            rules.security_incident = SecurityIncident(category=security_category)
    if website_evaluation is not None:
        if website_evaluation and official.rules.website_evaluation is None:
            raise ValueError("the official scheme has no website_evaluation rule to switch on")
        rules.website_evaluation = (
            official.rules.website_evaluation.model_copy(deep=True) if website_evaluation else None
        )
    if ratings is not None:
        rules.ratings = ratings
    if index_base is not None:
        rules.index_base = "max" if index_base == "max" else IndexBase(percentile=float(index_base))
    return new


# ---------------------------------------------------------------------------
# Comparing a scenario with the official result


def rank_changes(official: Result, scenario: Result) -> pd.DataFrame:
    """One row per department: ranks and totals under both schemes, and the move.

    ``move`` is official rank − scenario rank: positive moved up (▲), negative
    down (▼). Rows are sorted by the size of the move, largest first, then by
    scenario rank.
    """
    depts = official.data.departments
    frame = pd.DataFrame(
        {
            "dept_id": depts["dept_id"].to_numpy(),
            "name": depts["name"].to_numpy(),
            "official_rank": official.rank,
            "rank": scenario.rank,
            "move": official.rank - scenario.rank,
            "official_total": official.total,
            "total": scenario.total,
        }
    )
    frame["change"] = frame["total"] - frame["official_total"]
    order = np.lexsort((np.arange(len(frame)), scenario.rank, -np.abs(frame["move"].to_numpy())))
    return frame.iloc[order].reset_index(drop=True)


def summary(official: Result, scenario: Result) -> dict:
    """What a one-line summary says: how many moved, the largest move, excellence."""
    move = official.rank - scenario.rank
    ids = official.data.dept_ids
    names = official.data.departments["name"].to_numpy()
    largest = int(np.abs(move).max()) if len(move) else 0
    who = [(names[d], int(move[d])) for d in np.flatnonzero(np.abs(move) == largest)] if largest else []
    before = official.excellent if official.excellent is not None else np.zeros(len(move), bool)
    after = scenario.excellent if scenario.excellent is not None else np.zeros(len(move), bool)
    return {
        "moved": int(np.count_nonzero(move)),
        "up": int(np.count_nonzero(move > 0)),
        "down": int(np.count_nonzero(move < 0)),
        "largest": largest,
        "largest_who": who,
        "excellence_rule": official.excellent is not None or scenario.excellent is not None,
        "excellent_added": [f"{names[d]}（{ids[d]}）" for d in np.flatnonzero(after & ~before)],
        "excellent_removed": [f"{names[d]}（{ids[d]}）" for d in np.flatnonzero(before & ~after)],
        "missing": int(scenario.missing.sum()),
        "official_missing": int(official.missing.sum()),
    }


def results_frame(official: Result, scenario: Result) -> pd.DataFrame:
    """The scenario's ranking (SPEC §7 columns) with the official rank, total and move."""
    frame = scenario.ranking.copy()
    position = pd.Series(np.arange(len(official.rank)), index=official.data.dept_ids)
    d = position[frame["dept_id"]].to_numpy()
    frame["official_total"] = official.total[d]
    frame["official_rank"] = official.rank[d]
    frame["rank_change"] = official.rank[d] - frame["rank"].to_numpy()
    return frame


def results_csv(official: Result, scenario: Result) -> str:
    """:func:`results_frame` as CSV text, formatted like ``wfscore score --out``."""
    buffer = io.StringIO()
    csv_ready(results_frame(official, scenario)).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
