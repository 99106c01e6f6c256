"""``wfscore monitor probe|import|summary``: the office's own monitoring through the year
(:mod:`wfscore.inputs.monitoring`)."""

from __future__ import annotations

import sys

from wfscore.cli.common import add_lang, error, inert, message, nothing_written, print_problems, say, warning


def _departments(args):
    from wfscore.inputs.monitoring.departments import read_departments

    scheme, departments, problems = read_departments(args.dir)
    if departments is None:
        print_problems(problems, args.dir, sys.stderr, args.ui_lang)
        nothing_written(args.ui_lang)
        return None, None
    return scheme, departments


def cmd_probe(args) -> int:
    from wfscore.inputs.monitoring.probe import Site, probe_all
    from wfscore.inputs.monitoring.records import PROBE_COLUMNS, PROBES, Appender, folder_of

    ui = args.ui_lang
    zh = ui == "zh"
    for name, value in (("--jobs", args.jobs), ("--timeout", args.timeout), ("--bound", args.bound)):
        if not value > 0:
            error(ui, f"{name} {value:g}：应为正数" if zh else f"{name} {value:g}: expected a positive number")
            return 2
    scheme, departments = _departments(args)
    if departments is None:
        return 1
    sites = [
        Site(str(d), str(n), str(w))
        for d, n, w in zip(departments["dept_id"], departments["name"], departments["website"])
        if str(w).strip()
    ]
    if not sites:
        error(
            ui,
            f"{args.dir} 的 departments.csv 中没有任何部门填写了 website 列（应为部门网站地址）"
            if zh
            else f"no department of {args.dir}'s departments.csv has a website (expected the column website)",
        )
        return 1
    target = folder_of(args.dir) / PROBES
    appender = Appender(target, PROBE_COLUMNS)
    mark = scheme.monitoring.mark if scheme.monitoring is not None else None
    try:
        probes, left = probe_all(
            sites,
            jobs=int(args.jobs),
            timeout=args.timeout,
            bound=args.bound,
            mark=mark,
            lang=args.lang,
            on_probe=lambda p: appender.append([p.row()]),
        )
    except OSError as exc:
        from wfscore.cli.common import os_error

        say(os_error(exc, ui), sys.stderr)
        return 1
    if appender.cut:
        warning(
            ui,
            f"{target} 以半行结尾（此前一次写入被中断），已删去该半行"
            if zh
            else f"{target} ended in a half line (an earlier write was cut short); it was cut off",
        )
    ok = sum(p.ok for p in probes)
    none = len(departments) - len(sites)
    say(
        f"已检查 {len(probes)} 个网站，{ok} 个正常；写入 {target}" + (f"（{none} 个部门没有填写网站）" if none else "")
        if zh
        else f"probed {len(probes)} websites, {ok} ok; appended to {target}"
        + (f" ({none} departments have no website)" if none else ""),
        sys.stderr,
    )
    if left:
        shown = ", ".join(s.dept_id for s in left[:20]) + (" …" if len(left) > 20 else "")
        warning(
            ui,
            f"已到整次运行的时限 {args.bound:g} 秒，{len(left)} 个网站未检查：{shown}"
            if zh
            else f"the run's bound of {args.bound:g} s was reached; {len(left)} websites were not probed: {shown}",
        )
        return 1
    return 0


def cmd_import(args) -> int:
    from wfscore.inputs.monitoring.exports import SYSTEM_NAME, import_export, mapping_problem, parse_columns

    ui = args.ui_lang
    zh = ui == "zh"
    if not SYSTEM_NAME.fullmatch(args.system) or args.system == "probes":
        error(
            ui,
            f"--system {args.system!r}：应为小写英文字母开头的名称，如 approval、platform、network"
            "（probes 已被网站检查占用）"
            if zh
            else f"--system {args.system!r}: expected a lower-case name such as approval, platform or network "
            "(probes is the website checks' own)",
        )
        return 2
    mapping = None
    if args.columns:
        try:
            mapping = parse_columns(args.columns)
        except ValueError as exc:
            error(ui, message(exc, ui))
            return 2
    scheme, departments = _departments(args)
    if departments is None:
        return 1
    if mapping is None:
        systems = scheme.monitoring.systems if scheme.monitoring is not None else {}
        mapping = systems.get(args.system)
        if mapping is None:
            error(
                ui,
                f"scheme.yaml 的 monitoring.systems 中没有系统 {args.system} 的列名对应，也没有给出 --columns"
                "（应二者之一，如 --columns dept=部门,date=日期,logins=登录次数）"
                if zh
                else f"scheme.yaml names no columns for system {args.system} under monitoring.systems, and no "
                "--columns was given (expected one of them, e.g. --columns dept=部门,date=日期,logins=登录次数)",
            )
            return 2
    why = mapping_problem(args.system, mapping)
    if why:
        error(ui, message(ValueError(why), ui))
        return 2
    done, problems = import_export(args.dir, args.file, args.system, mapping, departments)
    if done is None:
        print_problems(problems, args.file, sys.stderr, ui)
        nothing_written(ui)
        return 1
    say(
        f"从 {args.file} 导入 {done.added} 行到 {done.target}（{done.skipped} 行已导入过，跳过）"
        if zh
        else f"imported {done.added} rows from {args.file} into {done.target} ({done.skipped} already there, skipped)",
        sys.stderr,
    )
    return 0


def summary_rows(figures, departments, lang: str) -> tuple[list[str], list[list[str]]]:
    """The summary as a terminal table: each measure with the probes or rows behind it."""
    from wfscore.inputs.monitoring.figures import MEASURE_NAMES

    names = MEASURE_NAMES["en" if lang == "en" else "zh"]
    header = ["dept_id", "名称" if lang == "zh" else "name"]
    for m in ("availability", "gov_cn", "online_rate", "logins"):
        header += [names[m], "依据" if lang == "zh" else "basis"]
    rows = []
    for d, (dept_id, name) in enumerate(zip(departments["dept_id"], departments["name"])):
        row = [str(dept_id), str(name)]
        for m in ("availability", "gov_cn", "online_rate", "logins"):
            v = figures.value[m][d]
            row += ["-" if v != v else (f"{v:g}" if m == "logins" else f"{v:.1f}%"), str(int(figures.basis[m][d]))]
        rows.append(row)
    return header, rows


def cmd_summary(args) -> int:
    from wfscore.inputs.monitoring.figures import read_figures
    from wfscore.inputs.output import OutputError, check_targets, staged, write_csv
    from wfscore.inputs.terminal import table

    ui = args.ui_lang
    try:
        targets = check_targets({"--out": args.out}, reads=[args.dir]) if args.out else []
    except OutputError as exc:
        error(ui, message(exc, ui))
        return exc.status
    scheme, departments = _departments(args)
    if departments is None:
        return 1
    figures = read_figures(args.dir, scheme, list(departments["dept_id"]))
    if any(p.is_error for p in figures.problems):
        print_problems(figures.problems, args.dir, sys.stderr, ui)
        nothing_written(ui)
        return 1
    for p in figures.problems:
        warning(ui, p.text(ui))
    header, rows = summary_rows(figures, departments, args.lang)
    print(
        inert(
            (
                f"日常监测（{figures.start} 至 {figures.end}）"
                if args.lang == "zh"
                else f"Monitoring from {figures.start} to {figures.end}"
            )
        )
    )
    print(inert(table(header, rows, [False, False] + [True] * (len(header) - 2))))
    if targets:
        try:
            with staged(*targets) as (path,):
                write_csv(figures.frame(list(departments["name"])), path)
        except OutputError as exc:
            error(ui, message(exc, ui))
            return exc.status
        say(f"已写出 {targets[0]}" if ui == "zh" else f"wrote {targets[0]}", sys.stderr)
    return 0


def add_command(sub, t) -> None:
    """Register ``wfscore monitor`` and its sub-commands."""
    year = t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011")
    p = sub.add_parser(
        "monitor",
        help=t(
            "日常监测：检查部门网站、导入系统导出表、汇总全年数据",
            "the office's monitoring: probe websites, import exports, sum up the year",
        ),
        description=t(
            "日常监测写入 DIR/monitoring/：probe 检查各部门网站一次，import 导入协同办公平台、"
            "网上审批系统或网络运营商的导出表，summary 汇总各部门全年的监测数据。",
            "The office's monitoring, kept in DIR/monitoring/: probe checks every "
            "department's website once, import reads an export of the office platform, "
            "the approval system or the network operator, summary sums up each "
            "department's figures over the year.",
        ),
    )
    what = p.add_subparsers(dest="monitor_command", required=True, metavar="STEP", title=t("步骤", "steps"))

    q = what.add_parser(
        "probe",
        help=t(
            "检查每个部门的网站一次，追加到 monitoring/probes.csv",
            "probe every department's website once, appending to monitoring/probes.csv",
        ),
        description=t(
            "按 departments.csv 的 website 列检查每个部门网站一次：HTTP 状态、响应时间、"
            "https 证书是否有效、是否使用 .gov.cn 域名、页面是否写有部门名称及统一网站标识。"
            "每个网站追加一行到 DIR/monitoring/probes.csv；重定向最多跟随 5 次，且只在本部门"
            "网站内。适合由 cron 或 Windows 任务计划程序定时运行。",
            "Probe each department's website (column website of departments.csv) once: "
            "HTTP status, response time, whether https verifies, whether the host is on "
            ".gov.cn, whether the page names the department and shows the unified site "
            "mark. One row per site is appended to DIR/monitoring/probes.csv; at most 5 "
            "redirects are followed, and only within the department's own site. Meant to "
            "run from cron or the Windows Task Scheduler.",
        ),
    )
    q.add_argument("dir", metavar="DIR", help=year)
    q.add_argument(
        "--jobs", type=int, default=8, help=t("同时检查的网站数（默认 8）", "sites probed at a time (default 8)")
    )
    q.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help=t("每个网站的时限，秒（默认 10）", "time limit per site, seconds (default 10)"),
    )
    q.add_argument(
        "--bound",
        type=float,
        default=300.0,
        help=t(
            "整次运行的时限，秒：到时不再开始新的检查（默认 300）",
            "bound on the whole run, seconds: no site is started after it (default 300)",
        ),
    )
    add_lang(q, t, "备注", "the notes")
    q.set_defaults(run=cmd_probe)

    q = what.add_parser(
        "import",
        help=t(
            "导入一个系统的导出表到 monitoring/<system>.csv", "import a system's export into monitoring/<system>.csv"
        ),
        description=t(
            "读取导出表 FILE（CSV 或 .xlsx），按 scheme.yaml 的 monitoring.systems 或 "
            "--columns 找到部门、日期和各项计数，按部门编号或名称对应部门，写入 "
            "DIR/monitoring/<system>.csv。同一导出表导入两次不会增加任何行；有任何错误时"
            "不写入。",
            "Read the export FILE (CSV or .xlsx), find the department, the date and the "
            "counts by scheme.yaml's monitoring.systems or --columns, match departments "
            "by id or name, and add the rows to DIR/monitoring/<system>.csv. Importing "
            "the same export twice adds nothing; on any error nothing is written.",
        ),
    )
    q.add_argument("dir", metavar="DIR", help=year)
    q.add_argument("file", metavar="FILE", help=t("导出表（CSV 或 .xlsx）", "the export (CSV or .xlsx)"))
    q.add_argument(
        "--system",
        required=True,
        metavar="NAME",
        help=t(
            "系统名称：approval（网上审批：online、total）、platform（协同办公：logins）或其他",
            "the system: approval (online, total), platform (logins), or another name",
        ),
    )
    q.add_argument(
        "--columns",
        metavar="MAP",
        default=None,
        help=t(
            "列名对应，如 dept=部门,date=日期,logins=登录次数（默认取 scheme.yaml）",
            "the columns, e.g. dept=部门,date=日期,logins=登录次数 (default: scheme.yaml's)",
        ),
    )
    add_lang(q, t)
    q.set_defaults(run=cmd_import)

    q = what.add_parser(
        "summary",
        help=t("汇总各部门在监测期内的监测数据", "each department's figures over the monitoring period"),
        description=t(
            "打印每个部门的可用率、.gov.cn 域名比例、网上办理率和登录次数，以及各自依据的"
            "检查次数或记录行数；--out 另写成 CSV。",
            "Print each department's availability, share on .gov.cn, online rate and "
            "logins, each with the probes or rows it rests on; --out writes them as CSV.",
        ),
    )
    q.add_argument("dir", metavar="DIR", help=year)
    q.add_argument("--out", metavar="F", default=None, help=t("写出的 CSV 文件", "the CSV file to write"))
    add_lang(q, t, "汇总表", "the summary")
    q.set_defaults(run=cmd_summary)
