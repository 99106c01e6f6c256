"""A CJK font for matplotlib, from the project's own dependencies.

The PyPI package ``mplfonts`` ships Noto Sans CJK SC. Registering that one file with
matplotlib's font manager and putting it first in ``font.sans-serif`` is enough for
Chinese titles, ticks and legends. (``mplfonts.use_font()`` alone still drew empty
boxes here, and ``mplfonts init`` copies 100 MB and clears matplotlib's cache, so
neither is used.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"


def font_path() -> Path:
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall the mplfonts package")
    return path


@cache
def use_cjk_font() -> str:
    """Register the CJK font and make it matplotlib's first sans-serif; return its name."""
    import matplotlib
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    rc = matplotlib.rcParams
    rc["font.sans-serif"] = [name] + [f for f in rc["font.sans-serif"] if f != name]
    rc["font.family"] = "sans-serif"
    rc["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus sign
    return name
