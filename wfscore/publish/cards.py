"""Feedback cards (考核结果反馈): one page or two for every department, as HTML and PDF.

``wfscore cards data/2011`` writes ``reports/2011/cards/`` with ``<dept_id>_<name>.html`` and
``<dept_id>_<name>.pdf`` for every department (a name safe on every system,
:func:`file_names`), ``index.html`` listing them in rank order, ``cards.zip`` holding
the PDFs, for sending, ``cards.pdf`` (every card in rank order, one font for all, to
print at once) and the folder's manifest (:mod:`wfscore.inputs.manifest`).
Without a browser (``pdf=False``) the PDFs and the zip are left out.

Each card names the result it belongs to: :func:`result_hash` of the year's result
(a ``<meta>`` of the HTML, and its first 16 hex digits in the card's foot line), and
the hash of the department's own figures (:func:`department_hashes`). :func:`check_cards`
(``wfscore cards DIR --check CARDS``) says which cards of a folder no longer match the
current result; a report rebuilt over a ``cards/`` folder of another result removes it
(:func:`wfscore.publish.report.build`).

Every number on a card is taken from the year's :class:`~wfscore.engine.result.Result`
(the ranking, the per-indicator arrays, the adjustment log), from the robustness
analysis of :mod:`wfscore.analysis.sensitivity` (the same samples and seed as the
annual report, so the intervals agree with it) and, when the year before is beside
the year's folder, from :func:`wfscore.analysis.years.with_previous`. This module
formats them as text; the template (``templates/card.html.j2``) only places that text,
HTML-escaped by Jinja's autoescape.

The cards embed a WOFF2 subset of the bundled CJK font (:mod:`wfscore.publish.webfont`)
and are printed by one chromium, several tabs at a time (:mod:`wfscore.publish.pdf`).
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wfscore.engine.result import Result
from wfscore.inputs.scheme import label
from wfscore.inputs.wording import LANGS, words
from wfscore.publish.card_hash import (
    DEPT_META,
    FIGURES_META,
    INDEX_NAME,
    RESULT_META,
    department_hashes,
    page_metas,  # noqa: F401
    result_hash,
)
from wfscore.publish.monitoring_report import monitoring_lines

TEMPLATES = Path(__file__).parent / "templates"
ROBUSTNESS_SAMPLES = 10_000  # as the annual report's robustness section
ROBUSTNESS_SEED = 0
LOST_SHOWN = 8  # indicators in "where the points were lost"
ZIP_NAME = "cards.zip"
ALL_NAME = "cards.pdf"  # every card in rank order, one PDF to print at once
# Cards print without chromium's structure tree (tagged PDF) and outline: the tree was a third
# of a card's PDF (past 150 KB for the longest) and two thirds of cards.pdf (8 MB, 4 s more)
UNTAGGED = {"tagged": False, "outline": False}

CARD_WORDS = {
    "zh": {
        "card_title": "{year}年度信息化工作绩效考核结果反馈",
        "index_title": "{year}年度考核结果反馈（各部门）",
        "dept_id": "部门编号",
        "kind": "类别",
        "year": "年度",
        "total": "总分",
        "total_of": "{total}（满分 {points}）",
        "rank": "名次",
        "rank_of": "第 {rank} 名，共 {n} 个部门",
        "tied": "（与 {others} 个部门并列）",
        "eligible": "具备评优资格",
        "excellent": "评为优秀",
        "converted": "折算得分",
        "yes": "是",
        "no": "否",
        "categories": "各类得分",
        "category": "类别",
        "score": "得分",
        "points": "分值",
        "effective": "（实际 {effective}，因不适用指标调整）",
        "median": "全体中位数",
        "best": "全体最高",
        "chart_note": "条形：本部门得分占该类分值的比例；灰线：全体中位数；黑线：全体最高。",
        "lost": "失分最多的指标",
        "lost_note": "按实际权重与得分之差排列（前 {n} 项）。",
        "indicator": "指标",
        "value": "指标值",
        "base": "基数",
        "weight": "实际权重",
        "gap": "失分",
        "why": "原因",
        "below_best": "低于最优部门（得分按与基数之比计算）",
        "not_reached": "未达到评分标准",
        "direct_base": "直接评分",
        "direct_why": "由{who}按评分标准直接评定（满分 {weight}），不与其他部门比较",
        "who": {"office": "考核办公室", "experts": "专家组", "department": "考核办公室"},
        "sum_row": "合计（总分）",
        "sum_note": (
            "各类得分按 {digits} 位小数显示，相加为 {shown}；总分由未经四舍五入的各类得分相加后再四舍五入，"
            "为 {total}，两者相差 {diff}。"
        ),
        "best_note": (
            "* 全体最高按各部门的实际分值计：有的部门因不适用指标而调整了权重，其实际分值高于本类分值，"
            "全体最高因此可以超过分值（{items}）。"
        ),
        "best_item": "{name}实际分值最高 {most}，分值 {points}",
        "robust_meaning": "这只说明名次对权重取值有多敏感，不改变正式名次。",
        "foot": "核对：结果 {result}；wfscore {version}；输入文件 SHA-256（前 8 位）：{files}",
        "no_lost": "本部门各项指标均得满分。",
        "adjustments": "调整与复核决定",
        "step": "步骤",
        "reason": "理由",
        "no_adjustments": "没有影响本部门的调整。",
        "decisions": "复核台的决定",
        "decision_line": "{time} {item}（{field}）：{old} → {new}。{comment}",
        "robustness": "名次的稳健性",
        "robust_sentence": (
            "在权重各自上下浮动 ±{spread:.0%} 的 {n} 次模拟中，本部门的名次有 90% 的可能"
            "落在第 {lo} 至第 {hi} 名之间（中位数第 {median} 名）。"
        ),
        "robust_same": ("在权重各自上下浮动 ±{spread:.0%} 的 {n} 次模拟中，本部门的名次有 90% 的可能保持第 {lo} 名。"),
        "previous": "与上一年度比较",
        "previous_line": "{year}年总分 {total}，第 {rank} 名；今年总分变化 {change}，名次{move}。",
        "previous_merged": "（由上一年度的 {ids} 合并或更名而来，按其平均计算）",
        "rise": "上升 {n} 位",
        "fall": "下降 {n} 位",
        "same": "不变",
        "previous_none": "上一年度没有可比较的记录。",
        "review": "复核",
        "review_text": "如对考核结果有异议，请于 {deadline} 前向 {contact} 提出复核申请，说明理由并附证明材料。",
        "review_default": "如对考核结果有异议，请按考核办公室通知的方式和期限提出复核申请，说明理由并附证明材料。",
        "no_deadline": "通知规定的期限",
        "no_contact": "考核办公室",
        "synthetic": "注意：本年度数据为合成的示例数据，并非真实考核结果。",
        "page": '第 " counter(page) " 页，共 " counter(pages) " 页',
        "html": "网页",
        "pdf": "PDF",
        "zip": "全部 PDF（zip）",
        "department": "部门",
        "all_pdf": "全部反馈卡合为一个 PDF（按名次，供一次打印）",
        "steps": {1: "缺少数据", 3: "不适用与权重调整", 5: "网站评估", 6: "安全事故", 9: "评优资格"},
    },
    "en": {
        "card_title": "Assessment result {year}: feedback to the department",
        "index_title": "Assessment results {year}: one card per department",
        "dept_id": "Dept id",
        "kind": "Kind",
        "year": "Year",
        "total": "Total",
        "total_of": "{total} (of {points})",
        "rank": "Rank",
        "rank_of": "{rank} of {n} departments",
        "tied": " (tied with {others} other(s))",
        "eligible": "Eligible for excellence",
        "excellent": "Rated excellent",
        "converted": "Converted score",
        "yes": "yes",
        "no": "no",
        "categories": "Scores by category",
        "category": "Category",
        "score": "Score",
        "points": "Points",
        "effective": " (effective {effective}, redistributed for exemptions)",
        "median": "Median of all",
        "best": "Best of all",
        "chart_note": "Bar: the department's score as a share of the category's points; grey line: median; "
        "black line: best.",
        "lost": "Where the points were lost",
        "lost_note": "By effective weight minus score (the first {n}).",
        "indicator": "Indicator",
        "value": "Value",
        "base": "Base",
        "weight": "Eff. weight",
        "gap": "Lost",
        "why": "Why",
        "below_best": "below the best department (scored against the base)",
        "not_reached": "criterion not met",
        "no_lost": "Full points on every indicator.",
        "direct_base": "given",
        "direct_why": "points given by {who} against the criterion (of {weight}), not compared with other departments",
        "who": {
            "office": "the assessment office",
            "experts": "the expert panel",
            "department": "the assessment office",
        },
        "sum_row": "Sum (total)",
        "sum_note": (
            "The categories are shown to {digits} decimals and add up to {shown}; the total is the sum of "
            "the unrounded scores, rounded: {total}, {diff} apart."
        ),
        "best_note": (
            "* The best of all is counted on each department's effective points: where exemptions "
            "redistributed weights, a department's effective points exceed the category's, and so can "
            "the best ({items})."
        ),
        "best_item": "{name}: effective points up to {most}, points {points}",
        "robust_meaning": "It only shows how much the rank depends on the weights; the official rank stands.",
        "foot": "Check: result {result}; wfscore {version}; input files' SHA-256 (first 8): {files}",
        "adjustments": "Adjustments and review decisions",
        "step": "Step",
        "reason": "Reason",
        "no_adjustments": "No adjustment touched this department.",
        "decisions": "Decisions of the review desk",
        "decision_line": "{time} {item} ({field}): {old} → {new}. {comment}",
        "robustness": "How firm the rank is",
        "robust_sentence": (
            "In {n} simulations with each weight varied by ±{spread:.0%}, the department's rank "
            "was between {lo} and {hi} nine times in ten (median {median})."
        ),
        "robust_same": (
            "In {n} simulations with each weight varied by ±{spread:.0%}, the department's rank "
            "stayed {lo} nine times in ten."
        ),
        "previous": "Compared with last year",
        "previous_line": "{year}: total {total}, rank {rank}; total changed by {change}, rank {move}.",
        "previous_merged": " (continues {ids} of last year: their mean)",
        "rise": "up {n}",
        "fall": "down {n}",
        "same": "unchanged",
        "previous_none": "No comparable record last year.",
        "review": "Review",
        "review_text": "To ask for a review, write to {contact} by {deadline}, with your reasons and evidence.",
        "review_default": "To ask for a review, write to the assessment office as its notice says, with your "
        "reasons and evidence.",
        "no_deadline": "the date in the notice",
        "no_contact": "the assessment office",
        "synthetic": "Note: synthetic sample data, not real assessment results.",
        "page": 'page " counter(page) " of " counter(pages) "',
        "html": "HTML",
        "pdf": "PDF",
        "zip": "All PDFs (zip)",
        "department": "Department",
        "all_pdf": "Every card in one PDF (in rank order, to print at once)",
        "steps": {
            1: "missing value",
            3: "exemption and weights",
            5: "website evaluation",
            6: "security incident",
            9: "eligibility",
        },
    },
}


class CardsError(ValueError):
    """The cards could not be made; the message says why, and nothing was written."""


@dataclass(frozen=True)
class Cards:
    """What :func:`build` wrote."""

    folder: Path
    year: int
    count: int
    seconds: float
    warnings: tuple = ()
    pdf: bool = True  # the PDFs and cards.zip written too
    clashes: tuple = ()  # groups of dept_ids whose file names got their id's hash (file_names)


def _num(x: float, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.{digits}f}"


def _points(x: float) -> str:
    return f"{x:g}"


# Names Windows keeps for devices, whatever the case and extension ("nul.txt", "Con.pdf"),
# the superscript digits included
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
NAME_BYTES = 120  # a card's file name without ".html" at most: far within 255 (ext4, NTFS, APFS) and MAX_PATH
_NOT_IN_NAMES = set('/\\:*?"<>|')
_HASH_LENGTH = 8


def safe_name(text: str, limit: int = NAME_BYTES) -> str:
    """``text`` as a file name every system accepts: NFC; ``/ \\ : * ? " < > |``, control
    and format characters as ``_``; no leading dot, no trailing dot or space; at most
    ``limit`` bytes of UTF-8 (cut between characters); a Windows device name (``CON``,
    ``nul.txt``, ``COM1``, in any case) with ``_`` before it; never empty."""
    out = []
    for ch in unicodedata.normalize("NFC", str(text)):
        if ch in _NOT_IN_NAMES or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append("_")
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(ch)
    name = "".join(out).strip(" ")
    name = re.sub(r"^\.", "_", name)
    name = name.encode("utf-8")[:limit].decode("utf-8", errors="ignore").rstrip(". ")
    if not name:
        name = "_"
    if name.split(".")[0].rstrip(" ").upper() in RESERVED:
        name = "_" + name
    return name


def _key(name: str) -> str:
    """Names that are one file on Windows or macOS (case, normalization) share a key."""
    return unicodedata.normalize("NFC", name).casefold()


def file_names(departments: list[tuple[str, str]]) -> tuple[dict[str, str], list[list[str]]]:
    """Each department's card file name without the extension, ``<dept_id>_<name>`` made
    safe (:func:`safe_name`), as a dict dept_id → name, and the groups of departments
    whose names would have been one file (on any system: names are compared without
    case). Each department of such a group gets the first 8 hex digits of its id's
    SHA-256 appended (``-1a2b3c4d``): the name depends on the department alone, not on
    the order of the rows. Raises :class:`CardsError` naming both departments when two
    names are still one."""
    names = {str(d): safe_name(f"{d}_{n}" if str(n) else str(d)) for d, n in departments}
    groups: dict[str, list[str]] = {}
    for dept_id, name in names.items():
        groups.setdefault(_key(name), []).append(dept_id)
    clashes = [ids for ids in groups.values() if len(ids) > 1]
    for ids in clashes:
        for dept_id in ids:
            tag = "-" + hashlib.sha256(dept_id.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
            names[dept_id] = safe_name(names[dept_id], NAME_BYTES - len(tag)) + tag
    seen: dict[str, str] = {_key(n): "" for n in (Path(INDEX_NAME).stem,)}
    for dept_id, name in names.items():
        other = seen.get(_key(name))
        if other == "":
            raise CardsError(
                f"the card of {dept_id!r} would be named {name!r}, as the index (expected another department id)"
            )
        if other is not None:
            raise CardsError(
                f"the cards of {other!r} and {dept_id!r} would have the same file name {name!r} "
                "(expected department ids that differ)"
            )
        seen[_key(name)] = dept_id
    return names, clashes


# -- one card's text ------------------------------------------------------------------


def _bar_svg(share: float, median: float, best: float) -> str:
    """A small bar (0..1 of the category's points) with the median and the best as ticks:
    geometry only (numbers drawn come from the card's table)."""
    width, height = 160, 12
    clip = lambda v: 0.0 if not np.isfinite(v) else float(min(max(v, 0.0), 1.0))  # noqa: E731
    x, m, b = clip(share) * width, clip(median) * width, clip(best) * width
    return (
        f'<svg class="wf-bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" aria-hidden="true">'
        f'<rect x="0" y="2" width="{width}" height="8" fill="#e8eef5"/>'
        f'<rect x="0" y="2" width="{x:.1f}" height="8" fill="#4e79a7"/>'
        f'<rect x="{max(m - 1, 0):.1f}" y="0" width="2" height="12" fill="#9a9a9a"/>'
        f'<rect x="{max(b - 1, 0):.1f}" y="0" width="2" height="12" fill="#222222"/></svg>'
    )


class CardMaker:
    """Everything the cards of one year share, computed once; :meth:`card` formats one."""

    def __init__(
        self,
        result: Result,
        lang: str = "zh",
        contact: str | None = None,
        deadline: str | None = None,
        robustness=None,
        comparison=None,
        decisions=None,
        rank_interval: bool = True,
    ):
        if lang not in LANGS:
            raise CardsError(f"lang {lang!r} is not a card language (expected one of {', '.join(LANGS)})")
        self.result, self.lang = result, lang
        self.c, self.w = CARD_WORDS[lang], words(lang)
        self.contact, self.deadline = contact, deadline
        self.robustness, self.comparison = robustness, comparison
        self.decisions = decisions
        self.rank_interval = rank_interval  # the robustness sentence on the card, or not
        res, arr = result, result.arrays
        self.points = float(arr.weight.sum())
        self.median = np.median(res.category, axis=0)
        self.best = res.category.max(axis=0)
        # each category's largest effective points over the departments (exemptions move weight)
        self.most = np.array(
            [res.effective_weight[:, arr.category_of == n].sum(axis=1).max() for n in range(len(res.scheme.categories))]
        )
        self.figures = department_hashes(result)
        self.hash = result_hash(result, self.figures)
        self.rank_counts = {int(r): int(n) for r, n in zip(*np.unique(res.rank, return_counts=True))}
        self.precision = res.scheme.rules.rank_precision
        self.detail = res.detail(lang)
        self.log = res.adjustments(lang)
        self.base = res.base if res.base.ndim == 2 else np.broadcast_to(res.base, res.score.shape)
        if robustness is not None:
            self.rob = robustness.table.set_index("dept_id")
            self.spread = robustness.settings["uncertainty"].weight_spread
        if comparison is not None:
            rows = comparison.year(res.scheme.year)
            self.previous = rows.set_index("dept_id")
            self.previous_year = comparison.years[-2] if len(comparison.years) > 1 else None

    # the numbers of a card, as text
    def card(self, d: int) -> dict:
        res, c, lang = self.result, self.c, self.lang
        scheme, arr = res.scheme, res.arrays
        dept = res.data.departments.iloc[d]
        dept_id = str(dept["dept_id"])
        yes_no = lambda flag: c["yes"] if flag else c["no"]  # noqa: E731
        rank = int(res.rank[d])
        tied = self.rank_counts[rank] - 1
        facts = [
            (
                c["total"],
                c["total_of"].format(
                    total=_num(float(res.rounded_total[d]), self.precision), points=_points(self.points)
                ),
            ),
            (
                c["rank"],
                c["rank_of"].format(rank=rank, n=len(res.rank)) + (c["tied"].format(others=tied) if tied else ""),
            ),
            (c["eligible"], yes_no(bool(res.eligible[d]))),
        ]
        if res.excellent is not None:
            facts.append((c["excellent"], yes_no(bool(res.excellent[d]))))
        if res.converted is not None:
            facts.append((c["converted"], _num(float(res.converted[d]), self.precision)))

        categories, over = [], []
        for n, category in enumerate(scheme.categories):
            own = arr.category_of == n
            effective = float(res.effective_weight[d, own].sum())
            points = _points(category.points)
            if abs(effective - category.points) > 1e-9:
                points += c["effective"].format(effective=_num(effective))
            full = effective if effective > 0 else float(category.points)
            share = float(res.category[d, n]) / full if full else 0.0
            best = _num(float(self.best[n]))
            if float(self.best[n]) > category.points + 0.005:  # said why, once, under the table
                best += "*"
                over.append(
                    c["best_item"].format(
                        name=label(category, lang), most=_num(float(self.most[n])), points=_points(category.points)
                    )
                )
            categories.append(
                {
                    "name": label(category, lang),
                    "score": _num(float(res.category[d, n])),
                    "points": points,
                    "median": _num(float(self.median[n])),
                    "best": best,
                    "bar": _bar_svg(
                        share, float(self.median[n]) / full if full else 0, float(self.best[n]) / full if full else 0
                    ),
                }
            )
        total = _num(float(res.rounded_total[d]), self.precision)
        shown = sum(round(float(res.category[d, n]), 2) for n in range(len(scheme.categories)))
        sum_note = None
        if abs(shown - float(total)) > 1e-9:  # rounded parts need not add up to the rounded total: say so
            sum_note = c["sum_note"].format(
                digits=2, shown=_num(shown), total=total, diff=_num(abs(shown - float(total)), max(2, self.precision))
            )

        best_over = c["best_note"].format(items=("；" if lang == "zh" else "; ").join(over)) if over else None
        return {
            "dept_id": dept_id,
            "name": str(dept["name"]),
            "kind": scheme.kind_name(dept["kind"], lang),
            "year": scheme.year,
            "facts": facts,
            "rank": rank,
            "total": total,
            "points": _points(self.points),
            "categories": categories,
            "sum_note": sum_note,
            "best_note": best_over,
            "lost": self._lost(d, dept_id),
            "adjustments": self._adjustments(dept_id),
            "decisions": self._decisions(dept_id),
            "robustness": self._robustness(dept_id),
            "previous": self._previous(dept_id),
            "review": self._review(),
            **monitoring_lines(res, d, lang),
        }

    def _lost(self, d: int, dept_id: str) -> list[dict]:
        res, c, lang = self.result, self.c, self.lang
        arr = res.arrays
        gap = res.effective_weight[d] - res.score[d]
        order = [i for i in np.argsort(-gap, kind="stable") if gap[i] > 0.005][:LOST_SHOWN]
        notes = self.detail[self.detail["dept_id"] == dept_id].set_index("indicator")["note"]
        indicators = res.scheme.indicators
        rows = []
        for i in order:
            ind = indicators[i]
            base = _num(float(self.base[d, i]))
            if arr.is_direct[i]:  # points given outright: no base, no comparison with the best
                base = c["direct_base"]
                why = c["direct_why"].format(
                    who=c["who"].get(ind.source or "office", c["who"]["office"]), weight=_points(ind.weight)
                )
            else:
                why = c["not_reached"] if arr.is_binary[i] else c["below_best"]
            why = notes.get(arr.indicator_ids[i], "") or why
            rows.append(
                {
                    "id": str(ind.id),
                    "name": label(ind, lang),
                    "value": _num(float(res.value[d, i])),
                    "base": base,
                    "weight": _num(float(res.effective_weight[d, i])),
                    "score": _num(float(res.score[d, i])),
                    "gap": _num(float(gap[i])),
                    "why": why,
                }
            )
        return rows

    def _adjustments(self, dept_id: str) -> list[dict]:
        log = self.log[self.log["dept_id"] == dept_id]
        steps = self.c["steps"]
        return [
            {
                "step": steps.get(int(row.step), str(row.step)),
                "indicator": str(row.indicator),
                "reason": str(row.reason),
            }
            for row in log.itertuples()
        ]

    def _decisions(self, dept_id: str) -> list[str]:
        if self.decisions is None or self.decisions.empty:
            return []
        from wfscore.review.audit import REPORT_WORDS

        col = REPORT_WORDS[self.lang]["columns"]
        rows = self.decisions[self.decisions[col["dept_id"]] == dept_id]
        return [
            self.c["decision_line"]
            .format(
                time=r[col["time"]],
                item=r[col["item"]],
                field=r[col["field"]],
                old=r[col["old_value"]],
                new=r[col["new_value"]],
                comment=r[col["comment"]],
            )
            .strip()
            for _, r in rows.iterrows()
        ]

    def _robustness(self, dept_id: str) -> str | None:
        if self.robustness is None or not self.rank_interval:
            return None
        row = self.rob.loc[dept_id]
        lo, hi, median = (f"{float(row[k]):g}" for k in ("rank_p05", "rank_p95", "median_rank"))
        key = "robust_same" if lo == hi else "robust_sentence"
        return (
            self.c[key].format(spread=self.spread, n=self.robustness.samples, lo=lo, hi=hi, median=median)
            + self.c["robust_meaning"]
        )

    def _previous(self, dept_id: str) -> str | None:
        if self.comparison is None:
            return None
        c = self.c
        if dept_id not in self.previous.index:
            return c["previous_none"]
        row = self.previous.loc[dept_id]
        if row["previous_rank"] is None or (isinstance(row["previous_rank"], float) and np.isnan(row["previous_rank"])):
            return c["previous_none"]
        change = int(row["rank_change"]) if np.isfinite(row["rank_change"]) else 0
        move = c["rise"].format(n=change) if change > 0 else c["fall"].format(n=-change) if change < 0 else c["same"]
        text = c["previous_line"].format(
            year=self.previous_year,
            total=_num(float(row["previous_total"])),
            rank=f"{float(row['previous_rank']):g}",
            change=f"{float(row['total_change']):+.2f}",
            move=move,
        )
        ids = [str(i) for i in (row["previous_ids"] or [])] if isinstance(row["previous_ids"], (list, tuple)) else []
        if ids and ids != [dept_id]:
            text += c["previous_merged"].format(ids="、".join(ids) if self.lang == "zh" else ", ".join(ids))
        return text

    def _review(self) -> str:
        c = self.c
        if not self.contact and not self.deadline:
            return c["review_default"]
        return c["review_text"].format(
            contact=self.contact or c["no_contact"], deadline=self.deadline or c["no_deadline"]
        )

    def common(self) -> dict:
        """What every card shows alike: title, synthetic notice, input hashes, version."""
        res, c = self.result, self.c
        prov = res.provenance
        return {
            "lang": "zh-CN" if self.lang == "zh" else "en",
            "c": c,
            "title": c["card_title"].format(year=res.scheme.year),
            "scheme_title": res.scheme.title_en if self.lang == "en" and res.scheme.title_en else res.scheme.title,
            "synthetic": c["synthetic"] if res.data.synthetic else None,
            "result_hash": self.hash,
            "foot": c["foot"].format(
                result=self.hash[:16],
                version=prov["wfscore_version"],
                files=("、" if self.lang == "zh" else ", ").join(
                    f"{name} {digest[:8]}" for name, digest in prov["inputs_sha256"].items()
                ),
            ),
            "page_content": c["page"],
        }


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(maker: CardMaker) -> list[tuple[str, str, str]]:
    """Every department's card as (dept_id, name, HTML without the font), in rank order."""
    template = _environment().get_template("card.html.j2")
    common = maker.common()
    out = []
    for d in maker.result.order:
        card = maker.card(int(d))
        out.append(
            (
                card["dept_id"],
                card["name"],
                template.render(card=card, figures=maker.figures[card["dept_id"]], **common),
            )
        )
    return out


def render_index(
    maker: CardMaker, cards: list[tuple[str, str, str]], names: dict[str, str] | None = None, pdf: bool = True
) -> str:
    """The index page: every department in rank order, linked to its own card's files
    (``names``: :func:`file_names`); the PDF column and the zip only with ``pdf``."""
    res, c = maker.result, maker.c
    if names is None:
        names, _ = file_names([(dept_id, name) for dept_id, name, _ in cards])
    rows = []
    for d in res.order:
        dept = res.data.departments.iloc[int(d)]
        stem = urllib.parse.quote(names[str(dept["dept_id"])])  # a link: "#", "%" and spaces escaped
        rows.append(
            {
                "rank": int(res.rank[d]),
                "dept_id": str(dept["dept_id"]),
                "name": str(dept["name"]),
                "total": _num(float(res.rounded_total[d]), maker.precision),
                "html": f"{stem}.html",
                "pdf": f"{stem}.pdf",
            }
        )
    return (
        _environment()
        .get_template("cards_index.html.j2")
        .render(
            rows=rows,
            zip=ZIP_NAME if pdf else None,
            all_pdf=ALL_NAME if pdf else None,
            **{**maker.common(), "title": c["index_title"].format(year=res.scheme.year)},
        )
    )


# -- the whole run ---------------------------------------------------------------------


def check_out(out: Path, data_dir: Path) -> Path:
    """The cards folder is replaced as a whole: refuse one holding anything the cards did
    not write there (its manifest, :func:`wfscore.inputs.manifest.refusal`)."""
    from wfscore.inputs.manifest import refusal
    from wfscore.publish.report import shown_files

    out = Path(out)
    why, others = refusal(out, data_dir, "cards") or ("", [])
    if why == "file":
        raise CardsError(f"--out {str(out)!r} is a file (expected a folder for the cards)")
    if why == "foreign":
        raise CardsError(
            f"--out {str(out)!r} holds other files ({shown_files(others)}), which the cards did "
            "not write; they replace their folder as a whole and never delete what they did not "
            "write (choose an empty or new folder, or the folder of earlier cards)"
        )
    if why == "overlap":
        raise CardsError(
            f"--out {str(out)!r} overlaps the data folder {str(data_dir)!r} "
            "(expected a separate folder, such as reports/2011/cards)"
        )
    return out


def combined(pages: list[str]) -> str:
    """The cards as one page, each from a new sheet, in the given order: the first card's
    head (its styles and the run's shared font) and every card's body."""
    if not pages:
        return ""
    head = pages[0][: pages[0].index("<body>")]
    head = head.replace("</style>", ".wf-card + .wf-card { break-before: page; }\n</style>", 1)
    bodies = [p[p.index("<body>") + len("<body>") : p.rindex("</body>")] for p in pages]
    return head + "<body>" + "".join(f'<div class="wf-card">{b}</div>' for b in bodies) + "</body>\n</html>\n"


def maker_for(
    result: Result,
    lang: str = "zh",
    contact: str | None = None,
    deadline: str | None = None,
    robustness: bool = True,
    previous: bool = True,
    rank_interval: bool = True,
) -> CardMaker:
    """A :class:`CardMaker` with the year's robustness analysis, comparison with last year
    (when present) and review decisions."""
    from wfscore.analysis.sensitivity import analyse
    from wfscore.analysis.uncertainty import Uncertainty
    from wfscore.analysis.years import with_previous
    from wfscore.review.audit import decisions_table

    rob = (
        analyse(
            result.data,
            scheme=result.scheme,
            uncertainty=Uncertainty(),
            samples=ROBUSTNESS_SAMPLES,
            seed=ROBUSTNESS_SEED,
        )
        if robustness
        else None
    )
    comparison = None
    if previous:
        try:
            comparison = with_previous(result)
        except Exception:  # a year before that cannot be read: the cards say there is no comparison
            comparison = None
    return CardMaker(
        result,
        lang,
        contact,
        deadline,
        rob,
        comparison,
        decisions_table(result.data.folder, lang),
        rank_interval=rank_interval,
    )


def build(
    data_dir: str | Path,
    out: str | Path | None = None,
    lang: str = "zh",
    contact: str | None = None,
    deadline: str | None = None,
    pdf: bool = True,
    tabs: int = 2,
    rank_interval: bool = True,
    progress: bool = False,
    lines: bool = False,
) -> Cards:
    """Make every department's card of ``data_dir`` into ``out`` (default
    ``reports/<year>/cards``); with ``pdf=False`` the HTML and the index only;
    ``rank_interval=False`` leaves the robustness sentence off the cards. Nothing is
    written unless every card was made. Without a browser for the PDFs,
    :class:`~wfscore.publish.pdf.PdfError` before any work. ``progress`` draws a bar (on a
    terminal), ``lines`` says each step on a line instead (:mod:`wfscore.publish.progress`)."""
    from wfscore.engine.pipeline import score
    from wfscore.inputs.loading import load_year
    from wfscore.inputs.manifest import write_manifest
    from wfscore.inputs.output import staged_folder
    from wfscore.inputs.params import check_year
    from wfscore.publish.webfont import FontSubsetter

    start = time.perf_counter()
    if lang not in LANGS:
        raise CardsError(f"--lang {lang!r} is not a card language (expected one of {', '.join(LANGS)})")
    for name, text in (("--contact", contact), ("--deadline", deadline)):
        if text is not None and (not text.strip() or any(ord(ch) < 32 for ch in text)):
            raise CardsError(f"{name} {text!r} is not usable (expected plain text without control characters)")
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise CardsError(f"{str(data_dir)!r} is not a folder (expected a year's data folder, such as data/2011)")
    if pdf:
        from wfscore.publish.pdf import chromium_path

        chromium_path()  # PdfError now, not after the work
    data = load_year(data_dir)  # InputError lists every problem
    year = check_year(data.year)
    out = check_out(Path(out) if out is not None else Path("reports") / str(year) / "cards", data_dir)
    result = score(data)
    from wfscore.publish.progress import Progress

    # a step per card made and per card printed, and one for the PDF of all the cards
    steps = Progress(len(data.dept_ids) * (1 + pdf) + pdf, "cards", bar=progress, lines=lines, items=len(data.dept_ids))
    steps.say("cards", n=len(data.dept_ids))
    maker = maker_for(result, lang, contact, deadline, robustness=rank_interval, rank_interval=rank_interval)
    cards = render(maker)
    names, clashes = file_names([(dept_id, name) for dept_id, name, _ in cards])
    index = render_index(maker, cards, names, pdf)
    # one subset for the run: the glyphs of all the cards (a card uses most of them; cutting
    # 129 subsets would cost a second each, README "Feedback cards and print")
    fonts = FontSubsetter()
    face = fonts.shared_face([html for _, _, html in cards] + [index])
    pages = [(names[dept_id], fonts.embed(html, face)) for dept_id, _, html in cards]
    steps.advance(len(pages))
    with steps, staged_folder(out) as tmp:
        from wfscore.inputs.output import current_umask

        tmp.chmod(0o777 & ~current_umask())
        for stem, html in pages:
            (tmp / f"{stem}.html").write_text(html, encoding="utf-8")
        (tmp / INDEX_NAME).write_text(fonts.embed(index, face), encoding="utf-8")
        if pdf:
            from wfscore.publish.pdf import Job, print_pdfs

            steps.say("cards_pdf", n=len(pages))
            # the one PDF of all the cards first: one tab prints it while the others print the cards
            print_pdfs(
                [Job(combined([html for _, html in pages]), tmp / ALL_NAME, options=UNTAGGED)]
                + [Job(html, tmp / f"{stem}.pdf", options=UNTAGGED) for stem, html in pages],
                tabs=tabs,
                on_done=lambda job: steps.advance() if job.path.name == ALL_NAME else steps.printed(),
            )
            with zipfile.ZipFile(tmp / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as z:
                for stem, _ in pages:
                    z.write(tmp / f"{stem}.pdf", arcname=f"{stem}.pdf")
        count = sum(1 for p in tmp.glob("*.html") if p.name != INDEX_NAME)  # the cards written, counted
        write_manifest(tmp, "cards")
        steps.close()
    return Cards(
        folder=out,
        year=year,
        count=count,
        seconds=time.perf_counter() - start,
        warnings=data.warnings,
        pdf=pdf,
        clashes=tuple(tuple(ids) for ids in clashes),
    )


# -- whether a folder's cards are of the current result ----------------------------------


@dataclass(frozen=True)
class CardCheck:
    """What :func:`check_cards` found; every tuple holds dept_ids or file names."""

    folder: Path
    year: int
    result: str  # the current result's hash
    cards: int  # the cards of the folder that name a department of the result
    other_result: tuple = ()  # departments whose card was made for another result
    changed: tuple = ()  # of those, the departments whose own figures are not the card's
    missing: tuple = ()  # departments of the result without a card
    unknown: tuple = ()  # card pages naming no department of the result
    edited: tuple = ()  # files added or changed since the cards were written (the manifest)
    names: dict = field(default_factory=dict)  # dept_id → name, of the current result

    @property
    def ok(self) -> bool:
        return not (self.other_result or self.missing or self.unknown or self.edited)


def check_cards(data_dir: str | Path, folder: str | Path) -> CardCheck:
    """Compare the cards of ``folder`` with the current result of ``data_dir``: each
    card's recorded result hash and its department's figures (:func:`department_hashes`),
    the departments without a card, and the files changed since the cards were written."""
    from wfscore.engine.pipeline import score
    from wfscore.inputs.loading import load_year
    from wfscore.inputs.manifest import foreign_files

    folder = Path(folder)
    if not folder.is_dir():
        raise CardsError(
            f"--check {str(folder)!r} is not a folder (expected a folder of cards, such as reports/2011/cards)"
        )
    data = load_year(Path(data_dir))  # InputError lists every problem
    result = score(data)
    figures = department_hashes(result)
    current = result_hash(result, figures)
    found: dict[str, dict[str, str]] = {}
    unknown = []
    for page in sorted(folder.glob("*.html")):
        if page.name == INDEX_NAME:
            continue
        meta = page_metas(page)
        dept = meta.get(DEPT_META)
        if dept not in figures:
            unknown.append(page.name)
            continue
        found[dept] = meta
    other = tuple(d for d in figures if d in found and found[d].get(RESULT_META) != current)
    return CardCheck(
        folder=folder,
        year=int(data.year),
        result=current,
        cards=len(found),
        other_result=other,
        changed=tuple(d for d in other if found[d].get(FIGURES_META) != figures[d]),
        missing=tuple(d for d in figures if d not in found),
        unknown=tuple(unknown),
        edited=tuple(foreign_files(folder, "cards")),
        names=dict(zip(map(str, data.departments["dept_id"]), map(str, data.departments["name"]))),
    )
