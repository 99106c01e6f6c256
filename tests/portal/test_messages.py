"""Every text the portal shows a person is in Chinese: the templates' texts all have their
Chinese in the portal's gettext catalogue (compiled), no template holds English outside a
``translate`` tag, the pages as the department and the office see them hold no English word,
Django's own messages (sign-in, password rules) come in Chinese, and the board of
``wfscore portal status`` reads in Chinese. (The messages written in the code, with their
Chinese beside them, are checked by tests/inputs/test_messages_zh.py.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.utils import translation

from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from portalsite import PASSWORD, SITE, login

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "wfscore" / "portal" / "templates"
# Latin words a Chinese page keeps: formats, protocols and the names people type
KEEP = {"CSV", "PDF", "DOCX", "WPS", "Word", "JSON", "API", "Token", "office", "HTTPS", "Excel", "MB"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’._/-]{2,}")
SHOWN_ATTRS = {"placeholder", "title", "aria-label", "alt"}


class _Visible(HTMLParser):
    """The text a person sees: the page's text and its shown attributes (a button's value)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        for name in SHOWN_ATTRS:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english(html: str, keep=()) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return words(" ".join(parser.parts), keep)


def words(text: str, keep=()) -> list[str]:
    """The English words of ``text`` (not a dotted or slashed name such as gov.cn)."""
    found = [w.rstrip(".") for w in WORD.findall(text)]
    return [
        w
        for w in found
        if len(re.sub(r"[^A-Za-z]", "", w)) >= 3 and not re.search(r"[._/]", w) and w not in KEEP and w not in keep
    ]


def template_texts() -> list[tuple[str, str, str | None]]:
    """(template, msgid, plural msgid) of every translate and blocktranslate tag."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
        block: list[str] | None = None
        parts: list[list[str]] = []
        for tok in tokens:
            text = tok.contents
            if tok.token_type == TokenType.BLOCK and re.match(r"(translate|trans)\s", text):
                found.append((path.name, re.match(r"\w+\s+(['\"])(.*?)\1", text).group(2), None))
            elif tok.token_type == TokenType.BLOCK and re.match(r"(blocktranslate|blocktrans)\b", text):
                block, parts = [], []
            elif block is not None and tok.token_type == TokenType.BLOCK and text == "plural":
                parts.append(block)
                block = []
            elif block is not None and tok.token_type == TokenType.BLOCK and text.startswith("endblocktrans"):
                parts.append(block)
                found.append((path.name, "".join(parts[0]), "".join(parts[1]) if len(parts) > 1 else None))
                block = None
            elif block is not None:
                block.append(text if tok.token_type == TokenType.TEXT else f"%({text.strip()})s")
    return found


def test_every_template_text_has_its_chinese_in_the_compiled_catalogue():
    texts = template_texts()
    assert len(texts) > 60 and ("404.html", "Not found", None) in texts
    with translation.override("zh-hans"):
        for name, msgid, plural in texts:
            zh = translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)
            assert zh != msgid and re.search(r"[\u4e00-\u9fff]", zh), f"{name}: no Chinese for {msgid!r}"


def test_no_template_holds_english_outside_a_translate_tag():
    for path in sorted(TEMPLATES.rglob("*.html")):
        parts, inside = [], False  # a blocktranslate's body is the catalogue's (checked above)
        for t in Lexer(path.read_text(encoding="utf-8")).tokenize():
            if t.token_type == TokenType.BLOCK and re.match(r"(blocktranslate|blocktrans)\b", t.contents):
                inside = True
            elif t.token_type == TokenType.BLOCK and t.contents.startswith("endblocktrans"):
                inside = False
            parts.append(t.contents if t.token_type == TokenType.TEXT and not inside else " § ")
        assert english("".join(parts)) == [], path.name


def test_the_check_catches_english():
    assert english("<p>Saved</p><input type=submit value='Send it'>") == ["Saved", "Send"]
    assert english('<p title="Click here">已保存</p>') == ["Click", "here"]


def _pages(client, office):
    client.post("/returns/P01/value", {"indicator": "12", "text": "八十"}, HTTP_ACCEPT="application/json")
    from wfscore.portal.models import Return

    client.post("/returns/P01/submit")
    office.post("/returns/P01/question", {"indicator": "13", "text": "请核实"})
    office.post("/returns/P01/reopen")
    q = Return.objects.get(department__dept_id="P01").questions.get()
    client.post(f"/questions/{q.pk}/answer", {"text": "已核实"})
    yield "return", client.get("/returns/P01/")
    yield "password", client.get("/password/")
    yield "404", client.get("/returns/G01/")
    yield "board", office.get("/office/")
    yield "office's view", office.get("/returns/P01/")
    yield "audit", office.get("/returns/P01/audit")


def test_the_pages_hold_no_english_word(as_dept, as_office):
    for name, r in _pages(as_dept, as_office):
        assert r.status_code in (200, 404), name
        page = r.content.decode("utf-8")
        assert re.search(r"[\u4e00-\u9fff]", page), name
        assert english(page, keep={"CIO"}) == [], name
        if name == "return":
            assert (
                "请核实" in page and "已答复" in page
            )  # the question, its state and its entries   # the notice's own 首席信息主管（CIO）


def test_djangos_own_messages_come_in_chinese(client):
    r = client.post("/login/", {"username": "P01", "password": "wrong"})
    assert english(r.content.decode("utf-8")) == []
    login(client, "P02")
    r = client.post("/password/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    page = r.content.decode("utf-8")
    assert "密码" in page and english(page) == []


def test_the_status_board_reads_in_chinese(as_dept):
    from wfscore.portal import site

    as_dept.post("/returns/P01/value", {"indicator": "12", "text": "八十"}, HTTP_ACCEPT="application/json")
    text = site.status_text(SITE, "zh")
    assert "未开始" in text and "有错误" in text
    assert words(text) == []
