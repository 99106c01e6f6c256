"""The year's dispute register (复核): what departments contest after the results, and
what the office decided.

A dispute names a department, an item and what the department claims, with a
reference to its evidence. Items are of five kinds:

=========== ======================== ============================== =======================
kind        names the item by        upholding writes               the corrected value
=========== ======================== ============================== =======================
value       indicator                ``values.csv`` ``value``       a number (required)
rating      indicator, expert        ``ratings.csv`` ``rating``     a number 0–100 (required)
exemption   row of exemptions.csv    ``confirmed``                  true (default) or false
achievement row of achievements.csv  ``confirmed``                  true (default) or false
incident    row of incidents.csv     ``confirmed`` or ``severity``  false (default: does not
                                                                    stand), true, ordinary, major
=========== ======================== ============================== =======================

The register is ``disputes.csv`` in the year's folder (UTF-8 with a BOM, so that Excel
reads it; rewritten whole and atomically on every change, under the same lock as the
decisions, and written with the table and ``decisions.csv`` as one step: see
:mod:`wfscore.review.decisions`): ``id, dept_id, kind, indicator, expert, row, claim, evidence, corrected,
state, opened, decided, reply, decided_by, decision``. ``state`` is ``open``, ``upheld``
or ``rejected``; ``decision`` is the id of the ``decisions.csv`` entry an upheld dispute
wrote. The loader does not read the register: an open or rejected dispute changes no
score; only upholding one does, by changing one cell of an input table through
:mod:`wfscore.review.decisions` (version kept under ``.history/``, a row in
``decisions.csv``, undoable). :func:`undo` takes an upheld dispute back: the table
file byte for byte as it was, the dispute open again.

Before an uphold writes anything, the year is rebuilt in memory with the correction
(:func:`wfscore.inputs.loading.rebuild`): a value the loader would refuse (a rating
above 100, a direct value above its indicator's weight) is refused with the loader's
message, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from filelock import Timeout

from wfscore.engine.pipeline import score
from wfscore.engine.result import Result
from wfscore.inputs.aliases import severity_id
from wfscore.inputs.i18n import Message, Said, joined, lazy
from wfscore.inputs.loading import YearData, load_year, rebuild
from wfscore.inputs.output import inert_text
from wfscore.inputs.problems import InputError
from wfscore.inputs.validation import FALSE_WORDS, SEVERITIES, TRUE_WORDS
from wfscore.review import decisions
from wfscore.review.cell_edit import cell_text, edit_frame
from wfscore.review.decisions import HISTORY, LOCK_TIMEOUT, DecisionError, Saved
from wfscore.review.items import Effect, effect

FILE = "disputes.csv"
COLUMNS = (
    "id",
    "dept_id",
    "kind",
    "indicator",
    "expert",
    "row",
    "claim",
    "evidence",
    "corrected",
    "state",
    "opened",
    "decided",
    "reply",
    "decided_by",
    "decision",
)
KINDS = ("value", "rating", "exemption", "achievement", "incident")
TABLE_OF = {
    "value": "values",
    "rating": "ratings",
    "exemption": "exemptions",
    "achievement": "achievements",
    "incident": "incidents",
}
STATES = ("open", "upheld", "rejected")
# The one vocabulary of disputes (复核申请), in the command line, the desk and the listing:
# a dispute is upheld (支持) or rejected (驳回).
STATE_ZH = {"open": "待处理", "upheld": "已支持", "rejected": "已驳回"}
KIND_ZH = {
    "value": "指标数值",
    "rating": "专家评分",
    "exemption": "不适用申请",
    "achievement": "奖励成果",
    "incident": "安全事故",
}
COLUMN_ZH = {
    "id": "编号",
    "dept_id": "部门编号",
    "name": "部门",
    "kind": "类别",
    "indicator": "指标",
    "expert": "专家",
    "row": "行号",
    "claim": "部门主张",
    "evidence": "证据",
    "corrected": "更正为",
    "state": "状态",
    "opened": "登记时间",
    "decided": "决定时间",
    "reply": "答复",
    "decided_by": "决定人",
    "decision": "决定编号",
}
# Cells that name things of the year (kept exactly as they are, but written inert for a
# spreadsheet: an apostrophe in front of formula-leading text, taken off when read).
NAME_COLUMNS = ("dept_id", "indicator", "expert", "row", "corrected", "decided_by", "decision")
DEFAULT_CORRECTION = {"exemption": "true", "achievement": "true", "incident": "false"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class DisputeError(DecisionError):
    """A dispute that cannot be opened, decided or undone; nothing was written. Its message
    is a message id with parameters (:func:`wfscore.inputs.i18n.lazy`), said in the language
    it is shown in (:meth:`in_lang`)."""


def _state(state: str) -> Message:
    """A dispute's state said in the language shown (待处理, 已支持, 已驳回)."""
    return Message(state, context="dispute state")


def _kind(kind: str) -> Message:
    """A kind of dispute said in the language shown (指标数值, 专家评分, …)."""
    return Message(kind, context="dispute kind")


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def clean_text(text: str) -> str:
    """Free text for the register: control characters become spaces, and a cell that a
    spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@`` and their full-width
    forms ``＝＋－＠``: :data:`wfscore.inputs.output.FORMULA_START`) gets a leading ``'``."""
    return inert_text(_CONTROL.sub(" ", str(text)).strip())


# -- the register -----------------------------------------------------------


def read_register(folder: Path | str) -> pd.DataFrame:
    """Every dispute of the year, in file order (empty, with the columns, without the
    file); every cell a stripped string, ``id`` an integer. A register not as wfscore
    writes it is a DisputeError naming the line, column and value (and what was expected)."""
    folder = Path(folder)
    decisions.settle(folder)
    path = folder / FILE
    if not os.path.lexists(path):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS}).astype({"id": int})
    rows = decisions.read_rows(path, COLUMNS, "the register of disputes, a CSV file written by wfscore", DisputeError)
    problems: list[tuple[str, str]] = []
    seen: dict[int, int] = {}
    bad = decisions.bad_register_cell
    for line, cells in rows:
        for c in NAME_COLUMNS:
            cells[c] = _read_name(cells[c])
        ident, state, kind, decision = cells["id"], cells["state"], cells["kind"], cells["decision"]
        if not decisions.ID.fullmatch(ident):
            problems.append(
                bad(
                    path,
                    line,
                    "id",
                    ident,
                    lazy("a dispute's number (expected a whole number from 1 to 999999999)"),
                )
            )
        elif int(ident) in seen:
            problems.append(
                lazy(
                    "{path} line {line}, column id: {id!r} is the number of line {first} too "
                    "(expected each dispute's number once)",
                    path=path,
                    line=line,
                    id=ident,
                    first=seen[int(ident)],
                )
            )
        else:
            seen[int(ident)] = line
        if state not in STATES:
            problems.append(
                bad(
                    path,
                    line,
                    "state",
                    state,
                    lazy("a state (expected one of {states})", states=", ".join(STATES)),
                )
            )
        if kind not in KINDS:
            problems.append(
                bad(
                    path,
                    line,
                    "kind",
                    kind,
                    lazy("a kind (expected one of {kinds})", kinds=", ".join(KINDS)),
                )
            )
        if not cells["dept_id"]:
            problems.append(bad(path, line, "dept_id", "", lazy("a department (expected its dept_id)")))
        if cells["row"] and not decisions.ID.fullmatch(cells["row"]):
            problems.append(
                bad(
                    path,
                    line,
                    "row",
                    cells["row"],
                    lazy("a line number (expected a whole number, or empty)"),
                )
            )
        if state == "upheld" and not decisions.ID.fullmatch(decision):
            problems.append(
                bad(
                    path,
                    line,
                    "decision",
                    decision,
                    lazy("the number of a decision of decisions.csv (expected one for an upheld dispute)"),
                )
            )
        elif state != "upheld" and decision:
            problems.append(
                bad(
                    path,
                    line,
                    "decision",
                    decision,
                    lazy("empty (expected no decision for a {state} dispute)", state=_state(state)),
                )
            )
    decisions.refuse(
        problems,
        DisputeError,
        lazy("{problems} ({file} is written by wfscore: correct it, or put back a copy)", file=FILE),
    )
    frame = pd.DataFrame([cells for _, cells in rows], columns=list(COLUMNS), dtype=object)
    frame["id"] = frame["id"].astype(int)
    return frame


def _read_name(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _name_cell(text: str) -> str:
    return inert_text(text, reversible=True)


def _register_bytes(frame: pd.DataFrame) -> bytes:
    """The register as written: UTF-8 with a BOM; every cell inert in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in frame[list(COLUMNS)].itertuples(index=False):
        cells = ["" if v is None else str(v) for v in row]
        writer.writerow([_name_cell(v) if c in NAME_COLUMNS else clean_text_cell(v) for c, v in zip(COLUMNS, cells)])
    return buffer.getvalue().encode("utf-8-sig")


def clean_text_cell(text: str) -> str:
    """A free-text cell (already :func:`clean_text`) as written; formula-leading text (a
    hand-edited register read back) gets its apostrophe."""
    return inert_text(text)


def _write_register(folder: Path, frame: pd.DataFrame, writes: dict[str, bytes] | None = None) -> None:
    """Write the register (with ``writes``, the table and log of a decision, as one step)."""
    decisions.commit(folder, {**(writes or {}), FILE: _register_bytes(frame)})


def department_names(folder: Path | str) -> dict[str, str]:
    """dept_id → name from the year's departments.csv, for a listing; empty when the file
    cannot be read (the listing then shows the ids alone)."""
    from wfscore.inputs.files import decode, parse_csv, read_file

    path = Path(folder) / "departments.csv"
    raw, problem = read_file(path, "departments.csv", "the year's departments")
    if problem is not None:
        return {}
    text, _, problem = decode(raw, "departments.csv")
    if problem is not None:
        return {}
    frame, problems = parse_csv(text, "departments", "departments.csv")
    if frame is None or "dept_id" not in frame or "name" not in frame:
        return {}
    return dict(zip(frame["dept_id"].astype(str), frame["name"].astype(str)))


def undone_elsewhere(folder: Path | str, register: pd.DataFrame) -> list[int]:
    """Upheld disputes whose decision is no longer in force (undone or restored away
    with ``wfscore restore`` rather than :func:`undo`): their correction no longer counts."""
    upheld = register[register["state"] == "upheld"]
    if upheld.empty:
        return []
    live = {str(i) for i in decisions.replay(decisions.read_log(folder)).live}
    return [int(i) for i, d in zip(upheld["id"], upheld["decision"]) if d not in live]


def disputes_of(year_dir: Path | str, dept_id: str) -> pd.DataFrame:
    """One department's disputes, in the register's order (the columns of
    ``disputes.csv``); empty when it has none or the year has no register."""
    frame = read_register(year_dir)
    return frame[frame["dept_id"] == str(dept_id)].reset_index(drop=True)


# -- what a dispute is about ------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The cell an upheld dispute writes."""

    table: str  # values, ratings, exemptions, …
    line: int  # the row as a spreadsheet shows it
    field: str  # value, rating, confirmed, severity
    text: str  # the cell text it writes

    @property
    def file(self) -> str:
        return f"{self.table}.csv"


def table_line(data: YearData, kind: str, dept_id: str, indicator: str, expert: str, row: str) -> int:
    table = data.tables[TABLE_OF[kind]]
    if kind in ("value", "rating"):
        match = (table["dept_id"] == dept_id) & (table["indicator"] == indicator)
        if kind == "rating":
            match &= table["expert"] == expert
        found = table.index[match]
        if len(found) != 1:
            where = {"table": TABLE_OF[kind], "dept": dept_id, "indicator": indicator}
            if kind == "rating":
                raise DisputeError(
                    lazy(
                        "{table}.csv has no row for {dept}, indicator {indicator}, expert {expert} (a dispute "
                        "corrects a row the file has; a missing row is added by hand)",
                        **where,
                        expert=expert,
                    )
                )
            raise DisputeError(
                lazy(
                    "{table}.csv has no row for {dept}, indicator {indicator} (a dispute corrects a row the "
                    "file has; a missing row is added by hand)",
                    **where,
                )
            )
        return int(found[0])
    try:
        line = int(str(row).strip())
    except ValueError:
        raise DisputeError(
            lazy(
                "a dispute of an {kind} names its row of {table}.csv (a line number as a spreadsheet shows "
                "it), not {row!r}",
                kind=_kind(kind),
                table=TABLE_OF[kind],
                row=row,
            )
        ) from None
    if line not in table.index:
        raise DisputeError(lazy("{table}.csv has no row on line {line}", table=TABLE_OF[kind], line=line))
    if table.loc[line, "dept_id"] != dept_id:
        raise DisputeError(
            lazy(
                "line {line} of {table}.csv is {owner}'s, not {dept}'s",
                line=line,
                table=TABLE_OF[kind],
                owner=table.loc[line, "dept_id"],
                dept=dept_id,
            )
        )
    return line


def target(data: YearData, dispute, corrected: str | None = None) -> Target:
    """The cell that upholding ``dispute`` (a register row) with ``corrected`` writes."""
    kind = dispute["kind"]
    line = table_line(data, kind, dispute["dept_id"], dispute["indicator"], dispute["expert"], dispute["row"])
    table = TABLE_OF[kind]
    corrected = str(DEFAULT_CORRECTION.get(kind, "") if corrected in (None, "") else corrected).strip()
    if kind in ("value", "rating"):
        if not corrected:
            raise DisputeError(
                lazy("upholding a dispute of a value needs the corrected value")
                if kind == "value"
                else lazy("upholding a dispute of a rating needs the corrected rating")
            )
        field = kind
        text = corrected
    elif kind == "incident" and str(severity_id(corrected)).casefold() in SEVERITIES:  # major, 重大
        field = "severity"
        text = cell_text("severity", str(severity_id(corrected)).casefold(), data.tables[table].loc[line, "severity"])
    else:
        low = corrected.casefold()
        if low not in TRUE_WORDS | FALSE_WORDS:
            allowed = "true, false" + (", ordinary, major" if kind == "incident" else "")
            raise DisputeError(
                lazy(
                    "{corrected!r} is not a correction of an {kind} (expected one of {allowed})",
                    corrected=corrected,
                    kind=_kind(kind),
                    allowed=allowed,
                )
            )
        frame = data.tables[table]
        field = "confirmed"
        text = cell_text("confirmed", low in TRUE_WORDS, frame.loc[line, "confirmed"] if "confirmed" in frame else "")
    try:
        decisions.check_field(f"{table}.csv", field, text)
    except DecisionError as exc:
        raise DisputeError(exc.message, exc.zh) from None
    return Target(table, line, field, text)


def after(data: YearData, aim: Target) -> YearData:
    """The year with the correction made in memory; the loader's checks refuse a value
    it would not read (DisputeError with its messages)."""
    try:
        return rebuild(data, **{aim.table: edit_frame(data.tables[aim.table], aim.line, aim.field, aim.text)})
    except InputError as exc:
        errors = exc.errors or exc.problems
        raise DisputeError(
            lazy(
                "the correction {field}={text!r} on line {line} of {file} is refused: {problems}",
                field=Message(aim.field, context="decision field"),
                text=aim.text,
                line=aim.line,
                file=aim.file,
                problems=joined(_said(p) for p in errors) if errors else str(exc),
            )
        ) from None


def _said(problem) -> Said:
    """A problem of the year's tables said in the language shown, where it is and what is wrong."""
    return Said(lambda lang: problem_zh(problem) if lang == "zh" else str(problem))


def problem_zh(problem) -> str:
    where = problem.source + (f" 第 {problem.line} 行" if problem.line is not None else "")
    where += f"，{problem.column} 列" if problem.column is not None else ""
    what = problem.message_in("zh")
    return f"{where}：" + (what if problem.value is None else f"{problem.value!r} {what}")


def preview(data: YearData, result: Result, dispute, corrected: str | None = None) -> tuple[Target, Effect]:
    """What upholding ``dispute`` with ``corrected`` would do: its department's total,
    rank, effective weights and eligibility, the excellence list, and how many other
    departments' totals move (through an indicator's base). Nothing is written."""
    aim = target(data, dispute, corrected)
    d = int((data.dept_ids == dispute["dept_id"]).nonzero()[0][0])
    return aim, effect(result, score(after(data, aim)), d)


# -- open, uphold, reject, undo ---------------------------------------------


def _locked(folder: Path, what: str):
    decisions.refuse_workbook(folder)
    return decisions.year_lock(folder)


def _timeout(folder: Path, what: str) -> DisputeError:
    lock = folder / HISTORY / "lock"
    if what == "opened":
        return DisputeError(
            lazy(
                "{lock} is held by another save for over {seconds} s; nothing was opened: try again",
                lock=lock,
                seconds=LOCK_TIMEOUT,
            )
        )
    if what == "undone":
        return DisputeError(
            lazy(
                "{lock} is held by another save for over {seconds} s; nothing was undone: try again",
                lock=lock,
                seconds=LOCK_TIMEOUT,
            )
        )
    return DisputeError(
        lazy(
            "{lock} is held by another save for over {seconds} s; nothing was saved: try again",
            lock=lock,
            seconds=LOCK_TIMEOUT,
        )
    )


def open_dispute(
    folder: Path | str,
    dept_id: str,
    kind: str,
    *,
    claim: str,
    evidence: str = "",
    indicator: str = "",
    expert: str = "",
    row: str | int = "",
    data: YearData | None = None,
) -> dict:
    """Add an open dispute to the register; return its row. The department and the
    item must exist in the year (``data``: the year as loaded, else it is loaded)."""
    folder = Path(folder)
    if kind not in KINDS:
        raise DisputeError(
            lazy("{kind!r} is not a kind of dispute (expected one of {kinds})", kind=kind, kinds=", ".join(KINDS))
        )
    if not str(claim).strip():
        raise DisputeError(lazy('a dispute needs the department\'s claim (expected claim="…")'))
    data = load_year(folder) if data is None else data
    dept_id = str(dept_id).strip()
    if dept_id not in set(data.dept_ids):
        raise DisputeError(
            lazy("{dept!r} is not a department of departments.csv (expected one of its dept_id values)", dept=dept_id)
        )
    indicator, expert = str(indicator).strip(), str(expert).strip()
    row = str(row).strip()
    line = table_line(data, kind, dept_id, indicator, expert, row)
    if kind in ("exemption", "achievement", "incident"):
        row = str(line)
        table = data.tables[TABLE_OF[kind]]
        indicator = table.loc[line, "indicator"] if "indicator" in table else ""
    else:
        row = ""
    try:
        with _locked(folder, "opened"):
            register = read_register(folder)
            entry = {c: "" for c in COLUMNS}
            entry.update(
                id=int(register["id"].max()) + 1 if len(register) else 1,
                dept_id=dept_id,
                kind=kind,
                indicator=indicator,
                expert=expert if kind == "rating" else "",
                row=row,
                claim=clean_text(claim),
                evidence=clean_text(evidence),
                state="open",
                opened=_now(),
            )
            _write_register(folder, pd.concat([register, pd.DataFrame([entry])], ignore_index=True))
            return entry
    except Timeout:
        raise _timeout(folder, "opened") from None


def _open_one(register: pd.DataFrame, ident: int, folder: Path, state: str = "open") -> int:
    found = register.index[register["id"] == int(ident)]
    if not len(found):
        raise DisputeError(lazy("{file} has no dispute {id}", file=folder / FILE, id=ident))
    k = found[0]
    if register.at[k, "state"] != state:
        now = _state(register.at[k, "state"])
        if state == "open":
            raise DisputeError(
                lazy(
                    "dispute {id} is {state} (expected {expected}): reload the register",
                    id=ident,
                    state=now,
                    expected=_state(state),
                )
            )
        raise DisputeError(
            lazy(
                "dispute {id} is {state} (expected {expected}): only an upheld dispute is undone",
                id=ident,
                state=now,
                expected=_state(state),
            )
        )
    return k


def uphold(
    folder: Path | str,
    ident: int,
    *,
    corrected: str | None = None,
    reply: str,
    reviewer: str,
    data: YearData | None = None,
    expected_sha256: str | None = None,
    seen: int | None = None,
) -> tuple[Saved, dict]:
    """Uphold dispute ``ident``: write ``corrected`` into its cell as a decision (see
    :func:`wfscore.review.decisions.decide`), then mark it upheld with ``reply``.
    Returns what the decision wrote and the dispute's new row."""
    folder = Path(folder)
    if not str(reviewer).strip():
        raise DisputeError(lazy('deciding a dispute needs the reviewer\'s name (expected reviewer="…")'))
    if not str(reply).strip():
        raise DisputeError(lazy('deciding a dispute needs a reply to the department (expected reply="…")'))
    try:
        with _locked(folder, "saved"):
            register = read_register(folder)
            k = _open_one(register, ident, folder)
            data = load_year(folder) if data is None else data
            aim = target(data, register.loc[k], corrected)
            after(data, aim)  # the loader's checks, before anything is written
            saved, writes = decisions.plan_decide(
                folder,
                aim.file,
                aim.line,
                aim.field,
                aim.text,
                reviewer=reviewer,
                comment=f"dispute {ident}: {clean_text(reply)}",
                expected_sha256=expected_sha256,
                seen=seen,
            )
            register.loc[k, ["corrected", "state", "decided", "reply", "decided_by", "decision"]] = [
                aim.text,
                "upheld",
                _now(),
                clean_text(reply),
                clean_text(reviewer),
                str(saved.entry["id"]),
            ]
            _write_register(folder, register, writes)
            return saved, register.loc[k].to_dict()
    except Timeout:
        raise _timeout(folder, "saved") from None


def reject(folder: Path | str, ident: int, *, reply: str, reviewer: str) -> dict:
    """Reject dispute ``ident`` with ``reply``: only the register changes."""
    folder = Path(folder)
    if not str(reviewer).strip():
        raise DisputeError(lazy('deciding a dispute needs the reviewer\'s name (expected reviewer="…")'))
    if not str(reply).strip():
        raise DisputeError(lazy('deciding a dispute needs a reply to the department (expected reply="…")'))
    try:
        with _locked(folder, "saved"):
            register = read_register(folder)
            k = _open_one(register, ident, folder)
            register.loc[k, ["state", "decided", "reply", "decided_by"]] = [
                "rejected",
                _now(),
                clean_text(reply),
                clean_text(reviewer),
            ]
            _write_register(folder, register)
            return register.loc[k].to_dict()
    except Timeout:
        raise _timeout(folder, "saved") from None


def _check_last(folder: Path, register: pd.DataFrame, ident: int, decision: int) -> None:
    """Refuse, in disputes' own numbers, unless dispute ``ident``'s decision is the last in force."""
    log = decisions.read_log(folder)
    last = decisions.replay(log).last()
    if last == decision:
        return
    if decision not in set(log["id"]):
        raise DisputeError(
            lazy(
                "{file} says dispute {id} was upheld by decision {decision}, which {log} does not hold (cut "
                "short or edited?); nothing was undone",
                file=folder / FILE,
                id=ident,
                decision=decision,
                log=folder / decisions.LOG,
            )
        )
    if last is None or decision not in decisions.replay(log).live:
        raise DisputeError(
            lazy(
                "dispute {id}'s correction (decision {decision}) is no longer in force (undone or restored "
                "away with `wfscore restore`): there is nothing to take back",
                id=ident,
                decision=decision,
            )
        )
    later = register[(register["state"] == "upheld") & (register["decision"] == str(last))]["id"].tolist()
    if later:
        raise DisputeError(
            lazy(
                "dispute {id}'s correction is not the last one in force (dispute {later}'s is): take back "
                "dispute {later} first",
                id=ident,
                later=later[0],
            )
        )
    raise DisputeError(
        lazy(
            "dispute {id}'s correction is not the last decision in force (a decision of the adjustments "
            "desk, number {last} in decisions.csv, came after it): undo that first (`wfscore restore DIR "
            "last`, or the desk)",
            id=ident,
            last=last,
        )
    )


def undo(
    folder: Path | str, ident: int, *, reviewer: str, expected: dict[str, str] | None = None, seen: int | None = None
) -> tuple[Saved, dict]:
    """Take back upheld dispute ``ident``: its decision is undone (the table file byte
    for byte as before; it must be the last decision in force) and the dispute is open
    again, as it was before it was upheld."""
    folder = Path(folder)
    try:
        with _locked(folder, "undone"):
            register = read_register(folder)
            k = _open_one(register, ident, folder, state="upheld")
            decision = int(register.at[k, "decision"])
            _check_last(folder, register, ident, decision)
            saved, writes = decisions.plan_undo(
                folder,
                reviewer=reviewer,
                comment=f"undo of dispute {ident}",
                expected=expected,
                seen=seen,
                only=decision,
            )
            register.loc[k, ["corrected", "state", "decided", "reply", "decided_by", "decision"]] = [
                "",
                "open",
                "",
                "",
                "",
                "",
            ]
            _write_register(folder, register, writes)
            return saved, register.loc[k].to_dict()
    except Timeout:
        raise _timeout(folder, "undone") from None
