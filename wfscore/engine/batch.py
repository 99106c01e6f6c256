"""SPEC §5 for many drawn schemes at once: the pipeline's steps, batched over samples.

:func:`wfscore.engine.pipeline.score` scores one scheme. Here a chunk of samples (drawn
weights, plus a choice of not-applicable mode, ratings aggregation, index base and
security scope per sample) is scored with the same step functions, as arrays with
a leading samples axis, and no Python loop per sample.

Two facts keep this fast, and both follow from the pipeline itself:

* Steps 1, 2, 4 (the base and the value ÷ base share), 5 and 6 do not depend on
  the weights. They are computed once per combination of ratings aggregation,
  index base and security scope, by calling the pipeline's step functions with
  an effective weight of 1. Every step after the effective weights is linear in
  them (index: W × share; direct: v × W / w; binary: W or 0; website: eval/100 × W;
  security: 0 or unchanged), so a sample's score is W × that unit score (÷ w for a
  ``direct`` pair).
* Step 3 changes a weight only for a department with a confirmed exemption;
  everywhere else the effective weight is the drawn weight exactly
  (:func:`~wfscore.engine.weights.effective_weights` guarantees it). So the totals of
  departments without exemptions are one matrix product per combination, and
  :func:`~wfscore.engine.weights.effective_weights` runs on the few others only,
  once per not-applicable mode.

Step 7 sums inside those products; steps 8–9 use :func:`~wfscore.engine.ranking.ticks`,
:func:`~wfscore.engine.ranking.rank` and :func:`~wfscore.engine.ranking.excellent` along the last
axis. The tests check every sample against :func:`wfscore.score` on the sample's scheme.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from wfscore.engine.indicator_scores import index_base, indicator_scores
from wfscore.engine.ranking import excellent, rank, ticks
from wfscore.engine.rules import eligibility, security_incident, website_evaluation
from wfscore.engine.values import observed as observed_values
from wfscore.engine.weights import effective_weights
from wfscore.inputs.loading import YearData
from wfscore.inputs.scheme import SchemeArrays

BLOCK = 1_000_000  # array elements per block of the effective-weight step (8 MB per array)


@dataclass(frozen=True)
class Draws:
    """Drawn inputs, one row per sample: weights and the index of each choice.

    ``weight`` is (samples, indicators); each entry of ``choice`` is (samples,) and
    indexes the matching tuple of the input space's ``options``
    (:class:`wfscore.analysis.uncertainty.InputSpace` draws them).
    """

    weight: np.ndarray
    choice: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.weight)


@dataclass(frozen=True, eq=False)
class BatchModel:
    """Everything a chunk needs, as plain arrays (small, picklable for Dask workers).

    The scores per unit of effective weight under combination ``v`` of (ratings,
    index base, security scope) are kept in the two shapes the totals use:
    ``unit_plain[v]`` (indicators × departments without exemptions) and
    ``direct_plain[v]`` (their ``direct`` pairs, summed: v × W / w is v there);
    ``unit_exempted[v]`` and ``per_weight_exempted[v]`` (departments with exemptions ×
    indicators), the latter holding the ``direct`` pairs, which are also divided by
    the drawn weight. ``variant[r, b, s]`` is the combination's number. Each score is
    held once: about combinations × departments × indicators × 8 bytes.
    """

    arrays: SchemeArrays
    modes: tuple[str, ...]
    variant: np.ndarray
    unit_plain: np.ndarray
    direct_plain: np.ndarray
    unit_exempted: np.ndarray
    per_weight_exempted: np.ndarray
    plain: np.ndarray
    exempted: np.ndarray
    applicable_exempted: np.ndarray
    eligible: np.ndarray
    precision: int
    share: float | None

    @property
    def departments(self) -> int:
        return len(self.plain) + len(self.exempted)

    @staticmethod
    def bytes_of(departments: int, indicators: int, combinations: int) -> tuple[int, int]:
        """About the bytes of the model (kept) and of :meth:`of` at its largest (while it
        builds), for a memory plan made before it runs."""
        kept = 8 * departments * combinations * (indicators + 1)
        return kept, kept + 8 * departments * 12 * indicators

    @classmethod
    def of(cls, data: YearData, space) -> "BatchModel":
        """The model of ``data`` over ``space``, an input space of the robustness
        analysis (:class:`wfscore.analysis.uncertainty.InputSpace`: its ``scheme``,
        ``arrays``, ``options`` and ``security_mask``)."""
        arr = space.arrays
        rules = space.scheme.rules
        opts = space.options
        # 1–2. values and applicability, as in pipeline.score
        overridden = data.takes_website_eval(arr.website_kinds)[:, None] & arr.website
        applicable = ~data.exempt
        direct = arr.is_direct & ~overridden
        n_r, n_b, n_s = (len(opts[k]) for k in ("ratings", "index_base", "security_scope"))
        variant = np.arange(n_r * n_b * n_s).reshape(n_r, n_b, n_s)
        plain = np.flatnonzero(~data.exempt.any(axis=1))
        exempted = np.flatnonzero(data.exempt.any(axis=1))
        n_v, n_i = variant.size, len(arr.weight)
        # (V, I, D') C-contiguous: BLAS is many times faster on it than on a transposed view
        unit_plain = np.empty((n_v, n_i, len(plain)))
        direct_plain = np.empty((n_v, len(plain)))
        unit_exempted = np.empty((n_v, len(exempted), n_i))
        per_weight_exempted = np.empty((n_v, len(exempted), n_i))
        ones = np.ones(data.exempt.shape)
        raws = {}
        for v, (method, percentile, scope) in enumerate(
            product(opts["ratings"], opts["index_base"], opts["security_scope"])
        ):
            if (method, percentile) not in raws:  # the security scope changes only step 6
                observed = np.where(arr.is_binary, data.achievements, observed_values(data, method))
                used = np.where(applicable & ~overridden, observed, np.nan)
                # 4. indicator scores per unit of effective weight
                counted = ~np.isnan(used) & arr.is_index
                base = index_base(used, counted, arr, percentile)
                raws[method, percentile] = indicator_scores(
                    used, ones, np.ones(len(arr.weight)), base, arr, capped=percentile is not None
                )
            raw = raws[method, percentile]
            # 5–6. website evaluation, security incidents
            with_website = website_evaluation(raw, ones, overridden, data.website_eval)
            final, _ = security_incident(with_website, data.incidents, space.security_mask(scope))
            unit = np.where(direct, 0.0, final)
            per_weight = np.where(direct, final, 0.0)
            unit_plain[v] = unit[plain].T
            direct_plain[v] = per_weight[plain].sum(axis=-1)
            unit_exempted[v] = unit[exempted]
            per_weight_exempted[v] = per_weight[exempted]
            del unit, per_weight, final, with_website
        return cls(
            arrays=arr,
            modes=tuple(opts["not_applicable"]),
            variant=variant,
            unit_plain=unit_plain,
            direct_plain=direct_plain,
            unit_exempted=unit_exempted,
            per_weight_exempted=per_weight_exempted,
            plain=plain,
            exempted=exempted,
            applicable_exempted=applicable[exempted],
            eligible=eligibility(data.major, rules.major_incident),
            precision=rules.rank_precision,
            share=rules.excellence.share if rules.excellence else None,
        )

    # -- the batched steps ----------------------------------------------------
    def group_of(self, draws: Draws) -> np.ndarray:
        """(samples,) a number per combination of the choices :meth:`totals` groups by."""
        c = draws.choice
        return self.variant[c["ratings"], c["index_base"], c["security_scope"]] * len(self.modes) + c["not_applicable"]

    def totals(self, draws: Draws) -> np.ndarray:
        """(samples, departments) totals of step 7 for every drawn sample."""
        weight = draws.weight
        c = draws.choice
        variant = self.variant[c["ratings"], c["index_base"], c["security_scope"]]
        n = len(weight)
        plain, exempted = self.plain, self.exempted
        total = np.empty((n, self.departments))
        # Departments without exemptions: W = w exactly, so v × W / w of a direct pair is v.
        unit_plain, direct_sum = self.unit_plain, self.direct_plain
        part = np.empty((n, len(plain)))
        for v, rows in _groups(variant):
            part[rows] = weight[rows] @ unit_plain[v] + direct_sum[v]
        total[:, plain] = part
        if len(exempted):
            unit_ex, direct_ex = self.unit_exempted, self.per_weight_exempted
            part = np.empty((n, len(exempted)))
            # rows at a time, so that (rows, exempted departments, indicators) stays small
            step = max(1, BLOCK // unit_ex[0].size)
            for m, rows in _groups(c["not_applicable"]):
                rows = np.arange(n)[rows]
                for block in (rows[s : s + step] for s in range(0, len(rows), step)):
                    w = weight[block]
                    # 3. effective weights, only where an exemption redistributes them
                    effective = effective_weights(w, self.applicable_exempted, self.arrays, self.modes[m])
                    v = variant[block]
                    per_unit = unit_ex[v] + direct_ex[v] / w[:, None, :]
                    part[block] = np.einsum("nei,nei->ne", effective, per_unit)
            total[:, exempted] = part
        return total

    def outcome(self, draws: Draws) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Totals, ranks and excellence (None without the rule) of every sample (steps 7–9)."""
        total = self.totals(draws)
        published = ticks(total, self.precision)
        ranks = rank(published)
        best = None
        if self.share is not None:
            best = excellent(published, np.broadcast_to(self.eligible, published.shape), self.share)
        return total, ranks, best


def _groups(labels: np.ndarray):
    """(label, row positions) for each distinct label, without a pass per label when there is one."""
    first = labels[0] if len(labels) else 0
    if len(labels) == 0 or np.all(labels == first):
        yield int(first), slice(None)
        return
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    cuts = np.flatnonzero(np.diff(sorted_labels)) + 1
    for rows in np.split(order, cuts):
        yield int(labels[rows[0]]), rows
