"""``wfscore forms`` and ``wfscore collect`` from the command line: exit codes, messages in
Chinese (English with --lang en), nothing written on error, the board, start-up imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SAMPLE, run_cli
from formfill import fill
from wfscore.cli import main


@pytest.fixture(autouse=True)
def no_language_chosen(monkeypatch):
    """No WFSCORE_LANG and no locale: the messages in Chinese, the default."""
    for name in ("WFSCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def year(tmp_path) -> Path:
    folder = tmp_path / "2011"
    folder.mkdir()
    for name in ("scheme.yaml", "SYNTHETIC"):
        shutil.copy(SAMPLE / name, folder)
    lines = (SAMPLE / "departments.csv").read_text(encoding="utf-8").splitlines()
    (folder / "departments.csv").write_text("\n".join(lines[:1] + [l for l in lines[1:] if l.startswith(("G0", "P0"))][:5])
                                            + "\n", encoding="utf-8")
    return folder


def test_forms_then_collect(year, tmp_path, capsys):
    out = tmp_path / "forms"
    assert main(["forms", str(year), "--out", str(out), "--experts", "E1", "E2", "--deadline", "2011-12-31"]) == 0
    said = capsys.readouterr().out
    assert said == f"已在 {out} 写出 8 个表格：部门自查表 5 个，专家评分表 2 个，考核办填报表 1 个\n"
    fill(out, SAMPLE)
    assert main(["collect", str(out), "--into", str(year), "--status"]) == 0
    board = capsys.readouterr().out
    assert "部门: 5 个，已交 5，未交 0，有错误 0，重复 0" in board and "专家: 2 个，已交 2" in board
    assert not (year / "values.csv").exists()  # --status writes nothing
    assert main(["collect", str(out), "--into", str(year)]) == 0
    said = capsys.readouterr().out
    assert f"已写入 {year}：values.csv、ratings.csv、website_eval.csv、exemptions.csv、achievements.csv" in said
    assert main(["collect", str(out), "--into", str(year), "--lang", "en"]) == 0
    assert f"wrote into {year}: (nothing); unchanged: values.csv, ratings.csv, website_eval.csv, exemptions.csv, " \
           "achievements.csv" in capsys.readouterr().out
    assert main(["validate", str(year)]) == 0


def test_collect_with_an_error_writes_nothing_and_says_why(year, tmp_path, capsys):
    out = tmp_path / "forms"
    assert main(["forms", str(year), "--out", str(out), "--experts", "E1"]) == 0
    fill(out, SAMPLE)
    path = next(out.glob("自查表_P01_*.xlsx"))
    wb = load_workbook(path)
    row = next(c.row for c in wb["指标"]["A"] if str(c.value) == "12")
    wb["指标"][f"D{row}"].value = "八十"
    wb.save(path)
    capsys.readouterr()
    assert main(["collect", str(out), "--into", str(year)]) == 1
    err = capsys.readouterr().err
    line = next(l for l in err.splitlines() if path.name in l)  # where in Chinese: Problem.text("zh")
    assert line == f"错误：{path.name} 工作表 指标，单元格 D{row}：'八十' 不是数字（应为不小于 0 的数字）"
    assert err.rstrip().endswith("未写出任何文件（请改正后重新汇总）")
    assert main(["collect", str(out), "--into", str(year), "--lang", "en"]) == 1
    assert f"error: {path.name}, sheet 指标, cell D{row}: '八十' is not a number (expected a non-negative number)" \
        in capsys.readouterr().err
    # collect wrote nothing; the key is wfscore forms' (README, "Collecting a year's inputs")
    assert sorted(p.name for p in year.iterdir()) == [".wfscore-forms-key", "SYNTHETIC", "departments.csv", "scheme.yaml"]


def test_forms_without_experts_is_a_usage_error(year, tmp_path, capsys):
    assert main(["forms", str(year), "--out", str(tmp_path / "f")]) == 2
    assert "未指定专家" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


def test_experts_from_a_file_and_from_the_years_ratings(year, tmp_path, capsys):
    listing = tmp_path / "专家名单.csv"
    listing.write_text("专家,姓名\nX1,甲\nX2,乙\n", encoding="utf-8-sig")
    assert main(["forms", str(year), "--out", str(tmp_path / "a"), "--experts", str(listing)]) == 0
    assert sorted(p.name for p in (tmp_path / "a").glob("专家*")) == ["专家评分表_X1.xlsx", "专家评分表_X2.xlsx"]
    shutil.copy(SAMPLE / "ratings.csv", year)
    assert main(["forms", str(year), "--out", str(tmp_path / "b")]) == 0
    assert len(list((tmp_path / "b").glob("专家*"))) == 5


def test_a_missing_year_folder_is_named(tmp_path, capsys):
    assert main(["collect", str(tmp_path), "--into", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "scheme.yaml" in err and "departments.csv" in err and "Traceback" not in err


def test_control_characters_in_a_file_name_stay_inert(year, tmp_path, capsys):
    out = tmp_path / "forms"
    out.mkdir()
    (out / "坏\x1b[31m文件.xlsx").write_bytes(b"nonsense")
    assert main(["collect", str(out), "--into", str(year)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "坏\\x1b[31m文件.xlsx" in err  # shown as Python shows it, never sent raw


def test_the_commands_import_no_library_at_start_up():
    code = ("import sys; import wfscore.cli as c; c.parser(); print(sorted(m for m in sys.modules if m.startswith(("
            "'openpyxl', 'xlsxwriter', 'pandas', 'wfscore.inputs.forms', 'wfscore.inputs.collect', 'wfscore.review'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_console_script_lists_the_commands():
    done = run_cli("--help")
    assert "forms" in done.stdout and "collect" in done.stdout
