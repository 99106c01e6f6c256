"""Steps 5, 6 and 9 of SPEC §5: the website evaluation, security incidents, eligibility.

Pure array maths with no checks.
"""

from __future__ import annotations

import numpy as np


def website_evaluation(
    score: np.ndarray, effective_weight: np.ndarray, overridden: np.ndarray, evaluation: np.ndarray
) -> np.ndarray:
    """An overridden pair scores evaluation / 100 × W (按相应权重计入)."""
    evaluated = np.nan_to_num(evaluation)[..., :, None] / 100.0 * effective_weight
    return np.where(overridden, evaluated, score)


def security_incident(
    score: np.ndarray, incidents: np.ndarray, zeroed_indicators: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A department with any incident scores 0 on the incident rule's indicators.

    Returns the scores and the (D, I) mask of pairs that were zeroed.
    """
    zeroed = (incidents > 0)[..., :, None] & zeroed_indicators
    return np.where(zeroed, 0.0, score), zeroed


def eligibility(major: np.ndarray, rule: str) -> np.ndarray:
    """A department with a major incident is not eligible for excellence (取消评优资格)."""
    return ~major if rule == "disqualify" else np.ones_like(major, dtype=bool)
