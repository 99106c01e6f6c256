"""``wfscore portal demo`` (``make portal``) without serving: the site made, its values empty,
the deadline in the future, the accounts file written; run again, the same site kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from helpers import TINY, run_cli
from served import accounts


def test_the_demo_site_is_made_empty_with_a_deadline_ahead(tmp_path):
    site = tmp_path / "portal-demo"
    r = run_cli("portal", "demo", TINY, "--site", site, "--days", "10", "--no-serve")
    assert r.returncode == 0, r.stderr
    assert str(site / "accounts.csv") in r.stdout and "values empty" in r.stdout
    assert set(accounts(site)) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "office"}
    con = sqlite3.connect(site / "portal.sqlite3")
    try:
        ((deadline,),) = con.execute("SELECT deadline FROM portal_campaign").fetchall()
        assert con.execute("SELECT count(*) FROM portal_value").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM portal_department").fetchone() == (7,)
    finally:
        con.close()
    when = datetime.fromisoformat(deadline).replace(tzinfo=timezone.utc)
    days = (when - datetime.now(timezone.utc)).total_seconds() / 86400
    assert 9.9 < days <= 10
    again = run_cli("portal", "demo", TINY, "--site", site, "--no-serve", lang="zh")
    assert again.returncode == 0, again.stderr
    assert "演示站点" in again.stdout and "本次未新建账号" in again.stdout
    assert set(accounts(site)) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "office"}
