"""The forms that go out before a year is scored: one self-check workbook per department,
one rating workbook per expert, one workbook for the office's own figures.

Each workbook identifies itself in a very hidden sheet (:data:`IDENTITY`): which form it
is, the year, the scheme's hash, the department or expert, and the ids of its rows and
columns in order, so that :mod:`wfscore.inputs.collect` reads it back whatever its file
is called and notices a changed layout. Every sheet is protected; only the cells to fill
in are unlocked, and those carry Excel data validation. Every text from the scheme or
``departments.csv`` is written as a string, never as a formula.

Labels and instructions are Chinese; ``lang="en"`` writes them in English.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from wfscore.inputs.scheme import Indicator, Scheme, source_of
from wfscore.inputs.wording import bar_words

IDENTITY = "_wfscore"
PROPERTY_PREFIX = "wfscore."  # the identity as custom document properties: wfscore.form, wfscore.year, ...
PROPERTY_CHARS = 240  # a longer value continues in wfscore.<key>.1, .2, ...
LAYOUT = "1"
FORM_KINDS = ("self_check", "expert", "office")
CLAIM_ROWS = 30  # empty achievement rows on a self-check form


@dataclass(frozen=True)
class IndicatorsLayout:
    """The self-check form's indicators sheet, for the writer, the reader (collect), the
    demonstration filler and the tests alike: a header row, then one row an indicator
    from row 2, in these columns (counted from 0, as xlsxwriter and openpyxl's rows count)."""

    id: int = 0
    name: int = 1
    text: int = 2
    value: int = 3  # the department's figure (or who gives it, greyed)
    unit: int = 4
    exempt: int = 5  # 是/否: asks that the indicator be treated as not applicable
    reason: int = 6  # why
    widths: tuple[int, ...] = (8, 24, 60, 12, 14, 16, 40)
    first_row: int = 2  # the first indicator's row, counted from 1 as a spreadsheet names it

    @property
    def columns(self) -> int:
        return len(self.widths)

    def ref(self, column: int, row: int) -> str:
        """The name a spreadsheet gives the cell: ``ref(exempt, 5)`` is ``F5``."""
        return f"{chr(ord('A') + column)}{row}"


SELF_CHECK = IndicatorsLayout()

# Sheet names are the layout: collection looks them up by name, in either language.
SHEETS = {
    "cover": {"zh": "封面", "en": "Cover"},
    "indicators": {"zh": "指标", "en": "Indicators"},
    "achievements": {"zh": "奖励申报", "en": "Achievements"},
    "ratings": {"zh": "评分", "en": "Ratings"},
    "criteria": {"zh": "评分标准", "en": "Criteria"},
    "website": {"zh": "网站评估", "en": "Website evaluation"},
    "office": {"zh": "考核办指标", "en": "Office figures"},
}

WORDS = {
    "zh": {
        "self_check_file": "自查表_{id}_{name}.xlsx",
        "expert_file": "专家评分表_{id}.xlsx",
        "office_file": "考核办填报表.xlsx",
        "self_check_title": "{title} · 部门自查表",
        "expert_title": "{title} · 专家评分表",
        "office_title": "{title} · 考核办填报表",
        "department": "部门",
        "dept_id": "部门编号",
        "dept_name": "部门名称",
        "kind": "类别",
        "year": "年度",
        "deadline": "报送截止日期",
        "contact": "联系人及电话",
        "expert": "专家",
        "scheme": "考核方案校验码",
        "instructions": "填报说明",
        "synthetic": "注意：本表由合成数据（synthetic）生成，仅供演示，不代表任何部门的真实情况。",
        "self_check_help": [
            (
                "1. 请在“指标”表 D 列填写本部门各项指标的数值（只能填写数字，不小于 0）；单位见 E 列。"
                "百分比可直接填写数字（如 85）或 85%。"
            ),
            (
                "2. 本部门确无某项工作的，请在 F 列选择“是”，并在 G 列写明理由；该申请经考核办确认后，"
                "对相应指标权数进行调整。"
            ),
            "3. 由专家评分或考核办评定的指标无需填写数值，如确无此项工作，同样可在 F、G 列提出申请。",
            (
                "4. 获得表彰奖励、示范试点、现场会或争取到项目资金的，请在“奖励申报”表逐项填写（指标从下拉列表选择），"
                "并随自查报告报送证明材料。"
            ),
            "5. 请勿插入、删除或移动行列，请勿修改灰色单元格；文件可以改名，不影响汇总。",
        ],
        "expert_help": [
            "1. 请在“评分”表中为每个部门的每项定性指标打分，分值 0–100（可带小数）。",
            "2. 各指标的评分标准见“评分标准”表及列标题的批注。",
            "3. 灰色单元格（标“—”）不需评分：该部门该项指标由全市政务网站绩效评估成绩计入。",
            "4. 没有把握的项目可以留空；请勿插入、删除或移动行列。",
        ],
        "office_help": [
            "1. “网站评估”表：填写各部门的全市政务网站绩效评估成绩（0–100）。",
            "2. “考核办指标”表：填写由考核办评定的指标（如自查报告得分，0 至该指标权数）。",
            "3. 请勿插入、删除或移动行列。",
        ],
        "col_id": "编号",
        "col_name": "指标名称",
        "col_text": "评分标准",
        "col_value": "填报值",
        "col_unit": "单位及说明",
        "col_exempt": "本部门无此项工作（是/否）",
        "col_reason": "说明理由",
        "col_reward": "奖励指标（下拉选择）",
        "col_title": "成果名称",
        "col_doc": "文号或证明材料",
        "col_rewards_list": "可申报的奖励指标",
        "col_weight": "权数",
        "col_score": "网站绩效评估成绩（0–100）",
        "by_experts": "由专家评分",
        "by_office": "由考核办评定",
        "direct_unit": "分（0–{weight:g}）",
        "rating_note": "{name}（权数 {weight:g}）\n评分标准：{text}\n评分 0–100",
        "not_rated": "—",
        "yes": "是",
        "no": "否",
        "bad_number": "请填写不小于 0 的数字",
        "bad_direct": "请填写 0 至 {weight:g} 之间的数字",
        "bad_rating": "请填写 0 至 100 之间的分数",
        "bad_choice": "请从下拉列表中选择",
    },
    "en": {
        "self_check_file": "self_check_{id}_{name}.xlsx",
        "expert_file": "ratings_{id}.xlsx",
        "office_file": "office_figures.xlsx",
        "self_check_title": "{title} · self-check form",
        "expert_title": "{title} · expert rating sheet",
        "office_title": "{title} · office figures",
        "department": "Department",
        "dept_id": "Department id",
        "dept_name": "Department",
        "kind": "Kind",
        "year": "Year",
        "deadline": "Deadline",
        "contact": "Contact",
        "expert": "Expert",
        "scheme": "Scheme check code",
        "instructions": "How to fill in this form",
        "synthetic": "Note: made from SYNTHETIC data, for demonstration only; it describes no real department.",
        "self_check_help": [
            (
                "1. In sheet Indicators, column D, enter this department's figure for each indicator (a number, at "
                "least 0); units in column E. A percentage may be typed as 85 or 85%."
            ),
            (
                "2. Where the department has no such work, choose yes in column F and give the reason in column G; the "
                "office confirms the request before weights are adjusted."
            ),
            (
                "3. Indicators rated by the experts or set by the office need no figure; a request that one does not "
                "apply goes in columns F and G too."
            ),
            (
                "4. Claim awards, pilots, on-site meetings, projects and funds won in sheet Achievements, one per row "
                "(indicator from the drop-down)."
            ),
            "5. Do not insert, delete or move rows or columns; grey cells cannot be changed; the file may be renamed.",
        ],
        "expert_help": [
            "1. In sheet Ratings, rate each department on each qualitative indicator, 0–100 (decimals allowed).",
            "2. The criteria are in sheet Criteria and in the column headers' notes.",
            "3. Grey cells (—) need no rating: the city's website evaluation counts there.",
            "4. Leave a cell empty when unsure; do not insert, delete or move rows or columns.",
        ],
        "office_help": [
            "1. Website evaluation: each department's score in the city's website evaluation (0–100).",
            "2. Office figures: the indicators the office sets (such as the self-check points, 0 to the weight).",
            "3. Do not insert, delete or move rows or columns.",
        ],
        "col_id": "Id",
        "col_name": "Indicator",
        "col_text": "Criterion",
        "col_value": "Figure",
        "col_unit": "Unit",
        "col_exempt": "No such work here (yes/no)",
        "col_reason": "Reason",
        "col_reward": "Reward indicator (drop-down)",
        "col_title": "Title",
        "col_doc": "Document number",
        "col_rewards_list": "Reward indicators",
        "col_weight": "Weight",
        "col_score": "Website evaluation (0–100)",
        "by_experts": "rated by the experts",
        "by_office": "set by the office",
        "direct_unit": "points (0–{weight:g})",
        "rating_note": "{name} (weight {weight:g})\nCriterion: {text}\nRate 0–100",
        "not_rated": "—",
        "yes": "yes",
        "no": "no",
        "bad_number": "Enter a number of at least 0",
        "bad_direct": "Enter a number from 0 to {weight:g}",
        "bad_rating": "Enter a rating from 0 to 100",
        "bad_choice": "Choose from the list",
    },
}

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def scheme_hash(scheme: Scheme) -> str:
    """A short fingerprint of the scheme's content (not of its file's bytes), so that a
    return made from another scheme is noticed."""
    data = json.dumps(scheme.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def safe_file_part(text: str) -> str:
    """``text`` fit for a file name: no path separators, control or reserved characters."""
    cleaned = _UNSAFE.sub("_", str(text)).strip().lstrip(".")
    return cleaned[:60] or "_"


def put(ws, row: int, col: int, value, **style):
    """Write one cell of an openpyxl sheet (filling a form); text is always a string cell
    (``=1+1`` stays text, never a formula)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def reported(scheme: Scheme, kind: str) -> list[Indicator]:
    """The indicators on a department's indicator sheet: every ``index`` and ``direct``
    indicator it can be scored on (not those the website evaluation replaces for its kind),
    whoever supplies the figure, so that it can ask for any of them to be exempted."""
    rule = scheme.rules.website_evaluation
    overridden: set[str] = set()
    if rule is not None and kind in rule.kinds:
        overridden = {i.id for i in scheme.category(rule.category).indicators}
    return [i for i in scheme.indicators if i.method != "binary" and i.id not in overridden]


def overridden_for(scheme: Scheme, kind: str) -> set[str]:
    rule = scheme.rules.website_evaluation
    if rule is None or kind not in rule.kinds:
        return set()
    return {i.id for i in scheme.category(rule.category).indicators}


def website_departments(scheme: Scheme, departments) -> list[int]:
    """Positions of the departments that take the website evaluation."""
    rule = scheme.rules.website_evaluation
    if rule is None:
        return []
    return [n for n, kind in enumerate(departments["kind"]) if kind in rule.kinds]


def reward_label(ind: Indicator) -> str:
    return f"{ind.id} {ind.name}"


@dataclass(frozen=True)
class Written:
    """What :func:`write_forms` wrote: file names per form."""

    departments: dict[str, str]
    experts: dict[str, str]
    office: str


LINE_POINTS = 16  # one line of 11-point text, CJK included, in a row's height
A4 = 9  # Excel's paper size code


def text_lines(text: str, width: float) -> int:
    """The lines ``text`` takes wrapped in a column ``width`` characters wide (Excel's
    unit: a CJK or full-width character counts two)."""
    room = max(1.0, width - 1.5)
    lines = 0
    for part in str(text).split("\n"):
        wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        lines += max(1, math.ceil(wide / room))
    return lines


def fit_rows(ws, rows: dict[int, list[tuple[str, float]]]) -> None:
    """Give each row (0-based) the height its wrapped texts need: ``rows`` maps a row to
    its (text, column width) pairs; a row of one line keeps Excel's height."""
    for r, cells in rows.items():
        lines = max((text_lines(text, width) for text, width in cells), default=1)
        if lines > 1:
            ws.set_row(r, lines * LINE_POINTS + 2)


def _words(lang: str) -> dict:
    w = dict(WORDS[lang])
    w["_lang"] = lang
    return w


class _Book:
    """One workbook written with XlsxWriter (in memory, then saved once): its formats, text
    cells that are never formulas or links, the cover, protection and the hidden identity."""

    PROTECT = {"format_columns": True, "autofilter": True}

    def __init__(self, path: Path, lang: str):
        import xlsxwriter

        self.w = _words(lang)
        self.lang = lang
        self.wb = xlsxwriter.Workbook(
            str(path),
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        add = self.wb.add_format
        self.bold = add({"bold": True})
        self.big = add({"bold": True, "font_size": 14})
        self.red = add({"bold": True, "font_color": "#C00000"})
        self.head = add({"bold": True, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top"})
        self.grey = add({"bg_color": "#DDDDDD"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.open = add({"locked": False, "bg_color": "#FFF7D6"})
        self.open_wrap = add({"locked": False, "bg_color": "#FFF7D6", "text_wrap": True, "valign": "top"})

    @staticmethod
    def text(ws, r: int, c: int, value, fmt=None) -> None:
        ws.write_string(r, c, "" if value is None else str(value), fmt)

    def sheet(self, key: str):
        return self.wb.add_worksheet(SHEETS[key][self.lang])

    def cover(self, title: str, rows: list[tuple[str, str]], help_lines: list[str], synthetic: bool) -> None:
        ws = self.sheet("cover")
        self.text(ws, 0, 0, title, self.big)
        r = 2
        for key, value in rows:
            self.text(ws, r, 0, key, self.bold)
            self.text(ws, r, 1, value)
            r += 1
        r += 1
        self.text(ws, r, 0, self.w["instructions"], self.bold)
        for line in help_lines:
            r += 1
            self.text(ws, r, 0, line)
        if synthetic:
            self.text(ws, r + 2, 0, self.w["synthetic"], self.red)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 60)
        self.print_setup(ws, landscape=False, header_rows=0)
        ws.protect("", self.PROTECT)

    def print_setup(self, ws, landscape: bool = True, header_rows: int = 1) -> None:
        """How the sheet prints: A4, landscape (or portrait), one page wide and as many tall
        as it takes, the first ``header_rows`` rows on every page, margins of about 1.5 cm
        at the sides and 2 cm at the top and foot, the grid, page numbers at the foot."""
        ws.set_paper(A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
        if header_rows:
            ws.repeat_rows(0, header_rows - 1)
        ws.hide_gridlines(0)
        ws.set_footer("&C第 &P 页，共 &N 页" if self.lang == "zh" else "&CPage &P of &N")

    def close(self, key: bytes | None = None, **identity) -> None:
        """The hidden identity, signed with the office's ``key`` (:mod:`wfscore.inputs.signing`)."""
        from wfscore.inputs.signing import SIGNATURE, sign

        fields = {name: "" if value is None else str(value) for name, value in identity.items()}
        if key is not None:
            fields[SIGNATURE] = sign(key, fields)
        ws = self.wb.add_worksheet(IDENTITY)
        for r, (name, value) in enumerate(fields.items()):
            self.text(ws, r, 0, name)
            self.text(ws, r, 1, value)
            # also as document properties: LibreOffice keeps them on a save, but saves a very
            # hidden sheet as merely hidden (anyone may show it); collect reads these first
            for n in range(0, max(len(value), 1), PROPERTY_CHARS):  # Excel keeps at most 255 characters a property
                self.wb.set_custom_property(
                    f"{PROPERTY_PREFIX}{name}" + (f".{n // PROPERTY_CHARS}" if n else ""), value[n : n + PROPERTY_CHARS]
                )
        ws.very_hidden()
        ws.protect()
        self.wb.close()


def _title(scheme: Scheme, lang: str) -> str:
    return scheme.title_en if lang == "en" and scheme.title_en else scheme.title


def _name(ind: Indicator, lang: str) -> str:
    return ind.name_en if lang == "en" and ind.name_en else ind.name


def write_self_check(
    path: Path,
    scheme: Scheme,
    dept: dict,
    *,
    deadline: str = "",
    contact: str = "",
    lang: str = "zh",
    synthetic: bool = False,
    key: bytes | None = None,
) -> None:
    """Write the self-check form of one department (``dept``: dept_id, name, kind) to ``path``."""
    book = _Book(path, lang)
    w, text = book.w, book.text
    book.cover(
        w["self_check_title"].format(title=_title(scheme, lang)),
        [
            (w["dept_id"], dept["dept_id"]),
            (w["department"], dept["name"]),
            (w["kind"], scheme.kind_name(dept["kind"], lang)),
            (w["year"], str(scheme.year)),
            (w["deadline"], deadline),
            (w["contact"], contact),
            (w["scheme"], scheme_hash(scheme)),
        ],
        w["self_check_help"],
        synthetic,
    )

    ws = book.sheet("indicators")
    layout = SELF_CHECK
    heads = [(layout.id, "col_id"), (layout.name, "col_name"), (layout.text, "col_text"), (layout.value, "col_value")]
    for c, h in heads + [(layout.unit, "col_unit"), (layout.exempt, "col_exempt"), (layout.reason, "col_reason")]:
        text(ws, 0, c, w[h], book.head)
    inds = reported(scheme, dept["kind"])
    for r, ind in enumerate(inds, start=layout.first_row - 1):
        text(ws, r, layout.id, ind.id)
        text(ws, r, layout.name, _name(ind, lang), book.wrap)
        text(ws, r, layout.text, ind.text or ind.name, book.wrap)
        source = source_of(ind)
        if source == "department":
            ws.write_blank(r, layout.value, None, book.open)
            if ind.method == "direct":
                ws.data_validation(
                    r,
                    layout.value,
                    r,
                    layout.value,
                    {
                        "validate": "decimal",
                        "criteria": "between",
                        "minimum": 0,
                        "maximum": ind.weight,
                        "ignore_blank": True,
                        "error_message": w["bad_direct"].format(weight=ind.weight),
                    },
                )
                text(ws, r, layout.unit, w["direct_unit"].format(weight=ind.weight))
            else:
                ws.data_validation(
                    r,
                    layout.value,
                    r,
                    layout.value,
                    {
                        "validate": "decimal",
                        "criteria": ">=",
                        "value": 0,
                        "ignore_blank": True,
                        "error_message": w["bad_number"],
                    },
                )
                text(ws, r, layout.unit, ind.unit or "")
        else:
            text(ws, r, layout.value, w["by_experts"] if source == "experts" else w["by_office"], book.grey)
            text(ws, r, layout.unit, "")
        ws.write_blank(r, layout.exempt, None, book.open)
        ws.write_blank(r, layout.reason, None, book.open_wrap)
    if inds:
        ws.data_validation(
            layout.first_row - 1,
            layout.exempt,
            len(inds) + layout.first_row - 2,
            layout.exempt,
            {"validate": "list", "source": [w["yes"], w["no"]], "ignore_blank": True, "error_message": w["bad_choice"]},
        )
    for c, width in enumerate(layout.widths):
        ws.set_column(c, c, width)
    fit_rows(
        ws,
        {
            r: [(_name(ind, lang), layout.widths[layout.name]), (ind.text or ind.name, layout.widths[layout.text])]
            for r, ind in enumerate(inds, start=layout.first_row - 1)
        },
    )
    ws.freeze_panes(1, layout.value)
    book.print_setup(ws)
    ws.protect("", book.PROTECT)

    rewards = [i for i in scheme.indicators if i.method == "binary"]
    ws = book.sheet("achievements")
    for c, h in enumerate([w["col_reward"], w["col_title"], w["col_doc"]]):
        text(ws, 0, c, h, book.head)
    text(ws, 0, 5, w["col_rewards_list"], book.head)
    for r, ind in enumerate(rewards, start=1):
        text(ws, r, 5, reward_label(ind))
    for r in range(1, CLAIM_ROWS + 1):
        for c in range(3):
            ws.write_blank(r, c, None, book.open)
    if rewards:
        ws.data_validation(
            1,
            0,
            CLAIM_ROWS,
            0,
            {
                "validate": "list",
                "source": f"=$F$2:$F${len(rewards) + 1}",
                "ignore_blank": True,
                "error_message": w["bad_choice"],
            },
        )
    for c, width in enumerate((34, 40, 24, 4, 4, 40)):
        ws.set_column(c, c, width)
    fit_rows(ws, {r: [(reward_label(ind), 40)] for r, ind in enumerate(rewards, start=1)})
    book.print_setup(ws)
    ws.protect("", book.PROTECT)
    book.close(
        key,
        form="self_check",
        layout=LAYOUT,
        lang=lang,
        year=scheme.year,
        scheme=scheme_hash(scheme),
        dept_id=dept["dept_id"],
        indicators=",".join(i.id for i in inds),
        rewards=",".join(i.id for i in rewards),
        claim_rows=CLAIM_ROWS,
    )


def expert_indicators(scheme: Scheme) -> list[Indicator]:
    return [i for i in scheme.indicators if i.method != "binary" and source_of(i) == "experts"]


def office_indicators(scheme: Scheme) -> list[Indicator]:
    return [i for i in scheme.indicators if i.method != "binary" and source_of(i) == "office"]


def _grid(book: _Book, ws, scheme: Scheme, departments, inds: list[Indicator], *, rating: bool) -> None:
    """Departments as rows, ``inds`` as columns; the pairs the website evaluation replaces locked."""
    w, text, lang = book.w, book.text, book.lang
    for c, h in enumerate([w["dept_id"], w["dept_name"], w["kind"]]):
        text(ws, 0, c, h, book.head)
    for c, ind in enumerate(inds, start=3):
        name = _name(ind, lang)
        text(ws, 0, c, f"{ind.id} {name}", book.head)
        if rating:
            note = w["rating_note"].format(name=name, weight=ind.weight, text=ind.text or name)
        else:
            note = f"{name}（{w['col_weight']} {ind.weight:g}）" if lang == "zh" else f"{name} (weight {ind.weight:g})"
        ws.write_comment(0, c, note, {"author": "wfscore", "x_scale": 2, "y_scale": 2})
    n = len(departments["dept_id"])
    for r, (dept_id, name, kind) in enumerate(
        zip(departments["dept_id"], departments["name"], departments["kind"]), start=1
    ):
        text(ws, r, 0, dept_id)
        text(ws, r, 1, name)
        text(ws, r, 2, scheme.kind_name(kind, lang))
        skip = overridden_for(scheme, kind)
        for c, ind in enumerate(inds, start=3):
            if ind.id in skip:
                text(ws, r, c, w["not_rated"], book.grey)
            else:
                ws.write_blank(r, c, None, book.open)
    for c, ind in enumerate(inds, start=3):
        if n == 0:
            break
        if rating:
            rule = {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": 100,
                "error_message": w["bad_rating"],
            }
        elif ind.method == "direct":
            rule = {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": ind.weight,
                "error_message": w["bad_direct"].format(weight=ind.weight),
            }
        else:
            rule = {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": w["bad_number"]}
        ws.data_validation(1, c, n, c, {**rule, "ignore_blank": True})
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 18)
    if inds:
        ws.set_column(3, 2 + len(inds), 14)
    fit_rows(ws, {0: [(f"{ind.id} {_name(ind, lang)}", 14) for ind in inds]})
    ws.freeze_panes(1, 3)
    book.print_setup(ws)
    ws.protect("", book.PROTECT)


def write_expert(
    path: Path,
    scheme: Scheme,
    departments,
    expert: str,
    *,
    deadline: str = "",
    contact: str = "",
    lang: str = "zh",
    synthetic: bool = False,
    key: bytes | None = None,
) -> None:
    """The rating sheet of one expert: departments as rows, the expert-rated indicators as columns."""
    book = _Book(path, lang)
    w, text = book.w, book.text
    book.cover(
        w["expert_title"].format(title=_title(scheme, lang)),
        [
            (w["expert"], expert),
            (w["year"], str(scheme.year)),
            (w["deadline"], deadline),
            (w["contact"], contact),
            (w["scheme"], scheme_hash(scheme)),
        ],
        w["expert_help"],
        synthetic,
    )
    inds = expert_indicators(scheme)
    _grid(book, book.sheet("ratings"), scheme, departments, inds, rating=True)
    ws = book.sheet("criteria")
    for c, h in enumerate([w["col_id"], w["col_name"], w["col_weight"], w["col_text"]]):
        text(ws, 0, c, h, book.head)
    for r, ind in enumerate(inds, start=1):
        text(ws, r, 0, ind.id)
        text(ws, r, 1, _name(ind, lang), book.wrap)
        ws.write_number(r, 2, ind.weight)
        text(ws, r, 3, ind.text or ind.name, book.wrap)
    widths = (8, 26, 8, 80)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    fit_rows(
        ws,
        {r: [(_name(ind, lang), widths[1]), (ind.text or ind.name, widths[3])] for r, ind in enumerate(inds, start=1)},
    )
    book.print_setup(ws)
    ws.protect("", book.PROTECT)
    book.close(
        key,
        form="expert",
        layout=LAYOUT,
        lang=lang,
        year=scheme.year,
        scheme=scheme_hash(scheme),
        expert=expert,
        indicators=",".join(i.id for i in inds),
        departments=",".join(departments["dept_id"]),
    )


def write_office(
    path: Path,
    scheme: Scheme,
    departments,
    *,
    deadline: str = "",
    contact: str = "",
    lang: str = "zh",
    synthetic: bool = False,
    key: bytes | None = None,
) -> None:
    """The office's workbook: the website evaluation, and the indicators whose source is ``office``."""
    book = _Book(path, lang)
    w, text = book.w, book.text
    book.cover(
        w["office_title"].format(title=_title(scheme, lang)),
        [
            (w["year"], str(scheme.year)),
            (w["deadline"], deadline),
            (w["contact"], contact),
            (w["scheme"], scheme_hash(scheme)),
        ],
        w["office_help"],
        synthetic,
    )
    site = website_departments(scheme, departments)
    ws = book.sheet("website")
    for c, h in enumerate([w["dept_id"], w["dept_name"], w["kind"], w["col_score"]]):
        text(ws, 0, c, h, book.head)
    for r, n in enumerate(site, start=1):
        text(ws, r, 0, departments["dept_id"][n])
        text(ws, r, 1, departments["name"][n])
        text(ws, r, 2, scheme.kind_name(departments["kind"][n], lang))
        ws.write_blank(r, 3, None, book.open)
    if site:
        ws.data_validation(
            1,
            3,
            len(site),
            3,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": 100,
                "ignore_blank": True,
                "error_message": w["bad_rating"],
            },
        )
    for c, width in enumerate((10, 26, 18, 22)):
        ws.set_column(c, c, width)
    book.print_setup(ws, landscape=False)
    ws.protect("", book.PROTECT)
    inds = office_indicators(scheme)
    _grid(book, book.sheet("office"), scheme, departments, inds, rating=False)
    book.close(
        key,
        form="office",
        layout=LAYOUT,
        lang=lang,
        year=scheme.year,
        scheme=scheme_hash(scheme),
        indicators=",".join(i.id for i in inds),
        departments=",".join(departments["dept_id"]),
        website=",".join(departments["dept_id"][n] for n in site),
    )


def file_names(scheme: Scheme, departments, experts: list[str], lang: str = "zh") -> Written:
    w = WORDS[lang]
    return Written(
        {
            d: w["self_check_file"].format(id=safe_file_part(d), name=safe_file_part(n))
            for d, n in zip(departments["dept_id"], departments["name"])
        },
        {e: w["expert_file"].format(id=safe_file_part(e)) for e in experts},
        w["office_file"],
    )


# -- reading what the forms are made from, and writing them -----------------------------


def read_roster(folder: Path | str):
    """``folder``'s scheme and departments: (scheme, departments as a dict of lists, problems).

    Only what the forms need is read here (scheme.yaml, departments.csv with its columns
    dept_id, name, kind); the whole year is checked by ``wfscore validate``.
    """
    from wfscore.inputs.aliases import kind_id, kind_ids
    from wfscore.inputs.files import decode, parse_csv
    from wfscore.inputs.problems import error
    from wfscore.inputs.scheme_yaml import parse_scheme

    folder = Path(folder)
    problems = []
    scheme = None
    path = folder / "scheme.yaml"
    if not path.is_file():
        problems.append(error("scheme.yaml", f"is missing from {folder} (expected the year's scheme)"))
    else:
        scheme, found = parse_scheme(path.read_text(encoding="utf-8"), "scheme.yaml")
        problems += found
    departments = None
    path = folder / "departments.csv"
    if not path.is_file():
        problems.append(error("departments.csv", f"is missing from {folder} (expected dept_id, name, kind)"))
    else:
        text, _, problem = decode(path.read_bytes(), "departments.csv")
        if problem:
            problems.append(problem)
        else:
            frame, found = parse_csv(text, "departments", "departments.csv")
            problems += found
            if frame is not None:
                missing = [c for c in ("dept_id", "name", "kind") if c not in frame]
                if missing:
                    problems.append(
                        error(
                            "departments.csv",
                            f"has no column {', '.join(missing)} (expected dept_id, name, kind)",
                            line=1,
                        )
                    )
                else:
                    departments = {c: [str(v) for v in frame[c]] for c in ("dept_id", "name", "kind")}
                    departments["line"] = [int(n) for n in frame.index]
                    if scheme is not None:  # kinds written by their name (党的机关) read as their ids
                        ids = kind_ids(scheme.kinds)
                        departments["kind"] = [kind_id(k, ids) for k in departments["kind"]]
                    seen: dict[str, int] = {}
                    for line, dept_id, kind in zip(departments["line"], departments["dept_id"], departments["kind"]):
                        if dept_id in seen:
                            problems.append(
                                error(
                                    "departments.csv",
                                    f"is a dept_id used twice (also on line {seen[dept_id]}; expected each once)",
                                    line=line,
                                    column="dept_id",
                                    value=dept_id,
                                )
                            )
                        seen.setdefault(dept_id, line)
                        if scheme is not None and kind not in scheme.kinds:
                            problems.append(
                                error(
                                    "departments.csv",
                                    f"is not a kind of the scheme (expected one of {', '.join(scheme.kinds)})",
                                    line=line,
                                    column="kind",
                                    value=kind,
                                )
                            )
    if any(p.is_error for p in problems):
        return None, None, problems
    return scheme, departments, problems


def read_experts(text: str) -> list[str]:
    """Expert ids from a file's text: one per line, or a CSV whose first column (or column
    ``expert``) holds them; blank lines and a header ``expert``/``专家`` are skipped."""
    import csv
    import io

    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    if not rows:
        return []
    col = 0
    head = [c.strip().casefold() for c in rows[0]]
    for n, h in enumerate(head):
        if h in ("expert", "专家", "专家编号"):
            col = n
            rows = rows[1:]
            break
    return [r[col].strip() for r in rows if len(r) > col and r[col].strip()]


def write_forms(
    folder: Path | str,
    out: Path | str,
    experts: list[str],
    *,
    deadline: str = "",
    contact: str = "",
    lang: str = "zh",
    progress: bool = False,
) -> Written:
    """Write every form of ``folder``'s year into ``out``, all or nothing.

    Raises :class:`~wfscore.inputs.problems.InputError` when the scheme or departments
    have errors, or an expert id is empty or given twice.
    """
    from wfscore.inputs.output import staged
    from wfscore.inputs.problems import InputError, error
    from wfscore.inputs.signing import make_key

    folder, out = Path(folder), Path(out)
    scheme, departments, problems = read_roster(folder)
    seen: set[str] = set()
    for n, expert in enumerate(experts, start=1):
        if not expert.strip():
            problems.append(error("experts", f"number {n} is empty (expected an expert id)"))
        elif expert in seen:
            problems.append(error("experts", f"{expert!r} is given twice (expected each expert once)"))
        seen.add(expert)
    if folder.resolve() == out.resolve():
        problems.append(error(str(out), "is the year's own folder (expected another folder for the forms)"))
    if scheme is None or any(p.is_error for p in problems):
        raise InputError(problems, str(folder))
    synthetic = (folder / "SYNTHETIC").exists()
    names = file_names(scheme, departments, experts, lang)
    # two departments whose names clean to the same file name: the id keeps them apart
    targets = [out / names.departments[d] for d in departments["dept_id"]]
    targets += [out / names.experts[e] for e in experts] + [out / names.office]
    if len(set(targets)) != len(targets):
        raise InputError(
            [
                error(
                    "experts",
                    "give file names that clash (expected ids that differ after "
                    "removing the characters a file name cannot hold)",
                )
            ],
            str(folder),
        )
    rows = list(zip(departments["dept_id"], departments["name"], departments["kind"]))
    common = dict(deadline=deadline, contact=contact, lang=lang, synthetic=synthetic)
    common["key"] = make_key(folder)  # made once, kept in the year's folder, never in a form
    with staged(*targets) as tmps:
        it = iter(tmps)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(tmps), **bar_words("forms"))
        for dept_id, name, kind in rows:
            write_self_check(next(it), scheme, {"dept_id": dept_id, "name": name, "kind": kind}, **common)
            bar and bar.update()
        for expert in experts:
            write_expert(next(it), scheme, departments, expert, **common)
            bar and bar.update()
        write_office(next(it), scheme, departments, **common)
        if bar:
            bar.update()
            bar.close()
    return names


def fill_from_year(forms_dir: Path | str, year: Path | str) -> None:
    """Fill the (Chinese) forms in ``forms_dir`` with the figures a year folder already holds,
    as the departments, experts and office would: for demonstrations (the collection
    notebook) and the benchmark, so that there are returns to collect."""
    import csv

    from openpyxl import load_workbook

    def rows(name: str) -> list[dict]:
        path = Path(year) / name
        if not path.is_file():
            return []
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))

    def number(text: str):
        value = float(text)
        return int(value) if value.is_integer() and "." not in text else value

    values = {(r["dept_id"], r["indicator"]): r["value"] for r in rows("values.csv")}
    ratings = {(r["dept_id"], r["indicator"], r["expert"]): r["rating"] for r in rows("ratings.csv")}
    site = {r["dept_id"]: r["score"] for r in rows("website_eval.csv")}
    exempt = {(r["dept_id"], r["indicator"]): r["reason"] for r in rows("exemptions.csv")}
    claims: dict[str, list[dict]] = {}
    for r in rows("achievements.csv"):
        claims.setdefault(r["dept_id"], []).append(r)
    for path in sorted(Path(forms_dir).glob("*.xlsx")):
        wb = load_workbook(path)
        ident = {r[0].value: r[1].value for r in wb[IDENTITY].iter_rows()}
        if ident["form"] == "self_check":
            dept = ident["dept_id"]
            layout = SELF_CHECK
            for row in wb[SHEETS["indicators"]["zh"]].iter_rows(min_row=layout.first_row):
                ind = str(row[layout.id].value)
                if (dept, ind) in values and row[layout.value].protection.locked is False:
                    row[layout.value].value = number(values[dept, ind])
                if (dept, ind) in exempt:
                    row[layout.exempt].value = "是"
                    put(row[layout.reason].parent, row[layout.reason].row, layout.reason + 1, exempt[dept, ind])
            ws = wb[SHEETS["achievements"]["zh"]]
            labels = {str(c.value).split(" ")[0]: c.value for c in ws["F"][1:] if c.value}
            for n, claim in enumerate(claims.get(dept, [])[:CLAIM_ROWS], start=2):
                put(ws, n, 1, labels[claim["indicator"]])
                put(ws, n, 2, claim["title"])
        else:
            grids = (
                [(SHEETS["ratings"]["zh"], ident.get("expert"))]
                if ident["form"] == "expert"
                else [(SHEETS["office"]["zh"], None)]
            )
            if ident["form"] == "office":
                for row in wb[SHEETS["website"]["zh"]].iter_rows(min_row=2):
                    if row[0].value in site:
                        row[3].value = number(site[row[0].value])
            for sheet, expert in grids:
                ws = wb[sheet]
                heads = [str(c.value).split(" ")[0] for c in ws[1]]
                for row in ws.iter_rows(min_row=2):
                    for c, ind in enumerate(heads[3:], start=3):
                        key = (row[0].value, ind)
                        if expert is not None and key + (expert,) in ratings:
                            row[c].value = number(ratings[key + (expert,)])
                        elif expert is None and key in values:
                            row[c].value = number(values[key])
        wb.save(path)
