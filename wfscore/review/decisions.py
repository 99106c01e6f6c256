"""The year's decisions: edits of its input tables, each one recorded and reversible.

The adjustments desk (:mod:`wfscore.panels.desk`) decides three kinds of thing before a year
is scored (SPEC §3): which exemption requests are confirmed (``exemptions.csv``),
which achievements are recognised (``achievements.csv``), which incidents stand and
how severe they are (``incidents.csv``); an upheld dispute (:mod:`wfscore.review.disputes`)
corrects one ``value`` of ``values.csv`` or one ``rating`` of ``ratings.csv``. Every such
change goes through this module:

- one cell of one row changes (:mod:`wfscore.review.cell_edit`); every other byte of the
  file stays as it was, in the encoding it was read in (UTF-8, UTF-8 with a BOM,
  GB18030), columns in their order; a ``confirmed`` column the file lacks is added
  at its end, ``true`` for every other row (which counted before, and still does);
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
processes. Workbook (.xlsx) folders are refused: edit those in Excel. Reading the
record back (the report's table, ``wfscore history`` and ``wfscore restore``) is
:mod:`wfscore.review.audit`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd
from filelock import FileLock, Timeout

from wfscore.review.cell_edit import EditError, check_text, edit_text
from wfscore.inputs.files import decode, parse_csv, read_file
from wfscore.inputs.output import FORMULA_START, staged
from wfscore.review import journal

LOG = "decisions.csv"
HISTORY = ".history"
LOG_COLUMNS = ("id", "time", "reviewer", "action", "file", "row", "dept_id", "item", "field", "old_value",
               "new_value", "comment", "version", "ref")
ACTIONS = ("decide", "undo", "restore", "collect")  # collect: wfscore collect replaced the file
# The tables the desk edits, the fields it may change, and what identifies a row to a person.
# values.csv and ratings.csv are corrected through an upheld dispute (wfscore.review.disputes),
# which checks the new number against the scheme (by rebuilding the year) before it writes.
EDITABLE = {
    "exemptions": ("confirmed",),
    "achievements": ("confirmed",),
    "incidents": ("confirmed", "severity"),
    "values": ("value",),
    "ratings": ("rating",),
}
ITEM_FIELDS = {"exemptions": ("indicator", "reason"), "achievements": ("indicator", "title"),
               "incidents": ("date", "description"), "values": ("indicator",), "ratings": ("indicator", "expert")}
LOCK_TIMEOUT = 30  # seconds to wait for another panel's save


class DecisionError(Exception):
    """A decision, undo or restore that was refused; nothing was written. The message
    says why and what to do; ``zh`` says it in Chinese (for the desk), where written."""

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def in_lang(self, lang: str) -> str:
        """The message in ``lang``: the Chinese given with it, else the message catalogue's."""
        if lang != "zh":
            return str(self)
        if self.zh:
            return self.zh
        from wfscore.inputs.messages_zh import to_zh

        return to_zh(str(self)) or str(self)


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
            "only and does not write workbooks (decide in Excel, or save the sheets as CSV files)",
            f"{folder} 的数据在工作簿 {book} 中；审核台只修改 CSV 年度文件夹，不写工作簿（请在 Excel 中修改，或将各工作表另存为 CSV 文件）")


@contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """The year's lock, held; a collection a killed run left half done is finished first
    (:mod:`wfscore.review.journal`)."""
    (folder / HISTORY).mkdir(exist_ok=True)
    with FileLock(str(folder / HISTORY / "lock"), timeout=LOCK_TIMEOUT):
        journal.finish(folder, _append, lambda: read_log(folder)["id"])
        yield


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
    if not os.path.lexists(path):
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in LOG_COLUMNS})
    else:
        raw, problem = read_file(path, LOG, "the log of decisions, a CSV file written by wfscore")
        text = None
        if problem is None:
            text, _, problem = decode(raw, LOG)
        if problem:
            raise DecisionError(str(problem))
        frame, problems = parse_csv(text, "decisions", LOG)
        if problems or frame is None:
            raise DecisionError("; ".join(map(str, problems)) or f"{LOG} is empty")
        missing = [c for c in LOG_COLUMNS if c not in frame]
        if missing:
            raise DecisionError(f"{path} has no column {', '.join(missing)} (expected {', '.join(LOG_COLUMNS)}; "
                                "the file is written by wfscore and must not be edited)")
        frame = frame.map(_read_cell)
        _check_paths(frame, Path(folder))
    frame = frame[list(LOG_COLUMNS)].reset_index(drop=True)
    try:
        frame["id"] = pd.to_numeric(frame["id"]).astype(int)
        frame["ref"] = pd.to_numeric(frame["ref"].replace("", "0")).astype(int)
    except (ValueError, TypeError) as exc:
        raise DecisionError(f"{path} has an id or ref that is not a whole number ({exc}); the file is written "
                            "by wfscore and must not be edited") from None
    return frame


TABLE_FILES = tuple(f"{table}.csv" for table in EDITABLE) + ("website_eval.csv",)  # what a decision or collect concerns


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return folder in path.parents


def version_path(folder: Path, version: str) -> Path:
    """The file of ``version`` under ``folder/.history``; DecisionError unless it is a
    plain file name that resolves inside that folder (links included)."""
    history_dir = Path(folder) / HISTORY
    path = history_dir / version
    if (not version or version in (".", "..") or "/" in version or "\\" in version or "\x00" in version
            or not _inside(path, history_dir)):
        raise DecisionError(f"{version!r} is not a version name (expected a file name inside {history_dir})")
    return path


def _check_paths(frame: pd.DataFrame, folder: Path) -> None:
    """Every path the log names stays inside the year: ``file`` one of the tables the desk
    edits, ``version`` a file of ``.history/``. Else DecisionError naming the rows."""
    problems = []
    for line, row in frame.iterrows():
        file, version = str(row["file"]), str(row["version"])
        if file and (file not in TABLE_FILES or not _inside(folder / file, folder)):
            problems.append(f"{LOG} line {line}, column file: {file!r} is not a table of the year "
                            f"(expected one of {', '.join(TABLE_FILES)} in {folder})")
        if version:
            try:
                version_path(folder, version)
            except DecisionError:
                problems.append(f"{LOG} line {line}, column version: {version!r} is not a version kept in "
                                f"{folder / HISTORY} (expected a file name there, as wfscore writes it)")
    if problems:
        raise DecisionError("; ".join(problems) + f"; nothing was changed ({LOG} is written by wfscore and "
                            "must not be edited)")


def _log_cell(value: object) -> str:
    """A cell of decisions.csv, which people open in Excel: text a spreadsheet would run as
    a formula gets an apostrophe in front, and so does text that starts with one, so that
    :func:`_read_cell` gives back exactly what was recorded."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START + ("'",)) else text


def _read_cell(value: object) -> object:
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def _append(folder: Path, entry: dict) -> None:
    """Append one entry to decisions.csv: never rewritten, only appended to."""
    path = folder / LOG
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not path.exists():
        writer.writerow(LOG_COLUMNS)
        writer.writerow([_log_cell(entry[c]) for c in LOG_COLUMNS])
        with staged(path) as (tmp,):  # created whole, with a BOM so that Excel reads it as UTF-8
            tmp.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        return
    raw = path.read_bytes()
    _, encoding, problem = decode(raw, LOG)
    if problem:
        raise DecisionError(str(problem))
    writer.writerow([_log_cell(entry[c]) for c in LOG_COLUMNS])
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
        raise DecisionError("a decision needs the reviewer's name (expected reviewer=\"…\")", "请先填写审核人姓名")
    return entry


def _conflict(file: str, why: str, why_zh: str = "已被修改") -> DecisionError:
    return DecisionError(f"{file} {why} since this panel loaded it (another panel, or a person, changed it); "
                         "nothing was saved: reload the folder, check the item again, then decide",
                         f"本面板载入后，{file} {why_zh}（另一个面板或有人改动了它）；未保存：请点击“重新载入”，"
                         "再核对该事项后决定")


def _check_newer(log: pd.DataFrame, seen: int | None, file: str | None) -> None:
    if seen is None:
        return
    newer = log[log["id"] > seen]
    if file is not None:
        newer = newer[newer["file"] == file]
    if len(newer):
        first = newer.iloc[0]
        raise _conflict(first["file"], f"has decision {first['id']} by {first['reviewer']} at {first['time']}",
                        f"已有 {first['reviewer']} 于 {first['time']} 作出的第 {first['id']} 项决定")


def decide(folder: Path | str, file: str, row: int, field: str, value: str, *, reviewer: str,
           comment: str = "", expected_sha256: str | None = None, seen: int | None = None) -> Saved:
    """Set ``field`` of ``row`` of ``file`` to the text ``value`` and record it.

    ``expected_sha256``: the file's hash when the decision was prepared; a file that
    has changed since is refused. ``seen``: the last log id the caller knew; a
    decision recorded on the same file after it is refused too.
    """
    folder = Path(folder)
    _refuse_workbook(folder)
    _check_field(file, field, value)
    try:
        with _lock(folder):
            return _decide(folder, file, row, field, value, reviewer=reviewer, comment=comment,
                           expected_sha256=expected_sha256, seen=seen)
    except Timeout:
        raise DecisionError(f"{folder / HISTORY / 'lock'} is held by another save for over {LOCK_TIMEOUT} s; "
                            "nothing was saved: try again",
                            f"另一次保存占用 {folder / HISTORY / 'lock'} 已超过 {LOCK_TIMEOUT} 秒；未保存，请重试") from None


def _check_field(file: str, field: str, value: str) -> None:
    table = file.removesuffix(".csv")
    if table not in EDITABLE or field not in EDITABLE[table]:
        allowed = "; ".join(f"{t}.csv: {', '.join(fields)}" for t, fields in EDITABLE.items())
        raise DecisionError(f"the desk does not change {field!r} of {file} (expected one of {allowed})",
                            f"审核台不修改 {file} 的 {field} 列")
    try:
        check_text(field, value)
    except ValueError as exc:
        raise DecisionError(f"{file}: {exc}", f"{file}：{value!r} 不是有效的"
                            f"{ {'value': '数值', 'rating': '评分（0–100）'}.get(field, field)}") from None


def _decide(folder: Path, file: str, row: int, field: str, value: str, *, reviewer: str, comment: str,
            expected_sha256: str | None, seen: int | None) -> Saved:
    """:func:`decide` with the lock held (the caller holds it)."""
    _check_field(file, field, value)
    if not str(reviewer).strip():  # before anything is written
        raise DecisionError("a decision needs the reviewer's name (expected reviewer=\"…\")", "请先填写审核人姓名")
    table = file.removesuffix(".csv")
    path = folder / file
    raw = path.read_bytes()
    if expected_sha256 is not None and hashlib.sha256(raw).hexdigest() != expected_sha256:
        raise _conflict(file, "has changed on disk (its SHA-256 differs)", "在磁盘上已改变（SHA-256 不同）")
    log = read_log(folder)
    _check_newer(log, seen, file)
    text, encoding, problem = decode(raw, file)
    if problem:
        raise DecisionError(str(problem))
    try:
        new_text, old, cells = edit_text(text, int(row), field, value, table)
    except EditError as exc:
        raise DecisionError(f"{file} {exc}") from None
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


def _bring_back(folder: Path, file: str, version: str, expected: dict[str, str] | None) -> tuple[str, bytes]:
    """Put ``version`` (or, when empty, nothing) back in place of ``file``; return the
    version that keeps the replaced file ("" if nothing changed) and the bytes now."""
    path = folder / file
    raw = path.read_bytes()
    if expected is not None and file in expected and hashlib.sha256(raw).hexdigest() != expected[file]:
        raise _conflict(file, "has changed on disk (its SHA-256 differs)", "在磁盘上已改变（SHA-256 不同）")
    if not version:
        return "", raw
    source = version_path(folder, version)
    if not source.is_file():
        raise DecisionError(f"{source} is missing (expected the version {version} kept by an earlier decision)",
                            f"缺少历史版本 {source}")
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
            return _undo_last(folder, reviewer=reviewer, comment=comment, expected=expected, seen=seen)
    except Timeout:
        raise DecisionError(f"{folder / HISTORY / 'lock'} is held by another save; nothing was undone: "
                            "try again", "另一次保存正在进行；未撤销，请重试") from None


def _undo_last(folder: Path, *, reviewer: str, comment: str = "", expected: dict[str, str] | None = None,
               seen: int | None = None, only: int | None = None) -> Saved:
    """:func:`undo_last` with the lock held; ``only``: refuse unless the last decision
    in force is that one."""
    if not str(reviewer).strip():
        raise DecisionError("an undo needs the reviewer's name (expected reviewer=\"…\")", "请先填写审核人姓名")
    log = read_log(folder)
    _check_newer(log, seen, None)
    last = replay(log).last()
    if last is None:
        raise DecisionError(f"{folder} has no decision in force to undo", "没有可撤销的有效决定")
    if only is not None and last != only:
        raise DecisionError(f"decision {only} is not the last decision in force (decision {last} is): undo "
                            "the later decisions first",
                            f"第 {only} 项决定不是最后一项有效决定（最后一项是第 {last} 项）：请先撤销其后的决定")
    decision = log[log["id"] == last].iloc[0]
    collected = _collected_since(log, last, decision["file"])
    if collected:
        raise DecisionError(
            f"{decision['file']} was collected into after decision {last} (entry {collected[-1]}); undoing it would "
            "put back the file as it was before the decision and lose what the collection wrote: restore the "
            "version that collection kept first (wfscore history lists it), or decide the row again",
            f"第 {last} 项决定之后，{decision['file']} 又被汇总写入过（第 {collected[-1]} 条记录）；撤销会把文件恢复为"
            "该决定之前的样子，汇总写入的内容将丢失：请先恢复那次汇总保存的版本（wfscore history 可列出），或重新作出决定")
    kept, now = _bring_back(folder, decision["file"], decision["version"], expected)
    entry = _entry(log, reviewer=reviewer, action="undo", file=decision["file"], row=decision["row"],
                   dept_id=decision["dept_id"], item=decision["item"], field=decision["field"],
                   old_value=decision["new_value"], new_value=decision["old_value"],
                   comment=comment or f"undo of decision {last}", version=kept, ref=last)
    _append(folder, entry)
    return Saved(entry, decision["file"], hashlib.sha256(now).hexdigest(), bool(kept), now)


def _collected_since(log: pd.DataFrame, since: int, file: str) -> list[int]:
    """The collections that replaced ``file`` after entry ``since`` and were not restored
    away since."""
    later = log[(log["id"] > since) & (log["file"] == file)]
    restored = set(later.loc[later["action"] == "restore", "ref"])
    return [int(i) for i in later.loc[later["action"] == "collect", "id"] if int(i) not in restored]


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
                            "try again", "另一次保存正在进行；未恢复，请重试") from None
