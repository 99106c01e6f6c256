"""The collection board panel: the board filtered, the problems per file, the write button
(enabled only when every return is clean), and the demonstration folders."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import SAMPLE
from wfscore.panels.collection import Board, demo_folders


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo():
    before = digest(SAMPLE)
    returns, into = demo_folders(SAMPLE)
    yield returns, into, before
    shutil.rmtree(returns.parent, ignore_errors=True)


def test_the_demo_leaves_the_sample_alone_and_lacks_one_department(demo):
    returns, into, before = demo
    assert digest(SAMPLE) == before
    assert len(list(returns.glob("自查表_*.xlsx"))) == 128
    assert into.parent == returns.parent and (into / "scheme.yaml").is_file() and not (into / "values.csv").exists()


def test_the_board_filters_and_writes_once_clean(demo, tmp_path):
    returns, into, _ = demo
    scratch = tmp_path / "2011"
    shutil.copytree(into, scratch)
    board = Board(returns, scratch)
    assert board.button.disabled is False
    assert "所有报送表格均无错误" in board.message.value
    board.status.value = "未交"
    shown = board.filtered()
    last = (SAMPLE / "departments.csv").read_text(encoding="utf-8").splitlines()[-1].split(",")[0]
    assert list(shown["编号"]) == [last] and last in board.table.value
    board.who.value = "专家"
    assert board.filtered().empty
    board.button.click()
    assert "已写入" in board.message.value and (scratch / "values.csv").is_file()


def test_a_return_with_an_error_disables_the_button_and_is_listed(demo, tmp_path):
    returns, into, _ = demo
    broken = tmp_path / "returns"
    shutil.copytree(returns, broken)
    path = next(broken.glob("自查表_G03_*.xlsx"))
    wb = load_workbook(path)
    row = next(c.row for c in wb["指标"]["A"] if str(c.value) == "12")
    wb["指标"][f"D{row}"].value = "<b>abc</b>"
    wb["指标"][f"D{row}"].data_type = "s"
    wb.save(path)
    scratch = tmp_path / "2011"
    shutil.copytree(into, scratch)
    board = Board(broken, scratch, lang="en")
    assert board.button.disabled is True
    assert "Errors: 1." in board.message.value
    assert f"cell D{row}: &#x27;&lt;b&gt;abc&lt;/b&gt;&#x27; is not a number" in board.problems.value  # escaped
    assert "<b>abc</b>" not in board.problems.value
    assert not (scratch / "values.csv").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_notes_of_a_write_are_in_the_boards_language(demo, tmp_path, lang):
    """A second write with a value upheld in a dispute and a value withdrawn from its form:
    what was kept, what was noted, the versions kept and the problems, all in ``lang``."""
    import html as html_module
    import re

    from wfscore.review import disputes

    returns, into, _ = demo
    mine = tmp_path / "returns"
    shutil.copytree(returns, mine)
    scratch = tmp_path / "2011"
    shutil.copytree(into, scratch)
    Board(mine, scratch, lang=lang).button.click()
    disputes.open_dispute(scratch, "G03", "value", indicator="12", claim="填错了")
    disputes.uphold(scratch, 1, corrected="99", reply="更正", reviewer="张三")
    path = next(mine.glob("自查表_G05_*.xlsx"))
    wb = load_workbook(path)
    row = next(c.row for c in wb["指标"]["A"] if str(c.value) == "12")
    wb["指标"][f"D{row}"].value = None
    wb.save(path)
    path = next(mine.glob("自查表_G04_*.xlsx"))
    wb = load_workbook(path)
    wb["指标"][f"D{next(c.row for c in wb['指标']['A'] if str(c.value) == '12')}"].value = 55
    wb.save(path)
    board = Board(mine, scratch, lang=lang)
    board.button.click()
    text = html_module.unescape(re.sub(r"<[^>]+>", "\n", board.message.value))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    kept, note = ("保留（审核台已决定）：", "说明：") if lang == "zh" else ("kept (decided at the desk): ", "note: ")
    assert any(ln.startswith(kept) and "G03 12" in ln and "99" in ln for ln in lines), lines
    assert any(line.startswith(note) and "G05 12" in line for line in lines), lines
    assert any("values.csv →" in line for line in lines), lines  # the version kept, and how to bring it back
    for line in lines:
        line = re.sub(
            r"`[^`]*`|\S+\.csv|collect --replace|wfscore \w+|\b[A-Z]+\d+\b", "", line.replace(str(scratch), "")
        )
        assert not re.search(r"[\u4e00-\u9fff]" if lang == "en" else r"[A-Za-z]{2,}", line), line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_desk_lists_what_collect_wrote_in_its_language(demo, tmp_path, lang):
    import html as html_module
    import re

    from wfscore.panels.desk import Desk

    returns, into, _ = demo
    scratch = tmp_path / "2011"
    shutil.copytree(into, scratch)
    Board(returns, scratch, lang=lang).button.click()
    mine = tmp_path / "returns"
    shutil.copytree(returns, mine)
    path = next(mine.glob("自查表_G04_*.xlsx"))
    wb = load_workbook(path)
    wb["指标"][f"D{next(c.row for c in wb['指标']['A'] if str(c.value) == '12')}"].value = 55
    wb.save(path)
    Board(mine, scratch, lang=lang).button.click()  # values.csv replaced: a version kept
    desk = Desk(scratch, lang=lang)
    history = html_module.unescape(re.sub(r"<[^>]+>", "\n", desk.history_html.value))
    lines = [ln for ln in history.splitlines() if ln.strip()]
    assert ("汇总" if lang == "zh" else "collect") in lines
    assert any(
        ("由报送表格汇总" if lang == "zh" else "collected from") in line and "values.csv" not in line for line in lines
    ), lines
    labels = [label for label, _ in desk.version_picker.options]
    assert any(("汇总" if lang == "zh" else "collect") in label for label in labels), labels
    from wfscore.review.collected import login

    for line in lines + labels:
        line = line.replace(str(mine), "").replace(str(returns), "").replace(login(), "")
        line = re.sub(r"\S+\.csv|\b[A-Z]+\d+\b|\d{8}-\d{6}-\d+_\S+", "", line)
        assert not re.search(r"[\u4e00-\u9fff]" if lang == "en" else r"[A-Za-z]{2,}", line), line
