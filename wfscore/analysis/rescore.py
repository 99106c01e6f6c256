"""Scoring one year's data under another year's scheme, on the indicators both share.

``wfscore.score(year, scheme)`` needs a scheme with exactly the indicators the year
was loaded with. Across years the indicator sets differ (an indicator added, one
dropped), so a cross-year score takes two steps:

1. :func:`restrict` cuts a scheme down to a set of indicators. Each category keeps
   its points: the weights of its remaining indicators are scaled up in proportion
   (as the scheme's own ``category`` rule spreads the weight of an indicator that
   does not apply). A category left with no indicator is dropped and its points
   go to the other categories of its section in proportion; a section left with
   no category is dropped (the total points then shrink, and the comparison says
   so). Rules naming a dropped category are dropped; excellence and conversion are
   left out (a restricted score is for comparing totals, not for grading).
2. :func:`view` presents a loaded year's arrays in the indicator order of such a
   scheme, without reading any file or checking anything again. A ``direct``
   indicator's values are points on its weight's scale, so they are rescaled to
   the target weight.

:func:`common_indicators` says which indicators two schemes share: the same id,
method and direction. The rest is reported by the comparison as not compared.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from wfscore.inputs.loading import YearData
from wfscore.inputs.scheme import Scheme


def common_indicators(a: Scheme, b: Scheme) -> tuple[list[str], dict[str, str]]:
    """Indicator ids of ``a`` (in ``a``'s order) that ``b`` has with the same method and
    direction, and for every other indicator of either scheme why it is left out:
    ``only_first`` (dropped in ``b``), ``only_second`` (added in ``b``), ``method``
    (its method or direction differs)."""
    theirs = {i.id: i for i in b.indicators}
    common, left_out = [], {}
    for ind in a.indicators:
        other = theirs.get(ind.id)
        if other is None:
            left_out[ind.id] = "only_first"
        elif (other.method, other.direction) != (ind.method, ind.direction):
            left_out[ind.id] = "method"
        else:
            common.append(ind.id)
    mine = {i.id for i in a.indicators}
    for ind in b.indicators:
        if ind.id not in mine:
            left_out[ind.id] = "only_second"
    return common, left_out


def restrict(scheme: Scheme, keep: set[str] | list[str]) -> tuple[Scheme, list[str]]:
    """``scheme`` with only the indicators in ``keep`` (see the module's notes), and the
    ids of the categories and sections it had to drop. The scheme given is not changed."""
    keep = set(keep)
    out = scheme.model_copy(deep=True)
    dropped: list[str] = []
    for section in out.sections:
        for category in section.categories:
            kept = [i for i in category.indicators if i.id in keep]
            weights = sum(i.weight for i in kept)
            for ind in kept:
                ind.weight = ind.weight * category.points / weights
            category.indicators = kept
        remaining = [c for c in section.categories if c.indicators]
        dropped += [c.id for c in section.categories if not c.indicators]
        if remaining:
            spread = section.points / sum(c.points for c in remaining)
            for category in remaining:
                category.points *= spread
                for ind in category.indicators:
                    ind.weight *= spread
        section.categories = remaining
    dropped += [s.id for s in out.sections if not s.categories]
    out.sections = [s for s in out.sections if s.categories]
    categories = {c.id for c in out.categories}
    rules = out.rules
    if rules.website_evaluation is not None and rules.website_evaluation.category not in categories:
        rules.website_evaluation = None
    if rules.security_incident is not None:
        if rules.security_incident.category not in categories:
            rules.security_incident = None
        elif rules.security_incident.indicators is not None:
            rules.security_incident.indicators = [i for i in rules.security_incident.indicators if i in keep]
    rules.excellence = None
    rules.conversion = None
    return out, dropped


def view(data: YearData, scheme: Scheme) -> YearData:
    """``data`` as if loaded with ``scheme``, whose indicators must all be indicators of
    ``data.scheme`` (KeyError otherwise). Arrays are re-ordered, ``direct`` values and
    ratings rescaled to the new weights; tables and warnings stay as loaded."""
    source = data.scheme.arrays
    target = scheme.arrays
    columns = np.array([source.position[i] for i in target.indicator_ids], dtype=np.intp)
    scale = np.where(target.is_direct, target.weight / source.weight[columns], 1.0)
    values = data.values[:, columns] * scale
    ratings = data.ratings[:, columns, :] * scale[:, None]
    exempt = data.exempt[:, columns]
    achievements = data.achievements[:, columns]
    for array in (values, ratings, exempt, achievements):
        array.setflags(write=False)
    return replace(
        data, scheme=scheme, values=values, ratings=ratings, exempt=exempt, achievements=achievements, _cache={}
    )
