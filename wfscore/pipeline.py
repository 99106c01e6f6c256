"""The scoring pipeline: SPEC §5 steps 1–10 chained, on checked data.

``score`` is what notebooks and the command line call. It takes a loaded year and,
optionally, another scheme with the same indicators (a what-if scenario), and
returns a :class:`~wfscore.result.Result`. The work is a fixed sequence of array
operations across all departments at once; there is no loop over departments.
"""

from __future__ import annotations

import numpy as np

from .indicator_scores import index_base, indicator_scores
from .loading import YearData
from .ranking import converted, excellent, rank, ticks
from .result import Result
from .rules import eligibility, security_incident, website_evaluation
from .scheme import Scheme, SchemeArrays
from .weights import effective_weights


def _same_indicators(data: YearData, arr: SchemeArrays) -> None:
    loaded = tuple(i.id for i in data.scheme.indicators)
    if arr.indicator_ids != loaded:
        raise ValueError(
            "the scheme's indicators differ from those the year was loaded with "
            f"({', '.join(arr.indicator_ids)} vs {', '.join(loaded)}); "
            "load the year with this scheme instead"
        )


def score(data: YearData, scheme: Scheme | None = None) -> Result:
    """Score every department of ``data`` under ``scheme`` (default: the year's own).

    With ``rules.index_base: {percentile: p}`` the composite index divides by the
    p-th percentile of the values instead of the maximum, and scores are capped at
    the weight: an analysis option, not a rule of the 2011 notice.
    """
    scheme = scheme or data.scheme
    arr = SchemeArrays.of(scheme)
    if scheme is not data.scheme:
        _same_indicators(data, arr)
    rules = scheme.rules
    base_percentile = None if rules.index_base == "max" else rules.index_base.percentile

    # 1–2. values and applicability
    overridden = data.takes_website_eval(arr.website_kinds)[:, None] & arr.website
    applicable = ~data.exempt
    observed = np.where(arr.is_binary, data.achievements, data.observed(rules.ratings))
    used = np.where(applicable & ~overridden, observed, np.nan)
    missing = np.isnan(used) & applicable & ~overridden & ~arr.is_binary

    # 3. effective weights
    effective = effective_weights(arr.weight, applicable, arr, rules.not_applicable)

    # 4. indicator scores
    counted = ~np.isnan(used) & arr.is_index
    base = index_base(used, counted, arr, base_percentile)
    raw = indicator_scores(used, effective, arr.weight, base, arr, capped=base_percentile is not None)

    # 5–6. website evaluation, security incidents
    with_website = website_evaluation(raw, effective, overridden, data.website_eval)
    final, zeroed = security_incident(with_website, data.incidents, arr.security)

    # 7. sums
    category = final @ arr.in_category
    section = category @ arr.category_in_section
    total = section.sum(axis=-1)

    # 8–10. rank, eligibility and excellence, conversion
    published = ticks(total, rules.rank_precision)
    eligible = eligibility(data.major, rules.major_incident)
    return Result(
        data=data,
        scheme=scheme,
        arrays=arr,
        value=used,
        base=np.where(arr.is_index, base, np.nan),
        effective_weight=effective,
        score=final,
        before_security=with_website,
        overridden=overridden,
        missing=missing,
        zeroed=zeroed,
        category=category,
        section=section,
        total=total,
        published=published,
        rank=rank(published),
        eligible=eligible,
        excellent=excellent(published, eligible, rules.excellence.share) if rules.excellence else None,
        converted=(converted(total, rules.conversion.points, float(arr.weight.sum()))
                   if rules.conversion else None),
        base_percentile=base_percentile,
    )
