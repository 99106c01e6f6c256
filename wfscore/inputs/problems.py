"""Errors and warnings found in a year's inputs.

Every problem names where it is (file or sheet, line, column), the bad value and
what was expected, so that the person who fixes the spreadsheet knows what to do.
Loading collects all of them before it gives up; :class:`InputError` carries the
whole list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from wfscore.inputs.i18n import LOCALES, Message, translations

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One error or warning about one place in the inputs.

    ``source`` is a file name (``values.csv``) or a sheet of a workbook
    (``data.xlsx, sheet values``). ``line`` counts as a spreadsheet does: the
    header is line 1. ``message`` starts with what is wrong with ``value`` and ends
    with what was expected.
    """

    severity: Severity
    source: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    row_word: str = "line"
    column_word: str = "column"
    message_zh: str | None = None  # the message in Chinese, for reports (warnings have one)
    # the message as its id and parameters (wfscore.inputs.i18n.lazy), said in a language only
    # when shown; ``message`` is then its English. Messages not yet in the gettext catalogue
    # have none and go through the regex catalogue (messages_zh).
    said: Message | None = None

    def __post_init__(self):
        # a message given as its id and parameters (wfscore.inputs.i18n.lazy): kept, and its
        # English as the message
        if isinstance(self.message, Message):
            object.__setattr__(self, "said", self.message)
            object.__setattr__(self, "message", str(self.message))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f" {self.row_word} {self.line}"
        if self.column is not None:
            where += f", {self.column_word} {self.column}"
        what = self.message if self.value is None else f"{self.value!r} {self.message}"
        return f"{where}: {what}"

    def message_in(self, lang: str) -> str:
        """The message (what is wrong, what was expected) in ``lang``: under ``zh`` the
        Chinese written with it, else the message catalogue's translation
        (:mod:`wfscore.inputs.messages_zh`), English only where neither has one. A message
        made with its id (``said``) is rendered from the gettext catalogue instead."""
        if self.said is not None:
            return self.said.in_lang(lang)
        if lang != "zh":
            return self.message
        if self.message_zh:
            return self.message_zh
        from wfscore.inputs.messages_zh import to_zh

        return to_zh(self.message) or self.message

    def text(self, lang: str = "en") -> str:
        """The whole line in ``lang``: where (file or sheet, line, column), the value
        quoted exactly, then the message. ``text("en")`` is ``str(self)``."""
        if lang != "zh":
            return str(self)
        from wfscore.inputs.messages_zh import where_zh

        message = self.message_in("zh")
        if self.value is not None:
            return f"{where_zh(self)}：{self.value!r} {message}"
        if message.startswith(("中", "的")):  # "values.csv 中没有…", "data.xlsx 中的工作表…": one phrase
            return f"{where_zh(self)} {message}"
        return f"{where_zh(self)}：{message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class InputError(Exception):
    """The inputs of a year have errors; nothing was scored or written.

    ``problems`` holds every error and warning found, in the order found.
    """

    def __init__(self, problems: Iterable[Problem], folder: str = ""):
        self.problems = list(problems)
        self.folder = folder
        super().__init__(self._text())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def text(self, lang: str = "en") -> str:
        """The heading and every error, each line in ``lang`` (:meth:`Problem.text`).
        ``text("en")`` is ``str(self)``."""
        if lang not in LOCALES:  # English: the message ids
            return str(self)
        return "\n".join([self._head(lang)] + [f"  {p.text(lang)}" for p in self.errors])

    def _head(self, lang: str) -> str:
        """``data/2011: 2 errors``; ``data/2011：2 个错误``."""
        tr = translations(lang)
        n = len(self.errors)
        head = tr.ngettext("{n} error", "{n} errors", n).format(n=n)
        return tr.gettext("{folder}: {head}").format(folder=self.folder, head=head) if self.folder else head

    def _text(self) -> str:
        return "\n".join([self._head("en")] + [f"  {p}" for p in self.errors])


def error(source: str, message: str | Message, **where) -> Problem:
    return Problem("error", source, message, **where)


def warning(source: str, message: str | Message, **where) -> Problem:
    return Problem("warning", source, message, **where)
