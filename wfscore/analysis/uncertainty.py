"""The uncertain inputs of a robustness analysis, and how a sample of them is drawn.

Each input can be switched on or off (:class:`Uncertainty`). A sample is a row of
uniform numbers in [0, 1): one column per indicator weight and per category's
points, one per categorical choice. :class:`InputSpace` maps such rows to
:class:`Draws` (sampled weights and the index of each choice), vectorised over
rows, and turns any drawn row back into an ordinary :class:`~wfscore.inputs.scheme.Scheme`
that :func:`wfscore.score` accepts: that is how the batched engine is checked
against the plain scoring engine.

Weights: every category's points are multiplied by a factor drawn uniformly in
[1 − p, 1 + p] and rescaled so that each section keeps its points; every indicator
weight likewise, rescaled so that its category's weights add up to the category's
(drawn) points. The scheme therefore stays valid: section totals hold and category
points equal the sum of their weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wfscore.engine.batch import Draws
from wfscore.engine.values import RATINGS_METHODS
from wfscore.engine.weights import MODES
from wfscore.inputs.scheme import IndexBase, Scheme, SchemeArrays, SecurityIncident, label

CHOICES = ("not_applicable", "ratings", "index_base", "security_scope")


@dataclass(frozen=True)
class Uncertainty:
    """Which inputs vary, and how much. The default varies everything it can.

    ``weight_spread`` and ``points_spread`` are fractions (0.25 = ±25%); 0 switches
    that input off. ``security_indicators`` is the alternative scope of the
    security-incident rule, as indicator ids of the rule's category: samples use
    either the scheme's own scope or this one. It is off (None) unless given; for
    the 2011 scheme the reading in dispute is 18–20 only, ``("18", "19", "20")``.
    ``base_percentile`` is the alternative composite-index base (scores capped at
    the weight) to the maximum.
    """

    weight_spread: float = 0.25
    points_spread: float = 0.25
    not_applicable: bool = True
    ratings: bool = True
    index_base: bool = True
    base_percentile: float = 95.0
    security_indicators: tuple[str, ...] | None = None

    @classmethod
    def none(cls) -> "Uncertainty":
        """Nothing varies: every sample is the nominal scheme."""
        return cls(weight_spread=0.0, points_spread=0.0, not_applicable=False, ratings=False, index_base=False)

    def __post_init__(self) -> None:
        for name in ("weight_spread", "points_spread"):
            value = getattr(self, name)
            if not (0 <= value < 1):
                raise ValueError(
                    f"{name} is {value!r} (expected a fraction from 0 up to, not including, 1, such as 0.25 for ±25%)"
                )
        if not (0 < self.base_percentile < 100):
            raise ValueError(
                f"base_percentile is {self.base_percentile!r} (expected a percentile between 0 and 100, such as 95)"
            )
        if self.security_indicators is not None:
            ids = tuple(str(i).strip() for i in self.security_indicators)
            if not ids or not all(ids):
                raise ValueError(
                    "security_indicators is empty (expected indicator ids such as "
                    "18, 19, 20, or None to keep the scheme's scope)"
                )
            object.__setattr__(self, "security_indicators", ids)


@dataclass(frozen=True)
class Factor:
    """One uncertain input of the sensitivity analysis: its columns in a sample row."""

    key: str
    name: str
    name_en: str
    columns: tuple[int, ...]


_FACTOR_NAMES = {
    "weights": ("指标权重", "Indicator weights"),
    "points": ("类别分值", "Category points"),
    "not_applicable": ("不适用指标的权重处理", "Weights of non-applicable indicators"),
    "ratings": ("专家评分汇总方法", "Aggregation of expert ratings"),
    "index_base": ("综合指数基数", "Composite-index base"),
    "security_scope": ("安全事故扣分范围", "Scope of the security-incident rule"),
}


@dataclass(frozen=True, eq=False)
class InputSpace:
    """The uncertain inputs of one scheme under one :class:`Uncertainty`."""

    scheme: Scheme
    uncertainty: Uncertainty
    arrays: SchemeArrays = field(repr=False)
    options: dict[str, tuple] = field(repr=False)
    factors: tuple[Factor, ...] = field(repr=False)
    dims: int = 0

    @classmethod
    def of(cls, scheme: Scheme, uncertainty: Uncertainty, per_weight: bool = False) -> "InputSpace":
        """The input space; ``per_weight`` gives each weight and each category's points
        its own sensitivity index instead of one for all weights and one for all points."""
        arr = SchemeArrays.of(scheme)
        u = uncertainty
        rules = scheme.rules
        nominal_base = None if rules.index_base == "max" else rules.index_base.percentile
        nominal_scope = _scope(scheme, None)
        options: dict[str, tuple] = {
            "not_applicable": MODES if u.not_applicable else (rules.not_applicable,),
            "ratings": RATINGS_METHODS if u.ratings else (rules.ratings,),
            "index_base": (None, float(u.base_percentile)) if u.index_base else (nominal_base,),
            "security_scope": (
                (nominal_scope, _scope(scheme, u.security_indicators))
                if u.security_indicators is not None
                else (nominal_scope,)
            ),
        }
        factors: list[Factor] = []
        col = 0
        if u.weight_spread > 0:
            if per_weight:
                cats = scheme.categories
                for n, ind in enumerate(scheme.indicators):
                    if len(cats[arr.category_of[n]].indicators) > 1:  # a lone weight cannot move
                        factors.append(
                            Factor(
                                f"weight:{ind.id}",
                                f"权重 {ind.id} {label(ind, 'zh')}",
                                f"Weight {ind.id} {label(ind, 'en')}",
                                (col + n,),
                            )
                        )
            else:
                factors.append(
                    Factor("weights", *_FACTOR_NAMES["weights"], tuple(range(col, col + len(arr.indicator_ids))))
                )
            col += len(arr.indicator_ids)
        if u.points_spread > 0:
            if per_weight:
                for n, cat in enumerate(scheme.categories):
                    if len(scheme.sections[arr.section_of_category[n]].categories) > 1:
                        factors.append(
                            Factor(
                                f"points:{cat.id}", f"分值 {label(cat, 'zh')}", f"Points {label(cat, 'en')}", (col + n,)
                            )
                        )
            else:
                factors.append(
                    Factor("points", *_FACTOR_NAMES["points"], tuple(range(col, col + len(arr.category_ids))))
                )
            col += len(arr.category_ids)
        for key in CHOICES:
            if len(options[key]) > 1:
                factors.append(Factor(key, *_FACTOR_NAMES[key], (col,)))
                col += 1
        return cls(scheme=scheme, uncertainty=u, arrays=arr, options=options, factors=tuple(factors), dims=col)

    # -- uniform rows -> inputs ----------------------------------------------
    def draw(self, rows: np.ndarray) -> Draws:
        """Map uniform rows (samples × dims) to weights and choices, all rows at once."""
        rows = np.asarray(rows, dtype=float)
        arr, u = self.arrays, self.uncertainty
        n_i, n_c = len(arr.indicator_ids), len(arr.category_ids)
        col = 0
        weight_u = points_u = None
        if u.weight_spread > 0:
            weight_u, col = rows[:, col : col + n_i], col + n_i
        if u.points_spread > 0:
            points_u, col = rows[:, col : col + n_c], col + n_c
        nominal_points = arr.weight @ arr.in_category  # (C,)
        if points_u is None:
            points = np.broadcast_to(nominal_points, (len(rows), n_c))
        else:
            points = nominal_points * (1 + u.points_spread * (2 * points_u - 1))
            section_points = nominal_points @ arr.category_in_section  # (S_sec,)
            drawn_sections = points @ arr.category_in_section
            points = points * (section_points / drawn_sections)[:, arr.section_of_category]
        if weight_u is None:
            weight = arr.weight * (points / nominal_points)[:, arr.category_of]
        else:
            weight = arr.weight * (1 + u.weight_spread * (2 * weight_u - 1))
            weight = weight * (points / (weight @ arr.in_category))[:, arr.category_of]
        choice = {}
        for key in CHOICES:
            n = len(self.options[key])
            if n > 1:
                choice[key] = np.minimum((rows[:, col] * n).astype(np.intp), n - 1)
                col += 1
            else:
                choice[key] = np.zeros(len(rows), dtype=np.intp)
        return Draws(weight=np.ascontiguousarray(weight), choice=choice)

    # -- one drawn row -> a plain scheme --------------------------------------
    def scheme_of(self, draws: Draws, row: int) -> Scheme:
        """Sample ``row`` of ``draws`` as a scheme that :func:`wfscore.score` accepts."""
        scheme = self.scheme.model_copy(deep=True)
        for ind, w in zip(scheme.indicators, draws.weight[row]):
            ind.weight = float(w)
        for cat in scheme.categories:
            cat.points = float(sum(i.weight for i in cat.indicators))
        pick = {key: self.options[key][int(draws.choice[key][row])] for key in CHOICES}
        rules = scheme.rules
        rules.not_applicable = pick["not_applicable"]
        rules.ratings = pick["ratings"]
        base = pick["index_base"]
        rules.index_base = "max" if base is None else IndexBase(percentile=base)
        if rules.security_incident is not None:
            rules.security_incident = SecurityIncident(
                category=rules.security_incident.category, indicators=pick["security_scope"]
            )
        return scheme

    def security_mask(self, scope: list[str] | None) -> np.ndarray:
        """(I,) the indicators a security incident zeroes under ``scope``."""
        rule = self.scheme.rules.security_incident
        arr = self.arrays
        if rule is None:
            return np.zeros(len(arr.indicator_ids), dtype=bool)
        own = np.array([arr.category_ids[c] == rule.category for c in arr.category_of])
        if scope is None:
            return own
        return own & np.isin(np.array(arr.indicator_ids, dtype=object), scope)


def _scope(scheme: Scheme, alternative: tuple[str, ...] | None) -> list[str] | None:
    """The security rule's indicator list: the scheme's own, or ``alternative`` after a check."""
    rule = scheme.rules.security_incident
    if alternative is None:
        return None if rule is None or rule.indicators is None else list(rule.indicators)
    if rule is None:
        raise ValueError(
            "security_indicators was given, but the scheme has no security_incident "
            "rule (expected rules.security_incident in scheme.yaml, or no alternative scope)"
        )
    own = [i.id for i in scheme.category(rule.category).indicators]
    unknown = [i for i in alternative if i not in own]
    if unknown:
        raise ValueError(
            f"security_indicators names {', '.join(unknown)}, not indicators of the "
            f"security-incident category {rule.category} (expected some of {', '.join(own)})"
        )
    return [i for i in own if i in alternative]
