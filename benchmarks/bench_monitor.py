"""The office's monitoring: probing 129 websites, and summing up a year of daily probes.

    python benchmarks/run.py monitor

- probing 129 sites served on 127.0.0.1 (four local servers, each answer 50 ms late, as a
  slow government site is), 8 at a time, each row appended to probes.csv as it comes
  (``probe_all`` + ``Appender``), against the baseline measured in the same run: the same
  129 GETs with ``http.client``, one after the other, writing nothing;
- ``wfscore monitor summary``'s work (``read_departments`` + ``read_figures``) over a year of
  daily probes and imported rows (129 × 365 each), against the floor: ``pandas.read_csv``
  of those three files alone.

Targets: probing ≤ 15 s; the summary ≤ 2 s.
"""

from __future__ import annotations

import http.client
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
from common import ROOT, fmt, median, table

sys.path.insert(0, str(ROOT / "tests" / "inputs"))
sys.path.insert(0, str(ROOT / "tests"))

from monitoring_year import monitoring_year  # noqa: E402
from wfscore.inputs.monitoring.departments import read_departments  # noqa: E402
from wfscore.inputs.monitoring.figures import read_figures  # noqa: E402
from wfscore.inputs.monitoring.probe import Site, probe_all  # noqa: E402
from wfscore.inputs.monitoring.records import PROBE_COLUMNS, Appender  # noqa: E402

TARGET_PROBE = 15.0
TARGET_SUMMARY = 2.0
DELAY = 0.05
SITES = 129
PAGE = "<html><head><meta charset=gb2312><title>{name}</title></head><body>" + "政务公开 " * 2000 + "</body></html>"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        time.sleep(DELAY)
        body = PAGE.format(name="部门" + self.path.strip("/")).encode("gb18030")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _servers(n: int = 4):
    servers = []
    for _ in range(n):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(httpd)
    return servers


def _baseline(sites: list[Site]) -> None:
    for site in sites:
        host, port = site.url.split("//")[1].split("/")[0].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/" + site.url.rsplit("/", 1)[1])
        conn.getresponse().read()
        conn.close()


def main() -> bool:
    servers = _servers()
    try:
        sites = [
            Site(f"D{k}", f"部门{k}", f"http://127.0.0.1:{servers[k % len(servers)].server_address[1]}/{k}")
            for k in range(SITES)
        ]
        base, probing = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(3):
                start = time.perf_counter()
                _baseline(sites)
                base.append(time.perf_counter() - start)
                appender = Appender(Path(tmp) / f"probes{n}.csv", PROBE_COLUMNS)
                start = time.perf_counter()
                done, left = probe_all(sites, jobs=8, timeout=10, on_probe=lambda p: appender.append([p.row()]))
                probing.append(time.perf_counter() - start)
                assert not left and all(p.ok and not p.note for p in done), [p for p in done if not p.ok][:3]
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "2011"
        shutil.copytree(ROOT / "data" / "2011", folder)
        monitoring_year(folder, days=365)
        mon = folder / "monitoring"
        floors, summaries = [], []
        for _ in range(5):
            start = time.perf_counter()
            for name in ("probes.csv", "approval.csv", "platform.csv"):
                pd.read_csv(mon / name, dtype=str, keep_default_na=False)
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            scheme, departments, _ = read_departments(folder)
            figures = read_figures(folder, scheme, list(departments["dept_id"]))
            summaries.append(time.perf_counter() - start)
        assert int(figures.basis["availability"].sum()) == 129 * 365
    t_base, t_probe, t_floor, t_summary = median(base), median(probing), median(floors), median(summaries)
    table(
        "Monitoring: probing 129 local websites, summing up a year",
        ["step", "median", "vs baseline", "target", "met"],
        [
            [f"baseline: {SITES} GETs one after another (http.client)", fmt(t_base), "1×", "", ""],
            [
                "probe_all, 8 at a time, rows appended and synced",
                fmt(t_probe),
                f"{t_probe / t_base:.2f}×",
                f"≤ {TARGET_PROBE:g} s",
                "yes" if t_probe <= TARGET_PROBE else "NO",
            ],
            ["floor: pandas.read_csv of the 3 files (129 × 365 rows each)", fmt(t_floor), "1×", "", ""],
            [
                "summary: read_departments + read_figures",
                fmt(t_summary),
                f"{t_summary / t_floor:.2f}×",
                f"≤ {TARGET_SUMMARY:g} s",
                "yes" if t_summary <= TARGET_SUMMARY else "NO",
            ],
        ],
    )
    return t_probe <= TARGET_PROBE and t_summary <= TARGET_SUMMARY


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
