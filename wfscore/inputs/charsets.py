"""Telling a real GB18030 file from one in another East Asian encoding.

Almost any Shift-JIS, EUC-KR or Big5 file also decodes as GB18030, into characters
that exist but that nobody wrote. A file that is not UTF-8 is therefore read in each
of those encodings too, and each reading is scored by the share of its non-ASCII
characters that are *unusual* for its language:

- GB18030: outside the GB2312 hanzi (the 6,763 characters of everyday simplified
  Chinese), the CJK punctuation, numbers such as ① and the full-width forms;
- Shift-JIS (cp932): outside kana, JIS level-1 kanji and the JIS punctuation;
- EUC-KR (cp949): outside the Hangul syllables and the KS X 1001 punctuation;
- Big5 (cp950): outside the Big5 level-1 hanzi and the Big5 punctuation (bopomofo is unusual).

The GB18030 reading is doubtful when another reading is ordinary (at most 10%
unusual) and not clearly worse than it (at most 10 points more unusual), or when
more than half of its own characters are unusual. A reading that gives the same text as
GB18030 (ASCII and full-width digits, ``８８．５``, are alike in GB18030 and EUC-KR) is no
doubt at all. Real Chinese text in GB18030,
rare names included, reads as ordinary GB18030 and as a jumble of half-width kana,
hanja or level-2 hanzi in the others; text in the other encodings reads the other
way round. A doubtful file is an error: saving it as UTF-8 always works.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

LIMIT = 0.10  # an alternative reading with at most this share of unusual characters is ordinary
MARGIN = 0.10  # ... and it wins unless it is this much more unusual than the GB18030 reading
ALONE = 0.50  # a GB18030 reading with more than this share unusual is doubtful on its own

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _chars(encoding: str, leads: range, trails) -> frozenset[str]:
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                found.add(bytes([lead, trail]).decode(encoding))
            except UnicodeDecodeError:
                pass
    return frozenset(c for c in found if len(c) == 1)


@lru_cache(maxsize=None)
def _ordinary(encoding: str) -> frozenset[str]:
    """The characters ordinary in text of ``encoding``'s language."""
    if encoding == "gb18030":
        # rows 1 (punctuation), 2 (numbers such as ① and ⅰ), 3 (full-width ASCII), 16-87 (hanzi) of GB2312
        chars = _chars("gb2312", [0xA1, 0xA2, 0xA3, *range(0xB0, 0xF8)], range(0xA1, 0xFF))
    elif encoding == "cp932":
        # 0x81 punctuation, 0x82-0x83 kana, 0x88-0x9F level-1 kanji
        chars = _chars("cp932", [0x81, 0x82, 0x83, *range(0x88, 0xA0)], [*range(0x40, 0x7F), *range(0x80, 0xFD)])
    elif encoding == "cp949":
        # rows 1 and 3 (punctuation, full-width ASCII) and the Hangul rows 16-40 of KS X 1001
        chars = _chars("cp949", [0xA1, 0xA3, *range(0xB0, 0xC9)], range(0xA1, 0xFF))
    elif encoding == "cp950":
        # 0xA1-0xA3 punctuation, 0xA4-0xC6 level-1 hanzi; not bopomofo and its tone marks (0xA374-0xA3BF),
        # which no table of names holds and which GB18030's full-width digits read as in Big5 (８ → ㄧ)
        chars = _chars("cp950", range(0xA1, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
        chars -= {chr(c) for c in range(0x3105, 0x3130)} | set("˙ˊˇˋ")
    else:
        raise ValueError(encoding)
    return chars | frozenset("\ufeff\u3000")


def unusual_share(text: str, encoding: str) -> float:
    """The share of ``text``'s non-ASCII characters not ordinary for ``encoding``."""
    counts = Counter(_NON_ASCII.findall(text))
    total = sum(counts.values())
    if not total:
        return 0.0
    ordinary = _ordinary(encoding)
    return sum(n for c, n in counts.items() if c not in ordinary) / total


ALTERNATIVES = {"cp932": "Shift-JIS", "cp949": "EUC-KR", "cp950": "Big5"}


def doubtful_gb18030(raw: bytes, text: str) -> str | None:
    """Why ``text`` (``raw`` read as GB18030) is probably not GB18030, or None."""
    if not _NON_ASCII.search(text):
        return None
    own = unusual_share(text, "gb18030")
    for encoding, name in ALTERNATIVES.items():
        try:
            other = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if other == text:
            continue  # the same text either way (ASCII and full-width forms): no doubt about what was written
        share = unusual_share(other, encoding)
        if share <= LIMIT and share <= own + MARGIN:
            return (
                f"it reads as ordinary {name} text ({share:.0%} unusual characters) but as "
                f"{own:.0%} unusual characters in GB18030"
            )
    if own > ALONE:
        return f"{own:.0%} of its non-ASCII characters are not ordinary Chinese when read as GB18030"
    return None
