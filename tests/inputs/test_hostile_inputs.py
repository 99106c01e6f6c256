"""Hostile and broken inputs: each is one clear error naming the file, never a skipped
table, a misread file, a traceback or a hang (README, "Hostile and broken inputs")."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

import wfscore
from helpers import TINY, run_cli
from wfscore.inputs.characters import plain_text
from wfscore.inputs.files import MAX_BYTES, MAX_CELL, Table, decode
from wfscore.inputs.loading import validate
from wfscore.inputs.scheme_yaml import parse_scheme
from wfscore.inputs.text_checks import check_text

OPTIONAL = ("ratings", "website_eval", "exemptions", "incidents", "achievements")


def errors(folder) -> list[str]:
    return [str(p) for p in validate(folder) if p.is_error]


def assert_cli_error(folder, expected: str, command: str = "validate") -> None:
    """``wfscore validate`` (or ``score``) exits 1 and prints ``expected`` as its one error."""
    args = ["score", folder, "--out", folder.parent / "out.csv"] if command == "score" else ["validate", folder]
    proc = run_cli(*args)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1, text
    assert "Traceback" not in text
    assert [line for line in text.splitlines() if line.startswith("error:")] == [f"error: {expected}"]
    assert not (folder.parent / "out.csv").exists()


# -- a table that is there but cannot be read ---------------------------------------------


def _break(path, how: str) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    if how == "folder":
        path.mkdir()
    elif how == "devnull":
        path.symlink_to("/dev/null")
    elif how == "dangling":
        path.symlink_to("nowhere.csv")
    elif how == "loop":
        path.symlink_to(path.name + ".loop")
        (path.parent / (path.name + ".loop")).symlink_to(path.name)
    elif how == "fifo":
        os.mkfifo(path)


WHY = {
    "folder": "is a folder",
    "devnull": "is not a regular file but a device, pipe or socket",
    "dangling": "is a link to nowhere.csv, which does not exist",
    "loop": "is a link that loops back on itself",
    "fifo": "is not a regular file but a device, pipe or socket",
}


def test_a_broken_incidents_table_is_an_error_not_no_incidents(sample):
    # In the sample G06 has a major incident: rank 39, not eligible. Losing the table
    # silently made it rank 3 and excellent.
    _break(sample / "incidents.csv", "devnull")
    assert_cli_error(sample, "incidents.csv: is not a regular file but a device, pipe or socket (expected a CSV file)")
    assert_cli_error(
        sample,
        "incidents.csv: is not a regular file but a device, pipe or socket (expected a CSV file)",
        command="score",
    )


@pytest.mark.parametrize("how", sorted(WHY))
@pytest.mark.parametrize("name", ("departments", "values") + OPTIONAL)
def test_every_table_that_cannot_be_read_is_an_error(tiny, name, how):
    _break(tiny / f"{name}.csv", how)
    assert f"{name}.csv: {WHY[how]} (expected a CSV file)" in errors(tiny)
    with pytest.raises(wfscore.InputError):
        wfscore.load_year(tiny)


@pytest.mark.parametrize("how", ["folder", "dangling", "loop"])
def test_a_scheme_that_cannot_be_read_is_an_error_not_a_missing_one(tiny, how):
    _break(tiny / "scheme.yaml", how)
    assert errors(tiny) == [f"scheme.yaml: {WHY[how]} (expected the year's scheme, a YAML text file)"]


def test_a_folder_named_like_a_workbook(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(TINY / "scheme.yaml", folder)
    (folder / "考核数据.xlsx").mkdir()
    assert_cli_error(folder, "考核数据.xlsx: is a folder (expected an .xlsx workbook file)")


def test_a_folder_named_like_a_workbook_beside_csv_files(tiny):
    (tiny / "old.xlsx").mkdir()
    assert errors(tiny) == ["old.xlsx: is a folder (expected an .xlsx workbook file)"]


def test_previous_years_unreadable_departments_is_said(tmp_path):
    prev, year = tmp_path / "2010", tmp_path / "2011"
    shutil.copytree(TINY, year)
    prev.mkdir()
    (prev / "departments.csv").mkdir()
    depts = pd.read_csv(year / "departments.csv", dtype=str, keep_default_na=False)
    depts["previous_ids"] = ["D1"] + [""] * (len(depts) - 1)
    depts.to_csv(year / "departments.csv", index=False)
    problems = [str(p) for p in validate(year)]
    assert (
        "departments.csv, column previous_ids: could not be checked against the previous year's folder "
        f"{prev}: is a folder (expected a CSV file)"
    ) in problems


def test_a_decisions_log_that_is_a_folder(tiny):
    (tiny / "decisions.csv").mkdir()
    proc = run_cli("history", tiny)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "decisions.csv: is a folder (expected the log of decisions, a CSV file written by wfscore)" in proc.stderr


def test_a_disputes_register_that_is_a_folder(tiny):
    """Not an empty register: the listing and every decision are refused, naming the file."""
    (tiny / "disputes.csv").mkdir()
    proc = run_cli("disputes", tiny)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "disputes.csv: is a folder (expected the register of disputes, a CSV file written by wfscore)" in proc.stderr


# -- limits: what a hostile file can cost -------------------------------------------------


def test_a_cell_over_the_csv_limit(tiny):
    with open(tiny / "exemptions.csv", "a", encoding="utf-8") as f:
        f.write("D1,i1," + "长" * (MAX_CELL + 1) + "\n")
    assert_cli_error(
        tiny, f"exemptions.csv line 6: has a cell longer than {MAX_CELL:,} characters (expected shorter cells)"
    )


def test_a_cell_at_the_limit_is_read(tiny):
    with open(tiny / "exemptions.csv", "a", encoding="utf-8") as f:
        f.write("D7,i5," + "长" * MAX_CELL + ",true\n")
    assert not errors(tiny)


def test_a_file_over_the_size_limit(tiny):
    with open(tiny / "ratings.csv", "ab") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: nothing is written
    assert errors(tiny) == [
        f"ratings.csv: is {MAX_BYTES + 1:,} bytes (expected a CSV file of at most {MAX_BYTES:,} bytes)"
    ]


def test_a_row_with_a_huge_number_of_cells(tiny):
    line = len((tiny / "values.csv").read_text(encoding="utf-8").splitlines()) + 1
    with open(tiny / "values.csv", "a", encoding="utf-8") as f:
        f.write("D1,i1,3" + ",x" * 100_000 + "\n")
    assert errors(tiny) == [f"values.csv line {line}: has 100,003 cells on one line (expected at most 100 columns)"]


def test_a_huge_header_is_an_error(tiny):
    (tiny / "ratings.csv").write_text(",".join(f"c{n}" for n in range(200)) + "\n", encoding="utf-8")
    assert errors(tiny) == ["ratings.csv line 1: has 200 cells on one line (expected at most 100 columns)"]


def test_a_cell_over_the_limit_in_a_frame():
    # A workbook cannot hold one (Excel stops at 32,767 characters), but a table rebuilt
    # in memory can: the same check runs on every table, whatever it was read from.
    frame = pd.DataFrame(
        {"dept_id": ["D1"], "indicator": ["i1"], "reason": ["长" * (MAX_CELL + 5)]}, index=pd.Index([2], name="line")
    )
    table = Table("exemptions", "data.xlsx, sheet exemptions", frame, "row")
    assert [str(p) for p in check_text(table)] == [
        f"data.xlsx, sheet exemptions row 2, column reason: '{'长' * 20}…' is {MAX_CELL + 5:,} characters long "
        f"(expected a cell of at most {MAX_CELL:,} characters)"
    ]


# -- encodings ------------------------------------------------------------------------------

FOREIGN = {
    "shift_jis": ("Shift-JIS", ["総務局", "東京都庁", "ひらがなの部", "財務省"]),
    "euc_kr": ("EUC-KR", ["서울특별시청", "행정안전부", "교육부"]),
    "big5": ("Big5", ["臺北市政府", "財政部", "國家發展委員會"]),
}


def _departments(names: list[str]) -> str:
    return "dept_id,name,kind\n" + "".join(f"D{n},{name},gov\n" for n, name in enumerate(names, start=1))


@pytest.mark.parametrize("encoding", sorted(FOREIGN))
def test_a_file_in_another_east_asian_encoding_is_refused(tiny, encoding):
    name, names = FOREIGN[encoding]
    raw = _departments(names).encode(encoding)
    raw.decode("gb18030")  # the trap: it decodes, into nonsense
    (tiny / "departments.csv").write_bytes(raw)
    proc = run_cli("validate", tiny)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    line = next(line for line in proc.stdout.splitlines() if line.startswith("error: departments.csv"))
    assert line.startswith("error: departments.csv: is not UTF-8 and does not look like GB18030: ")
    assert line.endswith(
        "(expected a file saved as UTF-8, UTF-8 with a BOM or GB18030; Shift-JIS, EUC-KR "
        "and Big5 are not read: in Excel save as 'CSV UTF-8')"
    )
    assert f"ordinary {name} text" in line or "not ordinary Chinese" in line


@pytest.mark.parametrize(
    "names",
    [
        ["市委办公室", "市公安局", "王堃工作室", "张喆局", "李昇办", "𠀀部"],  # rare names, one of 4 bytes
        ["一号局", "二号局", "三号部"],
    ],
)
def test_real_gb18030_with_rare_names_loads(names):
    text = _departments(names)
    assert decode(text.encode("gb18030"), "departments.csv")[:2] == (text, "gb18030")


def test_gb18030_that_reads_the_same_as_euc_kr_loads(tiny):
    # full-width digits and ASCII: GB18030 and EUC-KR (and their row 3) encode them alike
    text = "dept_id,score\nD1,８８．５\nD2,５０\nD3,70\n"
    raw = text.encode("gb18030")
    assert raw.decode("cp949") == text  # the same text either way: no doubt about what was written
    assert decode(raw, "website_eval.csv")[:2] == (text, "gb18030")
    (tiny / "website_eval.csv").write_bytes(raw)
    year = wfscore.load_year(tiny)
    assert year.inputs.tables["website_eval"].encoding == "gb18030"
    assert sorted(year.website_eval[~np.isnan(year.website_eval)]) == [50, 70, 88.5]


def test_korean_in_euc_kr_is_still_refused_where_it_reads_as_ordinary_hanzi_too():
    raw = _departments(FOREIGN["euc_kr"][1]).encode("euc_kr")
    assert raw.decode("cp949") != raw.decode("gb18030")
    text, encoding, problem = decode(raw, "departments.csv")
    assert text is None and "it reads as ordinary EUC-KR text" in problem.message


def test_every_sample_table_in_gb18030_loads(sample):
    for path in sample.glob("*.csv"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    year = wfscore.load_year(sample)
    assert {t.encoding for t in year.inputs.tables.values()} <= {"gb18030", "utf-8"}
    assert "gb18030" in {t.encoding for t in year.inputs.tables.values()}
    assert year.departments["name"].iloc[0] == "市委办公室"


# -- scheme.yaml that the YAML library would choke on ---------------------------------------

SCHEME_LINE = len((TINY / "scheme.yaml").read_text(encoding="utf-8").splitlines()) + 1


@pytest.mark.parametrize(
    "extra, expected",
    [
        (
            "x: " + "[" * 1000 + "]" * 1000,
            f"scheme.yaml line {SCHEME_LINE}: nests lists and mappings more than 32 deep "
            "(expected the shape of SPEC §4)",
        ),
        (
            "x: " + "[" * 300_000 + "]" * 300_000,
            f"scheme.yaml line {SCHEME_LINE}: nests lists and mappings more than "
            "32 deep (expected the shape of SPEC §4)",
        ),  # PyYAML's scanner alone would take hours
        (
            "x:\n" + "".join("  " * n + "-\n" for n in range(1, 60)),
            f"scheme.yaml line {SCHEME_LINE + 32}: nests lists "
            "and mappings more than 32 deep (expected the shape of SPEC §4)",
        ),
        (
            "x: " + "{a: " * 1000 + "1" + "}" * 1000,
            f"scheme.yaml line {SCHEME_LINE}: nests lists and mappings more than "
            "32 deep (expected the shape of SPEC §4)",
        ),
        (
            "loop: &a [*a]",
            f"scheme.yaml line {SCHEME_LINE}: uses the anchor &a (expected plain YAML without anchors "
            "and aliases: write each value out)",
        ),
        (
            "[1, 2]: x",
            f"scheme.yaml line {SCHEME_LINE}: has a list or mapping as a key (expected keys that are plain "
            "words or numbers)",
        ),
        (
            "? {a: 1}\n: x",
            f"scheme.yaml line {SCHEME_LINE}: has a list or mapping as a key (expected keys that are "
            "plain words or numbers)",
        ),
        (
            'title2: "a\\x1b[2Jb"',
            f"scheme.yaml line {SCHEME_LINE}: 'a\\x1b[2Jb' has a control character (U+001B), "
            "which no one types on purpose (expected plain text: no control, escape or text-direction characters)",
        ),
    ],
)
def test_scheme_shapes_wfscore_does_not_read(tiny, extra, expected):
    with open(tiny / "scheme.yaml", "a", encoding="utf-8") as f:
        f.write(extra + "\n")
    assert_cli_error(tiny, expected)


def test_billion_laughs_is_refused_before_expanding(tiny):
    laughs = 'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for n in range(1, 12):
        laughs += f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n"
    with open(tiny / "scheme.yaml", "a", encoding="utf-8") as f:
        f.write(laughs)
    assert_cli_error(
        tiny,
        f"scheme.yaml line {SCHEME_LINE}: uses the anchor &l0 (expected plain YAML without "
        "anchors and aliases: write each value out)",
    )


def test_an_alias_alone_is_refused():
    _, problems = parse_scheme("year: 2011\ntitle: *t\n")
    assert [str(p) for p in problems] == [
        "scheme.yaml line 2: uses the alias *t (expected plain YAML without anchors and aliases: write each value out)"
    ]


# -- text nobody typed on purpose -----------------------------------------------------------

CONTROL_WHY = "which no one types on purpose (expected plain text: no control, escape or text-direction characters)"


@pytest.mark.parametrize(
    "bad, shown, code",
    [
        ("\x00", "\\x00", "0000"),
        ("\x1b[31m", "\\x1b[31m", "001B"),
        ("\u202e", "\\u202e", "202E"),
        ("\u2066", "\\u2066", "2066"),
        ("\x85", "\\x85", "0085"),
        ("\n", "\\n", "000A"),
    ],
)
def test_control_characters_in_a_name(tiny, bad, shown, code):
    path = tiny / "departments.csv"
    text = path.read_text(encoding="utf-8").replace("二号局", f'"二号{bad}局"')
    path.write_text(text, encoding="utf-8")
    assert_cli_error(
        tiny, f"departments.csv line 3, column name: '二号{shown}局' has a control character (U+{code}), {CONTROL_WHY}"
    )


def test_tab_anywhere_and_line_breaks_in_free_text_are_kept(tiny):
    path = tiny / "exemptions.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    rows.append('D7,i5,"第一行\n第二行\t备注",true')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert not errors(tiny)


def test_control_characters_in_a_workbook(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(TINY / "scheme.yaml", folder)
    with pd.ExcelWriter(folder / "data.xlsx") as writer:
        for csv in sorted(TINY.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            if csv.stem == "incidents":
                frame.loc[0, "description"] = "泄露\u202egpj.exe"
            frame.to_excel(writer, sheet_name=csv.stem, index=False)
    assert errors(folder) == [
        f"data.xlsx, sheet incidents row 2, column description: '泄露\\u202egpj.exe' has a "
        f"control character (U+202E), {CONTROL_WHY}"
    ]


@pytest.mark.parametrize("year", ["0", "1948", "2101", "-2011", "true"])
def test_a_year_out_of_range_is_refused_by_every_command(tiny, year):
    path = tiny / "scheme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2011", f"year: {year}"), encoding="utf-8")
    problems = errors(tiny)
    assert len(problems) == 1 and problems[0].startswith("scheme.yaml line 2, key year: ")
    if year in ("0", "2101"):
        expected = (
            f"scheme.yaml line 2, key year: '{year}' is invalid: year {year} is not a year (expected a "
            "whole number from 1949 to 2100, such as 2011)"
        )
        assert problems == [expected]
        assert_cli_error(tiny, expected)
        assert_cli_error(tiny, expected, command="score")


# -- word-valued columns and empty rule lists -----------------------------------------------


@pytest.mark.parametrize("word", ["MAJOR", "Major"])
def test_severity_is_read_in_any_case_like_true_false_words(tiny, tmp_path, word):
    other = tmp_path / "other"
    shutil.copytree(tiny, other)
    path = other / "incidents.csv"
    assert ",major," in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(",major,", f",{word},"), encoding="utf-8")
    assert run_cli("validate", other).returncode == 0
    lower, upper = (wfscore.score(wfscore.load_year(f)) for f in (tiny, other))
    assert not all(lower.ranking["eligible"])  # the major incident disqualifies
    assert list(upper.ranking["eligible"]) == list(lower.ranking["eligible"])
    np.testing.assert_array_equal(upper.total, lower.total)


def test_an_unknown_severity_is_an_error(tiny):
    path = tiny / "incidents.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",major,", ",severe,"), encoding="utf-8")
    assert [e for e in errors(tiny) if "severity" in e] == [
        "incidents.csv line 2, column severity: 'severe' is not a severity (expected ordinary or major)"
    ]


def test_ids_stay_case_sensitive(tiny):
    path = tiny / "departments.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("D1,一号局,gov", "D1,一号局,GOV"), encoding="utf-8")
    assert any(
        e.startswith("departments.csv line 2, column kind: 'GOV' is not a kind of the scheme") for e in errors(tiny)
    )


def test_an_empty_website_kinds_list_is_no_website_evaluation(tiny, tmp_path):
    text = (tiny / "scheme.yaml").read_text(encoding="utf-8")
    assert "kinds: [gov]}" in text
    (tiny / "scheme.yaml").write_text(text.replace("kinds: [gov]}", "kinds: []}"), encoding="utf-8")
    without = tmp_path / "without"
    shutil.copytree(tiny, without)
    lines = [line for line in text.splitlines() if "website_evaluation:" not in line]
    (without / "scheme.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_cli("validate", tiny)
    assert proc.returncode == 0, proc.stdout
    empty = wfscore.score(wfscore.load_year(tiny))
    none = wfscore.score(wfscore.load_year(without))
    np.testing.assert_array_equal(empty.total, none.total)
    assert list(empty.ranking["dept_id"]) == list(none.ranking["dept_id"])
    assert not wfscore.load_year(tiny).takes_website_eval().any()


# -- files that would be passed over or misread without a word -----------------------------


def test_a_table_named_in_another_case_is_an_error(tiny):
    (tiny / "incidents.csv").rename(tiny / "Incidents.csv")
    assert_cli_error(
        tiny,
        "Incidents.csv: is named like incidents.csv but in other letters' case (expected "
        "the name incidents.csv exactly: rename it)",
    )


def test_utf16_without_a_bom_is_named_as_such(tiny):
    path = tiny / "departments.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert errors(tiny) == [
        "departments.csv: is UTF-16 text without a byte order mark, which wfscore does not "
        "read (expected UTF-8 or GB18030; in Excel save as 'CSV UTF-8')"
    ]


def test_gb18030_with_its_byte_order_mark(tiny):
    path = tiny / "departments.csv"
    path.write_bytes(("\ufeff" + path.read_text(encoding="utf-8")).encode("gb18030"))
    assert path.read_bytes().startswith(b"\x84\x31\x95\x33")
    assert wfscore.load_year(tiny).departments["name"].tolist()[:3] == ["一号局", "二号局", "三号部"]


def test_an_empty_website_kinds_list_through_what_if_and_sensitivity(tiny):
    from wfscore.analysis.scenario import with_rules
    from wfscore.analysis.sensitivity import analyse

    text = (tiny / "scheme.yaml").read_text(encoding="utf-8")
    (tiny / "scheme.yaml").write_text(text.replace("kinds: [gov]}", "kinds: []}"), encoding="utf-8")
    data = wfscore.load_year(tiny)
    official = wfscore.score(data)
    for website in (True, False):  # the what-if switch: the rule (with no kind) or no rule: the same scores
        scenario = with_rules(data.scheme.model_copy(deep=True), data.scheme, website_evaluation=website)
        np.testing.assert_array_equal(wfscore.score(data, scenario).total, official.total)
    robust = analyse(data, samples=64, seed=1, chunk_size=32, keep_samples=True, resamples=10)
    assert robust.totals.shape[0] == 64 and np.isfinite(robust.totals).all()
    assert len(robust.table) == len(official.total)


@pytest.mark.parametrize("how", ["folder", "dangling"])
def test_a_synthetic_flag_that_is_not_a_file_still_marks_the_data(tiny, how):
    _break(tiny / "SYNTHETIC", how)
    assert wfscore.load_year(tiny).synthetic


# -- whatever the bytes, problems and never an exception ------------------------------------

from hypothesis import (  # noqa: E402
    HealthCheck,
    given,
    settings,
    strategies as st,  # noqa: E402
)

_TINY_TEXT = (TINY / "scheme.yaml").read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["departments.csv", "incidents.csv", "values.csv", "scheme.yaml"]),
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.text(alphabet="[]{}:,&*?!|>-'\"#\n 0a", max_size=120).map(lambda t: (_TINY_TEXT + t).encode("utf-8")),
    ),
)
def test_any_bytes_give_problems_not_exceptions(tmp_path_factory, name, content):
    folder = tmp_path_factory.mktemp("any") / "tiny"
    shutil.copytree(TINY, folder)
    (folder / name).write_bytes(content)
    problems = validate(folder)  # raises nothing
    assert all(p.source and p.message for p in problems)


def test_a_quoted_cell_over_the_limit_on_short_lines(tiny):
    # Every line is short; the quoted cell that joins them is not. It starts on line 6 and
    # passes the limit on its 131st line (131 × 1,001 characters > 131,072): line 136.
    with open(tiny / "exemptions.csv", "a", encoding="utf-8") as f:
        f.write('D7,i5,"' + ("长" * 1000 + "\n") * 140 + '",true\n')
    assert [e for e in errors(tiny) if "longer than" in e] == [
        f"exemptions.csv line 136: has a cell longer than {MAX_CELL:,} characters (expected shorter cells)"
    ]


# Every character a cell may not hold somewhere, as the README lists them: C0 and C1 controls
# but tab, DEL, the line and paragraph separators, and the text-direction controls. (Line
# feed and carriage return end a line unless quoted, and a quote is never plain.)
REFUSED = [
    chr(c)
    for c in [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
    ]
]


@pytest.mark.parametrize(
    "text",
    [
        "dept_id,name,kind\nD1,一号{c}局,gov\n",
        "dept_id,name,kind\nD1,one{c},gov\n",
        "dept_id,na{c}me,kind\nD1,one,gov\n",
    ],
)
def test_a_text_with_a_refused_character_is_never_plain(text):
    # A plain text's table skips the cell-by-cell look for control characters: each of them
    # must make the text not plain, or its cell would go unreported.
    for c in REFUSED + ['"']:
        assert not plain_text(text.format(c=c)), repr(c)
    assert plain_text(text.format(c="\t")) and plain_text(text.format(c="\u3000"))


def test_a_control_character_in_a_large_table_is_found(tiny):
    values = (tiny / "values.csv").read_text(encoding="utf-8")
    rows = values.splitlines()
    rows[-1] = rows[-1].replace(",", ",\x1b", 1)
    (tiny / "values.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert any(f"values.csv line {len(rows)}, column indicator:" in e and "U+001B" in e for e in errors(tiny))
