"""The documentation site (Sphinx, MyST Markdown). Built by ``make docs``, warnings as errors,
offline: nothing here is fetched from the network (no intersphinx, no remote images)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))  # cli_parsers: the command line's parser in each language
sys.path.insert(0, str(DOCS.parent))

project = "wfscore"
author = "潍坊市信息化工作领导小组办公室"
copyright = "wfscore contributors"
language = "zh_CN"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinxarg.ext",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]
templates_path = []

# MyST: GitHub-style anchors for headings down to ####, so that [x](page.md#heading) links
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence", "deflist"]

# the library API, from the docstrings: one page per module, generated at build time
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_typehints = "description"
autodoc_member_order = "bysource"
# ``python -m wfscore`` runs the command line on import: listed as mocked, autosummary passes it over
autodoc_mock_imports = ["wfscore.__main__"]
# a name the package re-exports (wfscore.Result is wfscore.engine.result.Result) is found twice
# when a type hint names it; either target is the same class
suppress_warnings = ["ref.python"]


def _portal_settings() -> None:
    """The portal is a Django site: its modules import only once Django has settings, which
    are read from a site folder. A throwaway one (no database is opened) lets autodoc read
    the portal's docstrings like the rest."""
    import atexit
    import os
    import shutil
    import tempfile

    site = Path(tempfile.mkdtemp(prefix="wfscore-docs-site-"))
    atexit.register(shutil.rmtree, site, True)
    (site / "site.json").write_text("{}", encoding="utf-8")
    (site / "secret_key").write_text("docs-build-only-" + "x" * 40, encoding="utf-8")
    os.environ["WFSCORE_PORTAL_SITE"] = str(site)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wfscore.portal.settings"
    import django

    django.setup()


_portal_settings()

html_theme = "furo"
html_title = "wfscore"
html_static_path: list[str] = []
html_show_sourcelink = False
html_last_updated_fmt = None


# Chinese prose is wrapped in the sources like English, but a line break between two Chinese
# characters is no space in Chinese: it would show as one in the page. Joined before parsing,
# outside code blocks (their lines are kept as written).
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")


def _join_chinese_lines(app, docname: str, source: list[str]) -> None:
    out, prose, inside = [], [], False
    for line in source[0].splitlines(keepends=True):
        fence = line.startswith("```")
        if fence and (not inside or line.strip() == "```"):
            out.append(_CJK_BREAK.sub("", "".join(prose)))
            prose, inside = [], not inside
            out.append(line)
        elif inside:
            out.append(line)
        else:
            prose.append(line)
    out.append(_CJK_BREAK.sub("", "".join(prose)))
    source[0] = "".join(out)


def setup(app):
    app.connect("source-read", _join_chinese_lines)
