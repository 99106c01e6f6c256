"""Long commands say what they are doing: a bar on a terminal, plain lines in a log, in the
messages' language (the report's own are in test_report.py)."""

from __future__ import annotations

import io
import re

from helpers import TINY, need, run_cli, run_on_a_terminal
from wfscore.inputs.wording import messages_in
from wfscore.publish.pdf import find_browser
from wfscore.publish.progress import EVERY, Progress


def need_browser() -> None:
    need(find_browser() is not None, "Chrome, Edge or Chromium (prints the cards' PDFs)")


def test_cards_draw_a_bar_on_a_terminal(tmp_path):
    need_browser()
    status, screen = run_on_a_terminal("cards", TINY, "--out", tmp_path / "cards", timeout=180)
    assert status == 0, screen[-500:]
    screen = screen.replace("\r", "\n")
    # 7 cards made, 7 printed, and the PDF of all of them
    assert re.search(r"cards: 100%\|.*\| 15/15 ", screen), screen[-500:]
    assert not re.search(r"^making 7 feedback cards", screen, re.M)  # the steps ride on the bar


def test_cards_say_each_step_on_a_line_in_a_log(tmp_path):
    need_browser()
    run = run_cli("cards", TINY, "--out", tmp_path / "cards", lang="zh")
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert lines.index("正在生成 7 张反馈卡") < lines.index("正在打印 7 张反馈卡的 PDF")
    assert not any("%|" in line for line in lines)
    run = run_cli("cards", TINY, "--out", tmp_path / "cards", "--no-pdf", lang="en")
    assert run.returncode == 0, run.stderr
    assert "making 7 feedback cards" in run.stderr.splitlines() and "printing" not in run.stderr


def test_a_line_every_so_many_cards_printed_and_silent_by_default():
    out = io.StringIO()
    with messages_in("en"):
        steps = Progress(2 * 60, "cards", lines=True, stream=out, items=60)
    for _ in range(60):
        steps.printed()
    assert out.getvalue().splitlines() == [f"printed {n} of 60 feedback cards" for n in range(EVERY, 61, EVERY)]
    quiet = io.StringIO()
    steps = Progress(10, "cards", stream=quiet, items=5)
    steps.say("cards", n=5)
    steps.printed()
    steps.close()
    assert quiet.getvalue() == ""
