"""``wfscore portal init|demo|serve|export|status|backup|restore``: the online collection system
(:mod:`wfscore.portal`). Django is imported only when one of these commands runs, and
only if the optional part is installed (``pip install 'wfscore[portal]'``)."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, nothing_written, print_problems, say, text_in


def _site(ui: str):
    """:mod:`wfscore.portal.site`, or None (and a message) without Django."""
    try:
        import django  # noqa: F401
    except ImportError:
        error(
            ui,
            "未安装采集系统组件（请运行 pip install 'wfscore[portal]'）"
            if ui == "zh"
            else "the portal is not installed (pip install 'wfscore[portal]')",
        )
        return None
    from wfscore.portal import site

    return site


def _run(args, work) -> int:
    from wfscore.inputs.problems import InputError

    ui = args.ui_lang
    site = _site(ui)
    if site is None:
        return 1
    try:
        return work(site)
    except site.PortalError as exc:
        error(ui, exc.message_zh if ui == "zh" else exc.message)
        return 1
    except InputError as exc:
        print_problems(exc.problems, None, sys.stderr, ui)
        nothing_written(ui)
        return 1


def cmd_init(args) -> int:
    ui = args.ui_lang

    def work(site):
        made = site.init(
            Path(args.year_dir),
            Path(args.site),
            language="en" if args.lang == "en" else "zh-hans",
            hosts=args.host or None,
            db=args.db,
        )
        counts = {r: sum(1 for a in made.accounts if a[1] == r) for r in ("department", "expert", "office")}
        if ui == "zh":
            say(
                f"{'已建立' if made.created else '已更新'}站点 {args.site}：部门 {made.departments} 个；新建账号：部门 "
                f"{counts['department']} 个，专家 {counts['expert']} 个，考核办 {counts['office']} 个"
            )
            say(f"数据库：{_shown(site, args.site, ui)}")
            if made.accounts:
                say(f"新账号及一次性密码已写入 {made.accounts_file}（仅本人可读；首次登录须修改密码）")
        else:
            say(
                f"{'made' if made.created else 'updated'} the site {args.site}: {made.departments} departments; new "
                f"accounts: {counts['department']} departments, {counts['expert']} experts, {counts['office']} office"
            )
            say(f"database: {_shown(site, args.site, ui)}")
            if made.accounts:
                say(
                    f"the new accounts and their one-time passwords are in {made.accounts_file} (readable only by "
                    "you; each must be changed at first sign-in)"
                )
        return 0

    return _run(args, work)


def _shown(site, folder, ui: str) -> str:
    """The site's database as it may be printed: its PostgreSQL address without the password."""
    known = site.database_of(Path(folder))
    if known == "sqlite":
        return (
            f"SQLite（{Path(folder) / 'portal.sqlite3'}）"
            if ui == "zh"
            else f"SQLite ({Path(folder) / 'portal.sqlite3'})"
        )
    return known


def _serve(site, args, ui: str) -> int:
    """Say where the portal answers, then serve it until Ctrl+C."""
    say(
        f"采集系统：http://{args.host}:{args.port}/（按 Ctrl+C 停止）"
        if ui == "zh"
        else f"the portal: http://{args.host}:{args.port}/ (Ctrl+C stops it)"
    )
    site.serve(Path(args.site), args.host, args.port)
    return 0


def cmd_serve(args) -> int:
    ui = args.ui_lang

    def work(site):
        site.setup(Path(args.site))
        return _serve(site, args, ui)

    return _run(args, work)


def cmd_demo(args) -> int:
    ui = args.ui_lang

    def work(site):
        made, deadline = site.demo(Path(args.year), Path(args.site), days=args.days, db=args.db)
        when = deadline.strftime("%Y-%m-%d %H:%M UTC")
        if ui == "zh":
            say(f"演示站点 {args.site}：部门 {made.departments} 个，数值为空，截止时间 {when}")
            say(
                f"账号及一次性密码见 {made.accounts_file}（首次登录须修改密码）"
                if made.accounts
                else f"账号早已写入 {made.accounts_file}（本次未新建账号）"
            )
        else:
            say(f"the demo site {args.site}: {made.departments} departments, values empty, deadline {when}")
            say(
                f"the accounts and their one-time passwords are in {made.accounts_file} (changed at first sign-in)"
                if made.accounts
                else f"the accounts were written to {made.accounts_file} before (none made now)"
            )
        if args.no_serve:
            return 0
        return _serve(site, args, ui)

    return _run(args, work)


def cmd_export(args) -> int:
    ui = args.ui_lang

    def work(site):
        outcome = site.export(Path(args.site), Path(args.into))
        for line in outcome.kept + outcome.notes:
            said = text_in(line, ui)
            say(
                ("保留：" if ui == "zh" else "kept: ") + said
                if line in outcome.kept
                else ("说明：" if ui == "zh" else "note: ") + said
            )
        if ui == "zh":
            say(
                f"已写入 {args.into}：{'、'.join(outcome.written) or '（无）'}"
                + (f"；未变：{'、'.join(outcome.unchanged)}" if outcome.unchanged else "")
            )
        else:
            say(
                f"wrote into {args.into}: {', '.join(outcome.written) or '(nothing)'}"
                + (f"; unchanged: {', '.join(outcome.unchanged)}" if outcome.unchanged else "")
            )
        return 0

    return _run(args, work)


def cmd_status(args) -> int:
    return _run(args, lambda site: say(site.status_text(Path(args.site), args.lang)) or 0)


def cmd_backup(args) -> int:
    ui = args.ui_lang

    def work(site):
        out = site.backup(Path(args.site), Path(args.out))
        say(f"已备份数据库到 {out}" if ui == "zh" else f"backed up the database to {out}")
        return 0

    return _run(args, work)


def cmd_restore(args) -> int:
    ui = args.ui_lang

    def work(site):
        site.restore(Path(args.site), Path(args.source))
        say(f"已用 {args.source} 恢复站点数据库" if ui == "zh" else f"restored the site's database from {args.source}")
        return 0

    return _run(args, work)


def add_command(sub, t) -> None:
    p = sub.add_parser(
        "portal",
        help=t(
            "信息化情况采集系统：部门在浏览器中填报，考核办审核、锁定、导出",
            "the online collection system (信息化情况采集系统)",
        ),
        description=t(
            "部门在浏览器中填写并提交自查表、上传自查报告；考核办查看报送情况、提出问题、"
            "退回、锁定并导出到年度文件夹。需先安装：pip install 'wfscore[portal]'。",
            "Departments fill in and submit their self-check table in a browser; the office "
            "watches, questions, reopens, locks and exports into the year's folder. Needs "
            "pip install 'wfscore[portal]'.",
        ),
    )
    commands = p.add_subparsers(dest="portal_command", required=True, metavar="COMMAND", title=t("命令", "commands"))

    c = commands.add_parser(
        "init",
        help=t("由年度文件夹建立（或补充）站点和账号", "make (or add to) a site and its accounts"),
        description=t(
            "由 YEAR_DIR 的 scheme.yaml、departments.csv（及 experts.csv）建立站点文件夹："
            "数据库、设置、仅本人可读的密钥、上传文件夹；每个部门、每位专家和考核办各一个账号，"
            "写入 SITE_DIR/accounts.csv（一次性密码，首次登录须修改）。再次运行只补充新的部门"
            "和账号，其余不变。",
            "Make the site folder from YEAR_DIR's scheme.yaml, departments.csv (and "
            "experts.csv): database, settings, a secret key readable only by you, the "
            "uploads folder; one account per department, per expert and one for the "
            "office, written to SITE_DIR/accounts.csv (one-time passwords, changed at "
            "first sign-in). Run again, it adds what is new and changes nothing else.",
        ),
    )
    c.add_argument("year_dir", metavar="YEAR_DIR", help=t("年度文件夹", "the year's folder"))
    c.add_argument("--site", required=True, metavar="SITE_DIR", help=t("站点文件夹", "the site folder"))
    c.add_argument(
        "--host",
        nargs="+",
        metavar="HOST",
        help=t(
            "允许访问的主机名（默认 127.0.0.1 localhost；以后可在 site.json 中修改）",
            "the host names the site answers to (default 127.0.0.1 localhost; site.json later)",
        ),
    )
    c.add_argument(
        "--db",
        metavar="URL",
        help=t(
            "数据库：postgresql://用户:密码@主机:端口/数据库名（数据库须已建立；密码存入仅本人可读的 "
            "SITE_DIR/db_password，不打印）；默认为站点文件夹中的 SQLite 文件",
            "the database: postgresql://user:password@host:port/name (the database made beforehand; the "
            "password is kept in SITE_DIR/db_password, readable only by you, and never printed); by default "
            "an SQLite file in the site folder",
        ),
    )
    add_lang(c, t, "页面", "the pages")
    c.set_defaults(run=cmd_init)

    c = commands.add_parser(
        "serve",
        help=t("运行采集系统（waitress）", "serve the site (waitress)"),
        description=t(
            "以 waitress 提供站点服务；默认只监听 127.0.0.1。",
            "Serve the site with waitress; it listens on 127.0.0.1 unless told otherwise.",
        ),
    )
    c.add_argument("site", metavar="SITE_DIR", help=t("站点文件夹", "the site folder"))
    c.add_argument(
        "--host",
        default="127.0.0.1",
        help=t("监听地址（默认 127.0.0.1）", "the address to listen on (default 127.0.0.1)"),
    )
    c.add_argument("--port", type=int, default=8870, help=t("端口（默认 8870）", "the port (default 8870)"))
    add_lang(c, t)
    c.set_defaults(run=cmd_serve)

    c = commands.add_parser(
        "demo",
        help=t("建立并运行演示站点（make portal）", "make and serve a demo site (make portal)"),
        description=t(
            "由年度文件夹（默认 data/2011）在 --site（默认 build/portal-demo）建立演示站点："
            "数值为空，截止时间在 --days 天之后；打印账号文件的位置，然后在 127.0.0.1 上运行。"
            "站点已存在时沿用，只补充新的部门和账号。",
            "Make a demo site in --site (default build/portal-demo) from a year folder "
            "(default data/2011): values empty, the deadline --days ahead; print where "
            "the accounts file is, then serve it on 127.0.0.1. A site already there is "
            "reused (only what is new is added).",
        ),
    )
    c.add_argument(
        "year",
        nargs="?",
        default="data/2011",
        metavar="YEAR_DIR",
        help=t("年度文件夹（默认 data/2011）", "the year's folder (default data/2011)"),
    )
    c.add_argument(
        "--site",
        default="build/portal-demo",
        metavar="SITE_DIR",
        help=t("站点文件夹（默认 build/portal-demo）", "the site folder (default build/portal-demo)"),
    )
    c.add_argument(
        "--days", type=int, default=30, help=t("截止时间在几天之后（默认 30）", "days to the deadline (default 30)")
    )
    c.add_argument(
        "--host",
        default="127.0.0.1",
        help=t("监听地址（默认 127.0.0.1）", "the address to listen on (default 127.0.0.1)"),
    )
    c.add_argument("--port", type=int, default=8870, help=t("端口（默认 8870）", "the port (default 8870)"))
    c.add_argument("--no-serve", action="store_true", help=t("只建立站点，不运行", "make the site, do not serve it"))
    c.add_argument(
        "--db",
        metavar="URL",
        help=t(
            "数据库：postgresql://用户:密码@主机:端口/数据库名（数据库须已建立；密码存入仅本人可读的 "
            "SITE_DIR/db_password，不打印）；默认为站点文件夹中的 SQLite 文件",
            "the database: postgresql://user:password@host:port/name (the database made beforehand; the "
            "password is kept in SITE_DIR/db_password, readable only by you, and never printed); by default "
            "an SQLite file in the site folder",
        ),
    )
    add_lang(c, t)
    c.set_defaults(run=cmd_demo)

    c = commands.add_parser(
        "export",
        help=t("把已提交的填报写入年度文件夹", "write what was submitted into the year's folder"),
        description=t(
            "把各部门最近一次提交的内容（数值、免考申请、奖励申报）和考核办数值写入 "
            "YEAR_DIR，与 wfscore collect 写法相同：同样的文件、同样的校验，有任何错误则"
            "不写入任何文件；审核台已处理的行保持不变。",
            "Write each department's last submission (values, exemption requests, "
            "achievement claims) and the office's figures into YEAR_DIR exactly as "
            "wfscore collect does: the same files and checks, nothing written on any "
            "error, rows the desk has decided kept as they are.",
        ),
    )
    c.add_argument("site", metavar="SITE_DIR", help=t("站点文件夹", "the site folder"))
    c.add_argument("--into", required=True, metavar="YEAR_DIR", help=t("年度文件夹", "the year's folder"))
    add_lang(c, t)
    c.set_defaults(run=cmd_export)

    c = commands.add_parser(
        "status",
        help=t("打印报送情况", "print the completeness board"),
        description=t(
            "打印各部门的填报状态：未开始、草稿、已提交、已退回修改，以及有错误的部门。",
            "Print each department's state: not started, draft, submitted, reopened, and those with problems.",
        ),
    )
    c.add_argument("site", metavar="SITE_DIR", help=t("站点文件夹", "the site folder"))
    add_lang(c, t, "报送情况", "the board")
    c.set_defaults(run=cmd_status)

    c = commands.add_parser(
        "backup",
        help=t(
            "备份数据库（SQLite 在线备份，或 PostgreSQL 的 pg_dump）",
            "back up the database (SQLite online backup, or PostgreSQL's pg_dump)",
        ),
        description=t(
            "用 SQLite 的在线备份把站点数据库复制到 --out；PostgreSQL 站点用 pg_dump（自定义格式，"
            "可用 pg_restore 恢复；需安装 PostgreSQL 客户端程序）。服务运行时也可进行。上传的"
            "文件在 SITE_DIR/uploads，请一并复制。",
            "Copy the site's database to --out with SQLite's online backup; a PostgreSQL site "
            "with pg_dump (its custom format, for pg_restore; needs PostgreSQL's client "
            "programs). Safe while it is served. The uploaded files are in SITE_DIR/uploads: copy them too.",
        ),
    )
    c.add_argument("site", metavar="SITE_DIR", help=t("站点文件夹", "the site folder"))
    c.add_argument("--out", required=True, help=t("备份文件", "the backup file"))
    add_lang(c, t)
    c.set_defaults(run=cmd_backup)

    c = commands.add_parser(
        "restore",
        help=t("由备份恢复数据库", "restore the database from a backup"),
        description=t(
            "用 wfscore portal backup 写出的备份替换站点数据库（一次完成，出错则不变）：SQLite 用其在线"
            "备份，PostgreSQL 用 pg_restore。请先停止服务；上传的文件请另行复制回 SITE_DIR/uploads。",
            "Replace the site's database by a backup that wfscore portal backup wrote (in one "
            "transaction: on an error nothing changes): SQLite's online backup, or pg_restore for "
            "PostgreSQL. Stop the server first; copy the uploaded files back into SITE_DIR/uploads yourself.",
        ),
    )
    c.add_argument("site", metavar="SITE_DIR", help=t("站点文件夹", "the site folder"))
    c.add_argument("--from", dest="source", required=True, metavar="FILE", help=t("备份文件", "the backup file"))
    add_lang(c, t)
    c.set_defaults(run=cmd_restore)
