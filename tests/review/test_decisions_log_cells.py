"""decisions.csv, which people open in Excel: formula-leading text is written inert and read
back exactly as it was recorded."""

from __future__ import annotations

from wfscore.review.decisions import LOG, decide, read_log


def test_formula_text_in_the_log_is_inert_and_round_trips(tiny):
    comment = '=HYPERLINK("http://x","y")'
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="@admin", comment=comment)
    decide(tiny, "exemptions.csv", 5, "confirmed", "false", reviewer="'quoted'", comment="-1+1")
    raw = (tiny / LOG).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "'@admin" in raw and "'-1+1" in raw and "''quoted'" in raw
    log = read_log(tiny)
    assert log["comment"].tolist() == [comment, "-1+1"]
    assert log["reviewer"].tolist() == ["@admin", "'quoted'"]
    assert log["new_value"].tolist() == ["true", "false"]


def test_full_width_formula_text_in_the_log_is_inert_and_round_trips(tiny):
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="＠admin", comment="＝1+1")
    decide(tiny, "exemptions.csv", 5, "confirmed", "false", reviewer="甲", comment="－1")
    raw = (tiny / LOG).read_text(encoding="utf-8-sig")
    assert "'＝1+1" in raw and "'＠admin" in raw and "'－1" in raw
    log = read_log(tiny)
    assert log["comment"].tolist() == ["＝1+1", "－1"]
    assert log["reviewer"].tolist() == ["＠admin", "甲"]
