"""The scheme's shape as pydantic models: what ``scheme.yaml`` must look like, and
pydantic's words for whatever does not.

Imported only when :func:`wfscore.inputs.scheme.quick_scheme` leaves a scheme to them:
one with a missing key, a value to convert (``1e3``, ``" 2011 "``) or a value out of
range. What they accept is read into the plain models of :mod:`wfscore.inputs.scheme`,
which declare the same keys with the same defaults (a test keeps the two in step).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_serializer

from wfscore.inputs import scheme as plain
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
    # unknown keys are kept (and warned of), as the plain models keep them
    model_config = ConfigDict(extra="allow")
    # keys added after the first schemes, left out of a dump while unset (as the plain models do)
    _omit_unset: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        out = handler(self)
        for key in self._omit_unset:
            if isinstance(out, dict) and out.get(key, 0) is None:
                del out[key]
        return out


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
    source: Literal["department", "experts", "office", "monitoring"] | None = None
    measure: Literal["availability", "gov_cn", "online_rate", "logins"] | None = None
    _omit_unset: ClassVar[tuple[str, ...]] = ("measure",)


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
    kinds: list[Id]


class SecurityIncident(_Model):
    category: Id
    indicators: list[Id] | None = None


class Excellence(_Model):
    share: float = Field(gt=0, le=1)


class Conversion(_Model):
    points: Points


class IndexBase(_Model):
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


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        try:
            if len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError("is not a date (expected a date like 2011-01-01)") from None
    return value


Date = Annotated[str, BeforeValidator(_as_date)]


class Monitoring(_Model):
    start: Date | None = None
    end: Date | None = None
    mark: str | None = None
    threshold: float = Field(95.0, ge=0, le=100, allow_inf_nan=False)
    systems: dict[Id, Annotated[dict[Id, str], Field(min_length=1)]] = Field(default_factory=dict)


class Scheme(_Model):
    year: Annotated[int, AfterValidator(check_year)]  # the one rule for a year, shared with every command
    title: str
    title_en: str | None = None
    kinds: dict[Id, Annotated[Kind, BeforeValidator(_as_kind)]] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    rules: Rules = Field(default_factory=Rules)
    monitoring: Monitoring | None = None
    _omit_unset: ClassVar[tuple[str, ...]] = ("monitoring",)


def check(raw: Any) -> tuple[plain.Scheme | None, list[dict[str, Any]]]:
    """``raw`` checked by the models: the plain scheme and no errors, or None and every
    error as pydantic gives them (``loc``, ``type``, ``msg``, ``input``, ``ctx``)."""
    try:
        model = Scheme.model_validate(raw)
    except ValidationError as exc:
        return None, exc.errors()
    scheme = plain.quick_scheme(model.model_dump())
    if scheme is None:  # the quick reading refuses a value pydantic has already converted
        raise AssertionError(f"a scheme the models accept is refused by the quick reading: {raw!r:.200}")
    return scheme, []
