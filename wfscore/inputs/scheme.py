"""The points scheme of a year: sections, categories, indicators and rules (SPEC §4).

The scheme is data: pydantic models of ``scheme.yaml`` (read and checked by
:mod:`wfscore.inputs.scheme_yaml`), and the same scheme flattened into numpy arrays for the
scoring maths (:class:`SchemeArrays`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from wfscore.inputs.params import check_year


def _as_id(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_as_id), Field(min_length=1)]
Points = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Model(BaseModel):
    # Unknown keys are kept and reported as warnings, so a scheme with extra notes
    # still loads; a misspelt required key still fails as "missing".
    model_config = ConfigDict(extra="allow")


class Indicator(_Model):
    id: Id
    name: str
    name_en: str | None = None
    weight: Points
    method: Literal["index", "direct", "binary"] = "index"
    direction: Literal["higher", "lower"] = "higher"
    text: str | None = None
    unit: str | None = None
    note: str | None = None
    # Who supplies the figure: the department's self-check table, the expert panel's
    # rating sheets, or the office's own figures. None: the default of source_of().
    source: Literal["department", "experts", "office"] | None = None


class Category(_Model):
    id: Id
    name: str
    name_en: str | None = None
    points: Points
    indicators: list[Indicator] = Field(min_length=1)


class Section(_Model):
    id: Id
    name: str
    name_en: str | None = None
    points: Points
    categories: list[Category] = Field(min_length=1)


class Kind(_Model):
    name: str
    name_en: str | None = None


def _as_kind(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class WebsiteEvaluation(_Model):
    category: Id
    kinds: list[Id]  # may be empty: no kind takes the evaluation that year (SPEC §4)


class SecurityIncident(_Model):
    category: Id
    # Optional narrowing to some indicators of the category; the default zeroes
    # the whole category, as the 2011 notice does (SPEC §5.6).
    indicators: list[Id] | None = None


class Excellence(_Model):
    share: float = Field(gt=0, le=1)


class Conversion(_Model):
    points: Points


class IndexBase(_Model):
    # The composite index divides by the best value (max, or min when lower is
    # better). An analysis option, not in the 2011 notice: a percentile instead,
    # with scores capped at the weight, shows what one outlier does.
    percentile: float = Field(gt=0, lt=100)


class Rules(_Model):
    not_applicable: Literal["category", "section", "none"] = "category"
    website_evaluation: WebsiteEvaluation | None = None
    security_incident: SecurityIncident | None = None
    major_incident: Literal["disqualify", "none"] = "disqualify"
    ratings: Literal["trimmed_mean", "mean", "median"] = "trimmed_mean"
    rank_precision: int = Field(2, ge=0, le=6)
    excellence: Excellence | None = None
    conversion: Conversion | None = None
    index_base: Literal["max"] | IndexBase = "max"


class Scheme(_Model):
    year: Annotated[int, AfterValidator(check_year)]  # the one rule for a year, shared with every command
    title: str
    title_en: str | None = None
    kinds: dict[Id, Annotated[Kind, BeforeValidator(_as_kind)]] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    rules: Rules = Field(default_factory=Rules)

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


SOURCES = ("department", "experts", "office")


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
    section_bounds: np.ndarray   # section s is categories section_bounds[s]:section_bounds[s+1]

    @classmethod
    def of(cls, scheme: Scheme) -> "SchemeArrays":
        cats = scheme.categories
        inds = scheme.indicators
        ind_ids = tuple(i.id for i in inds)
        cat_of = np.array([ci for ci, c in enumerate(cats) for _ in c.indicators], dtype=np.intp)
        sec_of_cat = np.array(
            [si for si, s in enumerate(scheme.sections) for _ in s.categories], dtype=np.intp
        )
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
