"""The points scheme of a year: sections, categories, indicators and rules (SPEC §4).

The scheme is data: plain dataclasses of ``scheme.yaml``, and the same scheme flattened
into numpy arrays for the scoring maths (:class:`SchemeArrays`).

Reading a scheme takes two ways (:func:`quick_scheme`). A scheme whose every value is
plainly what SPEC §4 asks for (a word where a word is asked, digits where a number is)
is read here, in plain Python: importing and building pydantic models would cost a
``wfscore score`` more than reading and scoring the year. Anything else (a
missing key, a value to convert, a value out of range) is left to the pydantic models of
:mod:`wfscore.inputs.scheme_models`, which accept what pydantic accepts and word every
problem; what they accept is then read here from their output. A test keeps the two
ways in step: whatever the quick way reads, pydantic reads the same.

Built directly in code (``IndexBase(percentile=95)``), a model is not checked:
checking is the reading's job.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import yaml

from wfscore.inputs.params import check_year

METHODS = ("index", "direct", "binary")
DIRECTIONS = ("higher", "lower")
SOURCES = ("department", "experts", "office", "monitoring")
# What an indicator of ``source: monitoring`` takes from the office's monitoring
# (:mod:`wfscore.inputs.monitoring.figures`): the share of website probes that were ok,
# the share on a .gov.cn host, items handled online / items in all, logins.
MEASURES = ("availability", "gov_cn", "online_rate", "logins")
NOT_APPLICABLE = ("category", "section", "none")
MAJOR_INCIDENT = ("disqualify", "none")
RATINGS = ("trimmed_mean", "mean", "median")


def _new(default: Any = None) -> Any:
    # A key added after the first schemes: left out of a dump while unset, so that a
    # scheme without it dumps (and fingerprints, ``forms.scheme_hash``) as it always has.
    return field(default=default, metadata={"omit_unset": True})


def _extra() -> Any:
    # Unknown keys are kept and reported as warnings, so a scheme with extra notes
    # still loads; a misspelt required key still fails as "missing".
    return field(default_factory=dict, compare=False, repr=False)


class Model:
    """What every part of a scheme can do: be copied, and be dumped to plain data."""

    model_extra: dict[str, Any]

    def model_copy(self, *, deep: bool = False):
        """A copy; with ``deep``, one that shares nothing with this one."""
        return copy.deepcopy(self) if deep else copy.copy(self)

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The model as plain data (dicts, lists, str, numbers), unknown keys last, as
        ``scheme.yaml`` has it; every value is JSON already, so ``mode`` changes nothing."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name != "model_extra":
                value = _dump(getattr(self, f.name), exclude_none)
                if f.metadata.get("omit_unset") and value is None:
                    continue
                if value is not None or not exclude_none:
                    out[f.name] = value
        for key, value in self.model_extra.items():
            if value is not None or not exclude_none:
                out[key] = value
        return out


def _dump(value: Any, exclude_none: bool) -> Any:
    if isinstance(value, Model):
        return value.model_dump(exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump(v, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, exclude_none) for k, v in value.items()}
    return value


@dataclass(kw_only=True)
class Indicator(Model):
    id: str
    name: str
    name_en: str | None = None
    weight: float
    method: Literal["index", "direct", "binary"] = "index"
    direction: Literal["higher", "lower"] = "higher"
    text: str | None = None
    unit: str | None = None
    note: str | None = None
    # Who supplies the figure: the department's self-check table, the expert panel's
    # rating sheets, or the office's own figures. None: the default of source_of().
    source: Literal["department", "experts", "office", "monitoring"] | None = None
    # With ``source: monitoring``: which figure of the monitoring is the value (MEASURES).
    measure: Literal["availability", "gov_cn", "online_rate", "logins"] | None = _new()
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Category(Model):
    id: str
    name: str
    name_en: str | None = None
    points: float
    indicators: list[Indicator]
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Section(Model):
    id: str
    name: str
    name_en: str | None = None
    points: float
    categories: list[Category]
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Kind(Model):
    name: str
    name_en: str | None = None
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class WebsiteEvaluation(Model):
    category: str
    kinds: list[str]  # may be empty: no kind takes the evaluation that year (SPEC §4)
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class SecurityIncident(Model):
    category: str
    # Optional narrowing to some indicators of the category; the default zeroes
    # the whole category, as the 2011 notice does (SPEC §5.6).
    indicators: list[str] | None = None
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Excellence(Model):
    share: float
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Conversion(Model):
    points: float
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class IndexBase(Model):
    # The composite index divides by the best value (max, or min when lower is
    # better). An analysis option, not in the 2011 notice: a percentile instead,
    # with scores capped at the weight, shows what one outlier does.
    percentile: float
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Rules(Model):
    not_applicable: Literal["category", "section", "none"] = "category"
    website_evaluation: WebsiteEvaluation | None = None
    security_incident: SecurityIncident | None = None
    major_incident: Literal["disqualify", "none"] = "disqualify"
    ratings: Literal["trimmed_mean", "mean", "median"] = "trimmed_mean"
    rank_precision: int = 2
    excellence: Excellence | None = None
    conversion: Conversion | None = None
    index_base: Literal["max"] | IndexBase = "max"
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Monitoring(Model):
    """The office's monitoring through the year (README, "Monitoring"): the period its
    figures cover (default: the scheme's year), the unified site mark a department's
    home page should show, the availability (percent) below which the report lists a
    department, and per system the columns of its export (field → column header)."""

    start: str | None = None  # ISO dates, both ends included
    end: str | None = None
    mark: str | None = None
    threshold: float = 95.0
    systems: dict[str, dict[str, str]] = field(default_factory=dict)
    model_extra: dict[str, Any] = _extra()


@dataclass(kw_only=True)
class Scheme(Model):
    year: int
    title: str
    title_en: str | None = None
    kinds: dict[str, Kind]
    sections: list[Section]
    rules: Rules = field(default_factory=Rules)
    monitoring: Monitoring | None = _new()
    model_extra: dict[str, Any] = _extra()

    # -- navigation ---------------------------------------------------------
    @property
    def categories(self) -> list[Category]:
        return [c for s in self.sections for c in s.categories]

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.categories for i in c.indicators]

    @property
    def total_points(self) -> float:
        return sum(s.points for s in self.sections)

    def indicator(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]  # type: ignore[return-value]

    def category(self, category_id: str) -> Category:
        return self._by_id[category_id]  # type: ignore[return-value]

    def section(self, section_id: str) -> Section:
        return self._by_id[section_id]  # type: ignore[return-value]

    @property
    def _by_id(self) -> dict[str, Section | Category | Indicator]:
        found: dict[str, Section | Category | Indicator] = {}
        for s in self.sections:
            found[s.id] = s
            for c in s.categories:
                found[c.id] = c
                for i in c.indicators:
                    found[i.id] = i
        return found

    def category_of(self, indicator_id: str) -> Category:
        return next(c for c in self.categories if any(i.id == indicator_id for i in c.indicators))

    def kind_name(self, kind: str, lang: str = "zh") -> str:
        k = self.kinds.get(kind)
        if k is None:
            return kind
        return (k.name_en or kind) if lang == "en" else k.name

    @property
    def arrays(self) -> "SchemeArrays":
        """The scheme as numpy arrays, computed afresh on each call (the scheme may
        have been edited since): keep the result rather than calling it in a loop."""
        return SchemeArrays.of(self)

    # -- output -------------------------------------------------------------
    def to_yaml(self) -> str:
        """The scheme as ``scheme.yaml`` text that loads back to an equal scheme."""
        data = self.model_dump(mode="json", exclude_none=True)
        for kind_id, kind in data["kinds"].items():
            if set(kind) == {"name"}:
                data["kinds"][kind_id] = kind["name"]
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def source_of(indicator: Indicator) -> str:
    """Who supplies ``indicator``'s figure (README, "Collecting a year's inputs").

    The scheme's ``source`` when given; otherwise: ``binary`` → ``department`` (the
    achievements it claims); ``direct`` → ``office`` (points the office gives, like the
    self-check's); ``index`` with a ``unit`` → ``department`` (a measured quantity it
    reports); ``index`` without one → ``experts`` (a qualitative indicator the panel rates).
    """
    if indicator.source is not None:
        return indicator.source
    if indicator.method == "binary":
        return "department"
    if indicator.method == "direct":
        return "office"
    return "department" if indicator.unit else "experts"


def label(item: Section | Category | Indicator | Kind, lang: str = "zh") -> str:
    """The item's name in the report language: Chinese, or English where given."""
    if lang == "en" and item.name_en:
        return item.name_en
    return item.name


# -- the quick reading -----------------------------------------------------------------------


class _Refused(Exception):
    """The quick reading leaves this scheme to the pydantic models."""


_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_WHOLE = re.compile(r"0|[1-9][0-9]*")


def _number(value: Any) -> float:
    if isinstance(value, str) and len(value) <= 40 and _DECIMAL.fullmatch(value):
        number = float(value)
    elif isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**300):
        number = float(value)
    else:
        raise _Refused
    if not math.isfinite(number):
        raise _Refused
    return number


def _points(value: Any) -> float:
    number = _number(value)
    if not number > 0:
        raise _Refused
    return number


def _whole(value: Any) -> int:
    if isinstance(value, str) and len(value) <= 18 and _WHOLE.fullmatch(value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _Refused


def _id(value: Any) -> str:
    if isinstance(value, str):
        value = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    else:
        raise _Refused
    if not value:
        raise _Refused
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Refused
    return value


def _one_of(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices or not isinstance(value, str):
        raise _Refused
    return value


def _list(value: Any, item, at_least: int = 1) -> list:
    if not isinstance(value, list) or len(value) < at_least:
        raise _Refused
    return [item(v) for v in value]


def _optional(item):
    return lambda value: None if value is None else item(value)


def _model(cls: type, value: Any, readers: dict[str, Any], required: tuple[str, ...] = ()) -> Any:
    """``cls`` from the mapping ``value``: each known key read by its reader, a key left
    out taking its default, every other key kept in ``model_extra``."""
    if not isinstance(value, dict) or not all(key in value for key in required):
        raise _Refused
    known = {key: read(value[key]) for key, read in readers.items() if key in value}
    extra = {key: v for key, v in value.items() if key not in readers}
    return cls(**known, model_extra=extra)


_NAMES = {"name": _text, "name_en": _optional(_text)}


def _indicator(value: Any) -> Indicator:
    return _model(
        Indicator,
        value,
        {
            "id": _id,
            **_NAMES,
            "weight": _points,
            "method": lambda v: _one_of(v, METHODS),
            "direction": lambda v: _one_of(v, DIRECTIONS),
            "text": _optional(_text),
            "unit": _optional(_text),
            "note": _optional(_text),
            "source": _optional(lambda v: _one_of(v, SOURCES)),
            "measure": _optional(lambda v: _one_of(v, MEASURES)),
        },
        ("id", "name", "weight"),
    )


def _category(value: Any) -> Category:
    return _model(
        Category,
        value,
        {"id": _id, **_NAMES, "points": _points, "indicators": lambda v: _list(v, _indicator)},
        ("id", "name", "points", "indicators"),
    )


def _section(value: Any) -> Section:
    return _model(
        Section,
        value,
        {"id": _id, **_NAMES, "points": _points, "categories": lambda v: _list(v, _category)},
        ("id", "name", "points", "categories"),
    )


def _kinds(value: Any) -> dict[str, Kind]:
    if not isinstance(value, dict) or not value:
        raise _Refused
    kinds = {}
    for key, kind in value.items():
        key = _id(key)
        if key in kinds:  # two keys the same once stripped
            raise _Refused
        kinds[key] = Kind(name=kind) if isinstance(kind, str) else _model(Kind, kind, _NAMES, ("name",))
    return kinds


def _share(value: Any) -> float:
    share = _number(value)
    if not 0 < share <= 1:
        raise _Refused
    return share


def _percentile(value: Any) -> float:
    percentile = _number(value)
    if not 0 < percentile < 100:
        raise _Refused
    return percentile


def _precision(value: Any) -> int:
    precision = _whole(value)
    if not 0 <= precision <= 6:
        raise _Refused
    return precision


def _index_base(value: Any) -> str | IndexBase:
    if value == "max" and isinstance(value, str):
        return "max"
    return _model(IndexBase, value, {"percentile": _percentile}, ("percentile",))


def _rules(value: Any) -> Rules:
    return _model(
        Rules,
        value,
        {
            "not_applicable": lambda v: _one_of(v, NOT_APPLICABLE),
            "website_evaluation": _optional(
                lambda v: _model(
                    WebsiteEvaluation, v, {"category": _id, "kinds": lambda k: _list(k, _id, 0)}, ("category", "kinds")
                )
            ),
            "security_incident": _optional(
                lambda v: _model(
                    SecurityIncident,
                    v,
                    {"category": _id, "indicators": _optional(lambda k: _list(k, _id, 0))},
                    ("category",),
                )
            ),
            "major_incident": lambda v: _one_of(v, MAJOR_INCIDENT),
            "ratings": lambda v: _one_of(v, RATINGS),
            "rank_precision": _precision,
            "excellence": _optional(lambda v: _model(Excellence, v, {"share": _share}, ("share",))),
            "conversion": _optional(lambda v: _model(Conversion, v, {"points": _points}, ("points",))),
            "index_base": _index_base,
        },
    )


def _date(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise _Refused from None
    raise _Refused


def _percent(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 100:
        raise _Refused
    return number


def _columns(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise _Refused
    return {_id(k): _text(v) for k, v in value.items()}


def _systems(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise _Refused
    return {_id(k): _columns(v) for k, v in value.items()}


def _monitoring(value: Any) -> Monitoring:
    return _model(
        Monitoring,
        value,
        {
            "start": _optional(_date),
            "end": _optional(_date),
            "mark": _optional(_text),
            "threshold": _percent,
            "systems": _systems,
        },
    )


def _year(value: Any) -> int:
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}", value):
        raise _Refused
    try:
        return check_year(_whole(value))
    except ValueError:
        raise _Refused from None


def quick_scheme(raw: Any) -> Scheme | None:
    """The scheme of ``raw`` (``scheme.yaml`` as plain data) when every value in it is
    plainly what SPEC §4 asks for; None leaves it to the full check of
    :func:`wfscore.inputs.scheme_models.check`. Checks across the scheme (unique ids,
    sums, the ids the rules name) are not made here: see
    :mod:`wfscore.inputs.scheme_yaml`."""
    try:
        return _model(
            Scheme,
            raw,
            {
                "year": _year,
                "title": _text,
                "title_en": _optional(_text),
                "kinds": _kinds,
                "sections": lambda v: _list(v, _section),
                "rules": _rules,
                "monitoring": _optional(_monitoring),
            },
            ("year", "title", "kinds", "sections"),
        )
    except _Refused:
        return None


@dataclass(frozen=True)
class SchemeArrays:
    """The scheme flattened into numpy arrays, in scheme order, for the scoring maths.

    ``in_category`` (indicators × categories) and ``in_section`` (indicators ×
    sections) are 0/1 matrices, so sums per category or section are one matrix
    product that broadcasts over any leading axes.
    """

    indicator_ids: tuple[str, ...]
    category_ids: tuple[str, ...]
    section_ids: tuple[str, ...]
    position: dict[str, int]
    weight: np.ndarray
    category_of: np.ndarray
    section_of: np.ndarray
    section_of_category: np.ndarray
    in_category: np.ndarray
    in_section: np.ndarray
    category_in_section: np.ndarray
    is_index: np.ndarray
    is_direct: np.ndarray
    is_binary: np.ndarray
    lower_is_better: np.ndarray
    website: np.ndarray
    security: np.ndarray
    website_kinds: frozenset[str]
    category_bounds: np.ndarray  # category c is indicators category_bounds[c]:category_bounds[c+1]
    section_bounds: np.ndarray  # section s is categories section_bounds[s]:section_bounds[s+1]

    @classmethod
    def of(cls, scheme: Scheme) -> "SchemeArrays":
        cats = scheme.categories
        inds = scheme.indicators
        ind_ids = tuple(i.id for i in inds)
        cat_of = np.array([ci for ci, c in enumerate(cats) for _ in c.indicators], dtype=np.intp)
        sec_of_cat = np.array([si for si, s in enumerate(scheme.sections) for _ in s.categories], dtype=np.intp)
        n_i, n_c, n_s = len(inds), len(cats), len(scheme.sections)
        in_cat = np.zeros((n_i, n_c))
        in_cat[np.arange(n_i), cat_of] = 1.0
        cat_in_sec = np.zeros((n_c, n_s))
        cat_in_sec[np.arange(n_c), sec_of_cat] = 1.0
        methods = np.array([i.method for i in inds])
        rules = scheme.rules
        website = np.zeros(n_i, dtype=bool)
        kinds: frozenset[str] = frozenset()
        if rules.website_evaluation is not None:
            website = np.array([cats[c].id == rules.website_evaluation.category for c in cat_of])
            kinds = frozenset(rules.website_evaluation.kinds)
        security = np.zeros(n_i, dtype=bool)
        if rules.security_incident is not None:
            rule = rules.security_incident
            security = np.array(
                [
                    cats[c].id == rule.category and (rule.indicators is None or i in rule.indicators)
                    for c, i in zip(cat_of, ind_ids)
                ]
            )
        return cls(
            indicator_ids=ind_ids,
            category_ids=tuple(c.id for c in cats),
            section_ids=tuple(s.id for s in scheme.sections),
            position={i: n for n, i in enumerate(ind_ids)},
            weight=np.array([i.weight for i in inds], dtype=float),
            category_of=cat_of,
            section_of=sec_of_cat[cat_of],
            section_of_category=sec_of_cat,
            in_category=in_cat,
            in_section=in_cat @ cat_in_sec,
            category_in_section=cat_in_sec,
            is_index=methods == "index",
            is_direct=methods == "direct",
            is_binary=methods == "binary",
            lower_is_better=np.array([i.direction == "lower" for i in inds]) & (methods == "index"),
            website=website,
            security=security,
            website_kinds=kinds,
            category_bounds=np.searchsorted(cat_of, np.arange(n_c + 1)),
            section_bounds=np.searchsorted(sec_of_cat, np.arange(n_s + 1)),
        )
