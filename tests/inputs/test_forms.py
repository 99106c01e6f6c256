"""The forms that go out: what each holds, which cells are open and validated, the hidden
identity, hostile names kept as text, the scheme's ``source`` and its defaults."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import SAMPLE, TINY
from wfscore.inputs import forms
from wfscore.inputs.problems import InputError
from wfscore.inputs.scheme import Indicator, source_of
from wfscore.inputs.scheme_yaml import read_scheme


def year_with(
    tmp_path: Path,
    departments: list[tuple[str, str, str]],
    scheme: Path = SAMPLE / "scheme.yaml",
    synthetic: bool = True,
) -> Path:
    folder = tmp_path / "year"
    folder.mkdir()
    shutil.copy(scheme, folder / "scheme.yaml")
    if synthetic:
        (folder / "SYNTHETIC").write_text("synthetic\n", encoding="utf-8")
    with open(folder / "departments.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([("dept_id", "name", "kind"), *departments])
    return folder


DEPTS = [("G03", "市经济和信息化委员会", "government"), ("P01", "市委办公室", "party")]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forms")
    folder = year_with(tmp, DEPTS)
    out = tmp / "out"
    names = forms.write_forms(folder, out, ["E1", "E2"], deadline="2011-12-31", contact="张三 0536-8888888")
    return out, names


def identity(wb) -> dict:
    return {r[0].value: r[1].value for r in wb[forms.IDENTITY].iter_rows()}


def test_the_files_and_their_names(made):
    out, names = made
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "自查表_G03_市经济和信息化委员会.xlsx",
            "自查表_P01_市委办公室.xlsx",
            "专家评分表_E1.xlsx",
            "专家评分表_E2.xlsx",
            "考核办填报表.xlsx",
        ]
    )
    assert names.office == "考核办填报表.xlsx"


def test_the_self_check_form(made):
    out, _ = made
    wb = load_workbook(out / "自查表_G03_市经济和信息化委员会.xlsx")
    assert wb.sheetnames == ["封面", "指标", "奖励申报", forms.IDENTITY]
    cover = [c.value for row in wb["封面"].iter_rows() for c in row if c.value]
    assert "市经济和信息化委员会" in cover and "2011-12-31" in cover and "张三 0536-8888888" in cover
    assert any("合成数据" in str(v) for v in cover)  # synthetic data says so
    ws = wb["指标"]
    ids = [str(c.value) for c in ws["A"][1:]]
    # a government department: the website evaluation replaces 5-9, so they are not asked for;
    # binary rewards are claimed on the other sheet
    scheme = read_scheme(SAMPLE / "scheme.yaml")
    assert ids == [i.id for i in scheme.indicators if i.method != "binary" and i.id not in {"5", "6", "7", "8", "9"}]
    row = {str(r[0].value): r for r in ws.iter_rows(min_row=2)}
    assert row["1"][2].value == scheme.indicator("1").text  # the full criterion
    assert row["12"][3].protection.locked is False and row["12"][4].value == "%"
    assert row["1"][3].protection.locked is True and row["1"][3].value == "由专家评分"
    assert row["S1"][3].value == "由考核办评定"
    assert all(row[i][5].protection.locked is False and row[i][6].protection.locked is False for i in row)
    assert ws.protection.sheet is True
    kinds: dict[tuple, set] = {}
    for dv in ws.data_validations.dataValidation:
        kinds.setdefault((dv.type, dv.operator, dv.formula1, dv.formula2), set()).update(str(dv.sqref).split())
    assert kinds[("decimal", "greaterThanOrEqual", "0", None)] == {f"D{row['12'][0].row}", f"D{row['13'][0].row}"}
    assert kinds[("list", None, '"是,否"', None)] == {f"F2:F{len(ids) + 1}"}
    ident = identity(wb)
    assert wb[forms.IDENTITY].sheet_state == "veryHidden"
    assert ident["form"] == "self_check" and ident["dept_id"] == "G03" and ident["year"] == "2011"
    assert ident["scheme"] == forms.scheme_hash(scheme) and ident["indicators"] == ",".join(ids)


def test_the_indicators_sheet_is_laid_out_as_the_shared_layout_says(made):
    """The writer, collect, the demonstration filler and the tests' filler share one layout."""
    out, _ = made
    heads = [c.value for c in load_workbook(out / "自查表_G03_市经济和信息化委员会.xlsx")["指标"][1]]
    layout = forms.SELF_CHECK
    assert len(heads) == layout.columns and heads[layout.id] == "编号"
    assert (heads[layout.value], heads[layout.exempt], heads[layout.reason]) == (
        "填报值",
        "本部门无此项工作（是/否）",
        "说明理由",
    )
    assert layout.ref(layout.exempt, 5) == "F5" and layout.ref(layout.reason, layout.first_row) == "G2"


def test_the_achievements_sheet_has_a_drop_down_of_the_reward_indicators(made):
    out, _ = made
    ws = load_workbook(out / "自查表_P01_市委办公室.xlsx")["奖励申报"]
    assert [c.value for c in ws["F"][1:5]] == [
        "23 国家级表彰奖励、示范试点、现场会",
        "24 省级表彰奖励、示范试点、现场会",
        "25 市级表彰奖励、示范试点、现场会",
        "26 争取国家和省信息化建设项目、资金",
    ]
    (dv,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert dv.formula1 == "$F$2:$F$5" and str(dv.sqref) == f"A2:A{forms.CLAIM_ROWS + 1}"
    assert ws["A2"].protection.locked is False and ws["F2"].protection.locked is True


def test_a_party_organ_reports_the_website_indicators(made):
    out, _ = made
    ids = [str(c.value) for c in load_workbook(out / "自查表_P01_市委办公室.xlsx")["指标"]["A"][1:]]
    assert {"5", "6", "7", "8", "9"} <= set(ids)


def test_the_rating_sheet(made):
    out, _ = made
    wb = load_workbook(out / "专家评分表_E1.xlsx")
    ws = wb["评分"]
    heads = [c.value for c in ws[1]]
    scheme = read_scheme(SAMPLE / "scheme.yaml")
    rated = [i for i in scheme.indicators if source_of(i) == "experts"]
    assert heads == ["部门编号", "部门名称", "类别"] + [f"{i.id} {i.name}" for i in rated]
    assert scheme.indicator("1").text in ws["D1"].comment.text
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["G03", "P01"]
    website = {i.id for i in scheme.category("website").indicators}
    for c, ind in enumerate(rated, start=4):
        g03, p01 = ws.cell(2, c), ws.cell(3, c)
        assert p01.protection.locked is False
        assert (g03.protection.locked, g03.value) == ((True, "—") if ind.id in website else (False, None))
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == len(rated)  # one per column, every department's row
    for dv in dvs:  # "between" is the default operator, which a writer may leave out
        assert (dv.type, dv.operator or "between", float(dv.formula1), float(dv.formula2)) == (
            "decimal",
            "between",
            0,
            100,
        )
        assert str(dv.sqref).endswith("2:" + str(dv.sqref).split(":")[0][0] + "3")
    assert identity(wb)["expert"] == "E1" and identity(wb)["departments"] == "G03,P01"


def test_the_office_workbook(made):
    out, _ = made
    wb = load_workbook(out / "考核办填报表.xlsx")
    site = wb["网站评估"]
    assert [(c[0].value, c[3].protection.locked) for c in site.iter_rows(min_row=2)] == [("G03", False)]
    office = wb["考核办指标"]
    assert [c.value for c in office[1]] == ["部门编号", "部门名称", "类别", "S1 自查报告"]
    (dv,) = office.data_validations.dataValidation
    assert (dv.operator or "between", float(dv.formula1), float(dv.formula2), str(dv.sqref)) == (
        "between",
        0,
        100,
        "D2:D3",
    )


def test_hostile_names_stay_text_and_file_names_stay_in_the_folder(tmp_path):
    hostile = [
        ("G01", '=HYPERLINK("http://evil","点我")', "government"),
        ("P01", "../../etc/passwd", "party"),
        ("P02", "+cmd|' /C calc'!A0", "party"),
    ]
    folder = year_with(tmp_path, hostile)
    out = tmp_path / "out"
    names = forms.write_forms(folder, out, ["=1+1", "../E2"])
    assert all(
        (out / n).resolve().parent == out.resolve() for n in [*names.departments.values(), *names.experts.values()]
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "自查表_G01_=HYPERLINK(_http_evil_,_点我_).xlsx",
            "自查表_P01__.._etc_passwd.xlsx",
            "自查表_P02_+cmd_' _C calc'!A0.xlsx",
            "专家评分表_=1+1.xlsx",
            "专家评分表__E2.xlsx",
            "考核办填报表.xlsx",
        ]
    )
    for path in out.iterdir():
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    assert b"<f>" not in z.read(name), (path.name, name)  # not one formula
    wb = load_workbook(out / names.departments["G01"])
    assert wb["封面"]["B4"].value == '=HYPERLINK("http://evil","点我")' and wb["封面"]["B4"].data_type == "s"


def test_english_forms(tmp_path):
    folder = year_with(tmp_path, DEPTS, synthetic=False)
    out = tmp_path / "out"
    names = forms.write_forms(folder, out, ["E1"], lang="en")
    assert names.departments["G03"] == "self_check_G03_市经济和信息化委员会.xlsx"
    wb = load_workbook(out / names.departments["G03"])
    assert wb.sheetnames == ["Cover", "Indicators", "Achievements", forms.IDENTITY]
    assert wb["Indicators"]["D1"].value == "Figure"
    cover = [c.value for row in wb["Cover"].iter_rows() for c in row if c.value]
    assert not any("SYNTHETIC" in str(v) for v in cover)  # a real year's forms say nothing of it


def test_a_scheme_without_the_website_rule_asks_every_department_for_every_indicator(tmp_path):
    text = (SAMPLE / "scheme.yaml").read_text(encoding="utf-8")
    text = text.replace("  website_evaluation: {category: website, kinds: [government]}\n", "")
    scheme_file = tmp_path / "s.yaml"
    scheme_file.write_text(text, encoding="utf-8")
    folder = year_with(tmp_path, DEPTS, scheme=scheme_file)
    out = tmp_path / "out"
    forms.write_forms(folder, out, ["E1"])
    ids = [str(c.value) for c in load_workbook(out / "自查表_G03_市经济和信息化委员会.xlsx")["指标"]["A"][1:]]
    assert {"5", "6", "7", "8", "9"} <= set(ids)
    ws = load_workbook(out / "考核办填报表.xlsx")["网站评估"]
    assert ws.max_row == 1  # no department takes the evaluation


def test_forms_refuse_bad_inputs_and_write_nothing(tmp_path):
    folder = year_with(tmp_path, DEPTS + [("G03", "重复", "government"), ("X1", "未知", "martian")])
    out = tmp_path / "out"
    with pytest.raises(InputError) as exc:
        forms.write_forms(folder, out, ["E1", "E1", " "])
    assert sorted(map(str, exc.value.problems)) == sorted(
        [
            (
                "departments.csv line 4, column dept_id: 'G03' is a dept_id used twice (also on line 2; expected each "
                "once)"
            ),
            "departments.csv line 5, column kind: 'martian' is not a kind of the scheme (expected one of party, npc, "
            "government, cppcc, court, procuratorate, people_org, vertical)",
            "experts: 'E1' is given twice (expected each expert once)",
            "experts: number 3 is empty (expected an expert id)",
        ]
    )
    assert not out.exists()
    with pytest.raises(InputError) as exc:
        forms.write_forms(folder, folder, ["E1"])
    assert "is the year's own folder (expected another folder for the forms)" in str(exc.value)
    assert sorted(p.name for p in folder.iterdir()) == ["SYNTHETIC", "departments.csv", "scheme.yaml"]


def test_the_source_defaults():
    def ind(**kw):
        return Indicator(id="x", name="x", weight=1, **kw)

    assert source_of(ind(method="binary")) == "department"
    assert source_of(ind(method="direct")) == "office"
    assert source_of(ind(unit="%")) == "department"
    assert source_of(ind()) == "experts"
    assert source_of(ind(source="office")) == "office"
    tiny = read_scheme(TINY / "scheme.yaml")  # no source written: every default applies
    assert [source_of(i) for i in tiny.indicators] == ["experts"] * 5 + ["office", "department", "department"]


@pytest.mark.parametrize("year", [2011, 2012, 2013])
def test_the_sample_schemes_say_where_every_figure_comes_from(year):
    scheme = read_scheme(SAMPLE.parent / str(year) / "scheme.yaml")
    assert all(i.source is not None for i in scheme.indicators)
    assert {i.id for i in scheme.indicators if i.source == "office"} == {"S1"}
    assert all(i.source == "department" for i in scheme.indicators if i.method == "binary")


def test_an_unknown_source_is_an_error(tmp_path):
    from wfscore.inputs.scheme_yaml import parse_scheme

    text = (SAMPLE / "scheme.yaml").read_text(encoding="utf-8").replace("source: office", "source: mayor", 1)
    scheme, problems = parse_scheme(text)
    assert scheme is None
    assert any("source" in str(p) and "mayor" in str(p) for p in problems)
