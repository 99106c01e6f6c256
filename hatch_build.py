"""The wheel's build hook (hatchling): each gettext catalogue of ``wfscore/locale`` compiled
from its ``.po`` into the ``.mo`` the wheel carries (Babel, as ``make messages`` does).

The ``.mo`` files are made here, never committed; the ``.po`` files stay out of the wheel
(the ``.mo`` is what :mod:`wfscore.inputs.i18n` reads there). An editable install reads the
``.po`` itself (compiled in memory on first use), so nothing is done for it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        out = Path(tempfile.mkdtemp(prefix="wfscore-mo-"))
        for po in sorted(Path(self.root, "wfscore", "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f, abort_invalid=True)
            rel = po.relative_to(self.root).with_suffix(".mo")
            mo = out / rel
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as f:
                write_mo(f, catalog)
            build_data["force_include"][str(mo)] = rel.as_posix()
