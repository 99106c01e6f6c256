"""The office exports the year from its board: the same writing as ``wfscore portal
export`` (the year's tables from what was submitted, all or nothing), into the year folder
the site was made from (``year_dir`` in site.json); only the office may, and an error
writes nothing and names every problem in Chinese."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.test import Client

from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from portalsite import SITE, user
from wfscore.portal import year as years
from wfscore.portal.models import ApiToken, AuditEntry, Submission

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "2011"
TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"


def files(folder: Path) -> dict[str, bytes]:
    """Every file of the folder and its contents (but the desk's empty lock file, which taking
    the lock leaves, as the desk and collect leave it)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).as_posix() != ".history/lock"
    }


@pytest.fixture
def into(tmp_path, settings):
    """A copy of the year the site was made from, named in the site's settings as its year folder."""
    folder = tmp_path / "2011"
    shutil.copytree(SAMPLE, folder)
    settings.SITE = {**settings.SITE, "year_dir": str(folder)}
    return folder


def submit_p01(value: str = "3") -> str:
    """P01 gives one figure and submits (through the API); the indicator."""
    ind = years.current().value_ids("P01")[0]
    token = ApiToken.issue(user("P01"))
    for method, path, body in (
        ("PATCH", "/api/returns/P01", {"values": {ind: value}}),
        ("POST", "/api/returns/P01/submit", {}),
    ):
        r = Client().generic(
            method, path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
        assert r.status_code == 200, r.content
    return ind


def test_init_names_the_year_folder_the_site_was_made_from():
    assert json.loads((SITE / "site.json").read_text(encoding="utf-8"))["year_dir"] == str(SAMPLE.resolve())


def test_the_office_exports_from_its_board_what_was_submitted(as_office, into):
    assert 'action="/office/export"' in as_office.get("/office/").content.decode()
    ind = submit_p01("3")
    r = as_office.post("/office/export")
    page = r.content.decode()
    assert r.status_code == 200 and "已写入" in page and "values.csv" in page, page
    with open(into / "values.csv", encoding="utf-8-sig", newline="") as f:
        exported = {(v["dept_id"], v["indicator"]): v["value"] for v in csv.DictReader(f)}
    assert exported[("P01", ind)] == "3"
    entry = AuditEntry.objects.filter(action="export").get()
    assert entry.username == "office" and entry.field == str(into) and "values.csv" in entry.new
    # the desk's log names the office's account as the one who collected
    with open(into / "decisions.csv", encoding="utf-8-sig", newline="") as f:
        assert [r["reviewer"] for r in csv.DictReader(f) if r["action"] == "collect"][-1] == "portal office"


@pytest.mark.parametrize("who", ["nobody", "P01", "G05", "expert"])
def test_only_the_office_may_export_and_nothing_is_written_for_anyone_else(who, into, experts):
    submit_p01("3")
    client = Client()
    if who == "expert":
        client.force_login(experts)
    elif who != "nobody":
        client.force_login(user(who))
    before = files(into)
    r = client.post("/office/export")
    if who == "nobody":
        assert r.status_code == 302 and "/login/" in r["Location"]
    else:
        assert r.status_code == 403 and "只有考核办可以导出年度数据" in r.content.decode()
    assert files(into) == before
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_needs_a_post_with_the_csrf_token(into):
    submit_p01("3")
    office = Client(enforce_csrf_checks=True)
    office.force_login(user("office"))
    before = files(into)
    assert office.get("/office/export").status_code == 405
    assert office.post("/office/export").status_code == 403  # no CSRF token
    assert files(into) == before


def test_an_export_with_an_error_writes_nothing_and_names_every_problem_in_chinese(as_office, into):
    ind = submit_p01("3")
    sub = Submission.objects.get(ret__department__dept_id="P01")
    sub.content = {**sub.content, "values": {ind: "abc"}}  # a submission the year's checks refuse
    sub.save()
    before = files(into)
    r = as_office.post("/office/export")
    page = r.content.decode()
    assert r.status_code == 400 and "未写出任何文件" in page, page
    assert "&#x27;abc&#x27; 不是数字" in page
    assert files(into) == before
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_export_into_a_year_of_another_scheme_writes_nothing(as_office, into):
    submit_p01("3")
    shutil.rmtree(into)
    shutil.copytree(TINY, into)  # the site's year folder now holds another year
    before = files(into)
    page = as_office.post("/office/export").content.decode()
    assert "考核方案与站点不同" in page and "未写出任何文件" in page
    assert files(into) == before


def test_a_site_that_does_not_name_its_year_folder_says_so(as_office, settings):
    settings.SITE = {k: v for k, v in settings.SITE.items() if k != "year_dir"}
    r = as_office.post("/office/export")
    assert r.status_code == 400 and "站点设置中未记录建站所用的年度文件夹" in r.content.decode()
