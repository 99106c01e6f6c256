"""The database under the portal: the one the tests run on (SQLite, or PostgreSQL with
WFSCORE_TEST_DB=postgresql) refuses in itself any change or deletion of the audit trail;
a site made with ``wfscore portal init --db postgresql://…`` keeps its data there, never
prints or keeps its password in site.json, and its ``status``, ``backup`` (pg_dump) and
``export`` work; ``backup`` without pg_dump says so in Chinese; ``backup`` then ``restore``
bring a site's database back on either."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from django.db import DatabaseError, connection, transaction

import portaldb
from helpers import TINY, need, run_cli
from portalsite import *  # noqa: F403
from wfscore.portal import audit
from wfscore.portal.models import AuditEntry, Department


def test_the_tests_run_on_the_database_asked_for(db):
    assert connection.vendor == ("postgresql" if portaldb.ON_POSTGRESQL else "sqlite")


def refused(sql: str, *args) -> str:
    with pytest.raises(DatabaseError) as caught:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, args)
    return str(caught.value)


def test_the_database_refuses_to_change_or_delete_an_audit_entry(db):
    table = AuditEntry._meta.db_table
    if connection.vendor == "postgresql":  # first: PostgreSQL truncates only with no write pending
        assert "append-only" in refused(f"TRUNCATE {table}")
    entry = audit.record(None, "value", Department.objects.first(), "R01", "1", "2", username="P01")
    assert "append-only" in refused(f"UPDATE {table} SET new = %s WHERE id = %s", "3", entry.pk)
    assert "append-only" in refused(f"DELETE FROM {table} WHERE id = %s", entry.pk)
    assert "append-only" in refused(f"DELETE FROM {table}")
    with pytest.raises(DatabaseError), transaction.atomic():  # the ORM's bulk calls skip the model's own refusal
        AuditEntry.objects.filter(pk=entry.pk).update(new="4")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    again = AuditEntry.objects.get(pk=entry.pk)
    assert (again.old, again.new, again.username) == ("1", "2", "P01")
    audit.record(None, "value", None, "R01", "2", "5", username="P01")  # appending still works
    assert AuditEntry.objects.filter(field="R01").count() == 2


@pytest.fixture
def postgresql():
    need(portaldb.available(), "PostgreSQL's server (apt-get install postgresql)")
    return portaldb


def test_a_site_on_postgresql_never_shows_its_password_and_its_commands_work(postgresql, tmp_path):
    site = tmp_path / "site"
    address = postgresql.new_database()
    secret = postgresql.cluster()["password"]
    r = run_cli("portal", "init", TINY, "--site", site, "--db", address, lang="zh")
    assert r.returncode == 0, r.stderr
    assert secret not in r.stdout + r.stderr
    assert "数据库：" + postgresql.url(postgresql.site_database(site), password=False) in r.stdout
    settings = json.loads((site / "site.json").read_text(encoding="utf-8"))
    assert settings["database"] == postgresql.url(postgresql.site_database(site), password=False)
    assert secret not in (site / "site.json").read_text(encoding="utf-8")
    assert (site / "db_password").read_text(encoding="utf-8").strip() == secret
    if os.name == "posix":
        assert (site / "db_password").stat().st_mode & 0o077 == 0
    assert not (site / "portal.sqlite3").exists()
    assert postgresql.rows(site, "SELECT count(*) FROM portal_department") == [(7,)]
    r = run_cli("portal", "status", site, lang="zh")
    assert r.returncode == 0 and "部门：7" in r.stdout and "未开始 7" in r.stdout, r.stderr
    r = run_cli("portal", "backup", site, "--out", tmp_path / "site.dump")
    assert r.returncode == 0, r.stderr
    assert secret not in r.stdout + r.stderr
    assert (tmp_path / "site.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    import subprocess

    from wfscore.portal.site import postgresql_tool

    listed = subprocess.run(
        [postgresql_tool("pg_restore"), "--list", tmp_path / "site.dump"], capture_output=True, text=True
    )
    assert "portal_auditentry" in listed.stdout and "portal_audit_append_only" in listed.stdout
    # another database for the same site is refused, and nothing changes
    other = postgresql.new_database()
    r = run_cli("portal", "init", TINY, "--site", site, "--db", other)
    assert r.returncode == 1 and "keeps its data in" in r.stderr and secret not in r.stderr
    assert json.loads((site / "site.json").read_text(encoding="utf-8")) == settings


def test_a_database_that_cannot_be_reached_is_named_without_its_password_and_leaves_no_site(postgresql, tmp_path):
    c = postgresql.cluster()
    wrong = f"postgresql://{c['user']}:Not-The-Password-42@127.0.0.1:{c['port']}/nowhere"
    r = run_cli("portal", "init", TINY, "--site", tmp_path / "site", "--db", wrong, lang="zh")
    assert r.returncode == 1
    assert "无法使用数据库" in r.stderr and "Not-The-Password-42" not in r.stderr + r.stdout
    assert f"postgresql://{c['user']}@127.0.0.1:{c['port']}/nowhere" in r.stderr
    assert not (tmp_path / "site").exists()
    r = run_cli("portal", "init", TINY, "--site", tmp_path / "site", "--db", "mysql://u:Secret-9@h/x")
    assert r.returncode == 1 and "not a PostgreSQL one" in r.stderr and "Secret-9" not in r.stderr
    assert not (tmp_path / "site").exists()


def test_backup_without_pg_dump_says_so_in_chinese(tmp_path, monkeypatch, capsys):
    from wfscore.cli import main
    from wfscore.portal import site as portal_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "site.json").write_text(json.dumps({"database": "postgresql://u@127.0.0.1:1/x"}), encoding="utf-8")
    (site / "secret_key").write_text("k\n", encoding="utf-8")
    monkeypatch.setattr(portal_site, "postgresql_tool", lambda name: None)
    assert main(["portal", "backup", str(site), "--out", str(tmp_path / "b.dump"), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "未找到 pg_dump" in err and "postgresql-client" in err
    assert not (tmp_path / "b.dump").exists()


def test_backup_and_restore_bring_the_database_back_on_the_tests_database(tmp_path):
    """On SQLite (the online backup) and on PostgreSQL (pg_dump, pg_restore) alike."""
    year = tmp_path / "year"
    shutil.copytree(TINY, year)
    site = tmp_path / "site"
    assert run_cli("portal", "init", year, "--site", site, *portaldb.db_args()).returncode == 0
    portaldb.rows(
        site,
        "INSERT INTO portal_auditentry (at, username, address, action, field, old, new) "
        "VALUES (CURRENT_TIMESTAMP, 'office', '', 'export', '', '', '')",
    )
    r = run_cli("portal", "backup", site, "--out", tmp_path / "backup")
    assert r.returncode == 0, r.stderr
    with open(year / "departments.csv", "a", encoding="utf-8") as f:
        f.write("D8,新部门,gov\n")
    assert run_cli("portal", "init", year, "--site", site).returncode == 0
    assert portaldb.rows(site, "SELECT count(*) FROM portal_department") == [(8,)]
    wrong = tmp_path / "not-a-backup"
    wrong.write_bytes(b"PK\x03\x04 a zip")
    r = run_cli("portal", "restore", site, "--from", wrong, lang="zh")
    assert r.returncode == 1 and "不是" in r.stderr and "站点的备份" in r.stderr
    assert portaldb.rows(site, "SELECT count(*) FROM portal_department") == [(8,)]
    r = run_cli("portal", "restore", site, "--from", tmp_path / "backup")
    assert r.returncode == 0, r.stderr
    assert portaldb.rows(site, "SELECT count(*) FROM portal_department") == [(7,)]
    assert portaldb.rows(site, "SELECT count(*) FROM auth_user") == [(8,)]
    assert portaldb.rows(site, "SELECT username, action FROM portal_auditentry") == [("office", "export")]
    with pytest.raises(Exception, match="append-only"):  # the restored audit trail refuses changes still
        portaldb.rows(site, "DELETE FROM portal_auditentry")
