"""Step 3 of SPEC §5: effective weights W[d,i], redistributed for exemptions.

Pure array maths with no checks. ``weight`` is the nominal weight per indicator,
shape (..., I); ``applicable`` is (..., D, I). Category and section points are the
sums of the nominal weights (the scheme guarantees they agree), so a scenario or a
sample that changes weights stays consistent by construction. Leading axes
broadcast, so many weight samples can be computed at once.
"""

from __future__ import annotations

import numpy as np

from wfscore.engine.sums import group_sums
from wfscore.inputs.scheme import SchemeArrays

MODES = ("category", "section", "none")


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0."""
    return np.divide(
        numerator,
        denominator,
        out=np.zeros(np.broadcast_shapes(numerator.shape, denominator.shape)),
        where=denominator > 0,
    )


def effective_weights(weight: np.ndarray, applicable: np.ndarray, arrays: SchemeArrays, mode: str) -> np.ndarray:
    """W[d,i] for ``mode`` = ``category``, ``section`` or ``none`` (SPEC §5.3).

    Where nothing in a department's category (or section) is exempt, W equals the
    nominal weight exactly, not up to rounding.
    """
    weight = np.asarray(weight, dtype=float)
    live = np.where(applicable, weight[..., None, :], 0.0)
    if mode == "none":
        return live
    exempt_count = (~applicable).astype(float)
    per_category = arrays.category_bounds
    per_section = arrays.category_bounds[arrays.section_bounds]  # in indicator columns
    if mode == "section":
        section_sum = group_sums(live, per_section)  # (..., D, S)
        section_points = group_sums(weight, per_section)  # (..., S)
        factor = _ratio(section_points[..., None, :], section_sum)
        untouched = group_sums(exempt_count, per_section) == 0
        factor = np.where(untouched, 1.0, factor)
        return live * np.take(factor, arrays.section_of, axis=-1)
    if mode != "category":
        raise ValueError(f"unknown not_applicable mode {mode!r} (expected one of {MODES})")

    category_sum = group_sums(live, per_category)  # (..., D, C)
    category_points = group_sums(weight, per_category)[..., None, :]  # (..., 1, C)
    nonempty = category_sum > 0
    live_points = np.where(nonempty, category_points, 0.0)
    section_points = group_sums(category_points, arrays.section_bounds)  # (..., 1, S)
    section_live = group_sums(live_points, arrays.section_bounds)  # (..., D, S)
    # Points of a category with no applicable indicator go to the section's other
    # categories in proportion: P'_c = P_c × P_s / Σ_{k non-empty} P_k.
    any_empty = group_sums((~nonempty).astype(float), arrays.section_bounds) > 0  # (..., D, S)
    section_scale = np.where(any_empty, _ratio(section_points, section_live), 1.0)
    adjusted_points = live_points * np.take(section_scale, arrays.section_of_category, axis=-1)
    factor = _ratio(adjusted_points, category_sum)
    untouched = (group_sums(exempt_count, per_category) == 0) & ~np.take(any_empty, arrays.section_of_category, axis=-1)
    factor = np.where(untouched, 1.0, factor)
    return live * np.take(factor, arrays.category_of, axis=-1)
