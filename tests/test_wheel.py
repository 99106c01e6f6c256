"""The wheel is the whole product: built from this tree, installed alone in a fresh
virtual environment outside the repository (every dependency from its own metadata), and
the year's whole cycle run from another folder: sample → validate → score → report →
cards → forms → (filled) → collect.

Slow (a build, an install of every dependency, a report and 129 cards): marked ``slow``;
``make test`` runs it. ``STEPS`` is the cycle, one step a line: a further command is one
more :class:`Step` (or a step with ``check``, for a server that must answer a page).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from helpers import ROOT, need

pytestmark = pytest.mark.slow

YEAR = "年度2011"  # the sample year's folder, in the work folder (a Chinese name, as an office's)
FORMS = "下发"  # the forms written, then filled as the departments, experts and office would
INTO = "汇总2011"  # the year the filled forms are collected into


@dataclass
class Step:
    """One command of the cycle, run in the work folder: ``argv[0]`` is ``wfscore`` (the
    wheel's console script) or ``python`` (the wheel's interpreter). It must exit 0 and
    leave each of ``writes`` (paths in the work folder); ``check``, when given, is called
    with the work folder and the finished process and asserts what else it should.

    A server (``page`` set, such as ``"http://127.0.0.1:8866/"``) is started instead, must
    answer that page with status 200 (and ``page_holds`` in it) within ``timeout``
    seconds, and is then stopped."""

    name: str
    argv: list[str]
    writes: tuple[str, ...] = ()
    check: Callable[[Path, subprocess.CompletedProcess], None] | None = None
    timeout: int = 900
    env: dict[str, str] = field(default_factory=dict)
    page: str | None = None
    page_holds: str = ""


# a year folder of the scheme and the roster only, for `collect` to fill, with the office's
# forms key (which `forms` made in the year's folder: the returns are checked against it)
PREPARE_INTO = [
    "python",
    "-c",
    "import shutil, sys; from pathlib import Path; y, into = map(Path, sys.argv[1:]); "
    "into.mkdir(); [shutil.copy(y / n, into / n) for n in "
    "('scheme.yaml', 'departments.csv', 'incidents.csv', 'SYNTHETIC', '.wfscore-forms-key')]",
    YEAR,
    INTO,
]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = _free_port()
FROM_LOG = "the address the server prints"  # a Step's page: read from what it printed, token and all
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]+")


def _all_scored(work: Path, proc: subprocess.CompletedProcess) -> None:
    assert f"scored 129 departments of {YEAR}" in proc.stderr, proc.stderr


def _pages_help(work: Path, proc: subprocess.CompletedProcess) -> None:
    """`wfscore app --help` from the wheel: the command is there, with its guards' options."""
    for text in ("127.0.0.1", "token", "--allow-host", "--max-pages", "--lang"):
        assert text in proc.stdout, proc.stdout


STEPS = [
    Step(
        "sample",
        ["wfscore", "sample", YEAR],
        writes=(f"{YEAR}/scheme.yaml", f"{YEAR}/SYNTHETIC", f"{YEAR}/values.csv", f"{YEAR}/ratings.csv"),
    ),
    Step("validate", ["wfscore", "validate", YEAR]),
    Step(
        "score",
        ["wfscore", "score", YEAR, "--out", "out/results.csv", "--detail", "out/detail.csv"],
        writes=("out/results.csv", "out/detail.csv"),
        check=_all_scored,
    ),
    Step(
        "report",
        ["wfscore", "report", YEAR, "--out", "out/report"],
        writes=(
            "out/report/report.html",
            "out/report/report.pdf",
            "out/report/report.ipynb",
            "out/report/results.xlsx",
        ),
    ),
    Step(
        "cards",
        ["wfscore", "cards", YEAR, "--out", "out/cards"],
        writes=("out/cards/index.html", "out/cards/cards.zip"),
    ),
    Step("forms", ["wfscore", "forms", YEAR, "--out", FORMS]),
    Step(
        "fill",
        [
            "python",
            "-c",
            "import sys; from wfscore.inputs.forms import fill_from_year; fill_from_year(sys.argv[1], sys.argv[2])",
            FORMS,
            YEAR,
        ],
    ),
    Step("into", PREPARE_INTO, writes=(f"{INTO}/scheme.yaml",)),
    Step(
        "collect",
        ["wfscore", "collect", FORMS, "--into", INTO],
        writes=(f"{INTO}/values.csv", f"{INTO}/ratings.csv", f"{INTO}/website_eval.csv"),
    ),
    Step("validate collected", ["wfscore", "validate", INTO]),
    # the pages' command answers from the wheel (its page template travels inside the package)
    Step("app --help", ["wfscore", "app", "--help"], check=_pages_help),
    # the what-if page served by the wheel's own command on 127.0.0.1, opened at the address
    # (with its token) the command prints
    Step(
        "app",
        ["wfscore", "app", YEAR, "--port", str(_free_port()), "--lang", "en"],
        page=FROM_LOG,
        page_holds="Opening the page, please wait",
        timeout=300,
    ),
    # a page served on 127.0.0.1 and answered (the report, by Python's own server)
    Step(
        "serve the report",
        ["python", "-m", "http.server", "--bind", "127.0.0.1", "--directory", "out/report", str(PORT)],
        page=f"http://127.0.0.1:{PORT}/report.html",
        page_holds="SYNTHETIC",
        timeout=120,
    ),
]


def _uv() -> str:
    beside = Path(sys.executable).parent / ("uv.exe" if os.name == "nt" else "uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    need(found is not None, "uv (make venv installs it beside python)")
    return found


def _bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def _env(venv: Path) -> dict[str, str]:
    """The environment of a user who installed the wheel: its venv first on PATH, nothing
    of this repository or of the tests' virtual environment."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "WFSCORE_YEAR_DIR", "WFSCORE_LANG"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = os.pathsep.join([str(_bin(venv)), env.get("PATH", "")])
    env["WFSCORE_LANG"] = "en"
    return env


def _serve(step: Step, argv: list[str], work: Path, env: dict[str, str]) -> None:
    """Start the server of ``step``, wait until it answers its page, then stop it."""
    import time
    import urllib.error
    import urllib.request

    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1: never a proxy
    log = work / f".{step.name}.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(argv, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline, body, status = time.monotonic() + step.timeout, "", None
            page = None if step.page == FROM_LOG else step.page
            while time.monotonic() < deadline and server.poll() is None:
                if page is None:
                    found = ADDRESS.search(log.read_text(encoding="utf-8", errors="replace"))
                    if found is None:
                        time.sleep(0.5)
                        continue
                    page = found.group(0)
                try:
                    with direct.open(page, timeout=120) as answer:
                        status, body = answer.status, answer.read().decode("utf-8", "replace")
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.5)
        finally:
            children = psutil.Process(server.pid).children(recursive=True)  # the page's kernels
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            for child in children:
                try:
                    child.kill()
                except psutil.NoSuchProcess:
                    pass
    said = f"step {step.name} ({' '.join(step.argv)}):\n{log.read_text(encoding='utf-8', errors='replace')}"
    assert status == 200, said
    assert step.page_holds in body, said


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this tree and installed alone in a fresh venv; the venv."""
    need(Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None, "chromium (for the PDFs)")
    uv = _uv()
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    build = subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT)], capture_output=True, text=True, timeout=900
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list(dist.glob("wfscore-*.whl"))
    assert len(wheels) == 1, wheels
    names = zipfile.ZipFile(wheels[0]).namelist()
    for part in (
        "wfscore/notebooks/annual_report.ipynb",
        "wfscore/notebooks/what_if.ipynb",
        "wfscore/samples/2011/scheme.yaml",
        "wfscore/samples/2011/SYNTHETIC",
        "wfscore/samples/2013/ratings.csv",
        "wfscore/notebooks/adjustments.ipynb",
        "wfscore/panels/jupyter/voila/templates/wfscore/index.html.j2",
        "wfscore/panels/jupyter/voila/templates/wfscore/conf.json",
        "wfscore/publish/templates/ranking.js",  # the ranking's script, read by publish/tables.py
        "wfscore/publish/templates/card.html.j2",
        "wfscore/locale/zh_Hans/LC_MESSAGES/wfscore.mo",  # compiled by hatch_build.py
    ):
        assert part in names, part
    assert not any(n.startswith(("tests/", "data/", "wfscore/samples/2011/decisions")) for n in names)
    venv = root / "venv"
    made = subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)], capture_output=True, text=True, timeout=300
    )
    assert made.returncode == 0, made.stderr
    python = _bin(venv) / ("python.exe" if os.name == "nt" else "python")
    install = subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(python), str(wheels[0])],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=root,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    check = subprocess.run([uv, "pip", "check", "--python", str(python)], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    return venv


def test_the_whole_cycle_from_the_wheel_outside_the_repository(installed, tmp_path):
    work = tmp_path / "办公室"
    work.mkdir()
    env = _env(installed)
    where = subprocess.run(
        [str(_bin(installed) / "python"), "-c", "import wfscore; print(wfscore.__file__)"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=120,
    )
    assert Path(where.stdout.strip()).resolve().is_relative_to(installed.resolve()), where.stdout + where.stderr
    for step in STEPS:
        argv = [str(_bin(installed) / step.argv[0]), *step.argv[1:]]
        if step.page is not None:
            _serve(step, argv, work, {**env, **step.env})
            continue
        proc = subprocess.run(
            argv, capture_output=True, text=True, cwd=work, env={**env, **step.env}, timeout=step.timeout
        )
        said = f"step {step.name} ({' '.join(step.argv)}):\n{proc.stdout}\n{proc.stderr}"
        assert proc.returncode == 0, said
        assert "Traceback" not in proc.stderr, said
        for path in step.writes:
            assert (work / path).is_file() and (work / path).stat().st_size > 0, f"{said}\nmissing {path}"
        if step.check is not None:
            step.check(work, proc)
    forms = list((work / FORMS).rglob("*.xlsx"))
    assert len(forms) > 129  # a self-check form per department, the experts' sheets, the office's
