"""The main-effect estimator of :mod:`wfscore.analysis.coherence`: the first-order index
(Pearson's correlation ratio, adjusted for the fit's degrees of freedom) of a total on each
indicator, E[total | indicator] estimated by level means (an indicator with few distinct
scores) or by a P-spline (Eilers & Marx 1996: cubic B-splines on equal segments, a
second-order difference penalty chosen by generalised cross-validation), with a percentile
bootstrap interval. The coherence module's notes describe the method in full.

::

    from wfscore.analysis.pspline import main_effects
    fit = main_effects(x, y, applicable, resamples=1000, seed=0)
    fit.estimate, fit.low, fit.high, fit.method, fit.status
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wfscore.analysis.sensitivity import single_threaded_blas

MAX_LEVELS = 6  # at most this many distinct scores: conditional means per level
SEGMENTS = 8  # equal segments of the P-spline's range (cubic: SEGMENTS + 3 basis functions)
LAMBDA_GRID = np.logspace(-4, 4, 17)  # GCV grid, in units of trace(X'WX) / trace(D'D)
MIN_DEPARTMENTS = 4  # fewer applicable departments: no correlation, no main effect
MIN_RESIDUAL = 2  # departments beyond the smoother's degrees of freedom needed for an estimate
RIDGE = 1e-9  # relative ridge: keeps empty levels / empty segments of a resample solvable

STATUSES = ("ok", "no_interval", "no_variance", "exempt_everywhere", "too_few", "total_constant")


def bspline_basis(x: np.ndarray, segments: int = SEGMENTS) -> np.ndarray:
    """Cubic B-splines on ``segments`` equal segments of [0, 1] at ``x`` (values in [0, 1]):
    (len(x), segments + 3), rows summing to 1 (Cox–de Boor recursion)."""
    x = np.clip(np.asarray(x, float), 0.0, 1.0)
    degree = 3
    h = 1.0 / segments
    knots = np.arange(-degree, segments + degree + 1) * h  # equally spaced, extended beyond [0, 1]
    # degree 0: indicator of each knot span; x = 1 belongs to the last span inside [0, 1]
    span = np.minimum((x / h).astype(int), segments - 1) + degree
    basis = np.zeros((len(x), len(knots) - 1))
    basis[np.arange(len(x)), span] = 1.0
    for d in range(1, degree + 1):
        left = (x[:, None] - knots[: -d - 1]) / (d * h) * basis[:, :-1]
        right = (knots[d + 1 :] - x[:, None]) / (d * h) * basis[:, 1:]
        basis = left + right
    return basis


def _difference_penalty(p: int, order: int = 2) -> np.ndarray:
    d = np.diff(np.eye(p), n=order, axis=0)
    return d.T @ d


BAND = 4  # a cubic B-spline row has 4 non-zero entries: X'WX has 3 diagonals either side


@dataclass(frozen=True)
class _Design:
    """Every indicator's smoother, padded to a common number of columns."""

    basis: np.ndarray  # (k, n, p), zero on rows where the indicator does not apply
    penalty: np.ndarray  # (k, p, p): D'D for splines, 0 for level means
    method: np.ndarray  # (k,) "levels", "spline" or ""
    status: np.ndarray  # (k,) one of STATUSES


def _designs(x: np.ndarray, y: np.ndarray, applicable: np.ndarray, segments: int, max_levels: int) -> _Design:
    n, k = x.shape
    p = max(segments + 3, max_levels)
    basis = np.zeros((k, n, p))
    penalty = np.zeros((k, p, p))
    method = np.full(k, "", dtype=object)
    status = np.full(k, "ok", dtype=object)
    for i in range(k):
        rows = applicable[:, i]
        values = x[rows, i]
        if rows.sum() == 0:
            status[i] = "exempt_everywhere"
            continue
        if rows.sum() < MIN_DEPARTMENTS:
            status[i] = "too_few"
            continue
        levels = np.unique(values)
        if np.ptp(y[rows]) <= 1e-12 * max(1.0, np.abs(y[rows]).max()):
            status[i] = "total_constant"
            continue
        if len(levels) < 2 or np.ptp(values) <= 1e-12 * max(1.0, np.abs(values).max()):
            status[i] = "no_variance"
            continue
        if len(levels) <= max_levels:
            method[i] = "levels"
            code = np.clip(np.searchsorted(levels, x[:, i]), 0, len(levels) - 1)
            basis[i, np.arange(n), code] = 1.0
        else:
            method[i] = "spline"
            lo, hi = values.min(), values.max()
            basis[i, :, : segments + 3] = bspline_basis((x[:, i] - lo) / (hi - lo), segments)
            penalty[i, : segments + 3, : segments + 3] = _difference_penalty(segments + 3)
        basis[i, ~rows] = 0.0
    return _Design(basis, penalty, method, status)


def _features(basis: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(n, k·q) columns whose case-weighted sums give, per indicator, the band of X'WX,
    X'Wy, and Σw, Σwy, Σwy² (over the rows where the indicator applies): the
    normal equations of every indicator and every resample are one matrix product."""
    k, n, p = basis.shape
    applies = (basis.sum(axis=-1) > 0).astype(float)  # (k, n)
    parts = [basis[:, :, : p - d] * basis[:, :, d:] for d in range(BAND)]
    parts += [basis * y[None, :, None], applies[..., None], (applies * y)[..., None], (applies * y * y)[..., None]]
    return np.concatenate(parts, axis=-1).transpose(1, 0, 2).reshape(n, -1)


def _band_map(p: int) -> np.ndarray:
    """Where each entry of a (p, p) X'WX sits among :func:`_features`' band columns
    (the last index, one past them, stands for an entry outside the band: 0)."""
    where = np.full((p, p), sum(p - d for d in range(BAND)))
    at = 0
    for d in range(BAND):
        j = np.arange(p - d)
        where[j, j + d] = where[j + d, j] = at + j
        at += p - d
    return where.ravel()


def _unpack(sums: np.ndarray, k: int, p: int):
    """X'WX (k, B, p, p), X'Wy (k, B, p) and the three sums (k, B) from :func:`_features`' sums."""
    b = sums.shape[0]
    sums = sums.reshape(b, k, -1).transpose(1, 0, 2)
    nb = sum(p - d for d in range(BAND))
    band = np.concatenate([sums[..., :nb], np.zeros((k, b, 1))], axis=-1)
    gram = np.take(band, _band_map(p), axis=-1).reshape(k, b, p, p)
    rhs = sums[..., nb : nb + p]
    return gram, rhs, sums[..., nb + p], sums[..., nb + p + 1], sums[..., nb + p + 2]


def _system(gram: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    p = gram.shape[-1]
    scale = np.trace(gram, axis1=-2, axis2=-1)[..., None, None] / p
    return gram + penalty + RIDGE * scale * np.eye(p)


def _solve(a, b):
    """``np.linalg.solve`` over stacks of systems; where one of them is singular (an
    indicator constant in a resample, say), the least-squares solution from the
    pseudo-inverse instead, so one degenerate system never stops the audit."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return np.matmul(np.linalg.pinv(a), b)


def _gcv(gram, rhs, s0, s2, unit_penalty, is_spline):
    """The penalty (k, p, p) minimising GCV per spline indicator on the whole sample,
    and the smoother's degrees of freedom (k,) there: trace of the hat matrix."""
    k, p = rhs.shape
    pen_trace = np.trace(unit_penalty, axis1=-2, axis2=-1)
    unit = np.where(is_spline, np.trace(gram, axis1=-2, axis2=-1) / np.where(pen_trace > 0, pen_trace, 1), 0.0)
    grid = unit[:, None] * LAMBDA_GRID  # (k, L)
    a = _system(gram[:, None], grid[:, :, None, None] * unit_penalty[:, None])  # (k, L, p, p)
    g = np.broadcast_to(gram[:, None], a.shape)
    solved = _solve(a, np.concatenate([g, np.broadcast_to(rhs[:, None, :, None], (*a.shape[:-1], 1))], -1))
    df = np.trace(solved[..., :p], axis1=-2, axis2=-1)
    beta = solved[..., p]
    rss = s2[:, None] - 2 * (beta * rhs[:, None]).sum(-1) + np.einsum("klp,kpq,klq->kl", beta, gram, beta)
    gcv = s0[:, None] * rss / np.maximum(s0[:, None] - df, 1e-9) ** 2
    best = np.where(is_spline, np.argmin(gcv, axis=1), 0)
    rows = np.arange(k)
    lam = np.where(is_spline, grid[rows, best], 0.0)
    return lam[:, None, None] * unit_penalty, df[rows, best], lam


def _adjusted(rss, tss, df, wsum):
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1.0 - (rss / (wsum - df)) / (tss / (wsum - 1))
    enough = wsum - df >= MIN_RESIDUAL - 1e-9
    return np.clip(np.where((tss > 1e-12 * np.maximum(wsum, 1)) & enough, s, np.nan), 0.0, 1.0)


def _indices(gram, rhs, s0, s1, s2, penalty, df):
    """Adjusted correlation ratios (k, B) for given normal equations. ``gram`` is
    overwritten (it becomes the penalised system): the caller does not use it again.

    With (X'WX + Q) β = X'Wy, Q = λD'D + ridge, the residual sum of squares is
    Σw y² − β'X'Wy − β'Qβ, so X'WX itself is not needed after the solve."""
    p = gram.shape[-1]
    ridge = RIDGE * np.trace(gram, axis1=-2, axis2=-1) / p  # (k, B)
    a = gram
    a += penalty[:, None]
    a.reshape(*a.shape[:-2], p * p)[..., :: p + 1] += ridge[..., None]
    beta = _solve(a, rhs[..., None])[..., 0]
    quad = (np.matmul(beta, penalty) * beta).sum(-1) + ridge * (beta * beta).sum(-1)
    rss = s2 - (beta * rhs).sum(-1) - quad
    tss = s2 - s1 * s1 / np.where(s0 > 0, s0, 1)
    return _adjusted(rss, tss, df, s0)


@dataclass(frozen=True)
class MainEffects:
    """:func:`main_effects`' answer, one entry per column of x."""

    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    method: np.ndarray  # "levels", "spline", or "" where status is not ok
    status: np.ndarray  # one of STATUSES
    df: np.ndarray  # the smoother's degrees of freedom on the whole sample
    departments: np.ndarray  # rows analysed per column
    penalty: np.ndarray  # λ of each spline (times the second-difference penalty D'D), 0 for level means


def main_effects(
    x: np.ndarray,
    y: np.ndarray,
    applicable: np.ndarray | None = None,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    segments: int = SEGMENTS,
    max_levels: int = MAX_LEVELS,
    chunk: int = 1000,
) -> MainEffects:
    """First-order index of ``y`` (n,) on each column of ``x`` (n, k), over the rows where
    ``applicable`` (n, k) is true, with a percentile bootstrap interval from
    ``resamples`` resamples of the rows (0: no interval; low and high are NaN).
    Resamples are processed ``chunk`` at a time (bounds memory)."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    n, k = x.shape
    applicable = np.ones((n, k), bool) if applicable is None else np.asarray(applicable, bool)
    with single_threaded_blas():  # small products: BLAS threads cost more than they save
        return _main_effects(x, y, applicable, resamples, level, seed, segments, max_levels, chunk)


def _main_effects(x, y, applicable, resamples, level, seed, segments, max_levels, chunk) -> MainEffects:
    n, k = x.shape
    design = _designs(x, y, applicable, segments, max_levels)
    estimate = np.full(k, np.nan)
    low, high, df_full, lam_full = estimate.copy(), estimate.copy(), estimate.copy(), estimate.copy()
    idx = np.flatnonzero(design.status == "ok")
    if len(idx):
        basis, unit_penalty = design.basis[idx], design.penalty[idx]
        is_spline = design.method[idx] == "spline"
        p = basis.shape[-1]
        yc = y - y[applicable[:, idx].any(axis=1)].mean()  # centred: the sums stay well scaled
        features = _features(basis, yc)
        full = _unpack(np.ones((1, n)) @ features, len(idx), p)
        gram, rhs, s0, s1, s2 = (a[:, 0] for a in full)
        penalty, df, lam_full[idx] = _gcv(gram, rhs, s0, s2, unit_penalty, is_spline)
        estimate[idx] = _indices(*full, penalty, df[:, None])[:, 0]
        df_full[idx] = df
        if resamples > 0:
            rng = np.random.default_rng(seed)
            boot = np.empty((len(idx), resamples))
            for start in range(0, resamples, chunk):
                b = min(chunk, resamples - start)
                picks = rng.integers(0, n, size=(b, n))
                counts = np.zeros((b, n))
                np.add.at(counts, (np.repeat(np.arange(b), n), picks.ravel()), 1.0)
                g, r, w0, w1, w2 = _unpack(counts @ features, len(idx), p)
                # a level that a resample lacks leaves the fit: df counts the levels present;
                # a spline keeps the whole sample's df (the smoothness λ stays fixed)
                levels_present = (np.diagonal(g, axis1=-2, axis2=-1) > 0).sum(axis=-1)
                dfb = np.where(is_spline[:, None], df[:, None], levels_present)
                boot[:, start : start + b] = _indices(g, r, w0, w1, w2, penalty, dfb)
            tail = (1 - level) / 2 * 100
            some = np.isfinite(boot).any(axis=1)
            if some.any():
                low[idx[some]], high[idx[some]] = np.nanpercentile(boot[some], [tail, 100 - tail], axis=1)
    status, method = design.status.copy(), design.method.copy()
    lost = (status == "ok") & ~np.isfinite(estimate)  # as many parameters as departments
    status[lost], method[lost] = "too_few", ""
    low[lost] = high[lost] = np.nan  # no estimate, no interval around it
    if resamples > 0:
        status[(status == "ok") & ~np.isfinite(low)] = "no_interval"
    return MainEffects(estimate, low, high, method, status, df_full, applicable.sum(axis=0), lam_full)
