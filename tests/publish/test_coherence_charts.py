"""The report's statistical audit section and its charts, for every kind of scheme."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import wfscore
from helpers import SAMPLE, TINY, HtmlParts
from wfscore.analysis import coherence
from wfscore.publish import coherence_charts
from yeargen import tiny_scheme_with, write_year, years

SCHEMES = {
    "all-rules": {},
    "no-excellence": {"excellence": None},
    "no-conversion": {"conversion": None},
    "no-website": {"website_evaluation": None},
    "no-incidents": {"security_incident": None, "major_incident": "none"},
    "ratings-mean": {"ratings": "mean"},
    "ratings-median": {"ratings": "median"},
    "nothing-optional": {
        "excellence": None,
        "conversion": None,
        "website_evaluation": None,
        "security_incident": None,
        "major_incident": "none",
    },
}


def _result(tmp_path: Path, rules: dict) -> wfscore.Result:
    folder = tmp_path / "y"
    shutil.copytree(TINY, folder)
    (folder / "scheme.yaml").write_text(tiny_scheme_with(**rules), encoding="utf-8")
    return wfscore.score(wfscore.load_year(folder))


def _check(section, lang: str, result) -> HtmlParts:
    page = HtmlParts(section.html)
    text = "".join(page.text)
    assert section.title == ("指标体系统计检验" if lang == "zh" else "Statistical audit of the indicator system")
    images = [a["src"] for tag, a in page.tags if tag == "img"]
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    for ind in result.scheme.indicators:  # every indicator is in the table, assessed or not
        assert f"{ind.id} " in text
    assert "<li>" in section.html  # the flags, in sentences
    return page


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(SCHEMES))
def test_the_section_for_every_kind_of_scheme(tmp_path, name, lang):
    result = _result(tmp_path, SCHEMES[name])
    section = coherence_charts.report_section(result, lang, resamples=30)
    page = _check(section, lang, result)
    text = "".join(page.text)
    # indicators that cannot be assessed on 7 departments say why, in the report's language
    audited = coherence.audit(result, resamples=0, lang=lang)
    for status in set(audited.indicators["status"]) - {"ok"}:
        assert coherence.status_text(status, lang) in text


def test_the_section_of_the_sample_year_in_chinese():
    result = wfscore.score(wfscore.load_year(SAMPLE))
    section = coherence_charts.report_section(result, "zh", resamples=50)
    text = "".join(HtmlParts(section.html).text)
    assert "主效应占比" in text and "Cronbach" in text
    assert "高度相关" in text  # the synthetic sample's indicators share one factor
    assert "表彰奖励" in text and "一致性较弱" in text  # the awards category's low alpha


def test_the_charts_label_indicators_with_their_chinese_names():
    result = wfscore.score(wfscore.load_year(TINY))
    a = coherence.audit(result, resamples=0)
    for fig in (coherence_charts.heatmap(a), coherence_charts.effects_chart(a)):
        labels = [t.get_text() for ax in fig.axes for t in ax.texts]
        assert "i1 领导机制" in labels and "b2 市级奖励" in labels


def test_hostile_names_stay_text(hostile):
    # scheme names with markup: escape them in the section's HTML
    scheme = (hostile / "scheme.yaml").read_text(encoding="utf-8")
    (hostile / "scheme.yaml").write_text(
        scheme.replace("name: 领导机制", 'name: "<script>alert(9)</script>"'), encoding="utf-8"
    )
    result = wfscore.score(wfscore.load_year(hostile))
    section = coherence_charts.report_section(result, "zh", resamples=0)
    page = HtmlParts(section.html)
    assert "script" not in [tag for tag, _ in page.tags]
    assert "<script>alert(9)</script>" in "".join(page.text)


def test_an_unknown_language_is_an_error():
    result = wfscore.score(wfscore.load_year(TINY))
    with pytest.raises(ValueError):
        coherence_charts.report_section(result, "fr", resamples=0)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years(min_departments=2, max_departments=10))
def test_the_section_for_random_years(tables):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_year(Path(tmp) / "y", tables)
        result = wfscore.score(wfscore.load_year(folder))
    _check(coherence_charts.report_section(result, "zh", resamples=10), "zh", result)
