"""The served portal under stress, from outside (``wfscore portal serve`` on 127.0.0.1):

- killed at once (kill -9; ``Popen.kill`` on Windows) in the middle of concurrent saves,
  then started again: the database passes SQLite's integrity check, every save that was
  answered 200 is there, the audit trail has one entry per change saved, nothing half-written;
- 129 departments saving at once, each with its own token: no 500, every answered save
  stored, and each department's return is what it last saved.

The sites are made from data/2011 by ``served.quick_site`` (as ``wfscore portal init`` makes
them, with a fast password hash)."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import portaldb
import served
from processes import stop_tree
from served import call, quick_site, started
from wfscore.portal import year as years

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "2011"
YEAR = years.read(SAMPLE)
ROUNDS = 5  # saves per department in the load test, each department's one after the other
LOAD_LIMIT = 900  # seconds for the whole load test's saves (a hang fails it, with what is still waiting)


def ids(dept: str) -> list[str]:
    """Indicators the department fills in whose weight allows the values 1..9."""
    return [i for i in YEAR.value_ids(dept) if YEAR.ctx.indicators[i].weight >= 10][:3]


def saver(base, dept, token, rounds, log, stop=None):
    """Save ``rounds`` changes of ``dept``'s values; ``log`` gets (status, values) per save
    answered (None as status: no answer: the request in flight when the server died)."""
    mine = ids(dept)
    for k in range(rounds):
        if stop is not None and stop.is_set():
            return
        values = {i: (k + n) % 9 + 1 for n, i in enumerate(mine)}
        try:
            status, _ = call(base, "PATCH", f"/api/returns/{dept}", {"values": values}, token)
        except (OSError, http.client.HTTPException):  # no answer, or one cut off by the kill
            status = None
        log.append((status, values))


def db_rows(site: Path, sql: str, *args):
    return portaldb.rows(site, sql, *args)


def stored(site: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for dept, ind, number in db_rows(
        site,
        "SELECT d.dept_id, v.indicator, v.number FROM portal_value v "
        "JOIN portal_return r ON v.ret_id = r.id "
        "JOIN portal_department d ON r.department_id = d.id",
    ):
        out.setdefault(dept, {})[ind] = number
    return out


def test_killed_in_the_middle_of_saves_loses_at_most_what_was_in_flight(tmp_path):
    site = tmp_path / "site"
    tokens = quick_site(SAMPLE, site)
    depts = list(YEAR.departments["dept_id"])[:8]
    proc, base = started(site)
    logs = {d: [] for d in depts}
    stop = threading.Event()
    try:
        threads = [threading.Thread(target=saver, args=(base, d, tokens[d], 400, logs[d], stop)) for d in depts]
        for t in threads:
            t.start()
        while sum(1 for log in logs.values() for s, _ in log if s == 200) < 40:  # saves under way
            time.sleep(0.05)
        stop_tree(proc, kill=True)  # SIGKILL (TerminateProcess on Windows), nothing tidied
        stop.set()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
    finally:
        stop.set()
        stop_tree(proc, kill=True)
    assert all(s in (200, None) for log in logs.values() for s, _ in log), "a save failed before the kill"
    assert any(s is None for log in logs.values() for s, _ in log), "the kill came after every save"
    assert db_rows(site, "PRAGMA integrity_check") == [("ok",)]
    proc, base = started(site)  # starts again on what was left
    try:
        values = stored(site)
        audit = db_rows(
            site,
            "SELECT d.dept_id, a.field, a.old, a.new FROM portal_auditentry a "
            "JOIN portal_department d ON a.department_id = d.id WHERE a.action = 'value' ORDER BY a.id",
        )
        for dept in depts:
            answered = [v for s, v in logs[dept] if s == 200]
            last = answered[-1] if answered else {}
            now = {k: int(float(v)) for k, v in values.get(dept, {}).items()}
            # the last answered save is there, or (at most) the one in flight after it
            in_flight = [v for s, v in logs[dept] if s is None]
            assert now == last or now in in_flight, (dept, now, last)
            # the audit trail: one entry per change, a chain from nothing to what is stored
            mine = [(f, o, n) for d, f, o, n in audit if d == dept]
            for ind in ids(dept):
                chain = [(o, n) for f, o, n in mine if f == ind]
                if not chain:
                    assert ind not in now
                    continue
                assert chain[0][0] == "" and all(a[1] == b[0] for a, b in zip(chain, chain[1:])), (dept, ind)
                assert int(chain[-1][1]) == now[ind]
            changes = sum(len({k for k in b if a.get(k) != b[k]}) for a, b in zip([{}] + answered, answered))
            assert changes <= len(mine) <= changes + len(ids(dept)), (dept, changes, len(mine))
        # the restarted server reads and saves as before
        dept = depts[0]
        status, body = call(base, "GET", f"/api/returns/{dept}", token=tokens[dept])
        assert status == 200 and {k: int(v) for k, v in body["values"].items()} == {
            k: int(float(v)) for k, v in values[dept].items()
        }
        status, _ = call(base, "PATCH", f"/api/returns/{dept}", {"values": {ids(dept)[0]: 0}}, tokens[dept])
        assert status == 200
    finally:
        stop_tree(proc)
    assert db_rows(site, "PRAGMA integrity_check") == [("ok",)]


def test_129_departments_saving_at_once_lose_nothing(tmp_path):
    site = tmp_path / "site"
    tokens = quick_site(SAMPLE, site)
    depts = list(YEAR.departments["dept_id"])
    assert len(depts) == 129
    proc, base = started(site)
    logs = {d: [] for d in depts}
    try:
        threads = [
            threading.Thread(target=saver, args=(base, d, tokens[d], ROUNDS, logs[d]), daemon=True) for d in depts
        ]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:  # one deadline for them all: a hang fails the test, it does not hold it
            t.join(timeout=max(0.0, start + LOAD_LIMIT - time.monotonic()))
        waiting = [d for d, t in zip(depts, threads) if t.is_alive()]
        assert not waiting, f"{len(waiting)} savers still waiting after {LOAD_LIMIT} s: {waiting[:5]}"
        statuses = [s for log in logs.values() for s, _ in log]
        unanswered = sum(1 for s in statuses if s is None)
        assert statuses == [200] * (129 * ROUNDS), (
            f"{unanswered} of {129 * ROUNDS} saves unanswered within {served.TIMEOUT} s; "
            f"statuses {sorted(set(map(str, statuses)))}; took {time.monotonic() - start:.0f} s"
        )
        print(f"{129 * ROUNDS} saves by 129 departments at once answered in {time.monotonic() - start:.0f} s")
        for dept in depts:
            status, body = call(base, "GET", f"/api/returns/{dept}", token=tokens[dept])
            assert status == 200
            assert {k: int(v) for k, v in body["values"].items()} == logs[dept][-1][1], dept
    finally:
        stop_tree(proc)
    assert db_rows(site, "PRAGMA integrity_check") == [("ok",)]
    entries = db_rows(site, "SELECT count(*) FROM portal_auditentry WHERE action = 'value'")[0][0]
    assert entries == sum(len(ids(d)) * ROUNDS for d in depts)  # every save changes every value
