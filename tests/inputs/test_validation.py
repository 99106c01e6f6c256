"""One test per error class of SPEC §6, through the real console script.

Each test breaks the tiny year in one way, runs ``wfscore score``, and checks: exit
status 1, no output file (nor leftovers), and the exact message naming the file,
the line, the column and the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wfscore
from helpers import run_cli, tiny_as_workbook
from wfscore.inputs.loading import validate


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(folder: Path, name: str, line: str) -> None:
    with open(folder / name, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def assert_rejected(folder: Path, *messages: str) -> str:
    out = folder.parent / "out" / "results.csv"
    proc = run_cli("score", folder, "--out", out)
    assert proc.returncode == 1, proc.stderr
    assert not out.parent.exists(), "nothing may be written on error"
    for message in messages:
        assert f"error: {message}" in proc.stderr, proc.stderr
    assert "nothing was written" in proc.stderr
    return proc.stderr


def test_missing_required_file(tiny):
    (tiny / "values.csv").unlink()
    assert_rejected(tiny, "values.csv: is missing (expected a table with the columns dept_id, indicator, value)")


def test_missing_scheme(tiny):
    (tiny / "scheme.yaml").unlink()
    assert_rejected(tiny, "scheme.yaml: is missing (expected the year's scheme, SPEC §4)")


def test_missing_column(tiny):
    edit(tiny, "departments.csv", "dept_id,name,kind", "dept_id,name,type")
    assert_rejected(tiny, "departments.csv line 1: has no column 'kind' (expected the columns dept_id, name, kind)")


def test_duplicate_department_id(tiny):
    append(tiny, "departments.csv", "D3,又一个三号部,party")
    assert_rejected(
        tiny,
        "departments.csv line 9, column dept_id: 'D3' is listed twice (also on line 4; "
        "expected one row per department)",
    )


def test_duplicate_value_pair(tiny):
    append(tiny, "values.csv", "D1,i2,3")
    assert_rejected(
        tiny,
        "values.csv line 29, column dept_id: 'D1 / i2' is listed twice (also on line 2; "
        "expected one row per department and indicator)",
    )


def test_duplicate_exemption_pair(tiny):
    append(tiny, "exemptions.csv", "D4,i3,又一次申请,false")
    assert_rejected(
        tiny,
        "exemptions.csv line 6, column dept_id: 'D4 / i3' is listed twice (also on line 2; "
        "expected one row per department and indicator)",
    )


def test_unknown_department(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D9,i2,1")
    assert_rejected(
        tiny,
        "values.csv line 4, column dept_id: 'D9' is not a department of departments.csv "
        "(expected one of its dept_id values)",
    )


def test_unknown_indicator(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i9,1")
    assert_rejected(
        tiny,
        "values.csv line 4, column indicator: 'i9' is not an indicator of the scheme "
        "(expected one of i1, i2, i3, i4, i5, s1, b1, b2)",
    )


def test_unknown_kind(tiny):
    # a kind's own name (政府机关) is read as its id (tests/inputs/test_aliases.py); this names no kind
    edit(tiny, "departments.csv", "D5,五号会,org", "D5,五号会,政府部门")
    assert_rejected(
        tiny,
        "departments.csv line 6, column kind: '政府部门' is not a kind of the scheme "
        "(expected one of: gov = 政府机关; party = 党的机关; org = 人民团体)",
    )


@pytest.mark.parametrize(
    "bad, message",
    [
        ("abc", "is not a number (expected a non-negative number)"),
        ("-1", "is negative (expected a non-negative number)"),
        ("inf", "is not finite (expected a non-negative number)"),
        ("nan", "is not a number (expected a non-negative number)"),
        ("", "is empty (expected a non-negative number)"),
    ],
)
def test_bad_value(tiny, bad, message):
    edit(tiny, "values.csv", "D4,i2,1", f"D4,i2,{bad}")
    assert_rejected(tiny, f"values.csv line 4, column value: {bad!r} {message}")


def test_rating_outside_range(tiny):
    edit(tiny, "ratings.csv", "D1,i1,E2,80", "D1,i1,E2,180")
    assert_rejected(tiny, "ratings.csv line 3, column rating: '180' is outside 0–100 (expected a rating from 0 to 100)")


def test_website_score_outside_range(tiny):
    edit(tiny, "website_eval.csv", "D2,50", "D2,101")
    assert_rejected(
        tiny,
        "website_eval.csv line 3, column score: '101' is outside 0–100 "
        "(expected a website evaluation score from 0 to 100)",
    )


def test_direct_value_above_weight(tiny):
    edit(tiny, "values.csv", "D4,s1,10", "D4,s1,25")
    assert_rejected(
        tiny,
        "values.csv line 22, column value: '25' is above the weight of direct indicator s1 "
        "(expected 0–20: a direct value is points on the indicator's weight scale)",
    )


def test_value_and_ratings_for_one_pair(tiny):
    append(tiny, "values.csv", "D1,i1,75")
    assert_rejected(
        tiny,
        "values.csv line 29, column indicator: 'D1 / i1' has ratings too (ratings.csv line 2) "
        "(expected either a value or ratings for a department and indicator, not both)",
    )


def test_exemption_of_binary_indicator(tiny):
    append(tiny, "exemptions.csv", "D1,b1,不适用,true")
    assert_rejected(
        tiny,
        "exemptions.csv line 6, column indicator: 'b1' is a binary indicator, which takes its "
        "values from achievements.csv only (expected an index or direct indicator)",
    )


def test_value_for_binary_indicator(tiny):
    append(tiny, "values.csv", "D1,b2,1")
    assert_rejected(
        tiny,
        "values.csv line 29, column indicator: 'b2' is a binary indicator, which takes its "
        "values from achievements.csv only (expected an index or direct indicator)",
    )


def test_achievement_for_non_binary_indicator(tiny):
    append(tiny, "achievements.csv", "D1,i1,一项奖励,true")
    assert_rejected(
        tiny,
        "achievements.csv line 9, column indicator: 'i1' is not a binary indicator "
        "(expected one of b1, b2: achievements count only for those)",
    )


@pytest.mark.parametrize("bad", ["maybe", "", "真"])
def test_true_false_cell(tiny, bad):
    edit(tiny, "achievements.csv", "D2,b1,省级先进,1", f"D2,b1,省级先进,{bad}")
    assert_rejected(
        tiny,
        f"achievements.csv line 3, column confirmed: {bad!r} is not true or false "
        "(expected true, yes, 1, 是 or false, no, 0, 否)",
    )


@pytest.mark.parametrize("bad", ["maybe", ""])
def test_incident_confirmed_cell(tiny, bad):
    (tiny / "incidents.csv").write_text(
        "dept_id,date,severity,description,confirmed\n"
        "D2,2011-08-11,major,数据泄露,true\n"
        f"D6,2011/3/5,ordinary,网页被篡改,{bad}\n",
        encoding="utf-8",
    )
    assert_rejected(
        tiny,
        f"incidents.csv line 3, column confirmed: {bad!r} is not true or false "
        "(expected true, yes, 1, 是 or false, no, 0, 否)",
    )


def test_missing_website_evaluation(tiny):
    edit(tiny, "website_eval.csv", "D2,50\n", "")
    assert_rejected(
        tiny,
        "departments.csv line 3, column dept_id: 'D2' is of kind gov but has no row in "
        "website_eval.csv (expected a website evaluation score 0–100 for it)",
    )


def test_missing_website_evaluation_file(tiny):
    (tiny / "website_eval.csv").unlink()
    assert_rejected(
        tiny, "website_eval.csv: is missing (expected a website evaluation for each of the 2 departments of kind gov)"
    )


def test_scheme_points_do_not_add_up(tiny):
    edit(
        tiny,
        "scheme.yaml",
        "points: 30\n        indicators:\n          - {id: i3",
        "points: 35\n        indicators:\n          - {id: i3",
    )
    assert_rejected(
        tiny,
        "scheme.yaml line 18, key sections[0].categories[1].points: '35' are the points of "
        "category c2, but its indicators' weights add up to 30 (expected equal)",
        "scheme.yaml line 8, key sections[0].points: '100' are the points of section A, but its "
        "categories' points add up to 105 (expected equal)",
    )


def test_scheme_duplicate_id_and_unknown_rule_target(tiny):
    edit(tiny, "scheme.yaml", "{id: i4,", "{id: i3,")
    edit(tiny, "scheme.yaml", "security_incident: {category: c3}", "security_incident: {category: c9}")
    assert_rejected(
        tiny,
        "scheme.yaml line 21, key sections[0].categories[1].indicators[1].id: 'i3' is used "
        "twice (also on line 20; expected ids unique across sections, categories and indicators)",
        "scheme.yaml line 49, key rules.security_incident.category: 'c9' is not a category of the "
        "scheme (expected one of c1, c2, c3, c4, c5)",
    )


def test_scheme_bad_weight_and_yaml(tiny):
    edit(tiny, "scheme.yaml", "{id: i4, name: 互动, weight: 10}", "{id: i4, name: 互动, weight: -10}")
    assert_rejected(
        tiny,
        "scheme.yaml line 21, key sections[0].categories[1].indicators[1].weight: '-10' is "
        "invalid: input should be greater than 0",
    )
    (tiny / "scheme.yaml").write_text("year: 2011\nsections: [\n", encoding="utf-8")
    stderr = assert_rejected(tiny)
    assert "error: scheme.yaml line 3: is not valid YAML" in stderr


def test_undecodable_file(tiny):
    (tiny / "departments.csv").write_bytes("dept_id,name,kind\nD1,一号局,gov\n".encode("utf-8") + b"\xff\xfe\x80")
    stderr = assert_rejected(
        tiny,
        "departments.csv: cannot be decoded: byte 0xff at offset 35 is not UTF-8, "
        "and the file is not GB18030 either (expected a CSV file saved as UTF-8 or GB18030)",
    )
    assert stderr.count("error: ") == 1  # no flood of "unknown department" from the other tables


def test_bad_severity_and_date(tiny):
    edit(tiny, "incidents.csv", "D6,2011/3/5,ordinary", "D6,3/5/2011,minor")
    assert_rejected(
        tiny,
        "incidents.csv line 3, column date: '3/5/2011' is not a date (expected a date like 2011-05-03)",
        "incidents.csv line 3, column severity: 'minor' is not a severity (expected ordinary or major)",
    )


def test_row_with_more_cells_than_header(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i2,1,extra")
    assert_rejected(
        tiny,
        "values.csv line 4: 'extra' has 4 cells but the header names 3 columns (expected no cells beyond the header)",
    )


def test_several_defects_in_one_file_are_all_reported(tiny):
    text = (tiny / "values.csv").read_text(encoding="utf-8").splitlines()
    text[1] = "D1,i2,abc"  # line 2: not a number
    text[3] = "D9,i2,1"  # line 4: unknown department
    text[5] = "D6,i2,-2"  # line 6: negative
    text[7] = "D3,i3,inf"  # line 8: not finite
    text.append("D1,b1,1")  # line 29: binary indicator
    (tiny / "values.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    edit(tiny, "ratings.csv", "D2,i1,E2,100", "D2,i1,E2,x")  # another file, same run
    stderr = assert_rejected(
        tiny,
        "values.csv line 2, column value: 'abc' is not a number (expected a non-negative number)",
        "values.csv line 4, column dept_id: 'D9' is not a department of departments.csv",
        "values.csv line 6, column value: '-2' is negative (expected a non-negative number)",
        "values.csv line 8, column value: 'inf' is not finite (expected a non-negative number)",
        "values.csv line 29, column indicator: 'b1' is a binary indicator",
        "ratings.csv line 8, column rating: 'x' is not a number (expected a rating from 0 to 100)",
    )
    assert stderr.count("error: ") == 6


def test_errors_name_sheet_and_row_in_a_workbook(tiny, tmp_path):
    book = tiny_as_workbook(tiny, tmp_path / "book" / "data.xlsx", {("values", 2, "value"): "abc"})
    assert_rejected(
        book.parent,
        "data.xlsx, sheet values row 4, column value: 'abc' is not a number (expected a non-negative number)",
    )


def test_warnings_do_not_stop_scoring(tiny):
    problems = validate(tiny)
    assert not [p for p in problems if p.is_error]
    texts = [str(p) for p in problems]
    assert (
        "website_eval.csv line 4, column dept_id: 'D3' is a department of kind party, which the website "
        "evaluation does not apply to; the row is ignored" in texts
    )
    assert (
        "values.csv line 7, column value: '40' is given for department D1, indicator i3, which takes its "
        "website points from the website evaluation; it is ignored" in texts
    )
    assert (
        "values.csv: has no value for department D3 (三号部), indicator i2 (故障时长); it scores 0 "
        "(expected a value, ratings, or a confirmed exemption)" in texts
    )


def test_value_for_exempt_pair_and_wholly_exempt_section_warn(tiny):
    append(tiny, "values.csv", "D4,i3,5")
    append(tiny, "exemptions.csv", "D3,s1,未提交自查报告,true")
    texts = [str(p) for p in validate(tiny)]
    assert (
        "values.csv line 29, column value: '5' is given for department D4, indicator i3, which has a "
        "confirmed exemption; it is ignored" in texts
    )
    assert (
        "departments.csv line 4, column dept_id: 'D3' has every indicator of section B (自查考核) exempt; "
        "that section scores 0" in texts
    )
    result = wfscore.score(wfscore.load_year(tiny))
    assert result.ranking.set_index("dept_id").loc["D3", "B"] == 0


def test_incident_outside_the_year_warns(tiny):
    edit(tiny, "incidents.csv", "2011-08-11", "2010-12-30")
    texts = [str(p) for p in validate(tiny)]
    assert (
        "incidents.csv line 2, column date: '2010-12-30' is not in 2011, the scheme's year; the incident "
        "still counts" in texts
    )


def test_input_error_carries_every_problem(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i2,x")
    with pytest.raises(wfscore.InputError) as caught:
        wfscore.load_year(tiny)
    assert [str(p) for p in caught.value.errors] == [
        "values.csv line 4, column value: 'x' is not a number (expected a non-negative number)"
    ]
    assert caught.value.warnings  # the warnings found on the way come along


def test_loading_never_modifies_inputs(tiny):
    before = {p.name: p.read_bytes() for p in tiny.iterdir()}
    wfscore.score(wfscore.load_year(tiny)).detail()
    assert {p.name: p.read_bytes() for p in tiny.iterdir()} == before


def test_lenient_number_and_date_forms(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i2,１")  # full-width digit
    edit(tiny, "incidents.csv", "2011-08-11", "2011年8月11日")
    year = wfscore.load_year(tiny)
    assert year.values[year.departments.index[year.dept_ids == "D4"][0], year.scheme.arrays.position["i2"]] == 1
    assert year.tables["incidents"]["date"].iloc[0] == "2011年8月11日"
    assert wfscore.score(year).ranking.set_index("dept_id").loc["D4", "total"] == 91


def test_percent_sign_is_not_a_number(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i2,1%")
    assert_rejected(tiny, "values.csv line 4, column value: '1%' is not a number (expected a non-negative number)")


def test_exempt_website_indicator_of_an_evaluated_department(tiny):
    append(tiny, "exemptions.csv", "D1,i3,栏目由门户网站承担,true")
    result = wfscore.score(wfscore.load_year(tiny))
    d1 = result.position("D1")
    i3, i4 = result.arrays.position["i3"], result.arrays.position["i4"]
    assert result.effective_weight[d1, i3] == 0 and result.effective_weight[d1, i4] == 30
    assert result.score[d1, i4] == 80 / 100 * 30  # still the evaluation, on the whole category


def test_a_year_without_departments(tiny):
    (tiny / "departments.csv").write_text("dept_id,name,kind\n", encoding="utf-8")
    assert_rejected(tiny, "departments.csv line 2: has no departments (expected one row per department to score)")
