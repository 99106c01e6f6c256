"""Reading files: UTF-8, UTF-8 with BOM, GB18030, one .xlsx workbook; line numbers."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

import wfscore
from wfscore.inputs.files import decode, parse_csv, read_folder


def recode(folder, encoding: str, bom: bytes = b"") -> None:
    for path in folder.glob("*.csv"):
        path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))


def same_scores(a, b) -> None:
    assert list(a.ranking["dept_id"]) == list(b.ranking["dept_id"])
    np.testing.assert_array_equal(a.total, b.total)


@pytest.fixture(scope="module")
def tiny_scores():
    from helpers import TINY

    return wfscore.score(wfscore.load_year(TINY))


@pytest.mark.parametrize("encoding, bom", [("utf-8", codecs.BOM_UTF8), ("gb18030", b"")])
def test_encodings_score_alike(tiny, tiny_scores, encoding, bom):
    recode(tiny, encoding, bom)
    assert "三号部".encode(encoding) in (tiny / "departments.csv").read_bytes()
    year = wfscore.load_year(tiny)
    assert year.departments["name"].tolist()[2] == "三号部"
    same_scores(wfscore.score(year), tiny_scores)


def test_decode_detects_the_encoding():
    text = "dept_id,name\nD1,市委办公室\n"
    assert decode(text.encode("utf-8"), "x.csv")[:2] == (text, "utf-8")
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8"), "x.csv")[:2] == (text, "utf-8-sig")
    assert decode(text.encode("gb18030"), "x.csv")[:2] == (text, "gb18030")
    _, _, problem = decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "x.csv")
    assert "UTF-16" in str(problem)


def test_workbook_scores_like_the_csv_files(tiny, tiny_scores, tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "scheme.yaml").write_bytes((tiny / "scheme.yaml").read_bytes())
    with pd.ExcelWriter(folder / "考核数据.xlsx") as writer:
        for csv in sorted(tiny.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            for column in ("value", "rating", "score"):
                if column in frame:  # numbers as numbers, the way Excel stores them
                    frame[column] = pd.to_numeric(frame[column])
            frame.to_excel(writer, sheet_name=csv.stem, index=False)
    year = wfscore.load_year(folder)
    assert year.sources["values"] == "考核数据.xlsx, sheet values"
    same_scores(wfscore.score(year), tiny_scores)
    assert set(year.files) == {"scheme.yaml", "考核数据.xlsx"}


def test_workbook_beside_csv_files_is_an_error(tiny):
    pd.DataFrame({"dept_id": ["D1"]}).to_excel(tiny / "extra.xlsx", index=False)
    with pytest.raises(wfscore.InputError, match="extra.xlsx: is a workbook beside CSV tables"):
        wfscore.load_year(tiny)


def test_excel_lock_files_are_ignored(tiny, tiny_scores):
    (tiny / "~$values.xlsx").write_bytes(b"lock")
    same_scores(wfscore.score(wfscore.load_year(tiny)), tiny_scores)


def test_line_numbers_count_blank_lines_and_quoted_newlines():
    text = 'dept_id,name,kind\nD1,"一号\n局",gov\n\n , ,\nD2,二号局 , gov \n'
    frame, problems = parse_csv(text, "departments", "departments.csv")
    assert problems == []
    assert list(frame.index) == [2, 5]  # rows as a spreadsheet numbers them; empty rows skipped
    assert frame.loc[5].tolist() == ["D2", "二号局", "gov"]  # cells trimmed


def test_short_rows_are_padded_and_header_is_trimmed():
    frame, problems = parse_csv(" dept_id , name ,kind,\nD1,一号局\n", "departments", "departments.csv")
    assert problems == [] and list(frame.columns) == ["dept_id", "name", "kind"]
    assert frame.loc[2].tolist() == ["D1", "一号局", ""]


def test_duplicate_header_and_empty_file():
    _, problems = parse_csv("dept_id,dept_id\n", "departments", "departments.csv")
    assert str(problems[0]) == (
        "departments.csv line 1: 'dept_id' is a column name used twice in the header (expected each once)"
    )
    _, problems = parse_csv("", "values", "values.csv")
    assert str(problems[0]) == "values.csv line 1: is empty (expected a header row naming its columns)"


def test_hashes_of_every_input(tiny):
    import hashlib

    inputs = read_folder(tiny)
    assert inputs.hashes["values.csv"] == hashlib.sha256((tiny / "values.csv").read_bytes()).hexdigest()
    assert set(inputs.hashes) == {p.name for p in tiny.iterdir() if p.suffix in {".csv", ".yaml"}}


def test_absent_optional_files_mean_no_rows(tiny):
    for name in ("ratings", "exemptions", "incidents", "achievements"):
        (tiny / f"{name}.csv").unlink()
    year = wfscore.load_year(tiny)
    assert not year.exempt.any() and not year.incidents.any() and year.achievements.sum() == 0
    assert year.ratings.shape[-1] == 0
    wfscore.score(year)  # scores without them


def test_not_a_folder(tmp_path):
    with pytest.raises(wfscore.InputError, match="is not a folder"):
        wfscore.load_year(tmp_path / "nowhere")


def test_the_white_space_list_is_str_strips():
    from wfscore.inputs.files import SPACES

    assert set(SPACES) == {chr(c) for c in range(0x110000) if chr(c).isspace()} - {"\r", "\n"}


def test_the_fast_csv_reading_equals_the_csv_modules():
    """pandas' C reader, where parse_csv uses it, gives what the csv module's reading does:
    the same columns, lines, trimmed cells and problems."""
    from hypothesis import given, settings, strategies as st

    from wfscore.inputs.files import _parse_fast, parse_csv_lines

    pieces = st.sampled_from(list(',,,""\n\n\r ab1\t\u3000一\x0b') + ["\r\n", "a,b", "x,y,z\n"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def same(text):
        fast = _parse_fast(text, "f.csv")
        if fast is None:
            return  # read by the csv module itself
        (frame, problems), (want, want_problems) = fast, parse_csv_lines(text, "f.csv")
        assert problems == want_problems
        if want is None:
            assert frame is None
            return
        assert list(frame.columns) == list(want.columns)
        assert list(frame.index) == list(want.index)
        assert frame.values.tolist() == want.values.tolist()
        assert all(frame[c].dtype == object for c in frame)

    same()
