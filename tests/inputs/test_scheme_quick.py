"""The two ways of reading a scheme agree: the quick reading of plain values
(:func:`wfscore.inputs.scheme.quick_scheme`) and the pydantic models
(:mod:`wfscore.inputs.scheme_models`). Whatever the quick way reads, the models read the
same; whatever the models accept, the plain models hold."""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import ROOT, SAMPLE, TINY
from wfscore.inputs import scheme, scheme_models
from wfscore.inputs.scheme_yaml import _plain, parse_scheme

CLASSES = (
    "Indicator",
    "Category",
    "Section",
    "Kind",
    "WebsiteEvaluation",
    "SecurityIncident",
    "Excellence",
    "Conversion",
    "IndexBase",
    "Rules",
    "Monitoring",
    "Scheme",
)
FOLDERS = sorted(p.parent for p in [*ROOT.glob("data/*/scheme.yaml"), TINY / "scheme.yaml"])


@functools.lru_cache(maxsize=None)
def _composed(folder) -> dict:
    return _plain(
        yaml.compose(
            (folder / "scheme.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    )


def _raw(folder) -> dict:
    """``folder``'s scheme.yaml as plain data, a fresh copy to change."""
    return copy.deepcopy(_composed(folder))


@pytest.mark.parametrize("name", CLASSES)
def test_both_models_declare_the_same_keys_in_the_same_order_with_the_same_defaults(name):
    plain = {f.name: f for f in dataclasses.fields(getattr(scheme, name)) if f.name != "model_extra"}
    checked = getattr(scheme_models, name).model_fields
    assert list(plain) == list(checked)
    for key, f in plain.items():
        info = checked[key]
        if info.is_required():
            assert f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, key
        else:
            want = info.default_factory() if info.default_factory else info.default
            got = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            assert got == want or (got.model_dump() == want.model_dump()), key


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_scheme_of_the_project_is_read_the_quick_way(folder):
    raw = _raw(folder)
    quick = scheme.quick_scheme(raw)
    assert quick is not None
    full, errors = scheme_models.check(raw)
    assert errors == [] and quick == full and quick.model_dump() == full.model_dump()
    assert quick.model_dump() == scheme_models.Scheme.model_validate(raw).model_dump()


def test_scoring_a_year_does_not_import_pydantic(tmp_path):
    code = "import sys, wfscore; wfscore.score(wfscore.load_year(sys.argv[1])); print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_a_value_to_convert_is_read_by_the_models_and_worded_by_them():
    text = (SAMPLE / "scheme.yaml").read_text(encoding="utf-8")
    raw = _plain(yaml.compose(text))
    raw["sections"][0]["categories"][0]["indicators"][0]["weight"] = "7e1"  # pydantic reads 70.0
    assert scheme.quick_scheme(raw) is None
    full, errors = scheme_models.check(raw)
    assert errors == [] and full.indicator("1").weight == 70.0
    raw["sections"][0]["categories"][0]["indicators"][0]["weight"] = "0"
    _, errors = scheme_models.check(raw)
    assert [(e["loc"], e["msg"]) for e in errors] == [
        (("sections", 0, "categories", 0, "indicators", 0, "weight"), "Input should be greater than 0")
    ]
    bad = text.replace("weight: 70", "weight: 0", 1)
    _, problems = parse_scheme(bad)
    assert [p.message for p in problems if p.is_error] == ["is invalid: input should be greater than 0"]


# -- random schemes: what the quick way reads, pydantic reads the same -------------------------

# Values at the edges of what the scheme asks for: numbers as YAML writes them (all text),
# numbers as pydantic dumps them, words of the scheme's choices and other text.
EDGE_TEXT = [
    "0",
    "1",
    "2",
    "0.5",
    "1.0",
    "1.000",
    "20",
    "70",
    "99.99",
    "100",
    "100.0",
    "6",
    "7",
    "-1",
    "-0",
    "01",
    "1e3",
    "1E-2",
    " 5",
    "5 ",
    "1_0",
    "inf",
    "nan",
    "-inf",
    "1.",
    ".5",
    "+2",
    "0x1",
    "",
    " ",
    "1948",
    "1949",
    "2011",
    "2100",
    "2101",
    "0011",
    " 2011",
    "20110",
    "max",
    "MAX",
    "index",
    "direct",
    "binary",
    "higher",
    "lower",
    "department",
    "experts",
    "office",
    "category",
    "section",
    "none",
    "disqualify",
    "trimmed_mean",
    "mean",
    "median",
    "government",
    "party",
    "website",
    "security",
    "x",
    "中文",
    "１",
    "٣",
    "9" * 50,
]
EDGE_OTHER = [
    None,
    True,
    False,
    0,
    1,
    2,
    7,
    2011,
    -3,
    10**400,
    0.0,
    0.5,
    1.0,
    1.5,
    99.5,
    100.0,
    1e308,
    math.inf,
    math.nan,
    [],
    {},
    ["x"],
    [" a "],
    {"name": "x"},
    {"percentile": "95"},
    {"share": "0.2"},
    {"category": "website", "kinds": []},
    {"category": "security"},
]
values = st.one_of(st.sampled_from(EDGE_TEXT), st.sampled_from(EDGE_OTHER).map(copy.deepcopy), st.text(max_size=6))
KEYS = [
    "id",
    "name",
    "name_en",
    "weight",
    "points",
    "method",
    "direction",
    "source",
    "unit",
    "year",
    "title",
    "kinds",
    "sections",
    "categories",
    "indicators",
    "rules",
    "not_applicable",
    "website_evaluation",
    "security_incident",
    "major_incident",
    "ratings",
    "rank_precision",
    "excellence",
    "conversion",
    "index_base",
    "share",
    "percentile",
    "category",
    "note",
    "extra",
    "model_extra",
    "weight ",
]


def _places(node, path=()):
    """Every (container, key) of ``node``, the root's own keys among them."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from _places(value, path + (key,))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield node, n
            yield from _places(value, path + (n,))


@st.composite
def mutated(draw):
    raw = _raw(draw(st.sampled_from(FOLDERS)))
    for _ in range(draw(st.integers(1, 4))):
        places = list(_places(raw))
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["set", "set", "set", "drop", "add"]))
        if action == "set":
            container[key] = draw(values)
        elif action == "drop":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(KEYS))] = draw(values)
        else:
            container.append(draw(values))
    return raw


def _same(a, b) -> bool:
    """Equal dumps, nan equal to nan (an unknown key may hold one)."""
    return repr(a) == repr(b) and (a == b or "nan" in repr(a))


def _check_alike(raw) -> None:
    quick = scheme.quick_scheme(raw)
    try:
        model = scheme_models.Scheme.model_validate(raw)
    except Exception:  # pydantic refuses: so must the quick way
        assert quick is None
        return
    full, errors = scheme_models.check(raw)  # pydantic's output is read by the quick way
    assert errors == [] and full is not None
    assert _same(full.model_dump(), model.model_dump())
    if quick is not None:
        assert _same(quick.model_dump(), model.model_dump())
        assert quick.model_dump(exclude_none=True).keys() == model.model_dump(exclude_none=True).keys()


# One place of each key of each model of SPEC §4 (those the 2011 scheme leaves out too).
PLACES = [
    ("year",),
    ("title",),
    ("title_en",),
    ("kinds",),
    ("kinds", "government"),
    ("kinds", "government", "name"),
    ("kinds", "party", "name_en"),
    ("sections",),
    ("rules",),
]
PLACES += [("sections", 0, key) for key in ("id", "name", "name_en", "points", "categories")]
PLACES += [("sections", 0, "categories", 1, key) for key in ("id", "name", "name_en", "points", "indicators")]
PLACES += [
    ("sections", 0, "categories", 1, "indicators", 0, key)
    for key in ("id", "name", "name_en", "weight", "method", "direction", "text", "unit", "note", "source")
]
PLACES += [
    ("rules", key)
    for key in (
        "not_applicable",
        "website_evaluation",
        "security_incident",
        "major_incident",
        "ratings",
        "rank_precision",
        "excellence",
        "conversion",
        "index_base",
    )
]
PLACES += [
    ("rules", "website_evaluation", "category"),
    ("rules", "website_evaluation", "kinds"),
    ("rules", "website_evaluation", "kinds", 0),
    ("rules", "security_incident", "category"),
    ("rules", "security_incident", "indicators"),
    ("rules", "excellence", "share"),
    ("rules", "conversion", "points"),
    ("rules", "index_base", "percentile"),
]
PLACES += [("sections", 0, "categories", 1, "indicators", 0, "measure"), ("monitoring",)]
PLACES += [("monitoring", key) for key in ("start", "end", "mark", "threshold", "systems")]
PLACES += [("monitoring", "systems", "approval"), ("monitoring", "systems", "approval", "dept")]


@pytest.mark.parametrize("place", PLACES, ids=lambda p: ".".join(map(str, p)))
def test_each_key_at_each_edge_value_is_read_alike(place):
    for value in EDGE_TEXT + EDGE_OTHER + ["drop"]:
        raw = _raw(SAMPLE)
        node = raw
        for part in place[:-1]:
            if isinstance(node, dict) and not isinstance(node.get(part), (dict, list)):
                node[part] = {}  # rules.index_base, written as a mapping
            node = node[part]
        if value == "drop":
            if isinstance(node, dict):
                node.pop(place[-1], None)
            else:
                del node[place[-1]]
        else:
            node[place[-1]] = copy.deepcopy(value)
        _check_alike(raw)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_what_the_quick_way_reads_pydantic_reads_the_same(raw):
    _check_alike(raw)
