"""Writing results: CSV formatting, and atomic writes that never leave half a file.

Everything is written into a temporary folder beside its destination first, then
moved into place with ``os.replace`` (atomic on one filesystem). A failure while
writing leaves the destinations as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

TMP_PREFIX = ".wfscore-tmp-"


@contextmanager
def staged(*targets: Path) -> Iterator[list[Path]]:
    """Yield temporary paths for ``targets``; move them all into place on success.

    Parent folders are created only when the block succeeds... and only those that
    are needed; on an exception the temporaries are removed and nothing is moved.
    """
    targets = tuple(Path(t) for t in targets)
    tmp_dirs: dict[Path, Path] = {}
    created: list[Path] = []
    try:
        paths = []
        for target in targets:
            parent = target.parent
            if not parent.exists():
                parent.mkdir(parents=True)
                created.append(parent)
            if parent not in tmp_dirs:
                tmp_dirs[parent] = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=parent))
            paths.append(tmp_dirs[parent] / target.name)
        yield paths
        for tmp, target in zip(paths, targets):
            os.replace(tmp, target)
    except BaseException:
        for tmp_dir in tmp_dirs.values():
            shutil.rmtree(tmp_dir, ignore_errors=True)
        tmp_dirs.clear()
        for parent in reversed(created):
            try:
                parent.rmdir()
            except OSError:
                pass
        raise
    finally:
        for tmp_dir in tmp_dirs.values():
            shutil.rmtree(tmp_dir, ignore_errors=True)


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it replaces ``target`` as a whole.

    The previous ``target`` is kept until the new one is in place, then removed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent))
    try:
        yield tmp
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent)) / "old"
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old.parent, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as true/false, floats rounded to 10 decimals (no 0.30000000000000004)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(series):
            out[column] = series.round(10)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV without a BOM, one header row, LF line ends."""
    csv_ready(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
