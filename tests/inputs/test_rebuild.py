"""``rebuild``: a loaded year with some tables replaced in memory, checked and built
as ``load_year`` does, without reading any file."""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path

import numpy as np
import pytest

import wfscore
from helpers import TINY
from wfscore.inputs.loading import rebuild

ARRAYS = ("values", "ratings", "exempt", "achievements", "website_eval", "incidents", "major")


def assert_same_year(got, expected) -> None:
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), err_msg=name)
    assert [str(p) for p in got.warnings] == [str(p) for p in expected.warnings]
    a, b = wfscore.score(got), wfscore.score(expected)
    np.testing.assert_array_equal(a.total, b.total)
    np.testing.assert_array_equal(a.rank, b.rank)
    np.testing.assert_array_equal(a.effective_weight, b.effective_weight)
    np.testing.assert_array_equal(a.eligible, b.eligible)
    np.testing.assert_array_equal(a.excellent, b.excellent)


def edited_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(TINY, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "name, line, column, value, old, new",
    [
        # D6's exemption of i2 confirmed: its c1 weight goes to i1 alone, and a warning
        # says D6's value for i2 is now ignored
        ("exemptions", 5, "confirmed", "true", "D6,i2,申请未获确认,false", "D6,i2,申请未获确认,true"),
        # D3's achievement recognised
        ("achievements", 5, "confirmed", "yes", "D3,b1,未认定的奖励,false", "D3,b1,未认定的奖励,yes"),
        # D6's incident becomes major: D6 is no longer eligible
        ("incidents", 3, "severity", "major", "D6,2011/3/5,ordinary", "D6,2011/3/5,major"),
    ],
)
def test_rebuild_equals_loading_the_edited_files(tmp_path, name, line, column, value, old, new):
    year = wfscore.load_year(TINY)
    frame = year.tables[name].copy()
    frame.loc[line, column] = value
    rebuilt = rebuild(year, **{name: frame})
    expected = wfscore.load_year(edited_copy(tmp_path, f"{name}.csv", old, new))
    assert_same_year(rebuilt, expected)
    changed = [a for a in ARRAYS if not np.array_equal(getattr(rebuilt, a), getattr(year, a), equal_nan=True)]
    assert changed == {"exemptions": ["exempt"], "achievements": ["achievements"], "incidents": ["major"]}[name]


def test_rebuild_with_nothing_replaced_is_the_loaded_year():
    year = wfscore.load_year(TINY)
    again = rebuild(year)
    assert_same_year(again, year)
    assert again.files == year.files and again.synthetic == year.synthetic


def test_rebuild_adds_the_optional_confirmed_column(tmp_path):
    year = wfscore.load_year(TINY)
    frame = year.tables["incidents"].copy()
    frame["confirmed"] = ["false", "true"]
    expected_dir = tmp_path / "y"
    shutil.copytree(TINY, expected_dir)
    (expected_dir / "incidents.csv").write_text(
        "dept_id,date,severity,description,confirmed\nD2,2011-08-11,major,数据泄露,false\n"
        "D6,2011/3/5,ordinary,网页被篡改,true\n",
        encoding="utf-8",
    )
    assert_same_year(rebuild(year, incidents=frame), wfscore.load_year(expected_dir))


def test_rebuild_reads_no_file(monkeypatch):
    year = wfscore.load_year(TINY)
    frame = year.tables["exemptions"].copy()
    frame.loc[5, "confirmed"] = "true"

    def refuse(*args, **kwargs):
        raise AssertionError("rebuild must not read files")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "is_file", refuse)
    monkeypatch.setattr(wfscore.inputs.loading, "read_folder", refuse)
    rebuilt = rebuild(year, exemptions=frame)
    assert rebuilt.exempt.sum() == year.exempt.sum() + 1


def test_rebuild_reports_errors_like_loading():
    year = wfscore.load_year(TINY)
    frame = year.tables["achievements"].copy()
    frame.loc[3, "confirmed"] = "maybe"
    frame.loc[4, "dept_id"] = "D9"
    with pytest.raises(wfscore.InputError) as caught:
        rebuild(year, achievements=frame)
    assert [str(p) for p in caught.value.errors] == [
        "achievements.csv line 4, column dept_id: 'D9' is not a department of departments.csv "
        "(expected one of its dept_id values)",
        "achievements.csv line 3, column confirmed: 'maybe' is not true or false "
        "(expected true, yes, 1, 是 or false, no, 0, 否)",
    ]


def test_rebuild_checks_across_tables():
    year = wfscore.load_year(TINY)
    frame = year.tables["exemptions"].copy()
    frame.loc[6] = ["D4", "i3", "重复申请", "false"]
    with pytest.raises(wfscore.InputError, match=r"exemptions.csv line 6, column dept_id: 'D4 / i3' is listed twice"):
        rebuild(year, exemptions=frame)


def test_rebuilt_provenance_leaves_out_the_replaced_file():
    year = wfscore.load_year(TINY)
    rebuilt = rebuild(year, exemptions=year.tables["exemptions"].copy())
    assert set(rebuilt.files) == set(year.files) - {"exemptions.csv"}
    assert "exemptions.csv" not in wfscore.score(rebuilt).provenance["inputs_sha256"]


def test_rebuild_refuses_unknown_tables():
    year = wfscore.load_year(TINY)
    with pytest.raises(ValueError, match="not tables of a year: decisions"):
        rebuild(year, decisions=year.tables["exemptions"])


def test_history_and_decision_log_are_not_inputs(tiny):
    """A year folder with the desk's .history/ and decisions.csv loads as before: the
    same tables, the same input hashes, no new warning."""
    before = wfscore.load_year(tiny)
    (tiny / ".history").mkdir()
    shutil.copy(tiny / "exemptions.csv", tiny / ".history" / "20110101-000000.000000_exemptions.csv")
    (tiny / ".history" / "lock").write_text("")
    (tiny / "decisions.csv").write_text("id,time,reviewer\n1,2011-01-01T00:00:00+08:00,张三\n", encoding="utf-8")
    after = wfscore.load_year(tiny)
    assert after.files == before.files
    assert [str(p) for p in after.warnings] == [str(p) for p in before.warnings]
    assert wfscore.score(after).provenance["inputs_sha256"] == wfscore.score(before).provenance["inputs_sha256"]


def test_rebuild_checks_a_replaced_table_against_the_others():
    year = wfscore.load_year(TINY)
    values = year.tables["values"].copy()
    values.loc[22, "value"] = "25"  # D4's s1, a direct indicator of weight 20
    with pytest.raises(
        wfscore.InputError,
        match=r"values.csv line 22, column value: '25' is above the weight of "
        r"direct indicator s1",
    ):
        rebuild(year, values=values)
    ratings = year.tables["ratings"].copy()
    ratings.loc[2, "indicator"] = "i2"  # D1 has a value for i2 too
    with pytest.raises(wfscore.InputError, match=r"values.csv line 2, column indicator: 'D1 / i2' has ratings too"):
        rebuild(year, ratings=ratings)


def test_rebuild_with_other_departments_checks_every_table_again():
    year = wfscore.load_year(TINY)
    departments = year.tables["departments"].copy().drop(index=8)  # D7 leaves
    with pytest.raises(wfscore.InputError) as caught:
        rebuild(year, departments=departments)
    assert "values.csv line 25, column dept_id: 'D7' is not a department of departments.csv" in str(caught.value)
