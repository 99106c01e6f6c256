"""departments.csv's previous_ids (wfscore.inputs.lineage): read, checked against the previous
year's folder when it is known, and harmless when absent."""

from __future__ import annotations

import pytest

import wfscore
from helpers import SAMPLE, run_cli
from twoyears import direct_year
from wfscore.inputs import lineage
from wfscore.inputs.loading import validate


@pytest.mark.parametrize(
    "cell, ids",
    [
        ("", []),
        ("G24", ["G24"]),
        ("G24;G25", ["G24", "G25"]),
        (" G24 ; G25 ", ["G24", "G25"]),
        ("G24；G25", ["G24", "G25"]),
        (None, []),
        ("G24;;G25", ["G24", "", "G25"]),
    ],
)
def test_ids_are_split_on_semicolons(cell, ids):
    assert lineage.split_ids(cell) == ids


def two_years(tmp_path, previous_ids: dict[str, str]):
    """2020 with D1–D3; 2021 with D1, D2 and X9, whose previous_ids come from ``previous_ids``."""
    direct_year(tmp_path / "2020", 2020, [("D1", "一号局", 10, 10), ("D2", "二号局", 20, 20), ("D3", "三号局", 5, 5)])
    rows = [("D1", "一号局", 11, 11), ("D2", "二号局", 21, 21), ("X9", "九号局", 30, 30)]
    return direct_year(tmp_path / "2021", 2021, [r + (previous_ids.get(r[0], ""),) for r in rows])


def test_an_unknown_previous_id_is_an_error_naming_file_line_and_id(tmp_path):
    folder = two_years(tmp_path, {"X9": "D3;D7", "D2": "Q1"})
    errors = [str(p) for p in validate(folder) if p.is_error]
    assert errors == [
        "departments.csv line 3, column previous_ids: 'Q1' is not a department of the previous year "
        "(expected a dept_id of 2020/departments.csv)",
        "departments.csv line 4, column previous_ids: 'D7' is not a department of the previous year "
        "(expected a dept_id of 2020/departments.csv)",
    ]
    with pytest.raises(wfscore.InputError):
        wfscore.load_year(folder)


def test_the_command_line_names_it_too(tmp_path):
    folder = two_years(tmp_path, {"X9": "D8"})
    run = run_cli("validate", folder)
    assert run.returncode == 1
    assert (
        "error: departments.csv line 4, column previous_ids: 'D8' is not a department of the previous year "
        "(expected a dept_id of 2020/departments.csv)"
    ) in run.stdout


def test_known_ids_and_empty_cells_load(tmp_path):
    year = wfscore.load_year(two_years(tmp_path, {"X9": "D3"}))
    assert list(year.departments["previous_ids"]) == ["", "", "D3"]
    assert lineage.predecessors(year.departments, ["D1", "D2", "D3"]) == [["D1"], ["D2"], ["D3"]]


def test_without_the_previous_folder_only_the_form_is_checked(tmp_path):
    folder = two_years(tmp_path, {"X9": "D8", "D2": "D1;;D3", "D1": "D1;D1"})
    (tmp_path / "2020" / "departments.csv").unlink()
    (tmp_path / "2020").rename(tmp_path / "elsewhere")
    errors = [str(p) for p in validate(folder) if p.is_error]
    assert errors == [
        "departments.csv line 2, column previous_ids: 'D1;D1' names an id twice (expected each previous dept_id once)",
        "departments.csv line 3, column previous_ids: 'D1;;D3' has an empty id between separators (expected last "
        "year's dept_id values separated by ;, such as G24;G25)",
    ]


def test_an_explicit_previous_folder_is_used(tmp_path):
    folder = two_years(tmp_path, {"X9": "D3"})
    (tmp_path / "2020").rename(tmp_path / "last")
    from wfscore.inputs.files import read_folder
    from wfscore.inputs.validation import check_tables

    year = wfscore.load_year(folder)  # no sibling 2020: nothing to check against
    _, usable = check_tables(year.scheme, read_folder(folder))
    assert lineage.check(usable, 2021, folder, previous=tmp_path / "last") == []
    direct_year(tmp_path / "other", 2020, [("D1", "一号局", 1, 1)])
    problems = lineage.check(usable, 2021, folder, previous=tmp_path / "other")
    assert [p.value for p in problems] == ["D3"]
    assert "expected a dept_id of other/departments.csv" in str(problems[0])


def test_an_unreadable_previous_folder_is_a_warning_not_an_error(tmp_path):
    folder = two_years(tmp_path, {"X9": "D3"})
    (tmp_path / "2020" / "departments.csv").unlink()
    problems = validate(folder)
    assert not [p for p in problems if p.is_error]
    assert [str(p) for p in problems] == [
        "departments.csv, column previous_ids: could not be checked against the previous year's folder "
        f"{(tmp_path / '2020').resolve()}: it has no departments table with a dept_id column"
    ]


def test_no_column_no_reading_of_the_previous_year(tmp_path):
    folder = direct_year(tmp_path / "2021", 2021, [("D1", "一号局", 1, 1)])
    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "departments.csv").write_bytes(b"\xff\xfe broken")
    assert validate(folder) == []


def test_a_workbook_previous_year_is_read_too(tmp_path):
    import pandas as pd

    folder = two_years(tmp_path, {"X9": "D4;D3"})
    previous = tmp_path / "2020"
    with pd.ExcelWriter(previous / "data.xlsx") as book:
        pd.DataFrame({"dept_id": ["D1", "D2", "D4"], "name": ["一", "二", "四"], "kind": "gov"}).to_excel(
            book, sheet_name="departments", index=False
        )
    for name in ("departments.csv", "values.csv"):
        (previous / name).unlink()
    assert [str(p) for p in validate(folder) if p.is_error] == [
        "departments.csv line 4, column previous_ids: 'D3' is not a department of the previous year "
        "(expected a dept_id of 2020/data.xlsx, sheet departments)"
    ]


def test_the_sample_years_continue_each_other():
    for year in (2012, 2013):
        problems = validate(SAMPLE.parent / str(year))
        assert not [p for p in problems if p.is_error], year
