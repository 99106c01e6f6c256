"""Text from the year's files stays inert on the terminal and in HTML."""

from __future__ import annotations

import pandas as pd

from wfscore.inputs import inert


def test_terminal_escapes_control_and_direction_characters():
    assert inert.terminal("\x1b[2J红\x07") == "\\x1b[2J红\\x07"
    assert inert.terminal("abc\u202eevil\u2066x\u200f") == "abc\\u202eevil\\u2066x\\u200f"
    assert inert.terminal("a\rb\x00c\x9b") == "a\\x0db\\x00c\\x9b"
    assert inert.terminal("two\nlines\tand tab") == "two\nlines\tand tab"
    assert inert.terminal("two\nlines", lines=False) == "two\\x0alines"
    assert inert.terminal("一号局 (D1) – ok") == "一号局 (D1) – ok"


def test_html_escapes_markup_and_overrides():
    assert inert.html('<b a="1">&\u202e</b>') == "&lt;b a=&quot;1&quot;&gt;&amp;\\u202e&lt;/b&gt;"
    assert inert.plain("a\nb\u202e") == "a\\x0ab\\u202e"


def test_frame_escapes_text_cells_and_names():
    frame = inert.frame(pd.DataFrame({"名\u202e": ["x\x1by", None], "n": [1.5, 2.0]}))
    assert list(frame.columns) == ["名\\u202e", "n"]
    assert frame.iloc[0, 0] == "x\\x1by" and pd.isna(frame.iloc[1, 0]) and frame["n"].tolist() == [1.5, 2.0]
