"""``wfscore portal demo`` (``make portal``) without serving: the site made, its values empty,
the deadline in the future, the accounts file written; run again, the same site kept."""

from __future__ import annotations

from datetime import datetime, timezone

from helpers import TINY, run_cli
from portaldb import db_args, rows
from served import accounts


def test_the_demo_site_is_made_empty_with_a_deadline_ahead(tmp_path):
    site = tmp_path / "portal-demo"
    r = run_cli("portal", "demo", TINY, "--site", site, "--days", "10", "--no-serve", *db_args())
    assert r.returncode == 0, r.stderr
    assert str(site / "accounts.csv") in r.stdout and "values empty" in r.stdout
    assert set(accounts(site)) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "office"}
    ((deadline,),) = rows(site, "SELECT deadline FROM portal_campaign")
    assert rows(site, "SELECT count(*) FROM portal_value") == [(0,)]
    assert rows(site, "SELECT count(*) FROM portal_department") == [(7,)]
    if isinstance(deadline, str):  # SQLite keeps the text, PostgreSQL a timestamp with its zone
        deadline = datetime.fromisoformat(deadline).replace(tzinfo=timezone.utc)
    when = deadline
    days = (when - datetime.now(timezone.utc)).total_seconds() / 86400
    assert 9.9 < days <= 10
    again = run_cli("portal", "demo", TINY, "--site", site, "--no-serve", lang="zh")
    assert again.returncode == 0, again.stderr
    assert "演示站点" in again.stdout and "本次未新建账号" in again.stdout
    assert set(accounts(site)) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "office"}
