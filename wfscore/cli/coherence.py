"""``wfscore coherence DIR --out FILE``: the statistical audit of the scheme
(:mod:`wfscore.analysis.coherence`) from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from wfscore.cli.common import load
from wfscore.inputs.wording import LANGS

COLUMNS = ["indicator", "name", "category", "section", "weight", "weight_share", "corr_total", "corr_category",
           "corr_section", "main_effect", "main_effect_low", "main_effect_high", "main_effect_share", "method",
           "departments", "status", "status_text"]


def add_command(subparsers) -> None:
    """Register ``wfscore coherence``."""
    p = subparsers.add_parser(
        "coherence", help="statistical audit of the scheme: correlations, main effects against weights, "
                          "Cronbach's alpha",
        description="Score DIR and audit its scheme as the JRC audits composite indicators: per indicator "
                    "its correlation with the total, its category and its section, its main effect on the "
                    "total (correlation ratio, with a bootstrap interval) beside its share of the weight; "
                    "per category Cronbach's alpha and the first principal component's share of variance; "
                    "pairs of indicators correlated above --redundancy, and indicators negatively "
                    "correlated with their own category. Writes one row per indicator to --out and prints "
                    "the category table and the flags.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.add_argument("--out", metavar="FILE", required=True, help="per-indicator CSV")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap resamples of the departments for the intervals (default 1000; 0: none)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--redundancy", type=float, default=0.9, metavar="R",
                   help="|r| at or above which two indicators are flagged as redundant (default 0.9)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the output (default zh)")
    p.set_defaults(run=_command)


def _clean(text: object) -> str:
    """Text for the terminal: control characters shown as U+FFFD, never sent raw."""
    return "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in str(text))


def _command(args) -> int:
    import numpy as np

    from wfscore.analysis.coherence import audit, text
    from wfscore.engine.pipeline import score
    from wfscore.inputs.output import staged, write_csv
    from wfscore.inputs.terminal import table
    from wfscore.inputs.wording import words

    if args.bootstrap < 0:
        print(f"error: --bootstrap is {args.bootstrap} (expected 0 or a positive number of resamples)",
              file=sys.stderr)
        return 2
    if not 0 < args.redundancy <= 1:
        print(f"error: --redundancy is {args.redundancy:g} (expected a correlation in (0, 1])", file=sys.stderr)
        return 2
    data = load(args.dir)
    if data is None:
        return 1
    out = Path(args.out)
    inputs = {(Path(data.folder) / name).resolve() for name in data.files}
    if out.resolve() in inputs:
        print(f"error: --out {out} is one of the year's input files; choose another file", file=sys.stderr)
        return 2
    a = audit(score(data), resamples=args.bootstrap, seed=args.seed, redundancy=args.redundancy, lang=args.lang)
    with staged(out) as paths:
        write_csv(a.indicators[COLUMNS], paths[0])
    for problem in data.warnings:
        print(_clean(f"warning: {problem}"), file=sys.stderr)
    w, t = words(args.lang), text(args.lang)

    def fmt(x, digits=3):
        return "–" if not np.isfinite(x) else f"{x:.{digits}f}"

    if a.synthetic:
        print(w["synthetic"])
    ind = a.indicators

    def show(header, rows, right):
        print(table([_clean(h) for h in header], [[_clean(c) for c in row] for row in rows], right))

    show([w["indicator"], t["weight_share"], t["main_effect_share"], t["main_effect"], t["interval"],
          t["corr_total"], t["status"]],
         [[f"{r.indicator} {r.name}", f"{r.weight_share:.1%}",
           "–" if not np.isfinite(r.main_effect_share) else f"{r.main_effect_share:.1%}", fmt(r.main_effect),
           "–" if not np.isfinite(r.main_effect_low) else f"[{r.main_effect_low:.3f}, {r.main_effect_high:.3f}]",
           fmt(r.corr_total), r.status_text] for r in ind.itertuples()],
         [False, True, True, True, True, True, False])
    print()
    print(t["categories_title"])
    show([t["category"], t["alpha"], t["pc1_share"], t["indicators"], t["departments"], t["status"]],
         [[f"{r.category} {r.name}", fmt(r.alpha), fmt(r.pc1_share), r.indicators, r.departments, r.status]
          for r in a.categories.itertuples()],
         [False, True, True, True, True, False])
    print()
    print(t["pairs_title"].format(threshold=args.redundancy))
    if len(a.pairs):
        show([t["indicator_a"], t["indicator_b"], t["corr"]],
             [[f"{r.indicator_a} {r.name_a}", f"{r.indicator_b} {r.name_b}", fmt(r.corr)]
              for r in a.pairs.itertuples()], [False, False, True])
    else:
        print(t["no_pairs"])
    print()
    print(t["negative_title"])
    if len(a.negative):
        show([w["indicator"], t["category"], t["corr"]],
             [[f"{r.indicator} {r.name}", a.labels[r.category], fmt(r.corr_category)]
              for r in a.negative.itertuples()], [False, False, True])
    else:
        print(t["no_negative"])
    print()
    for sentence in a.sentences(args.lang):
        print(_clean(sentence))
    print(f"wrote {out}", file=sys.stderr)
    return 0
