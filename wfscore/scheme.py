"""The points scheme of a year: sections, categories, indicators and rules (SPEC §4).

The scheme is data. ``scheme.yaml`` is parsed with PyYAML's composer, so that every
key keeps the line it was written on, and validated with pydantic. Checks that
span the whole scheme (unique ids, points that add up, rules that name existing
ids) follow, and every problem names its line and key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal

import numpy as np
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .problems import Problem, error, warning

SOURCE = "scheme.yaml"


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
    kinds: list[Id] = Field(min_length=1)


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
    year: int
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


# ---------------------------------------------------------------------------
# Reading scheme.yaml


def _plain(node: yaml.Node) -> Any:
    """YAML node → Python, keeping scalars as written (ids stay ``"01"``)."""
    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value


def _path_text(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Lines:
    """Finds the line of a key path in the composed YAML tree."""

    def __init__(self, root: yaml.Node | None):
        self.root = root

    def __call__(self, loc: tuple) -> int | None:
        node = self.root
        line = None if node is None else node.start_mark.line + 1
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(part):
                        child = v
                        line = k.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    child = node.value[part]
                    line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line


def _duplicate_keys(node: yaml.Node | None, loc: tuple = ()) -> Iterator[tuple[tuple, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if k.value in seen:
                yield loc + (k.value,), k
            seen.add(k.value)
            yield from _duplicate_keys(v, loc + (k.value,))
    elif isinstance(node, yaml.SequenceNode):
        for n, v in enumerate(node.value):
            yield from _duplicate_keys(v, loc + (n,))


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_scheme(text: str, source: str = SOURCE) -> tuple[Scheme | None, list[Problem]]:
    """Parse and check scheme text; return the scheme (None on error) and all problems."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [error(source, f"is not valid YAML: {reason}", line=line)]
    lines = _Lines(root)

    def at(loc: tuple, message: str, value: Any = None, severity=error, **more) -> Problem:
        return severity(
            source,
            message,
            line=lines(loc),
            column=_path_text(loc) or None,
            value=None if value is None else _short(value),
            column_word="key",
            **more,
        )

    problems = [
        error(source, "is a key written twice in the same mapping (expected each key once)",
              line=node.start_mark.line + 1, column=_path_text(loc), column_word="key")
        for loc, node in _duplicate_keys(root)
    ]
    raw = _plain(root) if root is not None else None
    if not isinstance(raw, dict):
        return None, problems + [error(source, "is empty or not a mapping (expected the keys year, title, kinds, sections, rules)")]
    try:
        scheme = Scheme.model_validate(raw)
    except ValidationError as exc:
        for e in exc.errors():
            loc = tuple(e["loc"])
            if e["type"] == "missing":
                problems.append(at(loc, "is missing (expected this key)"))
            else:
                msg = e["msg"][0].lower() + e["msg"][1:]
                problems.append(at(loc, f"is invalid: {msg}", value=e.get("input")))
        return None, problems
    problems += _check(scheme, at, lines)
    if any(p.is_error for p in problems):
        return None, problems
    return scheme, problems


def _check(scheme: Scheme, at, lines: _Lines) -> list[Problem]:
    """Checks that span the scheme: ids, sums, and the ids that rules name."""
    problems: list[Problem] = []
    first_seen: dict[str, tuple] = {}

    def seen(item_id: str, loc: tuple) -> None:
        if item_id in first_seen:
            other = first_seen[item_id]
            problems.append(
                at(
                    loc + ("id",),
                    f"is used twice (also on line {lines(other + ('id',))}; expected ids unique "
                    "across sections, categories and indicators)",
                    value=item_id,
                )
            )
        else:
            first_seen[item_id] = loc

    for s_n, s in enumerate(scheme.sections):
        s_loc = ("sections", s_n)
        seen(s.id, s_loc)
        cat_sum = 0.0
        for c_n, c in enumerate(s.categories):
            c_loc = s_loc + ("categories", c_n)
            seen(c.id, c_loc)
            cat_sum += c.points
            weights = 0.0
            for i_n, i in enumerate(c.indicators):
                seen(i.id, c_loc + ("indicators", i_n))
                weights += i.weight
            if not math.isclose(weights, c.points, rel_tol=1e-9, abs_tol=1e-9):
                problems.append(
                    at(
                        c_loc + ("points",),
                        f"are the points of category {c.id}, but its indicators' weights add "
                        f"up to {weights:g} (expected equal)",
                        value=f"{c.points:g}",
                    )
                )
        if not math.isclose(cat_sum, s.points, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(
                at(
                    s_loc + ("points",),
                    f"are the points of section {s.id}, but its categories' points add up "
                    f"to {cat_sum:g} (expected equal)",
                    value=f"{s.points:g}",
                )
            )

    categories = {c.id: c for c in scheme.categories}
    rules = scheme.rules
    if rules.website_evaluation is not None:
        rule = rules.website_evaluation
        if rule.category not in categories:
            problems.append(
                at(("rules", "website_evaluation", "category"), "is not a category of the scheme "
                   f"(expected one of {', '.join(categories)})", value=rule.category)
            )
        for n, kind in enumerate(rule.kinds):
            if kind not in scheme.kinds:
                problems.append(
                    at(("rules", "website_evaluation", "kinds", n), "is not a kind of the scheme "
                       f"(expected one of {', '.join(scheme.kinds)})", value=kind)
                )
    if rules.security_incident is not None:
        rule = rules.security_incident
        if rule.category not in categories:
            problems.append(
                at(("rules", "security_incident", "category"), "is not a category of the scheme "
                   f"(expected one of {', '.join(categories)})", value=rule.category)
            )
        else:
            own = [i.id for i in categories[rule.category].indicators]
            for n, ind in enumerate(rule.indicators or []):
                if ind not in own:
                    problems.append(
                        at(("rules", "security_incident", "indicators", n),
                           f"is not an indicator of category {rule.category} "
                           f"(expected one of {', '.join(own)})", value=ind)
                    )

    for loc, model in _models(scheme):
        for key in (model.model_extra or {}):
            problems.append(at(loc + (key,), "is not a key wfscore knows; it is ignored",
                               severity=warning, message_zh="不是 wfscore 认识的键，已忽略"))
    return problems


def _models(scheme: Scheme) -> Iterator[tuple[tuple, BaseModel]]:
    yield (), scheme
    yield ("rules",), scheme.rules
    for name in ("website_evaluation", "security_incident", "excellence", "conversion", "index_base"):
        sub = getattr(scheme.rules, name)
        if isinstance(sub, BaseModel):
            yield ("rules", name), sub
    for kind_id, kind in scheme.kinds.items():
        yield ("kinds", kind_id), kind
    for s_n, s in enumerate(scheme.sections):
        yield ("sections", s_n), s
        for c_n, c in enumerate(s.categories):
            yield ("sections", s_n, "categories", c_n), c
            for i_n, i in enumerate(c.indicators):
                yield ("sections", s_n, "categories", c_n, "indicators", i_n), i


def read_scheme(path: Path | str) -> Scheme:
    """Read a ``scheme.yaml`` on its own; raise :class:`InputError` on any error."""
    from .problems import InputError

    path = Path(path)
    scheme, problems = parse_scheme(path.read_text(encoding="utf-8"), source=path.name)
    if scheme is None:
        raise InputError(problems, str(path))
    return scheme
