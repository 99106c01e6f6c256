"""Checking the parameters of notebooks and commands before anything is read."""

from __future__ import annotations

import os
import re
from pathlib import Path

YEARS = range(1949, 2101)


class ParameterError(Exception):
    """A parameter of a notebook or command is wrong; the message names every problem."""


def check_year(year: object) -> int:
    """``year`` as an int: a whole number or four digits, 1949–2100; ValueError otherwise."""
    if isinstance(year, str) and re.fullmatch(r"\s*[0-9]{4}\s*", year):
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or year not in YEARS:
        raise ValueError(
            f"year {year!r} is not a year (expected a whole number from "
            f"{YEARS.start} to {YEARS.stop - 1}, such as 2011)"
        )
    return year


# -- the folders a notebook works on, when its parameters leave them empty ---------------

YEAR_DIR_ENV = "WFSCORE_YEAR_DIR"  # a year folder: what `wfscore app DIR` and `wfscore desk DIR` set
SAMPLE_YEAR = "2011"  # the year `wfscore sample` writes by default
SAMPLE_COMMAND = f"`wfscore sample {SAMPLE_YEAR}`"


def year_folder(data_dir: object = "") -> Path:
    """The year folder a notebook works on: ``data_dir`` when it is given (the notebook's
    parameter, as papermill sets it); else the environment variable ``WFSCORE_YEAR_DIR``;
    else the current folder, when it is a year folder (it holds ``scheme.yaml``); else the
    first of ``2011``, ``data/2011`` and ``../data/2011`` that holds ``scheme.yaml`` (a
    sample year written by ``wfscore sample 2011`` beside the notebook; the source tree's
    sample year, from its root or from ``notebooks/``). :class:`ParameterError` when
    there is none; a given folder is returned as it is, for the loader to check."""
    if isinstance(data_dir, os.PathLike) or (isinstance(data_dir, str) and data_dir.strip()):
        return Path(os.fspath(data_dir)).expanduser()
    if not isinstance(data_dir, str):
        raise ParameterError(
            f'data_dir {data_dir!r} is not a path (expected a year\'s data folder as text, or "" for the default)'
        )
    env = os.environ.get(YEAR_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    here = Path.cwd()
    for folder in (here, here / SAMPLE_YEAR, here / "data" / SAMPLE_YEAR, here.parent / "data" / SAMPLE_YEAR):
        if (folder / "scheme.yaml").is_file():
            return folder
    raise ParameterError(
        f"no year folder was given: data_dir is empty, {YEAR_DIR_ENV} is not set, and "
        f"neither {str(here)!r} nor its folder {SAMPLE_YEAR}, data/{SAMPLE_YEAR} or "
        f"../data/{SAMPLE_YEAR} holds scheme.yaml (expected data_dir set to a year's folder, "
        f"{YEAR_DIR_ENV} set, or a sample year written by {SAMPLE_COMMAND})"
    )


PAGE_LANG_ENV = "WFSCORE_PAGE_LANG"  # a page's language: what `wfscore app --lang en` sets
PAGE_LANGS = ("zh", "en")


def page_lang(lang: object = "") -> str:
    """The language a page (the what-if page, the desk) speaks: ``lang`` when given
    ("zh" or "en", the notebook's parameter); else the environment variable
    ``WFSCORE_PAGE_LANG`` (what ``wfscore app --lang en`` sets for its kernels); else
    Chinese. :class:`ParameterError` for any other value."""
    given = lang.strip().lower() if isinstance(lang, str) else lang
    if given == "":
        given = os.environ.get(PAGE_LANG_ENV, "").strip().lower() or "zh"
        where = PAGE_LANG_ENV
    else:
        where = "lang"
    if given not in PAGE_LANGS:
        raise ParameterError(
            f"{where} {given!r} is not a page language (expected 'zh' or 'en', or \"\" for the default)"
        )
    return given


def data_root(root: object = "") -> Path:
    """The folder holding one folder per year (the trends notebook's ``data_root``): ``root``
    when given, else the folder holding :func:`year_folder`'s default."""
    if isinstance(root, os.PathLike) or (isinstance(root, str) and root.strip()):
        return Path(os.fspath(root)).expanduser()
    return year_folder("").resolve().parent


def year_folders(root: Path) -> list[int]:
    """The years of ``root``: its folders named by a year that hold ``scheme.yaml``."""
    return sorted(
        int(p.name)
        for p in Path(root).iterdir()
        if re.fullmatch(r"\d{4}", p.name) and int(p.name) in YEARS and (p / "scheme.yaml").is_file()
    )


def report_folder(data_dir: Path, year: int) -> Path:
    """Where a report notebook writes when its ``out_dir`` is empty: ``reports/<year>``
    beside the ``data`` folder that holds ``data_dir`` (the project's layout: ``data/2011``
    → ``reports/2011``), else ``reports/<year>`` in the current folder."""
    data_dir = Path(data_dir).resolve()
    if data_dir.parent.name == "data":
        return data_dir.parent.parent / "reports" / str(year)
    return Path.cwd() / "reports" / str(year)
