"""The synthetic sample years (``data/2011`` … of the source tree) that ``wfscore sample``
writes into a folder of the user's, to try every command on.

A wheel carries them inside the package as ``wfscore/samples/<year>/`` (pyproject's
force-include); an editable install reads them from the source tree's ``data/<year>/``.
Only a year marked synthetic (its ``SYNTHETIC`` file) is a sample, and only the year's
own files are copied: the scheme, the tables and the marker, never what the desk or a
run left beside them (``decisions.csv``, ``.history``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from wfscore.inputs.files import TABLE_NAMES
from wfscore.inputs.output import staged_folder

DEFAULT_YEAR = 2011
MARKER = "SYNTHETIC"
FILES = (MARKER, "scheme.yaml", *(f"{name}.csv" for name in TABLE_NAMES))


def _roots() -> list[Path]:
    package = Path(__file__).resolve().parent.parent  # wfscore/
    return [package / "samples", package.parent / "data"]


def sample_years() -> dict[int, Path]:
    """Each sample year and its folder: the package's copies (a wheel) first, else the
    source tree's (an editable install)."""
    for root in _roots():
        found = {
            int(p.name): p
            for p in sorted(root.glob("[0-9][0-9][0-9][0-9]"))
            if re.fullmatch(r"\d{4}", p.name) and (p / MARKER).is_file() and (p / "scheme.yaml").is_file()
        }
        if found:
            return found
    return {}


def sample_files(year: int) -> list[Path]:
    """The files of sample ``year`` that a copy holds (KeyError when there is no such sample)."""
    folder = sample_years()[year]
    return [folder / name for name in FILES if (folder / name).is_file()]


def write_sample(target: Path, year: int = DEFAULT_YEAR) -> list[Path]:
    """Write sample ``year`` into the folder ``target`` as a whole (atomically: all of it or
    nothing); the files written. The caller refuses a ``target`` that already holds
    anything; here a missing sample is a KeyError."""
    files = sample_files(year)
    target = Path(target)
    with staged_folder(target) as tmp:
        for path in files:
            shutil.copyfile(path, tmp / path.name)
    return [target / path.name for path in files]
