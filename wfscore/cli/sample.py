"""``wfscore sample DIR [--year 2011]``: a synthetic sample year in a folder of one's own,
to try every command on (:mod:`wfscore.inputs.samples`); it works from a wheel too."""

from __future__ import annotations

from pathlib import Path

from wfscore.cli.common import add_lang, error, message, say

DEFAULT_YEAR = 2011  # as wfscore.inputs.samples.DEFAULT_YEAR (a test keeps them equal)


def add_command(subparsers, t) -> None:
    """Register ``wfscore sample``."""
    p = subparsers.add_parser(
        "sample",
        help=t("写出一个合成的示例年度，用来试用各个命令", "write a synthetic sample year to try every command on"),
        description=t(
            "把随软件附带的示例年度（合成数据，带 SYNTHETIC 标记文件；部门名称仿照潍坊市直部门，"
            "所有数值均为随机生成）写入新文件夹 DIR：scheme.yaml 和各个 CSV 表。DIR 须不存在或为空；"
            "写入是原子的（要么全部写出，要么什么也不写）。之后可运行 wfscore validate DIR、"
            "wfscore score DIR --out results.csv、wfscore report DIR 等命令。",
            "Write the sample year that comes with wfscore (synthetic data with a SYNTHETIC marker "
            "file; the department names imitate Weifang's municipal bodies, every figure is "
            "random) into the new folder DIR: scheme.yaml and the CSV tables. DIR must not exist "
            "or be empty; the write is atomic (all of it or nothing). Then try wfscore validate "
            "DIR, wfscore score DIR --out results.csv, wfscore report DIR and the rest.",
        ),
    )
    p.add_argument(
        "dir", metavar="DIR", help=t("要写入的新文件夹（不存在或为空）", "the new folder to write (absent or empty)")
    )
    p.add_argument(
        "--year",
        type=int,
        default=DEFAULT_YEAR,
        metavar="YEAR",
        help=t(
            f"示例年度（默认 {DEFAULT_YEAR}；另有 2012、2013，延续 2011 的部门）",
            f"the sample year (default {DEFAULT_YEAR}; also 2012 and 2013, which continue 2011's departments)",
        ),
    )
    add_lang(p, t)
    p.set_defaults(run=_command)


def _command(args) -> int:
    from wfscore.inputs.output import OutputError
    from wfscore.inputs.samples import sample_years, write_sample

    ui = args.ui_lang
    zh = ui == "zh"
    years = sample_years()
    if args.year not in years:
        shown = "、".join(map(str, years)) if zh else ", ".join(map(str, years))
        if not years:
            error(
                ui,
                "本安装中没有示例年度（请重新安装 wfscore）"
                if zh
                else "this installation holds no sample year (reinstall wfscore)",
            )
            return 1
        error(
            ui,
            f"--year {args.year}：没有这一年的示例（可选：{shown}）"
            if zh
            else f"--year {args.year}: there is no sample of that year (expected one of {shown})",
        )
        return 2
    target = Path(args.dir)
    if target.exists() and not target.is_dir():
        error(
            ui,
            f"{target} 是一个文件（应为不存在或为空的文件夹）"
            if zh
            else f"{target} is a file (expected an absent or empty folder)",
        )
        return 2
    if target.is_dir() and any(target.iterdir()):
        error(
            ui,
            f"{target} 已有文件，示例年度不会覆盖它（请指定一个不存在或为空的文件夹）"
            if zh
            else f"{target} already holds files; the sample year does not write over them "
            "(expected an absent or empty folder)",
        )
        return 2
    try:
        written = write_sample(target, args.year)
    except OutputError as exc:
        error(ui, message(exc, ui))
        return exc.status
    say(
        f"已把 {args.year} 年的示例年度（合成数据）写入 {target}：{len(written)} 个文件；试试 wfscore validate {target}"
        if zh
        else f"wrote the {args.year} sample year (synthetic data) to {target}: {len(written)} files; "
        f"try wfscore validate {target}"
    )
    return 0
