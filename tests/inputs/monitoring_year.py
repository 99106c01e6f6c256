"""A year with monitoring, made from a copy of a year's folder: each department a website,
indicators of ``source: monitoring`` in the scheme, and a year of daily probes and
imported rows written straight into ``monitoring/`` (no network)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from wfscore.inputs.monitoring.figures import ORIGIN_COLUMNS, SYSTEM_COLUMNS
from wfscore.inputs.monitoring.records import PROBE_COLUMNS, line_of

# indicator id → measure, in the 2011 scheme
MEASURED = {"5": "availability", "6": "gov_cn", "12": "online_rate", "10": "logins"}


def add_websites(folder: Path, url=lambda n, dept_id: f"http://www.{dept_id.lower()}.gov.cn/") -> pd.DataFrame:
    path = folder / "departments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["website"] = [url(n, d) for n, d in enumerate(frame["dept_id"])]
    frame.to_csv(path, index=False)
    return frame


def monitored_scheme(folder: Path, measured: dict[str, str] = MEASURED, **monitoring) -> None:
    path = folder / "scheme.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section in raw["sections"]:
        for category in section["categories"]:
            for ind in category["indicators"]:
                if str(ind["id"]) in measured:
                    ind["source"] = "monitoring"
                    ind["measure"] = measured[str(ind["id"])]
                    ind["method"] = "index"
    if monitoring:
        raw["monitoring"] = monitoring
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    values = folder / "values.csv"  # the monitoring gives these now
    frame = pd.read_csv(values, dtype=str, keep_default_na=False)
    frame[~frame["indicator"].isin(list(measured))].to_csv(values, index=False)
    ratings = folder / "ratings.csv"
    if ratings.exists():
        frame = pd.read_csv(ratings, dtype=str, keep_default_na=False)
        frame[~frame["indicator"].isin(list(measured))].to_csv(ratings, index=False)


def write_monitoring(folder: Path, dept_ids, year: int = 2011, days: int = 365, seed: int = 0) -> dict:
    """Daily probes, approval rows and platform rows for each department; returns the
    expected figures (ok probes, on .gov.cn, online and all items, logins) per department."""
    rng = np.random.default_rng(seed)
    mon = folder / "monitoring"
    mon.mkdir(exist_ok=True)
    start = dt.date(year, 1, 1)
    dept_ids = list(dept_ids)
    n = len(dept_ids)
    up = rng.uniform(0.8, 1.0, n)
    gov = rng.random(n) < 0.8
    ok = rng.random((n, days)) < up[:, None]
    online = rng.integers(0, 50, (n, days))
    total = online + rng.integers(0, 20, (n, days))
    logins = rng.integers(0, 100, (n, days))
    probe_lines = [line_of(PROBE_COLUMNS)]
    approval = [line_of(SYSTEM_COLUMNS + ("online", "total") + ORIGIN_COLUMNS)]
    platform = [line_of(SYSTEM_COLUMNS + ("logins",) + ORIGIN_COLUMNS)]
    for day in range(days):
        date = (start + dt.timedelta(days=day)).isoformat()
        for d, dept in enumerate(dept_ids):
            host = f"www.{dept.lower()}.gov.cn" if gov[d] else f"www.{dept.lower()}.com"
            probe_lines.append(
                line_of(
                    [
                        dept,
                        f"{date}T08:00:00+08:00",
                        f"http://{host}/",
                        200 if ok[d, day] else 500,
                        120,
                        "",
                        bool(gov[d]),
                        bool(ok[d, day]),
                        "",
                    ]
                )
            )
            approval.append(line_of([dept, date, int(online[d, day]), int(total[d, day]), "export.csv", day + 2]))
            platform.append(line_of([dept, date, int(logins[d, day]), "logins.csv", day + 2]))
    (mon / "probes.csv").write_text("".join(probe_lines), encoding="utf-8")
    (mon / "approval.csv").write_text("".join(approval), encoding="utf-8")
    (mon / "platform.csv").write_text("".join(platform), encoding="utf-8")
    return {
        "ok": ok.sum(axis=1),
        "days": days,
        "gov": gov,
        "online": online.sum(axis=1),
        "total": total.sum(axis=1),
        "logins": logins.sum(axis=1),
    }


def monitoring_year(folder: Path, days: int = 365, **monitoring) -> dict:
    """``folder`` (a copy of a year) turned into a year with monitoring; the expected figures."""
    frame = add_websites(folder)
    monitored_scheme(folder, **monitoring)
    return write_monitoring(folder, frame["dept_id"], days=days)
