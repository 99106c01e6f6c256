"""Collecting a year's inputs from the returned forms (README, "Collecting a year's inputs").

:func:`read_returns` reads every workbook of a folder, whatever its file name: the forms
:mod:`wfscore.inputs.forms` wrote (they name themselves in a hidden sheet) and wide
summary sheets an office keeps (one row per department, one column per indicator). Every
problem names the file, the sheet and the cell as Excel shows it. :func:`write_year`
writes ``values.csv``, ``ratings.csv``, ``website_eval.csv``, ``exemptions.csv`` and
``achievements.csv`` into the year's folder, atomically and only when there is no error;
a row the adjustments desk has decided is kept as it is. :func:`board` is the progress
board: who has returned, who has not, whose return has errors, what awaits review.

Nothing in the returns folder is ever written to.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from wfscore.inputs import forms, numbers, signing
from wfscore.inputs.files import MAX_COLUMNS
from wfscore.inputs.inert import plain
from wfscore.inputs.messages_zh import to_zh
from wfscore.inputs.problems import InputError, Problem, error, warning
from wfscore.inputs.scheme import Indicator, Scheme, source_of
from wfscore.inputs.wording import bar_words

OUTPUTS = ("values.csv", "ratings.csv", "website_eval.csv", "exemptions.csv", "achievements.csv")
COLUMNS = {
    "values.csv": ("dept_id", "indicator", "value"),
    "ratings.csv": ("dept_id", "indicator", "expert", "rating"),
    "website_eval.csv": ("dept_id", "score"),
    "exemptions.csv": ("dept_id", "indicator", "reason", "confirmed"),
    "achievements.csv": ("dept_id", "indicator", "title", "confirmed"),
}
YES = {"是", "yes", "y", "true", "1", "√", "✓", "✔", "对"}
NO = {"否", "no", "n", "false", "0", "×", "无", "不是"}
DEPT_HEADERS = {"dept_id", "部门编号", "部门代码", "单位编号", "单位代码", "编号", "代码"}
WEBSITE_HEADERS = {
    "website_eval",
    "website evaluation",
    "网站评估",
    "网站绩效评估",
    "网站绩效评估成绩",
    "政务网站绩效评估",
    "网站评估成绩",
    "政务网站绩效评估成绩",
}
IGNORED_HEADERS = {"name", "kind", "部门名称", "单位名称", "名称", "部门", "单位", "类别", "序号", "备注", "类型"}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


# -- reading cells ------------------------------------------------------------------------


def free_text(value) -> str:
    """A cell of free text (a reason, a title) as typed, without surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def clean(value) -> str:
    """A cell as text: full-width characters folded (NFKC), surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


@dataclass(frozen=True)
class Expect:
    """What a cell must hold: a number from ``low`` to ``high``, described as ``words``."""

    words: str
    words_zh: str
    high: float | None = None
    percent: bool = False  # the indicator's unit is a percentage: 85% means 85


NON_NEGATIVE = Expect("a non-negative number", "不小于 0 的数字")
RATING = Expect("a rating from 0 to 100", "0 至 100 之间的评分", 100.0)
WEBSITE = Expect("a website evaluation score from 0 to 100", "0 至 100 之间的网站绩效评估成绩", 100.0)


def expect_of(ind: Indicator) -> Expect:
    if ind.method == "direct":
        return Expect(
            f"a number from 0 to {ind.weight:g}, the weight", f"0 至 {ind.weight:g}（权数）之间的数字", ind.weight
        )
    return Expect(NON_NEGATIVE.words, NON_NEGATIVE.words_zh, None, bool(ind.unit and "%" in ind.unit))


def parse_number(value, expect: Expect, number_format: str = "") -> tuple[str | None, str | None, str | None]:
    """A cell → (the number as CSV text, or None when empty; message; message_zh).

    Accepts numbers, and text as :func:`wfscore.inputs.numbers.read` reads it (the year's
    tables' own rules: full-width digits, no superscripts, circled numbers, other scripts'
    digits, underscores or spaces between digits), with thousands separators, and ``85%``
    where the indicator's unit is a percentage. A cell Excel shows as 85% holds 0.85 with
    a percent format: where the unit is a percentage it counts as 85 too. ``-0`` is 0.
    """
    not_number = f"is not a number (expected {expect.words})", f"不是数字（应为{expect.words_zh}）"
    percent_msg = (
        f"is a percentage, but the indicator's unit is not (expected {expect.words})",
        f"是百分数，但该指标的单位不是百分比（应为{expect.words_zh}）",
    )
    exact = True  # the cell's own number, written back as it is
    if value is None or isinstance(value, bool):
        return (None, None, None) if value is None else (None, *not_number)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, *not_number
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            if not expect.percent:
                return None, *percent_msg
            number, exact = number * 100, False
    else:
        text = numbers.fold(str(value).strip())
        if not text:
            return None, None, None
        if text.endswith("%"):
            if not expect.percent:
                return None, *percent_msg
            text = text[:-1].rstrip()
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = numbers.read(text)
        except numbers.NotANumber as exc:
            if exc.infinite:
                return None, f"is not finite (expected {expect.words})", f"不是有限的数字（应为{expect.words_zh}）"
            if exc.reason:
                return (
                    None,
                    f"is not a number: {exc.reason} (expected {expect.words}, written like 85 or 85.5)",
                    f"不是数字：{to_zh(exc.reason) or exc.reason}（应为{expect.words_zh}，写法如 85 或 85.5）",
                )
            return None, *not_number
        exact = False
    if number < 0 or (expect.high is not None and number > Decimal(repr(float(expect.high)))):
        return None, f"is out of range (expected {expect.words})", f"超出范围（应为{expect.words_zh}）"
    if number == 0:
        return "0", None, None  # -0 too
    if exact:
        return (repr(value) if isinstance(value, float) else str(value)), None, None
    text = format(number.normalize(), "f")
    return text, None, None


def parse_yes_no(value) -> bool | None:
    """是/否 and the like → True/False; empty → False; anything else → None."""
    text = clean(value).casefold()
    if not text:
        return False
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


# -- one return ------------------------------------------------------------------------


@dataclass
class Return:
    """One returned workbook, as read."""

    file: str
    form: str = "unknown"  # self_check | expert | office | summary | unknown
    who: str = ""  # the department or expert it is from
    problems: list[Problem] = field(default_factory=list)
    values: list[tuple] = field(default_factory=list)  # (dept, indicator, text, where)
    ratings: list[tuple] = field(default_factory=list)  # (dept, indicator, expert, text, where)
    website: list[tuple] = field(default_factory=list)  # (dept, text, where)
    exemptions: list[tuple] = field(default_factory=list)  # (dept, indicator, reason, where)
    achievements: list[tuple] = field(default_factory=list)  # (dept, indicator, title, where)
    duplicate_of: list[str] = field(default_factory=list)
    signed: bool = False  # a form whose identity matches its signature, made with the year's key
    book: _Reading | None = field(default=None, repr=False, compare=False)  # while it is read

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def used(self) -> bool:
        return not self.errors and not self.duplicate_of


class _Sheet:
    """Problems about one sheet, named as Excel names its cells."""

    def __init__(self, ret: Return, sheet: str):
        self.ret, self.source = ret, f"{ret.file}, sheet {sheet}"

    def where(self, row: int, col: int) -> str:
        return f"{self.source}, cell {_letter(col)}{row}"

    def add(self, row: int, col: int, message: str, zh: str, value=None, severity=error) -> None:
        shown = (
            None
            if value is None or (isinstance(value, str) and not value.strip())
            else (value if isinstance(value, str) else clean(value))
        )
        self.ret.problems.append(
            severity(
                self.source,
                message,
                column=f"{_letter(col)}{row}",
                column_word="cell",
                value=_short(shown) if shown is not None else None,
                message_zh=zh,
            )
        )


def _short(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 60 else text[:57] + "..."


def _file_problem(ret: Return, message: str, zh: str) -> None:
    ret.problems.append(error(ret.file, message, message_zh=zh))


# What one return may cost (README, "Hostile and broken inputs"): besides the loader's
# bounds on a workbook's bytes, parts and unzipped size (wfscore.inputs.files), the rows
# and columns a sheet actually uses (never the dimension it declares) are bounded by the
# year's departments and indicators, and reading one workbook by time, as a last resort.
MAX_SECONDS = 300.0
SLACK_ROWS = 1_000  # rows beyond the departments and indicators (notes, blank rows)


class _TooMuch(Exception):
    """A return that passes a bound: its problem; reading it stops."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Reading:
    """One workbook while it is read: its bytes, the worksheet parts holding formulas or
    merged cells, and when reading it must end."""

    raw: bytes
    marked: set[str]
    deadline: float
    sheet: str = ""  # the sheet being read, to name in a problem


def _bounded_rows(
    ret: Return, ws, ctx: Context, *, min_row: int = 1, max_col: int | None = None, values_only: bool = True
):
    """The sheet's rows as openpyxl reads them, stopped with a problem at the year's bounds:
    rows (a row with something in it past ``ctx.max_rows``), columns, cells and time."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the dimension a file declares (A1:XFD1048576) is not what it holds
    source = f"{ret.file}, sheet {ws.title}"
    deadline = ret.book.deadline if ret.book is not None else math.inf
    if ret.book is not None:
        ret.book.sheet = ws.title
    cells = 0
    for n, row in enumerate(ws.iter_rows(min_row=min_row, max_col=max_col, values_only=values_only), start=min_row):
        width = len(row)
        if n > ctx.max_rows and (n > 10 * ctx.max_rows or any(_value(v, values_only) is not None for v in row)):
            raise _TooMuch(
                error(
                    source,
                    f"has something on row {n:,} (expected at most {ctx.max_rows:,} rows: "
                    "one per department and indicator, and a few more)",
                    line=n,
                    row_word="row",
                    message_zh=(
                        f"第 {n:,} 行仍有内容（最多应有 {ctx.max_rows:,} 行：每个部门、每项指标一行，另加少量行）"
                    ),
                )
            )
        if width > ctx.max_cols and any(_value(v, values_only) is not None for v in row[ctx.max_cols :]):
            raise _TooMuch(
                error(
                    source,
                    f"has something beyond column {_letter(ctx.max_cols)} (expected at most "
                    f"{ctx.max_cols} columns: one per indicator, and a few more)",
                    line=n,
                    row_word="row",
                    message_zh=(
                        f"第 {_letter(ctx.max_cols)} 列之后仍有内容（最多应有 {ctx.max_cols} 列：每项指标一列，"
                        "另加少量列）"
                    ),
                )
            )
        cells += width
        if cells > ctx.max_cells:
            raise _TooMuch(
                error(
                    source,
                    f"has more than {ctx.max_cells:,} cells (expected at most one per "
                    "department and indicator, and a few more)",
                    line=n,
                    row_word="row",
                    message_zh=f"超过 {ctx.max_cells:,} 个单元格（每个部门、每项指标最多一个，另加少量）",
                )
            )
        if time.monotonic() > deadline:
            raise _TooMuch(
                error(
                    ret.file,
                    f"took more than {MAX_SECONDS:g} seconds to read (expected a return of the year's size)",
                    message_zh=f"读取超过 {MAX_SECONDS:g} 秒（报送表格应与本年度规模相当）",
                )
            )
        yield row


def _value(v, values_only: bool):
    return v if values_only else getattr(v, "value", None)


def _rows(ret: Return, ws, ctx: Context, width: int | None = None) -> list[tuple]:
    return [tuple(r) for r in _bounded_rows(ret, ws, ctx, max_col=width)]


def _sheet(ret: Return, wb, key: str, lang: str):
    names = [forms.SHEETS[key][lang]] + [forms.SHEETS[key][other] for other in forms.SHEETS[key] if other != lang]
    for name in names:
        if name in wb.sheetnames:
            _cell_notes(ret, wb[name], merged_severity=error)
            return wb[name], name
    _file_problem(
        ret,
        f"has no sheet {names[0]!r} (expected the sheets of the form as it was sent: the layout was changed)",
        f"没有“{names[0]}”工作表（表格结构被改动，应保持下发时的样式）",
    )
    return None, names[0]


MAX_NOTED = 10  # cells named one by one; the rest counted


def _cell_notes(ret: Return, ws, *, merged_severity=warning, from_row: int = 1) -> None:
    """Cells the values-only reading would pass over without a word: formulas whose value
    was never saved (an empty cell to openpyxl) are errors; merged cells (only the first is
    read) are ``merged_severity`` (an error on a form, whose cells are fixed)."""
    path = getattr(ws, "_worksheet_path", None)
    if ret.book is None or path not in ret.book.marked:
        return
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    formulas, merged = _scan_sheet(ret.book.raw, path)
    at = _Sheet(ret, ws.title)
    for ref in formulas[:MAX_NOTED]:
        row, col = coordinate_to_tuple(ref)
        at.add(
            row,
            col,
            "holds a formula whose value was never saved (expected a number or text: type the "
            "value, or open the workbook in Excel, WPS or LibreOffice and save it, which computes it)",
            (
                "是未保存计算结果的公式（应为数字或文字：请直接填写数值，或用 Excel、WPS 或 LibreOffice 打开后保存，"
                "以计算出结果）"
            ),
        )
    if len(formulas) > MAX_NOTED:
        _file_problem(
            ret,
            f"has {len(formulas) - MAX_NOTED:,} more formulas whose value was never saved in sheet "
            f"{ws.title} (expected numbers or text)",
            f"工作表 {ws.title} 中还有 {len(formulas) - MAX_NOTED:,} 个未保存计算结果的公式（应为数字或文字）",
        )
    shown = 0
    for ref in merged:
        try:
            col, row, last_col, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if last_row < from_row or shown >= MAX_NOTED:
            continue
        shown += 1
        at.add(
            row,
            col,
            f"is merged with the cells up to {_letter(last_col)}{last_row} ({ref}); only its own value "
            "is read (expected cells that are not merged: unmerge them and give each cell its value)",
            f"与 {_letter(last_col)}{last_row} 之前的单元格合并（{ref}）；只读取其自身的值（单元格不应合并："
            "请取消合并，"
            "每个单元格分别填写）",
            severity=merged_severity,
        )


def _scan_sheet(raw: bytes, member: str) -> tuple[list[str], list[str]]:
    """A worksheet's formulas without a saved value, and its merged ranges, by reading its XML."""
    from xml.etree.ElementTree import iterparse

    formulas: list[str] = []
    merged: list[str] = []
    with zipfile.ZipFile(io.BytesIO(raw)) as z, z.open(member) as f:
        for _, el in iterparse(f):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "c":
                kids = {k.tag.rsplit("}", 1)[-1]: k for k in el}
                # a saved value: text in <v>, or an empty text result (Excel writes <v></v> with t="str")
                saved = "is" in kids or ("v" in kids and (bool(kids["v"].text) or el.get("t") in ("str", "s")))
                if "f" in kids and not saved and el.get("r"):
                    formulas.append(el.get("r"))
                el.clear()
            elif tag == "mergeCell" and el.get("ref"):
                merged.append(el.get("ref"))
            elif tag == "row":
                el.clear()
    return formulas, merged


class Context:
    """What returns are checked against: the year's scheme and departments."""

    def __init__(self, scheme: Scheme, departments: dict):
        self.scheme = scheme
        self.departments = departments
        self.dept_ids = list(departments["dept_id"])
        self.position = {d: n for n, d in enumerate(self.dept_ids)}
        self.kind = dict(zip(departments["dept_id"], departments["kind"]))
        self.name = dict(zip(departments["dept_id"], departments["name"]))
        self.indicators = {i.id: i for i in scheme.indicators}
        self.order = {i.id: n for n, i in enumerate(scheme.indicators)}
        self.hash = forms.scheme_hash(scheme)
        by_name: dict[str, str] = {}
        for d, n in zip(self.dept_ids, departments["name"]):
            by_name.setdefault(forms.safe_file_part(n), d)
        self.by_file_name = by_name
        # what one sheet of a return may hold (rows and columns it uses, not those it declares)
        self.max_rows = len(self.dept_ids) + len(self.indicators) + forms.CLAIM_ROWS + SLACK_ROWS
        self.max_cols = len(self.indicators) + MAX_COLUMNS
        self.max_cells = self.max_rows * self.max_cols
        self.key: bytes | None = None  # the year's forms key (wfscore.inputs.signing)
        self.key_problem: Problem | None = None
        self.key_path: Path | None = None


def identity_properties(wb) -> dict[str, str]:
    """A form's identity as its custom document properties hold it (long values joined
    from their ``.1``, ``.2`` … parts), each value as the text written; empty when none."""
    props = getattr(wb, "custom_doc_props", None)
    parts: dict[str, dict[int, str]] = {}
    for prop in props.props if props is not None else []:
        name = str(prop.name)
        if name.startswith(forms.PROPERTY_PREFIX):
            key, _, more = name[len(forms.PROPERTY_PREFIX) :].partition(".")
            parts.setdefault(key, {})[int(more) if more.isdigit() else 0] = (
                "" if prop.value is None else str(prop.value)
            )
    return {key: "".join(chunks[n] for n in sorted(chunks)) for key, chunks in parts.items()}


def _identity(ret: Return, wb, ctx: Context) -> dict[str, str] | None:
    """The form's identity, each value as the text written (it is signed as it is): its
    document properties (which a LibreOffice save keeps), else its very hidden sheet
    (forms of earlier versions); None for a workbook without one."""
    found = identity_properties(wb)
    if found:
        return found
    if forms.IDENTITY not in wb.sheetnames:
        return None
    found = {}
    for row in _bounded_rows(ret, wb[forms.IDENTITY], ctx, max_col=2):
        if row and row[0] is not None:
            value = None if len(row) < 2 else row[1]
            found[_ident_text(row[0])] = "" if value is None else _ident_text(value)
    return found


def _ident_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_identity(ret: Return, ident: dict, ctx: Context) -> bool:
    """The identity is one wfscore made, signed with the year's key, for this year and scheme.
    A form whose signature fails counts as nobody's (it can neither stand for a department
    nor make another's return a duplicate)."""
    if ident.get("layout") != forms.LAYOUT or ident.get("form") not in forms.FORM_KINDS:
        _file_problem(
            ret,
            "has a wfscore identity this version does not know (expected a form made by wfscore forms)",
            "的表格标识无法识别（应为 wfscore forms 生成的表格）",
        )
        ret.form = "unknown"
        return False
    if ctx.key is None:
        where = ctx.key_path or signing.KEY_FILE
        why = "cannot be read" if ctx.key_problem is not None else "is missing"
        _file_problem(
            ret,
            f"cannot be checked: the office's forms key {where} {why} (expected the key wfscore forms "
            "made in the year's folder when it wrote the forms: collect into that folder, or copy its "
            f"{signing.KEY_FILE} there)",
            f"无法核验：考核办的表格密钥 {where} {'无法读取' if ctx.key_problem is not None else '不存在'}"
            f"（应为 wfscore forms 生成表格时在年度数据文件夹中建立的密钥：请汇总到该文件夹，或把其中的 "
            f"{signing.KEY_FILE} 复制过来）",
        )
        return False
    if signing.SIGNATURE not in ident:
        _file_problem(
            ret,
            "carries no signature (it was made before wfscore signed its forms, or its hidden identity "
            "was edited; expected a form made by this year's wfscore forms: make the forms again and send "
            "them out)",
            "没有签名（是 wfscore 为表格签名之前生成的，或隐藏的表格标识被改动过；应为本年度 "
            "wfscore forms 生成的表格：请重新生成并下发）",
        )
        ret.form = "unknown"
        return False
    if not signing.verify(ctx.key, ident):
        _file_problem(
            ret,
            "does not match its signature: its hidden identity was edited (relabelled for another "
            "department, expert, year or scheme), or it was made with another key than this year's "
            "(expected a form as wfscore forms made it for this year: ask for the form as it was sent)",
            "与签名不符：隐藏的表格标识被改动过（改成了其他部门、专家、年度或考核方案），或不是用本年度的"
            "密钥生成的（应为 wfscore forms 为本年度生成的原样表格：请按下发的表格重新报送）",
        )
        ret.form = "unknown"
        return False
    ret.signed = True
    ok = True
    year = ident.get("year", "")
    if year != str(ctx.scheme.year):
        _file_problem(
            ret,
            f"is a form of year {year or '?'} (expected {ctx.scheme.year}: use the forms made "
            f"for {ctx.scheme.year} by wfscore forms)",
            f"是 {year or '?'} 年度的表格（应为 {ctx.scheme.year} 年度）",
        )
        ok = False
    elif ident.get("scheme") != ctx.hash:
        _file_problem(
            ret,
            f"was made from another scheme (check code {ident.get('scheme') or '?'}, expected "
            f"{ctx.hash}: the scheme changed after the forms went out; make them again with wfscore forms)",
            f"依据的考核方案与本年度不同（校验码 {ident.get('scheme') or '?'}，应为 {ctx.hash}；请重新生成表格）",
        )
        ok = False
    return ok


_FORM_FILE = re.compile(r"^(?:自查表|self_check)_(.+?)_(.+)\.[^.]+$", re.IGNORECASE)


def _named_by_file(ret: Return, ctx: Context) -> None:
    """A return that cannot be read is shown on the board as its file name says (a
    self-check form's name holds the department): never a department passed over as
    missing. It is not signed, so it makes no other return a duplicate."""
    m = _FORM_FILE.match(Path(ret.file).name)
    if m:
        named = m.group(1) if m.group(1) in ctx.position else ctx.by_file_name.get(m.group(2))
        if named is not None:
            ret.form, ret.who = "self_check", named


# Spreadsheet files that are not .xlsx workbooks, by how their names end: each an error
# that says how to save it as .xlsx (never a department passed over without a word).
OTHER_FORMATS = {
    ".xls": ("an Excel 97-2003 workbook (.xls)", "Excel 97-2003 工作簿（.xls）"),
    ".xlsb": ("an Excel binary workbook (.xlsb)", "Excel 二进制工作簿（.xlsb）"),
    ".et": ("a WPS spreadsheet (.et)", "WPS 表格文件（.et）"),
    ".ods": ("an OpenDocument spreadsheet (.ods)", "OpenDocument 电子表格（.ods）"),
    ".csv": ("a CSV text (.csv)", "CSV 文本（.csv）"),
    ".numbers": ("a Numbers spreadsheet (.numbers)", "Numbers 电子表格（.numbers）"),
}


def read_return(path: Path, name: str, ctx: Context) -> Return:
    """Read and check one workbook; every problem goes into the result, never an exception:
    a file over the bounds, encrypted, damaged or not a workbook is a problem naming it."""
    from openpyxl import load_workbook

    from wfscore.inputs.files import check_zip, read_file

    ret = Return(name)
    _named_by_file(ret, ctx)
    other = OTHER_FORMATS.get(Path(name).suffix.lower())
    if other is not None:
        _file_problem(
            ret,
            f"is {other[0]}, which wfscore does not read (expected an .xlsx workbook: open it in Excel, "
            "WPS or LibreOffice and save it as Excel workbook .xlsx, 另存为 Excel 工作簿 .xlsx)",
            f"是{other[1]}，wfscore 不能读取（应为 .xlsx 工作簿：请用 Excel、WPS 或 LibreOffice 打开，"
            "另存为“Excel 工作簿（.xlsx）”）",
        )
        return ret
    raw, problem = read_file(path, name, "an .xlsx workbook file")
    if problem is None:
        problem, marked = check_zip(raw, name)
    if problem is not None:
        ret.problems.append(problem)
        return ret
    ret.book = _Reading(raw, marked, time.monotonic() + MAX_SECONDS)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for what is not a workbook
        _file_problem(
            ret,
            f"cannot be opened as an Excel workbook ({type(exc).__name__}: {_short(str(exc))}; "
            "expected an .xlsx file saved by Excel, WPS or LibreOffice)",
            "无法作为 Excel 工作簿打开（应为 .xlsx 文件）",
        )
        ret.book = None
        return ret
    try:
        ident = _identity(ret, wb, ctx)
        ret.form, ret.who = "unknown", ""  # from here on, what the workbook says it is
        if ident is None:
            ret.form = "summary"
            _read_summary(ret, wb, ctx)
            return ret
        ret.form = ident.get("form", "unknown")
        ret.who = ident.get("dept_id") or ident.get("expert") or ("office" if ret.form == "office" else "")
        if not _check_identity(ret, ident, ctx):
            return ret
        lang = ident.get("lang") if ident.get("lang") in forms.WORDS else "zh"
        if ret.form == "self_check":
            _read_self_check(ret, wb, ident, ctx, lang)
        elif ret.form == "expert":
            _read_grid(ret, wb, ident, ctx, lang, rating=True)
        else:
            _read_office(ret, wb, ident, ctx, lang)
    except _TooMuch as exc:
        ret.problems.append(exc.problem)
    except Exception as exc:  # a damaged file must name itself, never end the run
        sheet = ret.book.sheet if ret.book is not None else ""
        ret.problems.append(
            error(
                f"{ret.file}, sheet {sheet}" if sheet else ret.file,
                f"could not be read ({type(exc).__name__}: {_short(str(exc))}; expected a form as it was sent)",
                message_zh=f"无法读取（表格可能已损坏，{type(exc).__name__}: {_short(str(exc))}）",
            )
        )
    finally:
        wb.close()
        ret.book = None
    return ret


def _read_self_check(ret: Return, wb, ident: dict, ctx: Context, lang: str) -> None:
    dept = ident.get("dept_id", "")
    ret.who = dept
    if dept not in ctx.position:
        _file_problem(
            ret,
            f"is the form of department {dept!r}, which is not in departments.csv (expected one of its departments)",
            f"是部门“{dept}”的表格，但该部门不在 departments.csv 中",
        )
        return
    m = re.match(r"^(?:自查表|self_check)_(.+?)_(.+)\.xlsx$", Path(ret.file).name, re.IGNORECASE)
    if m:
        named = m.group(1) if m.group(1) in ctx.position else ctx.by_file_name.get(m.group(2))
        if named is not None and named != dept:
            _file_problem(
                ret,
                f"holds the form of department {dept} {ctx.name[dept]}, but its file name names {named} "
                f"{ctx.name[named]} (expected the form of {named}: another department's form was saved under "
                "this name)",
                f"内容是 {dept} {ctx.name[dept]} 的表格，但文件名是 {named} {ctx.name[named]} 的",
            )
    expected = [i for i in ident.get("indicators", "").split(",") if i]
    unknown = [i for i in expected if i not in ctx.indicators]
    if unknown:
        _file_problem(
            ret,
            "names indicators the scheme does not have (expected a form made from this scheme)",
            "包含考核方案中没有的指标",
        )
        return
    ws, sheet = _sheet(ret, wb, "indicators", lang)
    if ws is not None:
        at = _Sheet(ret, sheet)
        lay = forms.SELF_CHECK
        rows = list(_bounded_rows(ret, ws, ctx, max_col=lay.columns, values_only=False))
        for n, ind_id in enumerate(expected, start=lay.first_row):
            cells = rows[n - 1] if n - 1 < len(rows) else ()
            values = [getattr(c, "value", None) for c in cells] + [None] * (lay.columns - len(cells))
            if clean(values[lay.id]) != ind_id:
                at.add(
                    n,
                    lay.id + 1,
                    f"is not the indicator this row was made for (expected {ind_id!r}: the layout of the "
                    "form was changed; rows must not be inserted, deleted or moved)",
                    f"不是该行原有的指标（应为 {ind_id}；表格结构被改动）",
                    values[lay.id] if values[lay.id] is not None else "",
                )
                break
            ind = ctx.indicators[ind_id]
            if source_of(ind) == "department":
                fmt = getattr(cells[lay.value], "number_format", "") if len(cells) > lay.value else ""
                text, msg, zh = parse_number(values[lay.value], expect_of(ind), fmt or "")
                if msg:
                    at.add(n, lay.value + 1, msg, zh, values[lay.value])
                elif text is not None:
                    ret.values.append((dept, ind_id, text, at.where(n, lay.value + 1)))
            flag = parse_yes_no(values[lay.exempt])
            reason = free_text(values[lay.reason])
            asks = lay.ref(lay.exempt, n)
            if flag is None:
                at.add(
                    n,
                    lay.exempt + 1,
                    "is neither 是 nor 否 (expected 是, 否 or an empty cell)",
                    "既不是“是”也不是“否”（应为是、否或空白）",
                    values[lay.exempt],
                )
            elif flag and not reason:
                at.add(
                    n,
                    lay.reason + 1,
                    f"is empty, but {asks} asks that indicator {ind_id} be treated as not applicable "
                    "(expected the reason for the request)",
                    f"为空，但 {asks} 申请指标 {ind_id} 不适用（应写明理由）",
                )
            elif flag:
                ret.exemptions.append((dept, ind_id, reason, at.where(n, lay.exempt + 1)))
            elif reason:
                at.add(
                    n,
                    lay.reason + 1,
                    f"gives a reason, but {asks} does not ask that indicator {ind_id} be treated as not "
                    "applicable; the reason is ignored",
                    f"写了理由，但 {asks} 未选择“是”，理由不予采用",
                    reason,
                    severity=warning,
                )
        else:
            for n in range(len(expected) + lay.first_row, len(rows) + 1):
                extra = [getattr(c, "value", None) for c in rows[n - 1]]
                if any(clean(v) for v in extra):
                    col = next(k for k, v in enumerate(extra, start=1) if clean(v))
                    at.add(
                        n,
                        col,
                        "is below the form's last indicator (expected nothing here: the layout of the "
                        "form was changed)",
                        "位于最后一项指标之下（表格结构被改动）",
                        extra[col - 1],
                    )
                    break
    rewards = {i for i in ident.get("rewards", "").split(",") if i}
    ws, sheet = _sheet(ret, wb, "achievements", lang)
    if ws is None:
        return
    at = _Sheet(ret, sheet)
    by_label = {}
    for r in rewards:
        ind = ctx.indicators.get(r)
        if ind is not None:
            by_label[clean(forms.reward_label(ind))] = r
            by_label[clean(ind.name)] = r
            by_label[r] = r
    listed = ", ".join(sorted(rewards, key=lambda i: ctx.order.get(i, 0)))
    for n, row in enumerate(_bounded_rows(ret, ws, ctx, min_row=2, max_col=3), start=2):
        row = tuple(row) + (None,) * (3 - len(row))
        which, title, doc = clean(row[0]), free_text(row[1]), free_text(row[2])
        if not (which or title or doc):
            continue
        ind_id = by_label.get(which) or by_label.get(which.split(" ")[0] if which else "")
        if not which:
            at.add(
                n,
                1,
                f"is empty, but B{n}:C{n} hold a claim (expected the reward indicator from the drop-down)",
                f"为空，但 B{n}:C{n} 填写了申报内容（应从下拉列表选择奖励指标）",
            )
        elif ind_id is None:
            at.add(
                n,
                1,
                f"is not a reward indicator of the scheme (expected one of {listed}, from the drop-down)",
                f"不是考核方案中的奖励指标（应从下拉列表选择：{listed}）",
                row[0],
            )
        elif not title:
            at.add(
                n,
                2,
                f"is empty, but A{n} claims an achievement (expected its title)",
                f"为空，但 A{n} 申报了奖励（应填写成果名称）",
            )
        else:
            full = f"{title}（{doc}）" if doc else title
            ret.achievements.append((dept, ind_id, full, at.where(n, 1)))


def _read_grid(ret: Return, wb, ident: dict, ctx: Context, lang: str, *, rating: bool, key: str = "ratings") -> None:
    expert = ident.get("expert", "")
    if rating:
        ret.who = expert
        if not expert:
            _file_problem(ret, "names no expert (expected the rating sheet of one expert)", "未注明专家")
            return
    inds = [i for i in ident.get("indicators", "").split(",") if i]
    depts = [d for d in ident.get("departments", "").split(",") if d]
    if any(i not in ctx.indicators for i in inds):
        _file_problem(
            ret,
            "names indicators the scheme does not have (expected a form made from this scheme)",
            "包含考核方案中没有的指标",
        )
        return
    ws, sheet = _sheet(ret, wb, key, lang)
    if ws is None:
        return
    at = _Sheet(ret, sheet)
    width = 3 + len(inds)
    rows = _rows(ret, ws, ctx, width)
    head = rows[0] if rows else ()
    for c, ind_id in enumerate(inds, start=4):
        got = clean(head[c - 1]) if len(head) >= c else ""
        if got.split(" ")[0] != ind_id:
            at.add(
                1,
                c,
                f"is not the column this form was made with (expected indicator {ind_id}: the layout of "
                "the form was changed; columns must not be inserted, deleted or moved)",
                f"不是原有的列（应为指标 {ind_id}；表格结构被改动）",
                got,
            )
            return
    expects = {i: (RATING if rating else expect_of(ctx.indicators[i])) for i in inds}
    for n, dept in enumerate(depts, start=2):
        row = rows[n - 1] if n - 1 < len(rows) else ()
        row = tuple(row) + (None,) * (width - len(row))
        if clean(row[0]) != dept:
            at.add(
                n,
                1,
                f"is not the department this row was made for (expected {dept!r}: the layout of the form "
                "was changed; rows must not be inserted, deleted, moved or sorted)",
                f"不是该行原有的部门（应为 {dept}；表格结构被改动）",
                row[0] if row[0] is not None else "",
            )
            return
        if dept not in ctx.position:
            if any(clean(v) for v in row[3:]):
                at.add(
                    n,
                    1,
                    "is not in departments.csv; its row is ignored",
                    "不在 departments.csv 中，该行不予采用",
                    dept,
                    severity=warning,
                )
            continue
        skip = forms.overridden_for(ctx.scheme, ctx.kind[dept])
        for c, ind_id in enumerate(inds, start=4):
            value = row[c - 1]
            if ind_id in skip:
                continue
            text, msg, zh = parse_number(value, expects[ind_id])
            if msg:
                at.add(n, c, msg, zh, value)
            elif text is not None:
                if rating:
                    ret.ratings.append((dept, ind_id, expert, text, at.where(n, c)))
                else:
                    ret.values.append((dept, ind_id, text, at.where(n, c)))


def _read_office(ret: Return, wb, ident: dict, ctx: Context, lang: str) -> None:
    ret.who = "office"
    ws, sheet = _sheet(ret, wb, "website", lang)
    if ws is not None:
        at = _Sheet(ret, sheet)
        site = [d for d in ident.get("website", "").split(",") if d]
        rows = _rows(ret, ws, ctx, 4)
        for n, dept in enumerate(site, start=2):
            row = rows[n - 1] if n - 1 < len(rows) else ()
            row = tuple(row) + (None,) * (4 - len(row))
            if clean(row[0]) != dept:
                at.add(
                    n,
                    1,
                    f"is not the department this row was made for (expected {dept!r}: the layout of the "
                    "form was changed; rows must not be inserted, deleted, moved or sorted)",
                    f"不是该行原有的部门（应为 {dept}；表格结构被改动）",
                    row[0] if row[0] is not None else "",
                )
                break
            text, msg, zh = parse_number(row[3], WEBSITE)
            if msg:
                at.add(n, 4, msg, zh, row[3])
            elif text is not None and dept in ctx.position:
                ret.website.append((dept, text, at.where(n, 4)))
    _read_grid(ret, wb, ident, ctx, lang, rating=False, key="office")


def _read_summary(ret: Return, wb, ctx: Context) -> None:
    """A wide sheet: one row per department, one column per indicator (id or name)."""
    by_header: dict[str, str] = {}
    for ind in ctx.scheme.indicators:
        for text in (ind.id, ind.name, ind.name_en or "", f"{ind.id} {ind.name}", f"{ind.id}{ind.name}"):
            if text:
                by_header.setdefault(clean(text).casefold(), ind.id)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = _rows(ret, ws, ctx)
        for h, head in enumerate(rows[:5]):
            heads = [clean(v).casefold() for v in head]
            if any(x in DEPT_HEADERS for x in heads):
                _cell_notes(ret, ws, from_row=h + 1)
                _read_summary_sheet(ret, ws.title, rows, h, heads, by_header, ctx)
                return
    _file_problem(
        ret,
        "is neither a form made by wfscore forms nor a summary sheet (expected the form as it was "
        "sent, or a sheet with a 部门编号 column and one column per indicator)",
        "既不是 wfscore forms 生成的表格，也不是汇总表（汇总表应有“部门编号”列，每项指标一列）",
    )


def _read_summary_sheet(
    ret: Return, sheet: str, rows: list[tuple], h: int, heads: list[str], by_header: dict[str, str], ctx: Context
) -> None:
    at = _Sheet(ret, sheet)
    head_row = h + 1
    dept_col = next(n for n, x in enumerate(heads) if x in DEPT_HEADERS)
    columns: dict[int, str] = {}
    for n, x in enumerate(heads):
        if n == dept_col or not x or x in IGNORED_HEADERS:
            continue
        if x in WEBSITE_HEADERS:
            columns[n] = "website"
            continue
        ind_id = by_header.get(x) or by_header.get(x.split(" ")[0])
        if ind_id is None:
            at.add(
                head_row,
                n + 1,
                "is not an indicator of the scheme, nor a column wfscore knows; the column is ignored",
                "不是考核方案中的指标，也不是可识别的列，该列不予采用",
                rows[h][n],
                severity=warning,
            )
        elif ctx.indicators[ind_id].method == "binary":
            at.add(
                head_row,
                n + 1,
                f"is the reward indicator {ind_id}, which is claimed as achievements, not "
                "given as a figure (expected the claims on the self-check forms); the column is ignored",
                f"是奖励指标 {ind_id}，应在自查表中申报成果，不能直接填数值；该列不予采用",
                rows[h][n],
                severity=warning,
            )
        elif ind_id in columns.values():
            at.add(
                head_row,
                n + 1,
                f"is a second column for indicator {ind_id} (expected each indicator once)",
                f"是指标 {ind_id} 的第二列（每项指标只能一列）",
                rows[h][n],
            )
        else:
            columns[n] = ind_id
    if not columns:
        at.add(
            head_row,
            dept_col + 1,
            "heads a sheet without one indicator column (expected one column per indicator, headed by its id or name)",
            "所在的表没有指标列（应每项指标一列，以编号或名称为列标题）",
            rows[h][dept_col],
        )
        return
    seen: dict[str, int] = {}
    for r, row in enumerate(rows[h + 1 :], start=head_row + 1):
        row = tuple(row) + (None,) * (len(heads) - len(row))
        dept = clean(row[dept_col])
        if not dept and not any(clean(v) for v in row):
            continue
        if dept not in ctx.position:
            at.add(
                r,
                dept_col + 1,
                "is not a department of departments.csv (expected one of its dept_id)",
                "不是 departments.csv 中的部门编号",
                row[dept_col] if dept else "",
            )
            continue
        if dept in seen:
            at.add(
                r,
                dept_col + 1,
                f"is a department listed twice (also on row {seen[dept]}; expected each once)",
                f"重复出现（第 {seen[dept]} 行已有）",
                dept,
            )
            continue
        seen[dept] = r
        skip = forms.overridden_for(ctx.scheme, ctx.kind[dept])
        for n, target in columns.items():
            value = row[n]
            if target == "website":
                text, msg, zh = parse_number(value, WEBSITE)
                if msg:
                    at.add(r, n + 1, msg, zh, value)
                elif text is not None:
                    ret.website.append((dept, text, at.where(r, n + 1)))
                continue
            text, msg, zh = parse_number(value, expect_of(ctx.indicators[target]))
            if msg:
                at.add(r, n + 1, msg, zh, value)
            elif text is not None and target not in skip:
                ret.values.append((dept, target, text, at.where(r, n + 1)))
    ret.who = "summary"


# -- every return of a folder ------------------------------------------------------------


@dataclass
class Collection:
    """Every return of a folder, read against a year's scheme and departments."""

    folder: Path
    into: Path
    ctx: Context
    returns: list[Return]
    problems: list[Problem]  # every problem of every return, and those across returns
    experts: list[str]  # the experts expected (given, or found)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def used(self) -> list[Return]:
        return [r for r in self.returns if r.used]


def workbooks(folder: Path) -> list[Path]:
    """The workbooks under ``folder`` (sub-folders too), in name order, and the spreadsheet
    files of other formats (:data:`OTHER_FORMATS`, each an error when read); Excel's lock
    files (``~$…``) and hidden files are skipped."""
    found = []
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$"):
            continue
        if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm", *OTHER_FORMATS):
            found.append(path)
    return found


def read_returns(
    folder: Path | str, into: Path | str, experts: Iterable[str] | None = None, progress: bool = False
) -> Collection:
    """Read every return under ``folder`` against the year in ``into``.

    Raises :class:`InputError` when ``into``'s scheme or departments cannot be read (then
    there is nothing to check returns against); every problem of the returns themselves is
    in the result.
    """
    from wfscore.inputs.output import inside

    folder, into = Path(folder), Path(into)
    scheme, departments, problems = forms.read_roster(into)
    if not folder.is_dir():
        problems.append(error(plain(folder), "is not a folder (expected the folder of returned forms)"))
    elif inside(into, folder):
        problems.append(
            error(
                plain(into),
                f"is inside the returns folder {plain(folder)} (expected the year's folder "
                "elsewhere: nothing in the returns folder is ever written to)",
                message_zh=(
                    f"位于报送表格文件夹 {plain(folder)} 之内（年度数据文件夹应在别处：报送文件夹不写入任何文件）"
                ),
            )
        )
    if scheme is None or any(p.is_error for p in problems):
        raise InputError(problems, str(into))
    ctx = Context(scheme, departments)
    ctx.key_path = signing.key_path(into)
    ctx.key, ctx.key_problem = signing.read_key(into)
    paths = workbooks(folder)
    if progress:
        from tqdm import tqdm

        paths = tqdm(paths, **bar_words("returns"))
    # a return is named by its path under the folder, its control characters and line breaks
    # as escapes: a file saved as "a\n错误：….xlsx" must not print or write a line of its own
    returns = [read_return(p, plain(p.relative_to(folder)), ctx) for p in paths]
    _duplicates(returns, ctx)
    problems = [p for r in returns for p in r.problems]
    if ctx.key_problem is not None:
        problems.insert(0, ctx.key_problem)
    problems += _overlaps(returns)
    if experts is None:
        from_file = into / "experts.csv"
        experts = forms.read_experts(from_file.read_text(encoding="utf-8-sig")) if from_file.is_file() else []
    wanted = list(dict.fromkeys(list(experts) + sorted(r.who for r in returns if r.form == "expert" and r.who)))
    return Collection(folder, into, ctx, returns, problems, wanted)


def _duplicates(returns: list[Return], ctx: Context) -> None:
    groups: dict[tuple[str, str], list[Return]] = {}
    for r in returns:  # a form whose signature fails is nobody's: it makes no other return a duplicate
        if r.form in forms.FORM_KINDS and r.who and r.signed:
            groups.setdefault((r.form, r.who), []).append(r)
    what = {"self_check": "department", "expert": "expert", "office": "office"}
    for (form, who), group in groups.items():
        if len(group) < 2:
            continue
        for r in group:
            others = [o.file for o in group if o is not r]
            r.duplicate_of = others
            label = (
                f"{what[form]} {who}" + (f" {ctx.name[who]}" if who in ctx.name else "")
                if form != "office"
                else "the office"
            )
            r.problems.append(
                error(
                    r.file,
                    f"is a second return for {label} (also {', '.join(others)}; expected "
                    "one return each: remove the one that is out of date)",
                    message_zh=f"与 {'、'.join(others)} 重复（每个部门或专家只能报送一份，请删除过时的一份）",
                )
            )


def _overlaps(returns: list[Return]) -> list[Problem]:
    """The same figure given by two returns (a form and a summary sheet, say)."""
    problems = []
    first: dict[tuple, str] = {}
    for r in returns:
        if r.duplicate_of:
            continue
        for kind, rows in (
            ("value", [(d, i) + (w,) for d, i, _, w in r.values]),
            ("website evaluation", [(d, "website") + (w,) for d, _, w in r.website]),
        ):
            for d, i, where in rows:
                key = (kind, d, i)
                if key in first:
                    source, cell = where.rsplit(", cell ", 1)
                    label = f"indicator {i}" if kind == "value" else "the website evaluation"
                    problems.append(
                        error(
                            source,
                            f"gives department {d}'s {label} a second time (also {first[key]}; expected it once)",
                            column=cell,
                            column_word="cell",
                            message_zh=(
                                f"重复填报了部门 {d} "
                                f"的{'指标 ' + i if kind == 'value' else '网站评估成绩'}（{first[key]} 已有）"
                            ),
                        )
                    )
                else:
                    first[key] = where
    return problems


# -- the year's tables from the returns --------------------------------------------------

# What identifies a row of each table, for merging a return into what the year holds.
KEYS = {
    "values.csv": ("dept_id", "indicator"),
    "ratings.csv": ("dept_id", "indicator", "expert"),
    "website_eval.csv": ("dept_id",),
    "exemptions.csv": ("dept_id", "indicator"),
    "achievements.csv": ("dept_id", "indicator", "title"),
}
CELL = {"values.csv": "value", "ratings.csv": "rating", "website_eval.csv": "score"}


@dataclass
class Plan:
    """What a collection would write: each file's text, and the notes about it."""

    texts: dict[str, str]  # file → new text (only files some return supplies)
    unchanged: list[str]
    kept: list[str]  # one line per decided row kept as it was
    notes: list[str]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def _inert(cell: str) -> str:
    """Free text from a return (a reason, a title) that Excel would take for a formula when
    the CSV is opened gets a leading apostrophe (the one guard of
    :func:`wfscore.inputs.output.inert_cell`, full-width ＝＋－＠ included); other text
    is kept as typed."""
    from wfscore.inputs.output import inert_cell

    return inert_cell(str(cell))


def _existing(into: Path, file: str) -> tuple[list[str], list[tuple[int, dict]]] | None:
    from wfscore.inputs.files import decode, parse_csv

    path = into / file
    if not path.is_file():
        return None
    text, _, problem = decode(path.read_bytes(), file)
    if problem is not None:
        raise InputError([problem], str(into))
    frame, problems = parse_csv(text, file.removesuffix(".csv"), file)
    if problems:
        raise InputError(problems, str(into))
    if frame is None:
        return None
    rows = [
        (int(line), {c: str(v) for c, v in zip(frame.columns, values)})
        for line, values in zip(frame.index, frame.itertuples(index=False))
    ]
    return list(frame.columns), rows


def _true(text: str) -> bool:
    return text.strip().casefold() in {"true", "yes", "1", "是"}


def _keys(rows: list[dict], key_fields: tuple[str, ...]) -> list[tuple]:
    """Each row's key, with its occurrence (the same claim may be made twice: two rows)."""
    count: dict[tuple, int] = {}
    keys = []
    for row in rows:
        key = tuple(row.get(k, "") for k in key_fields)
        count[key] = count.get(key, 0) + 1
        keys.append(key + (count[key],))
    return keys


def _said(key: tuple) -> str:
    return " ".join(str(k) for k in key[:-1]) + (f" (#{key[-1]})" if key[-1] > 1 else "")


def _decisions(decided, file: str, line: int) -> str:
    ids = decided.get((file, line)) if isinstance(decided, dict) else None
    if not ids:
        return "a decision"
    return ("decision " if len(ids) == 1 else "decisions ") + ", ".join(str(i) for i in ids)


def _merge(
    into: Path, file: str, supplied: list[dict], in_scope, decided, plan: Plan, replace: bool = False
) -> list[list[str]]:
    """``file`` after collection. Every row the year holds stays on its line (the lines
    decisions.csv names keep their numbers): a decided row as it is (and said so when
    the returns speak for it), any other row updated from the returns; new rows at the
    end. A row the returns speak for (``in_scope``) but no longer give is kept with a
    note, or with ``replace`` removed, unless a decided row follows it."""
    key_fields = KEYS[file]
    base = list(COLUMNS[file])
    old = _existing(into, file)
    columns = base + ([c for c in old[0] if c not in base] if old else [])
    wanted = {key: r for key, r in zip(_keys(supplied, key_fields), supplied)}
    out: list[dict] = []
    rows = old[1] if old else []
    old_keys = _keys([row for _, row in rows], key_fields)
    request = file in ("exemptions.csv", "achievements.csv")
    has_confirmed = old is None or "confirmed" in old[0]
    is_decided = [
        (file, line) in decided or (request and (not has_confirmed or _true(row.get("confirmed", ""))))
        for line, row in rows
    ]
    for n, ((line, row), key) in enumerate(zip(rows, old_keys)):
        new = wanted.pop(key, None)
        if is_decided[n]:
            out.append(row)
            if new is None and not in_scope(row):
                continue
            if request:
                state = "confirmed" if not has_confirmed or _true(row.get("confirmed", "")) else "not confirmed"
                differs = new is not None and any(
                    new.get(c, "") != row.get(c, "") for c in ("reason", "title") if c in new
                )
                plan.kept.append(
                    f"{file} line {line}: {_said(key)} ({state} by the desk) kept as it was"
                    + ("; the return now says something else, which the desk should look at" if differs else "")
                )
                continue
            cell = CELL[file]
            now = row.get(cell, "")
            told = (
                "; the return no longer gives it"
                if new is None
                else f"; the return says {new.get(cell, '')}, which the desk should look at"
                if new.get(cell, "") != now
                else ""
            )
            plan.kept.append(
                f"{file} line {line}: {_said(key)} (decided: {_decisions(decided, file, line)}) kept as {now}{told}"
            )
        elif new is not None:
            out.append({**row, **new})
        elif not in_scope(row):
            out.append(row)
        elif replace and not any(is_decided[n + 1 :]):
            plan.notes.append(f"{file} line {line}: {_said(key)} is no longer in the return; removed")
        elif replace:
            out.append(row)
            plan.notes.append(
                f"{file} line {line}: {_said(key)} is no longer in the return, but kept so "
                "that the lines the desk decided below it keep their numbers (reject it at the desk)"
            )
        else:
            out.append(row)
            plan.notes.append(
                f"{file} line {line}: {_said(key)} is no longer in the return; kept (collect --replace removes it)"
            )
    out += list(wanted.values())
    return [columns] + [[r.get(c, "") for c in columns] for r in out]


def plan_year(col: Collection, decided=frozenset(), replace: bool = False) -> Plan:
    """The files the returns make, merged with what ``into`` holds: rows added and updated,
    never removed unless ``replace`` (then the rows a return no longer gives). ``decided``:
    the (file, line) pairs with decisions in force (from decisions.csv; a mapping to the
    decisions' ids names them in the notes): those rows are kept as they are."""
    ctx = col.ctx
    used = col.used()
    plan = Plan({}, [], [], [])
    dept_rank = lambda d: ctx.position.get(d, len(ctx.position))  # noqa: E731
    ind_rank = lambda i: ctx.order.get(i, len(ctx.order))  # noqa: E731
    depts = {r.who for r in used if r.form == "self_check"}
    experts = {r.who for r in used if r.form == "expert"}
    office = any(r.form == "office" for r in used)

    def asked(row: dict, who: str) -> bool:
        """Whether ``who`` (department, experts, office) is asked for the row's figure on
        its form: its indicator's source, and not one the website evaluation replaces."""
        ind, dept = ctx.indicators.get(row.get("indicator", "")), row.get("dept_id", "")
        return (
            ind is not None
            and dept in ctx.kind
            and source_of(ind) == who
            and ind.id not in forms.overridden_for(ctx.scheme, ctx.kind[dept])
        )

    def merge(file: str, supplied: list[dict], in_scope) -> None:
        plan.texts[file] = _csv(_merge(col.into, file, supplied, in_scope, decided, plan, replace))

    values = sorted((v for r in used for v in r.values), key=lambda v: (dept_rank(v[0]), ind_rank(v[1])))
    if any(r.form in ("self_check", "office", "summary") for r in used):
        merge(
            "values.csv",
            [{"dept_id": d, "indicator": i, "value": t} for d, i, t, _ in values],
            lambda row: (row.get("dept_id") in depts and asked(row, "department")) or (office and asked(row, "office")),
        )
    if experts:
        ratings = sorted((v for r in used for v in r.ratings), key=lambda v: (dept_rank(v[0]), ind_rank(v[1]), v[2]))
        merge(
            "ratings.csv",
            [{"dept_id": d, "indicator": i, "expert": e, "rating": t} for d, i, e, t, _ in ratings],
            lambda row: row.get("expert") in experts and asked(row, "experts"),
        )
    site = sorted((v for r in used for v in r.website), key=lambda v: dept_rank(v[0]))
    if office or site:
        merge("website_eval.csv", [{"dept_id": d, "score": t} for d, t, _ in site], lambda row: office)
    forms_in = [r for r in used if r.form == "self_check"]
    if forms_in:
        returned = lambda row: row.get("dept_id", "") in depts  # noqa: E731
        ex = sorted((v for r in forms_in for v in r.exemptions), key=lambda v: (dept_rank(v[0]), ind_rank(v[1])))
        merge(
            "exemptions.csv",
            [{"dept_id": d, "indicator": i, "reason": _inert(reason), "confirmed": "false"} for d, i, reason, _ in ex],
            returned,
        )
        ach = sorted((v for r in forms_in for v in r.achievements), key=lambda v: (dept_rank(v[0]), ind_rank(v[1])))
        merge(
            "achievements.csv",
            [{"dept_id": d, "indicator": i, "title": _inert(t), "confirmed": "false"} for d, i, t, _ in ach],
            returned,
        )
    for file, text in list(plan.texts.items()):
        path = col.into / file
        if path.is_file() and path.read_bytes() == text.encode("utf-8"):
            plan.unchanged.append(file)
    return plan


def check_year(col: Collection, plan: Plan) -> list[Problem]:
    """The year as ``plan`` would leave it, checked by ``wfscore validate`` in a scratch
    folder beside it (so that the previous year's folder is found as it would be from the
    real one). Raises :class:`InputError` with the errors; returns the warnings."""
    from wfscore.inputs.loading import validate
    from wfscore.inputs.output import TMP_PREFIX

    into = col.into
    scratch = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=into.parent))
    try:
        check = scratch / into.name
        check.mkdir()
        for path in into.iterdir():
            if path.is_file() and path.name not in plan.texts:
                shutil.copy2(path, check / path.name)
        for file, text in plan.texts.items():
            (check / file).write_text(text, encoding="utf-8")
        found = validate(check)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    found = [
        Problem(p.severity, p.source, p.message, p.line, p.column, p.value, p.row_word, p.column_word, p.message_zh)
        for p in found
    ]
    if any(p.is_error for p in found):
        raise InputError(found, f"{into} (as collected)")
    return found


@dataclass(frozen=True)
class Outcome:
    """What a collection wrote (:func:`wfscore.review.collected.write_year`)."""

    written: list[str]
    unchanged: list[str]
    kept: list[str]
    notes: list[str]
    problems: list[Problem]  # the year's own check (wfscore validate) after collection
    versions: dict[str, str] = field(default_factory=dict)  # file → the version of it kept in .history


# -- the board ------------------------------------------------------------------------


BOARD_WORDS = {
    "zh": {
        "who": "对象",
        "id": "编号",
        "name": "名称",
        "status": "状态",
        "file": "文件",
        "errors": "错误",
        "exemptions": "不适用申请",
        "claims": "奖励申报",
        "department": "部门",
        "expert": "专家",
        "office": "考核办",
        "summary": "汇总表",
        "returned": "已交",
        "missing": "未交",
        "has_errors": "有错误",
        "duplicate": "重复",
        "unknown": "无法识别",
        "office_form": "考核办填报表",
    },
    "en": {
        "who": "who",
        "id": "id",
        "name": "name",
        "status": "status",
        "file": "file",
        "errors": "errors",
        "exemptions": "exemption requests",
        "claims": "achievement claims",
        "department": "department",
        "expert": "expert",
        "office": "office",
        "summary": "summary",
        "returned": "returned",
        "missing": "missing",
        "has_errors": "has errors",
        "duplicate": "duplicate",
        "unknown": "not recognised",
        "office_form": "the office workbook",
    },
}


def board(col: Collection, lang: str = "zh"):
    """The collection board as a table: one row per department, expert and the office (and
    per summary or unrecognised workbook)."""
    import pandas as pd

    w = BOARD_WORDS[lang]
    by: dict[tuple[str, str], list[Return]] = {}
    other: list[Return] = []
    for r in col.returns:
        if r.form in forms.FORM_KINDS and r.who:
            by.setdefault((r.form, r.who), []).append(r)
        else:
            other.append(r)

    def status(group: list[Return]) -> str:
        if not group:
            return w["missing"]
        if any(r.duplicate_of for r in group):
            return w["duplicate"]
        return w["has_errors"] if any(r.errors for r in group) else w["returned"]

    rows = []
    for d, name in zip(col.ctx.dept_ids, col.ctx.departments["name"]):
        group = by.pop(("self_check", d), [])
        rows.append(
            (
                w["department"],
                d,
                name,
                status(group),
                "、".join(r.file for r in group),
                sum(len(r.errors) for r in group),
                sum(len(r.exemptions) for r in group),
                sum(len(r.achievements) for r in group),
            )
        )
    for e in col.experts:
        group = by.pop(("expert", e), [])
        rows.append(
            (
                w["expert"],
                e,
                e,
                status(group),
                "、".join(r.file for r in group),
                sum(len(r.errors) for r in group),
                0,
                0,
            )
        )
    group = by.pop(("office", "office"), [])
    rows.append(
        (
            w["office"],
            "office",
            w["office"],
            status(group),
            "、".join(r.file for r in group),
            sum(len(r.errors) for r in group),
            0,
            0,
        )
    )
    for group in by.values():  # forms of departments or experts the year does not know
        other.extend(group)
    for r in other:
        kind = (
            w["summary"]
            if r.form == "summary"
            else w["unknown"]
            if r.form not in forms.FORM_KINDS
            else w[{"self_check": "department", "expert": "expert", "office": "office"}[r.form]]
        )
        rows.append((kind, r.who, r.who, w["has_errors"] if r.errors else w["returned"], r.file, len(r.errors), 0, 0))
    return pd.DataFrame(
        rows, columns=[w["who"], w["id"], w["name"], w["status"], w["file"], w["errors"], w["exemptions"], w["claims"]]
    )


def pending(col: Collection, decided: set[tuple[str, int]] | frozenset = frozenset()) -> dict[str, int]:
    """How many exemption requests and achievement claims would await the desk's review
    after collection (rows not confirmed and not decided)."""
    plan = plan_year(col, decided) if not col.errors else None
    counts = {}
    for file in ("exemptions.csv", "achievements.csv"):
        if plan is not None and file in plan.texts:
            rows = list(csv.reader(io.StringIO(plan.texts[file])))
            lines = range(2, len(rows) + 1)
        else:
            old = _existing(col.into, file)
            rows = [old[0]] + [[r.get(c, "") for c in old[0]] for _, r in old[1]] if old else []
            lines = [line for line, _ in old[1]] if old else []
        if not rows or "confirmed" not in rows[0]:
            counts[file] = 0
            continue
        c = rows[0].index("confirmed")
        counts[file] = sum(1 for line, row in zip(lines, rows[1:]) if not _true(row[c]) and (file, line) not in decided)
    return counts


def board_text(col: Collection, decided=frozenset(), lang: str = "zh") -> str:
    """The board as terminal text: a summary line per group, then who is missing, whose
    return has errors, and what awaits the desk."""
    w = BOARD_WORDS[lang]
    table = board(col, lang)
    lines = []
    for who in (w["department"], w["expert"], w["office"]):
        part = table[table[w["who"]] == who]
        counts = part[w["status"]].value_counts()
        line = f"{who}: " + (f"{len(part)} 个，" if lang == "zh" else f"{len(part)}, ")
        line += ("，" if lang == "zh" else ", ").join(
            f"{s} {counts.get(s, 0)}" for s in (w["returned"], w["missing"], w["has_errors"], w["duplicate"])
        )
        lines.append(line)
        for status in (w["missing"], w["has_errors"], w["duplicate"]):
            names = part[part[w["status"]] == status]
            if len(names):
                shown = [
                    _short(w["office_form"] if who == w["office"] else f"{i} {n}" if i != n else str(i))
                    for i, n in zip(names[w["id"]], names[w["name"]])
                ]
                lines.append(f"  {status}: " + ("、" if lang == "zh" else ", ").join(shown))
    rest = table[~table[w["who"]].isin([w["department"], w["expert"], w["office"]])]
    for row in rest.itertuples(index=False):
        lines.append(f"{row[0]}: {_short(str(row[4]))} ({row[3]})")
    counts = pending(col, decided)
    if lang == "zh":
        lines.append(f"待审核：不适用申请 {counts['exemptions.csv']} 项，奖励申报 {counts['achievements.csv']} 项")
    else:
        lines.append(
            f"awaiting review: {counts['exemptions.csv']} exemption requests, "
            f"{counts['achievements.csv']} achievement claims"
        )
    return "\n".join(lines)
