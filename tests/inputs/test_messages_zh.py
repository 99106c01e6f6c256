"""Every message a person reads about a year's inputs, and every error a command shows,
reads in Chinese (wfscore.inputs.messages_zh), keeping the values it quotes exactly.

The messages are found in the source (tests/inputs/message_sites.py): each is rebuilt
with sample tokens in place of its values and must come out in Chinese with every
token kept and no English word left. Messages the source builds elsewhere are named
here by hand with real samples; broken folders check whole lines, written by hand.
"""

from __future__ import annotations

import ast
import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml

from message_sites import PACKAGE, paired_sites, sites
from wfscore.inputs import messages_zh, numbers
from wfscore.inputs.loading import validate
from wfscore.inputs.messages_zh import PHRASES, in_lang, to_zh, where_zh
from wfscore.inputs.problems import error, warning
from wfscore.inputs.scheme_yaml import parse_scheme

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"

# Latin words that stay Latin in the Chinese: names of things the user types or finds
# (formats, encodings, tools, the scheme's words, the columns' and fields' names).
LATIN = {
    "CSV",
    "UTF",
    "GB18030",
    "BOM",
    "ASCII",
    "YAML",
    "SPEC",
    "wfscore",
    "Excel",
    "WPS",
    "LibreOffice",
    "NUL",
    "PDF",
    "Jupyter",
    "ipykernel",
    "make",
    "venv",
    "chromium",
    "apt-get",
    "install",
    "WFSCORE_CHROMIUM",
    "Saltelli",
    "Shift-JIS",
    "EUC-KR",
    "Big5",
    "zip",
    "true",
    "false",
    "yes",
    "no",
    "True",
    "False",
    "None",
    "ordinary",
    "major",
    "index",
    "direct",
    "binary",
    "confirmed",
    "severity",
    "value",
    "rating",
    "kind",
    "state",
    "name",
    "indicator",
    "year",
    "title",
    "kinds",
    "sections",
    "rules",
    "lang",
    "samples",
    "history",
    "analyse",
    "YearData",
    "load_year",
    "ref",
    "max",
    "id",
    "In",
    "dept_id",
    "previous_ids",
    "data",
    "reports",
    "UTF-8",
    "UTF-16",
    "xlsx",
    "NaN",
    "file",
    "version",
    "years",
    "departments",
    "values",
    "ratings",
    "exemptions",
    "incidents",
    "achievements",
}
LATIN |= {"Chrome", "Edge", "Chromium"}  # browsers, by their names
LATIN |= {"http", "https", "source", "monitoring", "measure", "availability", "logins"}  # the monitoring's words
LATIN |= {"LibreOffice", "soffice"}  # the office suite that converts the notice, by its names
# A word with a dot, underscore, slash or a leading dash is a file, key, path or option.
NAMEISH = re.compile(r"[._/]|^-|^0x")
WORD = re.compile(r"[-.0-9]*[A-Za-z][A-Za-z0-9_.\-/]*")


def english_left(chinese: str, tokens=()) -> list[str]:
    """The English words of ``chinese`` that should have been translated."""
    text = re.sub(r"'[^'\n]*'", " ", chinese)  # a quoted value is the user's own text
    for token in sorted(tokens, key=len, reverse=True):
        text = text.replace(token, " ")
    return [
        w
        for w in WORD.findall(text)
        if len(re.sub(r"[^A-Za-z]", "", w)) >= 3 and w.rstrip(".") not in LATIN and not NAMEISH.search(w.rstrip("."))
    ]


def assert_translated(message: str, tokens=(), where: str = "") -> str:
    zh = to_zh(message)
    assert zh is not None, f"{where}: no Chinese for {message!r}"
    for token in tokens:
        assert token in zh, f"{where}: {token!r} lost from {message!r} → {zh!r}"
    assert not english_left(zh, tokens), f"{where}: English left in {zh!r}: {english_left(zh, tokens)}"
    return zh


# -- the phrases some messages are built from, found in the source ---------------------


def _calls(file: str, name: str):
    tree = ast.parse((PACKAGE / file).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name:
            yield node


def _const(node):
    return node.value if isinstance(node, ast.Constant) else None


def _cell_whats() -> list[str]:
    whats = [_const(c.args[0]) for c in _calls("inputs/validation.py", "_not_empty")]
    whats += [_const(c.args[0]) for c in _calls("inputs/validation.py", "_number_checks")]
    return [w for w in whats if w is not None]


def _number_messages() -> list[str]:
    out = []
    for call in _calls("inputs/validation.py", "_number_checks"):
        what, low, high = (_const(a) for a in call.args)
        if what is None:
            continue
        out += [f"is empty (expected {what})", f"is not a number (expected {what})", f"is not finite (expected {what})"]
        out.append(
            f"is negative (expected {what})" if high is None else f"is outside {low:g}–{high:g} (expected {what})"
        )
    return out


def _file_whats() -> list[str]:
    whats = [_const(c.args[2]) for c in _calls("inputs/files.py", "read_file") if len(c.args) > 2]
    whats += [_const(c.args[1]) for c in _calls("inputs/files.py", "raw_of") if len(c.args) > 1]
    whats += [_const(c.args[2]) for c in _calls("inputs/scheme_yaml.py", "read_file") if len(c.args) > 2]
    whats += [_const(c.args[2]) for c in _calls("inputs/lineage.py", "read_file") if len(c.args) > 2]
    return sorted({w for w in whats if w is not None})


# -- messages built where the source walk cannot rebuild them: real samples by hand -----

PASSES_ON = "passes on a message written at another site (checked there)"


def _layout_free(source: str) -> str:
    """A site's source without its line breaks and indentation, so that reformatting keeps its key."""
    return re.sub(r"\s*\n\s*", " ", source)


HAND: dict[tuple[str, str], list[str] | str] = {
    ("inputs/problems.py", "message"): PASSES_ON,
    ("inputs/scheme_yaml.py", "message"): PASSES_ON,
    ("inputs/validation.py", "message"): PASSES_ON,
    ("inputs/collect.py", "p.message"): PASSES_ON,
    ("inputs/charsets.py", "encoding"): "an internal error (a code page wfscore has no table for), never shown",
    ("publish/report.py", "str(exc)"): PASSES_ON + " (a PdfError)",
    ("review/decisions.py", "str(problem)"): [
        "decisions.csv: is UTF-16 text, which wfscore does not read (expected UTF-8 or GB18030; in Excel save as "
        "'CSV UTF-8')",
        "values.csv: cannot be decoded: byte 0xff at offset 12 is not UTF-8, and the file is not GB18030 either "
        "(expected a CSV file saved as UTF-8 or GB18030)",
    ],
    ("inputs/files.py", "message"): [
        "has a cell longer than 131,072 characters (expected shorter cells)",
        "cannot be read as CSV: line contains NUL (expected CSV text)",
        "cannot be read as CSV: X1 (expected CSV text)",
    ],
    ("inputs/output.py", '"; ".join(problems)'): [
        "--out '' is not a file name (expected a file such as results.csv); --summary and --out name the same "
        "file 'r.csv' (expected two files)",
    ],
    ("publish/report.py", '"; ".join(problems)'): [
        "lang 'fr' is not a report language (expected one of zh, en); data_dir '/tmp/x' does not exist "
        "(expected a year's data folder, such as data/2011)",
        "year 'abc' is not a year (expected a whole number from 1949 to 2100, such as 2011); out_dir 'r' is a "
        "file (expected a folder for the report)",
    ],
    ("analysis/years.py", '"; ".join(problems)'): [
        "years [2011] is not a list of two or more years (expected such as [2011, 2012, 2013]); "
        "data_root 'X1' is not a folder (expected the folder holding one folder per year, such as data)",
    ],
    ("publish/report_all.py", 'str(exc).replace("the report notebook", "the trends notebook", 1)'): [
        "the trends notebook failed in cell In [4] (X1): X2: X3",
    ],
    (
        "review/decisions.py",
        'f"{version!r} is not a version of {folder} (expected one of the versions `wfscore '
        'history "\n                    f"{folder}` lists" + (f", e.g. {known[-1]}" if known '
        'else "; there are none yet") + ")"',
    ): [
        "'v9' is not a version of data/2011 (expected one of the versions `wfscore history data/2011` lists, "
        "e.g. 20111201T120000-values.csv)",
        "'v9' is not a version of data/2011 (expected one of the versions `wfscore history data/2011` lists; "
        "there are none yet)",
    ],
    (
        "review/cell_edit.py",
        'f"{text!r} is not a valid {field} (expected a number"\n'
        '                + (f" from {low:g} to {high:g})" if math.isfinite(high) else ")")',
    ): [
        "'abc' is not a valid rating (expected a number from 0 to 100)",
        "'-1' is not a valid value (expected a number)",
        # as the desk shows it: DecisionError(f"{file}: {exc}")
        "ratings.csv: 'abc' is not a valid rating (expected a number from 0 to 100)",
    ],
    # sampled with tokens, but built from English phrases or words: real samples instead
    ("review/decisions.py", 'f"{file} {exc}"'): [
        "values.csv line 40 is not a row of the table (expected a line between 2 and 31)",
    ],
    ("inputs/validation.py", 'f"is empty (expected {what})"'): [f"is empty (expected {w})" for w in _cell_whats()],
    ("inputs/validation.py", 'f"is not a number (expected {what})"'): _number_messages(),
    ("inputs/validation.py", 'f"is not finite (expected {what})"'): _number_messages(),
    ("inputs/validation.py", 'f"{range_text} (expected {what})"'): _number_messages(),
    ("inputs/validation.py", 'f"is not a number: {{why}} (expected {what}, written like 85 or 85.5)"'): [
        f"is not a number: {numbers.reason(cell)} (expected {_const(call.args[0])}, written like 85 or 85.5)"
        for call in _calls("inputs/validation.py", "_number_checks")
        for cell in ("85¹", "١٢٣", "85。5", "8 5", "1_000", "1e-999999999")
    ],
    (
        "inputs/validation.py",
        'f"is listed twice (also on {table.row_word} {first_line[line]}; expected one row per {what})"',
    ): [
        "is listed twice (also on line 2; expected one row per department)",
        "is listed twice (also on row 7; expected one row per department and indicator)",
        "is listed twice (also on line 12; expected one row per department, indicator and expert)",
    ],
    (
        "inputs/validation.py",
        'f"has ratings too ({ratings.source} "\n'
        "              f\"{ratings.row_word} {rated[(row['dept_id'], row['indicator'])]}) \"\n"
        '              "(expected either a value or ratings for a department and indicator, '
        'not both)"',
    ): [
        "has ratings too (ratings.csv line 5) (expected either a value or ratings for a department and indicator, "
        "not both)",
        "has ratings too (data.xlsx, sheet ratings row 5) (expected either a value or ratings for a department and "
        "indicator, not both)",
    ],
    (
        "inputs/lineage.py",
        'f"could not be checked against the previous year\'s folder {prev}: {why}"',
    ): [
        "could not be checked against the previous year's folder data/2010: it has no departments table with a "
        "dept_id column",
        "could not be checked against the previous year's folder data/2010: is a folder (expected a CSV file)",
    ],
}
HAND = {(file, _layout_free(source)): samples for (file, source), samples in HAND.items()}


def _key(site) -> tuple[str, str]:
    return site.file, _layout_free(site.source)


def test_every_message_built_elsewhere_is_named_here():
    found = {_key(s) for s in sites()}
    unsampled = {_key(s) for s in sites() if s.sample is None}
    assert unsampled - set(HAND) == set(), "a message the source walk cannot rebuild: add real samples to HAND"
    assert set(HAND) - found == set(), "HAND names a site the source no longer has"


def test_the_walk_finds_the_messages():
    """The walk is not empty by accident: it finds the sites a reader knows are there."""
    found = {(s.file, s.sample) for s in sites()}
    assert ("inputs/validation.py", "is not a date (expected a date like 2011-05-03)") in found
    assert ("inputs/files.py", "is a folder (expected X1)") in found
    assert ("inputs/output.py", "X1 and X2 name the same file 'X3' (expected two files)") in found
    assert ("publish/report.py", "--out 'X1' is a file (expected a folder for the report)") in found
    assert ("inputs/scheme_yaml.py", "is invalid: X1") in found
    assert len(found) > 150


@pytest.mark.parametrize(
    "site", [s for s in sites() if s.sample is not None and _key(s) not in HAND], ids=lambda s: f"{s.file}:{s.line}"
)
def test_every_message_written_in_the_source_translates(site):
    assert_translated(site.sample, site.tokens, f"{site.file}:{site.line}")


@pytest.mark.parametrize("key", [k for k, v in HAND.items() if not isinstance(v, str)], ids=lambda k: k[0])
def test_every_hand_sample_translates(key):
    for message in HAND[key]:
        assert_translated(message, re.findall(r"X\d+", message), where=f"{key[0]}")


def test_the_phrases_of_the_source_are_known():
    """Phrases passed into messages (what a file or cell should be) are all in PHRASES."""
    for what in _file_whats() + _cell_whats():
        assert what in PHRASES, what
    for what in _file_whats():
        for message in (
            f"is a folder (expected {what})",
            f"cannot be read: Permission denied (expected {what})",
            f"is 200,000,000 bytes (expected {what} of at most 134,217,728 bytes)",
        ):
            assert_translated(message, where="files.py")


# -- pydantic's and PyYAML's words, as a broken scheme.yaml gets them -------------------

BASE_SCHEME = yaml.safe_load((TINY / "scheme.yaml").read_text(encoding="utf-8"))


def _ind(d):
    return d["sections"][0]["categories"][0]["indicators"][0]


BREAKS = [
    lambda d: d.update(year="abc"),
    lambda d: d.update(year=1800),
    lambda d: d.update(year=[2011]),
    lambda d: d.update(title=["x"]),
    lambda d: d.pop("title"),
    lambda d: d.update(kinds={}),
    lambda d: d.update(kinds=["a"]),
    lambda d: d.update(sections=[]),
    lambda d: d.update(sections={"a": 1}),
    lambda d: d.update(sections=["x"]),
    lambda d: d["sections"][0].update(points=-1),
    lambda d: d["sections"][0].update(points="abc"),
    lambda d: d["sections"][0].update(points="inf"),
    lambda d: d["sections"][0].update(id=""),
    lambda d: _ind(d).update(method="foo"),
    lambda d: _ind(d).update(direction="up"),
    lambda d: _ind(d).update(source="me"),
    lambda d: d["sections"][0]["categories"][0].update(indicators=[]),
    lambda d: d["rules"].update(not_applicable="x"),
    lambda d: d["rules"].update(rank_precision=9),
    lambda d: d["rules"].update(rank_precision=-1),
    lambda d: d["rules"].update(rank_precision=1.5),
    lambda d: d["rules"].update(excellence={"share": 2}),
    lambda d: d["rules"].update(excellence=5),
    lambda d: d["rules"].update(index_base="min"),
    lambda d: d["rules"].update(index_base={"percentile": 100}),
    lambda d: d["rules"].update(website_evaluation={"category": "c2", "kinds": "gov"}),
    lambda d: d.update(rules=[1]),
    lambda d: d.update(year="99999999999999999999999"),
]


def test_pydantic_words_translate():
    seen = set()
    for n, brk in enumerate(BREAKS):
        scheme = copy.deepcopy(BASE_SCHEME)
        brk(scheme)
        _, problems = parse_scheme(yaml.safe_dump(scheme, allow_unicode=True))
        assert problems, n
        for p in problems:
            seen.add(p.message)
            zh = assert_translated(p.message, where=f"break {n}")
            assert "应" in zh or "缺失" in zh or "重复" in zh or "之和" in zh, zh
    assert any("input should be" in m for m in seen)  # the pydantic messages were met


@pytest.mark.parametrize(
    "text",
    [
        "year: 2011\ntitle: [a\n",
        "year: 2011\ntitle: a: b\n",
        "year: 2011\n  title: x\n",
        "year: 2011\ntitle: 'x\n",
        "- a\nb: c\n",
        "a:\n\t- 1\n",
        "a: @x\n",
        'a: "x\\q"\n',
        "a: [1, 2]]\n",
        "a: {b: 1}}\n",
        'a: "\\x1"\n',
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
        "a: [b: c: d]\n",
        "a: b\n- c\n",
        "a: 'x\n",
    ],
)
def test_common_yaml_errors_translate(text):
    _, problems = parse_scheme(text)
    assert len(problems) == 1 and problems[0].message.startswith("is not valid YAML: ")
    assert_translated(problems[0].message, where=repr(text))


# -- whole lines of broken folders, written by hand -------------------------------------


def _year(tmp_path: Path) -> Path:
    folder = tmp_path / "2011"
    shutil.copytree(TINY, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lines(folder: Path) -> list[str]:
    return [p.text("zh") for p in validate(folder)]


def test_a_word_for_a_value(tmp_path):
    folder = _year(tmp_path)
    _edit(folder / "values.csv", "D1,i2,2", "D1,i2,abc")
    assert "values.csv 第 2 行，value 列：'abc' 不是数字（应为非负数）" in _lines(folder)


def test_a_missing_column(tmp_path):
    folder = _year(tmp_path)
    _edit(folder / "values.csv", "dept_id,indicator,value", "dept_id,indicator,amount")
    assert "values.csv 第 1 行：缺少列 'value'（应有列：dept_id, indicator, value）" in _lines(folder)


def test_an_unknown_kind_and_a_bad_date(tmp_path):
    folder = _year(tmp_path)
    _edit(folder / "departments.csv", "D3,三号部,party", "D3,三号部,army")
    _edit(folder / "incidents.csv", "2011/3/5", "2011-13-45")
    lines = _lines(folder)
    assert (
        "departments.csv 第 4 行，kind 列：'army' 不是方案中的部门类别（应为以下之一：gov = 政府机关; "
        "party = 党的机关; org = 人民团体）" in lines
    )
    assert "incidents.csv 第 3 行，date 列：'2011-13-45' 不是日期（应为日期，如 2011-05-03）" in lines


def test_a_row_twice_and_a_missing_table(tmp_path):
    folder = _year(tmp_path)
    _edit(folder / "values.csv", "D2,i2,4", "D2,i2,4\nD1,i2,3")
    (folder / "website_eval.csv").unlink()
    lines = _lines(folder)
    assert "values.csv 第 4 行，dept_id 列：'D1 / i2' 重复列出（第 2 行也有；应为每个部门和指标一行）" in lines
    assert "website_eval.csv：缺失（类别为 gov 的 2 个部门都应有政务网站绩效评估成绩）" in lines


def test_scheme_problems_name_the_key(tmp_path):
    folder = _year(tmp_path)
    _edit(
        folder / "scheme.yaml",
        "{id: i1, name: 领导机制, weight: 30}",
        "{id: i1, name: 领导机制, weight: 30, method: foo}",
    )
    assert _lines(folder) == [
        "scheme.yaml 第 14 行，键 sections[0].categories[0].indicators[0].method：'foo' 无效："
        "应为 'index'、'direct' 或 'binary'"
    ]
    folder = _year(tmp_path / "again")
    _edit(folder / "scheme.yaml", "    name: 指标考核\n    points: 100", "    name: 指标考核\n    points: 90")
    assert _lines(folder) == [
        "scheme.yaml 第 8 行，键 sections[0].points：'90' 是部分 A 的分值，但其类别分值之和为 100（两者应相等）"
    ]


def test_a_workbook_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    folder = tmp_path / "2011"
    folder.mkdir()
    shutil.copy(TINY / "scheme.yaml", folder)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for csv_file in sorted(TINY.glob("*.csv")):
        sheet = book.create_sheet(csv_file.stem)
        for row in csv_file.read_text(encoding="utf-8").splitlines():
            sheet.append(row.split(","))
    book["values"]["C3"] = "四"
    book.save(folder / "data.xlsx")
    assert "data.xlsx 工作表 values 第 3 行，value 列：'四' 不是数字（应为非负数）" in _lines(folder)
    book.remove(book["values"])
    book.save(folder / "data.xlsx")
    assert "data.xlsx 中没有工作表 'values'（应有含以下列的工作表：dept_id, indicator, value）" in _lines(folder)


def test_a_message_that_goes_on_from_its_file(tmp_path):
    """A Chinese message that goes on from the file's name ("中…", "的…") follows it
    without a colon; every other follows a colon."""
    folder = _year(tmp_path)  # the tiny year gives no value for D3's i2
    assert (
        "values.csv 中没有部门 D3（三号部）指标 i2（故障时长）的数据，计 0 分（应提供指标值、专家评分或"
        "经确认的不适用申请）" in _lines(folder)
    )
    (folder / "scheme.yaml").unlink()
    (folder / "scheme.yaml").mkdir()
    assert _lines(folder) == ["scheme.yaml：是文件夹（应为本年度的评分方案，即 YAML 文本文件）"]


# -- where, and the lines other code builds from problems ------------------------------


def test_where_in_chinese():
    assert where_zh(error("values.csv", "x", line=5, column="value")) == "values.csv 第 5 行，value 列"
    assert (
        where_zh(error("data.xlsx, sheet values", "x", line=5, column="value", row_word="row"))
        == "data.xlsx 工作表 values 第 5 行，value 列"
    )
    assert (
        where_zh(error("scheme.yaml", "x", line=3, column="rules.ratings", column_word="key"))
        == "scheme.yaml 第 3 行，键 rules.ratings"
    )
    assert (
        where_zh(error("r.xlsx, sheet 指标", "x", column="B7", column_word="cell")) == "r.xlsx 工作表 指标，单元格 B7"
    )
    assert where_zh(error("departments.csv", "x", column="previous_ids")) == "departments.csv，previous_ids 列"


def test_a_problem_keeps_its_value_exactly():
    """A value that reads like a message, quotes and all, comes through as written."""
    value = "x' is not a number (expected 'y"
    p = error("values.csv", "is not a number (expected a non-negative number)", line=9, column="value", value=value)
    assert p.text("zh") == f"values.csv 第 9 行，value 列：{value!r} 不是数字（应为非负数）"
    assert in_lang(str(p), "zh") == p.text("zh")  # its English line, as an exception carries it


def test_chinese_at_the_call_wins():
    p = warning(
        "scheme.yaml",
        "is not a key wfscore knows; it is ignored",
        line=4,
        column="remark",
        column_word="key",
        message_zh="（写在调用处）",
    )
    assert p.text("zh") == "scheme.yaml 第 4 行，键 remark：（写在调用处）"
    assert p.text("en") == str(p)


def test_an_untranslated_message_stays_english():
    assert to_zh("something no one wrote") is None
    assert in_lang("something no one wrote", "zh") == "something no one wrote"
    assert in_lang("is missing (expected this key)", "en") == "is missing (expected this key)"


def test_exceptions_in_chinese():
    from wfscore.review.decisions import DecisionError

    assert (
        in_lang(DecisionError("a decision needs the reviewer's name", "请先填写审核人姓名"), "zh")
        == "请先填写审核人姓名"
    )
    assert DecisionError("x", "请先填写审核人姓名").in_lang("zh") == "请先填写审核人姓名"
    assert in_lang(DecisionError("decisions.csv is empty"), "zh") == "decisions.csv 是空文件"
    assert in_lang(KeyError("'c9' is not a category or indicator of the scheme"), "zh") == "'c9' 不是方案中的类别或指标"
    assert (
        in_lang(str(KeyError("'c9' is not a category or indicator of the scheme")), "zh")
        == "'c9' 不是方案中的类别或指标"
    )


def test_joined_messages_from_a_command(tmp_path):
    from wfscore.inputs.output import OutputError, check_targets

    with pytest.raises(OutputError) as caught:
        check_targets({"--out": tmp_path, "--summary": "a.csv", "--detail": "a.csv"})
    assert in_lang(str(caught.value), "zh") == (
        f"--out {str(tmp_path)!r} 是文件夹（应为文件名，如 {tmp_path / 'results.csv'}）；"
        "--detail 和 --summary 指向同一个文件 'a.csv'（应为两个不同的文件）"
    )


def test_the_catalogue_is_ordered_specific_first():
    """No entry is hidden behind an earlier one: each entry's own English, with a sample
    word for each name, is translated by that entry."""
    entries = messages_zh._ENTRIES + messages_zh._PYDANTIC
    assert len(entries) == len(messages_zh.CATALOGUE)

    def word(found: re.Match) -> str:
        kind = found.group(2)
        return {"rowword": "line", "repr": f"'Q{found.group(1)}Q'", "number": "12"}.get(kind, f"Q{found.group(1)}Q")

    for n, (english, _) in enumerate(entries):
        sample = messages_zh._FIELD.sub(word, english)
        first = next((k for k, e in enumerate(messages_zh.CATALOGUE) if e.match(sample)), None)
        assert first == n, f"{english!r} is matched by {entries[first][0] if first is not None else None!r}"


def test_an_input_error_in_chinese(tmp_path):
    from wfscore.inputs.loading import load_year
    from wfscore.inputs.problems import InputError

    folder = _year(tmp_path)
    _edit(folder / "values.csv", "D1,i2,2", "D1,i2,-2")
    _edit(folder / "website_eval.csv", "D1,80", "D1,")
    with pytest.raises(InputError) as caught:
        load_year(folder)
    assert caught.value.text("zh") == (
        f"{folder}：2 个错误\n"
        "  values.csv 第 2 行，value 列：'-2' 是负数（应为非负数）\n"
        "  website_eval.csv 第 2 行，score 列：'' 为空（应为 0 到 100 的网站绩效评估成绩）"
    )
    assert in_lang(str(caught.value), "zh") == caught.value.text("zh")  # its English text, line by line
    assert caught.value.text("en") == str(caught.value)


def test_a_message_behind_a_file_name():
    """The desk writes f"{file}: {exc}": the file stays in front, the rest in Chinese."""
    assert (
        to_zh("ratings.csv: 'abc' is not a valid rating (expected a number from 0 to 100)")
        == "ratings.csv：'abc' 不是有效的 rating（应为 0 到 100 的数字）"
    )


def test_quoted_values_with_separators_and_quotes():
    message = (
        "--out 'a\\'b; c' is a folder (expected a file name such as x); "
        '--a and --b name the same file "it\'s" (expected two files)'
    )
    assert (
        to_zh(message)
        == "--out 'a\\'b; c' 是文件夹（应为文件名，如 x）；--a 和 --b 指向同一个文件 \"it's\"（应为两个不同的文件）"
    )


# -- every problem of many broken folders reads in Chinese ------------------------------


def _append(name: str, text: str):
    def brk(folder: Path) -> None:
        with open(folder / name, "a", encoding="utf-8") as f:
            f.write(text)

    return brk


def _replace(name: str, old: str, new: str):
    return lambda folder: _edit(folder / name, old, new)


def _write(name: str, raw: bytes):
    return lambda folder: (folder / name).write_bytes(raw)


def _link(name: str, target: str):
    def brk(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).symlink_to(target)

    return brk


def _folder_instead(name: str):
    def brk(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return brk


TINY_IDS = ["gov", "party", "org"]  # the tiny scheme's kind ids, quoted in messages as the user writes them
BROKEN = {
    "values a folder": _folder_instead("values.csv"),
    "ratings a dangling link": _link("ratings.csv", "nowhere.csv"),
    "incidents a device": _link("incidents.csv", "/dev/null"),
    "scheme a folder": _folder_instead("scheme.yaml"),
    "departments in Shift-JIS": _write("departments.csv", "dept_id,name,kind\nD1,東京都庁,gov\n".encode("shift_jis")),
    "values in UTF-16": _write("values.csv", "dept_id,indicator,value\n".encode("utf-16")),
    "values not text": _write("values.csv", b"dept_id,indicator,value\n\xff\xfe\xfa,\x80\x81\n"),
    "an empty table": _write("ratings.csv", b""),
    "a header twice": _write("website_eval.csv", b"dept_id,dept_id\nD1,80\n"),
    "cells beyond the header": _append("values.csv", "D3,i2,1,9,9\n"),
    "a control character": _replace("exemptions.csv", "无独立网站栏目", "无独立\x1b网站栏目"),
    "a misnamed file": lambda folder: (folder / "Values.CSV").write_text("x\n", encoding="utf-8"),
    "a workbook beside CSV": lambda folder: (folder / "data.xlsx").write_bytes(b"not a zip"),
    "unknown ids": _append("values.csv", "D9,i9,1\n"),
    "a binary indicator's value": _append("values.csv", "D3,b1,1\n"),
    "a direct value over its weight": _append("values.csv", "D3,s1,25\n"),
    "a value and ratings": _append("values.csv", "D1,i1,3\n"),
    "a non-binary achievement": _append("achievements.csv", "D1,i1,某奖,true\n"),
    "a confirmed word": _replace("achievements.csv", "D2,b2,市级先进,true", "D2,b2,市级先进,maybe"),
    "a severity": _replace("incidents.csv", "major", "huge"),
    "a rating out of range": _replace("ratings.csv", "D1,i1,E4,100", "D1,i1,E4,180"),
    "a rating not finite": _replace("ratings.csv", "D1,i1,E4,100", "D1,i1,E4,inf"),
    "a rating with a footnote mark": _replace("ratings.csv", "D1,i1,E4,100", "D1,i1,E4,10¹"),
    "an empty expert": _replace("ratings.csv", "D1,i1,E4,100", "D1,i1,,100"),
    "an incident of another year": _replace("incidents.csv", "2011-08-11", "2010-08-11"),
    "a website score for a party department": _append("website_eval.csv", "D4,60\n"),
    "no website score": _replace("website_eval.csv", "D2,50\n", ""),
    "previous ids": lambda folder: (folder / "departments.csv").write_text(
        "dept_id,name,kind,previous_ids\nD1,一号局,gov,G1;;G2\nD2,二号局,gov,G3;G3\nD3,三号部,party,\n"
        "D4,四号部,party,\n",
        encoding="utf-8",
    ),
    "scheme ids twice": _replace("scheme.yaml", "{id: i2,", "{id: i1,"),
    "scheme category sum": _replace(
        "scheme.yaml", "{id: i4, name: 互动, weight: 10}", "{id: i4, name: 互动, weight: 15}"
    ),
    "scheme unknown rule ids": _replace(
        "scheme.yaml",
        "website_evaluation: {category: c2, kinds: [gov]}",
        "website_evaluation: {category: c9, kinds: [army]}",
    ),
    "scheme security indicators": _replace(
        "scheme.yaml", "security_incident: {category: c3}", "security_incident: {category: c3, indicators: [i1]}"
    ),
    "scheme unknown key": _replace("scheme.yaml", "title: 手算示例", "title: 手算示例\nremark: 备注"),
    "scheme key twice": _replace("scheme.yaml", "title: 手算示例", "title: 手算示例\ntitle: 再写"),
    "scheme alias": _replace("scheme.yaml", "title: 手算示例", "title: &t 手算示例\ntitle_en: *t"),
    "scheme not a mapping": _write("scheme.yaml", b"- a\n- b\n"),
    "scheme missing": lambda folder: (folder / "scheme.yaml").unlink(),
    "departments missing": lambda folder: (folder / "departments.csv").unlink(),
    "a missing column": _write("exemptions.csv", "dept_id,reason\nD4,无\n".encode()),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_problem_of_a_broken_folder_reads_in_chinese(tmp_path, name):
    folder = _year(tmp_path)
    BROKEN[name](folder)
    problems = validate(folder)
    assert problems, name
    for p in problems:
        line = p.text("zh")
        if not p.message_zh:
            assert to_zh(p.message) is not None, str(p)
        assert line.startswith((where_zh(p) + "：", where_zh(p) + " 中", where_zh(p) + " 的")), line
        if p.value is not None:
            assert repr(p.value) in line
        left = english_left(
            line.replace(repr(p.value), " ") if p.value is not None else line, [p.source, p.column or "", *TINY_IDS]
        )
        assert not left, f"{line} ({left})"


# -- values of any text -----------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_column_name_is_quoted_exactly(column):
    message = f"has no column {column!r} (expected the columns dept_id, indicator, value)"
    assert to_zh(message) == f"缺少列 {column!r}（应有列：dept_id, indicator, value）"


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(min_size=1))
def test_any_option_value_is_quoted_exactly(first, second):
    message = (
        f"--out {first!r} is not a file name (expected a file such as results.csv); "
        f"--out and --summary name the same file {second!r} (expected two files)"
    )
    assert to_zh(message) == (
        f"--out {first!r} 不是文件名（应为文件，如 results.csv）；"
        f"--out 和 --summary 指向同一个文件 {second!r}（应为两个不同的文件）"
    )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_cell_value_is_quoted_exactly(value):
    p = error("values.csv", "is not a number (expected a non-negative number)", line=5, column="value", value=value)
    assert p.text("zh") == f"values.csv 第 5 行，value 列：{value!r} 不是数字（应为非负数）"


# -- the portal and its command: the Chinese beside every message --------------------------

# Latin words the portal's Chinese keeps: the protocol's and the API's own words
PORTAL_LATIN = LATIN | {
    "pip",
    "Ctrl",
    "http",
    "JSON",
    "POST",
    "GET",
    "PATCH",
    "Authorization",
    "Token",
    "DOCX",
    "WPS",
    "Word",
    "MB",
    "username",
    "password",
    "new_password",
    "reason",
    "document",
    "portal",
    "init",
    "sqlite3",
    "PostgreSQL",
    "Debian",
    "Windows",
    "postgresql-client",
    "bin",
    "PATH",
    "postgresql",
    "database",
    "backup",
    "restore",
}


@pytest.mark.parametrize("site", paired_sites(), ids=lambda s: f"{s.file}:{s.line}")
def test_every_portal_message_has_its_chinese(site):
    where = f"{site.file}:{site.line}"
    if not site.has_zh:  # no Chinese at the call: the catalogue must have it
        assert site.sample is not None, f"{where}: {site.source} is shown with no Chinese beside it"
        assert_translated(site.sample, site.tokens, where)
        return
    if site.zh is not None and re.search(r"[A-Za-z]{3,}", re.sub(r"X\d+", "", site.sample or "")):
        assert re.search(r"[\u4e00-\u9fff]", site.zh), f"{where}: the Chinese of {site.sample!r} is {site.zh!r}"
        left = [w for w in english_left(site.zh, re.findall(r"X\d+", site.zh)) if w.rstrip(".") not in PORTAL_LATIN]
        assert not left, f"{where}: English left in {site.zh!r}: {left}"


def test_the_portal_walk_finds_the_messages():
    found = {(s.file, s.sample, s.zh) for s in paired_sites()}
    assert ("portal/returns.py", "the year is locked", "本年度已锁定，不能再修改") in found
    assert ("portal/views.py", "Saved.", "已保存。") in found
    assert ("cli/portal.py", "backed up the database to X1", "已备份数据库到 X1") in found
    assert ("portal/site.py", "has no column X1 (expected X2)", "缺少列 X3（应有 X4）") in found
    assert len(found) > 80


def test_an_unpaired_portal_message_is_found(tmp_path, monkeypatch):
    """A message written in English only, on a page or by the command, is a site without Chinese."""
    import message_sites

    (tmp_path / "portal").mkdir()
    (tmp_path / "cli").mkdir()
    (tmp_path / "portal" / "views.py").write_text(
        'def v(request):\n    messages.success(request, "Saved it.")\n    raise Refused("only English")\n',
        encoding="utf-8",
    )
    (tmp_path / "cli" / "portal.py").write_text(
        'def c(ui):\n    say("done" if ui == "zh" else "finished")\n    say("all went well")\n', encoding="utf-8"
    )
    monkeypatch.setattr(message_sites, "PACKAGE", tmp_path)
    unpaired = {s.sample for s in message_sites.paired_sites() if not s.has_zh}
    # "finished" has a twin for Chinese, but "done" is no Chinese
    assert unpaired == {"Saved it.", "only English", "all went well", "done", "finished"}


@pytest.mark.parametrize(
    "line",
    [
        "exemptions.csv line 3: V04 6 (confirmed by the desk) kept as it was",
        "achievements.csv line 5: G01 23 全国电子政务应用示范单位 (#2) (not confirmed by the desk) kept as it was; the "
        "return now says something else, which the desk should look at",
        "exemptions.csv line 4: P01 12 is no longer in the return; removed",
        "exemptions.csv line 4: P01 12 is no longer in the return, but kept so that the lines the desk decided below "
        "it "
        "keep their numbers (reject it at the desk)",
    ],
)
def test_the_lines_collect_and_portal_export_print_translate(line):
    """collect's notes on the desk's rows (wfscore collect and wfscore portal export print them)."""
    assert_translated(line, re.findall(r"[A-Z]\d+|\d+|\S+\.csv|全国电子政务应用示范单位", line))
