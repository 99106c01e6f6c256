"""scheme.yaml: the 2011 scheme as data, parsing with line numbers, whole-scheme checks."""

from __future__ import annotations

import pytest

from helpers import ROOT, SAMPLE, TINY
from wfscore.inputs import scheme_yaml
from wfscore.inputs.scheme import SchemeArrays
from wfscore.inputs.scheme_yaml import parse_scheme, read_scheme

SEED_WEIGHTS = {  # SPEC §2, from the notice's attachment
    "1": 70,
    "2": 20,
    "3": 30,
    "4": 40,
    "5": 60,
    "6": 30,
    "7": 30,
    "8": 40,
    "9": 40,
    "10": 40,
    "11": 40,
    "12": 30,
    "13": 20,
    "14": 40,
    "15": 30,
    "16": 40,
    "17": 40,
    "18": 20,
    "19": 30,
    "20": 10,
    "21": 50,
    "22": 50,
    "S1": 100,
    "23": 40,
    "24": 30,
    "25": 20,
    "26": 10,
}


def test_2011_scheme_matches_the_notice():
    scheme = read_scheme(SAMPLE / "scheme.yaml")
    assert [(s.id, s.points) for s in scheme.sections] == [("indicators", 800), ("self_check", 100), ("rewards", 100)]
    assert [(c.id, c.points) for c in scheme.categories] == [
        ("system", 160),
        ("website", 200),
        ("egov", 240),
        ("security", 100),
        ("training", 100),
        ("self_report", 100),
        ("awards", 90),
        ("funding", 10),
    ]
    assert {i.id: i.weight for i in scheme.indicators} == SEED_WEIGHTS
    assert len(scheme.indicators) == 27  # 26 numbered indicators and S1
    assert {i.id for i in scheme.indicators if i.method == "binary"} == {"23", "24", "25", "26"}
    assert scheme.indicator("S1").method == "direct"
    assert scheme.total_points == 1000
    assert set(scheme.kinds) == {
        "party",
        "npc",
        "government",
        "cppcc",
        "court",
        "procuratorate",
        "people_org",
        "vertical",
    }


def test_2011_indicators_carry_the_attachment_text_and_english_names():
    scheme = read_scheme(SAMPLE / "scheme.yaml")
    notice = (ROOT / "docs" / "notice-2011.txt").read_text(encoding="utf-8")
    for ind in scheme.indicators:
        assert ind.name and ind.name_en and ind.text, ind.id
        if ind.id != "S1":  # S1 has no row in the attachment; its text paraphrases 三、1
            assert ind.text in notice, ind.id  # verbatim from the notice's attachment
    assert scheme.indicator("1").text.startswith("重视信息化工作，领导与管理推进机制健全")
    assert "发生一起信息安全事故" in scheme.indicator("17").note


def test_2011_rules():
    rules = read_scheme(SAMPLE / "scheme.yaml").rules
    assert rules.not_applicable == "category"
    assert rules.website_evaluation.category == "website" and rules.website_evaluation.kinds == ["government"]
    assert rules.security_incident.category == "security" and rules.security_incident.indicators is None
    assert rules.major_incident == "disqualify" and rules.ratings == "trimmed_mean" and rules.rank_precision == 2
    assert rules.excellence.share == 0.2 and rules.conversion.points == 100
    arrays = read_scheme(SAMPLE / "scheme.yaml").arrays
    assert [i for i, s in zip(arrays.indicator_ids, arrays.security) if s] == ["17", "18", "19", "20"]
    assert [i for i, w in zip(arrays.indicator_ids, arrays.website) if w] == ["5", "6", "7", "8", "9"]


def test_ids_are_kept_as_written():
    text = (TINY / "scheme.yaml").read_text(encoding="utf-8").replace("{id: i1,", "{id: 01,")
    scheme, problems = parse_scheme(text)
    assert scheme is not None, problems
    assert scheme.indicators[0].id == "01"


def test_to_yaml_round_trips():
    scheme = read_scheme(SAMPLE / "scheme.yaml")
    again, problems = parse_scheme(scheme.to_yaml())
    assert problems == []
    assert again == scheme


def test_unknown_keys_warn_but_load():
    text = (
        (TINY / "scheme.yaml").read_text(encoding="utf-8").replace("title: 手算示例", "title: 手算示例\nremark: 备注")
    )
    scheme, problems = parse_scheme(text)
    assert scheme is not None
    assert [str(p) for p in problems] == ["scheme.yaml line 4, key remark: is not a key wfscore knows; it is ignored"]


def test_missing_key_and_bad_literal():
    text = (TINY / "scheme.yaml").read_text(encoding="utf-8")
    text = text.replace("        name: 工作体系\n", "").replace("not_applicable: category", "not_applicable: sometimes")
    scheme, problems = parse_scheme(text)
    assert scheme is None
    messages = [str(p) for p in problems]
    assert "scheme.yaml line 10, key sections[0].categories[0].name: is missing (expected this key)" in messages
    assert any(
        m.startswith(
            "scheme.yaml line 46, key rules.not_applicable: 'sometimes' is invalid: input should be "
            "'category', 'section' or 'none'"
        )
        for m in messages
    ), messages


def test_duplicate_yaml_key():
    text = (TINY / "scheme.yaml").read_text(encoding="utf-8").replace("year: 2011", "year: 2011\nyear: 2012")
    _, problems = parse_scheme(text)
    assert "scheme.yaml line 3, key year: is a key written twice in the same mapping (expected each key once)" in [
        str(p) for p in problems
    ]


def test_rule_naming_unknown_kind_and_indicator():
    text = (TINY / "scheme.yaml").read_text(encoding="utf-8")
    text = text.replace("kinds: [gov]", "kinds: [government]")
    text = text.replace("security_incident: {category: c3}", "security_incident: {category: c3, indicators: [i1]}")
    _, problems = parse_scheme(text)
    messages = [str(p) for p in problems]
    assert (
        "scheme.yaml line 48, key rules.website_evaluation.kinds[0]: 'government' is not a kind of the scheme "
        "(expected one of gov, party, org)"
    ) in messages
    assert (
        "scheme.yaml line 49, key rules.security_incident.indicators[0]: 'i1' is not an indicator of category c3 "
        "(expected one of i5)"
    ) in messages


def test_arrays_layout():
    arrays = SchemeArrays.of(read_scheme(TINY / "scheme.yaml"))
    assert arrays.indicator_ids == ("i1", "i2", "i3", "i4", "i5", "s1", "b1", "b2")
    assert list(arrays.category_of) == [0, 0, 1, 1, 2, 3, 4, 4]
    assert list(arrays.section_of) == [0, 0, 0, 0, 0, 1, 2, 2]
    assert arrays.in_category.sum(axis=0).tolist() == [2, 2, 1, 1, 2]
    assert list(arrays.lower_is_better) == [False, True, False, False, False, False, False, False]
    assert arrays.website_kinds == frozenset({"gov"})


def test_arrays_follow_edits():
    scheme = read_scheme(TINY / "scheme.yaml")
    assert scheme.arrays.weight[0] == 30
    scheme.sections[0].categories[0].indicators[0].weight = 25
    assert scheme.arrays.weight[0] == 25  # never a stale cache


@pytest.mark.parametrize("share", [0, 1.5])
def test_excellence_share_range(share):
    text = (TINY / "scheme.yaml").read_text(encoding="utf-8").replace("share: 0.5", f"share: {share}")
    scheme, problems = parse_scheme(text)
    assert scheme is None and "rules.excellence.share" in str(problems[0])


_TINY_TEXT = (TINY / "scheme.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        (SAMPLE / "scheme.yaml").read_text(encoding="utf-8"),
        _TINY_TEXT,
        _TINY_TEXT.replace("title: 手算示例", "title:\t手算示例"),  # libyaml reads this tab; PyYAML refuses it
        _TINY_TEXT.replace("party: 党的机关", "pa? rty: 党的机关"),  # and this "?" in {...}
        _TINY_TEXT.replace("title: 手算示例", "title: 手算示例\nnote: an extra key"),  # a warning
        _TINY_TEXT.replace("year: 2011", "year: 11"),  # an error
    ],
)
def test_a_scheme_reads_alike_with_and_without_libyaml(text):
    # parse_scheme takes libyaml's reading only where the pure-Python parser's is the same.
    fast = parse_scheme(text)
    slow = scheme_yaml._parse(text, "scheme.yaml", scheme_yaml._Loader)
    assert fast[0] == slow[0]
    assert [str(p) for p in fast[1]] == [str(p) for p in slow[1]]


def test_the_pure_python_parser_refuses_what_libyaml_would_take():
    for text in (
        _TINY_TEXT.replace("title: 手算示例", "title:\t手算示例"),
        _TINY_TEXT.replace("party: 党的机关", "pa? rty: 党的机关"),
    ):
        scheme, problems = parse_scheme(text)
        assert scheme is None and "is not valid YAML" in str(problems[0])
