"""Every edit of disputes.csv or decisions.csv a person (or an attacker) can make gives a
clear error naming the file, the line, the column and the value, in the library and on the
command line; never a traceback, and no path from a register leads out of the year.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import TINY, run_cli
from wfscore.cli import main
from wfscore.review import decisions, disputes
from wfscore.review.decisions import DecisionError


def build(folder: Path) -> Path:
    """A year with three disputes (upheld, rejected, open), a desk decision and an undo."""
    shutil.copytree(TINY, folder)
    disputes.open_dispute(folder, "D3", "value", indicator="i3", claim="填错了")
    disputes.open_dispute(folder, "D1", "rating", indicator="i1", expert="E5", claim="偏低")
    disputes.open_dispute(folder, "D6", "exemption", row=5, claim="有证明")
    disputes.uphold(folder, 1, corrected="30", reply="同意", reviewer="张三")
    disputes.reject(folder, 2, reply="不支持", reviewer="张三")
    decisions.decide(folder, "exemptions.csv", 5, "confirmed", "true", reviewer="李四")
    decisions.undo_last(folder, reviewer="李四")
    decisions.decide(folder, "incidents.csv", 2, "severity", "ordinary", reviewer="李四")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("built") / "year")


def copy_of(built: Path, where: Path) -> Path:
    year = where / "year"
    shutil.copytree(built, year)
    (where / "outside.csv").write_text("outside\n", encoding="utf-8")
    return year


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def set_cell(year: Path, name: str, line: int, column: str, value: str) -> None:
    path = year / name
    rows = rows_of(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def every_reading(year: Path) -> list[str]:
    """The errors (DecisionError's text) of every way the registers are read and acted on;
    any other exception fails the test. Also the listing commands, in process: 0 or 1."""
    errors = []
    for read in (
        disputes.read_register,
        decisions.read_log,
        decisions.history,
        lambda y: disputes.undone_elsewhere(y, disputes.read_register(y)),
        lambda y: decisions.undo_last(y, reviewer="王五"),
        lambda y: disputes.undo(y, 1, reviewer="王五"),
    ):
        try:
            read(year)
        except DecisionError as exc:
            errors.append(str(exc))
            assert exc.in_lang("zh"), exc
    for args in (["disputes", year], ["history", year], ["disputes", year, "--lang", "zh"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*map(str, args)])
        assert code in (0, 1), (args, err.getvalue())
        assert "Traceback" not in err.getvalue()
    assert (year.parent / "outside.csv").read_text(encoding="utf-8") == "outside\n"
    return errors


BAD = {
    "disputes.csv": {
        "id": ["²", "٣", "１", "0", "-1", "1.0", "9" * 30, "", "1"],
        "state": ["closed", "", "UPHELD", "已支持"],
        "kind": ["weight", "", "Value"],
        "row": ["x", "9" * 40, "²"],
        "decision": ["²", "9" * 40, "x", "", "1\x00"],
        "dept_id": [""],
        "claim": ["a\x00b"],
    },
    "decisions.csv": {
        "id": ["²", "٣", "0", "-1", "1.5", "9" * 30, "", "1"],
        "ref": ["²", "9" * 40, "x", "99"],
        "action": ["delete", "", "Decide"],
        "file": ["../x.csv", "../outside.csv", "/etc/passwd", "a\x00b", "C:\\x.csv", "", "scheme.yaml", ".."],
        "version": ["../../outside.csv", "/etc/passwd", "a/b", "..", "x\x00", "C:\\x"],
        "row": ["x", "²", "9" * 40],
        "time": ["yesterday", ""],
    },
}
# the line each column is edited on: disputes.csv line 2 is the upheld dispute, 4 the open one;
# decisions.csv line 2 a decision, line 4 the undo (the only one with a ref)
LINE = {
    ("disputes.csv", "id"): 3,
    ("disputes.csv", "decision"): 2,
    ("decisions.csv", "ref"): 4,
    ("decisions.csv", "id"): 3,
}
CASES = [
    (name, column, value) for name, columns in BAD.items() for column, values in columns.items() for value in values
]


@pytest.mark.parametrize("name, column, value", CASES, ids=[f"{n}-{c}-{v[:12]!r}" for n, c, v in CASES])
def test_each_bad_cell_is_named(built, tmp_path, name, column, value):
    year = copy_of(built, tmp_path)
    line = LINE.get((name, column), 2)
    if (name, column, value) == ("disputes.csv", "decision", ""):
        line = 2  # an upheld dispute without its decision
    set_cell(year, name, line, column, value)
    errors = every_reading(year)
    assert errors, "the edit was not noticed"
    shown = repr(value if len(value) <= 40 else value[:40] + "…")
    for text in errors:
        assert name in text and f"line {line}" in text, text
        assert f"column {column}" in text and shown in text, text


@pytest.mark.parametrize("name", ["disputes.csv", "decisions.csv"])
def test_a_cell_over_the_csv_limit_is_named(built, tmp_path, name):
    year = copy_of(built, tmp_path)
    set_cell(year, name, 3, "reply" if name == "disputes.csv" else "comment", "长" * (csv.field_size_limit() + 1))
    errors = every_reading(year)
    assert errors and all(f"{name} line 3: a cell is longer than 131,072 characters" in e for e in errors), errors


@pytest.mark.parametrize("name", ["disputes.csv", "decisions.csv"])
def test_a_register_cut_anywhere_is_refused_or_still_agrees(built, tmp_path, name):
    """Cut at every line and in the middle of every line: either a clear error, or an
    undo that really brings a file back (never an undo recorded that changed nothing)."""
    raw = (built / name).read_bytes()
    recorded = len(decisions.read_log(built))
    ends = [i + 1 for i, b in enumerate(raw) if b == 0x0A]
    cuts = sorted(set(ends[:-1]) | {e - 7 for e in ends} | {len(raw) - 1})
    for k, cut in enumerate(cuts):
        year = copy_of(built, tmp_path / str(k))
        (year / name).write_bytes(raw[:cut])
        for text in every_reading(year):
            assert name in text or "decisions.csv" in text or "in force" in text, (cut, text)
        try:
            log = decisions.read_log(year)
        except DecisionError:
            continue
        ids = set(log["id"])
        for undo in log[(log["action"] == "undo") & (log["id"] > recorded)].itertuples():
            # recorded by every_reading, after the cut
            undone = log[log["id"] == undo.ref].iloc[0] if undo.ref in ids else None
            assert undone is not None and (
                undo.version or (not undone["version"] and undone["old_value"] == undone["new_value"])
            ), (cut, log)


def test_the_issue_s_register_edits_on_the_command_line(built, tmp_path):
    year = copy_of(built, tmp_path)
    set_cell(year, "disputes.csv", 3, "id", "²")
    done = run_cli("disputes", year)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "disputes.csv line 3, column id: '²' is not a dispute's number" in done.stderr
    year = copy_of(built, tmp_path / "b")
    set_cell(year, "decisions.csv", 2, "id", "9" * 30)
    done = run_cli("restore", year, "last", "--reviewer", "x")
    assert done.returncode == 1 and "decisions.csv line 2, column id: '" + "9" * 30 + "' is not" in done.stderr
    year = copy_of(built, tmp_path / "c")
    set_cell(year, "decisions.csv", 2, "version", "../../outside.csv")
    done = run_cli("disputes", year)  # the plain listing reads decisions.csv too
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "decisions.csv line 2, column version: '../../outside.csv' is not a version" in done.stderr
    done = run_cli("disputes", year, lang="zh")
    assert done.returncode == 1 and "第 2 行，version 列" in done.stderr


def test_a_lost_last_line_of_the_log_makes_no_empty_undo(built, tmp_path):
    """decisions.csv cut before its last entries: `restore last` would undo a decision
    whose file is already as it was before it; refused, nothing recorded."""
    year = copy_of(built, tmp_path)
    log = rows_of(year / "decisions.csv")
    write_rows(year / "decisions.csv", log[:4])  # the desk's undo (line 4) kept, its next decision lost
    write_rows(year / "decisions.csv", log[:3])  # and the undo lost: decision 2 looks in force
    before = (year / "decisions.csv").read_bytes()
    done = run_cli("restore", year, "last", "--reviewer", "x")
    assert done.returncode == 1 and "is already as it was before it" in done.stderr, done.stderr
    assert (year / "decisions.csv").read_bytes() == before


def test_formula_text_in_the_register_is_inert_full_width_too(tiny):
    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="＝cmd|' /C calc'!A0", evidence="＋1")
    disputes.open_dispute(tiny, "D1", "rating", indicator="i1", expert="E5", claim="＠SUM(1)", evidence="－1")
    with open(tiny / "disputes.csv", encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert "'＝cmd|' /C calc'!A0" in cells and "'＋1" in cells and "'＠SUM(1)" in cells and "'－1" in cells
    from wfscore.inputs.output import FORMULA_START

    assert not [c for c in cells if c.startswith(FORMULA_START)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    name=st.sampled_from(["disputes.csv", "decisions.csv"]),
    line=st.integers(2, 5),
    column=st.integers(0, 14),
    value=st.one_of(
        st.text(max_size=30),
        st.sampled_from(["..", "/", "\\", "\x00", "'", "=1", "１", "²"]),
        st.integers(-(10**20), 10**20).map(str),
    ),
)
def test_any_edit_of_a_cell_is_read_or_refused_clearly(built, name, line, column, value):
    with tempfile.TemporaryDirectory() as tmp:
        year = copy_of(built, Path(tmp))
        path = year / name
        rows = rows_of(path)
        if line > len(rows) or column >= len(rows[0]):
            return
        rows[line - 1][column] = value
        write_rows(path, rows)
        for text in every_reading(year):
            assert "line " in text or "decision" in text or "dispute" in text, text
