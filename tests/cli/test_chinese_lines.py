"""Every line that ``wfscore disputes``, ``history`` and ``restore`` print under ``--lang zh``
is Chinese apart from the values it quotes; ``--lang en`` keeps the English.

The commands' messages, their help and argparse's own words come from the gettext
catalogue (wfscore.inputs.i18n). Driven over the sample year (no disputes, no decisions) and
over the tiny year with disputes opened, upheld, rejected and undone, decisions undone and
a file restored, and through their usage errors.

"Chinese apart from quoted values": once the values a line quotes are taken out, no Latin
word of three letters or more is left. The values are the year's folder, file names
(``values.csv``, a version's name), commands and options the user types (`` `wfscore …` ``,
``--reviewer``, ``{open,upheld,rejected}``), argparse's metavars (``DIR``, ``ID``), quoted
values (``'x'``) and the ids and names of the year's rows.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import SAMPLE, TINY
from wfscore.cli import main

QUOTED = [
    r"`[^`]*`",  # a command to type
    r"'[^']*'",  # a value, as Python quotes it
    r"\{[\w,]+\}",  # argparse's choices
    r"--?[\w-]+",  # options
    r"\b[A-Z][A-Z_]+\b",  # metavars and environment variables
    r"[\w./-]*\.(?:csv|yaml|xlsx|history)\b",  # file names, versions
    r"\bwfscore(?: (?:disputes|history|restore))?\b",  # the program and its command, in usage lines
    r"\bdata/2011\b",
]


def english_left(line: str, *values: str) -> list[str]:
    for value in sorted(values, key=len, reverse=True):
        line = line.replace(value, " ")
    for pattern in QUOTED:
        line = re.sub(pattern, " ", line)
    return re.findall(r"[A-Za-z]{3,}", line)


def said(capsys, *args) -> tuple[int, list[str]]:
    try:
        code = main([*map(str, args)])
    except SystemExit as exc:  # argparse: a usage error, or -h
        code = exc.code
    out = capsys.readouterr()
    return code, (out.out + out.err).splitlines()


def assert_chinese(lines: list[str], *values: str) -> None:
    assert lines, "nothing printed"
    for line in lines:
        left = english_left(line, *values)
        assert not left, f"English left in {line!r}: {left}"


@pytest.fixture
def year_with_disputes(tmp_path: Path) -> Path:
    folder = tmp_path / "年度"
    shutil.copytree(TINY, folder)
    return folder


def test_the_sample_year_in_chinese(capsys, tmp_path):
    folder = tmp_path / "2011"
    shutil.copytree(SAMPLE, folder)
    for args in (("disputes", folder), ("history", folder), ("disputes", folder, "--state", "open")):
        code, lines = said(capsys, *args, "--lang", "zh")
        assert code == 0
        assert_chinese(lines, str(folder))
    code, lines = said(capsys, "disputes", folder, "--lang", "zh")
    assert lines == [f"{folder}：没有复核申请"]
    code, lines = said(capsys, "history", folder, "--lang", "zh")
    assert lines == [f"{folder}：尚未记录任何决定（decisions.csv 不存在或为空）"]


def cycle(folder: Path, lang: str) -> list[tuple[str, ...]]:
    """A year's disputes and decisions from first to last, each step the command's args."""
    return [
        ("disputes", folder, "--open", "value", "--dept", "D3", "--indicator", "i3", "--claim", "填错了"),
        (
            "disputes",
            folder,
            "--open",
            "rating",
            "--dept",
            "D3",
            "--indicator",
            "i1",
            "--expert",
            "E1",
            "--claim",
            "偏低",
        ),
        ("disputes", folder, "--uphold", "1", "--corrected", "30", "--reply", "同意", "--reviewer", "张三"),
        ("disputes", folder, "--reject", "2", "--reply", "不同意", "--reviewer", "张三"),
        ("disputes", folder),
        ("disputes", folder, "--state", "upheld"),
        ("history", folder),
        ("disputes", folder, "--undo", "1", "--reviewer", "张三"),
        ("disputes", folder, "--uphold", "1", "--corrected", "40", "--reply", "同意", "--reviewer", "张三"),
        ("restore", folder, "last", "--reviewer", "李四", "--comment", "重审"),
        ("disputes", folder),  # upheld, but its decision undone elsewhere: a warning
        ("history", folder),
    ]


def test_disputes_and_history_in_chinese(capsys, year_with_disputes):
    folder = year_with_disputes
    printed = []
    for args in cycle(folder, "zh"):
        code, lines = said(capsys, *args, "--lang", "zh")
        assert code == 0, (args, lines)
        assert_chinese(lines, str(folder), "i3", "i1", "E1", "D3")
        printed += lines
    text = "\n".join(printed)
    # the words of the glossary, one Chinese for each
    for word in (
        "已登记第 1 项复核申请",
        "已支持",
        "已驳回",
        "待处理",
        "类别",
        "指标数值",
        "数值 10 → 30",
        "有效",
        "已撤销",
    ):
        assert word in text, word
    assert "共 2 项复核申请：待处理 0，已支持 1，已驳回 1" in text
    assert "警告：第 1 项复核申请已支持，但其决定已不再有效" in text
    version = sorted(p.name for p in (folder / ".history").iterdir() if p.name.endswith("_values.csv"))[0]
    code, lines = said(capsys, "restore", folder, version, "--reviewer", "李四", "--lang", "zh")
    assert code == 0 and lines[0].startswith(f"已将 values.csv 恢复为版本 {version}；已记为 "), lines
    assert_chinese(lines, str(folder))


def test_the_errors_of_the_commands_in_chinese(capsys, year_with_disputes, tmp_path):
    folder = year_with_disputes
    for args in (
        ("disputes", tmp_path / "nowhere"),
        ("history", tmp_path / "nowhere"),
        ("disputes", folder, "--uphold", "1", "--reject", "1"),
        ("disputes", folder, "--open", "value"),
        ("disputes", folder, "--state", "closed"),
        ("disputes", folder, "--uphold", "x"),
        ("disputes",),
        ("history", folder, "多余"),  # an argument too many
        ("restore", folder),
        ("disputes", folder, "--reject", "9", "--reply", "否", "--reviewer", "张三"),  # no such dispute
    ):
        code, lines = said(capsys, *args, "--lang", "zh")
        assert code in (1, 2), (args, lines)
        assert_chinese(lines, str(folder), str(tmp_path / "nowhere"))
        assert any("错误：" in line for line in lines), lines


@pytest.mark.parametrize("command", ["disputes", "history", "restore"])
def test_the_help_in_chinese(capsys, command):
    code, lines = said(capsys, command, "-h", "--lang", "zh")
    assert code == 0
    assert lines[0].startswith(f"用法：wfscore {command} [-h]")
    assert "选项：" in lines and "  -h, --help" in "\n".join(lines)
    assert_chinese(lines)


def test_english_stays_english(capsys, year_with_disputes):
    folder = year_with_disputes
    printed = []
    for args in cycle(folder, "en"):
        code, lines = said(capsys, *args, "--lang", "en")
        assert code == 0, (args, lines)
        printed += lines
    text = "\n".join(printed)
    assert not re.search(
        r"[\u4e00-\u9fff]", re.sub(r"填错了|偏低|同意|不同意|张三|李四|重审|年度|三号部|[^\s]*年度[^\s]*", "", text)
    )
    assert "opened dispute 1" in text and "2 disputes: 0 open, 1 upheld, 1 rejected" in text
    assert "value 10 -> 30" in text and "in force" in text and "undone" in text
    code, lines = said(capsys, "disputes", "-h", "--lang", "en")
    assert lines[0].startswith("usage: wfscore disputes [-h]") and "options:" in lines


def test_argparse_words_in_a_help_keep_as_plain_text():
    """A help text argparse took from the catalogue pickles as the text it is (Sphinx keeps the
    command-line reference's pages so), without the catalogue behind it."""
    import pickle

    from wfscore.cli import parser

    help_text = parser("zh")._actions[0].help
    kept = pickle.loads(pickle.dumps(help_text))
    assert kept == help_text and type(kept) is str
    assert any("\u4e00" <= c <= "\u9fff" for c in kept)
