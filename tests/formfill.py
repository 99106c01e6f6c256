"""Filling the collection forms the way a person would, with openpyxl: the tests' own
filler, written without the library's reader, so that a round trip checks both ends (it
shares only the indicators sheet's layout, :data:`wfscore.inputs.forms.SELF_CHECK`)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from wfscore.inputs.forms import SELF_CHECK as layout


def rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def number(text: str):
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def fill(forms_dir: Path, year: Path) -> None:
    """Fill every form in ``forms_dir`` with the figures of the year folder ``year``."""
    values = {(r["dept_id"], r["indicator"]): r["value"] for r in rows(year / "values.csv")}
    ratings = {(r["dept_id"], r["indicator"], r["expert"]): r["rating"] for r in rows(year / "ratings.csv")}
    site = {r["dept_id"]: r["score"] for r in rows(year / "website_eval.csv")}
    exempt = {(r["dept_id"], r["indicator"]): r["reason"] for r in rows(year / "exemptions.csv")}
    claims: dict[str, list[dict]] = {}
    for r in rows(year / "achievements.csv"):
        claims.setdefault(r["dept_id"], []).append(r)
    for path in sorted(forms_dir.glob("*.xlsx")):
        wb = load_workbook(path)
        ident = {r[0].value: r[1].value for r in wb["_wfscore"].iter_rows()}
        if ident["form"] == "self_check":
            dept = ident["dept_id"]
            ws = wb["指标"]
            for row in ws.iter_rows(min_row=layout.first_row):
                ind = str(row[layout.id].value)
                if (dept, ind) in values and row[layout.value].protection.locked is False:
                    row[layout.value].value = number(values[dept, ind])
                if (dept, ind) in exempt:
                    row[layout.exempt].value = "是"
                    row[layout.reason].value = exempt[dept, ind]
            ws = wb["奖励申报"]
            labels = {str(c.value).split(" ")[0]: c.value for c in ws["F"][1:] if c.value}
            for n, claim in enumerate(claims.get(dept, []), start=2):
                ws.cell(n, 1).value = labels[claim["indicator"]]
                ws.cell(n, 2).value = claim["title"]
        elif ident["form"] == "expert":
            expert = ident["expert"]
            ws = wb["评分"]
            heads = [str(c.value).split(" ")[0] for c in ws[1]]
            for row in ws.iter_rows(min_row=2):
                dept = row[0].value
                for c, ind in enumerate(heads[3:], start=3):
                    if (dept, ind, expert) in ratings:
                        row[c].value = number(ratings[dept, ind, expert])
        else:
            ws = wb["网站评估"]
            for row in ws.iter_rows(min_row=2):
                if row[0].value in site:
                    row[3].value = number(site[row[0].value])
            ws = wb["考核办指标"]
            heads = [str(c.value).split(" ")[0] for c in ws[1]]
            for row in ws.iter_rows(min_row=2):
                for c, ind in enumerate(heads[3:], start=3):
                    if (row[0].value, ind) in values:
                        row[c].value = number(values[row[0].value, ind])
        wb.save(path)
