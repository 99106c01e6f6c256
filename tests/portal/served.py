"""A site served by the real command (``wfscore portal serve``) on 127.0.0.1, and an HTTP
client for its JSON API: the tests that drive the portal from outside."""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from helpers import cli_env, console_script
from processes import stop_tree

NEW_PASSWORD = "Weifang-portal-2026"
TIMEOUT = 60  # seconds a request waits for its answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(site: Path):
    port = free_port()
    log = Path(site).with_name(Path(site).name + ".log")  # a file, not a pipe: see started()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [console_script(), "portal", "serve", str(site), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=cli_env("en"),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2).read()
                break
            except OSError:  # not listening yet (refused, reset or timed out)
                if proc.poll() is not None:
                    raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
                time.sleep(0.1)
        yield base
    finally:
        stop_tree(proc)


def call(base: str, method: str, path: str, body=None, token: str | None = None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read().decode("utf-8") or "{}")


def accounts(site: Path) -> dict[str, str]:
    with open(site / "accounts.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    return {r[0]: r[4] for r in rows}


def tokens(base: str, site: Path) -> dict[str, str]:
    """Every account's one-time password changed, and a token for each."""
    out = {}
    for account, password in accounts(site).items():
        status, body = call(
            base, "POST", "/api/password", {"username": account, "password": password, "new_password": NEW_PASSWORD}
        )
        assert status == 200, body
        status, body = call(base, "POST", "/api/token", {"username": account, "password": NEW_PASSWORD})
        assert status == 200, body
        out[account] = body["token"]
    return out


def started(site: Path) -> tuple[subprocess.Popen, str]:
    """``wfscore portal serve`` on a free port of 127.0.0.1, answering: (its process, its
    address). The caller stops it (``processes.stop_tree``; ``kill=True`` as kill -9 does).

    Its log goes to a file beside the site (``SITE.log``), never to a pipe nobody reads while
    it serves: under load the server logs (waitress's "Task queue depth" warnings), a full pipe
    blocks the thread that writes, and with it every thread waiting for the logging lock."""
    port = free_port()
    log = Path(site).with_name(Path(site).name + ".log")
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [console_script(), "portal", "serve", str(site), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=out,
            env=cli_env("en"),
        )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/login/", timeout=2).read()
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.1)
    stop_tree(proc, kill=True)
    raise AssertionError("wfscore portal serve did not answer in 30 s")


# a site's files and its database, made as `wfscore portal init` makes them but with a fast
# password hash (130 accounts in a second, not a minute), and an API token for every account
_QUICK_SITE = """
import json, sys
from pathlib import Path
from wfscore.portal import site as s
year, _ = s.files(Path(sys.argv[1]), Path(sys.argv[2]), db=sys.argv[3] if len(sys.argv) > 3 else None)
s.setup(Path(sys.argv[2]))
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
s.accounts(year)
from django.contrib.auth import get_user_model
from wfscore.portal.models import ApiToken, Profile
Profile.objects.update(must_change_password=False)
print(json.dumps({u.username: ApiToken.issue(u) for u in get_user_model().objects.all()}))
"""


def quick_site(year_dir: Path, site: Path) -> dict[str, str]:
    """A site for ``year_dir`` in ``site`` (on the tests' database: portaldb.py), every
    account with a token: {account: token}."""
    import sys

    from portaldb import db_args

    r = subprocess.run(
        [sys.executable, "-c", _QUICK_SITE, str(year_dir), str(site), *db_args()[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        env=cli_env("en"),
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])
