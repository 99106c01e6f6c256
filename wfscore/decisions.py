"""The year's decisions: edits of its input tables, each one recorded and reversible.

The adjustments desk (:mod:`wfscore.desk`) decides three kinds of thing before a year
is scored (SPEC §3): which exemption requests are confirmed (``exemptions.csv``),
which achievements are recognised (``achievements.csv``), which incidents stand and
how severe they are (``incidents.csv``). Every such change goes through this module:

- one cell of one row changes; every other byte of the file stays as it was, in the
  encoding it was read in (UTF-8, UTF-8 with a BOM, GB18030), columns in their order;
  a ``confirmed`` column the file lacks is added at its end, ``true`` for every
  other row (which counted before, and still does);
- a decision prepared on a file that has since changed on disk (its SHA-256
  differs), or on a row another panel has decided since, is refused;
- the file as it was is kept under ``.history/`` (a *version*, named by the time it
  was replaced), then the new file is moved into place atomically;
- one row is appended to ``decisions.csv`` (id, time, reviewer, action, file, row,
  department, item, field, old and new value, comment, version, ref), which is never
  rewritten;
- the last decision can be undone, and any version restored, the same way (both
  recorded too; a restore keeps the file it replaces as a version, so it can itself
  be restored).

"Row" is the line number as a spreadsheet shows it (header = line 1), as in every
error message. A lock file (``.history/lock``) serialises decisions between
processes. Workbook (.xlsx) folders are refused: edit those in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from .files import decode, parse_csv
from .output import staged
from .validation import FALSE_WORDS, SEVERITIES, TRUE_WORDS

LOG = "decisions.csv"
HISTORY = ".history"
LOG_COLUMNS = ("id", "time", "reviewer", "action", "file", "row", "dept_id", "item", "field", "old_value",
               "new_value", "comment", "version", "ref")
ACTIONS = ("decide", "undo", "restore")
# The tables the desk edits, the fields it may change, and what identifies a row to a person.
EDITABLE = {
    "exemptions": ("confirmed",),
    "achievements": ("confirmed",),
    "incidents": ("confirmed", "severity"),
}
ITEM_FIELDS = {"exemptions": ("indicator", "reason"), "achievements": ("indicator", "title"),
               "incidents": ("date", "description")}
# A confirmed column added to a file that had none: every existing row counted, and still does.
FILL = {"confirmed": "true"}
WORD_PAIRS = (("true", "false"), ("yes", "no"), ("1", "0"), ("是", "否"))
LOCK_TIMEOUT = 30  # seconds to wait for another panel's save


class DecisionError(Exception):
    """A decision, undo or restore that was refused; nothing was written. The message
    says why and what to do."""


# -- cells ------------------------------------------------------------------


def _styled(word: str, like: str) -> str:
    like = like.strip()
    if like.isupper():
        return word.upper()
    if like.istitle() and like.isascii():
        return word.title()
    return word


def cell_text(field: str, value: bool | str, like: str = "") -> str:
    """The text to write for ``value`` (True/False for ``confirmed``, ``ordinary`` or
    ``major`` for ``severity``), in the words of the cell it replaces: ``是`` answers
    ``否``, ``NO`` answers ``YES``; ``true``/``false`` when there is nothing to go by."""
    if field == "confirmed":
        if not isinstance(value, bool):
            raise ValueError(f"a confirmed decision is True or False, not {value!r}")
        low = like.strip().casefold()
        pair = next((p for p in WORD_PAIRS if low in p), WORD_PAIRS[0])
        return _styled(pair[0] if value else pair[1], like)
    if field == "severity":
        if value not in SEVERITIES:
            raise ValueError(f"a severity is one of {', '.join(SEVERITIES)}, not {value!r}")
        return _styled(value, like)
    raise ValueError(f"the desk does not change {field!r} (expected confirmed or severity)")


def _check_text(field: str, text: str) -> None:
    words = TRUE_WORDS | FALSE_WORDS if field == "confirmed" else set(SEVERITIES)
    if text.casefold() not in words:
        raise ValueError(f"{text!r} is not a valid {field} (expected one of {', '.join(sorted(words))})")


@dataclass
class _Record:
    raw: str          # the record's text, line end included
    cells: list[str]  # as csv reads them, not stripped


def _records(text: str) -> list[_Record]:
    """CSV text → its records, each with its own text, so that untouched records can
    be written back exactly. Lines are split as :func:`wfscore.files.parse_csv` does."""
    consumed: list[str] = []

    def lines():
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    records = []
    for cells in csv.reader(lines()):
        records.append(_Record("".join(consumed), cells))
        consumed.clear()
    if consumed:
        records.append(_Record("".join(consumed), []))
    assert "".join(r.raw for r in records) == text
    return records


def _write(cells: list[str], raw: str) -> str:
    """``cells`` as one CSV record, ended like ``raw`` was."""
    end = next((e for e in ("\r\n", "\n", "\r") if raw.endswith(e)), "")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=end).writerow(cells)
    return buffer.getvalue()


def _width(header: list[str]) -> int:
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    return width


def _set(cells: list[str], at: int, value: str) -> list[str]:
    cells = cells + [""] * (at + 1 - len(cells))
    cells[at] = value
    return cells


def edit_text(text: str, line: int, field: str, value: str) -> tuple[str, str, dict[str, str]]:
    """``text`` (a table as CSV) with ``field`` of ``line`` set to ``value``.

    Returns the new text, the old cell (stripped; empty when the column is new) and
    the row's cells by column name. Only the records that change are rewritten.
    """
    records = _records(text)
    header = [c.strip() for c in records[0].cells]
    width = _width(header)
    header = header[:width]
    if not 2 <= line <= len(records) or not any(c.strip() for c in records[line - 1].cells):
        raise DecisionError(f"line {line} is not a row of the table (expected a line between 2 and {len(records)})")
    was_there = field in header
    if not was_there:
        # a new last column: the header names it, every other row gets the fill value
        records[0] = _Record(_write(_set(records[0].cells[:width], width, field), records[0].raw), [])
        for n, record in enumerate(records[1:], start=1):
            if any(c.strip() for c in record.cells):
                cells = (record.cells + [""] * width)[:max(width, len(record.cells))]
                records[n] = _Record(_write(_set(cells, width, FILL[field]), record.raw), cells)
        header.append(field)
    at = header.index(field)
    target = records[line - 1]
    row = {name: (target.cells[k].strip() if k < len(target.cells) else "") for k, name in enumerate(header)}
    old = row[field] if was_there else ""
    row[field] = value
    records[line - 1] = _Record(_write(_set(target.cells, at, value), target.raw), target.cells)
    return "".join(r.raw for r in records), old, row


def edit_frame(frame: pd.DataFrame, line: int, field: str, value: str) -> pd.DataFrame:
    """What loading the file edited by :func:`edit_text` gives: ``frame`` (a table as
    loaded, index = line numbers) with one cell changed, and a new column if needed."""
    out = frame.copy()
    if field not in out:
        out[field] = FILL[field]
    out.loc[line, field] = value
    return out


# -- files ------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def workbook_of(folder: Path) -> str | None:
    """The workbook a year folder holds instead of CSV files, if any."""
    books = sorted(p.name for p in Path(folder).glob("*.xlsx") if not p.name.startswith("~$"))
    return books[0] if books else None


def _refuse_workbook(folder: Path) -> None:
    book = workbook_of(folder)
    if book:
        raise DecisionError(
            f"{folder} holds its tables in the workbook {book}; the adjustments desk edits CSV year folders "
            "only and does not write workbooks (decide in Excel, or save the sheets as CSV files)")


def _lock(folder: Path) -> FileLock:
    (folder / HISTORY).mkdir(exist_ok=True)
    return FileLock(str(folder / HISTORY / "lock"), timeout=LOCK_TIMEOUT)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _keep_version(folder: Path, file: str, raw: bytes) -> str:
    """Save ``raw`` (``file`` as it was) under .history/; return the version's name."""
    when = _now()
    while True:
        name = f"{when:%Y%m%d-%H%M%S-%f}_{file}"
        if not (folder / HISTORY / name).exists():
            break
        when += dt.timedelta(microseconds=1)
    with staged(folder / HISTORY / name) as (tmp,):
        tmp.write_bytes(raw)
    return name


def _replace(path: Path, raw: bytes) -> None:
    with staged(path) as (tmp,):
        tmp.write_bytes(raw)


# -- the log ----------------------------------------------------------------


def read_log(folder: Path | str) -> pd.DataFrame:
    """Every entry of ``decisions.csv`` in order (empty without the file); ``id`` and
    ``ref`` as integers (``ref`` 0 when empty)."""
    path = Path(folder) / LOG
    if not path.is_file():
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in LOG_COLUMNS})
    else:
        text, _, problem = decode(path.read_bytes(), LOG)
        if problem:
            raise DecisionError(str(problem))
        frame, problems = parse_csv(text, "decisions", LOG)
        if problems or frame is None:
            raise DecisionError("; ".join(map(str, problems)) or f"{LOG} is empty")
        missing = [c for c in LOG_COLUMNS if c not in frame]
        if missing:
            raise DecisionError(f"{path} has no column {', '.join(missing)} (expected {', '.join(LOG_COLUMNS)}; "
                                "the file is written by wfscore and must not be edited)")
    frame = frame[list(LOG_COLUMNS)].reset_index(drop=True)
    try:
        frame["id"] = pd.to_numeric(frame["id"]).astype(int)
        frame["ref"] = pd.to_numeric(frame["ref"].replace("", "0")).astype(int)
    except (ValueError, TypeError) as exc:
        raise DecisionError(f"{path} has an id or ref that is not a whole number ({exc}); the file is written "
                            "by wfscore and must not be edited") from None
    return frame


def _append(folder: Path, entry: dict) -> None:
    """Append one entry to decisions.csv: never rewritten, only appended to."""
    path = folder / LOG
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not path.exists():
        writer.writerow(LOG_COLUMNS)
        writer.writerow([entry[c] for c in LOG_COLUMNS])
        with staged(path) as (tmp,):  # created whole, with a BOM so that Excel reads it as UTF-8
            tmp.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        return
    raw = path.read_bytes()
    _, encoding, problem = decode(raw, LOG)
    if problem:
        raise DecisionError(str(problem))
    writer.writerow([entry[c] for c in LOG_COLUMNS])
    text = ("" if raw.endswith((b"\n", b"\r")) else "\n") + buffer.getvalue()
    with open(path, "ab") as f:
        f.write(text.encode("utf-8" if encoding == "utf-8-sig" else encoding))
        f.flush()
        os.fsync(f.fileno())


@dataclass(frozen=True)
class State:
    """The log replayed: which decisions are in force, and what each entry started from."""

    live: frozenset[int]                 # ids of the decisions in force
    before: dict[int, tuple[int, ...]]   # per entry: the decisions in force on its file before it

    def last(self) -> int | None:
        return max(self.live) if self.live else None


def replay(log: pd.DataFrame) -> State:
    """Replay the log: a decision adds itself to its file's decisions in force; an
    undo or restore puts its file back to what was in force before the entry it
    refers to (the entry that made the version it brought back)."""
    live: dict[str, tuple[int, ...]] = {}
    before: dict[int, tuple[int, ...]] = {}
    for entry in log.itertuples():
        now = live.get(entry.file, ())
        before[entry.id] = now
        if entry.action == "decide":
            live[entry.file] = now + (entry.id,)
        elif entry.ref in before:
            live[entry.file] = before[entry.ref]
    return State(frozenset(i for ids in live.values() for i in ids), before)


def history(folder: Path | str) -> pd.DataFrame:
    """The log with a ``status`` column: ``in force`` or ``undone`` for decisions,
    empty for undos and restores."""
    log = read_log(folder)
    state = replay(log)
    log["status"] = [("in force" if e.id in state.live else "undone") if e.action == "decide" else ""
                     for e in log.itertuples()]
    return log


def decided_rows(log: pd.DataFrame) -> dict[tuple[str, int], list[int]]:
    """(file, row) → ids of the decisions in force on it, oldest first; ``log`` as
    :func:`history` returns it. A row without one is pending."""
    rows: dict[tuple[str, int], list[int]] = {}
    for entry in log[log["status"] == "in force"].itertuples():
        rows.setdefault((entry.file, int(entry.row)), []).append(entry.id)
    return rows


# -- decide, undo, restore --------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """What a decision, undo or restore wrote."""

    entry: dict            # the row appended to decisions.csv
    file: str              # the table file it concerns
    sha256: str            # that file's SHA-256 now
    changed: bool          # whether the file's bytes changed
    raw: bytes = b""       # the file's bytes now


def _entry(log: pd.DataFrame, **fields) -> dict:
    entry = {c: "" for c in LOG_COLUMNS}
    entry.update(id=int(log["id"].max()) + 1 if len(log) else 1, time=_now().isoformat(timespec="seconds"))
    entry.update({k: "" if v is None else v for k, v in fields.items()})
    if not str(entry["reviewer"]).strip():
        raise DecisionError("a decision needs the reviewer's name (expected reviewer=\"…\")")
    return entry


def _conflict(file: str, why: str) -> DecisionError:
    return DecisionError(f"{file} {why} since this panel loaded it (another panel, or a person, changed it); "
                         "nothing was saved: reload the folder, check the item again, then decide")


def _check_newer(log: pd.DataFrame, seen: int | None, file: str | None) -> None:
    if seen is None:
        return
    newer = log[log["id"] > seen]
    if file is not None:
        newer = newer[newer["file"] == file]
    if len(newer):
        first = newer.iloc[0]
        raise _conflict(first["file"], f"has decision {first['id']} by {first['reviewer']} at {first['time']}")


def decide(folder: Path | str, file: str, row: int, field: str, value: str, *, reviewer: str,
           comment: str = "", expected_sha256: str | None = None, seen: int | None = None) -> Saved:
    """Set ``field`` of ``row`` of ``file`` to the text ``value`` and record it.

    ``expected_sha256``: the file's hash when the decision was prepared; a file that
    has changed since is refused. ``seen``: the last log id the caller knew; a
    decision recorded on the same file after it is refused too.
    """
    folder = Path(folder)
    _refuse_workbook(folder)
    table = file.removesuffix(".csv")
    if table not in EDITABLE or field not in EDITABLE[table]:
        allowed = "; ".join(f"{t}.csv: {', '.join(fields)}" for t, fields in EDITABLE.items())
        raise DecisionError(f"the desk does not change {field!r} of {file} (expected one of {allowed})")
    _check_text(field, value)
    try:
        with _lock(folder):
            path = folder / file
            raw = path.read_bytes()
            if expected_sha256 is not None and hashlib.sha256(raw).hexdigest() != expected_sha256:
                raise _conflict(file, "has changed on disk (its SHA-256 differs)")
            log = read_log(folder)
            _check_newer(log, seen, file)
            text, encoding, problem = decode(raw, file)
            if problem:
                raise DecisionError(str(problem))
            new_text, old, cells = edit_text(text, int(row), field, value)
            new_raw = new_text.encode(encoding)  # utf-8-sig writes the BOM back
            version = ""
            if new_raw != raw:
                version = _keep_version(folder, file, raw)
                _replace(path, new_raw)
            entry = _entry(log, reviewer=reviewer, action="decide", file=file, row=int(row),
                           dept_id=cells.get("dept_id", ""),
                           item=" ".join(cells.get(f, "") for f in ITEM_FIELDS[table]).strip(),
                           field=field, old_value=old, new_value=value, comment=comment, version=version)
            _append(folder, entry)
            return Saved(entry, file, hashlib.sha256(new_raw).hexdigest(), new_raw != raw, new_raw)
    except Timeout:
        raise DecisionError(f"{folder / HISTORY / 'lock'} is held by another save for over {LOCK_TIMEOUT} s; "
                            "nothing was saved: try again") from None


def _bring_back(folder: Path, file: str, version: str, expected: dict[str, str] | None) -> tuple[str, bytes]:
    """Put ``version`` (or, when empty, nothing) back in place of ``file``; return the
    version that keeps the replaced file ("" if nothing changed) and the bytes now."""
    path = folder / file
    raw = path.read_bytes()
    if expected is not None and file in expected and hashlib.sha256(raw).hexdigest() != expected[file]:
        raise _conflict(file, "has changed on disk (its SHA-256 differs)")
    if not version:
        return "", raw
    source = folder / HISTORY / version
    if not source.is_file():
        raise DecisionError(f"{source} is missing (expected the version {version} kept by an earlier decision)")
    old = source.read_bytes()
    if old == raw:
        return "", raw
    kept = _keep_version(folder, file, raw)
    _replace(path, old)
    return kept, old


def undo_last(folder: Path | str, *, reviewer: str, comment: str = "",
              expected: dict[str, str] | None = None, seen: int | None = None) -> Saved:
    """Undo the last decision in force: its file back byte for byte as it was before it.

    ``expected``: file → SHA-256 the caller last saw (a file changed since is refused);
    ``seen``: the last log id the caller knew (any entry after it is refused: the
    last decision would not be the one the caller shows).
    """
    folder = Path(folder)
    _refuse_workbook(folder)
    try:
        with _lock(folder):
            log = read_log(folder)
            _check_newer(log, seen, None)
            last = replay(log).last()
            if last is None:
                raise DecisionError(f"{folder} has no decision in force to undo")
            decision = log[log["id"] == last].iloc[0]
            kept, now = _bring_back(folder, decision["file"], decision["version"], expected)
            entry = _entry(log, reviewer=reviewer, action="undo", file=decision["file"], row=decision["row"],
                           dept_id=decision["dept_id"], item=decision["item"], field=decision["field"],
                           old_value=decision["new_value"], new_value=decision["old_value"],
                           comment=comment or f"undo of decision {last}", version=kept, ref=last)
            _append(folder, entry)
            return Saved(entry, decision["file"], hashlib.sha256(now).hexdigest(), bool(kept), now)
    except Timeout:
        raise DecisionError(f"{folder / HISTORY / 'lock'} is held by another save; nothing was undone: "
                            "try again") from None


def restore(folder: Path | str, version: str, *, reviewer: str, comment: str = "",
            expected: dict[str, str] | None = None) -> Saved:
    """Put an earlier version of a file back (the decisions made on it since are no
    longer in force); the file it replaces is kept as a version too."""
    folder = Path(folder)
    _refuse_workbook(folder)
    try:
        with _lock(folder):
            log = read_log(folder)
            made = log[log["version"] == version] if version else log.iloc[:0]
            if made.empty:
                known = [v for v in log["version"] if v]
                raise DecisionError(
                    f"{version!r} is not a version of {folder} (expected one of the versions `wfscore history "
                    f"{folder}` lists" + (f", e.g. {known[-1]}" if known else "; there are none yet") + ")")
            origin = made.iloc[0]
            kept, now = _bring_back(folder, origin["file"], version, expected)
            entry = _entry(log, reviewer=reviewer, action="restore", file=origin["file"], new_value=version,
                           comment=comment or f"{origin['file']} as it was before entry {origin['id']}",
                           version=kept, ref=origin["id"])
            _append(folder, entry)
            return Saved(entry, origin["file"], hashlib.sha256(now).hexdigest(), bool(kept), now)
    except Timeout:
        raise DecisionError(f"{folder / HISTORY / 'lock'} is held by another save; nothing was restored: "
                            "try again") from None


# -- the report's table -----------------------------------------------------

REPORT_WORDS = {
    "zh": {
        "columns": {"id": "序号", "time": "时间", "reviewer": "审核人", "dept_id": "部门编号", "name": "部门",
                    "kind": "事项类别", "row": "行", "item": "事项", "field": "内容", "old_value": "原值",
                    "new_value": "新值", "comment": "说明", "status": "状态"},
        "kinds": {"exemptions.csv": "不适用申请", "achievements.csv": "奖励成果", "incidents.csv": "安全事故"},
        "fields": {"confirmed": "是否确认", "severity": "严重程度"},
        "values": {True: "确认", False: "不确认", "ordinary": "一般", "major": "重大", "": "（无此列，计入）"},
        "status": {"in force": "有效", "undone": "已撤销"},
    },
    "en": {
        "columns": {"id": "No.", "time": "Time", "reviewer": "Reviewer", "dept_id": "Dept id", "name": "Department",
                    "kind": "Kind", "row": "Row", "item": "Item", "field": "Field", "old_value": "Old value",
                    "new_value": "New value", "comment": "Comment", "status": "Status"},
        "kinds": {"exemptions.csv": "exemption request", "achievements.csv": "achievement",
                  "incidents.csv": "incident"},
        "fields": {"confirmed": "confirmed", "severity": "severity"},
        "values": {True: "confirmed", False: "not confirmed", "ordinary": "ordinary", "major": "major",
                   "": "(no column: counted)"},
        "status": {"in force": "in force", "undone": "undone"},
    },
}


def _value_words(field: str, text: str, w: dict) -> str:
    low = text.strip().casefold()
    if field == "confirmed" and low in TRUE_WORDS | FALSE_WORDS:
        return w["values"][low in TRUE_WORDS]
    return w["values"].get(low, text)


def _department_names(folder: Path) -> dict[str, str]:
    path = folder / "departments.csv"
    if not path.is_file():
        return {}
    text, _, problem = decode(path.read_bytes(), path.name)
    frame, _ = parse_csv(text, "departments", path.name) if not problem else (None, [])
    if frame is None or not {"dept_id", "name"} <= set(frame.columns):
        return {}
    return dict(zip(frame["dept_id"], frame["name"]))


def decisions_table(year_dir: Path | str, lang: str = "zh", include_undone: bool = False) -> pd.DataFrame:
    """The year's decisions from ``decisions.csv``, for the report's adjustment section.

    One row per decision in force (with ``include_undone``, the undone ones too, their
    status saying so), oldest first, with the department's name, the kind of item
    and the values in words; column names in ``lang``. Empty (with the columns) when
    nothing was decided.
    """
    if lang not in REPORT_WORDS:
        raise ValueError(f"unknown language {lang!r} (expected one of {', '.join(REPORT_WORDS)})")
    w = REPORT_WORDS[lang]
    folder = Path(year_dir)
    log = history(folder)
    log = log[(log["action"] == "decide") & (include_undone | (log["status"] == "in force"))]
    names = _department_names(folder)
    frame = pd.DataFrame({
        "id": log["id"].to_numpy(),
        "time": log["time"].str.slice(0, 19).str.replace("T", " ").to_numpy(),
        "reviewer": log["reviewer"].to_numpy(),
        "dept_id": log["dept_id"].to_numpy(),
        "name": log["dept_id"].map(names).fillna("").to_numpy(),
        "kind": log["file"].map(w["kinds"]).fillna(log["file"]).to_numpy(),
        "row": pd.to_numeric(log["row"]).to_numpy(dtype=int),
        "item": log["item"].to_numpy(),
        "field": log["field"].map(w["fields"]).fillna(log["field"]).to_numpy(),
        "old_value": [_value_words(f, v, w) for f, v in zip(log["field"], log["old_value"])],
        "new_value": [_value_words(f, v, w) for f, v in zip(log["field"], log["new_value"])],
        "comment": log["comment"].to_numpy(),
        "status": log["status"].map(w["status"]).to_numpy(),
    })
    return frame.rename(columns=w["columns"]).reset_index(drop=True)


# -- the command line -------------------------------------------------------


def _print_history(folder: Path) -> None:
    log = history(folder)
    if log.empty:
        print(f"{folder}: no decisions recorded yet ({LOG} is absent or empty)")
        return
    table = log[["id", "time", "reviewer", "action", "file", "row", "dept_id", "field", "old_value", "new_value",
                 "status", "version", "comment"]].copy()
    table["time"] = table["time"].str.slice(0, 19).str.replace("T", " ")
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 250,
                           "display.max_rows", None, "display.max_colwidth", 60):
        print(table.to_string(index=False))
    last = replay(read_log(folder)).last()
    print()
    if last is not None:
        print(f"last decision in force: {last}; `wfscore restore {folder} last` undoes it")
    print(f"`wfscore restore {folder} VERSION` puts back a file as it was in that version "
          f"(the versions are kept in {folder / HISTORY})")


def cmd_history(args) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder (expected a year's data folder)", file=sys.stderr)
        return 1
    book = workbook_of(folder)
    if book:
        print(f"{folder} holds its tables in the workbook {book}; the adjustments desk edits CSV year folders "
              "only, so it has no decisions or versions")
        return 0
    try:
        _print_history(folder)
    except DecisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_restore(args) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder (expected a year's data folder)", file=sys.stderr)
        return 1
    try:
        if args.version == "last":
            saved = undo_last(folder, reviewer=args.reviewer, comment=args.comment)
            what = f"undid decision {saved.entry['ref']} ({saved.file} line {saved.entry['row']}, " \
                   f"{saved.entry['field']} {saved.entry['old_value']} → {saved.entry['new_value']})"
        else:
            saved = restore(folder, args.version, reviewer=args.reviewer, comment=args.comment)
            what = f"restored {saved.file} to version {args.version}"
    except DecisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    kept = saved.entry["version"]
    print(f"{what}; recorded as entry {saved.entry['id']} of {folder / LOG}"
          + (f"; the replaced file is kept as version {kept}" if kept else "; no file changed"))
    return 0


def _reviewer() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name from the system: ask for --reviewer
        return ""


def add_history_command(subparsers) -> None:
    p = subparsers.add_parser(
        "history", help="list a year's recorded decisions and the file versions kept",
        description=f"List every entry of DIR/{LOG} (decisions made with the adjustments desk, undos, "
                    "restores), whether each decision is in force, and the version of the file it replaced "
                    f"(kept under DIR/{HISTORY}).")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.set_defaults(run=cmd_history)


def add_restore_command(subparsers) -> None:
    p = subparsers.add_parser(
        "restore", help="undo the last decision, or put back an earlier version of a file",
        description="Put back a version of a table file that `wfscore history DIR` lists (the decisions "
                    "made on that file since are no longer in force), or with VERSION 'last' undo the last "
                    "decision in force. The file replaced is kept as a version, and the restore is recorded "
                    f"in DIR/{LOG}.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.add_argument("version", metavar="VERSION", help="a version name from `wfscore history DIR`, or 'last'")
    p.add_argument("--reviewer", default=_reviewer(), help="who restores (default: the login name)")
    p.add_argument("--comment", default="", help="why, recorded in decisions.csv")
    p.set_defaults(run=cmd_restore)
