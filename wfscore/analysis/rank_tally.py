"""Rank statistics per department over many samples, counted as the samples stream by.

Pure maths, no checks. The samples' ranks come a block of rows at a time (one row
per sample, one column per department) and are not kept. What is kept is a count of
ranks per department, from which the quantiles follow exactly as numpy's
``inverted_cdf`` gives them (the smallest rank whose cumulative count reaches q × n):

* when a (departments × departments) count matrix fits in the memory allowed, one
  pass: the count of every rank (``bins`` = departments, bins one rank wide);
* otherwise two passes over the same samples (drawn again from the same seeds): the
  first counts ranks in ``bins`` bins of ``width`` ranks each and so finds, for each
  department and quantile, the bin that holds the quantile and the count below it;
  the second counts the ranks inside that one bin only. Memory is
  departments × (bins + quantiles × width) counts instead of departments².

Best and worst rank and the count of samples within the top ``top`` are kept exactly
in the first pass. Tallies of disjoint sets of samples add up (:meth:`RankTally.merge`),
so chunks can be counted apart (on Dask workers) and summed.
"""

from __future__ import annotations

import math

import numpy as np

QUANTILES = (0.05, 0.5, 0.95)
CELLS = 1 << 21  # counts per np.bincount call (16 MB of int64): departments are counted a block at a time


def bins_for(departments: int, memory: float, itemsize: int = 4, quantiles: int = len(QUANTILES)) -> int:
    """The number of rank bins: every rank its own (one pass) when departments² counts
    fit in ``memory`` bytes, else about √(quantiles × departments), which makes the
    two passes' counts (departments × (bins + quantiles × width)) smallest."""
    if departments * departments * itemsize <= memory:
        return max(departments, 1)
    return max(1, min(departments, math.ceil(math.sqrt(quantiles * departments))))


def tally_bytes(departments: int, bins: int, itemsize: int = 4, quantiles: int = len(QUANTILES)) -> int:
    """Bytes of a :class:`RankTally`'s counts at their largest (the second pass), with
    the counting's own scratch space."""
    bins = max(1, min(bins, departments))
    width = math.ceil(departments / bins) if departments else 1
    fine = quantiles * departments * width if width > 1 else 0
    return (departments * bins + fine) * itemsize + departments * (3 + 2 * quantiles) * 8 + 2 * CELLS * 8


def target(q: float, n: int) -> int:
    """The count the q-quantile's cumulative count must reach (``inverted_cdf``)."""
    return max(int(np.ceil(np.round(q * n, 9))), 1)


def _count(counts: np.ndarray, cell: np.ndarray, inside: np.ndarray | None = None) -> None:
    """counts[d, cell[s, d]] += 1 for every sample s (where ``inside``).

    A department's cells over a block of samples lie close together (its ranks move
    little from sample to sample), so each department's span lo..hi is counted with one
    np.bincount over the spans laid end to end (work and scratch ~ samples × departments
    + the spans, not departments × bins), then added where the spans belong; the spans
    are taken at most ``CELLS`` counts at a time."""
    d, m = counts.shape
    if cell.size == 0 or d == 0:
        return
    if inside is None:
        lo, hi = cell.min(axis=0), cell.max(axis=0)
    else:
        lo = np.where(inside, cell, m).min(axis=0)
        hi = np.where(inside, cell, -1).max(axis=0)
    span = np.maximum(hi - lo + 1, 0)
    ends = np.cumsum(span)
    flat = counts.reshape(-1)
    first = 0
    while first < d:
        before = int(ends[first - 1]) if first else 0
        stop = max(first + 1, int(np.searchsorted(ends, before + CELLS, side="right")))
        part = slice(first, stop)
        offset = ends[part] - span[part] - before  # where each department's span starts
        local = cell[:, part] - lo[part] + offset
        if inside is not None:
            local = local[inside[:, part]]
        total = int(ends[stop - 1]) - before
        found = np.bincount(local.reshape(-1), minlength=total)
        where = np.repeat(np.arange(first, stop, dtype=np.int64) * m + lo[part] - offset, span[part])
        flat[where + np.arange(total)] += found.astype(counts.dtype, copy=False)  # each cell once
        first = stop


class RankTally:
    """Counts of the ranks (1..departments) of each department over a stream of samples."""

    def __init__(self, departments: int, samples: int, bins: int, top: int, quantiles: tuple[float, ...] = QUANTILES):
        self.departments, self.samples, self.top = departments, samples, top
        self.quantiles = quantiles
        self.bins = max(1, min(bins, departments))
        self.width = math.ceil(departments / self.bins) if departments else 1
        self.dtype = np.int32 if samples < 2**31 else np.int64
        self.coarse = np.zeros((departments, self.bins), dtype=self.dtype)
        self.best = np.full(departments, departments + 1, dtype=np.int64)
        self.worst = np.zeros(departments, dtype=np.int64)
        self.in_top = np.zeros(departments, dtype=np.int64)
        self.seen = 0
        self._start = self._below = self._fine = None

    @property
    def passes(self) -> int:
        return 1 if self.width == 1 else 2

    @property
    def refining(self) -> bool:
        """True once :meth:`start_refine` ran: the samples now go to :meth:`refine`."""
        return self._fine is not None

    def fresh(self) -> "RankTally":
        """An empty tally of the same shape, in the same pass (for one chunk of samples)."""
        other = RankTally(self.departments, self.samples, self.bins, self.top, self.quantiles)
        if self._start is not None:
            other._start, other._below = self._start, self._below
            if self.width > 1:
                other._fine = np.zeros_like(self._fine)
            other.coarse = None  # the first pass is over: only the fine counts are made
        return other

    def merge(self, other: "RankTally") -> None:
        """Add the counts of ``other``, a tally of other samples (from :meth:`fresh`)."""
        if other._fine is not None:
            self._fine += other._fine
            return
        self.coarse += other.coarse
        np.minimum(self.best, other.best, out=self.best)
        np.maximum(self.worst, other.worst, out=self.worst)
        self.in_top += other.in_top
        self.seen += other.seen

    def add(self, ranks: np.ndarray) -> None:
        """First pass: one block of samples' ranks (samples × departments)."""
        if len(ranks) == 0:
            return
        ranks = np.asarray(ranks, dtype=np.int64)
        _count(self.coarse, (ranks - 1) // self.width if self.width > 1 else ranks - 1)
        np.minimum(self.best, ranks.min(axis=0), out=self.best)
        np.maximum(self.worst, ranks.max(axis=0), out=self.worst)
        self.in_top += (ranks <= self.top).sum(axis=0)
        self.seen += len(ranks)

    def start_refine(self) -> None:
        """After the first pass: find each quantile's bin; the second pass counts inside it."""
        d, n = self.departments, self.seen
        starts, below = [], []
        for q in self.quantiles:
            t = target(q, n)
            bin_of = np.empty(d, dtype=np.int64)
            count_below = np.empty(d, dtype=np.int64)
            step = max(1, CELLS // self.bins)  # departments at a time: the cumulative counts stay small
            for s in range(0, d, step):
                cumulative = np.cumsum(self.coarse[s : s + step], axis=1, dtype=np.int64)
                b = (cumulative < t).sum(axis=1)
                bin_of[s : s + step] = b
                count_below[s : s + step] = np.where(
                    b > 0, np.take_along_axis(cumulative, np.maximum(b - 1, 0)[:, None], axis=1)[:, 0], 0
                )
            starts.append(bin_of * self.width)  # ranks before the bin: the bin holds start + 1 ..
            below.append(count_below)
        self._start, self._below = np.array(starts), np.array(below)
        if self.width > 1:
            self._fine = np.zeros((len(self.quantiles), d, self.width), dtype=self.dtype)

    def refine(self, ranks: np.ndarray) -> None:
        """Second pass: the same samples' ranks again, counted inside each quantile's bin
        (nothing to do when the bins are one rank wide)."""
        if self._fine is None:
            return
        ranks = np.asarray(ranks, dtype=np.int64)
        for k in range(len(self.quantiles)):
            offset = ranks - 1 - self._start[k]
            inside = (offset >= 0) & (offset < self.width)
            np.clip(offset, 0, self.width - 1, out=offset)
            _count(self._fine[k], offset, inside)

    def quantile(self, k: int) -> np.ndarray:
        """(departments,) the ``quantiles[k]`` rank of each department."""
        if self._start is None:
            self.start_refine()
        if self.width == 1:
            return self._start[k] + 1
        t = target(self.quantiles[k], self.seen)
        inside = np.empty(self.departments, dtype=np.int64)
        step = max(1, CELLS // self.width)
        for s in range(0, self.departments, step):
            cumulative = self._below[k][s : s + step, None] + np.cumsum(
                self._fine[k][s : s + step], axis=1, dtype=np.int64
            )
            inside[s : s + step] = (cumulative < t).sum(axis=1)
        return self._start[k] + inside + 1
