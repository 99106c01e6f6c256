"""The what-if page and the desk served as the office serves them, for the tests that
drive them: ``wfscore app DIR`` / ``wfscore desk DIR`` (``python -m wfscore``, this
interpreter) on a free port of 127.0.0.1, the address with its token read from what the
command prints, and the server with its kernels stopped after (tests/processes.py).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from helpers import cli_env
from processes import stop_tree

START_TIMEOUT = 120  # s for the command to print its address (the port is bound by then)
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(
    page: str,
    year_dir: Path,
    log: Path,
    *options: str,
    lang: str | None = "zh",
    port: int | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
):
    """``wfscore PAGE YEAR_DIR --port P OPTIONS`` until the block ends; yields the process
    and the address it printed (``http://127.0.0.1:P/?token=…``). ``lang``: the messages'
    language (WFSCORE_LANG), not the page's (``--lang``, among ``options``)."""
    port = free_port() if port is None else port
    command = [sys.executable, "-m", "wfscore", page, str(year_dir), "--port", str(port), *options]
    with open(log, "wb") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd or log.parent, env={**cli_env(lang), **(env or {})}
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = log.read_text(encoding="utf-8", errors="replace")
            found = ADDRESS.search(text)
            if found:
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"wfscore {page} did not start (exit {server.poll()}):\n{text}")
            time.sleep(0.3)
        yield server, found.group(0)
    finally:
        stop_tree(server)


def kernels(server: subprocess.Popen) -> list[psutil.Process]:
    """The server's kernels: its child processes running ipykernel."""
    found = []
    for child in psutil.Process(server.pid).children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def wait_for_kernels(server: subprocess.Popen, count: int, timeout: float = 180) -> list[psutil.Process]:
    """The server's kernels once there are ``count`` of them (or when ``timeout`` s have passed)."""
    deadline = time.monotonic() + timeout
    while True:
        found = kernels(server)
        if len(found) == count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)
