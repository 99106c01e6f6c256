"""wfscore's messages in a language, through gettext catalogues (the stdlib :mod:`gettext`).

The code writes English message ids where a message is made; ``wfscore/locale/`` holds
one catalogue per other language (``zh_Hans/LC_MESSAGES/wfscore.po``, Chinese: the
locale name on which Babel, gettext and Django's ``zh-hans`` agree). ``make messages``
extracts the ids (pybabel, ``babel.cfg``), updates the ``.po`` and compiles it; the
wheel carries the compiled ``.mo`` (``hatch_build.py``). A source tree without a
``.mo``, or whose ``.po`` is newer, has its ``.po`` compiled when it is first needed
(Babel, a development dependency) and the ``.mo`` kept beside it (git ignores it), so an
editable install and the tests need no step of their own. ``docs/glossary.md`` fixes the Chinese of each term once.

Two ways to say something:

- now, in the language the command line chose (:func:`language`): :func:`_`,
  :func:`ngettext` for a count, :func:`pgettext` where one English word has two
  Chinese ones (``pgettext("dispute", "kind")``);
- later, in whatever language it is shown in: :func:`lazy` (and :func:`nlazy`,
  :func:`plazy`) keep the message id and its parameters in a :class:`Message`, as
  Django's lazy strings do; ``Message.in_lang(lang)`` renders it, ``str()`` in English.

Parameters are named ``{name}`` in the message id and filled after translation
(``str.format``), so a translation may put them in any order.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DOMAIN = "wfscore"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# the language codes of --lang, and the locale folder of each one with a catalogue (English
# is the language of the message ids)
LOCALES = {"zh": "zh_Hans"}

# the functions whose first arguments are message ids, as pybabel's -k options (make messages,
# tests/inputs/test_catalogue.py): N:M is singular and plural, Nc the context. A catalogue's
# own methods count too: translations(lang).gettext("…") is extracted as _("…") is.
KEYWORDS = ("_", "N_", "gettext", "ngettext:1,2", "pgettext:1c,2", "NP_:1c,2", "lazy", "nlazy:1,2", "plazy:1c,2")

_active: ContextVar[str] = ContextVar("wfscore_lang", default="en")


def catalogue_path(lang: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def compile_po(po: Path) -> bytes:
    """The ``.mo`` of ``po`` (Babel), refusing a catalogue with errors."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, abort_invalid=True)
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of ``lang``: the ``.mo`` when it is there and not older than its ``.po``,
    else the ``.po`` compiled in memory; English (the message ids) for a language without one."""
    if lang not in LOCALES:
        return _gettext.NullTranslations()
    mo, po = catalogue_path(lang, ".mo"), catalogue_path(lang, ".po")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    if not po.is_file():
        raise RuntimeError(f"wfscore has no catalogue for {lang!r}: neither {mo} nor {po}")
    try:
        data = compile_po(po)
    except ImportError as exc:  # a source tree without the development dependencies
        raise RuntimeError(f"{mo} is missing: run `make messages` (it needs Babel) or install the wheel") from exc
    _keep(mo, data)
    from io import BytesIO

    return _gettext.GNUTranslations(BytesIO(data))


def _keep(mo: Path, data: bytes) -> None:
    """The ``.mo`` compiled in a source tree, kept beside its ``.po`` for the next command
    (as ``make messages`` leaves it; git ignores it): written whole or not at all, and not
    at all where the tree cannot be written."""
    import os
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=".wfscore-tmp-", suffix=".mo")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, mo)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass


# -- now, in the active language ------------------------------------------------------------


def current() -> str:
    """The language messages are said in now: what :func:`language` or :func:`activate` set,
    else English (the library's own messages, outside a command)."""
    return _active.get()


def activate(lang: str | None) -> None:
    _active.set(lang if lang in ("zh", "en") else "en")


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Messages in ``lang`` for the time of a block, then back to what it was."""
    token = _active.set(lang if lang in ("zh", "en") else "en")
    try:
        yield
    finally:
        _active.reset(token)


def _(message: str) -> str:
    """``message`` in the active language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n`` in the active language."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context`` (``pgettext("dispute", "kind")``)."""
    return translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks ``message`` for extraction only: it is translated where it is used."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` for extraction only (a word looked up later with
    ``pgettext(context, word)``: a column's name, a state)."""
    return message


# -- later, in the language it is shown in --------------------------------------------------


class Message:
    """A message id, its plural and count, context and parameters, rendered in a language
    only when it is shown (:meth:`in_lang`); ``str()`` is the English."""

    __slots__ = ("msgid", "plural", "n", "context", "params")

    def __init__(
        self, msgid: str, plural: str | None = None, n: int | None = None, context: str | None = None, **params
    ):
        self.msgid, self.plural, self.n, self.context, self.params = msgid, plural, n, context, params

    def in_lang(self, lang: str) -> str:
        tr = translations(lang)
        if self.plural is not None:
            n = int(self.n or 0)
            text = (
                tr.npgettext(self.context, self.msgid, self.plural, n)
                if self.context
                else tr.ngettext(self.msgid, self.plural, n)
            )
        else:
            text = tr.pgettext(self.context, self.msgid) if self.context else tr.gettext(self.msgid)
        params = {k: (v.in_lang(lang) if isinstance(v, Message) else v) for k, v in self.params.items()}
        return text.format(n=self.n, **params) if self.plural is not None else text.format(**params)

    def __str__(self) -> str:
        return self.in_lang("en")

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __hash__(self) -> int:
        return hash((self.msgid, self.context, self.plural))


class Said(Message):
    """Text said in a language by a function of the language (``say(lang)``): a message made
    of other messages (:func:`joined`), or a problem's own message, as a parameter of a
    :class:`Message` or a message of its own."""

    __slots__ = ("say",)

    def __init__(self, say):
        super().__init__("")
        self.say = say

    def in_lang(self, lang: str) -> str:
        return self.say(lang)

    def __repr__(self) -> str:
        return f"Said({self.in_lang('en')!r})"


def joined(parts, more: int = 0) -> Said:
    """``parts`` (messages or text) said one after another, joined by the language's
    separator (``; `` in English, ``；`` in Chinese); ``more`` other parts left out are
    counted at the end (``; and 3 more``)."""
    parts = list(parts) + ([lazy("and {more} more", more=more)] if more > 0 else [])

    def say(lang: str) -> str:
        return translations(lang).pgettext("list separator", "; ").join(in_lang(p, lang) for p in parts)

    return Said(say)


def lazy(msgid: str, **params) -> Message:
    return Message(msgid, **params)


def nlazy(singular: str, plural: str, n: int, **params) -> Message:
    return Message(singular, plural, n, **params)


def plazy(context: str, msgid: str, **params) -> Message:
    return Message(msgid, context=context, **params)


def in_lang(text: object, lang: str) -> str:
    """A :class:`Message` rendered in ``lang``; any other text as it is."""
    return text.in_lang(lang) if isinstance(text, Message) else str(text)


# -- argparse's own words -------------------------------------------------------------------

# argparse (Python 3.11-3.13) says these itself through gettext; they are listed here for the
# extraction, and translated by the same catalogue while :func:`argparse_in` is in force.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"),
    N_("unexpected option string: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _argparse_extra_words() -> None:  # never called: marks for the extraction what argparse asks for
    ngettext("expected %s argument", "expected %s arguments", 2)
    pgettext("argparse type", "int")  # the name of a value's type in "invalid %(type)s value"
    pgettext("argparse type", "float")


class _Words(str):
    """A translation of argparse's: when argparse fills in its parameters, the name of a
    type (``int``) is said in the language too."""

    tr: _gettext.NullTranslations

    def __mod__(self, args):
        if isinstance(args, dict) and isinstance(args.get("type"), str):
            args = {**args, "type": self.tr.pgettext("argparse type", args["type"])}
        return str.__mod__(self, args)

    def __reduce__(self):  # kept (pickled, as Sphinx keeps a page's text) as the plain text it is
        return (str, (str(self),))


def _argparse_gettext(tr: _gettext.NullTranslations):
    def gettext(message):
        text = tr.gettext(message)
        if not isinstance(text, str):
            return text
        words = _Words(text)
        words.tr = tr
        return words

    return gettext


@contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """argparse's own words (``usage:``, ``options``, its errors) from the catalogue of
    ``lang`` while the block runs: argparse looks up its module's ``_`` and ``ngettext``
    each time it says something, and these are pointed at the catalogue, then put back.
    (A command line runs in one thread; nested blocks each put back what they found.)"""
    tr = translations(lang)
    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _argparse_gettext(tr), tr.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")


@lru_cache(maxsize=None)
def _argparse_patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for msgid in ARGPARSE_WORDS + ("expected %s argument", "expected %s arguments"):
        parts, at, k = [], 0, 0
        for found in _PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[at : found.start()]))
            name = found.group(1) or f"_{k}"
            k += 1
            parts.append(f"(?P<{name}>.+?)")
            at = found.end()
        parts.append(re.escape(msgid[at:]))
        patterns.append((msgid, re.compile("".join(parts), re.DOTALL)))
    return patterns


def argparse_text(message: str, lang: str) -> str:
    """One of argparse's English messages, already filled in, in ``lang`` (the catalogue's
    translation, its values carried over exactly); unchanged when argparse never says it."""
    tr = translations(lang)
    for msgid, pattern in _argparse_patterns():
        found = pattern.fullmatch(message)
        if found is None:
            continue
        values = found.groupdict()
        if "message" in values:
            values["message"] = argparse_text(values["message"], lang)
        if "type" in values:
            values["type"] = tr.pgettext("argparse type", values["type"])
        if msgid.startswith("expected %s argument"):
            text = tr.ngettext("expected %s argument", "expected %s arguments", int(values["_0"]))
        else:
            text = tr.gettext(msgid)
        k = iter(range(100))
        return _PLACEHOLDER.sub(lambda m: values[m.group(1) or f"_{next(k)}"], text)
    return message
