"""Helpers the tests share (the example years, the console script, hostile names, reading
HTML): imported as ``from helpers import ...``; the fixtures are in conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


# -- hostile text from other offices' files ------------------------------------------------

HOSTILE_NAMES = {
    "D1": "<script>alert(1)</script>",
    "D2": '=HYPERLINK("http://example.invalid","点我")',
    "D3": "+1+2",
    "D4": "-3 部",
    "D5": "@SUM(A1:A9)",
    "D6": "$\\alpha$ 部 & <b>粗</b>",
    "D7": "七号部 \"引号\" 'single'",
}


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
