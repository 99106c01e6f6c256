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
import os
import re
import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from wfscore.inputs.wording import messages_lang

TMP_PREFIX = ".wfscore-tmp-"
LOCK_SUFFIX = ".lock"  # a temporary folder's lock file: its name and this, beside it
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


def check_targets(
    targets: Mapping[str, str | os.PathLike | None], reads: Iterable[str | os.PathLike] = ()
) -> list[Path]:
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
            problems.append(
                f"{option} {str(path)!r} names the same file as {str(hit)!r}, which this command reads "
                "(inputs are never written over; expected a file outside the data folder, "
                "such as reports/results.csv)"
            )
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
#
# A temporary folder ``.wfscore-tmp-XXXX`` is guarded by a lock file beside it,
# ``.wfscore-tmp-XXXX.lock``, held (filelock: an OS lock on Windows and POSIX alike) from
# before the folder exists until after it is gone, so that another run's
# :func:`clean_stale` never takes a live run's folder for a killed one. Beside, not
# inside: Windows neither deletes an open file nor renames or removes a folder holding
# one, and the folder is renamed into place while its run is still alive.


class _Tmp:
    """A temporary folder and the lock that says its run is alive."""

    def __init__(self, folder: Path, lock):
        self.folder = folder
        self.lock = lock

    def drop(self) -> None:
        """Remove the folder (if still there), then release and remove its lock, in that
        order: the lock outlives what it guards."""
        shutil.rmtree(self.folder, ignore_errors=True)
        _release(self.lock)


def _lock_file(folder: Path) -> Path:
    return folder.with_name(folder.name + LOCK_SUFFIX)


def _file_lock(path: Path):
    from filelock import FileLock  # imported when a command first writes: not at start-up

    return FileLock(str(path), timeout=0)


def _release(lock) -> None:
    try:
        lock.release()
    finally:
        try:
            os.unlink(lock.lock_file)
        except OSError:
            pass  # already gone (Windows' lock removes itself), or another run's clean-up took it


def _make_tmp(parent: Path) -> _Tmp:
    """A new temporary folder in ``parent``, its lock held."""
    for _ in range(100):
        folder = Path(parent) / (TMP_PREFIX + secrets.token_hex(6))
        lock_path = _lock_file(folder)
        if os.path.lexists(lock_path) or os.path.lexists(folder):
            continue
        lock = _file_lock(lock_path)
        lock.acquire()
        try:
            folder.mkdir()
        except FileExistsError:
            _release(lock)
            continue
        except BaseException:
            _release(lock)
            raise
        return _Tmp(folder, lock)
    raise FileExistsError(errno.EEXIST, "no free temporary folder name", str(parent))


STALE_PATTERN = re.compile(re.escape(TMP_PREFIX) + r"[A-Za-z0-9_]+$")
STALE_LOCK = re.compile(re.escape(TMP_PREFIX) + r"[A-Za-z0-9_]+" + re.escape(LOCK_SUFFIX) + "$")
_DAY = 86_400


def _held(lock_path: Path):
    """The lock at ``lock_path`` taken, or None when a live run holds it (or it cannot be
    tested: a link, or something that is not a plain file)."""
    from filelock import Timeout

    try:
        if lock_path.is_symlink() or not lock_path.is_file():
            return None  # never follow a link a stranger left, where O_NOFOLLOW is missing too
    except OSError:
        return None
    lock = _file_lock(lock_path)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return None
    return lock


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def clean_stale(parent: Path, stream=None) -> list[Path]:
    """Remove the temporary folders that killed runs left in ``parent``; say so on ``stream``
    (default stderr). Only folders named as ours (:data:`TMP_PREFIX` and letters) whose
    lock file (the same name and :data:`LOCK_SUFFIX`, beside it) no live process holds are
    removed; a folder without a lock file is left alone unless it is over a day old, and
    a lock file left without its folder is removed when nobody holds it."""
    removed: list[Path] = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    names = {entry.name for entry in entries}
    for entry in entries:
        if STALE_LOCK.match(entry.name) and entry.name[: -len(LOCK_SUFFIX)] not in names:
            if _age(entry) > 60:  # a lock file alone: a run killed after removing its folder
                lock = _held(entry)
                if lock is not None:
                    _release(lock)
            continue
        if not STALE_PATTERN.match(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        lock_path = _lock_file(entry)
        if os.path.lexists(lock_path):
            lock = _held(lock_path)
            if lock is None:
                continue  # a live run holds it
        elif _age(entry) > _DAY:
            lock = None
        else:
            continue  # perhaps a run that is creating it right now
        try:
            shutil.rmtree(entry, ignore_errors=True)
        finally:
            if lock is not None:
                _release(lock)
        if not entry.exists():
            removed.append(entry)
            print(
                f"注意：已删除 {entry}，这是此前一次未完成的运行留下的临时文件夹"
                if messages_lang() == "zh"
                else f"note: removed {entry}, the temporary folder of an earlier run that did not finish",
                file=stream or sys.stderr,
            )
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
    tmp_dirs: dict[Path, _Tmp] = {}
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
            paths.append(tmp_dirs[parent].folder / target.name)
        try:
            yield paths
        except OSError as exc:
            name = Path(exc.filename).name if exc.filename else None
            hit = next((t for t, p in zip(targets, paths) if name and p.name == name), None)
            raise _write_error(exc, hit or (targets[0] if len(targets) == 1 else ", ".join(map(str, targets)))) from exc
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
        for tmp in tmp_dirs.values():
            tmp.drop()


def _undo(tmp_dirs: dict, created: list[Path]) -> None:
    for tmp in tmp_dirs.values():
        tmp.drop()
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
        tmp = _make_tmp(target.parent)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    old = None
    try:
        yield tmp.folder
        try:
            if target.exists():
                old = _make_tmp(target.parent)  # the folder being replaced goes in here, then away
                os.replace(target, old.folder / "old")
            os.replace(tmp.folder, target)
        except OSError as exc:
            if old is not None and not target.exists() and (old.folder / "old").exists():
                os.replace(old.folder / "old", target)  # put back what was there
            raise _write_error(exc, target) from exc
    finally:
        if old is not None:
            old.drop()
        tmp.drop()


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or below it (both resolved: links and ``..`` followed)."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def overlaps(out: Path, data: Path) -> bool:
    """Whether an output folder and a data folder overlap (one is, or holds, the other):
    a report, the cards or the reports of every year are never written among the inputs."""
    return inside(out, data) or inside(data, out)


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back), for giving a staged
    folder, private while it is made, the permissions a folder made here would have."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Text that a spreadsheet takes for a formula (OWASP "CSV injection"): = + - @, a tab or a
# carriage return first, and the full-width forms that Excel in a Chinese locale also reads.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_leading(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula: the one guard that every
    writer of CSVs, registers and workbooks asks (:data:`FORMULA_START`)."""
    return text.startswith(FORMULA_START)


def inert_text(text: str, *, reversible: bool = False) -> str:
    """``text`` with an apostrophe in front when it is :func:`formula_leading`; with
    ``reversible``, text that already starts with an apostrophe gets one too, so that
    taking off one leading apostrophe when read gives back exactly what was written."""
    return "'" + text if formula_leading(text) or (reversible and text.startswith("'")) else text


def inert_cell(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run as a
    formula (``=cmd|' /C calc'!A0``, ``+1+1``, ``@SUM(1)``, ``－1``); numbers, and text
    that is only a number (``-3``), are left as they are."""
    if isinstance(value, str) and formula_leading(value) and not _NUMBER.fullmatch(value):
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
