"""The words wfscore prints and writes, in Chinese (default) and English.

Scheme names (sections, categories, indicators, kinds) come from ``scheme.yaml``;
this file holds only the wording around them.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from typing import Iterator

LANGS = ("zh", "en")
ENV = "WFSCORE_LANG"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "missing_value": "缺少数据，计 0 分",
        "exemption": "经确认不适用（{reason}），权重 {weight:g} → 0",
        "redistribution": "因本部门不适用指标调整权重：{weight:g} → {effective:.2f}",
        "section_exempt": "{section}全部指标不适用，该部分计 0 分",
        "website_evaluation": "按全市政务网站绩效评估成绩计入：{evaluation}/100 × {effective:.2f} = {score:.2f}",
        "security_incident": "发生信息安全事故（{incidents}），本项不得分（原得 {before:.2f} 分）",
        "disqualification": "发生重大网络与信息安全事故（{incidents}），取消评优资格",
        "achievements": "确认成果 {count:g} 项",
        "no_reason": "未说明理由",
        "department": "部门",
        "kind": "类别",
        "total": "总分",
        "rank": "名次",
        "eligible": "具备评优资格",
        "excellent": "优秀",
        "converted": "折算得分",
        "yes": "是",
        "no": "否",
        "indicator": "指标",
        "indicator_name": "指标名称",
        "value": "指标值",
        "ratings": "专家评分",
        "severity_ordinary": "一般",
        "severity_major": "重大",
        "nominal": "名义",
        "base": "基数",
        "weight": "权重",
        "effective_weight": "实际权重",
        "score": "得分",
        "note": "说明",
        "adjustments": "调整记录",
        "no_adjustments": "无调整",
        "requests": "不适用申请",
        "confirmed": "已确认",
        "unconfirmed": "未确认，不计",
        "achievements_list": "奖励成果",
        "incidents_list": "安全事故",
        "of": "共 {n} 个部门",
        "synthetic": "注意：本年度数据为合成的示例数据，并非真实考核结果。",
    },
    "en": {
        "missing_value": "no value: scored 0",
        "exemption": "confirmed as not applicable ({reason}): weight {weight:g} → 0",
        "redistribution": "weight redistributed for exemptions: {weight:g} → {effective:.2f}",
        "section_exempt": "every indicator of {section} is exempt: the section scores 0",
        "website_evaluation": "from the city's website evaluation: {evaluation}/100 × {effective:.2f} = {score:.2f}",
        "security_incident": "security incident ({incidents}): scored 0 (was {before:.2f})",
        "disqualification": "major incident ({incidents}): not eligible for excellence",
        "achievements": "{count:g} confirmed achievement(s)",
        "no_reason": "no reason given",
        "department": "Department",
        "kind": "Kind",
        "total": "Total",
        "rank": "Rank",
        "eligible": "Eligible",
        "excellent": "Excellent",
        "converted": "Converted",
        "yes": "yes",
        "no": "no",
        "indicator": "Indicator",
        "indicator_name": "Name",
        "value": "Value",
        "ratings": "Ratings",
        "severity_ordinary": "ordinary",
        "severity_major": "major",
        "nominal": "nominal",
        "base": "Base",
        "weight": "Weight",
        "effective_weight": "Effective weight",
        "score": "Score",
        "note": "Note",
        "adjustments": "Adjustments",
        "no_adjustments": "none",
        "requests": "Exemption requests",
        "confirmed": "confirmed",
        "unconfirmed": "not confirmed, not counted",
        "achievements_list": "Achievements",
        "incidents_list": "Incidents",
        "of": "of {n} departments",
        "synthetic": "Note: this year's data is synthetic sample data, not a real assessment.",
    },
}


def words(lang: str) -> dict[str, str]:
    if lang not in TEXT:
        raise ValueError(f"unknown language {lang!r} (expected one of {', '.join(LANGS)})")
    return TEXT[lang]


# -- the language of messages the library prints itself --------------------------------------


def environment_lang(environ=None) -> tuple[str, str | None]:
    """The messages' language when no ``--lang`` is given: ``WFSCORE_LANG``, else the
    locale, else Chinese; and a warning when ``WFSCORE_LANG`` holds something else."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV, "").strip()
    note = None
    if value.lower() in LANGS:
        return value.lower(), None
    if value:
        note = (
            f"环境变量 {ENV} 的值 {value!r} 无效（应为 zh 或 en），已忽略",
            f"the environment variable {ENV} is {value!r} (expected zh or en); ignored",
        )
    lang = "zh"
    for name in LOCALE_VARIABLES:
        found = environ.get(name, "")
        if found:  # the first one set decides, as in POSIX
            lang = "en" if found.lower().startswith("en") else "zh"
            break
    return lang, None if note is None else note[lang == "en"]


_messages: str | None = None


def set_messages_lang(lang: str | None) -> None:
    """The language of what the library prints itself (notes, progress bars): the
    command line sets it from ``--lang``; None goes back to :func:`environment_lang`."""
    global _messages
    _messages = lang if lang in LANGS else None


@contextmanager
def messages_in(lang: str | None) -> Iterator[None]:
    """:func:`set_messages_lang` for the time of a block, then back to what it was (a
    command run in a process that goes on, a notebook's or a test's, leaves nothing set)."""
    global _messages
    before = _messages
    set_messages_lang(lang)
    try:
        yield
    finally:
        _messages = before


def messages_lang() -> str:
    """What :func:`set_messages_lang` set, else ``WFSCORE_LANG``, else the locale, else Chinese."""
    return _messages or environment_lang()[0]


# What a progress bar says it does, and what it counts.
BARS: dict[str, dict[str, tuple[str, str]]] = {
    "zh": {
        "robustness": ("稳健性分析", "个样本"),
        "reports": ("生成报告", "步"),
        "returns": ("读取报送表", "个文件"),
        "forms": ("生成报送表", "个文件"),
        "cards": ("生成反馈卡", "步"),
    },
    "en": {
        "robustness": ("robustness", "sample"),
        "reports": ("reports", "step"),
        "returns": ("returns", "file"),
        "forms": ("forms", "file"),
        "cards": ("cards", "step"),
    },
}


def bar_words(what: str) -> dict[str, str]:
    """tqdm's ``desc`` and ``unit`` for the bar of ``what``, in :func:`messages_lang`."""
    desc, unit = BARS[messages_lang()][what]
    return {"desc": desc, "unit": unit}


def rank_move(change: float, zero: str = "–") -> str:
    """A change of rank as shown everywhere: ``▲3`` (up three places), ``▼2`` (down two),
    ``zero`` where the rank did not change."""
    if change > 0:
        return f"▲{abs(change):.0f}"
    if change < 0:
        return f"▼{abs(change):.0f}"
    return zero


def signed(x: float, places: int = 2, zero: str | None = "±0") -> str:
    """A difference with its sign, to ``places`` decimals (``+1.25``, ``-0.40``); ``zero``
    where it rounds to nothing (None: shown as ``+0.00``), ``–`` where it is not a number."""
    if not math.isfinite(x):
        return "–"
    if zero is not None and abs(x) < 0.5 / 10**places:
        return zero
    return f"{x:+.{places}f}"
