"""``wfscore app [DIR]`` and ``wfscore desk [DIR]``: the what-if page and the adjustments
desk served on 127.0.0.1 to the office alone (:mod:`wfscore.panels.pages`)."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, say

_WHAT = {"app": ("假设分析页面", "the what-if page"), "desk": ("调整审核台", "the adjustments desk")}


def cmd_page(args) -> int:
    ui = args.ui_lang
    zh, en = _WHAT[args.command]
    if args.dir is not None and not Path(args.dir).is_dir():
        error(ui, f"找不到年度数据文件夹 {args.dir}" if ui == "zh" else f"no year folder {args.dir}")
        return 2
    if args.idle_minutes <= 0:
        error(ui, "--idle-minutes 应为正数" if ui == "zh" else "--idle-minutes must be positive")
        return 2
    if args.max_pages < 1:
        error(ui, "--max-pages 应为正整数" if ui == "zh" else "--max-pages must be a whole number of at least 1")
        return 2
    from wfscore.panels.pages import host_name, serve

    for name in args.allow_host:
        if host_name(name) is None:
            error(
                ui,
                f"--allow-host {name!r} 不是主机名（如 wfscore.local，不带端口和 http://）"
                if ui == "zh"
                else f"--allow-host {name!r} is not a host name (e.g. wfscore.local, without port or http://)",
            )
            return 2

    def ready(served) -> None:
        if ui == "zh":
            say(
                f"{zh}已启动，请在本机浏览器中打开（地址含访问令牌，只给本人使用）：\n  {served.url}\n按 Ctrl+C 停止。",
                sys.stdout,
            )
        else:
            say(
                f"{en} is being served; open it in a browser on this computer (the address holds an access "
                f"token: keep it to yourself):\n  {served.url}\nPress Ctrl+C to stop.",
                sys.stdout,
            )
        sys.stdout.flush()

    try:
        serve(
            args.command,
            args.dir,
            port=args.port,
            lang=args.lang,
            allow_hosts=tuple(args.allow_host),
            idle_seconds=round(args.idle_minutes * 60),
            max_kernels=args.max_pages,
            ready=ready,
        )
    except OSError as exc:
        where = f"127.0.0.1:{args.port}"
        if getattr(exc, "filename", None):
            raise  # the notebook missing: the command line's own last resort names it
        error(
            ui,
            f"无法在 {where} 上提供{zh}（{exc.strerror or exc}）；该端口可能已被占用，请用 --port 换一个"
            if ui == "zh"
            else f"cannot serve {en} on {where} ({exc.strerror or exc}); the port may be in use: "
            f"choose another with --port",
        )
        return 1
    return 0


def add_commands(subparsers, t) -> None:
    from wfscore.panels.pages import IDLE_SECONDS, MAX_KERNELS, PORTS

    for page, (help_zh, help_en, notebook) in {
        "app": (
            "在本机浏览器中打开假设分析页面（调整分值、权重和规则，即时查看名次变化）",
            "serve the what-if page (weights and rules → ranking) in a browser on this computer",
            "what_if.ipynb",
        ),
        "desk": (
            "在本机浏览器中打开调整审核台（审核申请、复核，先看影响再决定）",
            "serve the adjustments desk (requests, disputes; see the effect, then decide) in a browser "
            "on this computer",
            "adjustments.ipynb",
        ),
    }.items():
        p = subparsers.add_parser(
            page,
            help=t(help_zh, help_en),
            description=t(
                f"用 Voilà 把 {notebook} 作为页面（不显示代码）提供在 127.0.0.1 上，只给本机的本人使用："
                "启动时生成访问令牌，"
                "与地址一起打印一次；没有令牌的请求、Host 不是 127.0.0.1、localhost、[::1]（或 --allow-host "
                "给出的名称）"
                f"加本端口的请求，以及来自其他网页（Origin）的请求一律拒绝；同一浏览器会话只保留一个内核，"
                f"无人连接的内核空闲 --idle-minutes 分钟后关闭，同时最多打开 --max-pages 个页面。按 Ctrl+C 停止。",
                f"Serve {notebook} as a page (code hidden) with Voilà on 127.0.0.1, for the person at this computer "
                f"alone: an access token is made at start and printed once with the address; a request without "
                f"it, one whose Host is not 127.0.0.1, localhost or [::1] (or a name given by --allow-host) with "
                f"this port, and one from another web page (Origin) are refused; a browser session keeps one "
                f"kernel, a kernel no page is connected to is shut down after --idle-minutes idle, and at most "
                f"--max-pages pages are open at once. Ctrl+C stops it.",
            ),
        )
        p.add_argument(
            "dir",
            metavar="DIR",
            nargs="?",
            help=t(
                "年度数据文件夹，如 data/2011（默认：页面自己的默认文件夹）",
                "a year's data folder, e.g. data/2011 (default: the page's own default folder)",
            ),
        )
        p.add_argument(
            "--port",
            type=int,
            default=PORTS[page],
            help=t(f"端口（默认 {PORTS[page]}）", f"the port (default {PORTS[page]})"),
        )
        p.add_argument(
            "--allow-host",
            metavar="NAME",
            action="append",
            default=[],
            help=t(
                "另外接受的主机名（指向本机的名称，如 wfscore.local；可重复）",
                "another host name to accept (a name for this computer, e.g. wfscore.local; may be repeated)",
            ),
        )
        p.add_argument(
            "--idle-minutes",
            metavar="MINUTES",
            type=float,
            default=IDLE_SECONDS / 60,
            help=t(
                f"无人连接的内核空闲多少分钟后关闭（默认 {IDLE_SECONDS // 60}）",
                f"minutes after which an idle kernel no page is connected to is shut down "
                f"(default {IDLE_SECONDS // 60})",
            ),
        )
        p.add_argument(
            "--max-pages",
            metavar="N",
            type=int,
            default=MAX_KERNELS,
            help=t(
                f"同时最多打开的页面数（每个页面一个 Python 进程；默认 {MAX_KERNELS}）：再打开时，"
                f"先关闭无人连接、最久未用的那个；都有人连接时拒绝新页面",
                f"pages open at once at most (each a Python process; default {MAX_KERNELS}): a new "
                f"one takes the place of the least recently used one no page is connected to, and "
                f"is refused when every one is",
            ),
        )
        add_lang(p, t, "页面", "the page")
        p.set_defaults(run=cmd_page)
