"""The documentation site (docs/, built by ``make docs``; `.ci/run` builds it with warnings as
errors) and the short README that points into it: the links go somewhere, the commands the
pages show exist, the user guide is in Chinese and walks the year's six steps, and no section
of the long README that came before is lost."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from helpers import ROOT

DOCS = ROOT / "docs"
GUIDE = DOCS / "guide"
# the user guide's pages, in the order of the office's year
STEPS = {
    "forms.md": "发放自查表",
    "collect.md": "汇总报送",
    "desk.md": "调整审核",
    "disputes.md": "复核",
    "cards.md": "反馈卡",
    "report.md": "年度报告与通报",
}


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts and "_generated" not in p.parts)


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash|bat)?\n(.*?)^```", text, flags=re.M | re.S)


def test_the_readme_is_short_and_points_into_the_site():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 200
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    assert any(link.startswith("docs/guide/") for link in local)
    for link in local:
        assert (ROOT / link).exists(), link


def test_every_section_of_the_long_readme_has_a_page_heading():
    """The sections the README had before the site took them over, each a heading of a page."""
    headings = {
        re.sub(r"^#+ ", "", line).strip()
        for page in pages()
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }
    moved = [
        "On a fresh machine",
        "The command line",
        "The library",
        "The data folder",
        "Chinese column headers and kinds by name（中文列名与类别名称）",
        "scheme.yaml",
        "Hostile and broken inputs",
        "Where the notice is silent: the choices made",
        "Development",
        "What-if panel (假设分析)",
        "The what-if page on a laptop screen, offline, and faster",
        "Robustness of the ranking (`wfscore sensitivity`)",
        "The annual report",
        "Adjustments desk (调整审核台)",
        "Reviews and disputes (复核)",
        "Years side by side（年度比较）",
        "Writing files safely, and hostile text (写入安全与不可信文本)",
        "Statistical audit of the scheme（指标体系统计检验）",
        "Collecting a year's inputs（报送与汇总）",
        "Where each figure comes from: `source`",
        "Monitoring（日常监测）",
        "The forms",
        "Collecting",
        "Online: the portal（信息化情况采集系统）",
        "Speed: start-up and loading",
        "Feedback cards and print（考核结果反馈与打印）",
    ]
    assert [h for h in moved if h not in headings] == []


def test_the_user_guide_walks_the_year_in_chinese():
    index = (GUIDE / "index.md").read_text(encoding="utf-8")
    for page, step in STEPS.items():
        text = (GUIDE / page).read_text(encoding="utf-8")
        assert step in text.splitlines()[0], page  # the page's title names its step
        assert f"({page})" in index, page  # and the guide's table of steps links it
        prose = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)
        han = len(re.findall(r"[\u4e00-\u9fff]", prose))
        latin = len(re.findall(r"[A-Za-z]", prose))
        assert han > 2 * latin, (page, han, latin)


def guide_commands() -> list[str]:
    lines = []
    for page in [*sorted(GUIDE.glob("*.md")), ROOT / "README.md"]:
        for block in code_blocks(page.read_text(encoding="utf-8")):
            lines += [line.strip() for line in block.splitlines() if line.strip().startswith("wfscore ")]
    return lines


@pytest.mark.parametrize("line", guide_commands())
def test_every_command_the_guide_shows_parses(line):
    """Each ``wfscore …`` line of the guide and the README is a command with options the command
    line has (parsed, not run): a renamed option fails here, not in an office's hands."""
    from wfscore.cli import parser

    for command in re.split(r"\s*&&\s*", line):
        argv = shlex.split(command.replace("\\", "/"), comments=True)[1:]
        try:
            parser("zh").parse_args(argv)
        except SystemExit as stop:  # --help stops with 0, a usage error with 2
            assert stop.code == 0, command


def test_every_make_target_the_pages_name_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))
    used = {name for page in pages() for name in re.findall(r"\bmake ([a-z][a-z-]*)", page.read_text("utf-8"))}
    assert {"docs", "report", "test"} <= used
    assert used <= targets, used - targets


def test_ci_builds_the_site_with_warnings_as_errors():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^docs: .*\n\t(.*)", makefile, flags=re.M)
    assert rule and "sphinx" in rule.group(1) and " -W " in rule.group(1), "make docs: sphinx -W"
    assert re.search(r"^\.PHONY: docs$", makefile, flags=re.M)  # docs/ is a folder: the target must run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "make docs" in ci


def test_the_site_documents_the_command_line_from_its_parser():
    for page, ref in (("cli.md", "cli_parsers.en"), ("cli-zh.md", "cli_parsers.zh")):
        assert f":ref: {ref}" in (DOCS / "reference" / page).read_text(encoding="utf-8")
    import sys

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import cli_parsers
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    commands = {a for a in cli_parsers.zh._actions if a.dest == "command"}
    assert commands and "forms" in next(iter(commands)).choices
