"""Reading ``scheme.yaml``: parsing with line numbers, and the checks across the scheme.

PyYAML's composer keeps every key's line; the mapping is then read into the models of
:mod:`wfscore.inputs.scheme` (by its quick reading, or, for a scheme it leaves alone, by the
pydantic models of :mod:`wfscore.inputs.scheme_models`, whose messages are the ones
reported). Checks that span the whole scheme (unique ids, points that add up, rules that
name existing ids) follow, and every problem names its line and key.

The text is parsed by libyaml (PyYAML's C parser) when PyYAML has it: a tenth of the
time of the pure-Python one. A scheme with any problem at all is read again by the
pure-Python parser, whose problems are the ones reported, so that every message and
line is the same with or without libyaml.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterator

import yaml

from wfscore.inputs.files import MAX_SCHEME_BYTES, decode, read_file
from wfscore.inputs.problems import InputError, Problem, error, warning
from wfscore.inputs.scheme import Model, Scheme, quick_scheme
from wfscore.inputs.text_checks import control_in_text

SOURCE = "scheme.yaml"
MAX_DEPTH = 32  # nested lists and mappings; the 2011 scheme needs 7


class _TooDeep(yaml.YAMLError):
    def __init__(self, mark):
        super().__init__()
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """The safe loader, stopping at the first ``[`` or ``{`` nested deeper than
    MAX_DEPTH: PyYAML's scanner keeps one possible key per open bracket and looks them
    all over at each token, so deep flow nesting costs it the square of the depth."""

    def fetch_flow_collection_start(self, TokenClass):
        if self.flow_level >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


def _too_deep(line: int | None, source: str) -> Problem:
    return error(
        source, f"nests lists and mappings more than {MAX_DEPTH} deep (expected the shape of SPEC §4)", line=line
    )


def _shape_problem(text: str, source: str, loader: type = _Loader) -> Problem | None:
    """The first thing in ``text`` that wfscore does not read, found from the parser's
    events before any document is built: an anchor or alias (``&a``, ``*a``: they can
    expand a small file into a huge one, or into a loop), a list or mapping used as a
    key, nesting deeper than MAX_DEPTH, or a YAML syntax error. Fast and flat: the
    events are read one by one, never recursively."""
    stack: list[list] = []  # per open collection: [is_mapping, items so far]

    def at(event, message: str) -> Problem:
        return error(source, message, line=event.start_mark.line + 1)

    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                return at(
                    event,
                    f"uses the alias *{event.anchor} (expected plain YAML without anchors "
                    "and aliases: write each value out)",
                )
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if event.anchor is not None:
                    return at(
                        event,
                        f"uses the anchor &{event.anchor} (expected plain YAML without anchors "
                        "and aliases: write each value out)",
                    )
                if stack:
                    top = stack[-1]
                    if top[0] and top[1] % 2 == 0 and not isinstance(event, yaml.ScalarEvent):
                        return at(
                            event, "has a list or mapping as a key (expected keys that are plain words or numbers)"
                        )
                    top[1] += 1
                if not isinstance(event, yaml.ScalarEvent):
                    stack.append([isinstance(event, yaml.MappingStartEvent), 0])
                    if len(stack) > MAX_DEPTH:
                        return _too_deep(event.start_mark.line + 1, source)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
    except _TooDeep as exc:
        return _too_deep(exc.problem_mark.line + 1, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        return error(source, f"is not valid YAML: {reason}", line=mark.line + 1 if mark is not None else None)
    return None


def _plain(node: yaml.Node) -> Any:
    """YAML node → Python, keeping scalars as written (ids stay ``"01"``)."""
    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value


def _controls(root: yaml.Node | None, source: str) -> list[Problem]:
    """An error for every scalar holding a control character (written as an escape such
    as ``"\\x1b"``: the YAML reader itself refuses them raw)."""
    problems = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node.value, str):
            found = control_in_text(node.value)
            if found:
                start = max(0, found.start() - 20)
                problems.append(
                    error(
                        source,
                        f"has a control character (U+{ord(found.group()):04X}), which no one "
                        "types on purpose (expected plain text: no control, escape or text-direction "
                        "characters)",
                        line=node.start_mark.line + 1,
                        value=node.value[start : found.start() + 20],
                    )
                )
    return problems


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
    if len(text) > MAX_SCHEME_BYTES:
        return None, [
            error(source, f"is {len(text):,} characters long (expected a scheme of at most {MAX_SCHEME_BYTES:,})")
        ]
    # libyaml takes some tabs, and a "?" after a word in {...}, where PyYAML refuses them
    if getattr(yaml, "__with_libyaml__", False) and "\t" not in text and "?" not in text:
        scheme, problems = _parse(text, source, yaml.CSafeLoader)
        if scheme is not None and not problems:
            return scheme, problems
    return _parse(text, source, _Loader)  # what the problems are is said by the pure-Python parser


def _parse(text: str, source: str, loader: type) -> tuple[Scheme | None, list[Problem]]:
    shape = _shape_problem(text, source, loader)
    if shape is not None:
        return None, [shape]
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [error(source, f"is not valid YAML: {reason}", line=line)]
    controls = _controls(root, source)
    if controls:
        return None, controls
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
        error(
            source,
            "is a key written twice in the same mapping (expected each key once)",
            line=node.start_mark.line + 1,
            column=_path_text(loc),
            column_word="key",
        )
        for loc, node in _duplicate_keys(root)
    ]
    raw = _plain(root) if root is not None else None
    if not isinstance(raw, dict):
        return None, problems + [
            error(source, "is empty or not a mapping (expected the keys year, title, kinds, sections, rules)")
        ]
    scheme = quick_scheme(raw)
    if scheme is None:
        from wfscore.inputs.scheme_models import check

        scheme, errors = check(raw)
        for e in errors:
            loc = tuple(e["loc"])
            if e["type"] == "missing":
                problems.append(at(loc, "is missing (expected this key)"))
            elif e["type"] == "value_error":  # our own validators' messages, as written
                problems.append(at(loc, f"is invalid: {e.get('ctx', {}).get('error', e['msg'])}", value=e.get("input")))
            else:
                msg = e["msg"][0].lower() + e["msg"][1:]
                problems.append(at(loc, f"is invalid: {msg}", value=e.get("input")))
        if scheme is None:
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
                at(
                    ("rules", "website_evaluation", "category"),
                    f"is not a category of the scheme (expected one of {', '.join(categories)})",
                    value=rule.category,
                )
            )
        for n, kind in enumerate(rule.kinds):
            if kind not in scheme.kinds:
                problems.append(
                    at(
                        ("rules", "website_evaluation", "kinds", n),
                        f"is not a kind of the scheme (expected one of {', '.join(scheme.kinds)})",
                        value=kind,
                    )
                )
    if rules.security_incident is not None:
        rule = rules.security_incident
        if rule.category not in categories:
            problems.append(
                at(
                    ("rules", "security_incident", "category"),
                    f"is not a category of the scheme (expected one of {', '.join(categories)})",
                    value=rule.category,
                )
            )
        else:
            own = [i.id for i in categories[rule.category].indicators]
            for n, ind in enumerate(rule.indicators or []):
                if ind not in own:
                    problems.append(
                        at(
                            ("rules", "security_incident", "indicators", n),
                            f"is not an indicator of category {rule.category} (expected one of {', '.join(own)})",
                            value=ind,
                        )
                    )

    problems += _check_monitoring(scheme, at)
    for loc, model in _models(scheme):
        for key in model.model_extra or {}:
            problems.append(
                at(
                    loc + (key,),
                    "is not a key wfscore knows; it is ignored",
                    severity=warning,
                    message_zh="不是 wfscore 认识的键，已忽略",
                )
            )
    return problems


def _check_monitoring(scheme: Scheme, at) -> list[Problem]:
    """An indicator of ``source: monitoring`` names its ``measure`` and is scored by the
    composite index (its figure is a share or a count, not points); a ``measure`` stands
    only with that source; the monitoring period runs forwards."""
    problems: list[Problem] = []
    for s_n, s in enumerate(scheme.sections):
        for c_n, c in enumerate(s.categories):
            for i_n, i in enumerate(c.indicators):
                loc = ("sections", s_n, "categories", c_n, "indicators", i_n)
                if i.source == "monitoring" and i.measure is None:
                    problems.append(
                        at(
                            loc + ("source",),
                            "needs a measure beside it (expected measure: availability, gov_cn, online_rate or logins)",
                            value=i.source,
                        )
                    )
                elif i.source == "monitoring" and i.method != "index":
                    problems.append(
                        at(
                            loc + ("method",),
                            "is not index, which an indicator of source monitoring "
                            "takes (its figure is a share or a count, not points)",
                            value=i.method,
                        )
                    )
                elif i.measure is not None and i.source != "monitoring":
                    problems.append(
                        at(
                            loc + ("measure",),
                            "is given for an indicator whose source is not "
                            "monitoring (expected source: monitoring beside it, or no measure)",
                            value=i.measure,
                        )
                    )
    m = scheme.monitoring
    if m is not None and m.start and m.end and m.start > m.end:
        problems.append(
            at(
                ("monitoring", "end"),
                f"is before the start {m.start} (expected the period's last day, on or after its first)",
                value=m.end,
            )
        )
    return problems


def _models(scheme: Scheme) -> Iterator[tuple[tuple, Model]]:
    yield (), scheme
    yield ("rules",), scheme.rules
    if scheme.monitoring is not None:
        yield ("monitoring",), scheme.monitoring
    for name in ("website_evaluation", "security_incident", "excellence", "conversion", "index_base"):
        sub = getattr(scheme.rules, name)
        if isinstance(sub, Model):
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
    path = Path(path)
    raw, problem = read_file(path, path.name, "a scheme, a YAML text file", MAX_SCHEME_BYTES)
    text = None
    if problem is None:
        text, _, problem = decode(raw, path.name)
    if problem is not None:
        raise InputError([problem], str(path))
    scheme, problems = parse_scheme(text, source=path.name)
    if scheme is None:
        raise InputError(problems, str(path))
    return scheme
