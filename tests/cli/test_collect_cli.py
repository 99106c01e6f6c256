"""``wfscore forms`` and ``wfscore collect`` from the command line: exit codes, messages in
Chinese (English with --lang en), nothing written on error, the board, start-up imports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formfill import fill, rows
from helpers import SAMPLE, run_cli
from helpers.collection import five_departments
from wfscore.cli import main


@pytest.fixture(autouse=True)
def no_language_chosen(monkeypatch):
    """No WFSCORE_LANG and no locale: the messages in Chinese, the default."""
    for name in ("WFSCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def year(tmp_path) -> Path:
    return five_departments(tmp_path / "2011")


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
    assert (
        f"wrote into {year}: (nothing); unchanged: values.csv, ratings.csv, website_eval.csv, exemptions.csv, "
        "achievements.csv" in capsys.readouterr().out
    )
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
    line = next(ln for ln in err.splitlines() if path.name in ln)  # where in Chinese: Problem.text("zh")
    assert line == f"错误：{path.name} 工作表 指标，单元格 D{row}：'八十' 不是数字（应为不小于 0 的数字）"
    assert err.rstrip().endswith("未写出任何文件（请改正后重新汇总）")
    assert main(["collect", str(out), "--into", str(year), "--lang", "en"]) == 1
    assert (
        f"error: {path.name}, sheet 指标, cell D{row}: '八十' is not a number (expected a non-negative number)"
        in capsys.readouterr().err
    )
    # collect wrote nothing; the key is wfscore forms' (README, "Collecting a year's inputs")
    assert sorted(p.name for p in year.iterdir()) == [
        ".wfscore-forms-key",
        "SYNTHETIC",
        "departments.csv",
        "scheme.yaml",
    ]


def test_forms_before_the_experts_are_known_write_the_department_and_office_forms(year, tmp_path, capsys):
    assert main(["forms", str(year), "--out", str(tmp_path / "f")]) == 0
    said = capsys.readouterr().out
    assert "部门自查表 5 个，专家评分表 0 个，考核办填报表 1 个" in said and "专家评分表待专家名单确定后再生成" in said
    assert len(list((tmp_path / "f").glob("自查表_*.xlsx"))) == 5 and (tmp_path / "f" / "考核办填报表.xlsx").exists()
    assert main(["forms", str(year), "--out", str(tmp_path / "f"), "--lang", "en", "--experts", "E1"]) == 0
    assert "the rating sheets wait" not in capsys.readouterr().out


def test_the_board_counts_the_experts_forms_took_from_ratings_csv_and_names_the_office_form(year, tmp_path, capsys):
    shutil.copy(SAMPLE / "ratings.csv", year)
    out = tmp_path / "f"
    assert main(["forms", str(year), "--out", str(out)]) == 0
    capsys.readouterr()
    none = tmp_path / "nothing yet"
    none.mkdir()
    assert main(["collect", str(none), "--into", str(year), "--status"]) == 0
    board = capsys.readouterr().out
    assert "专家: 5 个，已交 0，未交 5" in board and "  未交: 考核办填报表" in board and "office" not in board
    assert main(["collect", str(none), "--into", str(year), "--status", "--lang", "en"]) == 0
    assert "  missing: the office workbook" in capsys.readouterr().out


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


@pytest.mark.skipif(os.name == "nt", reason="Windows refuses control characters in file names: nothing to forge")
def test_a_line_break_or_an_escape_in_a_returns_name_forges_no_line_printed_or_written(year, tmp_path, capsys):
    out = tmp_path / "回收\n错误：伪造"  # the returns folder's own name too
    assert main(["forms", str(year), "--out", str(out), "--experts", "E1"]) == 0
    fill(out, SAMPLE)
    next(out.glob("自查表_P01_*.xlsx")).rename(out / "a\n错误：伪造.xlsx")
    (out / "专家评分表_E1.xlsx").rename(out / "\x1b[2J.xlsx")
    (out / "子\r错误：伪造").mkdir()
    source = next(out.glob("自查表_P02_*.xlsx"))
    source.rename(out / "子\r错误：伪造" / source.name)
    (out / "c\n错误：伪造.xlsx").write_bytes(b"nonsense")

    def forged(text: str) -> list[str]:
        return [ln for ln in text.splitlines() if ln.lstrip().startswith(("错误：伪造", "伪造")) or "\x1b" in ln]

    capsys.readouterr()
    assert main(["collect", str(out), "--into", str(year), "--status"]) == 1  # the unreadable return
    said = capsys.readouterr()
    assert forged(said.out + said.err) == [] and "\r" not in said.out + said.err
    assert "无法识别: c\\x0a错误：伪造.xlsx (有错误)" in said.out.splitlines()  # the line break as an escape
    assert "部门: 5 个，已交 5" in said.out and "专家: 1 个，已交 1" in said.out  # the others read whatever their names
    assert main(["collect", str(out), "--into", str(year)]) == 1
    said = capsys.readouterr()
    assert forged(said.out + said.err) == [] and "\r" not in said.out + said.err
    assert "错误：c\\x0a错误：伪造.xlsx：无法作为 Excel 工作簿打开（应为 .xlsx 文件）" in said.err.splitlines()
    (out / "c\n错误：伪造.xlsx").unlink()
    assert main(["collect", str(out), "--into", str(year)]) == 0
    said = capsys.readouterr()
    assert forged(said.out + said.err) == [] and "\r" not in said.out + said.err
    assert {r["dept_id"] for r in rows(year / "values.csv")} >= {"P01", "P02"} and rows(year / "ratings.csv")
    for path in year.rglob("*"):  # the tables, decisions.csv, the versions and the journal
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert forged(text) == [] and "\r" not in text.replace("\r\n", "\n"), path
    assert main(["collect", str(out), "--into", str(year)]) == 0  # the log it wrote reads back
    assert main(["history", str(year)]) == 0
    said = capsys.readouterr()
    assert forged(said.out + said.err) == [] and "collect" in said.out


def test_the_commands_import_no_library_at_start_up():
    code = (
        "import sys; import wfscore.cli as c; c.parser(); print(sorted(m for m in sys.modules if m.startswith(("
        "'openpyxl', 'xlsxwriter', 'pandas', 'wfscore.inputs.forms', 'wfscore.inputs.collect', 'wfscore.review'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_console_script_lists_the_commands():
    done = run_cli("--help")
    assert "forms" in done.stdout and "collect" in done.stdout


# -- killed at any point, the year is as before or as after ---------------------------------

# the steps of wfscore.review.decisions.step: the journal written is the step that decides
STEPS = (
    "locked",
    "validated",
    "versions kept",
    "journal",
    "wrote values.csv",
    "wrote ratings.csv",
    "wrote decisions.csv",
)
TABLES = ("values.csv", "ratings.csv", "website_eval.csv", "exemptions.csv", "achievements.csv")


def tables_of(folder: Path) -> dict[str, bytes]:
    return {f: (folder / f).read_bytes() for f in TABLES if (folder / f).exists()}


def log_of(folder: Path) -> list[tuple]:
    from wfscore.review.decisions import read_log

    return [(e.action, e.file) for e in read_log(folder).itertuples()]


@pytest.fixture
def collected(year, tmp_path):
    """The year collected once from its forms, then one department's value and one
    expert's rating changed in the returns: a second collect replaces two files."""
    out = tmp_path / "forms"
    assert main(["forms", str(year), "--out", str(out), "--experts", "E1", "E2"]) == 0
    fill(out, SAMPLE)
    assert main(["collect", str(out), "--into", str(year)]) == 0
    path = next(out.glob("自查表_P01_*.xlsx"))
    wb = load_workbook(path)
    row = next(c.row for c in wb["指标"]["A"] if str(c.value) == "12")
    wb["指标"][f"D{row}"].value = 55
    wb.save(path)
    path = out / "专家评分表_E1.xlsx"
    wb = load_workbook(path)
    wb["评分"]["D2"].value = 61 if wb["评分"]["D2"].value != 61 else 62
    wb.save(path)
    return year, out


def paused(year: Path, out: Path, step: str, where: Path) -> subprocess.Popen:
    """``wfscore collect`` in a process of its own, stopped at ``step`` (``where / "barrier"``
    written; it goes on once ``where / "barrier.go"`` exists)."""
    where.mkdir()
    env = {
        **os.environ,
        "WFSCORE_TEST_PAUSE_AT": step,
        "WFSCORE_TEST_BARRIER": str(where / "barrier"),
        "WFSCORE_LANG": "en",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "wfscore", "collect", str(out), "--into", str(year)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    for _ in range(2400):
        if (where / "barrier").exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert (where / "barrier").exists(), proc.communicate()
    return proc


@pytest.mark.parametrize("step", STEPS)
def test_a_collect_killed_at_any_step_leaves_the_year_as_before_or_as_after(collected, tmp_path, step):
    year, out = collected
    after = tmp_path / "after"
    shutil.copytree(year, after)
    assert main(["collect", str(out), "--into", str(after)]) == 0
    want_after, log_after = tables_of(after), log_of(after)
    before, log_before = tables_of(year), log_of(year)
    assert want_after["values.csv"] != before["values.csv"] and want_after["ratings.csv"] != before["ratings.csv"]
    proc = paused(year, out, step, tmp_path / "pause")
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    proc.communicate()
    if STEPS.index(step) < STEPS.index("journal"):
        assert tables_of(year) == before and log_of(year) == log_before  # nothing decided yet: untouched
    # the next command that takes the year's lock finishes or clears what the killed run left
    assert main(["collect", str(out), "--into", str(year), "--status"]) == 0
    now = (tables_of(year), log_of(year))
    assert now in ((before, log_before), (want_after, log_after)), step
    if STEPS.index(step) >= STEPS.index("journal"):
        assert now == (want_after, log_after)
    assert not (year / ".history" / "journal.json").exists()
    assert main(["collect", str(out), "--into", str(year)]) == 0  # and collecting again gives the after
    assert tables_of(year) == want_after


def test_a_decision_made_while_collect_runs_waits_for_it_and_is_kept(collected, tmp_path):
    import threading

    from wfscore.review import disputes

    year, out = collected
    disputes.open_dispute(year, "P02", "value", indicator="12", claim="填错了")
    proc = paused(year, out, "validated", tmp_path / "pause")
    done = []
    thread = threading.Thread(
        target=lambda: done.append(disputes.uphold(year, 1, corrected="99", reply="更正", reviewer="张三"))
    )
    thread.start()
    thread.join(1)
    assert thread.is_alive() and not done  # the dispute waits for the collect's lock
    (tmp_path / "pause" / "barrier.go").touch()
    assert proc.wait(120) == 0
    thread.join(60)
    assert done
    values = {(r["dept_id"], r["indicator"]): r["value"] for r in rows(year / "values.csv")}
    assert values[("P02", "12")] == "99" and values[("P01", "12")] == "55"  # both kept
    assert main(["collect", str(out), "--into", str(year)]) == 0  # and a later collect keeps the decision
    values = {(r["dept_id"], r["indicator"]): r["value"] for r in rows(year / "values.csv")}
    assert values[("P02", "12")] == "99"


def test_a_kept_decision_and_the_version_are_said_in_chinese_and_restore_brings_it_back(collected, tmp_path, capsys):
    from wfscore.review import disputes

    year, out = collected
    disputes.open_dispute(year, "P01", "value", indicator="12", claim="填错了")
    saved, _ = disputes.uphold(year, 1, corrected="99", reply="更正", reviewer="张三")
    before = (year / "ratings.csv").read_bytes()
    capsys.readouterr()
    assert main(["collect", str(out), "--into", str(year)]) == 0
    said = capsys.readouterr().out
    line = next(
        n for n, r in enumerate(rows(year / "values.csv"), start=2) if (r["dept_id"], r["indicator"]) == ("P01", "12")
    )
    assert (
        f"保留：values.csv 第 {line} 行：P01 12（第 {saved.entry['id']} 项决定有效）保持为 99；报表填的是 55，"
        "请审核台查看"
    ) in said.splitlines()
    version = next(
        v for v in (year / ".history").iterdir() if v.name.endswith("_ratings.csv") and v.read_bytes() == before
    ).name
    assert f"ratings.csv → {version}" in said and "`wfscore restore" in said
    assert main(["history", str(year)]) == 0 and "collect" in capsys.readouterr().out
    assert main(["restore", str(year), version, "--reviewer", "张三"]) == 0
    assert (year / "ratings.csv").read_bytes() == before
    # the English, and a collect of one return only: the other departments' rows stay
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(next(out.glob("自查表_P02_*.xlsx")), one)
    lines = (year / "values.csv").read_text(encoding="utf-8").splitlines()
    capsys.readouterr()
    assert main(["collect", str(one), "--into", str(year), "--lang", "en"]) == 0
    assert (year / "values.csv").read_text(encoding="utf-8").splitlines() == lines
    assert "wrote into" in capsys.readouterr().out


def notes_prepared(collected):
    """A year where a second collect has every kind of note: a value upheld in a dispute,
    an achievement confirmed at the desk, a value withdrawn from its form."""
    from wfscore.review import decisions, disputes

    year, out = collected
    disputes.open_dispute(year, "P01", "value", indicator="12", claim="填错了")
    disputes.uphold(year, 1, corrected="99", reply="更正", reviewer="张三")
    line = next(n for n, r in enumerate(rows(year / "achievements.csv"), start=2) if r["dept_id"] == "P05")
    decisions.decide(year, "achievements.csv", line, "confirmed", "true", reviewer="张三")
    path = next(out.glob("自查表_P02_*.xlsx"))
    wb = load_workbook(path)
    row = next(c.row for c in wb["指标"]["A"] if str(c.value) == "12")
    wb["指标"][f"D{row}"].value = None
    wb.save(path)
    return year, out


def leftover(text: str, year: Path, lang: str) -> list[str]:
    """What is left of each line of ``text`` once the year's own words are taken out (paths,
    file and version names, ids, commands, the data's titles): in English no Chinese,
    in Chinese no English word."""
    titles = {r["title"] for r in rows(year / "achievements.csv")} | {r["name"] for r in rows(year / "departments.csv")}
    left = []
    for line in text.splitlines():
        line = line.replace(str(year), "")
        for title in sorted(titles, key=len, reverse=True):
            line = line.replace(title, "")
        line = re.sub(r"`[^`]*`|\S+\.csv|collect --replace|wfscore \w+|\b[A-Z]+\d+\b|\d{8}T\d{6}\S*", "", line)
        if re.search(r"[\u4e00-\u9fff]" if lang == "en" else r"[A-Za-z]{2,}", line):
            left.append(line)
    return left


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_note_collect_prints_is_in_the_language_asked(collected, lang, capsys):
    year, out = notes_prepared(collected)
    capsys.readouterr()
    assert main(["collect", str(out), "--into", str(year), "--lang", lang]) == 0
    said = capsys.readouterr()
    text = said.out + said.err
    kept, note = ("保留：", "说明：") if lang == "zh" else ("kept: ", "note: ")
    assert sum(ln.startswith(kept) for ln in text.splitlines()) == 2 and any(
        line.startswith(note) for line in text.splitlines()
    )
    assert leftover(text, year, lang) == []
    assert main(["collect", str(out), "--into", str(year), "--lang", lang, "--replace"]) == 0
    said = capsys.readouterr()
    text = said.out + said.err
    assert any(ln.startswith(note) and ("已删除" if lang == "zh" else "removed") in ln for ln in text.splitlines())
    assert leftover(text, year, lang) == []
