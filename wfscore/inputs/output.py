"""Writing results: CSV formatting, and atomic writes that never leave half a file.

Everything is written into a temporary folder beside its destination first, then
moved into place with ``os.replace`` (atomic on one filesystem). A failure while
writing leaves the destinations as they were.

How a command that writes files uses this module (every command of ``wfscore.cli``
does; a new one should too)::

    from wfscore.inputs.output import OutputError, check_targets, staged, write_csv

    try:
        out, = check_targets({"--out": args.out}, reads=[args.dir])   # before any work
        ...
        with staged(out) as (tmp,):
            write_csv(frame, tmp)
    except OutputError as exc:          # a bad target (status 2) or a failed write (status 1)
        print(f"error: {exc}", file=sys.stderr)
        return exc.status

- :func:`check_targets` refuses a target that is empty, a folder, the same file as
  another target, or any file the command reads (by resolved path, and by
  :func:`os.path.samefile`, so symbolic and hard links count);
- :func:`staged` (files) and :func:`staged_folder` (a folder replaced as a whole)
  write atomically and turn an ``OSError`` (a read-only folder, a full disk) into
  an :class:`OutputError` naming the file; they also clear the temporary folders
  that killed runs left beside the destination (:func:`clean_stale`);
- :func:`write_csv` writes a frame as CSV for people: UTF-8 with a BOM by default
  (Excel on a Chinese-locale PC), floats that read back, and text cells that a
  spreadsheet would take for a formula made inert (:func:`inert_cell`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from wfscore.inputs.wording import messages_lang

TMP_PREFIX = ".wfscore-tmp-"
LOCK_NAME = ".wfscore-lock"  # inside each temporary folder, locked (fcntl) while its run is alive
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")  # what write_csv (and ``score --encoding``) offer


class OutputError(Exception):
    """A file cannot be written: ``status`` 2 when the target itself is wrong (an
    option to correct), 1 when writing failed (a read-only folder, a full disk)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


# -- where a command may write ----------------------------------------------------------


def _read_files(reads: Iterable[str | os.PathLike]) -> list[Path]:
    files: list[Path] = []
    for item in reads:
        path = Path(item)
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file())
        elif path.exists():
            files.append(path)
    return files


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_targets(targets: Mapping[str, str | os.PathLike | None],
                  reads: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """The paths of ``targets`` (option name → file name; None is skipped), checked.

    Raises :class:`OutputError` (status 2) naming the option and the file when a
    target is empty, names a folder, names the same file as another target, or is
    (by path, symbolic link or hard link) a file of ``reads`` — files, or folders
    whose every file counts. Every problem is named in one message.
    """
    problems: list[str] = []
    paths: list[tuple[str, Path]] = []
    for option, value in targets.items():
        if value is None:
            continue
        text = os.fspath(value)
        if not text.strip():
            problems.append(f"{option} {text!r} is not a file name (expected a file such as results.csv)")
            continue
        if "\x00" in text:
            problems.append(f"{option} {text!r} holds a NUL character (expected a file name)")
            continue
        path = Path(text)
        if path.is_dir() or text.endswith(("/", os.sep)):
            problems.append(f"{option} {text!r} is a folder (expected a file name such as {path / 'results.csv'})")
            continue
        for other, earlier in paths:
            if _same(path, earlier):
                problems.append(f"{option} and {other} name the same file {text!r} (expected two files)")
                break
        else:
            paths.append((option, path))
    files = _read_files(reads) if paths else []
    for option, path in paths:
        hit = next((f for f in files if _same(path, f)), None)
        if hit is not None:
            problems.append(f"{option} {str(path)!r} names the same file as {str(hit)!r}, which this command reads "
                            "(inputs are never written over; expected a file outside the data folder, "
                            "such as reports/results.csv)")
    if problems:
        raise OutputError("; ".join(problems), status=2)
    return [p for _, p in paths]


def _write_error(exc: OSError, target: Path | str) -> OutputError:
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        why += " (free some space and run again)"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why += " (expected a folder this user may write to)"
    return OutputError(f"could not write {target}: {why}; nothing was written", status=1)


# -- temporary folders -----------------------------------------------------------------


def _make_tmp(parent: Path) -> tuple[Path, int]:
    """A new temporary folder in ``parent``, and the descriptor that holds its lock."""
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=parent))
    fd = None
    try:
        fd = os.open(tmp / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, f"{os.getpid()}\n".encode())  # for a person who wonders whose it is
    except BaseException:
        _drop_tmp(tmp, fd)
        raise
    return tmp, fd


def _drop_tmp(tmp: Path, fd: int | None) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
    if fd is not None:
        os.close(fd)


STALE_PATTERN = re.compile(re.escape(TMP_PREFIX) + r"[A-Za-z0-9_]+$")


def clean_stale(parent: Path, stream=None) -> list[Path]:
    """Remove the temporary folders that killed runs left in ``parent``; say so on ``stream``
    (default stderr). Only folders named as ours (:data:`TMP_PREFIX` and tempfile's
    letters) whose lock (:data:`LOCK_NAME`) no live process holds are removed; a folder
    without a lock file is left alone unless it is over a day old."""
    import time

    removed: list[Path] = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not STALE_PATTERN.match(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        lock = entry / LOCK_NAME
        try:
            fd = os.open(lock, os.O_RDWR | os.O_NOFOLLOW)
        except FileNotFoundError:
            try:
                old = time.time() - entry.stat().st_mtime > 86_400
            except OSError:
                continue
            if not old:
                continue  # perhaps a run that is creating it right now
            fd = None
        except OSError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live run holds it
            shutil.rmtree(entry, ignore_errors=True)
            if not entry.exists():
                removed.append(entry)
                print(f"注意：已删除 {entry}，这是此前一次未完成的运行留下的临时文件夹" if messages_lang() == "zh" else
                      f"note: removed {entry}, the temporary folder of an earlier run that did not finish",
                      file=stream or sys.stderr)
        finally:
            if fd is not None:
                os.close(fd)
    return removed


@contextmanager
def staged(*targets: Path, reads: Iterable[str | os.PathLike] | None = None) -> Iterator[list[Path]]:
    """Yield temporary paths for ``targets``; move them all into place on success.

    Parent folders are created only when the block succeeds... and only those that
    are needed; on an exception the temporaries are removed and nothing is moved.
    With ``reads`` the targets are first checked by :func:`check_targets`. An
    ``OSError`` while writing becomes an :class:`OutputError` naming the file.
    """
    if reads is not None:
        check_targets({str(t): t for t in targets}, reads)
    targets = tuple(Path(t) for t in targets)
    tmp_dirs: dict[Path, tuple[Path, int]] = {}
    created: list[Path] = []
    current: Path | str = targets[0] if targets else ""
    try:
        paths = []
        for target in targets:
            current = target
            parent = target.parent
            if not parent.exists():
                parent.mkdir(parents=True)
                created.append(parent)
            if parent not in tmp_dirs:
                clean_stale(parent)
                tmp_dirs[parent] = _make_tmp(parent)
            paths.append(tmp_dirs[parent][0] / target.name)
        try:
            yield paths
        except OSError as exc:
            name = Path(exc.filename).name if exc.filename else None
            hit = next((t for t, p in zip(targets, paths) if name and p.name == name), None)
            raise _write_error(exc, hit or (targets[0] if len(targets) == 1 else
                                            ", ".join(map(str, targets)))) from exc
        for tmp, target in zip(paths, targets):
            current = target
            if target.is_dir():
                raise OutputError(f"{target} is a folder (expected a file name); nothing was written", status=2)
            os.replace(tmp, target)
    except OSError as exc:
        _undo(tmp_dirs, created)
        raise _write_error(exc, current) from exc
    except BaseException:
        _undo(tmp_dirs, created)
        raise
    finally:
        for tmp_dir, fd in tmp_dirs.values():
            _drop_tmp(tmp_dir, fd)


def _undo(tmp_dirs: dict, created: list[Path]) -> None:
    for tmp_dir, fd in tmp_dirs.values():
        _drop_tmp(tmp_dir, fd)
    tmp_dirs.clear()
    for parent in reversed(created):
        try:
            parent.rmdir()
        except OSError:
            pass


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it replaces ``target`` as a whole.

    The previous ``target`` is kept until the new one is in place, then removed.
    The temporary folders of killed earlier runs beside ``target`` are cleared first
    (:func:`clean_stale`); an ``OSError`` becomes an :class:`OutputError`.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(target.parent)
        tmp, fd = _make_tmp(target.parent)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    try:
        yield tmp
        (tmp / LOCK_NAME).unlink()  # not part of the result; the descriptor keeps the lock
        old = None
        try:
            if target.exists():
                old_tmp, old_fd = _make_tmp(target.parent)
                os.close(old_fd)  # removed right below; nothing to guard
                (old_tmp / LOCK_NAME).unlink()
                old = old_tmp / "old"
                os.replace(target, old)
            os.replace(tmp, target)
        except OSError as exc:
            raise _write_error(exc, target) from exc
        if old is not None:
            shutil.rmtree(old.parent, ignore_errors=True)
    finally:
        _drop_tmp(tmp, fd)


# Text that a spreadsheet takes for a formula (OWASP "CSV injection"): = + - @, a tab or a
# carriage return first, and the full-width forms that Excel in a Chinese locale also reads.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def inert_cell(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run as a
    formula (``=cmd|' /C calc'!A0``, ``+1+1``, ``@SUM(1)``, ``－1``); numbers, and text
    that is only a number (``-3``), are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv_floats(series: pd.Series) -> pd.Series:
    """Rounded to 10 decimals (no 0.30000000000000004), except where rounding would lose
    the value: a huge one (rounding overflows to inf) or a tiny one (it would read 0)."""
    values = series.to_numpy(dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(values, 10)
    keep = (np.isfinite(values) & ~np.isfinite(rounded)) | ((rounded == 0) & (values != 0))
    return pd.Series(np.where(keep, values, rounded), index=series.index, name=series.name)


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as true/false, floats rounded to 10 decimals (no 0.30000000000000004),
    and formula-leading text made inert (:func:`inert_cell`)."""
    columns = []
    for _, series in frame.items():
        if pd.api.types.is_bool_dtype(series):
            series = series.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(series):
            series = _csv_floats(series)
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            series = series.map(inert_cell)
        columns.append(series)
    out = pd.concat(columns, axis=1, keys=range(len(columns))) if columns else frame.copy()
    out.columns = [inert_cell(str(c)) for c in frame.columns]
    return out


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8-sig") -> None:
    """A CSV for people: :func:`csv_ready`, one header row, LF line ends, UTF-8 with a
    BOM by default so that Excel on a Chinese-locale PC reads it (``encoding`` one of
    :data:`ENCODINGS`). Not for a year's own input files: those are edited cell by
    cell (:mod:`wfscore.review.cell_edit`) and keep exactly what was typed."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding {encoding!r} is not offered (expected one of {', '.join(ENCODINGS)})")
    csv_ready(frame).to_csv(path, index=False, encoding=encoding, lineterminator="\n")
