"""Which database the portal's tests run on: SQLite (the default), or PostgreSQL when
``WFSCORE_TEST_DB=postgresql`` (``.ci/run`` runs tests/portal/ once more so).

On PostgreSQL a throwaway cluster is made for the test session: ``initdb`` into a scratch
folder (as the ``postgres`` account when the tests run as root, which PostgreSQL refuses),
started by ``pg_ctl`` on a free port of 127.0.0.1 (its socket in the same scratch folder),
with a password for its one account; each site a test makes gets a new empty database
(:func:`db_args`). ``tests/conftest.py`` stops the cluster when the session ends. Under
``CI=true`` a missing PostgreSQL fails the tests, never skips them."""

from __future__ import annotations

import atexit
import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ENGINE = os.environ.get("WFSCORE_TEST_DB", "sqlite").strip().lower() or "sqlite"
if ENGINE not in ("sqlite", "postgresql"):
    raise SystemExit(f"WFSCORE_TEST_DB={ENGINE!r}: expected sqlite or postgresql")
ON_POSTGRESQL = ENGINE == "postgresql"
USER = "wfscore"

_cluster: dict | None = None
_made = 0


def _binaries() -> Path | None:
    """The newest PostgreSQL server's programs (Debian's /usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def available() -> bool:
    """PostgreSQL's server programs are installed (the cluster can be made)."""
    return _binaries() is not None and (not hasattr(os, "geteuid") or os.geteuid() != 0 or _postgres_account())


def _postgres_account() -> bool:
    import pwd

    try:
        pwd.getpwnam("postgres")
        return True
    except KeyError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cluster() -> dict:
    """The session's PostgreSQL server, started at the first call: {host, port, user, password}."""
    global _cluster
    if _cluster is not None:
        return _cluster
    bin_dir = _binaries()
    if bin_dir is None:
        raise RuntimeError(
            "WFSCORE_TEST_DB=postgresql, but PostgreSQL's server is not installed "
            "(apt-get install postgresql; .ci/run installs it)"
        )
    root = Path(tempfile.mkdtemp(prefix="wfscore-pg-"))
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    user = "postgres" if as_root else None  # initdb and postgres refuse to run as root
    if as_root:
        shutil.chown(root, user="postgres")
    root.chmod(0o700)
    password = secrets.token_hex(16)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n", encoding="utf-8")
    if as_root:
        shutil.chown(pwfile, user="postgres")
    port = _free_port()
    data, log = root / "data", root / "log"

    def run(*args):
        r = subprocess.run(args, user=user, capture_output=True, text=True, timeout=120, cwd=root)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, args))} failed: {r.stdout}\n{r.stderr}\n" + _tail(log))

    run(
        bin_dir / "initdb",
        "-D",
        data,
        "-U",
        USER,
        "--auth=scram-sha-256",
        f"--pwfile={pwfile}",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    )
    pwfile.unlink()
    settings = (
        f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", settings, "start")
    _cluster = {"host": "127.0.0.1", "port": port, "user": USER, "password": password, "root": root, "bin": bin_dir}
    _cluster["stop"] = lambda: run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    atexit.register(stop)
    return _cluster


def _tail(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-2000:]
    except OSError:
        return ""


def stop() -> None:
    """The cluster stopped and its folder removed (the session's end; again, nothing)."""
    global _cluster
    if _cluster is None:
        return
    c, _cluster = _cluster, None
    try:
        c["stop"]()
    finally:
        shutil.rmtree(c["root"], ignore_errors=True)


def url(name: str, password: bool = True) -> str:
    c = cluster()
    who = f"{c['user']}:{c['password']}" if password else c["user"]
    return f"postgresql://{who}@{c['host']}:{c['port']}/{name}"


def connect(name: str = "postgres"):
    import psycopg

    c = cluster()
    return psycopg.connect(
        host=c["host"], port=c["port"], user=c["user"], password=c["password"], dbname=name, autocommit=True
    )


def new_database() -> str:
    """A new empty database on the cluster: its address (with the password)."""
    global _made
    _made += 1
    name = f"site_{os.getpid()}_{_made}"
    with connect() as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return url(name)


def db_args() -> list[str]:
    """``wfscore portal init``'s arguments for a new site's database: on PostgreSQL, ``--db``
    and a new database; on SQLite none (the file in the site folder)."""
    return ["--db", new_database()] if ON_POSTGRESQL else []


def site_database(site: Path) -> str | None:
    """The PostgreSQL database name of the site in ``site`` (None: SQLite)."""
    known = json.loads((Path(site) / "site.json").read_text(encoding="utf-8")).get("database")
    return known.rsplit("/", 1)[-1].split("?")[0] if known and known != "sqlite" else None


def rows(site: Path, sql: str, *args) -> list[tuple]:
    """The rows of ``sql`` (``?`` for each argument) on the site's database, read from
    outside the server. ``PRAGMA integrity_check`` on PostgreSQL checks every B-tree index
    of the site's tables against their rows (amcheck) and answers [("ok",)] as SQLite does."""
    name = site_database(site)
    if name is None:
        import sqlite3

        con = sqlite3.connect(Path(site) / "portal.sqlite3")
        try:
            found = con.execute(sql, args).fetchall()
            con.commit()  # what it wrote, kept (PostgreSQL's connection commits each statement)
            return found
        finally:
            con.close()
    with connect(name) as con:
        if sql.strip().upper() == "PRAGMA INTEGRITY_CHECK":
            con.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            con.execute(
                "SELECT bt_index_check(index => c.oid, heapallindexed => true) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace"
            ).fetchall()
            return [("ok",)]
        cursor = con.execute(sql.replace("?", "%s"), args)
        return [tuple(r) for r in cursor.fetchall()] if cursor.description is not None else []
