"""The round trip: the sample year data/2011 made into a site (the fixtures' site is
``wfscore portal init``'s work on it), every department's figures, exemption requests and
claims entered through the API and submitted, exported into a copy of the year: the export
validates and ``wfscore score`` of it equals ``wfscore score`` of data/2011.

The departments give only the figures they report (12 and 13); the office's own figures
(S1) and the website evaluation are given in the portal by the office, in part or not at
all, and the expert-rated indicators come from ratings.csv: what the portal does not collect
stays in the year's tables as it was.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.test import Client

from helpers import run_cli
from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from portalsite import SITE, user
from wfscore.portal import site as portal_site, year as years
from wfscore.portal.models import ApiToken

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "2011"


def rows(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def call(method: str, path: str, body, account: str):
    token = ApiToken.issue(user(account))
    r = Client().generic(
        method, path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert r.status_code == 200, (path, r.content.decode("utf-8"))
    return r.json()


def score(folder: Path, out: Path) -> str:
    r = run_cli("score", folder, "--out", out)
    assert r.returncode == 0, r.stderr
    return out.read_text(encoding="utf-8-sig")


def enter(year: Path, skip: set[str], office_share: float) -> None:
    """Every department but ``skip`` enters what the year's tables say it reported, and
    submits; the office gives that share of its own figures and website evaluations."""
    y = years.current()
    values, exemptions, achievements = (rows(year, n) for n in ("values", "exemptions", "achievements"))
    for dept in y.departments["dept_id"]:
        if dept in skip:
            continue
        mine, listed = set(y.value_ids(dept)), {r.ind.id for r in y.rows(dept)}
        body = {
            "values": {r["indicator"]: r["value"] for r in values if r["dept_id"] == dept and r["indicator"] in mine},
            "exemptions": [
                {"indicator": r["indicator"], "reason": r["reason"]}
                for r in exemptions
                if r["dept_id"] == dept and r["indicator"] in listed
            ],
            "achievements": [
                {"indicator": r["indicator"], "title": r["title"], "document": ""}
                for r in achievements
                if r["dept_id"] == dept
            ],
        }
        call("PATCH", f"/api/returns/{dept}", body, dept)
        assert call("POST", f"/api/returns/{dept}/submit", {}, dept)["state"] == "submitted"
    office_ids = set(y.office_ids())
    given = [r for r in values if r["indicator"] in office_ids]
    sites = rows(year, "website_eval")
    office = {"values": {}, "website": {r["dept_id"]: r["score"] for r in sites[: round(len(sites) * office_share)]}}
    for r in given[: round(len(given) * office_share)]:
        office["values"].setdefault(r["dept_id"], {})[r["indicator"]] = r["value"]
    if office["values"] or office["website"]:
        call("PATCH", "/api/office", office, "office")


@pytest.mark.parametrize(
    "skip, office_share",
    [
        (set(), 0.0),  # the office gives nothing in the portal: S1 and the website evaluation kept
        ({"P01", "G05", "C01"}, 0.5),  # three departments not submitted, the office half of its figures
        (set(), 1.0),  # everything through the portal
    ],
    ids=["departments-only", "some-missing-office-half", "everything"],
)
def test_the_sample_year_entered_and_exported_scores_the_same(tmp_path, skip, office_share):
    into = tmp_path / "2011"
    shutil.copytree(SAMPLE, into)
    enter(SAMPLE, skip, office_share)
    outcome = portal_site.export(SITE, into)
    assert "values.csv" in outcome.written + outcome.unchanged
    assert not [p for p in outcome.problems if p.is_error]
    r = run_cli("validate", into)
    assert r.returncode == 0, r.stdout + r.stderr
    assert score(into, tmp_path / "exported.csv") == score(SAMPLE, tmp_path / "original.csv")
    # what the departments that did not submit had in the year's tables is still there
    before = {(r["dept_id"], r["indicator"]): r["value"] for r in rows(SAMPLE, "values")}
    after = {(r["dept_id"], r["indicator"]): r["value"] for r in rows(into, "values")}
    assert {k: float(v) for k, v in after.items()} == {k: float(v) for k, v in before.items()}
