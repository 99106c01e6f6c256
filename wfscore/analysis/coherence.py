"""A statistical audit of the scheme, as the JRC audits composite indicators: does the
index measure what its weights say?

::

    from wfscore.analysis import coherence
    a = coherence.audit(result, resamples=1000, seed=0)   # result = wfscore.score(year)
    a.indicators   # per indicator: weight share, correlations, main effect [interval], status
    a.categories   # per category: Cronbach's alpha, share of the first principal component
    a.pairs        # pairs of indicators correlated at |r| >= redundancy (default 0.9)
    a.negative     # indicators negatively correlated with their own category
    a.sentences()  # the flags in plain sentences (Chinese; lang="en" for English)
    coherence.scenario(official, scenario_result)   # main effects under a what-if scheme
    coherence.over_years([r2011, r2012, r2013])      # the indicators every year shares

**Main effect** (Paruolo, Saisana & Saltelli 2013). For indicator i with score X_i and
the total Y, the main effect is Karl Pearson's correlation ratio
S_i = Var(E[Y | X_i]) / Var(Y), the first-order sensitivity index of the total on the
indicator: the share of the spread of the totals that the indicator alone explains.
With weights that say what they mean, S_i / sum_j S_j is close to the indicator's
share of the nominal weight. E[Y | X_i] is estimated by a smooth nonparametric
regression, one linear smoother per indicator:

- an indicator with at most ``MAX_LEVELS`` distinct scores (binary indicators, ratings
  on few levels) is regressed on its levels: E[Y | X_i] is the mean total of each
  level, Pearson's own correlation ratio;
- any other indicator by a **P-spline** (Eilers & Marx 1996): cubic B-splines on
  ``segments`` (default 8) equal segments of the indicator's range, with a
  second-order difference penalty λ chosen by generalised cross-validation
  (GCV(λ) = n·RSS / (n − df)², on a log grid of ``LAMBDA_GRID`` values). A P-spline is
  linear in the data, so one design matrix serves every bootstrap resample; GCV
  picks the smoothness from the data instead of a fixed bandwidth rule, and the
  second-difference penalty shrinks towards a straight line, not towards a constant,
  so a linear effect is never flattened.

The fit's residual variance is corrected for the degrees of freedom it used (df =
trace of the smoother's hat matrix), as the adjusted R² is:
S_i = 1 − [RSS / (n − df)] / [TSS / (n − 1)], clipped to [0, 1]. Without the
correction an indicator with no effect would show df/n (about 0.05 with 129
departments) of the variance.

**Bootstrap**: departments are resampled with replacement (the same resamples for
every indicator, so the joint structure is kept); a resample enters every fit as
case weights, so the B resamples of all indicators are one batch of small linear
solves, with λ kept at the value GCV chose on the whole sample. The interval is the
percentile interval at ``level`` (default 95%).

**Which departments**: an indicator is analysed over the departments to which it
applies (not confirmed exempt); its correlations likewise. Cronbach's α of a category
uses the departments to which every indicator of the category applies. α and the
principal components are computed with numpy (``numpy.var``, ``numpy.linalg.eigvalsh``
on the correlation matrix of the category's indicators, i.e. standardised scores).

An indicator whose score does not vary, or that is exempt for every department, gets
no correlation and no main effect: its ``status`` says which, and
:meth:`Audit.sentences` says it in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from wfscore.analysis.pspline import (  # noqa: F401 (the estimator's names, importable from here as before)
    LAMBDA_GRID,
    MAX_LEVELS,
    MIN_DEPARTMENTS,
    MIN_RESIDUAL,
    RIDGE,
    SEGMENTS,
    STATUSES,
    MainEffects,
    bspline_basis,
    main_effects,
)
from wfscore.engine.result import Result
from wfscore.inputs.scheme import label
from wfscore.inputs.wording import words

REDUNDANCY = 0.9  # |r| at or above which two indicators are reported as redundant

ASSESSED = ("ok", "no_interval")  # statuses with a main effect

TEXT = {
    "zh": {
        "status_ok": "正常",
        "status_no_variance": "各部门得分相同，无法计算相关与主效应",
        "status_exempt_everywhere": "对所有部门均不适用，无法计算",
        "status_too_few": "适用部门太少（少于 {n} 个，或不多于其得分档数），无法计算",
        "status_total_constant": "适用部门的总分完全相同，无法计算主效应",
        "status_no_interval": "主效应可以估计，但部门太少，自助抽样区间无法计算",
        "cat_ok": "正常",
        "cat_single": "仅含一个指标，α 与主成分不适用",
        "cat_too_few": "所有指标均适用的部门少于 {n} 个",
        "cat_no_variance": "类内得分没有差异",
        "method_levels": "分组均值",
        "method_spline": "惩罚样条（GCV）",
        "no_variance_sentence": "指标“{name}”（{id}）{status}。",
        "redundant_sentence": "指标“{a}”与“{b}”高度相关（r = {r:.2f}，阈值 {threshold:.2f}），可能重复计分。",
        "redundant_summary": (
            "共有 {n} 对指标的相关系数绝对值不低于 {threshold:.2f}，以下列出最强的 {shown} 对，全部见表。"
        ),
        "negative_sentence": "指标“{name}”与其所属类别“{category}”负相关（r = {r:.2f}），请检查指标方向是否正确。",
        "dominant_sentence": (
            "指标“{name}”的主效应占比 {share:.0%}，远高于其权重占比 {weight:.0%}：它对总分差异的影响大于权重所示。"
        ),
        "weak_sentence": (
            "指标“{name}”权重占比 {weight:.0%}，但主效应占比仅 {share:.0%}：它对总分差异的影响小于权重所示。"
        ),
        "low_alpha_sentence": "类别“{name}”的 Cronbach α 为 {alpha:.2f}（低于 {threshold:.1f}），类内指标一致性较弱。",
        "no_flags": "未发现需要提示的问题：没有高度相关的指标对，没有与所属类别负相关的指标，主效应与权重大体一致。",
        "category": "类别",
        "alpha": "Cronbach α",
        "pc1_share": "第一主成分方差占比",
        "indicators": "指标数",
        "departments": "部门数",
        "status": "说明",
        "indicator_a": "指标甲",
        "indicator_b": "指标乙",
        "corr": "相关系数",
        "weight_share": "权重占比",
        "main_effect": "主效应",
        "interval": "95% 区间",
        "main_effect_share": "主效应占比",
        "corr_total": "与总分相关",
        "categories_title": "各类别的内部一致性",
        "pairs_title": "高度相关的指标对（|r| ≥ {threshold:.2f}）",
        "no_pairs": "没有高度相关的指标对。",
        "negative_title": "与所属类别负相关的指标",
        "no_negative": "没有与所属类别负相关的指标。",
        "flag_weak": "影响小于权重所示",
        "flag_dominant": "影响大于权重所示",
        "flag_negative": "与所属类别负相关，请核对计分方向",
        "cat_low_alpha": "类内一致性较弱（α 低于 {threshold:.1f}）",
        "advice_title": "需要留意的地方：",
        "advice_none": (
            "未发现需要调整的地方：没有得分几乎同步的指标，没有方向相反的指标，各项指标的影响与权重大体相当。"
        ),
        "advice_pairs": (
            "{n} 对指标的得分几乎同步（相关系数不低于 {threshold:.2f}），最明显的是“{a}”与“{b}”："
            "它们可能在重复考核同一件事，可考虑合并，或拉开它们的评分标准。"
        ),
        "advice_weak": (
            "{names}对部门之间总分差距的影响远小于其权重：它们几乎拉不开部门之间的差距；若希望它们起作用，"
            "可细化评分档次。"
        ),
        "advice_dominant": "{names}对部门之间总分差距的影响远大于其权重：排名主要由它们决定，请确认这符合考核的本意。",
        "advice_negative": "“{name}”与其所属类别“{category}”的得分方向相反：请核对这项指标是否按“越高越好”计分。",
        "advice_alpha": (
            "“{name}”类内各项指标的得分彼此关联较弱（α = {alpha:.2f}，一般以 {threshold:.1f} 以上为宜）："
            "这一类的几项指标衡量的可能不是同一件事。"
        ),
        "advice_unassessed": "{names}无法评估（{status}）。",
        "names_few": "“{names}”",
        "names_many": "“{names}”等 {n} 项指标",
        "name_sep": "”“",
        "more_pairs": "另有 {n} 对见 {file}。",
    },
    "en": {
        "status_ok": "ok",
        "status_no_variance": "every department has the same score: no correlation or main effect",
        "status_exempt_everywhere": "exempt for every department: nothing to compute",
        "status_too_few": "applies to too few departments (fewer than {n}, or no more than its distinct "
        "scores): nothing to compute",
        "status_total_constant": "the departments it applies to have the same total: no main effect",
        "status_no_interval": "a main effect, but too few departments for a bootstrap interval",
        "cat_ok": "ok",
        "cat_single": "a single indicator: alpha and principal components do not apply",
        "cat_too_few": "fewer than {n} departments to which every indicator applies",
        "cat_no_variance": "no spread of scores within the category",
        "method_levels": "level means",
        "method_spline": "penalised spline (GCV)",
        "no_variance_sentence": "Indicator “{name}” ({id}): {status}.",
        "redundant_sentence": "Indicators “{a}” and “{b}” are highly correlated (r = {r:.2f}, threshold "
        "{threshold:.2f}): they may count the same thing twice.",
        "redundant_summary": "{n} pairs of indicators are correlated at |r| ≥ {threshold:.2f}; the {shown} "
        "strongest follow, the table lists them all.",
        "negative_sentence": "Indicator “{name}” is negatively correlated with its own category “{category}” "
        "(r = {r:.2f}): check that its direction is right.",
        "dominant_sentence": "Indicator “{name}” has {share:.0%} of the main effects but {weight:.0%} of the "
        "weight: it drives the totals more than its weight says.",
        "weak_sentence": "Indicator “{name}” has {weight:.0%} of the weight but only {share:.0%} of the main "
        "effects: it drives the totals less than its weight says.",
        "low_alpha_sentence": "Category “{name}” has Cronbach's alpha {alpha:.2f} (below {threshold:.1f}): its "
        "indicators hang together weakly.",
        "no_flags": "Nothing to flag: no highly correlated pairs, no indicator negatively correlated with its "
        "category, main effects broadly in line with the weights.",
        "category": "Category",
        "alpha": "Cronbach's alpha",
        "pc1_share": "PC1 share of variance",
        "indicators": "Indicators",
        "departments": "Departments",
        "status": "Note",
        "indicator_a": "Indicator A",
        "indicator_b": "Indicator B",
        "corr": "Correlation",
        "weight_share": "Weight share",
        "main_effect": "Main effect",
        "interval": "95% interval",
        "main_effect_share": "Share of main effects",
        "corr_total": "Correlation with total",
        "categories_title": "Internal consistency of each category",
        "pairs_title": "Highly correlated pairs (|r| ≥ {threshold:.2f})",
        "no_pairs": "No highly correlated pairs.",
        "negative_title": "Indicators negatively correlated with their category",
        "no_negative": "No indicator is negatively correlated with its category.",
        "flag_weak": "drives the totals less than its weight says",
        "flag_dominant": "drives the totals more than its weight says",
        "flag_negative": "negatively correlated with its category: check its direction",
        "cat_low_alpha": "weak internal consistency (alpha below {threshold:.1f})",
        "advice_title": "What to look at:",
        "advice_none": "Nothing to change: no indicators that move together, none running against its category, "
        "each indicator's effect broadly in line with its weight.",
        "advice_pairs": "{n} pairs of indicators move almost together (|r| ≥ {threshold:.2f}), most of all “{a}” "
        "and “{b}”: they may assess the same thing twice; consider merging them or making their "
        "criteria more distinct.",
        "advice_weak": "{names} affect the differences between departments' totals far less than their weight: "
        "they hardly separate departments; to make them count, grade their criteria more finely.",
        "advice_dominant": "{names} affect the differences between departments' totals far more than their "
        "weight: they decide the ranking; check that this is what the scheme intends.",
        "advice_negative": "“{name}” runs against its own category “{category}”: check that it is scored as "
        "higher is better.",
        "advice_alpha": "The indicators of “{name}” hang together weakly (alpha = {alpha:.2f}; {threshold:.1f} or "
        "more is usual): they may not measure one thing.",
        "advice_unassessed": "{names} cannot be assessed ({status}).",
        "names_few": "“{names}”",
        "names_many": "“{names}” and {rest} more",
        "name_sep": "”, “",
        "more_pairs": "{n} more pairs are in {file}.",
    },
}

# when a main effect's share is this many times its weight share (or this many times
# smaller), a sentence says so; shares are compared only for indicators with status ok
DOMINANCE = 2.0
PAIR_SENTENCES = 5  # redundant pairs said in words (the strongest); the table lists them all
LOW_ALPHA = 0.6  # a common rule of thumb for "acceptable" internal consistency


def text(lang: str) -> dict[str, str]:
    words(lang)  # the same error for an unknown language as everywhere else
    return TEXT[lang]


# ---------------------------------------------------------------------------
# Plain statistics


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r of two vectors; NaN when either does not vary or fewer than 2 values."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 2:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    sx, sy = np.sqrt((dx * dx).sum()), np.sqrt((dy * dy).sum())
    if sx <= 1e-12 * max(1.0, np.abs(x).max()) or sy <= 1e-12 * max(1.0, np.abs(y).max()):
        return float("nan")
    return float(np.clip((dx * dy).sum() / (sx * sy), -1.0, 1.0))


def correlation_matrix(scores: np.ndarray, applicable: np.ndarray | None = None) -> np.ndarray:
    """(k, k) Pearson correlations of the columns of ``scores`` (n, k), each pair over the
    rows where both apply (pairwise complete); NaN where a column does not vary."""
    n, k = scores.shape
    applicable = np.ones((n, k), bool) if applicable is None else applicable
    out = np.full((k, k), np.nan)
    for a in range(k):
        for b in range(a, k):
            rows = applicable[:, a] & applicable[:, b]
            r = (
                pearson(scores[rows, a], scores[rows, b])
                if a != b
                else (1.0 if np.isfinite(pearson(scores[rows, a], scores[rows, a])) else np.nan)
            )
            out[a, b] = out[b, a] = r
    return out


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's α of the columns of ``items`` (n, k): k/(k−1)·(1 − Σ var_j / var(Σ_j)),
    sample variances (ddof 1). NaN for k < 2, n < 2 or a sum that does not vary."""
    items = np.asarray(items, float)
    n, k = items.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = items.sum(axis=1).var(ddof=1)
    if total_var <= 1e-12:
        return float("nan")
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total_var))


def pc1_share(items: np.ndarray) -> float:
    """The share of the variance of the standardised columns of ``items`` that the first
    principal component carries: the largest eigenvalue of their correlation matrix
    over the number of columns. Columns that do not vary are left out; NaN with fewer
    than 2 varying columns."""
    items = np.asarray(items, float)
    if len(items) < 2:
        return float("nan")
    sd = items.std(axis=0, ddof=1)
    keep = sd > 1e-12
    if keep.sum() < 2:
        return float("nan")
    z = (items[:, keep] - items[:, keep].mean(axis=0)) / sd[keep]
    corr = z.T @ z / (len(z) - 1)
    eig = np.linalg.eigvalsh(corr)
    return float(eig[-1] / eig.sum())


# ---------------------------------------------------------------------------
# The audit of a scored year


@dataclass(frozen=True, eq=False)
class Audit:
    """The outcome of :func:`audit`. See the module's notes for every column."""

    year: int
    synthetic: bool
    indicators: pd.DataFrame
    categories: pd.DataFrame
    pairs: pd.DataFrame
    negative: pd.DataFrame
    correlation: pd.DataFrame  # indicator × indicator, ids as index and columns
    labels: dict  # indicator id -> name, category id -> name, in the audit's language
    settings: dict = field(default_factory=dict)

    def sentences(self, lang: str | None = None) -> list[str]:
        """The flags in plain sentences: indicators that cannot be assessed, redundant
        pairs, negative correlations with the own category, main effects far from the
        weight, categories with a low α."""
        lang = lang or self.settings.get("lang", "zh")
        t = text(lang)
        names = self.settings["names"][lang]
        out = []
        ind = self.indicators
        for row in ind.itertuples():
            if row.status != "ok":
                out.append(
                    t["no_variance_sentence"].format(
                        name=names[row.indicator], id=row.indicator, status=status_text(row.status, lang)
                    )
                )
        if len(self.pairs) > PAIR_SENTENCES:
            out.append(
                t["redundant_summary"].format(
                    n=len(self.pairs), threshold=self.settings["redundancy"], shown=PAIR_SENTENCES
                )
            )
        for row in self.pairs.head(PAIR_SENTENCES).itertuples():
            out.append(
                t["redundant_sentence"].format(
                    a=names[row.indicator_a],
                    b=names[row.indicator_b],
                    r=row.corr,
                    threshold=self.settings["redundancy"],
                )
            )
        for row in self.negative.itertuples():
            out.append(
                t["negative_sentence"].format(
                    name=names[row.indicator], r=row.corr_category, category=names[row.category]
                )
            )
        for row in ind[ind["status"].isin(ASSESSED)].itertuples():
            share, weight = row.main_effect_share, row.weight_share
            if not np.isfinite(share):
                continue
            if share >= DOMINANCE * weight:
                out.append(t["dominant_sentence"].format(name=names[row.indicator], share=share, weight=weight))
            elif share * DOMINANCE <= weight:
                out.append(t["weak_sentence"].format(name=names[row.indicator], share=share, weight=weight))
        for row in self.categories.itertuples():
            if np.isfinite(row.alpha) and row.alpha < LOW_ALPHA:
                out.append(
                    t["low_alpha_sentence"].format(name=names[row.category], alpha=row.alpha, threshold=LOW_ALPHA)
                )
        return out or [t["no_flags"]]

    def advice(self, lang: str | None = None, most: int = 3) -> list[str]:
        """The findings as advice to an office, in a few plain lines, most telling first:
        indicators that move together, indicators that hardly count or count too much
        for their weight, indicators that run against their category, categories whose
        indicators do not hang together, and what cannot be assessed. Names beyond
        ``most`` in one line are counted, not listed."""
        lang = lang or self.settings.get("lang", "zh")
        t = text(lang)
        names = self.settings["names"][lang]
        ind = self.indicators

        def listed(ids: list[str]) -> str:
            shown = t["name_sep"].join(names[i] for i in ids[:most])
            if len(ids) <= most:
                return t["names_few"].format(names=shown)
            return t["names_many"].format(names=shown, n=len(ids), rest=len(ids) - most)

        out = []
        if len(self.pairs):
            top = self.pairs.iloc[0]
            out.append(
                t["advice_pairs"].format(
                    n=len(self.pairs),
                    threshold=self.settings["redundancy"],
                    a=names[top.indicator_a],
                    b=names[top.indicator_b],
                )
            )
        for flag, key in (("weak", "advice_weak"), ("dominant", "advice_dominant")):
            ids = list(ind.loc[ind["flag"] == flag, "indicator"])
            if ids:
                out.append(t[key].format(names=listed(ids)))
        for row in self.negative.itertuples():
            out.append(t["advice_negative"].format(name=names[row.indicator], category=names[row.category]))
        for row in self.categories.itertuples():
            if np.isfinite(row.alpha) and row.alpha < LOW_ALPHA:
                out.append(t["advice_alpha"].format(name=names[row.category], alpha=row.alpha, threshold=LOW_ALPHA))
        unassessed = ind[ind["status"] != "ok"]
        for status, group in unassessed.groupby("status", sort=False):
            out.append(
                t["advice_unassessed"].format(names=listed(list(group["indicator"])), status=status_text(status, lang))
            )
        return out or [t["advice_none"]]


def status_text(status: str, lang: str = "zh") -> str:
    t = text(lang)
    return t[f"status_{status}"].format(n=MIN_DEPARTMENTS)


def audit(
    result: Result,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    redundancy: float = REDUNDANCY,
    lang: str = "zh",
    segments: int = SEGMENTS,
) -> Audit:
    """The statistical audit of ``result``'s scheme on its year's data (any Result: the
    official one, or one of a what-if scheme)."""
    t = text(lang)
    scheme, arr = result.scheme, result.arrays
    scores = np.asarray(result.score, float)
    total = np.asarray(result.total, float)
    applicable = ~np.asarray(result.exempt, bool)
    n_d, n_i = scores.shape
    inds, cats, secs = scheme.indicators, scheme.categories, scheme.sections
    names = {
        lg: {
            **{i.id: label(i, lg) for i in inds},
            **{c.id: label(c, lg) for c in cats},
            **{s.id: label(s, lg) for s in secs},
        }
        for lg in ("zh", "en")
    }

    effects = main_effects(scores, total, applicable, resamples=resamples, level=level, seed=seed, segments=segments)
    corr_total = np.full(n_i, np.nan)
    corr_category = corr_total.copy()
    corr_section = corr_total.copy()
    for i in range(n_i):
        if effects.status[i] not in ASSESSED:
            continue
        rows = applicable[:, i]
        corr_total[i] = pearson(scores[rows, i], total[rows])
        corr_category[i] = pearson(scores[rows, i], result.category[rows, arr.category_of[i]])
        corr_section[i] = pearson(scores[rows, i], result.section[rows, arr.section_of[i]])
    weight_share = arr.weight / arr.weight.sum()
    ok = np.isin(effects.status, ASSESSED)
    positive = np.nansum(effects.estimate[ok])
    main_share = np.where(ok, effects.estimate / positive if positive > 0 else np.nan, np.nan)
    flag = np.full(n_i, "", dtype=object)
    for i in range(n_i):
        share, weight = main_share[i], weight_share[i]
        if effects.status[i] in ASSESSED and np.isfinite(share):
            if share >= DOMINANCE * weight:
                flag[i] = "dominant"
            elif share * DOMINANCE <= weight:
                flag[i] = "weak"
        if np.isfinite(corr_category[i]) and corr_category[i] < 0:
            flag[i] = "negative"  # the one to act on first
    indicators = pd.DataFrame(
        {
            "indicator": list(arr.indicator_ids),
            "name": [names[lang][i] for i in arr.indicator_ids],
            "category": [arr.category_ids[c] for c in arr.category_of],
            "section": [arr.section_ids[s] for s in arr.section_of],
            "weight": arr.weight,
            "weight_share": weight_share,
            "corr_total": corr_total,
            "corr_category": corr_category,
            "corr_section": corr_section,
            "main_effect": effects.estimate,
            "main_effect_low": effects.low,
            "main_effect_high": effects.high,
            "main_effect_share": main_share,
            "method": effects.method,
            "departments": effects.departments,
            "status": effects.status,
            "flag": flag,
            "status_text": [t[f"flag_{f}"] if f else status_text(s, lang) for s, f in zip(effects.status, flag)],
        }
    )

    cat_rows = []
    for c, cat in enumerate(cats):
        members = np.flatnonzero(arr.category_of == c)
        rows = applicable[:, members].all(axis=1)
        items = scores[np.ix_(rows, members)]
        alpha, pc1, status = np.nan, np.nan, "ok"
        if len(members) < 2:
            status = t["cat_single"]
        elif rows.sum() < MIN_DEPARTMENTS:
            status = t["cat_too_few"].format(n=MIN_DEPARTMENTS)
        else:
            alpha, pc1 = cronbach_alpha(items), pc1_share(items)
            status = (
                t["cat_no_variance"]
                if not np.isfinite(alpha)
                else t["cat_low_alpha"].format(threshold=LOW_ALPHA)
                if alpha < LOW_ALPHA
                else t["cat_ok"]
            )
        cat_rows.append(
            {
                "category": cat.id,
                "name": names[lang][cat.id],
                "indicators": len(members),
                "departments": int(rows.sum()),
                "alpha": alpha,
                "pc1_share": pc1,
                "status": status,
            }
        )
    categories = pd.DataFrame(
        cat_rows, columns=["category", "name", "indicators", "departments", "alpha", "pc1_share", "status"]
    )

    matrix = correlation_matrix(scores, applicable)
    ids = list(arr.indicator_ids)
    a_idx, b_idx = np.triu_indices(n_i, k=1)
    r = matrix[a_idx, b_idx]
    flagged = np.isfinite(r) & (np.abs(r) >= redundancy)
    pairs = (
        pd.DataFrame(
            {
                "indicator_a": [ids[a] for a in a_idx[flagged]],
                "name_a": [names[lang][ids[a]] for a in a_idx[flagged]],
                "indicator_b": [ids[b] for b in b_idx[flagged]],
                "name_b": [names[lang][ids[b]] for b in b_idx[flagged]],
                "corr": r[flagged],
            }
        )
        .sort_values("corr", key=np.abs, ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    negative = indicators.loc[
        indicators["corr_category"] < 0, ["indicator", "name", "category", "corr_category"]
    ].reset_index(drop=True)
    return Audit(
        year=scheme.year,
        synthetic=result.data.synthetic,
        indicators=indicators,
        categories=categories,
        pairs=pairs,
        negative=negative,
        correlation=pd.DataFrame(matrix, index=ids, columns=ids),
        labels=names[lang],
        settings={
            "resamples": resamples,
            "level": level,
            "seed": seed,
            "redundancy": redundancy,
            "segments": segments,
            "max_levels": MAX_LEVELS,
            "lang": lang,
            "names": names,
            "departments": n_d,
        },
    )


# ---------------------------------------------------------------------------
# Over a what-if scenario, and over years


def scenario(
    official: Result,
    changed: Result,
    *,
    resamples: int = 0,
    seed: int = 0,
    lang: str = "zh",
    official_audit: Audit | None = None,
    changed_audit: Audit | None = None,
) -> pd.DataFrame:
    """Weight shares and main effects under the official scheme and under ``changed``
    (the same year scored under a what-if scheme), one row per indicator of the
    official scheme: ``weight_share``/``main_effect`` (scenario), ``official_*``, and
    ``change`` in main effect. ``resamples`` > 0 adds the scenario's interval. Audits
    already made can be passed in (``official_audit``, ``changed_audit``)."""
    before = official_audit or audit(official, resamples=0, seed=seed, lang=lang)
    after = changed_audit or audit(changed, resamples=resamples, seed=seed, lang=lang)
    a = after.indicators.set_index("indicator")
    frame = before.indicators[["indicator", "name"]].copy()
    frame["official_weight_share"] = before.indicators["weight_share"].to_numpy()
    frame["weight_share"] = a["weight_share"].reindex(frame["indicator"]).to_numpy()
    frame["official_main_effect"] = before.indicators["main_effect"].to_numpy()
    for column in ("main_effect", "main_effect_low", "main_effect_high", "main_effect_share", "status"):
        frame[column] = a[column].reindex(frame["indicator"]).to_numpy()
    frame["change"] = frame["main_effect"] - frame["official_main_effect"]
    frame["status_text"] = [status_text(s, lang) if isinstance(s, str) else "" for s in frame["status"]]
    return frame


def over_years(results: Sequence[Result], *, resamples: int = 1000, seed: int = 0, lang: str = "zh") -> pd.DataFrame:
    """One row per year and indicator that every year's scheme has with the same method
    and direction: weight share, correlation with the total, main effect and interval
    in each year (each year audited on its own scheme and data)."""
    results = list(results)
    if not results:
        return pd.DataFrame(
            columns=[
                "year",
                "indicator",
                "name",
                "weight_share",
                "corr_total",
                "main_effect",
                "main_effect_low",
                "main_effect_high",
                "status",
            ]
        )
    first = results[0].scheme
    shared = [i for i in first.indicators]
    for r in results[1:]:
        theirs = {i.id: i for i in r.scheme.indicators}
        shared = [
            i
            for i in shared
            if i.id in theirs and (theirs[i.id].method, theirs[i.id].direction) == (i.method, i.direction)
        ]
    keep = [i.id for i in shared]
    frames = []
    for r in results:
        a = audit(r, resamples=resamples, seed=seed, lang=lang).indicators
        a = a.set_index("indicator").loc[keep].reset_index()
        a.insert(0, "year", r.scheme.year)
        frames.append(
            a[
                [
                    "year",
                    "indicator",
                    "name",
                    "weight_share",
                    "corr_total",
                    "main_effect",
                    "main_effect_low",
                    "main_effect_high",
                    "main_effect_share",
                    "status",
                ]
            ]
        )
    return pd.concat(frames, ignore_index=True)
