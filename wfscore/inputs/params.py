"""Checking the parameters of notebooks and commands before anything is read."""

from __future__ import annotations

import re

YEARS = range(1949, 2101)


class ParameterError(Exception):
    """A parameter of a notebook or command is wrong; the message names every problem."""


def check_year(year: object) -> int:
    """``year`` as an int: a whole number or four digits, 1949–2100; ValueError otherwise."""
    if isinstance(year, str) and re.fullmatch(r"\s*[0-9]{4}\s*", year):
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or year not in YEARS:
        raise ValueError(f"year {year!r} is not a year (expected a whole number from "
                         f"{YEARS.start} to {YEARS.stop - 1}, such as 2011)")
    return year
