"""``wfscore cards DIR``: a feedback card for every department (:mod:`wfscore.publish.cards`)."""

from __future__ import annotations

import gc
import sys

from wfscore.cli.common import print_problems
from wfscore.inputs.wording import LANGS


def cmd_cards(args) -> int:
    from wfscore.inputs.problems import InputError
    from wfscore.publish.cards import CardsError, build
    from wfscore.publish.pdf import PdfError

    try:
        made = build(args.dir, args.out, lang=args.lang, contact=args.contact, deadline=args.deadline)
    except InputError as exc:
        print_problems(exc.problems, args.dir, sys.stderr)
        print("no cards were written", file=sys.stderr)
        return 1
    except CardsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("no cards were written; any previous cards are unchanged", file=sys.stderr)
        return 2
    except PdfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("no cards were written; any previous cards are unchanged", file=sys.stderr)
        return 1
    for p in made.warnings:
        print(f"warning: {p}", file=sys.stderr)
    print(f"wrote {made.count} feedback cards of {made.year} (HTML and PDF, index.html, cards.zip) into "
          f"{made.folder} in {made.seconds:.1f} s", file=sys.stderr)
    gc.freeze()  # as `wfscore report`: no cycle search over everything loaded at exit
    return 0


def add_command(subparsers) -> None:
    p = subparsers.add_parser(
        "cards", help="a feedback card (考核结果反馈) for every department, HTML and PDF",
        description="Write one feedback card per department of DIR, as HTML and as A4 PDF, with index.html "
                    "and cards.zip (the PDFs), into --out (default reports/<year>/cards/). The folder is "
                    "replaced only when every card was made.")
    p.add_argument("dir", metavar="DIR", help="a year's data folder, e.g. data/2011")
    p.add_argument("--out", metavar="DIR", help="the cards folder (default reports/<year>/cards/)")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of the cards (default zh)")
    p.add_argument("--contact", metavar="TEXT", help="where to ask for a review (复核), e.g. an office and a phone")
    p.add_argument("--deadline", metavar="DATE", help="the last day to ask for a review, e.g. 2012-03-31")
    p.set_defaults(run=cmd_cards)
