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
average over departments of ``|sample rank − nominal rank|``.

Chunks are independent: each draws its random numbers from its own child of
``np.random.SeedSequence(seed)``, so the result depends only on the inputs, the
seed, ``samples`` and ``chunk_size``, not on where the chunks run (locally, or on
a ``dask.distributed`` cluster through ``client``).

Memory is bounded by ``memory`` (bytes, default :data:`MEMORY`), planned before
anything is scored (:func:`plan_memory`): a chunk is scored a few samples at a time,
the samples' ranks are not kept but counted per department
(:mod:`wfscore.analysis.rank_tally`): every rank's count when departments² counts
fit, else two passes over the same samples (the second one finds the exact
quantiles inside the bin the first found). A run that cannot fit even so is refused
up front, naming the memory it needs.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfscore.analysis.rank_tally import RankTally, bins_for, tally_bytes
from wfscore.analysis.sobol import indices as sobol_indices, saltelli_rows, split_outputs
from wfscore.analysis.uncertainty import Draws, InputSpace, Uncertainty
from wfscore.engine.batch import BatchModel
from wfscore.engine.pipeline import score
from wfscore.inputs.loading import YearData
from wfscore.inputs.scheme import Scheme
from wfscore.inputs.wording import bar_words

__all__ = ["Uncertainty", "Robustness", "analyse"]

LONG_RUN = 200_000  # samples from which a progress bar is shown by default
MEMORY = 1_000_000_000  # bytes the analysis's own arrays may take by default (1 GB: safe on an 8 GB office PC)
ROW_BYTES = 160  # bytes per department of one sample being scored (totals, ticks, the sort, ranks, shifts)
ONE_PASS = 0.5  # the share of the memory left that departments² rank counts may take (else two passes)
SOBOL_BYTES = 64_000_000  # the bootstrap of the indices (sobol.indices' blocks) and other small arrays


@dataclass(frozen=True)
class ChunkPlan:
    """One independent piece of work: N base rows of the Saltelli design, or plain rows."""

    index: int
    kind: str  # "saltelli" or "plain"
    rows: int  # base rows (saltelli) or samples (plain)
    seed: np.random.SeedSequence

    def samples(self, k: int) -> int:
        return self.rows * (k + 2) if self.kind == "saltelli" else self.rows


@dataclass(frozen=True)
class MemoryPlan:
    """How a run stays within its memory: the rank counts' bins (every rank its own:
    one pass) and the samples scored at a time."""

    bins: int
    rows: int
    passes: int
    needed: int  # bytes of the analysis's own arrays at their largest


def _gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB"


def plan_memory(
    departments: int,
    indicators: int,
    combinations: int,
    dims: int,
    samples: int,
    chunk_size: int,
    memory: float,
    keep: bool = False,
) -> MemoryPlan:
    """The plan of a run within ``memory`` bytes, or a ValueError naming what it would need."""
    d = departments
    model_kept, model_built = BatchModel.bytes_of(d, indicators, combinations)
    other = SOBOL_BYTES + samples * 16 + chunk_size * (3 * dims + indicators) * 8 + d * 40 * 8
    kept = samples * (d * 17 + (dims + indicators) * 8) if keep else 0
    row = max(d, 1) * ROW_BYTES
    least = bins_for(d, 0)  # the two passes' bins: the fewest counts
    needed = other + kept + max(model_built, model_kept + tally_bytes(d, least) + row)
    if needed > memory:
        if keep and kept > memory - (needed - kept):
            fit = max(0, int((memory - (needed - kept)) // (d * 17 + (dims + indicators) * 8)))
            raise ValueError(
                f"keeping all {samples} samples of {d} departments needs about {_gb(needed)} of "
                f"memory, more than the {_gb(memory)} allowed (expected at most {fit} samples "
                f"kept, the samples not kept, or more memory allowed)"
            )
        raise ValueError(
            f"the robustness analysis of {d} departments needs about {_gb(needed)} of memory, "
            f"more than the {_gb(memory)} allowed (expected more memory allowed, "
            "--memory on the command line, or fewer rule readings varied, --fix ratings or "
            "--fix index_base: each multiplies the scores kept)"
        )
    left = memory - other - kept - model_kept
    bins = d if tally_bytes(d, d) <= left * ONE_PASS else least
    counts = tally_bytes(d, bins)
    rows = int(min(max(chunk_size, 1), max(1, (left - counts) // row)))
    passes = 1 if bins >= d else 2
    return MemoryPlan(
        bins=max(bins, 1),
        rows=rows,
        passes=passes,
        needed=other + kept + max(model_built, model_kept + counts + rows * row),
    )


@dataclass(frozen=True, eq=False)
class Job:
    """What every chunk shares; sent once to each Dask worker."""

    space: InputSpace
    model: BatchModel
    nominal_rank: np.ndarray
    keep: bool
    samples: int = 0
    top: int = 10
    bins: int = 0  # rank bins of the counts (departments: every rank its own)
    rows: int = 2000  # samples scored at a time

    def tally(self) -> RankTally:
        d = len(self.nominal_rank)
        return RankTally(d, self.samples, self.bins or d, self.top)


@dataclass(frozen=True, eq=False)
class ChunkResult:
    index: int
    tally: RankTally | None  # the chunk's own rank counts (None: counted into the caller's tally)
    excellent: np.ndarray | None  # (D,) samples in which each department is excellent
    shift: np.ndarray | None  # (samples,) mean absolute rank shift, in the plan's row order
    uniform: np.ndarray | None = None
    totals: np.ndarray | None = None
    ranks: np.ndarray | None = None
    excellent_rows: np.ndarray | None = None


def run_chunk(plan: ChunkPlan, job: Job, tally: RankTally | None = None, fresh: bool = False) -> ChunkResult:
    """Draw and score one chunk, ``job.rows`` samples at a time, counting the ranks
    into ``tally`` (None: a new one, returned with the result; ``fresh``: into an empty
    copy of it, returned too). A tally in its second pass only counts the ranks again.
    Module-level, so Dask can send it to a worker."""
    space = job.space
    rng = np.random.default_rng(plan.seed)
    if plan.kind == "saltelli":
        a = rng.random((plan.rows, space.dims))
        b = rng.random((plan.rows, space.dims))
        uniform = saltelli_rows(a, b, [f.columns for f in space.factors])
    else:
        uniform = rng.random((plan.rows, space.dims))
    own = tally is None or fresh
    tally = job.tally() if tally is None else tally.fresh() if fresh else tally
    draws = space.draw(uniform)
    d, n = len(job.nominal_rank), len(uniform)
    refining = tally.refining
    shift = np.empty(n)
    excellent = np.zeros(d, dtype=np.int64)
    kept = []
    step = max(1, job.rows)
    # scored a few at a time: samples of one combination of rule readings together, so that
    # each block's matrix products read the combination's scores once for all its samples
    order = np.arange(n) if step >= n else np.argsort(job.model.group_of(draws), kind="stable")
    for s in range(0, n, step):
        rows = order[s : s + step]
        part = Draws(weight=draws.weight[rows], choice={key: c[rows] for key, c in draws.choice.items()})
        totals, ranks, best = job.model.outcome(part)
        if refining:
            tally.refine(ranks)
            continue
        tally.add(ranks)
        shift[rows] = np.abs(ranks - job.nominal_rank).mean(axis=1)
        if best is not None:
            excellent += best.sum(axis=0)
        if job.keep:
            kept.append((rows, totals, ranks, best))
        del totals, ranks, best
    mine = tally if own else None
    if refining:
        return ChunkResult(plan.index, mine, None, None)
    if not job.keep:
        return ChunkResult(plan.index, mine, excellent, shift)
    back = np.argsort(np.concatenate([k[0] for k in kept]))  # the plan's row order again
    totals, ranks = (np.concatenate([k[i] for k in kept])[back] for i in (1, 2))
    best = None if kept[0][3] is None else np.concatenate([k[3] for k in kept])[back]
    return ChunkResult(plan.index, mine, excellent, shift, uniform, totals, ranks, best)


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
        t = t.sort_values(["_width", "max_shift", "nominal_rank"], ascending=[False, False, True], kind="stable")
        return t.drop(columns="_width").head(n).reset_index(drop=True)


def plan_chunks(
    samples: int, k: int, chunk_size: int, seed: int
) -> tuple[list[ChunkPlan], int, np.random.SeedSequence]:
    """The chunks of a run, the Saltelli base size N, and the bootstrap's seed."""
    if k == 0:
        base = 0
    else:
        base = samples // (k + 2)
        if base < 2:
            raise ValueError(
                f"samples is {samples}, too few for {k} uncertain inputs (expected at least "
                f"{2 * (k + 2)}: the Saltelli design scores k + 2 samples per base row, and "
                "needs 2 base rows)"
            )
    rest = samples - base * (k + 2)
    per_chunk = max(1, chunk_size // (k + 2)) if k else chunk_size
    pieces = [("saltelli", min(per_chunk, base - s)) for s in range(0, base, per_chunk)]
    pieces += [("plain", min(chunk_size, rest - s)) for s in range(0, rest, chunk_size)]
    root = np.random.SeedSequence(seed)
    seeds = root.spawn(len(pieces) + 1)
    plans = [ChunkPlan(n, kind, rows, seeds[n]) for n, (kind, rows) in enumerate(pieces)]
    return plans, base, seeds[-1]


def analyse(
    data: YearData,
    scheme: Scheme | None = None,
    uncertainty: Uncertainty | None = None,
    samples: int = 10_000,
    seed: int = 0,
    *,
    per_weight: bool = False,
    chunk_size: int = 2000,
    client=None,
    progress: bool | None = None,
    keep_samples: bool = False,
    resamples: int = 1000,
    level: float = 0.95,
    top: int = 10,
    memory: float | None = None,
) -> Robustness:
    """Monte Carlo over the uncertain inputs around ``scheme`` (default: the year's own).

    ``samples`` is the number of scored samples. ``per_weight`` gives every weight and
    every category's points its own sensitivity index. ``client``: a
    ``dask.distributed.Client`` to run the chunks on. ``resamples`` and ``level``:
    the bootstrap of the index intervals. ``top``: the P(top n) column. ``memory``:
    the bytes the analysis's own arrays may take (default :data:`MEMORY`; the loaded
    year and Python come on top); a run that cannot fit is refused before it starts.
    """
    start = time.perf_counter()
    if samples < 1 or chunk_size < 1:
        raise ValueError(f"samples and chunk_size must be positive (got {samples} and {chunk_size})")
    memory = MEMORY if memory is None else memory
    if not (isinstance(memory, (int, float)) and math.isfinite(memory) and memory > 0):
        raise ValueError(f"memory is {memory!r} (expected a positive number of bytes, such as 1e9)")
    scheme = scheme or data.scheme
    uncertainty = uncertainty or Uncertainty()
    space = InputSpace.of(scheme, uncertainty, per_weight=per_weight)
    k = len(space.factors)
    plans, base, boot_seed = plan_chunks(samples, k, chunk_size, seed)
    options = space.options
    budget = plan_memory(
        len(data.dept_ids),
        len(space.arrays.indicator_ids),
        len(options["ratings"]) * len(options["index_base"]) * len(options["security_scope"]),
        space.dims,
        samples,
        chunk_size,
        memory,
        keep_samples,
    )
    nominal = score(data, scheme)
    job = Job(
        space,
        BatchModel.of(data, space),
        nominal.rank,
        keep_samples,
        samples=samples,
        top=top,
        bins=budget.bins,
        rows=budget.rows,
    )
    with single_threaded_blas():
        results, tally = _run(plans, job, client, k, progress, samples)
        found = _sobol(plans, results, k, boot_seed, resamples, level)
    kept = {}
    if keep_samples:
        uniform = np.concatenate([r.uniform for r in results])
        kept = dict(
            uniform=uniform,
            draws=space.draw(uniform),
            totals=np.concatenate([r.totals for r in results]),
            ranks=np.concatenate([r.ranks for r in results]),
            excellent=(np.concatenate([r.excellent_rows for r in results]) if nominal.excellent is not None else None),
        )
    return Robustness(
        table=_department_table(nominal, tally, sum(r.excellent for r in results), samples, top),
        indices=_indices_table(space, found),
        shift=np.concatenate([r.shift for r in results]),
        space=space,
        samples=samples,
        base_rows=base,
        seed=seed,
        chunk_size=chunk_size,
        seconds=time.perf_counter() - start,
        synthetic=data.synthetic,
        top=top,
        settings={
            "uncertainty": uncertainty,
            "per_weight": per_weight,
            "resamples": resamples,
            "level": level,
            "memory": memory,
            "passes": tally.passes,
            "rows": budget.rows,
            "needed": budget.needed,
        },
        **kept,
    )


def single_threaded_blas():
    """A context in which BLAS uses one thread. The matrix products here are small
    (samples × indicators @ indicators × departments): BLAS threads cost more than
    they save, and on a busy machine their spinning made runs several times slower."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _sobol(
    plans: list[ChunkPlan],
    results: list["ChunkResult"],
    k: int,
    seed: np.random.SeedSequence,
    resamples: int,
    level: float,
) -> dict[str, np.ndarray]:
    """The indices from the Saltelli chunks' outputs, gathered in chunk order."""
    if k == 0:
        return {name: np.empty(0) for name in ("first", "first_low", "first_high", "total", "total_low", "total_high")}
    parts = [split_outputs(r.shift, plan.rows, k) for plan, r in zip(plans, results) if plan.kind == "saltelli"]
    y_a, y_b, y_ab = (np.concatenate(p, axis=-1) for p in zip(*parts))
    return sobol_indices(y_a, y_b, y_ab, np.random.default_rng(seed), resamples=resamples, level=level)


def _run(
    plans: list[ChunkPlan], job: Job, client, k: int, progress: bool | None, samples: int
) -> tuple[list[ChunkResult], RankTally]:
    """Every chunk's result in plan order, and the ranks' counts over all of them
    (a second pass over the same chunks when the counts are binned)."""
    from tqdm import tqdm

    tally = job.tally()
    # True: always; False: never; None: for long runs, on a terminal (tqdm's disable=None)
    disable = {True: False, False: True}.get(progress, None if samples >= LONG_RUN else True)
    bar = tqdm(total=samples * tally.passes, disable=disable, file=sys.stderr, **bar_words("robustness"))
    try:
        if client is None:
            results = []
            for plan in plans:
                results.append(run_chunk(plan, job, tally))
                bar.update(plan.samples(k))
            if tally.passes > 1:
                tally.start_refine()
                for plan in plans:
                    run_chunk(plan, job, tally)
                    bar.update(plan.samples(k))
            return results, tally
        from dask.distributed import as_completed

        shared = client.scatter(job, broadcast=True)

        def each(template: RankTally | None) -> list[ChunkResult]:
            futures = [
                client.submit(run_chunk, plan, shared, template, template is not None, pure=False) for plan in plans
            ]
            size = {f.key: plan.samples(k) for f, plan in zip(futures, plans)}
            done = []
            for future in as_completed(futures):
                result = future.result()
                tally.merge(result.tally)  # added as they come: one chunk's counts at a time
                done.append(dataclasses.replace(result, tally=None))
                bar.update(size[future.key])
                future.release()
            return sorted(done, key=lambda r: r.index)

        results = each(None)
        if tally.passes > 1:
            tally.start_refine()
            each(tally.fresh())
        return results, tally
    finally:
        bar.close()


def _department_table(nominal, tally: RankTally, excellent: np.ndarray, samples: int, top: int) -> pd.DataFrame:
    best, worst = tally.best, tally.worst
    frame = nominal.data.departments[["dept_id", "name", "kind"]].copy()
    frame["nominal_total"] = nominal.total
    frame["nominal_rank"] = nominal.rank
    frame["median_rank"] = tally.quantile(1)
    frame["rank_p05"] = tally.quantile(0)
    frame["rank_p95"] = tally.quantile(2)
    frame["best_rank"] = best
    frame["worst_rank"] = worst
    frame["max_shift"] = np.maximum(nominal.rank - best, worst - nominal.rank)
    frame[f"p_top{top}"] = tally.in_top / samples
    if nominal.excellent is not None:
        frame["nominal_excellent"] = nominal.excellent
        frame["p_excellent"] = excellent / samples
    return frame.iloc[nominal.order].reset_index(drop=True)


def _indices_table(space: InputSpace, found: dict[str, np.ndarray]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "input": [f.key for f in space.factors],
            "name": [f.name for f in space.factors],
            "name_en": [f.name_en for f in space.factors],
        }
    )
    for column in ("first", "first_low", "first_high", "total", "total_low", "total_high"):
        frame[column] = np.asarray(found[column], dtype=float)
    return frame


# The words of ``wfscore sensitivity``'s printed tables.
TEXT = {
    "zh": {
        "dept_id": "部门编号",
        "name": "部门",
        "nominal_rank": "名义名次",
        "median_rank": "名次中位数",
        "interval": "5–95%区间",
        "max_shift": "最大变动",
        "p_top": "前{top}名概率",
        "p_excellent": "优秀概率",
        "input": "不确定输入",
        "first": "一阶指数",
        "total": "总效应指数",
        "movers": "名次变动最大的 {n} 个部门（按 5–95% 区间宽度）",
        "indices": "敏感性指数（平均名次变动绝对值，{level:.0%} 置信区间）",
        "summary": "{samples} 个样本（Saltelli 基样本 {base} 个，{k} 个不确定输入），用时 {seconds:.2f} 秒",
    },
    "en": {
        "dept_id": "dept_id",
        "name": "Department",
        "nominal_rank": "Nominal",
        "median_rank": "Median",
        "interval": "5–95%",
        "max_shift": "Max shift",
        "p_top": "P(top {top})",
        "p_excellent": "P(excellent)",
        "input": "Uncertain input",
        "first": "First order",
        "total": "Total order",
        "movers": "The {n} departments whose rank moves most (widest 5–95% interval)",
        "indices": "Sensitivity indices (mean absolute rank shift, {level:.0%} intervals)",
        "summary": "{samples} samples (Saltelli base {base}, {k} uncertain inputs) in {seconds:.2f} s",
    },
}
