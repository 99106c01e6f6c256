"""Numbers as people write them, and nothing else: the one reading of a number in a cell.

The year's tables (:mod:`wfscore.inputs.validation`) and the returned forms
(:mod:`wfscore.inputs.collect`) read numbers by the same rules, here:

- the digits 0–9 with an optional sign, decimal point and exponent: ``85``, ``85.5``,
  ``-3``, ``+2``, ``.5``, ``5.``, ``1e3``, ``1.5E-2``; spaces around them are ignored;
- the same written in full-width forms, as a Chinese input method types them in
  full-width mode: ``０``–``９``, ``．``, ``－``, ``＋``, ``ｅ``, ``Ｅ`` (and ``，``, ``％``
  for the forms' thousands separators and percentages) are read as their ASCII forms.
  Only these: NFKC folding would also read ``85¹`` as 851, ``⑧`` as 8 and ``㊿`` as 50;
- ``-0`` is 0.

Everything else is refused, each with the reason :func:`read` gives: superscripts,
subscripts, circled and parenthesised numbers, fractions such as ``½``, the digits of
other scripts (Arabic-Indic ``١٢٣``, Devanagari ``१२३``...), the ideographic full stop
``。`` as a decimal point (it ends a sentence: ``85。5`` may be two numbers), underscores
(``1_000``, which Python would read) and spaces between digits (``8 5``), a number too
close to 0 to be read (``1e-999999999`` would read as 0), and the words ``nan``, ``inf``
and ``Infinity``. A number too large to be read (``1e999``) and the words ``inf`` are
*infinite*: the loader says "is not finite" of them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

# The full-width forms read as their ASCII forms; nothing else is folded.
FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "．": ".",
        "－": "-",
        "＋": "+",
        "ｅ": "e",
        "Ｅ": "E",
        "，": ",",
        "％": "%",
    }
)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INFINITE_WORDS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
EXAMPLE = "written like 85 or 85.5"  # what every refusal with a reason ends by


class NotANumber(ValueError):
    """A cell that is not a number. ``reason`` says why, where there is more to say than
    "is not a number" (a superscript, an underscore...), else None; ``infinite``: a number
    too large to be read, or the word ``inf``."""

    def __init__(self, text: str, reason: str | None = None, infinite: bool = False):
        super().__init__(f"{text!r} is not a number" + (f": {reason}" if reason else ""))
        self.reason, self.infinite = reason, infinite


def fold(text: str) -> str:
    """``text`` with its full-width digits and number punctuation as ASCII (and nothing else changed)."""
    return text if text.isascii() else text.translate(FULL_WIDTH)


def read(text: str) -> Decimal:
    """A cell's text → its number (exactly as written; 0 for ``-0``), or :class:`NotANumber`.

    Spaces around the number are ignored; the full-width forms of :data:`FULL_WIDTH` are
    read as ASCII. The text must be the digits 0–9 with an optional sign, decimal point
    and exponent, and its number must be finite and read as a float that is not 0 unless
    it is 0.
    """
    folded = fold(text.strip())
    if _NUMBER.fullmatch(folded) is None:
        raise NotANumber(text, _why(folded), infinite=folded.casefold() in _INFINITE_WORDS)
    try:
        number = Decimal(folded)
        as_float = float(number)
    except (InvalidOperation, OverflowError, ValueError):  # an exponent past what Decimal holds
        mantissa, exponent = folded.casefold().split("e")
        if not mantissa.strip("+-.0"):
            return Decimal(0)
        number, as_float = Decimal(1), (0.0 if exponent.startswith("-") else math.inf)
    if not math.isfinite(as_float):
        raise NotANumber(text, infinite=True)
    if number == 0:
        return Decimal(0)
    if as_float == 0.0:  # 1e-999999999: not 0, but read as 0
        raise NotANumber(text, "it is too close to 0 to be read (it would read as 0)")
    return number


def to_float(text: str) -> float:
    """:func:`read` as a float: NaN where the text is not a number, infinity where it is infinite."""
    try:
        return float(read(text))
    except NotANumber as exc:
        if not exc.infinite:
            return math.nan
        return -math.inf if fold(text.strip()).startswith("-") else math.inf


def reason(text: str) -> str | None:
    """Why ``text`` is not a number, where there is more to say than that (see :func:`read`)."""
    try:
        read(text)
    except NotANumber as exc:
        return exc.reason
    return None


def _why(folded: str) -> str | None:
    """Why ``folded`` (a cell stripped and folded) does not match the form of a number, or None."""
    for c in folded:
        if c.isascii():
            continue
        if unicodedata.category(c) in ("Nd", "No", "Nl"):  # ¹ ⑧ ㊿ ½ Ⅷ ١ १: a digit, not one of 0–9
            return f"{c!r} (U+{ord(c):04X}) is not one of the digits 0–9"
        if c == "。":
            return f"{c!r} (U+3002) is a full stop, not a decimal point"
    if _NUMBER.fullmatch("".join(folded.split())):
        return "it has a space between its digits"
    if "_" in folded and _NUMBER.fullmatch(folded.replace("_", "")):
        return "it has an underscore between its digits"
    return None
