"""SPEC §5 written out plainly, one department and one indicator at a time.

An independent second implementation for tests: it reads the loaded year's raw
tables (not the arrays wfscore builds from them), uses Python floats, loops over
departments, and rounds with ``decimal``. The vectorised engine must agree with it.
"""

from __future__ import annotations

import math
import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

TRUE = {"true", "yes", "1", "是"}


def _true(text: str) -> bool:
    return text.strip().casefold() in TRUE


def _aggregate(ratings: list[float], method: str) -> float:
    if method == "mean":
        return sum(ratings) / len(ratings)
    if method == "median":
        return statistics.median(ratings)
    if len(ratings) >= 3:
        kept = sorted(ratings)[1:-1]
        return sum(kept) / len(kept)
    return sum(ratings) / len(ratings)


def reference(data, scheme=None) -> dict[str, dict]:
    """Per dept_id: W and score per indicator, category/section sums, total, rank, flags."""
    scheme = scheme or data.scheme
    rules = scheme.rules
    t = data.tables
    depts = [(r.dept_id, r.kind) for r in t["departments"].itertuples()]
    method_of = {i.id: i.method for i in scheme.indicators}
    values = {(r.dept_id, r.indicator): float(r.value) for r in t["values"].itertuples()}
    ratings: dict[tuple, list[float]] = {}
    for r in t["ratings"].itertuples():
        ratings.setdefault((r.dept_id, r.indicator), []).append(float(r.rating))
    ex = t["exemptions"]
    exempt = {(r.dept_id, r.indicator) for r in ex.itertuples() if "confirmed" not in ex.columns or _true(r.confirmed)}
    achieved: dict[tuple, int] = {}
    for r in t["achievements"].itertuples():
        if _true(r.confirmed):
            achieved[(r.dept_id, r.indicator)] = achieved.get((r.dept_id, r.indicator), 0) + 1
    evaluation = {r.dept_id: float(r.score) for r in t["website_eval"].itertuples()}
    incidents: dict[str, list[str]] = {}
    inc = t["incidents"]
    for r in inc.itertuples():
        if "confirmed" in inc.columns and not _true(r.confirmed):
            continue  # an incident counts only when confirmed, or when the file has no confirmed column
        incidents.setdefault(r.dept_id, []).append(r.severity.strip().casefold())

    web = rules.website_evaluation
    sec = rules.security_incident

    def category_id(ind_id):
        return next(c.id for c in scheme.categories if any(i.id == ind_id for i in c.indicators))

    def overridden(kind, ind_id):
        return web is not None and kind in web.kinds and category_id(ind_id) == web.category

    def value(dept, ind_id):
        if method_of[ind_id] == "binary":
            return float(achieved.get((dept, ind_id), 0))
        if (dept, ind_id) in values:
            return values[(dept, ind_id)]
        if (dept, ind_id) in ratings:
            return _aggregate(ratings[(dept, ind_id)], rules.ratings)
        return None

    # effective weights, department by department
    W: dict[tuple, float] = {}
    for dept, _ in depts:
        for section in scheme.sections:
            applicable = {i.id for c in section.categories for i in c.indicators if (dept, i.id) not in exempt}
            if rules.not_applicable == "none":
                for c in section.categories:
                    for i in c.indicators:
                        W[(dept, i.id)] = i.weight if i.id in applicable else 0.0
            elif rules.not_applicable == "section":
                live = sum(i.weight for c in section.categories for i in c.indicators if i.id in applicable)
                for c in section.categories:
                    for i in c.indicators:
                        W[(dept, i.id)] = i.weight * section.points / live if i.id in applicable else 0.0
            else:
                nonempty = [c for c in section.categories if any(i.id in applicable for i in c.indicators)]
                live_points = sum(c.points for c in nonempty)
                for c in section.categories:
                    live = sum(i.weight for i in c.indicators if i.id in applicable)
                    if c in nonempty and len(nonempty) < len(section.categories):
                        points = c.points * section.points / live_points
                    else:
                        points = c.points
                    for i in c.indicators:
                        W[(dept, i.id)] = i.weight * points / live if i.id in applicable else 0.0

    # bases
    base = {}
    for ind in scheme.indicators:
        if ind.method != "index":
            continue
        taking_part = [
            value(d, ind.id)
            for d, kind in depts
            if (d, ind.id) not in exempt and not overridden(kind, ind.id) and value(d, ind.id) is not None
        ]
        if rules.index_base != "max":
            raise NotImplementedError("the reference knows the maximum base only")
        if taking_part:
            base[ind.id] = min(taking_part) if ind.direction == "lower" else max(taking_part)

    out: dict[str, dict] = {}
    for dept, kind in depts:
        scores = {}
        for ind in scheme.indicators:
            w_eff = W[(dept, ind.id)]
            v = value(dept, ind.id)
            if (dept, ind.id) in exempt:
                s = 0.0
            elif overridden(kind, ind.id):
                s = evaluation[dept] / 100 * w_eff
            elif ind.method == "binary":
                s = w_eff if v >= 1 else 0.0
            elif v is None:
                s = 0.0
            elif ind.method == "direct":
                s = v * w_eff / ind.weight
            elif ind.direction == "lower":
                s = w_eff * base[ind.id] / v if v > 0 else w_eff
            else:
                m = base.get(ind.id, 0.0)
                s = w_eff * v / m if m > 0 else 0.0
            if (
                sec is not None
                and incidents.get(dept)
                and category_id(ind.id) == sec.category
                and (sec.indicators is None or ind.id in sec.indicators)
            ):
                s = 0.0
            scores[ind.id] = s
        categories = {c.id: sum(scores[i.id] for i in c.indicators) for c in scheme.categories}
        sections = {s.id: sum(categories[c.id] for c in s.categories) for s in scheme.sections}
        total = sum(sections.values())
        out[dept] = {
            "W": {i.id: W[(dept, i.id)] for i in scheme.indicators},
            "score": scores,
            "category": categories,
            "section": sections,
            "total": total,
            "rounded": Decimal(repr(total)).quantize(Decimal(1).scaleb(-rules.rank_precision), ROUND_HALF_UP),
            "eligible": not (rules.major_incident == "disqualify" and "major" in incidents.get(dept, [])),
        }

    for dept in out:
        out[dept]["rank"] = 1 + sum(1 for other in out.values() if other["rounded"] > out[dept]["rounded"])
    if rules.excellence is not None:
        n = math.ceil(Fraction(str(rules.excellence.share)) * len(out))
        eligible = sorted((o["rounded"] for o in out.values() if o["eligible"]), reverse=True)
        threshold = eligible[min(n, len(eligible)) - 1] if eligible and n > 0 else None
        for o in out.values():
            o["excellent"] = threshold is not None and o["eligible"] and o["rounded"] >= threshold
    if rules.conversion is not None:
        total_points = sum(s.points for s in scheme.sections)
        for o in out.values():
            o["converted"] = o["total"] * rules.conversion.points / total_points
    return out
