"""The command line's parser, built as ``wfscore`` builds it, in each language (for sphinx-argparse,
which takes a parser or a function without arguments).

sphinx-argparse reads help texts as reStructuredText, where the help's plain text has marks of
its own (``|r|`` is a substitution, ``*`` emphasis): each help, description and epilog is
escaped, so that the page shows the text ``wfscore --help`` prints."""

from __future__ import annotations

import argparse
import re

from wfscore.cli import parser

_SPECIAL = re.compile(r"([\\`*|_])")


def _plain(text: str | None) -> str | None:
    return None if text is None or text == argparse.SUPPRESS else _SPECIAL.sub(r"\\\1", text)


def _escaped(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.description, p.epilog = _plain(p.description), _plain(p.epilog)
    for action in p._actions:
        if action.help and action.help != argparse.SUPPRESS:
            action.help = _plain(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = _plain(choice.help)
            for sub in set(action.choices.values()):
                _escaped(sub)
    return p


zh = _escaped(parser("zh"))
en = _escaped(parser("en"))
