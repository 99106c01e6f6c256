"""What every command shares: the language of the command line, its argument parser in
that language, and printing (messages, a year's problems, a library's errors).

Two languages are at work in a command. The language of the **results** (the files a
command writes, and what it prints as its result: ``explain``'s breakdown, the tables of
``sensitivity`` and ``coherence``, the collection board) is Chinese unless ``--lang`` says
otherwise. The language of the **messages** (help, errors, warnings, the lines saying
what was written) is ``--lang`` when given, else ``WFSCORE_LANG``, else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the first one set; ``en…`` is English, ``zh…``
Chinese), else Chinese. ``--lang`` may stand before the command (``wfscore --lang en
score …``) or after it (``wfscore score … --lang en``); after it wins.

Nothing heavy is imported here; each command imports what it uses when it runs.
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import contextmanager

from wfscore.inputs.i18n import N_, _, argparse_in, translations
from wfscore.inputs.inert import terminal as inert  # every text from a year's files, before it is printed
from wfscore.inputs.wording import ENV, LANGS, LOCALE_VARIABLES, environment_lang  # noqa: F401 (for the commands)

# -- the language ------------------------------------------------------------------------


def given_lang(argv: list[str]) -> str | None:
    """The last valid ``--lang X`` or ``--lang=X`` of ``argv`` (before ``--``), or None: what
    the parser will be told, known before the parser (and its help) is built."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = (
            argv[i + 1]
            if arg == "--lang" and i + 1 < len(argv)
            else arg.partition("=")[2]
            if arg.startswith("--lang=")
            else None
        )
        if value in LANGS:
            found = value
    return found


def pick(lang: str):
    """``t(zh, en)``: the text in ``lang`` (what the portal's commands still say their help with)."""
    return (lambda zh, en: en) if lang == "en" else (lambda zh, en: zh)


def lang_option(p, what: str = "") -> None:
    """A command's ``--lang``: the language of ``what`` (its results, said in the parser's
    language) and of the messages; the same option as ``wfscore --lang`` (given here, it wins)."""
    if what:
        text = _(
            "language of {what} and of the messages (default zh for {what}; "
            "the messages default to {env} or the locale)"
        ).format(what=what, env=ENV)
    else:
        text = _("language of the messages (default: {env}, else the locale, else zh)").format(env=ENV)
    p.add_argument("--lang", choices=LANGS, default=None, help=text)


def add_lang(p, t, what_zh: str = "", what_en: str = "") -> None:
    """:func:`lang_option` with ``what`` given as ``t(zh, en)`` (the portal's commands)."""
    lang_option(p, t(what_zh, what_en) if what_zh else "")


# -- the parser in a language ------------------------------------------------------------

_CLOSING = set("，。、；：！？）》」』】,.;:!?)")
_OPENING = set("（《「『【")


def _width(ch: str) -> int:
    import unicodedata

    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, a Chinese character counting two:
    breaks at spaces and between Chinese characters, never before closing punctuation
    nor after an opening bracket (what would stand there goes to the next line with it)."""
    tokens = re.findall(
        r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]| +",
        " ".join(text.split()),
    )
    lines: list[list[str]] = [[]]
    for token in tokens:
        line = lines[-1]
        if token.isspace():
            if line:
                line.append(" ")
            continue
        if line and _columns(line + [token]) > width:
            moved = [token]
            while line and (moved[0][0] in _CLOSING or line[-1][-1] in _OPENING) and len(line) > 1:
                moved.insert(0, line.pop())
            while line and line[-1].isspace():
                line.pop()
            lines.append([t for t in moved if not t.isspace()] if moved[0].isspace() else moved)
        else:
            line.append(token)
    return ["".join(line).rstrip() for line in lines if "".join(line).strip()]


def _columns(tokens: list[str]) -> int:
    return sum(_width(ch) for token in tokens for ch in token)


class _Formatter(argparse.HelpFormatter):
    def _split_lines(self, text, width):
        return wrap(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _format_usage(self, usage, actions, groups, prefix):
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        # laid out with a prefix as wide on the screen as the translated one (用法： is six
        # columns in three characters), so that its lines align under it
        prefix = argparse._("usage: ")
        wide = _columns([prefix])
        return prefix + super()._format_usage(usage, actions, groups, " " * wide)[wide:]

    def format_help(self):  # a section title in Chinese ends with a full-width colon: 选项：
        return re.sub(r"^([^\x00-\x7f][^\n]*):$", r"\1：", super().format_help(), flags=re.M)


def argparse_zh(message: str) -> str:
    """One of argparse's error messages, as argparse says it in English, in Chinese (the
    catalogue's; unchanged when it is not one of them)."""
    from wfscore.inputs.i18n import argparse_text

    return argparse_text(message, "zh")


class Parser(argparse.ArgumentParser):
    """An argument parser whose help, titles and usage errors are in ``lang``; its
    sub-command parsers are too. argparse's own words (usage:, options, its errors) come
    from the catalogue (:func:`wfscore.inputs.i18n.argparse_in`) whenever the parser is
    built, formats its help or parses. A usage error still exits 2."""

    def __init__(self, *args, lang: str = "zh", **kwargs):
        self.lang = lang
        kwargs.setdefault("formatter_class", _Formatter)
        with argparse_in(lang):
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", lambda **kw: Parser(lang=self.lang, **kw))
        with argparse_in(self.lang):
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with argparse_in(self.lang):
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with argparse_in(self.lang):
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with argparse_in(self.lang):
            return super().format_usage()

    def format_help(self):
        with argparse_in(self.lang):
            return super().format_help()

    def error(self, message):
        self.print_usage(sys.stderr)
        with argparse_in(self.lang):
            said = argparse._("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message}
        self.exit(2, inert(said.rstrip("\n")) + "\n")


# -- printing ----------------------------------------------------------------------------


@contextmanager
def printable_streams(*streams):
    """While the block runs, text that the console's encoding cannot show is replaced
    (``?``) rather than raising ``UnicodeEncodeError``: a Windows console or a redirect
    in cp1252 or GBK, ``PYTHONIOENCODING`` set to one. ``sys.stdout`` and ``sys.stderr``
    unless ``streams`` are named; each is put back as it was afterwards."""
    streams = streams or (sys.stdout, sys.stderr)
    changed = []
    for stream in streams:
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # closed, or not a text stream after all
                continue
            changed.append(stream)
    try:
        yield
    finally:
        for stream in changed:
            try:
                stream.reconfigure(errors="strict")
            except (ValueError, OSError):
                pass


def say(text: object, stream=None) -> None:
    """One text for the terminal, its control characters made inert."""
    print(inert(text), file=stream or sys.stdout)


def error(lang: str, text: object, stream=None) -> None:
    say(translations(lang).gettext(N_("error: ")) + str(text), stream or sys.stderr)


def warning(lang: str, text: object, stream=None) -> None:
    say(translations(lang).gettext(N_("warning: ")) + str(text), stream or sys.stderr)


def message(exc: BaseException, lang: str) -> str:
    """A library's error (OutputError, ReportError, DecisionError, …) in ``lang``."""
    own = getattr(exc, "in_lang", None)
    return own(lang) if callable(own) else text_in(str(exc), lang)


def text_in(text: str, lang: str) -> str:
    """One of the library's English texts in ``lang`` (the message catalogue's Chinese,
    :mod:`wfscore.inputs.messages_zh`; the English where it has none)."""
    from wfscore.inputs.messages_zh import in_lang

    return in_lang(str(text), lang)


def count(lang: str, errors: int, warnings: int) -> str:
    """``2 errors, 1 warning``; ``共 2 个错误，1 个警告``."""
    tr = translations(lang)
    return tr.gettext("{errors}, {warnings}").format(
        errors=tr.ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=tr.ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
    )


def print_problems(problems, folder: str | None, stream, lang: str = "en") -> None:
    """Every error, then every warning, then one line that counts them (after the folder's
    name, when given)."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors:
        error(lang, p.text(lang), stream)
    for p in warnings:
        warning(lang, p.text(lang), stream)
    total = count(lang, len(errors), len(warnings))
    say(
        total if folder is None else translations(lang).gettext("{folder}: {total}").format(folder=folder, total=total),
        stream,
    )


def nothing_written(lang: str, stream=None) -> None:
    say(translations(lang).gettext(N_("nothing was written")), stream or sys.stderr)


def load(folder: str, lang: str = "en"):
    """The checked year of ``folder``, or None after printing every problem to stderr."""
    from wfscore.inputs.loading import load_year
    from wfscore.inputs.problems import InputError

    try:
        return load_year(folder)
    except InputError as exc:
        print_problems(exc.problems, folder, sys.stderr, lang)
        nothing_written(lang)
        return None


# the operating system's words for the commonest errors, in the languages it does not say them in
_ERRNO = {
    "zh": {
        "ENOSPC": "磁盘空间不足",
        "EROFS": "文件系统为只读",
        "EACCES": "没有权限",
        "EPERM": "不允许此操作",
        "ENOENT": "文件或文件夹不存在",
        "EEXIST": "文件已存在",
        "EISDIR": "这是一个文件夹",
        "ENOTDIR": "不是文件夹",
        "EDQUOT": "超出磁盘配额",
        "EIO": "输入输出错误",
        "EBUSY": "文件正被占用",
    }
}


def os_error(exc: OSError, lang: str) -> str:
    """The last-resort line of an OSError no command named itself."""
    import errno

    tr = translations(lang)
    reason = _ERRNO.get(lang, {}).get(errno.errorcode.get(exc.errno or 0, ""), exc.strerror or str(exc))
    if exc.filename:
        said = tr.gettext("{reason} ({file}); the command stopped").format(reason=reason, file=exc.filename)
    else:
        said = tr.gettext("{reason}; the command stopped").format(reason=reason)
    return tr.gettext(N_("error: ")) + said
