"""``wfscore monitor probe|import|summary``, run in this process (so that the guard holds:
no test reaches any address but 127.0.0.1), in English and in Chinese."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "inputs"))

from local_sites import Server, closed_port, guard_loopback  # noqa: E402
from monitoring_year import add_websites, monitored_scheme, monitoring_year  # noqa: E402
from wfscore.cli import main  # noqa: E402


@pytest.fixture(autouse=True)
def guard(monkeypatch):
    tried = guard_loopback(monkeypatch)
    yield tried
    assert not tried, f"a test tried to reach {tried}"


@pytest.fixture
def http():
    server = Server()
    yield server
    server.stop()


def _sites(folder: Path, http: Server) -> None:
    dead = closed_port()
    paths = ["/ok", "/error", "/loop", "/away"]

    def url(n, dept_id):
        if n < 4:
            return http.url(paths[n])
        if n == 4:
            return f"http://127.0.0.1:{dead}/"
        return "" if n > 8 else http.url("/utf8")

    add_websites(folder, url)


def test_probe_appends_one_row_per_site(sample, http, capsys):
    _sites(sample, http)
    assert main(["monitor", "probe", str(sample), "--jobs", "3", "--timeout", "5", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "probed 9 websites, 5 ok; appended to" in err and "(120 departments have no website)" in err
    probes = pd.read_csv(sample / "monitoring" / "probes.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(probes.columns) == ["dept_id", "time", "url", "status", "ms", "tls", "gov_cn", "ok", "note"]
    by = probes.set_index("dept_id")
    assert by.loc["P01", "ok"] == "yes" and by.loc["P01", "note"] == ""
    assert (by.loc["P02", "status"], by.loc["P02", "ok"]) == ("500", "no")
    assert by.loc["P03", "note"].startswith("redirects in a loop")
    assert by.loc["P04", "note"] == "redirect to another site, not followed: http://example.com/"
    assert by.loc["P05", "note"] == "connection refused"
    assert by.loc["P06", "note"] == "the page does not name the department"  # /utf8 names 市委办公室 only
    # a second run appends under the same header; the summary counts both (over a period around today)
    today = dt.date.today()
    monitored_scheme(
        sample, {}, start=(today - dt.timedelta(days=1)).isoformat(), end=(today + dt.timedelta(days=1)).isoformat()
    )
    assert main(["monitor", "probe", str(sample), "--lang", "en"]) == 0
    assert len(pd.read_csv(sample / "monitoring" / "probes.csv", encoding="utf-8-sig")) == 18
    assert main(["monitor", "summary", str(sample), "--lang", "en"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("P01 "))
    assert line.split()[2:4] == ["100.0%", "2"]


def test_probe_notes_are_chinese_by_default(sample, http, capsys):
    _sites(sample, http)
    assert main(["monitor", "probe", str(sample)]) == 0
    probes = pd.read_csv(
        sample / "monitoring" / "probes.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    ).set_index("dept_id")
    assert probes.loc["P05", "note"] == "连接被拒绝" and probes.loc["P02", "note"] == "HTTP 状态 500"


def test_probe_without_websites_or_with_a_bad_one_says_so(sample, capsys):
    assert main(["monitor", "probe", str(sample), "--lang", "en"]) == 1
    assert "no department of" in capsys.readouterr().err
    add_websites(sample, lambda n, d: "ftp://x" if n == 0 else "")
    assert main(["monitor", "probe", str(sample)]) == 1
    err = capsys.readouterr().err
    assert "departments.csv 第 2 行，website 列：'ftp://x' 不是 http 或 https 网址" in err
    assert main(["monitor", "probe", str(sample), "--jobs", "0", "--lang", "en"]) == 2
    assert "--jobs 0: expected a positive number" in capsys.readouterr().err


def test_import_then_summary_writes_the_figures(sample, tmp_path, capsys):
    add_websites(sample)
    export = tmp_path / "logins.csv"
    pd.DataFrame(
        [["市委办公室", "2011-01-05", 5], ["P02", "2011-01-05", 3], ["市委办公室", "2011-01-06", 4]],
        columns=["部门", "日期", "登录次数"],
    ).to_csv(export, index=False)
    args = [
        "monitor",
        "import",
        str(sample),
        str(export),
        "--system",
        "platform",
        "--columns",
        "dept=部门,date=日期,logins=登录次数",
    ]
    assert main(args + ["--lang", "en"]) == 0
    assert "imported 3 rows from" in capsys.readouterr().err
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "导入 0 行" in err and "3 行已导入过，跳过" in err
    out = tmp_path / "summary.csv"
    assert main(["monitor", "summary", str(sample), "--out", str(out), "--lang", "en"]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index("dept_id")
    assert (frame.loc["P01", "logins"], frame.loc["P01", "logins_basis"]) == ("9.0", "2")
    assert (frame.loc["P02", "logins"], frame.loc["P03", "logins"]) == ("3.0", "")


def test_import_refuses_a_bad_export_and_writes_nothing(sample, tmp_path, capsys):
    export = tmp_path / "e.csv"
    export.write_text("部门,日期,登录次数\n没有这个部门,2011-01-05,5\n", encoding="utf-8")
    args = [
        "monitor",
        "import",
        str(sample),
        str(export),
        "--system",
        "platform",
        "--columns",
        "dept=部门,date=日期,logins=登录次数",
    ]
    assert main(args + ["--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "error: e.csv line 2, column 部门: '没有这个部门' is no department's id or name" in err
    assert "nothing was written" in err and not (sample / "monitoring").exists()
    assert main(args) == 1
    assert "不是任何部门的编号或名称" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, status, said",
    [
        (["--system", "Bad Name"], 2, "--system 'Bad Name': expected a lower-case name"),
        (["--system", "platform", "--columns", "dept部门"], 2, "is not field=column"),
        (["--system", "platform"], 2, "scheme.yaml names no columns for system platform"),
        (
            ["--system", "approval", "--columns", "dept=a,date=b,online=c"],
            2,
            "the columns of system approval do not name total",
        ),
    ],
)
def test_import_usage_errors(sample, tmp_path, capsys, extra, status, said):
    export = tmp_path / "e.csv"
    export.write_text("a,b,c\n", encoding="utf-8")
    assert main(["monitor", "import", str(sample), str(export), *extra, "--lang", "en"]) == status
    assert said in capsys.readouterr().err


def test_import_takes_the_columns_from_the_scheme(sample, tmp_path, capsys):
    monitoring_year(sample, days=3, systems={"platform": {"dept": "单位", "date": "日期", "logins": "次数"}})
    export = tmp_path / "e.csv"
    export.write_text("单位,日期,次数\nP01,2011-12-31,1\n", encoding="utf-8")
    assert main(["monitor", "import", str(sample), str(export), "--system", "platform"]) == 0
    assert "导入 1 行" in capsys.readouterr().err


def test_summary_in_chinese_names_the_measures(sample, capsys):
    monitoring_year(sample, days=10)
    assert main(["monitor", "summary", str(sample)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("日常监测（2011-01-01 至 2011-12-31）") and "可用率" in out and "网上办理率" in out
