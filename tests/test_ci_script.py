"""`.ci/run` on a minimal Debian: it installs what is missing before it needs it.

Run with a PATH that holds only stand-ins (apt-get records what it is asked for; no
make, no python3, no chromium, poppler or LibreOffice), the script asks Debian for all of
them (chromium where /usr/bin/chromium is missing), then stops where `make` would run the
tests (the stand-in make records it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from helpers import ROOT


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def _run(tmp_path: Path, present: dict[str, str]) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    for tool in ("dirname", "id"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    _stub(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}')
    for name, body in present.items():
        _stub(bin_dir, name, body)
    done = subprocess.run(
        [shutil.which("bash"), str(ROOT / ".ci" / "run")],
        capture_output=True,
        text=True,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        timeout=60,
    )
    lines = log.read_text().splitlines() if log.exists() else []
    return lines, done


def test_a_minimal_debian_gets_make_python_and_the_rest(tmp_path):
    lines, done = _run(tmp_path, {})
    assert done.returncode != 0  # no make to run the tests with: the stand-in apt-get installed nothing
    assert lines[0] == "apt-get update -qq"
    installed = lines[1].split()
    assert installed[:5] == ["apt-get", "install", "-y", "-qq", "--no-install-recommends"]
    chromium = [] if Path("/usr/bin/chromium").exists() else ["chromium"]  # looked for by its path
    postgresql = [] if list(Path("/").glob("usr/lib/postgresql/*/bin/initdb")) else ["postgresql"]
    assert sorted(installed[5:]) == sorted(
        ["make", "python3", "python3-venv", "poppler-utils", "libreoffice-calc"] + chromium + postgresql
    )


def test_python_without_venv_gets_python3_venv_and_nothing_is_asked_for_what_is_there(tmp_path):
    log = tmp_path / "make-ran"
    present = {
        "make": f'echo "make $*" > {log}',
        "python3": "exit 1",  # a python3 that cannot import venv
        "pdftotext": "",
        "pdffonts": "",
        "soffice": "",
    }
    lines, done = _run(tmp_path, present)
    installed = lines[1].split()[5:]
    want = ["python3-venv"] + ([] if Path("/usr/bin/chromium").exists() else ["chromium"])
    want += [] if list(Path("/").glob("usr/lib/postgresql/*/bin/initdb")) else ["postgresql"]
    assert sorted(installed) == sorted(want)
    assert done.returncode == 0 and log.read_text() == "make test\n"  # then the README's test command
