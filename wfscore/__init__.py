"""wfscore: score and rank departments on a published points scheme.

The front door for notebooks::

    import wfscore
    year = wfscore.load_year("data/2011")     # read and check; InputError lists every error
    result = wfscore.score(year)              # SPEC §5, all departments at once
    print(wfscore.explain(result, "G01"))     # where every point of one department came from

The library is in sub-packages by stage of the office's year; each may import only
the ones before it in this list (``pyproject.toml``'s import-linter contract, run by
the tests, enforces it):

- :mod:`wfscore.inputs`: reading a year's files, the scheme, validation, safe writing;
- :mod:`wfscore.engine`: the scoring steps of SPEC §5, the result, explain;
- :mod:`wfscore.analysis`: what-if scenarios, robustness, years side by side;
- :mod:`wfscore.review`: the desk's decisions and their record;
- :mod:`wfscore.publish`: the report, tables, charts, fonts and templates;
- :mod:`wfscore.panels`: the ipywidgets panels (what-if, the desk);
- :mod:`wfscore.cli`: the command line, on top.

The six names below are imported when first used, so that ``import wfscore`` (and
the command line's ``--help``) costs almost nothing.
"""

from __future__ import annotations

from importlib import import_module

_FRONT = {
    "load_year": "wfscore.inputs.loading",
    "YearData": "wfscore.inputs.loading",
    "InputError": "wfscore.inputs.problems",
    "score": "wfscore.engine.pipeline",
    "explain": "wfscore.engine.explain",
    "Result": "wfscore.engine.result",
}

__all__ = ["load_year", "score", "explain", "Result", "YearData", "InputError"]


def __getattr__(name: str):
    if name in _FRONT:
        value = getattr(import_module(_FRONT[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from wfscore.engine.result import version

        globals()["__version__"] = value = version()
        return value
    raise AttributeError(f"module 'wfscore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FRONT, "__version__"])
