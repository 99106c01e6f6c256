"""What the ``wfscore portal`` commands do: make a site folder and its accounts, serve it,
export what departments submitted into a year folder (with ``wfscore collect``'s own
writing, :func:`wfscore.review.collected.write_year`), print the board, back it up.

Django is set up here, once per process, for one site (:func:`setup`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from wfscore.inputs.problems import InputError, error

YEAR_FILES = ("scheme.yaml", "departments.csv", "experts.csv", "SYNTHETIC")
PASSWORD_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
OFFICE = "office"
DEFAULT_PORT = 8870


class PortalError(Exception):
    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message, self.message_zh = message, message_zh


def _private(path: Path, text: str) -> None:
    """Write ``text`` to a new file readable only by its owner (where the system has such
    modes: on Windows the file is just created)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def setup(site: Path) -> None:
    """Django, set up for the site in ``site``."""
    import django
    from django.conf import settings

    site = Path(site).resolve()
    if not (site / "site.json").is_file() or not (site / "secret_key").is_file():
        raise PortalError(
            f"{site} is not a portal site (expected the folder made by wfscore portal init)",
            f"{site} 不是采集系统的站点文件夹（应为 wfscore portal init 生成的文件夹）",
        )
    if settings.configured:
        if Path(settings.SITE_DIR) != site:
            raise PortalError("another site is already set up in this process", "本进程已加载另一个站点")
        return
    os.environ["WFSCORE_PORTAL_SITE"] = str(site)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wfscore.portal.settings"
    django.setup()


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_LETTERS) for _ in range(14))


@dataclass(frozen=True)
class Made:
    created: bool  # the site folder is new
    accounts: list[tuple]  # (account, role, for, name, password) of the accounts made now
    departments: int
    accounts_file: Path


def _address(db: str | None):
    """The PostgreSQL address ``db`` read (None: SQLite)."""
    from wfscore.portal import database

    if db is None or db == "sqlite":
        return None
    try:
        return database.parse(db)
    except database.BadAddress as exc:
        raise PortalError(exc.message, exc.message_zh) from None


def database_of(site: Path) -> str:
    """The site's database as it may be shown: "sqlite", or its PostgreSQL address without the password."""
    from wfscore.portal import database

    known = json.loads((Path(site) / "site.json").read_text(encoding="utf-8")).get("database") or "sqlite"
    return known if known == "sqlite" else database.redacted(known)


def _keep_password(site: Path, address) -> None:
    """The database password in ``db_password`` (readable only by its owner), never in site.json."""
    from wfscore.portal.database import PASSWORD_FILE

    if not address.password:
        return
    path = site / PASSWORD_FILE
    if path.is_file() and path.read_text(encoding="utf-8").strip() == address.password:
        return
    path.unlink(missing_ok=True)
    _private(path, address.password + "\n")


def files(
    year_dir: Path,
    site: Path,
    *,
    language: str = "zh-hans",
    hosts: list[str] | None = None,
    db: str | None = None,
):
    """The site folder's files (all but the database): (the year, whether the folder is new).
    ``db``: a PostgreSQL address (``postgresql://user:password@host:port/name``) for a new
    site; None or "sqlite": the SQLite file in the folder."""
    from wfscore.inputs import forms
    from wfscore.portal import year as years

    year_dir, site = Path(year_dir), Path(site)
    address = _address(db)
    year = years.read(year_dir)  # InputError when the year cannot be read
    created = not (site / "site.json").exists()
    if not created and db is not None:
        known = database_of(site)
        wanted = "sqlite" if address is None else address.url()
        if known != wanted:
            raise PortalError(
                f"{site} keeps its data in {known}, not {wanted} (expected the same database: "
                'change "database" in site.json to move it)',
                f'{site} 的数据在 {known}，而不是 {wanted}（应为同一数据库；如要迁移请修改 site.json 的 "database"）',
            )
    if created:
        if site.exists() and any(site.iterdir()):
            raise PortalError(
                f"{site} is not empty and is not a portal site (expected a new or empty folder)",
                f"{site} 不是空文件夹，也不是采集系统的站点（应为新的或空的文件夹）",
            )
        (site / "uploads").mkdir(parents=True, exist_ok=True)
        (site / "year").mkdir(exist_ok=True)
        _private(site / "secret_key", secrets.token_urlsafe(50) + "\n")
        (site / "site.json").write_text(
            json.dumps(
                {
                    "year": year.scheme.year,
                    "allowed_hosts": hosts or ["127.0.0.1", "localhost"],
                    "language": language,
                    "https": False,
                    "max_upload_mb": 20,
                    "session_hours": 8,
                    "login_failures": 5,
                    "lockout_minutes": 15,
                    "time_zone": "Asia/Shanghai",
                    **({"database": address.url()} if address is not None else {}),
                    "year_dir": str(year_dir.resolve()),  # where the board's export button writes
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    else:
        known = years.read(site / "year")
        if known.scheme.year != year.scheme.year or forms.scheme_hash(known.scheme) != forms.scheme_hash(year.scheme):
            raise PortalError(
                f"{site} collects year {known.scheme.year} with scheme {forms.scheme_hash(known.scheme)}, "
                f"but {year_dir} is year {year.scheme.year} with scheme {forms.scheme_hash(year.scheme)} "
                "(expected the same year and scheme: make a new site for another)",
                f"{site} 采集的是 {known.scheme.year} 年度（方案校验码 {forms.scheme_hash(known.scheme)}），"
                f"而 {year_dir} 是 {year.scheme.year} 年度（{forms.scheme_hash(year.scheme)}）；"
                "其他年度请另建站点",
            )
        named = json.loads((site / "site.json").read_text(encoding="utf-8"))
        if "year_dir" not in named:  # a site made before the board could export
            named["year_dir"] = str(year_dir.resolve())
            (site / "site.json").write_text(json.dumps(named, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if address is not None:
        _keep_password(site, address)
    for name in YEAR_FILES:
        if (year_dir / name).is_file():
            shutil.copyfile(year_dir / name, site / "year" / name)
    return year, created


def init(
    year_dir: Path,
    site: Path,
    *,
    language: str = "zh-hans",
    hosts: list[str] | None = None,
    db: str | None = None,
) -> Made:
    """Make (or add to) the site in ``site`` from the year in ``year_dir`` (its data in
    SQLite, or in the PostgreSQL database ``db``)."""
    site = Path(site)
    year, created = files(year_dir, site, language=language, hosts=hosts, db=db)
    try:
        setup(site)
        migrate()
    except PortalError:
        if created:  # nothing left of a new site whose database cannot be reached
            shutil.rmtree(site, ignore_errors=True)
        raise
    for name in ("portal.sqlite3", "portal.sqlite3-wal", "portal.sqlite3-shm"):
        if (site / name).exists():
            os.chmod(site / name, 0o600)  # it holds the password hashes (a no-op where modes are not kept)
    made, count = accounts(year)
    accounts_file = site / "accounts.csv"
    _write_accounts(accounts_file, made)
    return Made(created, made, count, accounts_file)


def migrate() -> None:
    """The site's database brought to the models (Django's migrations), or PortalError
    naming the database (without its password) when it cannot be reached."""
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError as exc:
        from django.conf import settings

        shown = database_of(settings.SITE_DIR)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PortalError(
            f"cannot use the database {shown}: {reason} (expected a PostgreSQL server that answers, "
            "and a database the account may change)",
            f"无法使用数据库 {shown}：{reason}（应为可连接的 PostgreSQL 服务器，且账号有权修改该数据库）",
        ) from None


def demo(
    year_dir: Path, site: Path, *, days: int = 30, language: str = "zh-hans", db: str | None = None
) -> tuple[Made, object]:
    """A demonstration site (``make portal``): made from ``year_dir`` like :func:`init` (or
    the one already in ``site``), its values empty, its deadline at least ``days`` from
    now: (what was made, the deadline)."""
    from datetime import timedelta

    made = init(year_dir, site, language=language, db=db)
    from django.utils import timezone

    from wfscore.portal.models import Campaign

    campaign = Campaign.get()
    when = timezone.now() + timedelta(days=days)
    if campaign.deadline is None or campaign.deadline < when:
        campaign.deadline = when
        campaign.save(update_fields=["deadline"])
    return made, campaign.deadline


def accounts(year) -> tuple[list[tuple], int]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from wfscore.inputs import forms
    from wfscore.portal.models import Campaign, Department, Profile, Return

    User = get_user_model()
    made = []
    with transaction.atomic():
        Campaign.objects.get_or_create(year=year.scheme.year, defaults={"scheme_hash": forms.scheme_hash(year.scheme)})
        for n, (dept_id, name, kind) in enumerate(
            zip(year.departments["dept_id"], year.departments["name"], year.departments["kind"])
        ):
            dept, _ = Department.objects.get_or_create(
                dept_id=dept_id, defaults={"name": name, "kind": kind, "position": n}
            )
            Return.objects.get_or_create(department=dept)
            if not User.objects.filter(username=dept_id).exists():
                password = new_password()
                user = User.objects.create_user(dept_id, password=password, first_name=name[:150])
                Profile.objects.create(user=user, role="department", department=dept)
                made.append((dept_id, "department", dept_id, name, password))
        for expert in year.experts:
            account = f"expert-{expert}"
            if not User.objects.filter(username=account).exists():
                password = new_password()
                user = User.objects.create_user(account, password=password)
                Profile.objects.create(user=user, role="expert", expert_id=expert)
                made.append((account, "expert", expert, expert, password))
        if not User.objects.filter(username=OFFICE).exists():
            password = new_password()
            user = User.objects.create_user(OFFICE, password=password, is_staff=True, is_superuser=True)
            Profile.objects.create(user=user, role="office")
            made.append((OFFICE, "office", "", "考核办", password))
    return made, Department.objects.count()


ROLE_ZH = {"department": "部门", "expert": "专家", "office": "考核办"}


def _write_accounts(path: Path, made: list[tuple]) -> None:
    """Append the new accounts to ``accounts.csv`` (made readable only by its owner)."""
    from wfscore.inputs.output import inert_cell

    if not made and path.exists():
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if not path.exists():
        writer.writerow(["账号 account", "角色 role", "部门或专家 for", "名称 name", "一次性密码 one-time password"])
    for account, role, who, name, password in made:
        writer.writerow([inert_cell(account), f"{ROLE_ZH[role]} {role}", inert_cell(who), inert_cell(name), password])
    if not path.exists():
        _private(path, "\ufeff" + buffer.getvalue())
    else:
        with open(path, "a", encoding="utf-8", newline="") as f:
            f.write(buffer.getvalue())


# -- export -------------------------------------------------------------------------------------


def collection(site: Path, into: Path):
    """What the departments last submitted, as a :class:`wfscore.inputs.collect.Collection`
    of returns (one per department that submitted, and the office's own figures), checked
    against the year in ``into``."""
    from wfscore.inputs import collect, forms
    from wfscore.portal import year as years

    setup(site)
    from wfscore.portal.models import OfficeValue, Submission

    target = years.read(Path(into))
    ours = years.current()
    if forms.scheme_hash(target.scheme) != forms.scheme_hash(ours.scheme):
        raise InputError(
            [
                error(
                    str(into),
                    f"has another scheme than the site (check code "
                    f"{forms.scheme_hash(target.scheme)}, the site's {forms.scheme_hash(ours.scheme)}; "
                    "expected the year folder the site was made from)",
                    message_zh=f"的考核方案与站点不同（校验码 {forms.scheme_hash(target.scheme)}，站点为 "
                    f"{forms.scheme_hash(ours.scheme)}；应导出到建站所用的年度文件夹）",
                )
            ],
            str(into),
        )
    ctx = target.ctx
    rets = []
    latest = {}
    for sub in Submission.objects.select_related("ret__department").order_by("at", "id"):
        latest[sub.ret.department.dept_id] = sub
    problems = []
    for dept_id, sub in latest.items():
        ret = collect.Return(file=f"portal {dept_id}", form="self_check", who=dept_id)
        if dept_id not in ctx.position:
            problems.append(
                error(
                    f"portal {dept_id}",
                    f"is a department that {into}/departments.csv does not have "
                    "(expected the departments the site was made from)",
                    message_zh=f"是 {into}/departments.csv 中没有的部门（应为建站时的部门）",
                )
            )
            continue
        where = f"portal, department {dept_id}"
        for ind, text in sub.content["values"].items():
            ret.values.append((dept_id, ind, text, f"{where}, cell {ind}"))
        for e in sub.content["exemptions"]:
            ret.exemptions.append((dept_id, e["indicator"], e["reason"], where))
        for a in sub.content["achievements"]:
            title = f"{a['title']}（{a['document']}）" if a["document"] else a["title"]
            ret.achievements.append((dept_id, a["indicator"], title, where))
        rets.append(ret)
    office = list(OfficeValue.objects.select_related("department"))
    if office:
        ret = collect.Return(file="portal office", form="office", who="office")
        for v in office:
            if v.indicator == "website":
                ret.website.append((v.department.dept_id, v.number, "portal, office, cell website"))
            else:
                ret.values.append((v.department.dept_id, v.indicator, v.number, f"portal, office, cell {v.indicator}"))
        rets.append(ret)
    if rets:
        rets.append(
            _kept(
                Path(into),
                ctx,
                {dept_id: years.current().value_ids(dept_id) for dept_id in latest},
                [(v.department.dept_id, v.indicator) for v in office],
            )
        )
    for r in rets:
        problems += r.problems
    return collect.Collection(Path(site), Path(into), ctx, rets, problems, [])


def _kept(into: Path, ctx, submitted: dict[str, list[str]], office: list[tuple[str, str]]):
    """The figures of the year's ``values.csv`` and ``website_eval.csv`` that the portal does
    not collect, as a return that gives them again (collect's writing makes these files
    wholly from the returns): the expert-rated and office indicators' values, the office's
    figures and website evaluations it did not give in the portal, and the figures of the
    departments that have not submitted. A department that submitted gives all the figures
    it reports (one it left empty is no longer in values.csv)."""
    from wfscore.inputs import collect
    from wfscore.inputs.files import decode, parse_csv

    supplied = {(d, i) for d, ids in submitted.items() for i in ids} | set(office)
    ret = collect.Return(file="the year's tables", form="summary", who="kept")
    for file, columns in (
        ("values.csv", ("dept_id", "indicator", "value")),
        ("website_eval.csv", ("dept_id", "score")),
    ):
        path = into / file
        if not path.is_file():
            continue
        text, _, problem = decode(path.read_bytes(), file)
        frame, found = (None, [problem]) if problem is not None else parse_csv(text, file.removesuffix(".csv"), file)
        if found or frame is None or any(c not in frame.columns for c in columns):
            if found:
                raise InputError(found, str(into))
            if frame is not None:
                raise InputError(
                    [
                        error(
                            file,
                            f"has no column {', '.join(c for c in columns if c not in frame.columns)} "
                            f"(expected {', '.join(columns)})",
                            line=1,
                            message_zh=f"缺少列 {'、'.join(c for c in columns if c not in frame.columns)}"
                            f"（应有 {'、'.join(columns)}）",
                        )
                    ],
                    str(into),
                )
            continue
        for line, row in zip(frame.index, frame.itertuples(index=False)):
            row = dict(zip(frame.columns, (str(v) for v in row)))
            where = f"{file}, line {line}, cell value"
            if file == "values.csv":
                if (row["dept_id"], row["indicator"]) not in supplied:
                    ret.values.append((row["dept_id"], row["indicator"], row["value"], where))
            elif (row["dept_id"], "website") not in supplied:
                ret.website.append((row["dept_id"], row["score"], where))
    return ret


def export(site: Path, into: Path, reviewer: str = ""):
    """Write the year's tables into ``into`` from what was submitted: collect's
    :func:`~wfscore.review.collected.write_year` (under the desk's lock, the rows the desk
    or a dispute decided kept, the files replaced kept as versions), all or nothing
    (InputError: nothing written). The collection holds every row the year keeps (what
    the portal does not collect is carried over), so the rows it lacks are removed: a
    figure a department emptied before submitting."""
    from wfscore.review.collected import write_year

    return write_year(collection(site, into), replace=True, reviewer=reviewer)


def export_folder() -> Path | None:
    """The year folder the board's export writes into: the one the site was made from
    (``year_dir`` in ``site.json``), None when the site does not name it."""
    from django.conf import settings

    named = settings.SITE.get("year_dir")
    return Path(named) if named else None


# -- status, serve, backup ---------------------------------------------------------------------


def status_text(site: Path, lang: str = "zh") -> str:
    from wfscore.inputs.inert import terminal

    setup(site)
    from wfscore.portal import returns as R
    from wfscore.portal.models import Campaign

    rows = R.board()
    campaign = Campaign.get()
    n = 1 if lang == "zh" else 0
    counts = {s: sum(1 for r in rows if r.state == s) for s in R.STATE_WORDS}
    lines = [
        ("部门：" if lang == "zh" else "departments: ")
        + f"{len(rows)}"
        + ("，" if lang == "zh" else ", ")
        + ("，" if lang == "zh" else ", ").join(f"{R.STATE_WORDS[s][n]} {c}" for s, c in counts.items())
    ]
    for state in ("not_started", "draft", "reopened"):
        names = [f"{r.dept_id} {r.name}" for r in rows if r.state == state]
        if names:
            lines.append(f"  {R.STATE_WORDS[state][n]}: " + ("、" if lang == "zh" else ", ").join(names))
    bad = [f"{r.dept_id} ({r.problems})" for r in rows if r.problems]
    if bad:
        lines.append(("  有错误：" if lang == "zh" else "  with problems: ") + ", ".join(bad))
    if campaign.deadline:
        lines.append(("截止时间：" if lang == "zh" else "deadline: ") + campaign.deadline.isoformat())
    if campaign.locked:
        lines.append("本年度已锁定" if lang == "zh" else "the year is locked")
    return terminal("\n".join(lines))


def application(site: Path):
    setup(site)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def serve(site: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, threads: int = 8) -> None:
    from django.conf import settings
    from waitress import serve as waitress_serve

    app = application(site)
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="wfscore",
        max_request_body_size=settings.MAX_UPLOAD_BYTES + 1024 * 1024,
    )


def backup(site: Path, out: Path) -> Path:
    """A copy of the site's database, written atomically: by SQLite's online backup, or
    by ``pg_dump`` (its custom format, for ``pg_restore``) for a PostgreSQL site; both safe
    while the site is served."""
    site, out = Path(site).resolve(), Path(out)
    if database_of(site) != "sqlite":
        return _pg_backup(site, out)
    import sqlite3

    from wfscore.inputs.output import staged

    db = site / "portal.sqlite3"
    if not db.is_file():
        raise PortalError(
            f"{site} has no database (expected portal.sqlite3: run wfscore portal init)",
            f"{site} 中没有数据库（应有 portal.sqlite3，请先运行 wfscore portal init）",
        )
    with staged(out) as (tmp,):
        source = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    return out


SQLITE_HEADER, PG_DUMP_HEADER = b"SQLite format 3\x00", b"PGDMP"


def restore(site: Path, source: Path) -> None:
    """The site's database replaced, in one transaction, by the backup ``source`` that
    :func:`backup` wrote (SQLite's copy, or pg_dump's for a PostgreSQL site). The server
    is stopped first; the uploads folder is restored by copying it back."""
    site, source = Path(site).resolve(), Path(source)
    on_postgresql = database_of(site) != "sqlite"
    try:
        with open(source, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise PortalError(
            f"{source} cannot be read ({exc.strerror or exc})", f"无法读取 {source}（{exc.strerror or exc}）"
        ) from None
    wanted, kind, kind_zh = (
        (PG_DUMP_HEADER, "PostgreSQL", "PostgreSQL") if on_postgresql else (SQLITE_HEADER, "SQLite", "SQLite")
    )
    if not head.startswith(wanted):
        raise PortalError(
            f"{source} is not a backup of a {kind} site (expected the file wfscore portal backup wrote for this site)",
            f"{source} 不是 {kind_zh} 站点的备份（应为 wfscore portal backup 为本站点写出的文件）",
        )
    if on_postgresql:
        done = _pg_command(
            site,
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            _pg_dbname(site),
            str(source),
        )
        if done.returncode != 0:
            raise _pg_failed("pg_restore", site, done)
        return
    import sqlite3

    backup_db = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "portal_auditentry" not in tables or backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise PortalError(
                f"{source} is not a backup of a portal site, or is damaged (expected the file wfscore portal backup "
                "wrote)",
                f"{source} 不是采集系统站点的备份，或已损坏（应为 wfscore portal backup 写出的文件）",
            )
        target = sqlite3.connect(site / "portal.sqlite3")
        try:
            backup_db.backup(target)  # all pages in one step: one transaction on the site's database
        finally:
            target.close()
    finally:
        backup_db.close()


def _pg_dbname(site: Path) -> str:
    from wfscore.portal import database

    return database.parse(json.loads((site / "site.json").read_text(encoding="utf-8"))["database"]).name


def postgresql_tool(name: str) -> str | None:
    """PostgreSQL's client program ``name`` (pg_dump, pg_restore): on the PATH, or in
    Debian's /usr/lib/postgresql/<version>/bin (the newest), or None."""
    found = shutil.which(name)
    if found:
        return found
    import glob
    import re

    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parent.parent.name)],
    )
    return versions[-1] if versions else None


def _pg_command(site: Path, tool: str, *args: str):
    """Run PostgreSQL's ``tool`` on the site's database, its password handed over in the
    environment (never on the command line): the completed process."""
    import subprocess

    from wfscore.portal import database

    program = postgresql_tool(tool)
    if program is None:
        raise PortalError(
            f"{tool} is not installed (expected PostgreSQL's client programs: on Debian, apt-get install "
            "postgresql-client; on Windows, PostgreSQL's bin folder on the PATH)",
            f"未找到 {tool}（需安装 PostgreSQL 客户端程序：Debian 上运行 apt-get install postgresql-client；"
            "Windows 上请把 PostgreSQL 的 bin 文件夹加入 PATH）",
        )
    known = json.loads((site / "site.json").read_text(encoding="utf-8"))["database"]
    address = database.parse(known)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGPASSWORD"] = database.password(address, site)
    env.update({"PGHOST": address.host, "PGPORT": address.port, "PGUSER": address.user, "PGDATABASE": address.name})
    env.update({f"PG{k.upper()}": v for k, v in address.options if k in ("sslmode", "sslrootcert", "connect_timeout")})
    env = {k: v for k, v in env.items() if v}
    return subprocess.run([program, *args], env=env, capture_output=True, text=True, errors="replace")


def _pg_failed(tool: str, site: Path, done) -> PortalError:
    reason = (done.stderr or done.stdout).strip().replace("\n", " ")[:500]
    shown = database_of(site)
    return PortalError(
        f"{tool} could not copy the database {shown}: {reason}",
        f"{tool} 未能复制数据库 {shown}：{reason}",
    )


def _pg_backup(site: Path, out: Path) -> Path:
    from wfscore.inputs.output import staged

    with staged(out) as (tmp,):
        done = _pg_command(site, "pg_dump", "--format=custom", "--no-owner", "--file", str(tmp))
        if done.returncode != 0:
            raise _pg_failed("pg_dump", site, done)
    return out
