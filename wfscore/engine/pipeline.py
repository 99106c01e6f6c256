"""The scoring pipeline: SPEC §5 steps 1–10 chained, on checked data.

``score`` is what notebooks and the command line call. It takes a loaded year and,
optionally, another scheme with the same indicators (a what-if scenario), and
returns a :class:`~wfscore.engine.result.Result`. The work is a fixed sequence of array
operations across all departments at once; there is no loop over departments.
"""

from __future__ import annotations

import numpy as np

from wfscore.engine.indicator_scores import index_base, indicator_scores
from wfscore.engine.ranking import converted, excellent, rank, ticks
from wfscore.engine.result import Result
from wfscore.engine.rules import eligibility, security_incident, website_evaluation
from wfscore.engine.sums import group_sums
from wfscore.engine.values import scored_values
from wfscore.engine.weights import effective_weights
from wfscore.inputs.loading import YearData
from wfscore.inputs.scheme import Scheme, SchemeArrays


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
    # The website and security rules touch a block of rows × columns each; most of
    # the work below is done on those blocks, not on the whole matrix.
    evaluated = np.flatnonzero(data.takes_website_eval(arr.website_kinds)) if arr.website.any() else _NONE
    website_block = np.ix_(evaluated, np.flatnonzero(arr.website))
    with_incident = np.flatnonzero(data.incidents > 0) if arr.security.any() else _NONE
    security_block = np.ix_(with_incident, np.flatnonzero(arr.security))

    # 1–2. values and applicability: NaN wherever a value takes no part
    used = scored_values(data, rules.ratings, arr.is_binary)
    if data.any_exempt or evaluated.size:
        used = used.copy(order="K")
        used[data.exempt] = np.nan
        used[website_block] = np.nan

    # 3. effective weights
    if data.any_exempt:
        effective = np.asfortranarray(effective_weights(arr.weight, ~data.exempt, arr, rules.not_applicable))
        per_department = effective
    else:  # every department has the nominal weights
        effective = np.broadcast_to(arr.weight, used.shape)
        per_department = arr.weight

    # 4. indicator scores
    base = index_base(used, None, arr, base_percentile)
    final = indicator_scores(used, per_department, arr.weight, base, arr, capped=base_percentile is not None)

    # 5–6. website evaluation, security incidents
    if evaluated.size:
        final[website_block] = website_evaluation(
            final[website_block], effective[website_block], True, data.website_eval[evaluated]
        )
    before_zero = final[security_block].copy()
    final[security_block], _ = security_incident(
        before_zero, data.incidents[with_incident], np.ones(before_zero.shape[-1], dtype=bool)
    )

    # 7. sums
    category = group_sums(final, arr.category_bounds)
    section = group_sums(category, arr.section_bounds)
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
        website_block=website_block,
        security_block=security_block,
        before_zero=before_zero,
        category=category,
        section=section,
        total=total,
        published=published,
        rank=rank(published),
        eligible=eligible,
        excellent=excellent(published, eligible, rules.excellence.share) if rules.excellence else None,
        converted=(converted(total, rules.conversion.points, float(arr.weight.sum())) if rules.conversion else None),
        base_percentile=base_percentile,
    )


_NONE = np.zeros(0, dtype=np.intp)
