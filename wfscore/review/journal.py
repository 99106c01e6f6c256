"""Several tables of a year replaced as one step, so that a run killed at any point
leaves the year as it was or as it would be (``wfscore collect``).

One ``os.replace`` is atomic; several are not. So the new files are first written
under ``.history/collect-pending/``, then a journal (``.history/collect-pending.json``,
written atomically) names them and the entries for ``decisions.csv``: that write is the
step that decides. After it the files are moved into place and the entries appended.
A run killed before the journal exists leaves the year untouched (its pending folder
is removed by the next run); a run killed after is finished by the next process that
takes the year's lock (:func:`wfscore.review.decisions._lock`: a collect, a decision at
the desk, a dispute, a restore), each step done at most once.

This module knows nothing of the log's format: the caller hands it the entries and
the functions that append one and list the ids already logged.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Callable, Iterable

from wfscore.inputs.output import staged

HISTORY = ".history"   # as wfscore.review.decisions.HISTORY
PENDING = "collect-pending"
JOURNAL = "collect-pending.json"
PAUSE = "WFSCORE_TEST_PAUSE"   # "STEP@FOLDER": stop at STEP until FOLDER/go exists (the tests' kills)


def pause(step: str) -> None:
    """For the tests that kill a run between two steps: with ``WFSCORE_TEST_PAUSE`` set to
    ``STEP@FOLDER``, create ``FOLDER/STEP.reached`` at that step and wait (at most two
    minutes) until ``FOLDER/go`` exists. Does nothing otherwise."""
    spec = os.environ.get(PAUSE, "")
    name, sep, folder = spec.partition("@")
    if not sep or name != step:
        return
    where = Path(folder)
    (where / f"{step}.reached").write_text(str(os.getpid()), encoding="utf-8")
    for _ in range(2400):
        if (where / "go").exists():
            return
        time.sleep(0.05)


def commit(folder: Path, new: dict[str, bytes], entries: list[dict], append: Callable[[Path, dict], None],
           logged: Callable[[], Iterable[int]]) -> None:
    """Replace each file of ``new`` in ``folder`` with its bytes and append ``entries``
    (one per file, each with its ``id``), all or nothing. The caller holds the lock."""
    history = folder / HISTORY
    pending = history / PENDING
    shutil.rmtree(pending, ignore_errors=True)
    pending.mkdir(parents=True)
    for file, raw in new.items():
        with open(pending / file, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
    pause("staged")
    with staged(history / JOURNAL) as (tmp,):
        tmp.write_text(json.dumps({"files": list(new), "entries": entries}, ensure_ascii=False), encoding="utf-8")
    pause("committed")
    _apply(folder, append, logged)


def finish(folder: Path, append: Callable[[Path, dict], None], logged: Callable[[], Iterable[int]]) -> bool:
    """Finish a collection a killed run left half done (True), or clear what a run killed
    before deciding left (False). The caller holds the lock."""
    history = Path(folder) / HISTORY
    if (history / JOURNAL).is_file():
        _apply(Path(folder), append, logged)
        return True
    if (history / PENDING).is_dir():
        shutil.rmtree(history / PENDING, ignore_errors=True)
    return False


def _apply(folder: Path, append: Callable[[Path, dict], None], logged: Callable[[], Iterable[int]]) -> None:
    history = folder / HISTORY
    plan = json.loads((history / JOURNAL).read_text(encoding="utf-8"))
    for file in plan["files"]:
        source = history / PENDING / file
        if source.is_file():  # not yet moved
            os.replace(source, folder / file)
        pause(f"replaced {file}")
    done = {int(i) for i in logged()}
    for entry in plan["entries"]:
        if int(entry["id"]) not in done:
            append(folder, entry)
    pause("logged")
    (history / JOURNAL).unlink()
    shutil.rmtree(history / PENDING, ignore_errors=True)
