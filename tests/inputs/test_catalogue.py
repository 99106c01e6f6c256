"""The gettext catalogues (wfscore/locale, wfscore.inputs.i18n): every message id of the
source has its translation, nothing is fuzzy or obsolete, every ``.po`` compiles, each
translation keeps its message's parameters, and the glossary's terms are used throughout.

The ids are extracted here as ``make messages`` extracts them (pybabel, babel.cfg, the
keywords of :data:`wfscore.inputs.i18n.KEYWORDS`), into a temporary template.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from wfscore.inputs import i18n

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
LANGS = sorted(i18n.LOCALES)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    pot = tmp_path_factory.mktemp("pot") / "wfscore.pot"
    keywords = [arg for k in i18n.KEYWORDS for arg in ("-k", k)]
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-default-keywords", *keywords]
        + ["-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as f:
        catalog = read_po(f)
    return {(m.context, m.id): m for m in catalog if m.id}


def read(lang: str, **kw):
    with i18n.catalogue_path(lang).open("rb") as f:
        return read_po(f, **kw)


def test_the_extraction_finds_the_moved_messages(template):
    """The template is not empty by accident: it holds ids a reader knows are there."""
    assert ("dispute column", "kind") in template
    assert (None, "{folder}: no disputes") in template
    assert (None, "usage: ") in template  # argparse's own words
    assert (None, ("expected %s argument", "expected %s arguments")) in template
    assert len(template) > 100


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_has_its_translation_and_nothing_is_left_over(template, lang):
    catalog = read(lang)
    have = {(m.context, m.id): m for m in catalog if m.id}
    missing = sorted(map(str, set(template) - set(have)))
    assert not missing, f"{lang}: not in the .po (run make messages, then translate): {missing}"
    obsolete = sorted(map(str, set(have) - set(template))) + sorted(map(str, catalog.obsolete))
    assert not obsolete, f"{lang}: in the .po but no longer in the source (run make messages): {obsolete}"
    assert not catalog.fuzzy, f"{lang}: the .po's header is fuzzy"
    fuzzy = sorted(str(k) for k, m in have.items() if m.fuzzy)
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy}"
    empty = sorted(str(k) for k, m in have.items() if not all(m.string) or (isinstance(m.string, str) and not m.string))
    assert not empty, f"{lang}: untranslated: {empty}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_compiles_and_passes_babels_checks(lang):
    catalog = read(lang, abort_invalid=True)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems
    out = io.BytesIO()
    write_mo(out, catalog)
    import gettext

    compiled = gettext.GNUTranslations(io.BytesIO(out.getvalue()))
    assert compiled.pgettext("dispute column", "kind") != "kind"


BRACES = re.compile(r"\{(\w*)[^{}]*\}")
PRINTF = re.compile(r"%(?:\((\w+)\))?[sdr]")


@pytest.mark.parametrize("lang", LANGS)
def test_each_translation_keeps_its_parameters(lang):
    for m in read(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in strings:
            for pattern in (BRACES, PRINTF):
                assert sorted(pattern.findall(text)) == sorted(pattern.findall(ids[-1])), (m.id, text)


def glossary() -> list[tuple[str, str]]:
    """(English term, Chinese) from docs/glossary.md's table rows ``| term | 中文 | … |``."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.search(r"[\u4e00-\u9fff]", cells[1]) and not cells[0].startswith("-"):
            rows.append((cells[0].strip("`"), cells[1]))
    return rows


def test_the_glossary_fixes_each_term_once():
    terms = glossary()
    assert len(terms) > 10
    english = [t for t, _ in terms]
    assert len(english) == len(set(english)), "a term twice in docs/glossary.md"


@pytest.mark.parametrize("lang", ["zh"])
def test_the_catalogue_uses_the_glossarys_words(lang):
    """Wherever a translated message says a glossary term (not as an option, ``--reviewer``,
    nor inside a quoted value), its translation says the glossary's Chinese; and the
    ``.po``'s comments that cite the glossary agree with it."""
    terms = dict(glossary())
    for m in read(lang):
        if not m.id:
            continue
        english = (m.id[-1] if isinstance(m.id, tuple) else m.id).lower()
        english = re.sub(r"--[\w-]+|'[^']*'|`[^`]*`|\{[^}]*\}|%\(\w+\)[sr]|\S+\.csv", " ", english)
        text = m.string[0] if isinstance(m.string, tuple) else m.string
        for term, zh in terms.items():
            words = term.split(" (")[0].lower()  # "kind (of a dispute)": the word, said in its context
            context = term.split(" (")[1].rstrip(")") if " (" in term else None
            if context and (m.context or "") != context:
                continue
            if re.search(rf"(?<![\w-]){re.escape(words)}\w*", english) and m.context != "placeholder":
                assert zh in text, f"{m.context}|{m.id!r}: {text!r} lacks {zh} ({term})"
        for comment in m.user_comments:
            found = re.fullmatch(r"glossary: (.+?) = ([^;\s]+)(?:; see .*)?", comment)
            if found:
                assert terms.get(found.group(1)) == found.group(2), comment


def test_a_problem_keeps_its_message_id_and_is_said_when_shown():
    from wfscore.inputs.problems import error

    problem = error("disputes.csv", i18n.lazy("{folder}: no disputes", folder="年度"), line=3)
    assert problem.message == "年度: no disputes"  # the English, as every message before
    assert problem.text("en") == "disputes.csv line 3: 年度: no disputes"
    assert problem.text("zh") == "disputes.csv 第 3 行：年度：没有复核申请"
    said = i18n.plazy("dispute column", "kind")
    assert (said.in_lang("zh"), str(said)) == ("类别", "kind")
    count = i18n.nlazy("expected %s argument", "expected %s arguments", 2)
    assert count.in_lang("en") == "expected %s arguments"


def test_the_language_of_a_block_and_argparse_words():
    import argparse

    with i18n.language("zh"):
        assert i18n._("usage: ") == "用法："
        with i18n.language("en"):
            assert i18n.pgettext("dispute state", "upheld") == "upheld"
        assert i18n.pgettext("dispute state", "upheld") == "已支持"
    assert i18n.current() == "en"
    before = argparse._
    with i18n.argparse_in("zh"):
        assert argparse._("invalid %(type)s value: %(value)r") % {"type": "int", "value": "x"} == "'x' 不是整数"
    assert argparse._ is before
    assert i18n.argparse_text("argument --seed: invalid float value: '1.5'", "zh") == "参数 --seed：'1.5' 不是数字"
    assert i18n.argparse_text("expected 2 arguments", "zh") == "需要 2 个值"


def test_a_source_tree_without_its_mo_compiles_the_po(tmp_path, monkeypatch):
    """No .mo (a fresh clone, an editable install): the .po is compiled, its .mo kept."""
    locale = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "wfscore.po").write_bytes(i18n.catalogue_path("zh").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("zh").gettext("usage: ") == "用法："
        assert (locale / "wfscore.mo").is_file()  # kept for the next command
        i18n.translations.cache_clear()
        assert i18n.translations("zh").gettext("usage: ") == "用法："
        (locale / "wfscore.po").unlink()
        (locale / "wfscore.mo").unlink()
        i18n.translations.cache_clear()
        with pytest.raises(RuntimeError, match="no catalogue"):
            i18n.translations("zh")
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()
