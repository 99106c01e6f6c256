"""The round trip over random small years (tests/yeargen.py, three fixed seeds), from outside:
the year made into a site, served by ``wfscore portal serve``, every department's figures
entered through the JSON API and submitted, ``wfscore portal export`` into a copy of the
year: ``wfscore score`` of the export equals ``wfscore score`` of the original folder."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, seed, settings

from helpers import run_cli
from processes import stop_tree
from served import call, quick_site, started
from wfscore.portal import year as years_of
from yeargen import write_year, years


def rows(folder, name):
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def score(folder, out):
    r = run_cli("score", folder, "--out", out)
    assert r.returncode == 0, r.stdout + r.stderr
    return out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("which", [1, 2, 3])
def test_a_random_year_entered_through_the_api_and_exported_scores_the_same(tmp_path_factory, which):
    drawn = []

    @seed(which)
    @settings(max_examples=1, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(years(max_departments=5))
    def draw(tables):
        drawn.append(tables)

    draw()
    tables = drawn[-1]
    tmp = tmp_path_factory.mktemp(f"year{which}")
    # the tiny scheme with a unit on every index indicator: the departments report them
    scheme = re.sub(
        r"(\{id: i\d, name: [^,]+, weight: \d+)",
        r"\1, unit: 项",
        (write_year(tmp / "plain", tables) / "scheme.yaml").read_text(encoding="utf-8"),
    )
    original = write_year(tmp / "original", tables, scheme)
    into = tmp / "into"
    shutil.copytree(original, into)
    site = tmp / "site"
    tokens = quick_site(original, site)
    mine = {d: set(years_of.read(original).value_ids(d)) for d in tokens if not d.startswith(("office", "expert"))}
    proc, base = started(site)
    try:
        for dept in [r["dept_id"] for r in rows(original, "departments")]:
            status, body = call(base, "GET", f"/api/returns/{dept}", token=tokens[dept])
            assert status == 200, body
            values = {
                r["indicator"]: r["value"]
                for r in rows(original, "values")
                if r["dept_id"] == dept and r["indicator"] in mine[dept]
            }
            status, body = call(base, "PATCH", f"/api/returns/{dept}", {"values": values}, tokens[dept])
            assert status == 200, body
            status, body = call(base, "POST", f"/api/returns/{dept}/submit", {}, tokens[dept])
            assert status == 200 and body["state"] == "submitted", body
    finally:
        stop_tree(proc)
    # the copy holds none of the figures the departments gave: the export must bring them
    kept = [r for r in rows(original, "values") if r["indicator"] not in mine.get(r["dept_id"], ())]
    with open(into / "values.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["dept_id", "indicator", "value"])
        writer.writeheader()
        writer.writerows(kept)
    r = run_cli("portal", "export", site, "--into", into)
    assert r.returncode == 0, r.stdout + r.stderr
    assert score(into, tmp / "exported.csv") == score(original, tmp / "original.csv")
