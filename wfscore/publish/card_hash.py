"""Which result a feedback card belongs to: the hashes the cards carry (``<meta>`` of each
card and of the index) and read back, for ``wfscore cards --check`` and for a report that
must not keep cards of another result beside it (:mod:`wfscore.publish.cards`,
:mod:`wfscore.publish.report`)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from wfscore.engine.result import Result

INDEX_NAME = "index.html"
RESULT_META = "wfscore-result"  # <meta name=...> of each card and the index: result_hash
DEPT_META = "wfscore-department"  # <meta name=...> of each card: its dept_id
FIGURES_META = "wfscore-figures"  # <meta name=...> of each card: department_hashes


def _rounded(a) -> bytes:
    a = np.asarray(a)
    a = np.round(a.astype(float), 10) if a.dtype.kind == "f" else a.astype(np.int64)
    return str(a.shape).encode("ascii") + np.ascontiguousarray(np.nan_to_num(a, nan=-1e300)).tobytes()


def department_hashes(result: Result) -> dict[str, str]:
    """Each department's SHA-256 (hex) of the figures its card shows from the result: id,
    name and kind; per indicator its value, base, effective weight and score; per
    category and in total its score; its rank, eligibility, excellence and converted
    score; and the scheme's year, title and points. Floats rounded to 10 decimals, as
    ``results.csv``. (Not the words: a card in English has the same hash.)"""
    res = result
    head = f"{res.scheme.year}\x1f{res.scheme.title}\x1f{float(res.arrays.weight.sum())!r}".encode("utf-8")
    base = res.base if res.base.ndim == 2 else np.broadcast_to(res.base, res.score.shape)
    out = {}
    for d, row in enumerate(res.data.departments[["dept_id", "name", "kind"]].astype(str).itertuples(index=False)):
        digest = hashlib.sha256(head)
        digest.update("\x1f".join(row).encode("utf-8"))
        for array in (
            res.value,
            base,
            res.effective_weight,
            res.score,
            res.category,
            res.total,
            res.rank,
            res.eligible,
            res.excellent,
            res.converted,
        ):
            digest.update(b"none" if array is None else _rounded(np.asarray(array)[d]))
        out[str(row[0])] = digest.hexdigest()
    return out


def result_hash(result: Result, departments: dict[str, str] | None = None) -> str:
    """The SHA-256 (hex) of the year's result as the cards show it: of every department's
    :func:`department_hashes`, in the order of ``departments.csv``."""
    departments = department_hashes(result) if departments is None else departments
    return hashlib.sha256("\n".join(f"{k}={v}" for k, v in departments.items()).encode("utf-8")).hexdigest()


_META = re.compile(r'<meta name="(wfscore-[a-z]+)" content="([^"]*)">')


def page_metas(page: Path) -> dict[str, str]:
    import html

    text = page.read_text(encoding="utf-8", errors="replace")
    head = text[: text.find("<body")]  # the metas are in the head (after the embedded font)
    return {k: html.unescape(v) for k, v in _META.findall(head)}


def folder_result(folder: Path) -> str | None:
    """The :func:`result_hash` a cards folder's index was made for, or None (no index, or
    cards of a wfscore that did not record it)."""
    index = Path(folder) / INDEX_NAME
    return page_metas(index).get(RESULT_META) if index.is_file() else None
