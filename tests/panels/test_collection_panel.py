"""The collection board panel: the board filtered, the problems per file, the write button
(enabled only when every return is clean), and the demonstration folders."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import SAMPLE
from wfscore.panels.collection import Board, demo_folders


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


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
