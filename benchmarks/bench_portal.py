"""The portal's server time (Django's test client in this process, the whole middleware
stack, no network), over a site made from data/2011 (129 departments) whose audit trail
holds a year of edits (129 × 365 value changes):

- the self-check page of a department (GET /returns/P01/) and a draft save of one value
  (POST /returns/P01/value), median and p95 of 100 each, against the baseline measured in the
  same run: GET /login/ (a page that reads nothing of the year);
- ``wfscore portal export`` of the whole year (every department submitted), against the
  floor: copying the year folder.

Targets: page and save median ≤ 50 ms, p95 ≤ 150 ms (wall time); export ≤ 2 s. The
processor time of each request is printed beside it: on shared cores the wall time also holds
the waits for a core.

    python benchmarks/run.py portal
    WFSCORE_BENCH_DB=postgresql://user:password@127.0.0.1:5432/empty python benchmarks/run.py portal

(the second on PostgreSQL: the site made in an empty database there; SQLite otherwise).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, median, p95, table

SAMPLE = ROOT / "data" / "2011"
TARGET_MEDIAN, TARGET_P95, TARGET_EXPORT = 0.050, 0.150, 2.0


CPU: dict = {}  # fn → the processor time of each call (beside the wall time: on shared cores the two differ)


def _times(fn, n: int) -> list[float]:
    out, cpu = [], []
    for k in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(k)
        out.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[fn] = cpu
    return out


def main() -> bool:
    from wfscore.portal import site as portal_site

    tmp = Path(tempfile.mkdtemp(prefix="wfscore-bench-portal-"))
    try:
        site = tmp / "site"
        year, _ = portal_site.files(SAMPLE, site, db=os.environ.get("WFSCORE_BENCH_DB") or None)
        portal_site.setup(site)
        from django.conf import settings
        from django.core.management import call_command

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.ALLOWED_HOSTS = ["testserver"]
        call_command("migrate", verbosity=0, interactive=False)
        portal_site.accounts(year)
        from django.contrib.auth import get_user_model
        from django.test import Client

        from wfscore.portal.models import ApiToken, AuditEntry, Department, Profile

        Profile.objects.update(must_change_password=False)
        users = {u.username: u for u in get_user_model().objects.all()}
        depts = list(Department.objects.all())
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    username=d.dept_id,
                    address="127.0.0.1",
                    department=d,
                    action="value",
                    field="12",
                    old=str(k),
                    new=str(k + 1),
                )
                for d in depts
                for k in range(365)
            ],
            batch_size=5000,
        )
        with open(SAMPLE / "values.csv", encoding="utf-8-sig", newline="") as f:
            values = list(csv.DictReader(f))
        api = Client()
        for d in depts:
            token = ApiToken.issue(users[d.dept_id])
            mine = set(year.value_ids(d.dept_id))
            body = {
                "values": {
                    r["indicator"]: r["value"] for r in values if r["dept_id"] == d.dept_id and r["indicator"] in mine
                }
            }
            if d.dept_id != "P01":
                for path, method, data in (
                    (f"/api/returns/{d.dept_id}", "PATCH", body),
                    (f"/api/returns/{d.dept_id}/submit", "POST", {}),
                ):
                    r = api.generic(
                        method,
                        path,
                        json.dumps(data),
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Token {token}",
                    )
                    assert r.status_code == 200, r.content
        page = Client()
        page.force_login(users["P01"])
        ind = year.value_ids("P01")[0]
        weight = year.ctx.indicators[ind].weight

        anonymous = Client()  # one client, as a browser: a new one per request loads the whole middleware each time

        def get_login(_):
            assert anonymous.get("/login/").status_code == 200

        def get_form(_):
            assert page.get("/returns/P01/").status_code == 200

        def save(k):
            r = page.post(
                "/returns/P01/value", {"indicator": ind, "text": str(k % int(weight))}, HTTP_ACCEPT="application/json"
            )
            assert r.status_code == 200, r.content

        for fn in (get_login, get_form, save):
            _times(fn, 5)  # warm-up
        base, form, saves = _times(get_login, 100), _times(get_form, 100), _times(save, 100)
        cpu = {"base": median(CPU[get_login]), "form": median(CPU[get_form]), "save": median(CPU[save])}
        floors, exports = [], []
        for n in range(3):
            start = time.perf_counter()
            shutil.copytree(SAMPLE, tmp / f"floor{n}")
            floors.append(time.perf_counter() - start)
            shutil.copytree(SAMPLE, tmp / f"into{n}")
            start = time.perf_counter()
            portal_site.export(site, tmp / f"into{n}")
            exports.append(time.perf_counter() - start)
        entries = AuditEntry.objects.count()
        from django.db import connection

        database = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def ok(times):
        return median(times) <= TARGET_MEDIAN and p95(times) <= TARGET_P95

    rows = [["baseline: GET /login/", fmt(median(base)), fmt(p95(base)), fmt(cpu["base"]), "1×", "", ""]]
    for name, times, key in (
        ("the self-check page (GET /returns/P01/)", form, "form"),
        ("a draft save (POST …/value)", saves, "save"),
    ):
        rows.append(
            [
                name,
                fmt(median(times)),
                fmt(p95(times)),
                fmt(cpu[key]),
                f"{median(times) / median(base):.2f}×",
                f"≤ {TARGET_MEDIAN * 1e3:g} / {TARGET_P95 * 1e3:g} ms",
                "yes" if ok(times) else "NO",
            ]
        )
    t_floor, t_export = median(floors), median(exports)
    rows += [
        ["floor: copying the year folder", fmt(t_floor), "", "", "1×", "", ""],
        [
            "export of the whole year (128 submitted)",
            fmt(t_export),
            "",
            "",
            f"{t_export / t_floor:.1f}×",
            f"≤ {TARGET_EXPORT:g} s",
            "yes" if t_export <= TARGET_EXPORT else "NO",
        ],
    ]
    table(
        f"Portal ({database}): server time, 129 departments, {entries} audit entries",
        ["step", "median", "p95", "processor (median)", "vs baseline", "target", "met"],
        rows,
    )
    return ok(form) and ok(saves) and t_export <= TARGET_EXPORT


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
