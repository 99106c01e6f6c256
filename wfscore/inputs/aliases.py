"""Chinese column headers, and kinds written by their name, accepted as the SPEC's ids.

An office's spreadsheet often heads its columns in Chinese (部门编号, 指标, 分值) and
writes a department's kind as 党的机关 rather than ``party``. Each table accepts, for
each of its SPEC columns, the Chinese headers below (the README lists them); a header
is read as the SPEC name it stands for, so every message names the SPEC column. A
header given twice under two names (``dept_id`` and 部门编号) is an error, as a
column named twice is.

Kinds: a ``kind`` cell may hold the kind's id, its name in the scheme (``name``) or
its English name (``name_en``); each is read as the id. Severities: an incident's
``severity`` may be written 一般 or 重大, read as ``ordinary`` and ``major``.
"""

from __future__ import annotations

import re
import unicodedata

_DEPT = ("部门编号", "部门代码", "单位编号", "单位代码")
_INDICATOR = ("指标", "指标编号", "指标序号")
_CONFIRMED = ("已确认", "确认", "是否确认")

# table → SPEC column → the Chinese headers read as it
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "departments": {
        "dept_id": _DEPT + ("编号",),
        "name": ("部门名称", "单位名称", "部门", "单位", "名称"),
        "kind": ("部门类别", "单位类别", "类别"),
        "previous_ids": ("原部门编号", "曾用编号", "原编号"),
        "website": ("网站", "网址", "网站地址"),
    },
    "values": {
        "dept_id": _DEPT,
        "indicator": _INDICATOR,
        "value": ("分值", "指标值", "数值", "值"),
    },
    "ratings": {
        "dept_id": _DEPT,
        "indicator": _INDICATOR,
        "expert": ("专家", "专家编号", "专家姓名"),
        "rating": ("评分", "专家评分", "分数"),
    },
    "website_eval": {
        "dept_id": _DEPT,
        "score": ("网站评估成绩", "评估成绩", "成绩", "得分"),
    },
    "exemptions": {
        "dept_id": _DEPT,
        "indicator": _INDICATOR,
        "reason": ("不适用理由", "理由", "原因"),
        "confirmed": _CONFIRMED,
    },
    "incidents": {
        "dept_id": _DEPT,
        "date": ("日期", "发生日期"),
        "severity": ("严重程度", "等级", "事故等级"),
        "description": ("事故描述", "描述", "说明"),
        "confirmed": _CONFIRMED,
    },
    "achievements": {
        "dept_id": _DEPT,
        "indicator": _INDICATOR,
        "title": ("成果名称", "成果", "名称"),
        "confirmed": _CONFIRMED,
    },
}


# an incident's severity in the notice's words → the SPEC's
SEVERITY_NAMES: dict[str, str] = {"一般": "ordinary", "重大": "major"}


def _key(header: str) -> str:
    """A header as compared: full-width forms folded (NFKC), spaces inside dropped."""
    return "".join(unicodedata.normalize("NFKC", header).split())


_LOOKUP: dict[str, dict[str, str]] = {
    table: {_key(alias): column for column, aliases in columns.items() for alias in aliases}
    for table, columns in ALIASES.items()
}


def spec_header(table: str, header: list[str]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """``header`` with each Chinese alias replaced by the SPEC column it stands for, and
    the clashes: (position, header as written, SPEC column) of every header that names
    a column an earlier header already named. A table wfscore does not know keeps its
    header."""
    lookup = _LOOKUP.get(table)
    if not lookup:
        return list(header), []
    named: list[str] = []
    clashes: list[tuple[int, str, str]] = []
    for k, written in enumerate(header):
        column = lookup.get(_key(written), written)
        if column in named:  # an exact repeat is the reader's own error; this is a repeat under two names
            clashes.append((k, written, column))
        named.append(column)
    return named, clashes


def kind_ids(kinds: dict) -> dict[str, str]:
    """What a ``kind`` cell may hold → the kind's id: the id itself, the kind's name and
    its English name (compared as headers are, full-width forms folded)."""
    ids: dict[str, str] = {}
    for kid, kind in kinds.items():
        for text in (getattr(kind, "name_en", None), getattr(kind, "name", None)):
            if text:
                ids.setdefault(_key(text), kid)
                short = re.sub(r"[（(][^（()）]*[）)]$", "", _key(text))  # 政府机关（含直属单位） → 政府机关
                if short:
                    ids.setdefault(short, kid)
    for kid in kinds:  # an id always means itself, whatever another kind's name says
        ids[kid] = kid
    return ids


def kind_id(text: str, ids: dict[str, str]) -> str:
    """The kind id ``text`` stands for, or ``text`` itself when it names no kind."""
    return ids.get(text) or ids.get(_key(text), text)


def severity_id(text: object) -> object:
    """The SPEC severity ``text`` stands for (一般 → ``ordinary``, 重大 → ``major``; full-width
    forms and spaces inside ignored), or ``text`` itself."""
    if isinstance(text, str) and not text.isascii():
        return SEVERITY_NAMES.get(_key(text), text)
    return text
