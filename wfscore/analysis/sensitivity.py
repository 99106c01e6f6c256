"""Robustness of the ranking: Monte Carlo uncertainty and variance-based sensitivity.

    from wfscore.analysis.sensitivity import Uncertainty, analyse
    rob = analyse(year, samples=10_000, seed=0)            # every input varies
    rob.table      # per department: nominal rank, median and 5–95% rank, P(top 10), P(excellent), largest shift
    rob.indices    # per uncertain input: first- and total-order index with bootstrap intervals
    analyse(year, uncertainty=Uncertainty(security_indicators=("18", "19", "20")))  # 2011's disputed scope

The uncertain inputs are described in :mod:`wfscore.analysis.uncertainty`; the samples are
scored by :mod:`wfscore.engine.batch`, in chunks of at most ``chunk_size`` samples, with
no Python loop per sample. The samples follow a Saltelli design (N base rows,
N·(k + 2) scored samples for k uncertain inputs; :mod:`wfscore.analysis.sobol`), and every
scored sample is a draw from the input distribution, so all of them feed the rank
statistics. The sensitivity indices explain the mean absolute rank shift: the
average over departments of |sample rank − nominal rank|.

Chunks are independent: each draws its random numbers from its own child of
``np.random.SeedSequence(seed)``, so the result depends only on the inputs, the
seed, ``samples`` and ``chunk_size``, not on where the chunks run (locally, or on
a ``dask.distributed`` cluster through ``client``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.engine.batch import BatchModel
from wfscore.inputs.loading import YearData
from wfscore.engine.pipeline import score
from wfscore.inputs.scheme import Scheme
from wfscore.inputs.wording import bar_words
from wfscore.analysis.sobol import indices as sobol_indices, saltelli_rows, split_outputs
from wfscore.analysis.uncertainty import Draws, InputSpace, Uncertainty

__all__ = ["Uncertainty", "Robustness", "analyse"]

LONG_RUN = 200_000  # samples from which a progress bar is shown by default


@dataclass(frozen=True)
class ChunkPlan:
    """One independent piece of work: N base rows of the Saltelli design, or plain rows."""

    index: int
    kind: str  # "saltelli" or "plain"
    rows: int  # base rows (saltelli) or samples (plain)
    seed: np.random.SeedSequence

    def samples(self, k: int) -> int:
        return self.rows * (k + 2) if self.kind == "saltelli" else self.rows


@dataclass(frozen=True, eq=False)
class Job:
    """What every chunk shares; sent once to each Dask worker."""

    space: InputSpace
    model: BatchModel
    nominal_rank: np.ndarray
    keep: bool


@dataclass(frozen=True, eq=False)
class ChunkResult:
    index: int
    histogram: np.ndarray  # (D, D) counts of department d at rank r + 1
    excellent: np.ndarray  # (D,) samples in which each department is excellent
    shift: np.ndarray  # (samples,) mean absolute rank shift, in the plan's row order
    uniform: np.ndarray | None = None
    totals: np.ndarray | None = None
    ranks: np.ndarray | None = None
    excellent_rows: np.ndarray | None = None


def run_chunk(plan: ChunkPlan, job: Job) -> ChunkResult:
    """Draw and score one chunk. Module-level, so Dask can send it to a worker."""
    space = job.space
    rng = np.random.default_rng(plan.seed)
    if plan.kind == "saltelli":
        a = rng.random((plan.rows, space.dims))
        b = rng.random((plan.rows, space.dims))
        uniform = saltelli_rows(a, b, [f.columns for f in space.factors])
    else:
        uniform = rng.random((plan.rows, space.dims))
    totals, ranks, best = job.model.outcome(space.draw(uniform))
    d = ranks.shape[1]
    histogram = np.bincount((np.arange(d) * d + (ranks - 1)).ravel(), minlength=d * d).reshape(d, d)
    shift = np.abs(ranks - job.nominal_rank).mean(axis=1)
    excellent = best.sum(axis=0) if best is not None else np.zeros(d, dtype=np.int64)
    if not job.keep:
        return ChunkResult(plan.index, histogram, excellent, shift)
    return ChunkResult(plan.index, histogram, excellent, shift, uniform, totals, ranks, best)


@dataclass(frozen=True, eq=False)
class Robustness:
    """The outcome of :func:`analyse`.

    ``table``: one row per department in nominal rank order. ``indices``: one row per
    uncertain input. ``shift``: the mean absolute rank shift of every sample. With
    ``keep_samples=True``, ``uniform``/``draws`` (the drawn inputs), ``totals``,
    ``ranks`` and ``excellent`` of every sample, in the same row order as ``shift``;
    :meth:`scheme_of` turns a row into a scheme for :func:`wfscore.score`.
    """

    table: pd.DataFrame
    indices: pd.DataFrame
    shift: np.ndarray
    space: InputSpace
    samples: int
    base_rows: int
    seed: int
    chunk_size: int
    seconds: float
    synthetic: bool
    top: int
    draws: Draws | None = None
    uniform: np.ndarray | None = None
    totals: np.ndarray | None = None
    ranks: np.ndarray | None = None
    excellent: np.ndarray | None = None
    settings: dict = field(default_factory=dict)

    def scheme_of(self, row: int) -> Scheme:
        if self.draws is None:
            raise ValueError("the samples were not kept: call analyse(..., keep_samples=True)")
        return self.space.scheme_of(self.draws, row)

    def movers(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` departments whose rank moves most: widest 5–95% interval, then
        largest shift seen, then nominal rank."""
        t = self.table.assign(_width=self.table["rank_p95"] - self.table["rank_p05"])
        t = t.sort_values(["_width", "max_shift", "nominal_rank"], ascending=[False, False, True],
                          kind="stable")
        return t.drop(columns="_width").head(n).reset_index(drop=True)


def plan_chunks(samples: int, k: int, chunk_size: int, seed: int) -> tuple[list[ChunkPlan], int, np.random.SeedSequence]:
    """The chunks of a run, the Saltelli base size N, and the bootstrap's seed."""
    if k == 0:
        base = 0
    else:
        base = samples // (k + 2)
        if base < 2:
            raise ValueError(f"samples is {samples}, too few for {k} uncertain inputs (expected at least "
                             f"{2 * (k + 2)}: the Saltelli design scores k + 2 samples per base row, and "
                             "needs 2 base rows)")
    rest = samples - base * (k + 2)
    per_chunk = max(1, chunk_size // (k + 2)) if k else chunk_size
    pieces = [("saltelli", min(per_chunk, base - s)) for s in range(0, base, per_chunk)]
    pieces += [("plain", min(chunk_size, rest - s)) for s in range(0, rest, chunk_size)]
    root = np.random.SeedSequence(seed)
    seeds = root.spawn(len(pieces) + 1)
    plans = [ChunkPlan(n, kind, rows, seeds[n]) for n, (kind, rows) in enumerate(pieces)]
    return plans, base, seeds[-1]


def analyse(data: YearData, scheme: Scheme | None = None, uncertainty: Uncertainty | None = None,
            samples: int = 10_000, seed: int = 0, *, per_weight: bool = False, chunk_size: int = 2000,
            client=None, progress: bool | None = None, keep_samples: bool = False,
            resamples: int = 1000, level: float = 0.95, top: int = 10) -> Robustness:
    """Monte Carlo over the uncertain inputs around ``scheme`` (default: the year's own).

    ``samples`` is the number of scored samples. ``per_weight`` gives every weight and
    every category's points its own sensitivity index. ``client``: a
    ``dask.distributed.Client`` to run the chunks on. ``resamples`` and ``level``:
    the bootstrap of the index intervals. ``top``: the P(top n) column.
    """
    start = time.perf_counter()
    if samples < 1 or chunk_size < 1:
        raise ValueError(f"samples and chunk_size must be positive (got {samples} and {chunk_size})")
    scheme = scheme or data.scheme
    uncertainty = uncertainty or Uncertainty()
    nominal = score(data, scheme)
    space = InputSpace.of(scheme, uncertainty, per_weight=per_weight)
    k = len(space.factors)
    plans, base, boot_seed = plan_chunks(samples, k, chunk_size, seed)
    job = Job(space, BatchModel.of(data, space), nominal.rank, keep_samples)
    with single_threaded_blas():
        results = _run(plans, job, client, k, progress, samples)
        found = _sobol(plans, results, k, boot_seed, resamples, level)
    kept = {}
    if keep_samples:
        uniform = np.concatenate([r.uniform for r in results])
        kept = dict(uniform=uniform, draws=space.draw(uniform),
                    totals=np.concatenate([r.totals for r in results]),
                    ranks=np.concatenate([r.ranks for r in results]),
                    excellent=(np.concatenate([r.excellent_rows for r in results])
                               if nominal.excellent is not None else None))
    return Robustness(
        table=_department_table(nominal, sum(r.histogram for r in results),
                                sum(r.excellent for r in results), samples, top),
        indices=_indices_table(space, found),
        shift=np.concatenate([r.shift for r in results]), space=space, samples=samples,
        base_rows=base, seed=seed, chunk_size=chunk_size, seconds=time.perf_counter() - start,
        synthetic=data.synthetic, top=top,
        settings={"uncertainty": uncertainty, "per_weight": per_weight, "resamples": resamples,
                  "level": level},
        **kept,
    )


def single_threaded_blas():
    """A context in which BLAS uses one thread. The matrix products here are small
    (samples × indicators @ indicators × departments): BLAS threads cost more than
    they save, and on a busy machine their spinning made runs several times slower."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _sobol(plans: list[ChunkPlan], results: list["ChunkResult"], k: int, seed: np.random.SeedSequence,
           resamples: int, level: float) -> dict[str, np.ndarray]:
    """The indices from the Saltelli chunks' outputs, gathered in chunk order."""
    if k == 0:
        return {name: np.empty(0) for name in ("first", "first_low", "first_high", "total",
                                                "total_low", "total_high")}
    parts = [split_outputs(r.shift, plan.rows, k) for plan, r in zip(plans, results)
             if plan.kind == "saltelli"]
    y_a, y_b, y_ab = (np.concatenate(p, axis=-1) for p in zip(*parts))
    return sobol_indices(y_a, y_b, y_ab, np.random.default_rng(seed), resamples=resamples, level=level)


def _run(plans: list[ChunkPlan], job: Job, client, k: int, progress: bool | None,
         samples: int) -> list[ChunkResult]:
    from tqdm import tqdm

    # True: always; False: never; None: for long runs, on a terminal (tqdm's disable=None)
    disable = {True: False, False: True}.get(progress, None if samples >= LONG_RUN else True)
    bar = tqdm(total=samples, disable=disable, file=sys.stderr, **bar_words("robustness"))
    try:
        if client is None:
            results = []
            for plan in plans:
                results.append(run_chunk(plan, job))
                bar.update(plan.samples(k))
            return results
        from dask.distributed import as_completed

        shared = client.scatter(job, broadcast=True)
        futures = [client.submit(run_chunk, plan, shared, pure=False) for plan in plans]
        size = {f.key: plan.samples(k) for f, plan in zip(futures, plans)}
        for done in as_completed(futures):
            bar.update(size[done.key])
        return sorted(client.gather(futures), key=lambda r: r.index)
    finally:
        bar.close()


def _quantile(histogram: np.ndarray, q: float) -> np.ndarray:
    """The q-quantile of each row's rank distribution, as numpy's ``inverted_cdf``:
    the smallest rank whose cumulative count reaches q × n (always a whole rank)."""
    cumulative = np.cumsum(histogram, axis=1)
    n = cumulative[:, -1:]
    target = np.maximum(np.ceil(np.round(q * n, 9)), 1)
    return (cumulative < target).sum(axis=1) + 1


def _department_table(nominal, histogram: np.ndarray, excellent: np.ndarray, samples: int,
                      top: int) -> pd.DataFrame:
    d = histogram.shape[0]
    ranks = np.arange(1, d + 1)
    seen = histogram > 0
    best = np.where(seen, ranks, d + 1).min(axis=1)
    worst = np.where(seen, ranks, 0).max(axis=1)
    frame = nominal.data.departments[["dept_id", "name", "kind"]].copy()
    frame["nominal_total"] = nominal.total
    frame["nominal_rank"] = nominal.rank
    frame["median_rank"] = _quantile(histogram, 0.5)
    frame["rank_p05"] = _quantile(histogram, 0.05)
    frame["rank_p95"] = _quantile(histogram, 0.95)
    frame["best_rank"] = best
    frame["worst_rank"] = worst
    frame["max_shift"] = np.maximum(nominal.rank - best, worst - nominal.rank)
    frame[f"p_top{top}"] = histogram[:, :top].sum(axis=1) / samples
    if nominal.excellent is not None:
        frame["nominal_excellent"] = nominal.excellent
        frame["p_excellent"] = excellent / samples
    return frame.iloc[nominal.order].reset_index(drop=True)


def _indices_table(space: InputSpace, found: dict[str, np.ndarray]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "input": [f.key for f in space.factors],
        "name": [f.name for f in space.factors],
        "name_en": [f.name_en for f in space.factors],
    })
    for column in ("first", "first_low", "first_high", "total", "total_low", "total_high"):
        frame[column] = np.asarray(found[column], dtype=float)
    return frame


# The words of ``wfscore sensitivity``'s printed tables.
TEXT = {
    "zh": {"dept_id": "部门编号", "name": "部门", "nominal_rank": "名义名次", "median_rank": "名次中位数",
           "interval": "5–95%区间", "max_shift": "最大变动", "p_top": "前{top}名概率",
           "p_excellent": "优秀概率", "input": "不确定输入", "first": "一阶指数", "total": "总效应指数",
           "movers": "名次变动最大的 {n} 个部门（按 5–95% 区间宽度）",
           "indices": "敏感性指数（平均名次变动绝对值，{level:.0%} 置信区间）",
           "summary": "{samples} 个样本（Saltelli 基样本 {base} 个，{k} 个不确定输入），用时 {seconds:.2f} 秒"},
    "en": {"dept_id": "dept_id", "name": "Department", "nominal_rank": "Nominal", "median_rank": "Median",
           "interval": "5–95%", "max_shift": "Max shift", "p_top": "P(top {top})",
           "p_excellent": "P(excellent)", "input": "Uncertain input", "first": "First order",
           "total": "Total order", "movers": "The {n} departments whose rank moves most (widest 5–95% interval)",
           "indices": "Sensitivity indices (mean absolute rank shift, {level:.0%} intervals)",
           "summary": "{samples} samples (Saltelli base {base}, {k} uncertain inputs) in {seconds:.2f} s"},
}
