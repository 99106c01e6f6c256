"""The ``wfscore`` command line (SPEC §7): the top of the package, which nothing imports.

Exit status: 0 on success, 1 when the inputs have errors (every error is
printed, nothing is written), 2 for a usage error.

One module per group of commands; each registers its sub-commands and imports the
library only when a command runs, so that ``wfscore --help`` imports almost
nothing and ``wfscore score`` no more than scoring needs (``benchmarks/bench_startup.py``).

Help, usage errors and messages are in Chinese or English (:mod:`wfscore.cli.common`
says which); the language is known before the parser is built, so that its help is in it.
"""

from __future__ import annotations

import argparse
import sys

from wfscore.cli import (
    cards,
    coherence,
    collect,
    disputes,
    history,
    monitor,
    pages,
    portal,
    report,
    sample,
    scoring,
    sensitivity,
)
from wfscore.cli.common import (
    ENV,
    LANGS,
    Parser,
    environment_lang,
    given_lang,
    os_error,
    pick,
    printable_streams,
    say,
    warning,
)
from wfscore.inputs.i18n import _, language
from wfscore.inputs.wording import messages_in


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wfscore")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked for (reading the
    package metadata imports more than all of ``--help``)."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help="show the version and exit"
    ):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"wfscore {_version()}")
        parser.exit()


def parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The whole command line, its help in ``lang``."""
    with language(lang):  # the commands whose help is in the catalogue (wfscore.inputs.i18n)
        return _parser(lang)


def _parser(lang: str) -> argparse.ArgumentParser:
    main = Parser(
        prog="wfscore",
        lang=lang,
        description=_(
            "Score and rank departments on a published points scheme "
            "(潍坊市直部门信息化工作绩效考核). See README.md and SPEC.md."
        ),
        epilog=_(
            "Language: --lang, before or after the command, sets the language of the help, the messages "
            "and the results. Without --lang, the files written and what a command prints as its result "
            "(explain's breakdown, the tables of sensitivity) are in Chinese; the help and the messages "
            "(errors, warnings, what was written) follow the environment variable {env} (zh or en), else "
            "the locale (the first of LC_ALL, LC_MESSAGES, LANG that is set: en… is English, zh… "
            "Chinese), else Chinese."
        ).format(env=ENV),
    )
    main.add_argument("--version", action=_Version, help=_("show the version and exit"))
    main.add_argument(
        "--lang",
        dest="global_lang",
        choices=LANGS,
        default=None,
        help=_("language of the help, the messages and the results (see below)"),
    )
    t = pick(lang)
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND", title=_("commands"))
    scoring.add_commands(sub, t)
    report.add_command(sub, t)
    sensitivity.add_command(sub, t)
    history.add_history_command(sub)
    history.add_restore_command(sub)
    collect.add_commands(sub, t)
    coherence.add_command(sub, t)
    disputes.add_command(sub)
    cards.add_command(sub, t)
    sample.add_command(sub, t)
    monitor.add_command(sub, t)
    pages.add_commands(sub, t)
    portal.add_command(sub, t)  # the portal's help still says itself with t(zh, en)
    return main


def main(argv: list[str] | None = None) -> int:
    with printable_streams():  # a console that cannot show Chinese gets '?', never a traceback
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    given = given_lang(argv)
    ui, note = (given, None) if given else environment_lang()
    args = parser(ui).parse_args(argv)
    given = getattr(args, "lang", None) or args.global_lang  # after the command wins
    args.lang = given or "zh"  # the results: Chinese unless --lang says otherwise
    args.ui_lang = given or ui  # the messages: --lang, else WFSCORE_LANG, else the locale
    if note and not given:
        warning(ui, note)
    try:
        with (
            messages_in(args.ui_lang),
            language(args.ui_lang),
        ):  # and those the library prints itself (notes, progress bars)
            return args.run(args)
    except OSError as exc:  # a command's own checks name their files; this is the last resort
        say(os_error(exc, args.ui_lang), sys.stderr)
        return 1


def run(argv: list[str] | None = None) -> int:
    """The console script (and ``python -m wfscore``): :func:`main`, then an exit without
    Python's last garbage collection. At exit Python walks every object it tracks looking
    for cycles, pandas' and numpy's among them: about a sixth of a ``wfscore score``.
    ``gc.freeze()`` sets them aside, so that walk is skipped; everything else about the
    exit is unchanged (files are flushed and closed, atexit handlers and weakref
    finalizers run, each command has closed what it wrote before it returns). Not done by
    :func:`main`, which notebooks and tests call in a process that goes on."""
    import gc

    try:
        return main(argv)
    finally:
        gc.freeze()


if __name__ == "__main__":
    raise SystemExit(run())
