"""Writing what ``wfscore collect`` read into the year's folder, without losing a decision
or a row (README, "Collecting a year's inputs").

:func:`write_year` holds the year's lock (the one the adjustments desk and the disputes
take, :func:`wfscore.review.decisions.year_lock`) from reading the year's tables and
``decisions.csv`` to the last file moved into place, so no decision lands in between;
merges the returns into the tables (:func:`wfscore.inputs.collect.plan_year`: rows of
the departments, experts and office that returned added and updated, the others kept,
rows removed only with ``replace``; a row with a decision in force kept as it is and
said so); checks the year as it would be; keeps every file it replaces as a version
under ``.history/`` with one ``collect`` entry per file in ``decisions.csv`` (so
``wfscore history`` lists it and ``wfscore restore DIR VERSION`` brings it back); and
replaces the files and the log as one step (the journal of the registers,
:func:`wfscore.review.decisions.commit`), which a run killed in between leaves for
the next one that takes the lock to finish.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from filelock import Timeout

from wfscore.inputs.collect import Collection, Outcome, check_year, plan_year
from wfscore.inputs.inert import plain
from wfscore.inputs.problems import InputError, error
from wfscore.review import decisions
from wfscore.review.decisions import HISTORY, LOCK_TIMEOUT, LOG, LOG_COLUMNS, DecisionError


def login() -> str:
    """Who collects, for ``decisions.csv``: the login name, else ``wfscore collect``."""
    import getpass

    try:
        return getpass.getuser() or "wfscore collect"
    except Exception:  # noqa: BLE001 - no user name from the system
        return "wfscore collect"


def _timeout(into: Path) -> InputError:
    lock = into / HISTORY / "lock"
    return InputError(
        [
            error(
                str(lock),
                f"is held by another save for over {LOCK_TIMEOUT} s (the adjustments desk, a "
                "dispute or another collect); nothing was written: try again",
                message_zh=f"被另一次保存（审核台、复核或另一次汇总）占用已超过 {LOCK_TIMEOUT} 秒；"
                "未写出任何文件，请重试",
            )
        ],
        str(into),
    )


def _decided(into: Path) -> dict[tuple[str, int], list[int]]:
    try:
        return decisions.decided_rows(decisions.history(into))
    except DecisionError as exc:
        raise InputError([error(str(into / LOG), str(exc), message_zh=exc.zh)], str(into)) from None


def finish(into: Path | str) -> bool:
    """Finish a collection (or a decision) a killed run left half done in ``into`` (True),
    under the lock; False when there is none."""
    into = Path(into)
    begun = (into / HISTORY / decisions.JOURNAL).is_file()
    if not begun:
        return False
    try:
        with decisions.year_lock(into):  # taking it finishes what the journal holds
            return begun
    except Timeout:
        raise _timeout(into) from None


def write_year(col: Collection, decided=frozenset(), *, replace: bool = False, reviewer: str = "") -> Outcome:
    """Write the year's tables from the returns into ``col.into``, all or nothing.

    ``decided``: (file, line) pairs to keep besides those ``decisions.csv`` has decisions
    in force on (read under the lock). ``replace``: remove the rows a return no longer
    gives. Raises :class:`InputError` (nothing written) when a return has an error, when
    the year as collected does not pass ``wfscore validate``, or when the lock stays held.
    """
    if col.errors:
        raise InputError(col.problems, str(col.folder))
    into = col.into
    try:
        with decisions.year_lock(into):
            decisions.step("locked")
            found = _decided(into)
            for key in decided:
                found.setdefault(key, [])
            plan = plan_year(col, found, replace)
            problems = check_year(col, plan)
            decisions.step("validated")
            changed = [f for f in plan.texts if f not in plan.unchanged]
            versions = _commit(col, changed, plan.texts, reviewer.strip() or login(), replace) if changed else {}
    except Timeout:
        raise _timeout(into) from None
    return Outcome(changed, plan.unchanged, plan.kept, plan.notes, problems, versions)


def _commit(col: Collection, changed: list[str], texts: dict[str, str], reviewer: str, replace: bool) -> dict[str, str]:
    into = col.into
    log = decisions.read_log(into)
    first = int(log["id"].max()) + 1 if len(log) else 1
    when = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    comment = f"collected from {plain(col.folder)} ({len(col.used())} returns" + (", --replace)" if replace else ")")
    versions, entries = {}, []
    for n, file in enumerate(changed):
        path = into / file
        version = decisions.keep_version(into, file, path.read_bytes()) if path.is_file() else ""
        if version:
            versions[file] = version
        entry = {c: "" for c in LOG_COLUMNS}
        entry.update(
            id=first + n,
            time=when,
            reviewer=reviewer,
            action="collect",
            file=file,
            comment=comment if version else comment + "; new file",
            version=version,
        )
        entries.append(entry)
    decisions.step("versions kept")
    writes = {f: texts[f].encode("utf-8") for f in changed}
    writes[LOG] = decisions.appended_log(into, *entries)
    decisions.commit(into, writes)
    return versions
