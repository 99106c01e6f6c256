"""The commands: ``wfscore portal init`` (site folder, private key and accounts file,
again adds only what is new), ``serve`` (the API from outside), ``export`` (nothing written on an error,
only what was submitted), ``status``, ``backup``, ``--help``, and ``manage.py check --deploy``."""

from __future__ import annotations

import csv
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SAMPLE, TINY, cli_env, run_cli
from portaldb import ON_POSTGRESQL, db_args, rows
from served import NEW_PASSWORD, accounts, call, serving, tokens
from wfscore.portal.year import read

ROUND_TRIP_SCHEME = re.sub(
    r"(\{id: i\d, name: [^,]+, weight: \d+)", r"\1, unit: 项", (TINY / "scheme.yaml").read_text(encoding="utf-8")
)


def init(year: Path, site: Path, *more: str):
    r = run_cli("portal", "init", year, "--site", site, *more, *([] if (site / "site.json").exists() else db_args()))
    assert r.returncode == 0, r.stderr
    return r


def test_init_makes_the_site_with_private_key_and_accounts_and_again_adds_only_what_is_new(tmp_path):
    year = tmp_path / "year"
    shutil.copytree(TINY, year)
    site = tmp_path / "site"
    init(year, site)
    assert {p.name for p in site.iterdir()} >= {
        "site.json",
        "secret_key",
        "db_password" if ON_POSTGRESQL else "portal.sqlite3",
        "uploads",
        "year",
        "accounts.csv",
    }
    if os.name == "posix":
        for name in ("secret_key", "accounts.csv", "db_password" if ON_POSTGRESQL else "portal.sqlite3"):
            assert (site / name).stat().st_mode & 0o077 == 0, name
    first = accounts(site)
    assert set(first) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "office"}
    assert all(len(p) >= 12 for p in first.values())
    key = (site / "secret_key").read_bytes()
    with open(year / "departments.csv", "a", encoding="utf-8") as f:
        f.write("D8,新部门,gov\n")
    (year / "experts.csv").write_text("expert\nE1\n", encoding="utf-8")
    r = init(year, site)
    assert "1 departments, 1 experts, 0 office" in r.stdout
    again = accounts(site)
    assert {k: again[k] for k in first} == first and set(again) - set(first) == {"D8", "expert-E1"}
    assert (site / "secret_key").read_bytes() == key
    if not ON_POSTGRESQL:
        assert rows(site, "PRAGMA journal_mode") == [("wal",)]
    assert rows(site, "SELECT count(*) FROM portal_department") == [(8,)]


def test_init_refuses_another_year_and_a_broken_one(tmp_path):
    site = tmp_path / "site"
    init(TINY, site)
    r = run_cli("portal", "init", SAMPLE, "--site", site)
    assert r.returncode == 1 and "another" in r.stderr
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    (broken / "departments.csv").write_text("dept_id,name\nD1,x\n", encoding="utf-8")
    r = run_cli("portal", "init", broken, "--site", tmp_path / "site2", lang="zh")
    assert r.returncode == 1 and "departments.csv" in r.stderr and "未写出任何文件" in r.stderr
    assert not (tmp_path / "site2").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["portal"],
        ["portal", "init"],
        ["portal", "serve"],
        ["portal", "export"],
        ["portal", "status"],
        ["portal", "backup"],
        ["portal", "restore"],
    ],
)
def test_every_command_has_its_help_in_chinese_and_english(args):
    zh = run_cli(*args, "--help", lang="zh")
    en = run_cli(*args, "--help", lang="en")
    assert zh.returncode == 0 and en.returncode == 0
    assert re.search("[\u4e00-\u9fff]", zh.stdout) and "usage" in en.stdout.lower()


def test_check_deploy_is_clean_over_https_and_leaves_only_the_http_warnings_over_http(tmp_path):
    site = tmp_path / "site"
    init(TINY, site)
    env = cli_env("en", WFSCORE_PORTAL_SITE=str(site), DJANGO_SETTINGS_MODULE="wfscore.portal.settings")

    def check():
        r = subprocess.run(
            [sys.executable, "-m", "django", "check", "--deploy"], capture_output=True, text=True, env=env, timeout=120
        )
        return sorted(set(re.findall(r"\((\w+\.\w\d+)\)", r.stdout + r.stderr)))

    assert check() == ["security.W004", "security.W008", "security.W012", "security.W016"]
    text = (site / "site.json").read_text(encoding="utf-8").replace('"https": false', '"https": true')
    (site / "site.json").write_text(text, encoding="utf-8")
    assert check() == []


def score(folder: Path, out: Path) -> str:
    r = run_cli("score", folder, "--out", out)
    assert r.returncode == 0, r.stderr
    return out.read_text(encoding="utf-8-sig")


def enter_year(base: str, site: Path, year: Path) -> None:
    """Every department's figures, exemption requests and claims, and the office's own
    figures, entered through the API as the year's tables have them; every return submitted."""
    y = read(year)
    t = tokens(base, site)
    rows = {
        name: list(csv.DictReader(open(year / f"{name}.csv", encoding="utf-8")))
        for name in ("values", "exemptions", "achievements", "website_eval")
    }
    office_ids = set(y.office_ids())
    office = {"values": {}, "website": {r["dept_id"]: r["score"] for r in rows["website_eval"]}}
    for dept in y.departments["dept_id"]:
        mine = set(y.value_ids(dept))
        listed = {r.ind.id for r in y.rows(dept)}
        body = {
            "values": {
                r["indicator"]: r["value"] for r in rows["values"] if r["dept_id"] == dept and r["indicator"] in mine
            },
            "exemptions": [
                {"indicator": r["indicator"], "reason": r["reason"]}
                for r in rows["exemptions"]
                if r["dept_id"] == dept and r["indicator"] in listed
            ],
            "achievements": [
                {"indicator": r["indicator"], "title": r["title"], "document": ""}
                for r in rows["achievements"]
                if r["dept_id"] == dept
            ],
        }
        office["values"][dept] = {
            r["indicator"]: r["value"] for r in rows["values"] if r["dept_id"] == dept and r["indicator"] in office_ids
        }
        status, answer = call(base, "PATCH", f"/api/returns/{dept}", body, t[dept])
        assert status == 200, answer
        status, answer = call(base, "POST", f"/api/returns/{dept}/submit", None, t[dept])
        assert status == 200 and answer["state"] == "submitted", answer
    status, answer = call(base, "PATCH", "/api/office", office, t["office"])
    assert status == 200, answer
    status, answer = call(base, "GET", "/api/status", None, t["office"])
    assert {d["state"] for d in answer["departments"]} == {"submitted"}


def test_export_writes_nothing_on_an_error_and_only_what_was_submitted(tmp_path):
    year = tmp_path / "year"
    shutil.copytree(TINY, year)
    (year / "scheme.yaml").write_text(ROUND_TRIP_SCHEME, encoding="utf-8")
    site = tmp_path / "site"
    init(year, site)
    with serving(site) as base:
        t = tokens(base, site)
        assert call(base, "PATCH", "/api/returns/D1", {"values": {"i2": 5}}, t["D1"])[0] == 200
        assert call(base, "POST", "/api/returns/D1/submit", None, t["D1"])[0] == 200
        assert call(base, "PATCH", "/api/returns/D2", {"values": {"i2": 6}}, t["D2"])[0] == 200  # a draft
        status = run_cli("portal", "status", site, lang="zh")
        assert "已提交 1" in status.stdout and "草稿 1" in status.stdout
    other = tmp_path / "other"
    shutil.copytree(TINY, other)  # another scheme
    before = {p.name: p.read_bytes() for p in other.iterdir()}
    r = run_cli("portal", "export", site, "--into", other)
    assert r.returncode == 1 and "another scheme" in r.stderr
    assert {p.name: p.read_bytes() for p in other.iterdir()} == before
    r = run_cli("portal", "export", site, "--into", year)
    assert r.returncode == 0, r.stderr
    values = [
        (v["dept_id"], v["indicator"], v["value"]) for v in csv.DictReader(open(year / "values.csv", encoding="utf-8"))
    ]
    before = [
        (v["dept_id"], v["indicator"], v["value"]) for v in csv.DictReader(open(TINY / "values.csv", encoding="utf-8"))
    ]
    # D1 submitted: its figures are what it submitted (those it left empty are gone); D2's draft
    # is not exported, and the figures of those who did not submit stay as the folder had them
    reported = set(read(year).value_ids("D1"))
    assert [v for v in values if v[0] == "D1" and v[1] in reported] == [("D1", "i2", "5")]
    assert sorted(v for v in values if v[0] != "D1" or v[1] not in reported) == sorted(
        v for v in before if v[0] != "D1" or v[1] not in reported
    )
    assert ("D2", "i2", "4") in values


def test_backup_copies_the_database_while_it_is_served(tmp_path):
    site = tmp_path / "site"
    init(TINY, site)
    with serving(site) as base:
        call(
            base,
            "POST",
            "/api/password",
            {"username": "D1", "password": accounts(site)["D1"], "new_password": NEW_PASSWORD},
        )
        r = run_cli("portal", "backup", site, "--out", tmp_path / "backup.sqlite3")
        assert r.returncode == 0, r.stderr
    if ON_POSTGRESQL:  # pg_dump's copy, read back into a new database by pg_restore
        import portaldb
        from wfscore.portal.site import postgresql_tool

        name = portaldb.new_database().rsplit("/", 1)[1]
        c = portaldb.cluster()
        done = subprocess.run(
            [postgresql_tool("pg_restore"), "--no-owner", "-h", c["host"], "-p", str(c["port"]), "-U", c["user"]]
            + ["-d", name, tmp_path / "backup.sqlite3"],
            env={**os.environ, "PGPASSWORD": c["password"]},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        with portaldb.connect(name) as con:
            count = con.execute("SELECT count(*) FROM portal_auditentry WHERE action = 'password'").fetchone()[0]
        assert count == 1
        return
    db = sqlite3.connect(tmp_path / "backup.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM portal_auditentry WHERE action = 'password'").fetchone()[0] == 1
    db.close()
