"""``wfscore sensitivity DIR``: the robustness analysis (:mod:`wfscore.analysis.sensitivity`)
from the command line."""

from __future__ import annotations

import sys

from wfscore.cli.common import add_lang, error, inert, load, message, say, warning

FIXABLE = ("weights", "points", "not_applicable", "ratings", "index_base")


def add_command(subparsers, t) -> None:
    """Register ``wfscore sensitivity``."""
    p = subparsers.add_parser(
        "sensitivity",
        help=t(
            "排名的稳健性：对权重和规则解读做蒙特卡罗模拟",
            "how robust the ranking is: Monte Carlo over weights and rule readings",
        ),
        description=t(
            "在不确定输入的 N 个样本下为 DIR 计分（权重和类别分值 ±25%、不适用指标的处理方式、"
            "专家评分的汇总方式、指数基数，以及给出 --security-alternative 时安全事故扣分的范围）。"
            "每个部门一行写入 --out（名义名次、名次中位数、5–95% 区间、进入前 10 的概率、获评优秀的"
            "概率、最大变动），并打印名次变动最大的部门和敏感性指数。",
            "Score DIR under N samples of the uncertain inputs (weights and category points "
            "±25%, the not-applicable mode, the ratings aggregation, the index base, and with "
            "--security-alternative the security-incident scope). Write one row per department "
            "(nominal rank, median rank, 5–95% interval, P(top 10), P(excellent), largest "
            "shift) to --out, and print the top movers and the sensitivity indices.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011"))
    p.add_argument(
        "--samples", type=int, required=True, metavar="N", help=t("计分的样本数", "number of scored samples")
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help=t("随机数种子（默认 0）", "random seed (default 0)")
    )
    p.add_argument("--out", metavar="FILE", help=t("每个部门一行的 CSV", "per-department CSV"))
    p.add_argument("--indices", metavar="FILE", help=t("敏感性指数 CSV", "sensitivity indices CSV"))
    p.add_argument(
        "--weight-spread",
        type=float,
        default=25.0,
        metavar="PCT",
        help=t(
            "指标权重在 ±PCT%% 内变化（默认 25；0 表示不变）",
            "indicator weights vary by ±PCT%% (default 25; 0 keeps them)",
        ),
    )
    p.add_argument(
        "--points-spread",
        type=float,
        default=25.0,
        metavar="PCT",
        help=t(
            "类别分值在 ±PCT%% 内变化（默认 25；0 表示不变）",
            "category points vary by ±PCT%% (default 25; 0 keeps them)",
        ),
    )
    p.add_argument(
        "--fix",
        action="append",
        default=[],
        choices=FIXABLE,
        metavar="INPUT",
        help=t(
            f"把一项输入固定为方案的取值；可重复（{', '.join(FIXABLE)}）",
            f"keep an input at the scheme's value; repeatable ({', '.join(FIXABLE)})",
        ),
    )
    p.add_argument(
        "--base-percentile",
        type=float,
        default=95.0,
        metavar="P",
        help=t(
            "代替最大值的另一种综合指数基数（百分位数，默认 95）",
            "the alternative composite-index base to the maximum (default 95)",
        ),
    )
    p.add_argument(
        "--security-alternative",
        metavar="IDS",
        help=t(
            "逗号分隔的指标编号：安全事故扣分的另一种范围（2011 年：18,19,20）；不给出时不改变该范围",
            "comma-separated indicator ids: the alternative scope of the security-incident "
            "rule (for 2011: 18,19,20); without it the scope is not varied",
        ),
    )
    p.add_argument(
        "--per-weight",
        action="store_true",
        help=t(
            "每个权重、每个类别的分值各给一个敏感性指数", "one sensitivity index per weight and per category's points"
        ),
    )
    p.add_argument(
        "--chunk-size",
        type=int,
        default=2000,
        metavar="N",
        help=t("每批计分的样本数（限制内存；默认 2000）", "samples scored per chunk (bounds memory; default 2000)"),
    )
    p.add_argument(
        "--memory",
        type=float,
        default=None,
        metavar="GB",
        help=t(
            "分析本身的数组最多占用的内存（GB，默认 1）；放不下的分析在开始前即被拒绝，并说明所需内存",
            "memory the analysis's own arrays may take (GB, default 1); a run that cannot fit is "
            "refused before it starts, naming the memory it needs",
        ),
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help=t("在地址为 ADDRESS 的 Dask 调度器上运行各批", "run the chunks on the Dask scheduler at ADDRESS"),
    )
    p.add_argument(
        "--movers",
        type=int,
        default=10,
        metavar="N",
        help=t("打印名次变动最大的部门数（默认 10）", "top movers to print (default 10)"),
    )
    p.add_argument("--progress", action="store_true", help=t("总是显示进度条", "always show a progress bar"))
    add_lang(p, t, "打印的表格", "the printed tables")
    p.set_defaults(run=_command)


def _command(args) -> int:
    from wfscore.analysis.sensitivity import TEXT, Uncertainty, analyse
    from wfscore.inputs.output import OutputError, check_targets, staged, write_csv
    from wfscore.inputs.wording import words

    ui = args.ui_lang
    try:
        targets = check_targets({"--out": args.out, "--indices": args.indices}, reads=[args.dir])
    except OutputError as exc:
        error(ui, message(exc, ui))
        return exc.status
    data = load(args.dir, ui)
    if data is None:
        return 1
    fixed = set(args.fix)
    client = None
    if args.memory is not None and not (args.memory > 0 and args.memory != float("inf")):
        error(
            ui,
            f"--memory 为 {args.memory:g}（应为正的 GB 数，如 2）"
            if ui == "zh"
            else f"--memory is {args.memory:g} (expected a positive number of gigabytes, such as 2)",
        )
        return 2
    try:
        uncertainty = Uncertainty(
            weight_spread=0.0 if "weights" in fixed else args.weight_spread / 100,
            points_spread=0.0 if "points" in fixed else args.points_spread / 100,
            not_applicable="not_applicable" not in fixed,
            ratings="ratings" not in fixed,
            index_base="index_base" not in fixed,
            base_percentile=args.base_percentile,
            security_indicators=(
                tuple(i for i in args.security_alternative.split(",") if i.strip())
                if args.security_alternative is not None
                else None
            ),
        )
        if args.dask:
            from dask.distributed import Client

            try:
                client = Client(args.dask)
            except OSError as exc:
                error(
                    ui,
                    f"无法连接地址为 {args.dask} 的 Dask 调度器：{exc}（应为正在运行的调度器的地址，"
                    "如 tcp://host:8786）"
                    if ui == "zh"
                    else f"could not reach the Dask scheduler at {args.dask}: {exc} "
                    "(expected the address of a running scheduler, e.g. tcp://host:8786)",
                )
                return 2
        rob = analyse(
            data,
            uncertainty=uncertainty,
            samples=args.samples,
            seed=args.seed,
            per_weight=args.per_weight,
            chunk_size=args.chunk_size,
            client=client,
            progress=True if args.progress else None,
            memory=None if args.memory is None else args.memory * 1e9,
        )
    except ValueError as exc:
        error(ui, message(exc, ui))
        return 2
    finally:
        if client is not None:
            client.close()
    if targets:
        try:
            with staged(*targets) as paths:
                files = iter(paths)
                if args.out:
                    write_csv(rob.table, next(files))
                if args.indices:
                    write_csv(rob.indices, next(files))
        except OutputError as exc:
            error(ui, message(exc, ui))
            return exc.status
    for problem in data.warnings:
        warning(ui, problem.text(ui))
    w, t = words(args.lang), TEXT[args.lang]
    if rob.synthetic:
        print(w["synthetic"])
    print(t["summary"].format(samples=rob.samples, base=rob.base_rows, k=len(rob.space.factors), seconds=rob.seconds))
    print()
    print(t["movers"].format(n=args.movers))
    print(inert(_movers_text(rob, args.movers, t)))
    if len(rob.indices):
        print()
        print(t["indices"].format(level=rob.settings["level"]))
        print(inert(_indices_text(rob.indices, args.lang, t)))
    if targets:
        files = ", ".join(str(x) for x in targets)
        say(f"已写出 {files}" if ui == "zh" else f"wrote {files}", sys.stderr)
    return 0


def _movers_text(rob, n: int, t: dict) -> str:
    import pandas as pd

    m = rob.movers(n)
    shown = pd.DataFrame(
        {
            t["dept_id"]: m["dept_id"],
            t["name"]: m["name"],
            t["nominal_rank"]: m["nominal_rank"],
            t["median_rank"]: m["median_rank"],
            t["interval"]: [f"{a}–{b}" for a, b in zip(m["rank_p05"], m["rank_p95"])],
            t["max_shift"]: m["max_shift"],
            t["p_top"].format(top=rob.top): m[f"p_top{rob.top}"].map("{:.1%}".format),
        }
    )
    if "p_excellent" in m:
        shown[t["p_excellent"]] = m["p_excellent"].map("{:.1%}".format)
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200):
        return shown.to_string(index=False)


def _indices_text(indices, lang: str, t: dict) -> str:
    import pandas as pd

    names = indices["name_en"] if lang == "en" else indices["name"]
    shown = pd.DataFrame(
        {
            t["input"]: names,
            t["first"]: [
                f"{v:.3f} [{lo:.3f}, {hi:.3f}]"
                for v, lo, hi in zip(indices["first"], indices["first_low"], indices["first_high"])
            ],
            t["total"]: [
                f"{v:.3f} [{lo:.3f}, {hi:.3f}]"
                for v, lo, hi in zip(indices["total"], indices["total_low"], indices["total_high"])
            ],
        }
    )
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200):
        return shown.to_string(index=False)
