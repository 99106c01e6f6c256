"""Numbers as people write them (wfscore/inputs/numbers.py): the parser itself, and the same
rules in the year's tables (values, ratings, website evaluation; CSV and data.xlsx).

NFKC folding read ``85¹`` as 851, ``⑧`` as 8 and ``㊿`` as 50: a footnote mark turned a
value into the index maximum and rescaled every department. Only full-width digits and
number punctuation are folded now; the returned forms' side is in test_collect.py.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import wfscore
from helpers import run_cli, tiny_as_workbook
from wfscore.inputs import collect, numbers, validation
from wfscore.inputs.loading import validate

EXPECTED = "(expected a non-negative number, written like 85 or 85.5)"

ACCEPTED = [
    ("85", "85"),
    ("85.5", "85.5"),
    (" 85 ", "85"),
    ("+85", "85"),
    ("-3", "-3"),
    (".5", "0.5"),
    ("5.", "5"),
    ("1e3", "1000"),
    ("1.5E-2", "0.015"),
    ("0085", "85"),
    ("-0", "0"),
    ("-0.0", "0"),
    ("０８５", "85"),
    ("８５．５", "85.5"),
    ("－３", "-3"),
    ("＋３", "3"),
    ("１ｅ３", "1000"),
    ("85\u3000", "85"),
    ("\u00a085", "85"),
]
DIGIT = "is not one of the digits 0–9"
REFUSED = [
    ("85¹", f"'¹' (U+00B9) {DIGIT}"),  # a footnote mark
    ("85₂", f"'₂' (U+2082) {DIGIT}"),  # a subscript
    ("⑧", f"'⑧' (U+2467) {DIGIT}"),  # circled
    ("㊿", f"'㊿' (U+32BF) {DIGIT}"),
    ("⑴", f"'⑴' (U+2474) {DIGIT}"),  # parenthesised
    ("½", f"'½' (U+00BD) {DIGIT}"),
    ("Ⅷ", f"'Ⅷ' (U+2167) {DIGIT}"),  # a Roman numeral
    ("١٢٣", f"'١' (U+0661) {DIGIT}"),  # Arabic-Indic
    ("१२३", f"'१' (U+0967) {DIGIT}"),  # Devanagari
    ("85。5", "'。' (U+3002) is a full stop, not a decimal point"),
    ("８５。５", "'。' (U+3002) is a full stop, not a decimal point"),
    ("1_000", "it has an underscore between its digits"),
    ("8 5", "it has a space between its digits"),
    ("８５\u3000５", "it has a space between its digits"),
    ("1e-999999999", "it is too close to 0 to be read (it would read as 0)"),
    ("1e-400", "it is too close to 0 to be read (it would read as 0)"),
]
PLAIN_REFUSALS = ["abc", "nan", "NaN", "1,000", "85%", "0x10", "1/2", "一百", "−1", "1e", ".", "+", "True"]
INFINITE = ["inf", "-inf", "Infinity", "1e999", "-1e999", "1e999999999999999999999"]


# -- the parser -------------------------------------------------------------------------


@pytest.mark.parametrize("text, number", ACCEPTED)
def test_numbers_as_people_write_them(text, number):
    assert numbers.read(text) == Decimal(number)
    assert str(numbers.read(text)) != "-0"


@pytest.mark.parametrize("text, reason", REFUSED)
def test_look_alike_digits_and_odd_forms_are_refused_with_the_reason(text, reason):
    with pytest.raises(numbers.NotANumber) as caught:
        numbers.read(text)
    assert caught.value.reason == reason and not caught.value.infinite
    assert math.isnan(numbers.to_float(text))


@pytest.mark.parametrize("text", PLAIN_REFUSALS)
def test_words_and_other_text_are_not_numbers(text):
    with pytest.raises(numbers.NotANumber) as caught:
        numbers.read(text)
    assert caught.value.reason is None and not caught.value.infinite


@pytest.mark.parametrize("text", INFINITE)
def test_infinite_words_and_numbers_too_large_to_read(text):
    with pytest.raises(numbers.NotANumber) as caught:
        numbers.read(text)
    assert caught.value.infinite
    assert numbers.to_float(text) == (-math.inf if text.startswith("-") else math.inf)


FULL_WIDTH_CHARS = "".join(chr(c) for c in range(0xFF01, 0xFF5F))  # the full-width forms of ASCII


def nfkc_full_width(text: str) -> str:
    """``text`` with the full-width forms of ASCII (and nothing else) folded by NFKC."""
    return "".join(unicodedata.normalize("NFKC", c) if c in FULL_WIDTH_CHARS else c for c in text)


def _written(number: Decimal, style: str, wide: list[bool]) -> str:
    text = format(number, style)
    return "".join(nfkc_to_wide(c) if w else c for c, w in zip(text, wide + [False] * len(text)))


def nfkc_to_wide(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


NUMBER_TEXT = st.builds(
    _written,
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9),
    st.sampled_from(["f", "e", "E", "g"]),
    st.lists(st.booleans(), max_size=20),
)
ANY_TEXT = st.text(
    st.sampled_from("0123456789+-.eE _,%。 ") | st.sampled_from(FULL_WIDTH_CHARS[:64]) | st.characters(), max_size=10
)


@settings(max_examples=400, deadline=None)
@given(NUMBER_TEXT | ANY_TEXT)
def test_what_is_accepted_is_the_decimal_of_its_ascii_folded_form(text):
    try:
        number = numbers.read(text)
    except numbers.NotANumber:
        return
    folded = nfkc_full_width(text).strip()
    assert folded.isascii()
    assert number == Decimal(folded)


def _with(text: str, c: str, at: int) -> str:
    return text[:at] + c + text[at:]


OTHER_DIGITS = st.characters(categories=("Nd", "No", "Nl")).filter(
    lambda c: not c.isascii() and c not in FULL_WIDTH_CHARS
)


@settings(max_examples=300, deadline=None)
@given(NUMBER_TEXT, OTHER_DIGITS, st.integers(0, 30))
def test_a_digit_that_is_not_a_full_width_one_is_refused_everywhere(text, digit, at):
    cell = _with(text, digit, at)
    with pytest.raises(numbers.NotANumber):
        numbers.read(cell)
    assert np.isnan(validation.number(pd.Series([cell], dtype=object)).iloc[0])
    assert collect.parse_number(cell, collect.NON_NEGATIVE)[0] is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("0123456789+-.eE"), min_size=1, max_size=8), min_size=1, max_size=20))
def test_the_loaders_fast_reading_of_a_column_reads_as_the_parser(cells):
    read = validation.number(pd.Series(cells, dtype=object)).to_numpy()
    np.testing.assert_array_equal(read, [numbers.to_float(c) for c in cells])
    assert not np.signbit(read[read == 0]).any()  # -0 is 0


# -- the year's tables --------------------------------------------------------------------


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(folder: Path) -> list[str]:
    return [str(p) for p in validate(folder) if p.is_error]


@pytest.mark.parametrize("cell, reason", REFUSED)
def test_a_value_written_with_look_alike_digits_is_an_error(tiny, cell, reason):
    edit(tiny, "values.csv", "D4,i2,1", f"D4,i2,{cell}")
    assert errors(tiny) == [f"values.csv line 4, column value: {cell!r} is not a number: {reason} {EXPECTED}"]


def test_ratings_and_website_scores_are_read_by_the_same_rules(tiny):
    edit(tiny, "ratings.csv", "D1,i1,E4,100", "D1,i1,E4,⑧")
    edit(tiny, "website_eval.csv", "D2,50", "D2,5⁰")
    assert errors(tiny) == [
        f"ratings.csv line 5, column rating: '⑧' is not a number: '⑧' (U+2467) {DIGIT} "
        "(expected a rating from 0 to 100, written like 85 or 85.5)",
        f"website_eval.csv line 3, column score: '5⁰' is not a number: '⁰' (U+2070) {DIGIT} "
        "(expected a website evaluation score from 0 to 100, written like 85 or 85.5)",
    ]


def test_a_workbook_is_read_by_the_same_rules(tiny, tmp_path):
    book = tiny_as_workbook(
        tiny, tmp_path / "book" / "data.xlsx", {("values", 2, "value"): "㊿", ("ratings", 0, "rating"): "９０"}
    )  # full-width: still read
    assert errors(book.parent) == [
        f"data.xlsx, sheet values row 4, column value: '㊿' is not a number: '㊿' (U+32BF) {DIGIT} {EXPECTED}"
    ]


def test_a_footnote_mark_on_a_sample_value_is_an_error_not_a_new_maximum(sample):
    edit(sample, "values.csv", "C01,13,1.35", "C01,13,1.35¹")
    assert errors(sample) == [
        f"values.csv line 2, column value: '1.35¹' is not a number: '¹' (U+00B9) {DIGIT} {EXPECTED}"
    ]


def test_minus_zero_is_zero(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i2,-0")
    year = wfscore.load_year(tiny)
    assert not np.signbit(year.values[~np.isnan(year.values)]).any()


def test_the_refusal_in_english_and_chinese_through_the_console_script(tiny):
    edit(tiny, "values.csv", "D4,i2,1", "D4,i2,1_0")
    en = run_cli("validate", tiny)
    assert en.returncode == 1
    assert (
        f"values.csv line 4, column value: '1_0' is not a number: it has an underscore between its digits {EXPECTED}"
    ) in en.stdout
    zh = run_cli("validate", tiny, lang="zh")
    assert zh.returncode == 1
    assert "'1_0' 不是数字：数字中间有下划线（应为非负数，写法如 85 或 85.5）" in zh.stdout, zh.stdout
