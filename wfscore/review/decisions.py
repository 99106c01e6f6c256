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
  department, item, field, old and new value, comment, version, ref): rows are only
  ever added (the file is replaced atomically by itself plus the new row);
- the table, the log (and, for a dispute, ``disputes.csv``) are written as one step:
  the files as they will be are first written to a journal (``.history/journal.json``),
  then each file is moved into place, then the journal is removed. A process killed
  in between leaves the journal, and the next save, undo, restore or reading of the
  registers finishes it under the lock; so the tables, the log and the register
  always agree;
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

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from wfscore.inputs.files import decode, read_file
from wfscore.inputs.i18n import N_, NP_, Message, Said, joined, lazy, translations
from wfscore.inputs.output import inert_text, inside, staged
from wfscore.review.cell_edit import EditError, check_text, edit_text

LOG = "decisions.csv"
HISTORY = ".history"
LOG_COLUMNS = (
    "id",
    "time",
    "reviewer",
    "action",
    "file",
    "row",
    "dept_id",
    "item",
    "field",
    "old_value",
    "new_value",
    "comment",
    "version",
    "ref",
)
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
ITEM_FIELDS = {
    "exemptions": ("indicator", "reason"),
    "achievements": ("indicator", "title"),
    "incidents": ("date", "description"),
    "values": ("indicator",),
    "ratings": ("indicator", "expert"),
}
LOCK_TIMEOUT = 30  # seconds to wait for another panel's save
JOURNAL = "journal.json"  # under .history/: the files of a save not yet finished
REGISTER = "disputes.csv"  # as wfscore.review.disputes.FILE: the one other file a save writes
MAX_ID = 10**9  # ids of decisions.csv and disputes.csv are below this


class DecisionError(Exception):
    """A decision, undo or restore that was refused; nothing was written. The message
    says why and what to do; ``zh`` says it in Chinese (for the desk), where written."""

    def __init__(self, message: str | Message, zh: str | None = None):
        # a message given as its id and parameters (wfscore.inputs.i18n.lazy) is said in a
        # language when shown; ``str()`` is its English
        self.said = message if isinstance(message, Message) else None
        super().__init__(str(message))
        self._zh = zh

    @property
    def zh(self) -> str | None:
        return self.said.in_lang("zh") if self.said is not None else self._zh

    @property
    def message(self) -> Message | str:
        """The message as given: its id and parameters where it has them, else the English."""
        return self.said if self.said is not None else str(self)

    def in_lang(self, lang: str) -> str:
        """The message in ``lang``: from the gettext catalogue for a message given as its id;
        else the Chinese given with it, else the regex catalogue's."""
        if self.said is not None:
            return self.said.in_lang(lang)
        if lang != "zh":
            return str(self)
        if self._zh:
            return self._zh
        from wfscore.inputs.messages_zh import to_zh

        return to_zh(str(self)) or str(self)


# -- files ------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def workbook_of(folder: Path) -> str | None:
    """The workbook a year folder holds instead of CSV files, if any."""
    books = sorted(p.name for p in Path(folder).glob("*.xlsx") if not p.name.startswith("~$"))
    return books[0] if books else None


def refuse_workbook(folder: Path) -> None:
    book = workbook_of(folder)
    if book:
        raise DecisionError(
            f"{folder} holds its tables in the workbook {book}; the adjustments desk edits CSV year folders "
            "only and does not write workbooks (decide in Excel, or save the sheets as CSV files)",
            (
                f"{folder} 的数据在工作簿 {book} 中；审核台只修改 CSV 年度文件夹，不写工作簿（请在 Excel 中修改，"
                "或将各工作表另存为 CSV 文件）"
            ),
        )


_LOCKS: dict[str, FileLock] = {}


@contextmanager
def year_lock(folder: Path):
    """Hold the year's lock (re-entrant within a process); on first taking it, finish a
    save a killed process left in the journal."""
    (folder / HISTORY).mkdir(exist_ok=True)
    key = os.path.abspath(folder / HISTORY / "lock")
    lock = _LOCKS.setdefault(key, FileLock(key, timeout=LOCK_TIMEOUT))
    with lock:
        if lock.lock_counter == 1:
            _recover(folder)
        yield lock


def settle(folder: Path | str) -> None:
    """Finish an interrupted save of ``folder``, if a journal says there is one (under the
    lock); reading the registers calls this first."""
    folder = Path(folder)
    if not (folder / HISTORY / JOURNAL).is_file():
        return
    try:
        with year_lock(folder):
            pass
    except Timeout:
        raise DecisionError(
            f"{folder / HISTORY / 'lock'} is held by another save for over {LOCK_TIMEOUT} s; try again",
            f"另一次保存占用 {folder / HISTORY / 'lock'} 已超过 {LOCK_TIMEOUT} 秒，请重试",
        ) from None


def step(name: str) -> None:
    """A test hook between two writes (of a decision, a dispute, a collect): when
    ``WFSCORE_TEST_PAUSE_AT`` names this step, write the file ``WFSCORE_TEST_BARRIER`` and
    wait there, to be killed by the test, or to go on once ``<barrier>.go`` exists (at
    most two minutes)."""
    if os.environ.get("WFSCORE_TEST_PAUSE_AT") == name and os.environ.get("WFSCORE_TEST_BARRIER"):
        barrier = Path(os.environ["WFSCORE_TEST_BARRIER"])
        barrier.write_text(name, encoding="utf-8")
        go = barrier.with_name(barrier.name + ".go")
        for _ in range(2400):
            if go.exists():
                return
            time.sleep(0.05)


def commit(folder: Path, writes: dict[str, bytes]) -> None:
    """Write ``writes`` (file name in the year folder → its bytes) as one step: the journal
    first, then each file, then the journal removed. The caller holds the lock."""
    journal = folder / HISTORY / JOURNAL
    body = {"writes": {name: base64.b64encode(raw).decode("ascii") for name, raw in writes.items()}}
    with staged(journal) as (tmp,):
        tmp.write_text(json.dumps(body), encoding="utf-8")
    step("journal")
    _apply(folder, writes)
    journal.unlink()


def _apply(folder: Path, writes: dict[str, bytes]) -> None:
    for name, raw in writes.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != raw:
            _replace(path, raw)
        step(f"wrote {name}")


def _recover(folder: Path) -> None:
    """Finish the save the journal holds (the lock held): each file written as it says."""
    journal = folder / HISTORY / JOURNAL
    if not journal.is_file():
        return
    try:
        body = json.loads(journal.read_text(encoding="utf-8"))
        writes = {str(name): base64.b64decode(raw, validate=True) for name, raw in body["writes"].items()}
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
        raise DecisionError(
            f"{journal} cannot be read ({exc}); it holds a save that did not finish: compare the tables with "
            f"{LOG}, then remove the file",
            f"{journal} 无法读取（{exc}）；其中是一次未完成的保存：请核对各表与 {LOG} 后删除该文件",
        ) from None
    allowed = set(TABLE_FILES) | {LOG, REGISTER}
    strays = sorted(set(writes) - allowed)
    if strays:
        raise DecisionError(
            f"{journal} names {', '.join(map(repr, strays))} (expected only {', '.join(sorted(allowed))}); "
            "nothing was changed: remove the file",
            f"{journal} 中有 {', '.join(map(repr, strays))}（只应有 {', '.join(sorted(allowed))}）；"
            "未作任何修改：请删除该文件",
        )
    _apply(folder, writes)
    journal.unlink()


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def keep_version(folder: Path, file: str, raw: bytes) -> str:
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


def read_rows(path: Path, columns: tuple[str, ...], expected: str, error=None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a register wfscore writes (``decisions.csv``, ``disputes.csv``) as
    (line, {column: stripped text}), blank rows left out; ``expected`` says what the
    file is (a phrase of the catalogue); ``error`` (DecisionError by default) names
    the file, line, column and value of whatever is not as wfscore wrote it: undecodable or
    oversized text, a cell over the csv module's limit, a NUL, a row with more or fewer
    cells than the header (a file cut short), a missing column."""
    error = error or DecisionError
    name = path.name
    raw, problem = read_file(path, name, expected)
    text = None
    if problem is None:
        text, _, problem = decode(raw, name)
    if problem:
        raise error(lazy("{path}: {problem}", path=path, problem=Said(problem.message_in)))
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, line = [], 1
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise error(
                lazy(
                    "{path} line {line}: a cell is longer than {limit} characters (expected the file as "
                    "wfscore writes it, with shorter cells)",
                    path=path,
                    line=line,
                    limit=f"{csv.field_size_limit():,}",
                )
            ) from None
        raise error(
            lazy(
                "{path} line {line}: cannot be read as CSV: {error} (expected the file as wfscore writes it)",
                path=path,
                line=line,
                error=exc,
            )
        ) from None
    if not rows:
        raise error(lazy("{path} is empty (expected a header row: {columns})", path=path, columns=", ".join(columns)))
    header = [c.strip() for c in rows[0][1]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise error(
            lazy(
                "{path} has no column {missing} (expected {columns})",
                path=path,
                missing=", ".join(missing),
                columns=", ".join(columns),
            )
        )
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        raise error(
            lazy(
                "{path} line 1 names the column {column} twice (expected each column once)", path=path, column=twice[0]
            )
        )
    at = {c: header.index(c) for c in columns}
    out = []
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise error(
                lazy(
                    "{path} line {line} has {cells} cells (expected {header}, one per column of the header: "
                    "was the file cut short or edited?)",
                    path=path,
                    line=line,
                    cells=len(row),
                    header=len(header),
                )
            )
        cells = {c: row[k].strip() for c, k in at.items()}
        for c, v in cells.items():
            if "\x00" in v:
                raise error(
                    lazy(
                        "{path} line {line}, column {column}: {value!r} holds a NUL character (expected text)",
                        path=path,
                        line=line,
                        column=c,
                        value=v[:40],
                    )
                )
        out.append((line, cells))
    return out


ID = re.compile(r"[1-9][0-9]{0,8}")  # 1 to 999,999,999, ASCII digits only


def bad_cell(path: Path, line: int, column: str, value: str, expected: str, expected_zh: str) -> tuple[str, str]:
    """One problem of a register, in English and Chinese."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    return (
        f"{path} line {line}, column {column}: {shown!r} is not {expected}",
        f"{path} 第 {line} 行，{column} 列：{shown!r} 不是{expected_zh}",
    )


def bad_register_cell(path: Path, line: int, column: str, value: str, expected: Message) -> Message:
    """One problem of a register: its cell's ``value`` is not ``expected`` (a message id)."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    return lazy(
        "{path} line {line}, column {column}: {value!r} is not {expected}",
        path=path,
        line=line,
        column=column,
        value=shown,
        expected=expected,
    )


def refuse(problems: list, error, tail: str | Message, tail_zh: str | None = None):
    """Raise ``error`` with the first problems (at most 5), said in the language shown:
    each a message (:class:`~wfscore.inputs.i18n.Message`) or its English and Chinese;
    ``tail`` a message holding ``{problems}``, or English (and ``tail_zh`` Chinese) put after them."""
    if not problems:
        return
    more = len(problems) - 5
    parts = [p if isinstance(p, Message) else _pair(*p) for p in problems[:5]]
    said = joined(parts, more)
    if isinstance(tail, Message):
        tail.params["problems"] = said
        raise error(tail)
    raise error(Said(lambda lang: said.in_lang(lang) + (tail_zh if lang == "zh" else tail)))


def _pair(en: str, zh: str) -> Said:
    """A message written in English and Chinese at its call (not yet through the catalogue)."""
    return Said(lambda lang: zh if lang == "zh" else en)


def read_log(folder: Path | str) -> pd.DataFrame:
    """Every entry of ``decisions.csv`` in order (empty without the file); ``id`` and
    ``ref`` as integers (``ref`` 0 when empty). An entry not as wfscore writes it (an id
    that is not a new whole number, an unknown action, a path out of the year, a row
    cut short) is a DecisionError naming its line and column. A save a killed process
    left unfinished is finished first (:func:`settle`)."""
    folder = Path(folder)
    settle(folder)
    path = folder / LOG
    if not os.path.lexists(path):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in LOG_COLUMNS}).astype({"id": int, "ref": int})
    rows = read_rows(path, LOG_COLUMNS, "the log of decisions, a CSV file written by wfscore")
    problems: list[tuple[str, str]] = []
    seen: dict[int, int] = {}
    for line, cells in rows:
        for c in LOG_COLUMNS:
            cells[c] = _read_cell(cells[c])
        ident, ref, action = cells["id"], cells["ref"], cells["action"]
        if not ID.fullmatch(ident):
            problems.append(
                bad_cell(
                    path,
                    line,
                    "id",
                    ident,
                    "an entry's number (expected a whole number from 1 to 999999999, as wfscore writes it)",
                    "记录编号（应为 1 到 999999999 的整数）",
                )
            )
        elif int(ident) in seen:
            problems.append(
                (
                    f"{path} line {line}, column id: {ident!r} is the number of line {seen[int(ident)]} "
                    "too (expected each entry's number once)",
                    f"{path} 第 {line} 行，id 列：{ident!r} 与第 {seen[int(ident)]} 行重复（每个编号只应出现一次）",
                )
            )
        elif seen and int(ident) < max(seen):
            problems.append(
                bad_cell(
                    path,
                    line,
                    "id",
                    ident,
                    f"after {max(seen)} (expected the numbers in the order wfscore wrote them)",
                    f"大于 {max(seen)} 的编号（应按 wfscore 写入的顺序）",
                )
            )
        else:
            seen[int(ident)] = line
        if action not in ACTIONS:
            problems.append(
                bad_cell(
                    path,
                    line,
                    "action",
                    action,
                    f"an action (expected one of {', '.join(ACTIONS)})",
                    f"有效的操作（应为 {', '.join(ACTIONS)} 之一）",
                )
            )
        if action == "decide" and ref:
            problems.append(
                bad_cell(path, line, "ref", ref, "empty (expected no ref for a decision)", "空白（决定不引用其他记录）")
            )
        if action in ("undo", "restore") and not (
            ID.fullmatch(ref) and int(ref) in seen and int(ref) != int(ident if ID.fullmatch(ident) else 0)
        ):
            problems.append(
                bad_cell(
                    path,
                    line,
                    "ref",
                    ref,
                    "the number of an earlier entry (expected the entry this one undoes or restores before)",
                    "此前某条记录的编号（应为被撤销或恢复的记录）",
                )
            )
        if action in ("decide", "undo") and not ID.fullmatch(cells["row"]):
            problems.append(
                bad_cell(path, line, "row", cells["row"], "a line number (expected a whole number)", "行号（应为整数）")
            )
        try:
            dt.datetime.fromisoformat(cells["time"])
        except ValueError:
            problems.append(
                bad_cell(
                    path,
                    line,
                    "time",
                    cells["time"],
                    "a time (expected one as wfscore writes it, e.g. 2011-12-01T09:30:00+08:00)",
                    "时间（应为 wfscore 写入的格式，如 2011-12-01T09:30:00+08:00）",
                )
            )
    problems += _path_problems(rows, folder)
    refuse(
        problems,
        DecisionError,
        f"; nothing was changed ({LOG} is written by wfscore and must not be edited)",
        f"；未作任何修改（{LOG} 由 wfscore 写入，不得手工修改）",
    )
    frame = pd.DataFrame([cells for _, cells in rows], columns=list(LOG_COLUMNS), dtype=object)
    frame["id"] = frame["id"].astype(int)
    frame["ref"] = frame["ref"].replace("", "0").astype(int)
    return frame.reset_index(drop=True)


TABLE_FILES = tuple(f"{table}.csv" for table in EDITABLE) + ("website_eval.csv",)  # what a decision or collect concerns


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is below ``folder`` (:func:`wfscore.inputs.output.inside`, but not the folder itself)."""
    return inside(path, folder) and path.resolve() != folder.resolve()


def version_path(folder: Path, version: str) -> Path:
    """The file of ``version`` under ``folder/.history``; DecisionError unless it is a
    plain file name that resolves inside that folder (links included)."""
    history_dir = Path(folder) / HISTORY
    path = history_dir / version
    if (
        not version
        or version in (".", "..")
        or "/" in version
        or "\\" in version
        or "\x00" in version
        or not _inside(path, history_dir)
    ):
        raise DecisionError(f"{version!r} is not a version name (expected a file name inside {history_dir})")
    return path


def _path_problems(rows: list[tuple[int, dict[str, str]]], folder: Path) -> list[tuple[str, str]]:
    """Every path the log names stays inside the year: ``file`` one of the tables the desk
    edits, ``version`` a file of ``.history/``."""
    problems = []
    for line, row in rows:
        file, version = row["file"], row["version"]
        if file and (file not in TABLE_FILES or not _inside(folder / file, folder)):
            problems.append(
                (
                    f"{LOG} line {line}, column file: {file!r} is not a table of the year "
                    f"(expected one of {', '.join(TABLE_FILES)} in {folder})",
                    f"{LOG} 第 {line} 行，file 列：{file!r} 不是本年度的数据表（应为 {folder} 中的 "
                    f"{', '.join(TABLE_FILES)} 之一）",
                )
            )
        elif not file:
            problems.append(
                (
                    f"{LOG} line {line}, column file: '' is not a table of the year "
                    f"(expected one of {', '.join(TABLE_FILES)})",
                    f"{LOG} 第 {line} 行，file 列为空（应为 {', '.join(TABLE_FILES)} 之一）",
                )
            )
        if version:
            try:
                version_path(folder, version)
            except DecisionError:
                problems.append(
                    (
                        f"{LOG} line {line}, column version: {version!r} is not a version kept in "
                        f"{folder / HISTORY} (expected a file name there, as wfscore writes it)",
                        f"{LOG} 第 {line} 行，version 列：{version!r} 不是 {folder / HISTORY} 中保存的版本"
                        "（应为其中由 wfscore 写入的文件名）",
                    )
                )
    return problems


def _log_cell(value: object) -> str:
    """A cell of decisions.csv, which people open in Excel: text a spreadsheet would run as
    a formula gets an apostrophe in front, and so does text that starts with one, so that
    :func:`_read_cell` gives back exactly what was recorded."""
    return inert_text(str(value), reversible=True)


def _read_cell(value: object) -> object:
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def appended_log(folder: Path, *entries: dict) -> bytes:
    """decisions.csv with ``entries`` more at its end (every earlier byte kept)."""
    path = folder / LOG
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not path.exists():
        writer.writerow(LOG_COLUMNS)
        writer.writerows([_log_cell(entry[c]) for c in LOG_COLUMNS] for entry in entries)
        return buffer.getvalue().encode("utf-8-sig")  # with a BOM so that Excel reads it as UTF-8
    raw = path.read_bytes()
    _, encoding, problem = decode(raw, LOG)
    if problem:
        raise DecisionError(str(problem))
    writer.writerows([_log_cell(entry[c]) for c in LOG_COLUMNS] for entry in entries)
    text = ("" if raw.endswith((b"\n", b"\r")) else "\n") + buffer.getvalue()
    return raw + text.encode("utf-8" if encoding == "utf-8-sig" else encoding)


@dataclass(frozen=True)
class State:
    """The log replayed: which decisions are in force, and what each entry started from."""

    live: frozenset[int]  # ids of the decisions in force
    before: dict[int, tuple[int, ...]]  # per entry: the decisions in force on its file before it

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
    log["status"] = [
        ("in force" if e.id in state.live else "undone") if e.action == "decide" else "" for e in log.itertuples()
    ]
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

    entry: dict  # the row appended to decisions.csv
    file: str  # the table file it concerns
    sha256: str  # that file's SHA-256 now
    changed: bool  # whether the file's bytes changed
    raw: bytes = b""  # the file's bytes now


def _entry(log: pd.DataFrame, **fields) -> dict:
    entry = {c: "" for c in LOG_COLUMNS}
    entry.update(id=int(log["id"].max()) + 1 if len(log) else 1, time=_now().isoformat(timespec="seconds"))
    entry.update({k: "" if v is None else v for k, v in fields.items()})
    if not str(entry["reviewer"]).strip():
        raise DecisionError('a decision needs the reviewer\'s name (expected reviewer="…")', "请先填写审核人姓名")
    return entry


def _conflict(file: str, why: str, why_zh: str = "已被修改") -> DecisionError:
    return DecisionError(
        f"{file} {why} since this panel loaded it (another panel, or a person, changed it); "
        "nothing was saved: reload the folder, check the item again, then decide",
        f"本面板载入后，{file} {why_zh}（另一个面板或有人改动了它）；未保存：请点击“重新载入”，再核对该事项后决定",
    )


def _check_newer(log: pd.DataFrame, seen: int | None, file: str | None) -> None:
    if seen is None:
        return
    newer = log[log["id"] > seen]
    if file is not None:
        newer = newer[newer["file"] == file]
    if len(newer):
        first = newer.iloc[0]
        raise _conflict(
            first["file"],
            f"has decision {first['id']} by {first['reviewer']} at {first['time']}",
            f"已有 {first['reviewer']} 于 {first['time']} 作出的第 {first['id']} 项决定",
        )


def decide(
    folder: Path | str,
    file: str,
    row: int,
    field: str,
    value: str,
    *,
    reviewer: str,
    comment: str = "",
    expected_sha256: str | None = None,
    seen: int | None = None,
) -> Saved:
    """Set ``field`` of ``row`` of ``file`` to the text ``value`` and record it.

    ``expected_sha256``: the file's hash when the decision was prepared; a file that
    has changed since is refused. ``seen``: the last log id the caller knew; a
    decision recorded on the same file after it is refused too.
    """
    folder = Path(folder)
    refuse_workbook(folder)
    check_field(file, field, value)
    try:
        with year_lock(folder):
            return _decide(
                folder,
                file,
                row,
                field,
                value,
                reviewer=reviewer,
                comment=comment,
                expected_sha256=expected_sha256,
                seen=seen,
            )
    except Timeout:
        raise DecisionError(
            f"{folder / HISTORY / 'lock'} is held by another save for over {LOCK_TIMEOUT} s; "
            "nothing was saved: try again",
            f"另一次保存占用 {folder / HISTORY / 'lock'} 已超过 {LOCK_TIMEOUT} 秒；未保存，请重试",
        ) from None


def check_field(file: str, field: str, value: str) -> None:
    table = file.removesuffix(".csv")
    if table not in EDITABLE or field not in EDITABLE[table]:
        allowed = "; ".join(f"{t}.csv: {', '.join(fields)}" for t, fields in EDITABLE.items())
        raise DecisionError(
            f"the desk does not change {field!r} of {file} (expected one of {allowed})",
            f"审核台不修改 {file} 的 {field} 列",
        )
    try:
        check_text(field, value)
    except ValueError as exc:
        raise DecisionError(
            f"{file}: {exc}",
            f"{file}：{value!r} 不是有效的{ {'value': '数值', 'rating': '评分（0–100）'}.get(field, field) }",
        ) from None


def _decide(
    folder: Path,
    file: str,
    row: int,
    field: str,
    value: str,
    *,
    reviewer: str,
    comment: str,
    expected_sha256: str | None,
    seen: int | None,
) -> Saved:
    """:func:`decide` with the lock held (the caller holds it)."""
    saved, writes = plan_decide(
        folder, file, row, field, value, reviewer=reviewer, comment=comment, expected_sha256=expected_sha256, seen=seen
    )
    commit(folder, writes)
    return saved


def plan_decide(
    folder: Path,
    file: str,
    row: int,
    field: str,
    value: str,
    *,
    reviewer: str,
    comment: str,
    expected_sha256: str | None,
    seen: int | None,
) -> tuple[Saved, dict[str, bytes]]:
    """What :func:`decide` writes (file name → bytes), the version of the table as it was
    already kept; nothing else is written. The caller holds the lock."""
    check_field(file, field, value)
    if not str(reviewer).strip():  # before anything is written
        raise DecisionError('a decision needs the reviewer\'s name (expected reviewer="…")', "请先填写审核人姓名")
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
        version = keep_version(folder, file, raw)
        step("kept version")
    entry = _entry(
        log,
        reviewer=reviewer,
        action="decide",
        file=file,
        row=int(row),
        dept_id=cells.get("dept_id", ""),
        item=" ".join(cells.get(f, "") for f in ITEM_FIELDS[table]).strip(),
        field=field,
        old_value=old,
        new_value=value,
        comment=comment,
        version=version,
    )
    writes = {file: new_raw} if new_raw != raw else {}
    writes[LOG] = appended_log(folder, entry)
    return Saved(entry, file, hashlib.sha256(new_raw).hexdigest(), new_raw != raw, new_raw), writes


def _bring_back(folder: Path, file: str, version: str, expected: dict[str, str] | None) -> tuple[str, bytes]:
    """The bytes of ``version`` (or, when empty, of ``file`` as it is) to put in place of
    ``file``, and the version that keeps the file replaced ("" if nothing changes),
    already written."""
    path = folder / file
    raw = path.read_bytes()
    if expected is not None and file in expected and hashlib.sha256(raw).hexdigest() != expected[file]:
        raise _conflict(file, "has changed on disk (its SHA-256 differs)", "在磁盘上已改变（SHA-256 不同）")
    if not version:
        return "", raw
    source = version_path(folder, version)
    if not source.is_file():
        raise DecisionError(
            f"{source} is missing (expected the version {version} kept by an earlier decision)",
            f"缺少历史版本 {source}",
        )
    old = source.read_bytes()
    if old == raw:
        return "", raw
    kept = keep_version(folder, file, raw)
    step("kept version")
    return kept, old


def undo_last(
    folder: Path | str,
    *,
    reviewer: str,
    comment: str = "",
    expected: dict[str, str] | None = None,
    seen: int | None = None,
) -> Saved:
    """Undo the last decision in force: its file back byte for byte as it was before it.

    ``expected``: file → SHA-256 the caller last saw (a file changed since is refused);
    ``seen``: the last log id the caller knew (any entry after it is refused: the
    last decision would not be the one the caller shows).
    """
    folder = Path(folder)
    refuse_workbook(folder)
    try:
        with year_lock(folder):
            return _undo_last(folder, reviewer=reviewer, comment=comment, expected=expected, seen=seen)
    except Timeout:
        raise DecisionError(
            f"{folder / HISTORY / 'lock'} is held by another save; nothing was undone: try again",
            "另一次保存正在进行；未撤销，请重试",
        ) from None


def _undo_last(
    folder: Path, *, reviewer: str, comment: str = "", expected: dict[str, str] | None = None, seen: int | None = None
) -> Saved:
    """:func:`undo_last` with the lock held."""
    saved, writes = plan_undo(folder, reviewer=reviewer, comment=comment, expected=expected, seen=seen)
    commit(folder, writes)
    return saved


def last_in_force(folder: Path | str) -> int | None:
    """The id of the last decision in force, None without one."""
    return replay(read_log(folder)).last()


def plan_undo(
    folder: Path,
    *,
    reviewer: str,
    comment: str = "",
    expected: dict[str, str] | None = None,
    seen: int | None = None,
    only: int | None = None,
) -> tuple[Saved, dict[str, bytes]]:
    """What :func:`undo_last` writes (see :func:`plan_decide`); ``only``: refuse unless
    the last decision in force is that one."""
    if not str(reviewer).strip():
        raise DecisionError('an undo needs the reviewer\'s name (expected reviewer="…")', "请先填写审核人姓名")
    log = read_log(folder)
    _check_newer(log, seen, None)
    last = replay(log).last()
    if last is None:
        raise DecisionError(f"{folder} has no decision in force to undo", "没有可撤销的有效决定")
    if only is not None and last != only:
        raise DecisionError(
            f"decision {only} is not the last decision in force (decision {last} is): undo the later decisions first",
            f"第 {only} 项决定不是最后一项有效决定（最后一项是第 {last} 项）：请先撤销其后的决定",
        )
    decision = log[log["id"] == last].iloc[0]
    collected = _collected_since(log, last, decision["file"])
    if collected:
        raise DecisionError(
            f"{decision['file']} was collected into after decision {last} (entry {collected[-1]}); undoing it would "
            "put back the file as it was before the decision and lose what the collection wrote: restore the "
            "version that collection kept first (wfscore history lists it), or decide the row again",
            f"第 {last} 项决定之后，{decision['file']} 又被汇总写入过（第 {collected[-1]} 条记录）；撤销会把文件恢复为"
            "该决定之前的样子，汇总写入的内容将丢失：请先恢复那次汇总保存的版本（wfscore history 可列出），"
            "或重新作出决定",
        )
    kept, now = _bring_back(folder, decision["file"], decision["version"], expected)
    if not kept and (decision["version"] or decision["old_value"] != decision["new_value"]):
        # the decision changed its file, yet undoing it would change nothing: the log is out of step
        raise DecisionError(
            f"{LOG} says decision {last} ({decision['file']} line {decision['row']}, {decision['field']} "
            f"{decision['old_value']} -> {decision['new_value']}) is in force, but {decision['file']} is already "
            f"as it was before it: {LOG} was cut short or edited (an entry after it is missing?); nothing was "
            f"undone: compare {LOG} with the versions in {folder / HISTORY}",
            f"{LOG} 记载第 {last} 项决定（{decision['file']} 第 {decision['row']} 行，{decision['field']} "
            f"{decision['old_value']} → {decision['new_value']}）仍然有效，但 {decision['file']} 已是该决定之前的样子："
            f"{LOG} 被截断或改动过（其后的记录缺失？）；未撤销：请将 {LOG} 与 {folder / HISTORY} 中的版本核对",
        )
    entry = _entry(
        log,
        reviewer=reviewer,
        action="undo",
        file=decision["file"],
        row=decision["row"],
        dept_id=decision["dept_id"],
        item=decision["item"],
        field=decision["field"],
        old_value=decision["new_value"],
        new_value=decision["old_value"],
        comment=comment or f"undo of decision {last}",
        version=kept,
        ref=last,
    )
    writes = {decision["file"]: now} if kept else {}
    writes[LOG] = appended_log(folder, entry)
    return Saved(entry, decision["file"], hashlib.sha256(now).hexdigest(), bool(kept), now), writes


def _collected_since(log: pd.DataFrame, since: int, file: str) -> list[int]:
    """The collections that replaced ``file`` after entry ``since`` and were not restored
    away since."""
    later = log[(log["id"] > since) & (log["file"] == file)]
    restored = set(later.loc[later["action"] == "restore", "ref"])
    return [int(i) for i in later.loc[later["action"] == "collect", "id"] if int(i) not in restored]


def restore(
    folder: Path | str, version: str, *, reviewer: str, comment: str = "", expected: dict[str, str] | None = None
) -> Saved:
    """Put an earlier version of a file back (the decisions made on it since are no
    longer in force); the file it replaces is kept as a version too."""
    folder = Path(folder)
    refuse_workbook(folder)
    try:
        with year_lock(folder):
            log = read_log(folder)
            made = log[log["version"] == version] if version else log.iloc[:0]
            if made.empty:
                known = [v for v in log["version"] if v]
                raise DecisionError(
                    f"{version!r} is not a version of {folder} (expected one of the versions `wfscore history "
                    f"{folder}` lists" + (f", e.g. {known[-1]}" if known else "; there are none yet") + ")"
                )
            origin = made.iloc[0]
            kept, now = _bring_back(folder, origin["file"], version, expected)
            entry = _entry(
                log,
                reviewer=reviewer,
                action="restore",
                file=origin["file"],
                new_value=version,
                comment=comment or f"{origin['file']} as it was before entry {origin['id']}",
                version=kept,
                ref=origin["id"],
            )
            writes = {origin["file"]: now} if kept else {}
            writes[LOG] = appended_log(folder, entry)
            commit(folder, writes)
            return Saved(entry, origin["file"], hashlib.sha256(now).hexdigest(), bool(kept), now)
    except Timeout:
        raise DecisionError(
            f"{folder / HISTORY / 'lock'} is held by another save; nothing was restored: try again",
            "另一次保存正在进行；未恢复，请重试",
        ) from None


# -- the words of a listing -------------------------------------------------

FIELDS = (
    NP_("decision field", "value"),
    NP_("decision field", "rating"),
    NP_("decision field", "confirmed"),
    NP_("decision field", "severity"),
)
# the file's words for true/false and the severities
_WORDS = (
    NP_("decision word", "true"),
    NP_("decision word", "false"),
    NP_("decision word", "yes"),
    NP_("decision word", "no"),
    NP_("decision word", "ordinary"),
    NP_("decision word", "major"),
)


def change_text(field: str, old: str, new: str, lang: str, arrow: str = "->") -> str:
    """``value 1.35 -> 1.60``, ``confirmed false -> true``; in Chinese ``数值 1.35 → 1.60``,
    ``是否确认 否 → 是`` (the file's words for true/false and the severities said in the
    language; the catalogue's words, :mod:`wfscore.inputs.i18n`)."""
    if not field:
        return ""
    tr = translations(lang)
    if arrow == "->":
        arrow = tr.pgettext("change arrow", "->")
    said = []
    for v in (old, new):
        key = str(v).strip().casefold()
        word = tr.pgettext("decision word", key) if key in _WORDS else key
        said.append(v if word == key else word)
    name = tr.pgettext("decision field", field) if field in FIELDS else field
    return f"{name} {said[0]} {arrow} {said[1]}"


# the comments wfscore writes itself into decisions.csv (in English), read back to be said
_COMMENTS = (
    (re.compile(r"undo of decision (?P<id>\d+)"), N_("undo of decision {id}")),
    (re.compile(r"undo of dispute (?P<id>\d+)"), N_("undo of dispute {id}")),
    (re.compile(r"dispute (?P<id>\d+): (?P<reply>.*)", re.S), N_("dispute {id}: {reply}")),
    (re.compile(r"(?P<file>\S+) as it was before entry (?P<entry>\d+)"), N_("{file} as it was before entry {entry}")),
)


def comment_text(comment: str, lang: str) -> str:
    """A comment wfscore wrote itself into decisions.csv (``undo of decision 3``,
    ``dispute 2: reply``), said in ``lang``; a person's own comment as it is."""
    for pattern, msgid in _COMMENTS:
        found = pattern.fullmatch(str(comment))
        if found:
            return Message(msgid, **found.groupdict()).in_lang(lang)
    return str(comment)
