"""The year a site collects: its scheme and departments (a copy of the year folder's
``scheme.yaml``, ``departments.csv`` and ``experts.csv`` in ``SITE_DIR/year``), which
indicators each department reports, and the checks a value gets, the same as
``wfscore collect`` gives a returned form (:func:`wfscore.inputs.collect.parse_number`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wfscore.inputs import collect, forms
from wfscore.inputs.problems import InputError
from wfscore.inputs.scheme import Indicator, Scheme, source_of


@dataclass(frozen=True)
class Year:
    scheme: Scheme
    departments: dict  # dept_id, name, kind: lists, as forms.read_roster gives them
    experts: list[str]
    ctx: collect.Context
    _rows: dict = field(default_factory=dict, compare=False, repr=False)  # kind → its rows, worked out once
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # what the pages work out once per year

    def kind_of(self, dept_id: str) -> str:
        return self.ctx.kind[dept_id]

    def rows(self, dept_id: str) -> list["Row"]:
        """The self-check table of a department: every indicator it reports (as its form has them)."""
        kind = self.kind_of(dept_id)
        if kind not in self._rows:
            self._rows[kind] = [Row(ind, source_of(ind) == "department") for ind in forms.reported(self.scheme, kind)]
        return self._rows[kind]

    def value_ids(self, dept_id: str) -> list[str]:
        return [r.ind.id for r in self.rows(dept_id) if r.fills]

    def rewards(self) -> list[Indicator]:
        return [i for i in self.scheme.indicators if i.method == "binary"]

    def office_ids(self) -> list[str]:
        return [i.id for i in forms.office_indicators(self.scheme)]


@dataclass(frozen=True)
class Row:
    ind: Indicator
    fills: bool  # the department gives this figure (else the experts or the office)

    @property
    def unit(self) -> str:
        if self.ind.method == "direct":
            return f"0–{self.ind.weight:g}"
        return self.ind.unit or ""


def read(folder: Path) -> Year:
    """The year in ``folder`` (scheme.yaml, departments.csv, experts.csv where present);
    :class:`InputError` when it cannot be read."""
    scheme, departments, problems = forms.read_roster(folder)
    if scheme is None:
        raise InputError(problems, str(folder))
    experts_file = folder / "experts.csv"
    experts = forms.read_experts(experts_file.read_text(encoding="utf-8-sig")) if experts_file.is_file() else []
    return Year(scheme, departments, experts, collect.Context(scheme, departments))


_current: dict = {}


def current() -> Year:
    """The site's year, read once per process and again only when one of its files changes
    (``wfscore portal init`` run again on the site adds departments)."""
    from django.conf import settings

    folder = Path(settings.YEAR_DIR)
    stamp = []
    for name in ("scheme.yaml", "departments.csv", "experts.csv"):
        try:
            st = (folder / name).stat()
            stamp.append((name, st.st_mtime_ns, st.st_size))
        except OSError:  # experts.csv is optional
            stamp.append((name, None, None))
    key = (str(folder), tuple(stamp))
    known = _current.get("year")
    if known is None or known[0] != key:
        known = _current["year"] = (key, read(folder))
    return known[1]


def check_value(ind: Indicator, text) -> tuple[str | None, str | None, str | None]:
    """A value as typed → (its number as the year's CSV writes it, or None when empty;
    what is wrong, in English and Chinese, or None), by collect's own reading."""
    if isinstance(text, bool):
        text = str(text)
    return collect.parse_number(text, collect.expect_of(ind))


def check_office_value(ind: Indicator | None, text) -> tuple[str | None, str | None, str | None]:
    """A figure the office gives: an office indicator's value, or (``ind`` None) the
    website evaluation (0–100)."""
    return collect.parse_number(text, collect.expect_of(ind) if ind is not None else collect.WEBSITE)
