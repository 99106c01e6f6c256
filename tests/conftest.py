"""Shared fixtures: the example years, a scratch copy to break, the real console script."""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny"
SAMPLE = ROOT / "data" / "2011"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(available: bool, what: str) -> None:
    """Skip when ``what`` is missing on a developer's machine; fail in CI (CI=true)."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every test")
    pytest.skip(f"{what} is missing")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A scratch copy of the hand-checked tiny year, safe to modify."""
    dest = tmp_path / "tiny"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A scratch copy of the synthetic 2011 sample year."""
    dest = tmp_path / "2011"
    shutil.copytree(SAMPLE, dest)
    return dest


def tiny_as_workbook(tiny: Path, book: Path, cells: dict[tuple[str, int, str], str] | None = None) -> Path:
    """Write the tiny year as one workbook ``book`` (a sheet per CSV, beside its scheme.yaml).

    ``cells`` maps (sheet, row index, column) to the text put there instead, to break it.
    """
    import pandas as pd

    book.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(book) as writer:
        for csv in sorted(tiny.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            for (sheet, row, column), text in (cells or {}).items():
                if sheet == csv.stem:
                    frame.loc[row, column] = text
            frame.to_excel(writer, sheet_name=csv.stem, index=False)
    (book.parent / "scheme.yaml").write_bytes((tiny / "scheme.yaml").read_bytes())
    return book


def console_script() -> str:
    """The installed ``wfscore`` entry point beside this interpreter."""
    script = Path(sys.executable).parent / "wfscore"
    need(script.exists(), f"the wfscore console script ({script})")
    return str(script)


def cli_env(lang: str | None = "en", **variables: str) -> dict[str, str]:
    """The environment of a command run by a test: its messages in ``lang`` (WFSCORE_LANG;
    English by default, the language the tests pin their texts in; None: the variable
    unset), with ``variables`` set on top."""
    env = {k: v for k, v in os.environ.items() if k != "WFSCORE_LANG"}
    if lang is not None:
        env["WFSCORE_LANG"] = lang
    env.update(variables)
    return env


def run_cli(
    *args: str, cwd: Path | None = None, lang: str | None = "en", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The console script with ``args``; its messages in English unless ``lang`` (or ``env``,
    the whole environment) says otherwise."""
    return subprocess.run(
        [console_script(), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env=cli_env(lang) if env is None else env,
    )


# -- the annual report (issue 3) ----------------------------------------------------------

HOSTILE_NAMES = {
    "D1": "<script>alert(1)</script>",
    "D2": '=HYPERLINK("http://example.invalid","点我")',
    "D3": "+1+2",
    "D4": "-3 部",
    "D5": "@SUM(A1:A9)",
    "D6": "$\\alpha$ 部 & <b>粗</b>",
    "D7": "七号部 \"引号\" 'single'",
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The tiny year with hostile text from other offices' files: department names that
    are HTML, spreadsheet formulas and TeX, an exemption reason and an incident
    description that are HTML, and a scheme title with markup. Flagged SYNTHETIC."""
    import csv

    dest = tmp_path / "hostile"
    shutil.copytree(TINY, dest)
    with open(dest / "departments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["name"] = HOSTILE_NAMES[row["dept_id"]]
    with open(dest / "departments.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["dept_id", "name", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    for name, old, new in [
        ("exemptions.csv", "无独立网站栏目", '"<img src=x onerror=alert(2)>"'),
        ("incidents.csv", "数据泄露", "<b>=1+1</b>"),
        ("scheme.yaml", "title: 手算示例", 'title: "<i>手算</i>示例 <script>alert(3)</script>"'),
    ]:
        path = dest / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    (dest / "SYNTHETIC").write_text("synthetic test data\n", encoding="utf-8")
    return dest


class HtmlParts(HTMLParser):
    """Every element and attribute a browser would create from a piece of HTML, and its text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def run_on_a_terminal(*args: str, cwd: Path | None = None, timeout: int = 300) -> tuple[int, str]:
    """The console script on a pseudo-terminal (so that it draws its progress bar):
    its exit status and everything it wrote (the messages in English, as run_cli)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [console_script(), *map(str, args)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
        cwd=cwd,
        env=cli_env(),
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return proc.wait(timeout=timeout), seen.decode("utf-8", "replace")


# -- test tiers ---------------------------------------------------------------------------
# `make test` runs every test; `make test-fast` leaves out the slow tiers below, for the
# edit-test loop. A test joins a tier by what its code (or a fixture it uses) reaches for,
# so that a new browser or LibreOffice test cannot be left in the fast run by forgetting a
# mark; a module or test may also be marked by hand (the markers are in pyproject.toml).
TIER_WORDS = {
    "browser": ("playwright", "chromium", "print_pdf"),
    "libreoffice": ("soffice",),
    "notebooks": ("papermill", "nbclient", "voila", "jupyterlab", "execute_notebook"),
    "cli": ("run_cli(", "console_script(", "run_on_a_terminal(", "sys.executable"),
}
# a property test drawing more examples than this is a long hypothesis run
LONG_HYPOTHESIS = 100


def _source(function) -> str:
    import inspect

    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _tiers(item: pytest.Item, sources: dict) -> set[str]:
    if not isinstance(item, pytest.Function):  # nbval's cells: a notebook of notebooks/
        return {"notebooks"}
    funcs = [item.function]
    for defs in item._fixtureinfo.name2fixturedefs.values():
        funcs += [d.func for d in defs if d.baseid]  # the project's fixtures, not pytest's own
    text = "\n".join(sources.setdefault(f, _source(f)) for f in funcs)
    tiers = {tier for tier, words in TIER_WORDS.items() if any(w in text for w in words)}
    settings = getattr(item.function, "_hypothesis_internal_use_settings", None)
    if settings is not None and settings.max_examples > LONG_HYPOTHESIS:
        tiers.add("hypothesis_long")
    return tiers


def pytest_collection_modifyitems(config, items):
    sources: dict = {}
    for item in items:
        for tier in _tiers(item, sources):
            item.add_marker(tier)
