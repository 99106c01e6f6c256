"""wfscore: score and rank departments on a published points scheme.

The front door for notebooks::

    import wfscore
    year = wfscore.load_year("data/2011")     # read and check; InputError lists every error
    result = wfscore.score(year)              # SPEC §5, all departments at once
    print(wfscore.explain(result, "G01"))     # where every point of one department came from
"""

from .explain import explain
from .loading import YearData, load_year
from .pipeline import score
from .problems import InputError
from .result import Result, version

__version__ = version()

__all__ = ["load_year", "score", "explain", "Result", "YearData", "InputError"]
