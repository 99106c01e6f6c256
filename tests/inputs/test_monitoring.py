"""The monitoring's part of a year: the website column, the scheme's monitoring keys,
the figures drawn from monitoring/ and their place among the values, and probes.csv
written safely (a kill loses no row and leaves no half row)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import SAMPLE
from monitoring_year import add_websites, monitored_scheme, monitoring_year, write_monitoring
from wfscore.engine.explain import explain
from wfscore.engine.pipeline import score
from wfscore.inputs.loading import load_year, validate
from wfscore.inputs.monitoring.figures import basis_text
from wfscore.inputs.monitoring.records import PROBE_COLUMNS, Appender, read_records
from wfscore.inputs.scheme_yaml import parse_scheme, read_scheme
from yeargen import write_year, years

# -- departments.csv's website column ----------------------------------------------------------


def test_a_year_without_websites_loads_as_before(sample):
    data = load_year(sample)
    assert "website" not in data.departments and data.monitoring is None


@pytest.mark.parametrize(
    "url, message",
    [
        (
            "ftp://www.a.gov.cn/",
            "is not an http or https address (expected a URL such as http://www.example.gov.cn/, or nothing)",
        ),
        (
            "http:///x",
            "has no plain host name (expected a URL such as http://www.example.gov.cn/, without spaces or a "
            "user name, or nothing)",
        ),
        (
            "http://a b.gov.cn/",
            "has no plain host name (expected a URL such as http://www.example.gov.cn/, without "
            "spaces or a user name, or nothing)",
        ),
        (
            "http://user@a.gov.cn/",
            "has no plain host name (expected a URL such as http://www.example.gov.cn/, without "
            "spaces or a user name, or nothing)",
        ),
        (
            "http://a.gov.cn:port/",
            "is not a web address (expected an http or https URL such as http://www.example.gov.cn/, or nothing)",
        ),
        (
            "www.a.gov.cn",
            "is not an http or https address (expected a URL such as http://www.example.gov.cn/, or nothing)",
        ),
    ],
)
def test_a_website_that_is_not_an_http_address_is_an_error(sample, url, message):
    add_websites(sample, lambda n, d: url if n == 2 else ("" if n == 3 else f"https://www.{d}.gov.cn/"))
    errors = [p for p in validate(sample) if p.is_error]
    assert [str(p) for p in errors] == [f"departments.csv line 4, column website: {url!r} {message}"]
    assert "website 列" in errors[0].text("zh") and "网址" in errors[0].text("zh")


def test_websites_may_be_given_under_a_chinese_header_and_left_empty(sample):
    frame = add_websites(sample, lambda n, d: "" if n % 2 else f"http://www.{d}.gov.cn/")
    frame.rename(columns={"website": "网址"}).to_csv(sample / "departments.csv", index=False)
    data = load_year(sample)
    assert list(data.departments["website"][:2]) == ["http://www.P01.gov.cn/", ""]


# -- the scheme's monitoring keys ---------------------------------------------------------------


def _scheme(edit) -> tuple:
    raw = yaml.safe_load((SAMPLE / "scheme.yaml").read_text(encoding="utf-8"))
    edit(raw)
    return parse_scheme(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))


def _ind(raw, n=0):
    return raw["sections"][0]["categories"][1]["indicators"][n]


def test_a_scheme_without_monitoring_dumps_as_before():
    scheme = read_scheme(SAMPLE / "scheme.yaml")
    dumped = json.dumps(scheme.model_dump())
    assert scheme.monitoring is None and '"monitoring"' not in dumped and '"measure"' not in dumped


def test_the_monitoring_section_is_read_with_its_dates_as_written():
    text = (SAMPLE / "scheme.yaml").read_text(encoding="utf-8") + textwrap.dedent("""\
        monitoring:
          start: 2011-03-01
          end: 2011-12-31
          mark: 潍坊政府网站标识
          threshold: 90
          systems:
            platform: {dept: 单位, date: 日期, logins: 登录次数}
        """)
    scheme, problems = parse_scheme(text)
    assert problems == [] and scheme.monitoring.start == "2011-03-01" and scheme.monitoring.threshold == 90
    assert scheme.monitoring.systems == {"platform": {"dept": "单位", "date": "日期", "logins": "登录次数"}}
    assert parse_scheme(scheme.to_yaml())[0] == scheme


@pytest.mark.parametrize(
    "edit, where, message",
    [
        (
            lambda r: _ind(r).update(source="monitoring"),
            "sections[0].categories[1].indicators[0].source",
            "'monitoring' needs a measure beside it (expected measure: availability, gov_cn, online_rate or logins)",
        ),
        (
            lambda r: _ind(r).update(measure="availability"),
            "sections[0].categories[1].indicators[0].measure",
            "'availability' is given for an indicator whose source is not monitoring (expected source: monitoring "
            "beside it, or no measure)",
        ),
        (
            lambda r: _ind(r).update(source="monitoring", measure="logins", method="direct"),
            "sections[0].categories[1].indicators[0].method",
            "'direct' is not index, which an indicator of source monitoring takes (its figure is a share or a count, "
            "not points)",
        ),
        (
            lambda r: r.update(monitoring={"start": "2011-06-01", "end": "2011-05-31"}),
            "monitoring.end",
            "'2011-05-31' is before the start 2011-06-01 (expected the period's last day, on or after its first)",
        ),
        (
            lambda r: r.update(monitoring={"start": "2011-02-30"}),
            "monitoring.start",
            "'2011-02-30' is invalid: is not a date (expected a date like 2011-01-01)",
        ),
    ],
)
def test_a_monitoring_key_out_of_place_is_an_error(edit, where, message):
    scheme, problems = _scheme(edit)
    assert scheme is None
    assert [p.column for p in problems] == [where] and str(problems[0]).endswith(message)
    assert "应" in problems[0].text("zh")


# -- the figures and their place among the values -----------------------------------------------


@pytest.fixture
def monitored(sample):
    expected = monitoring_year(sample)
    return sample, expected


def test_the_figures_are_the_shares_and_sums_of_the_year(monitored):
    folder, e = monitored
    data = load_year(folder)
    f = data.monitoring
    np.testing.assert_allclose(f.value["availability"], 100 * e["ok"] / 365)
    np.testing.assert_array_equal(f.basis["availability"], 365)
    np.testing.assert_allclose(f.value["gov_cn"], np.where(e["gov"], 100.0, 0.0))
    np.testing.assert_allclose(f.value["online_rate"], 100 * e["online"] / e["total"])
    np.testing.assert_allclose(f.value["logins"], e["logins"])
    pos = data.scheme.arrays.position
    for ind, measure in (("5", "availability"), ("6", "gov_cn"), ("12", "online_rate"), ("10", "logins")):
        np.testing.assert_array_equal(data.values[:, pos[ind]], f.value[measure])
    assert "monitoring/probes.csv" in data.files and "monitoring/approval.csv" in data.files


def test_scoring_takes_the_figures_exactly_as_typed_values(monitored, tmp_path):
    folder, _ = monitored
    data = load_year(folder)
    typed = tmp_path / "typed"
    import shutil

    shutil.copytree(folder, typed)
    shutil.rmtree(typed / "monitoring")
    raw = yaml.safe_load((typed / "scheme.yaml").read_text(encoding="utf-8"))
    for s in raw["sections"]:
        for c in s["categories"]:
            for i in c["indicators"]:
                if i.get("source") == "monitoring":
                    i["source"] = "department"
                    del i["measure"]
    (typed / "scheme.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    values = pd.read_csv(typed / "values.csv", dtype=str, keep_default_na=False)
    pos = data.scheme.arrays.position
    extra = [
        {"dept_id": d, "indicator": ind, "value": repr(float(data.values[k, pos[ind]]))}
        for ind in ("5", "6", "12", "10")
        for k, d in enumerate(data.dept_ids)
    ]
    pd.concat([values, pd.DataFrame(extra)]).to_csv(typed / "values.csv", index=False)
    a, b = score(data), score(load_year(typed))
    np.testing.assert_allclose(a.total, b.total)
    assert list(a.rank) == list(b.rank)


def test_explain_names_the_measure_and_its_basis(monitored):
    folder, e = monitored
    result = score(load_year(folder))
    text = explain(result, "P01")
    ok = int(e["ok"][0])
    assert f"可用率 {100 * ok / 365:.1f}%：一年 365 次检查中 {ok} 次正常" in text
    english = explain(result, "P01", lang="en")
    assert f"availability {100 * ok / 365:.1f}%: {ok} of 365 checks ok in the year" in english
    assert "365 rows" in english  # online rate and logins name their rows


def test_a_missing_figure_is_a_warning_and_scores_0(monitored):
    folder, _ = monitored
    probes = folder / "monitoring" / "probes.csv"
    lines = probes.read_text(encoding="utf-8").splitlines(keepends=True)
    probes.write_text("".join(line for line in lines if not line.startswith("P02,")), encoding="utf-8")
    data = load_year(folder)
    warned = [p for p in data.warnings if p.source == "monitoring"]
    assert [str(p) for p in warned] == [
        "monitoring: has no availability figure for department P02 (市委组织部) from 2011-01-01 to 2011-12-31, "
        "for indicator 5 (网站信息发布与运维机制); it scores 0 (expected probes of its website or rows of an "
        "imported system in the period)",
        "monitoring: has no gov_cn figure for department P02 (市委组织部) from 2011-01-01 to 2011-12-31, for "
        "indicator 6 (规范域名与统一标识); it scores 0 (expected probes of its website or rows of an imported "
        "system in the period)",
    ]
    assert warned[0].text("zh").startswith("monitoring 中没有部门 P02（市委组织部）在 2011-01-01 至 2011-12-31 期间")
    result = score(data)
    d = list(data.dept_ids).index("P02")
    assert result.score[d, data.scheme.arrays.position["5"]] == 0
    assert "没有监测记录，计 0 分" in explain(result, "P02")


def test_the_period_bounds_the_figures(sample):
    frame = add_websites(sample)
    monitored_scheme(sample, start="2011-07-01", end="2011-07-10")
    write_monitoring(sample, frame["dept_id"], days=365)
    data = load_year(sample)
    assert set(data.monitoring.basis["availability"]) == {10}
    assert "2011-07-01 至 2011-07-10 10 次检查中" in basis_text(data.monitoring, "availability", 0)


def test_a_values_row_for_a_monitored_indicator_is_ignored_with_a_warning(monitored):
    folder, _ = monitored
    with open(folder / "values.csv", "a", encoding="utf-8") as f:
        f.write("P01,5,1\n")
    data = load_year(folder)
    assert any("comes from the monitoring; it is ignored" in str(p) for p in data.warnings)
    assert data.values[0, data.scheme.arrays.position["5"]] == data.monitoring.value["availability"][0]


def test_probes_of_an_unknown_department_are_left_out_with_a_warning(monitored):
    folder, _ = monitored
    with open(folder / "monitoring" / "probes.csv", "a", encoding="utf-8") as f:
        f.write("ZZ9,2011-05-01T08:00:00+08:00,http://x.gov.cn/,200,5,,yes,yes,\n")
    data = load_year(folder)
    assert any(str(p).startswith("monitoring/probes.csv line") and "'ZZ9'" in str(p) for p in data.warnings)


def test_a_broken_probes_file_is_an_error_naming_it(monitored):
    folder, _ = monitored
    (folder / "monitoring" / "probes.csv").write_text("dept_id,when\nP01,x\n", encoding="utf-8")
    errors = [str(p) for p in validate(folder) if p.is_error]
    assert errors[0] == (
        "monitoring/probes.csv line 1: has no column 'time' (expected the columns dept_id, time, "
        "url, status, ms, tls, gov_cn, ok, note)"
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=years(), days=st.integers(1, 40), seed=st.integers(0, 100))
def test_random_years_take_their_figures_as_the_values(tmp_path_factory, tables, days, seed):
    folder = write_year(tmp_path_factory.mktemp("rand"), tables)
    frame = add_websites(folder)
    monitored_scheme(folder, {"i1": "availability", "i5": "logins"})
    e = write_monitoring(folder, frame["dept_id"], days=days, seed=seed)
    data = load_year(folder)
    pos = data.scheme.arrays.position
    np.testing.assert_allclose(data.values[:, pos["i1"]], 100 * e["ok"] / days)
    np.testing.assert_allclose(data.values[:, pos["i5"]], e["logins"])
    result = score(data)
    assert np.all(result.score[:, pos["i1"]] <= result.effective_weight[:, pos["i1"]] + 1e-9)


# -- probes.csv written safely ----------------------------------------------------------------


def test_rows_are_appended_under_one_header_with_hostile_text_inert(tmp_path):
    path = tmp_path / "monitoring" / "probes.csv"
    a = Appender(path, PROBE_COLUMNS)
    a.append([["P01", "t", "http://x/", 200, 5, "", True, True, "=cmd|' /C calc'!A0"]])
    a.append([["P02", "t", "http://y/", "", 5, False, False, False, "\x1b[2Jcleared\r\n"]])
    frame, problems = read_records(path, PROBE_COLUMNS, "probes.csv")
    assert problems == [] and list(frame["dept_id"]) == ["P01", "P02"]
    assert list(frame["note"]) == ["'=cmd|' /C calc'!A0", "\\x1b[2Jcleared\\x0d\\x0a"]
    assert list(frame["ok"]) == ["yes", "no"] and path.read_bytes().count(b"dept_id") == 1


def test_full_width_formula_starts_are_inert_in_the_records_too(tmp_path):
    path = tmp_path / "monitoring" / "probes.csv"
    Appender(path, PROBE_COLUMNS).append([["P01", "t", "http://x/", 200, 5, "", True, True, "＝cmd|' /C calc'!A0"]])
    frame, problems = read_records(path, PROBE_COLUMNS, "probes.csv")
    assert problems == [] and list(frame["note"]) == ["'＝cmd|' /C calc'!A0"]


def test_a_half_line_is_skipped_when_read_and_cut_off_by_the_next_append(tmp_path):
    path = tmp_path / "probes.csv"
    Appender(path, PROBE_COLUMNS).append([["P01", "t", "u", 200, 5, "", True, True, ""]])
    with open(path, "ab") as f:
        f.write(b"P02,t,u,20")  # a write cut short
    frame, problems = read_records(path, PROBE_COLUMNS, "probes.csv")
    assert list(frame["dept_id"]) == ["P01"]
    assert [str(p) for p in problems] == [
        "probes.csv line 3: ends in a half line, a write cut short; it is left out (the next probe run cuts it off)"
    ]
    a = Appender(path, PROBE_COLUMNS)
    a.append([["P03", "t", "u", 200, 5, "", True, True, ""]])
    assert a.cut
    frame, problems = read_records(path, PROBE_COLUMNS, "probes.csv")
    assert problems == [] and list(frame["dept_id"]) == ["P01", "P03"]


KILLED = """
import sys
from wfscore.inputs.monitoring.records import PROBE_COLUMNS, Appender
a = Appender(sys.argv[1], PROBE_COLUMNS)
n = 0
while True:
    a.append([[f"D{n}", "2011-01-01T00:00:00+08:00", "http://x.gov.cn/", 200, 12, "", True, True, "x" * 200]])
    n += 1
    if n == 50:
        print("ready", flush=True)
"""


def test_a_run_killed_while_appending_loses_no_written_row_and_leaves_no_half_row(tmp_path):
    path = tmp_path / "probes.csv"
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", KILLED, str(path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        proc.kill()
        proc.wait(30)
        proc.stdout.close()
    frame, problems = read_records(path, PROBE_COLUMNS, "probes.csv")
    assert [p for p in problems if p.is_error] == []
    raw = path.read_bytes()
    # every row whole: the right number of cells, and the rows of each run numbered without a gap
    assert all(len(line.split(b",")) == len(PROBE_COLUMNS) for line in raw.split(b"\n")[1:-1])
    numbers = [int(d[1:]) for d in frame["dept_id"]]
    runs = [k for k, n in enumerate(numbers) if n == 0]
    assert len(runs) == 3
    for start, end in zip(runs, runs[1:] + [len(numbers)]):
        assert numbers[start:end] == list(range(end - start))
    assert os.path.getsize(path) == len(raw)
