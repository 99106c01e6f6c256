"""``wfscore coherence DIR --out FILE``: the statistical audit of the scheme
(:mod:`wfscore.analysis.coherence`) from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import add_lang, error, inert, load, message, say, warning

COLUMNS = [
    "indicator",
    "name",
    "category",
    "section",
    "weight",
    "weight_share",
    "corr_total",
    "corr_category",
    "corr_section",
    "main_effect",
    "main_effect_low",
    "main_effect_high",
    "main_effect_share",
    "method",
    "departments",
    "status",
    "status_text",
]
PAIR_COLUMNS = ["indicator_a", "name_a", "indicator_b", "name_b", "corr"]
PAIRS_SHOWN = 10  # the strongest pairs printed; all of them are in the pairs file


def add_command(subparsers, t) -> None:
    """Register ``wfscore coherence``."""
    p = subparsers.add_parser(
        "coherence",
        help=t(
            "考核方案的统计审查：相关性、主效应与权重的对照、Cronbach α",
            "statistical audit of the scheme: correlations, main effects against weights, Cronbach's alpha",
        ),
        description=t(
            "为 DIR 计分，并按欧盟联合研究中心（JRC）审查综合指标的方法审查其方案：每项指标与总分、"
            "所属类别和所属部分的相关系数，它对总分的主效应（相关比，附自助法区间）与它所占权重的对照；"
            "每个类别的 Cronbach α 和第一主成分的方差占比；相关系数达到 --redundancy 的指标对，"
            "以及与所属类别负相关的指标。每项指标一行写入 --out，并打印类别表和提示。",
            "Score DIR and audit its scheme as the JRC audits composite indicators: per indicator "
            "its correlation with the total, its category and its section, its main effect on the "
            "total (correlation ratio, with a bootstrap interval) beside its share of the weight; "
            "per category Cronbach's alpha and the first principal component's share of variance; "
            "pairs of indicators correlated above --redundancy, and indicators negatively "
            "correlated with their own category. Writes one row per indicator to --out and prints "
            "the category table and the flags.",
        ),
    )
    p.add_argument("dir", metavar="DIR", help=t("年度数据文件夹，如 data/2011", "a year's data folder, e.g. data/2011"))
    p.add_argument("--out", metavar="FILE", required=True, help=t("每项指标一行的 CSV", "per-indicator CSV"))
    p.add_argument(
        "--pairs",
        metavar="FILE",
        default=None,
        help=t(
            "高度相关的全部指标对写入的 CSV（默认与 --out 同一文件夹，文件名加 _pairs；终端只显示最强的 10 对）",
            "CSV of every highly correlated pair (default: beside --out, its name with _pairs; the "
            "terminal shows the 10 strongest)",
        ),
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help=t(
            "为区间对部门做自助重抽样的次数（默认 1000；0：不计算区间）",
            "bootstrap resamples of the departments for the intervals (default 1000; 0: none)",
        ),
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help=t("随机数种子（默认 0）", "random seed (default 0)")
    )
    p.add_argument(
        "--redundancy",
        type=float,
        default=0.9,
        metavar="R",
        help=t(
            "两项指标的 |r| 达到此值即提示为冗余（默认 0.9）",
            "|r| at or above which two indicators are flagged as redundant (default 0.9)",
        ),
    )
    add_lang(p, t, "结果", "the output")
    p.set_defaults(run=_command)


def _command(args) -> int:
    import numpy as np

    from wfscore.analysis.coherence import audit, text
    from wfscore.engine.pipeline import score
    from wfscore.inputs.output import OutputError, staged, write_csv
    from wfscore.inputs.terminal import table
    from wfscore.inputs.wording import words

    ui = args.ui_lang
    zh = ui == "zh"
    if args.bootstrap < 0:
        error(
            ui,
            f"--bootstrap 为 {args.bootstrap}（应为 0 或正的重抽样次数）"
            if zh
            else f"--bootstrap is {args.bootstrap} (expected 0 or a positive number of resamples)",
        )
        return 2
    if not 0 < args.redundancy <= 1:
        error(
            ui,
            f"--redundancy 为 {args.redundancy:g}（应为 (0, 1] 中的相关系数）"
            if zh
            else f"--redundancy is {args.redundancy:g} (expected a correlation in (0, 1])",
        )
        return 2
    data = load(args.dir, ui)
    if data is None:
        return 1
    out = Path(args.out)
    pairs_out = Path(args.pairs) if args.pairs else out.with_name(f"{out.stem}_pairs{out.suffix or '.csv'}")
    inputs = {(Path(data.folder) / name).resolve() for name in data.files}
    for option, target in (("--out", out), ("--pairs", pairs_out)):
        if target.resolve() in inputs:
            error(
                ui,
                f"{option} {target} 是本年度的输入文件之一；请另选一个文件"
                if zh
                else f"{option} {target} is one of the year's input files; choose another file",
            )
            return 2
    if pairs_out.resolve() == out.resolve():
        error(
            ui,
            f"--pairs 与 --out 是同一个文件 {out}；请另选一个文件"
            if zh
            else f"--pairs and --out name the same file {out}; choose another file",
        )
        return 2
    a = audit(score(data), resamples=args.bootstrap, seed=args.seed, redundancy=args.redundancy, lang=args.lang)
    try:
        with staged(out, pairs_out) as paths:
            write_csv(a.indicators[COLUMNS], paths[0])
            write_csv(a.pairs[PAIR_COLUMNS], paths[1])
    except OutputError as exc:
        error(ui, message(exc, ui))
        return exc.status
    for problem in data.warnings:
        warning(ui, problem.text(ui))
    w, t = words(args.lang), text(args.lang)

    def fmt(x, digits=3):
        return "–" if not np.isfinite(x) else f"{x:.{digits}f}"

    if a.synthetic:
        print(w["synthetic"])
    print(t["advice_title"])  # the findings first, in plain words; the tables after
    for n, line in enumerate(a.advice(args.lang), 1):
        print(inert(f"{n}. {line}"))
    print()
    ind = a.indicators

    def show(header, rows, right):
        print(table([inert(h) for h in header], [[inert(c) for c in row] for row in rows], right))

    show(
        [
            w["indicator"],
            t["weight_share"],
            t["main_effect_share"],
            t["main_effect"],
            t["interval"],
            t["corr_total"],
            t["status"],
        ],
        [
            [
                f"{r.indicator} {r.name}",
                f"{r.weight_share:.1%}",
                "–" if not np.isfinite(r.main_effect_share) else f"{r.main_effect_share:.1%}",
                fmt(r.main_effect),
                "–" if not np.isfinite(r.main_effect_low) else f"[{r.main_effect_low:.3f}, {r.main_effect_high:.3f}]",
                fmt(r.corr_total),
                r.status_text,
            ]
            for r in ind.itertuples()
        ],
        [False, True, True, True, True, True, False],
    )
    print()
    print(t["categories_title"])
    show(
        [t["category"], t["alpha"], t["pc1_share"], t["indicators"], t["departments"], t["status"]],
        [
            [f"{r.category} {r.name}", fmt(r.alpha), fmt(r.pc1_share), r.indicators, r.departments, r.status]
            for r in a.categories.itertuples()
        ],
        [False, True, True, True, True, False],
    )
    print()
    print(t["pairs_title"].format(threshold=args.redundancy))
    if len(a.pairs):
        show(
            [t["indicator_a"], t["indicator_b"], t["corr"]],
            [
                [f"{r.indicator_a} {r.name_a}", f"{r.indicator_b} {r.name_b}", fmt(r.corr)]
                for r in a.pairs.head(PAIRS_SHOWN).itertuples()
            ],
            [False, False, True],
        )
        if len(a.pairs) > PAIRS_SHOWN:
            print(inert(t["more_pairs"].format(n=len(a.pairs) - PAIRS_SHOWN, file=pairs_out)))
    else:
        print(t["no_pairs"])
    print()
    print(t["negative_title"])
    if len(a.negative):
        show(
            [w["indicator"], t["category"], t["corr"]],
            [[f"{r.indicator} {r.name}", a.labels[r.category], fmt(r.corr_category)] for r in a.negative.itertuples()],
            [False, False, True],
        )
    else:
        print(t["no_negative"])
    say(f"已写出 {out}、{pairs_out}" if zh else f"wrote {out}, {pairs_out}", sys.stderr)
    return 0
