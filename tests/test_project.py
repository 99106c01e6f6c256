"""Project files agree with each other: environment.yml with pyproject.toml, README with reality."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement

from helpers import ROOT

# PyPI name → conda-forge name, where they differ.
CONDA_NAMES = {"playwright": "playwright-python"}


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    out = {}
    for text in reqs:
        req = Requirement(text)
        if req.name.lower() == project["name"]:  # an extra that pulls in another (dev: wfscore[portal])
            continue
        out[req.name.lower()] = str(req.specifier)
    return out


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item in {"pip"}:
                continue
            req = Requirement(item.replace(" ", ""))
            if req.name == "python":  # the interpreter (python-docx and the like are packages)
                continue
            out[req.name.lower()] = str(req.specifier)
    return out


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    wanted = {CONDA_NAMES.get(name, name): spec for name, spec in pyproject_requirements().items()}
    assert environment_requirements() == wanted


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert f"python{project['requires-python']}" in env


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))
    used = set(re.findall(r"\bmake ([a-z][a-z-]*)", readme))
    assert used, "the README names its make commands"
    assert used <= targets, used - targets
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme


def test_readme_says_the_data_is_synthetic():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower() and "合成" in readme


def test_every_data_year_is_flagged_synthetic():
    for folder in (ROOT / "data").iterdir():
        if folder.is_dir() and (folder / "scheme.yaml").exists():
            assert (folder / "SYNTHETIC").is_file(), folder


def test_imports_follow_the_stages_and_run_in_no_circle():
    """pyproject.toml's import-linter contracts: stages import down only, nothing imports
    the command line, and the modules of a stage import one another in no circle."""
    import subprocess
    import sys
    from pathlib import Path

    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 kept, 0 broken" in run.stdout, run.stdout


def test_the_library_and_the_command_line_do_not_import_django():
    """The portal is an optional part: the library, the command line (its help too) and a
    scoring run import no Django; only ``wfscore portal`` does, inside its commands."""
    import subprocess
    import sys

    code = (
        "import sys, wfscore, wfscore.cli, wfscore.inputs.collect, wfscore.engine.pipeline, wfscore.panels, "
        "wfscore.publish, wfscore.review, wfscore.analysis\n"
        "from wfscore.cli import parser\nparser('zh'); parser('en')\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'wfscore.portal')))\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_portal_extra_is_pulled_in_by_dev():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert "wfscore[portal]" in extras["dev"]
    assert any(r.startswith("django>=5.2,<6") for r in extras["portal"])


def test_every_stage_says_what_it_holds_and_may_import():
    for stage in ("inputs", "engine", "analysis", "review", "publish", "panels", "portal"):
        doc = (ROOT / "wfscore" / stage / "__init__.py").read_text(encoding="utf-8")
        assert "May import" in doc or "imports nothing else" in doc, stage


def test_the_command_line_names_the_desk_files_as_the_desk_does():
    from wfscore.cli import history
    from wfscore.review import decisions

    assert (history.LOG, history.HISTORY) == (decisions.LOG, decisions.HISTORY)


def lock_pins() -> dict[str, list[str]]:
    """requirements.lock: each package and the versions it pins (one per marker line)."""
    from packaging.utils import canonicalize_name

    pins: dict[str, list[str]] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        text = line.split("  #", 1)[0].strip()
        if not text or text.startswith("#"):
            continue
        req = Requirement(text)
        (spec,) = req.specifier
        assert spec.operator == "==", line
        pins.setdefault(canonicalize_name(req.name), []).append(spec.version)
    return pins


def test_the_lock_pins_every_dependency_within_the_pyproject_bounds():
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    pins = lock_pins()
    for name, spec in pyproject_requirements().items():
        name = canonicalize_name(name)
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock (run make lock)"
        for version in pins[name]:
            assert version in SpecifierSet(spec), f"requirements.lock pins {name}=={version}, outside {spec}"
    assert "distributed" in pins  # dask[distributed]'s extra is locked too
    assert "wfscore" not in pins


def test_make_venv_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = [line for line in makefile.splitlines() if "uv pip install" in line and "'.[dev]'" in line]
    assert install and all("-c requirements.lock" in line for line in install)
    assert re.search(r"^\$\(VENV\)/\.installed: pyproject\.toml requirements\.lock$", makefile, flags=re.M)
    assert "make lock" in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()[1]
