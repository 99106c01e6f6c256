"""``wfscore sample DIR [--year Y]``: the synthetic sample year, written into a folder of
one's own (the wheel's copy is tried by tests/test_wheel.py)."""

from __future__ import annotations

import tomllib

import pytest

import wfscore
from helpers import ROOT, run_cli
from wfscore.cli import sample as cli_sample
from wfscore.inputs import samples

YEARS = sorted(int(p.name) for p in (ROOT / "data").iterdir() if (p / "SYNTHETIC").is_file())


def test_every_sample_year_is_offered_and_shipped_in_the_wheel():
    assert YEARS == [2011, 2012, 2013]
    assert sorted(samples.sample_years()) == YEARS
    assert cli_sample.DEFAULT_YEAR == samples.DEFAULT_YEAR == YEARS[0]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for year in YEARS:
        assert shipped[f"data/{year}"] == f"wfscore/samples/{year}"


@pytest.mark.parametrize("year", YEARS)
def test_the_sample_is_the_year_byte_for_byte_and_synthetic(tmp_path, year):
    out = tmp_path / "样例" / str(year)
    proc = run_cli("sample", out, "--year", year)
    assert proc.returncode == 0, proc.stderr
    assert f"wrote the {year} sample year (synthetic data) to {out}" in proc.stdout
    source = ROOT / "data" / str(year)
    tracked = sorted(p.name for p in source.iterdir() if p.name in samples.FILES)
    assert sorted(p.name for p in out.iterdir()) == tracked
    for name in tracked:
        assert (out / name).read_bytes() == (source / name).read_bytes(), name
    data = wfscore.load_year(out)
    assert data.synthetic and data.year == year


def test_default_year_in_chinese_and_into_an_empty_folder(tmp_path):
    out = tmp_path / "year"
    out.mkdir()
    proc = run_cli("sample", out, lang="zh")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"已把 2011 年的示例年度（合成数据）写入 {out}")
    assert (out / "scheme.yaml").read_bytes() == (ROOT / "data" / "2011" / "scheme.yaml").read_bytes()


def test_refuses_a_folder_that_holds_anything_and_leaves_it_alone(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "values.csv").write_text("mine\n", encoding="utf-8")
    for lang, words in (
        ("en", "already holds files; the sample year does not write over them"),
        ("zh", "已有文件，示例年度不会覆盖它"),
    ):
        proc = run_cli("sample", out, lang=lang)
        assert proc.returncode == 2
        assert words in proc.stderr
        assert [p.name for p in out.iterdir()] == ["values.csv"]
        assert (out / "values.csv").read_text(encoding="utf-8") == "mine\n"


def test_refuses_a_file_and_an_unknown_year(tmp_path):
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    proc = run_cli("sample", file)
    assert proc.returncode == 2 and "is a file (expected an absent or empty folder)" in proc.stderr
    proc = run_cli("sample", tmp_path / "new", "--year", "1999")
    assert proc.returncode == 2
    assert "--year 1999: there is no sample of that year (expected one of 2011, 2012, 2013)" in proc.stderr
    assert not (tmp_path / "new").exists()
    proc = run_cli("sample", tmp_path / "new", "--year", "1999", lang="zh")
    assert proc.returncode == 2 and "没有这一年的示例（可选：2011、2012、2013）" in proc.stderr


def test_a_failed_write_leaves_nothing(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    proc = run_cli("sample", blocker / "year")  # its parent is a file: the folder cannot be made
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_help_in_both_languages():
    zh = run_cli("sample", "--help", lang="zh")
    assert zh.returncode == 0 and "合成" in zh.stdout and "--year" in zh.stdout
    en = run_cli("sample", "--help")
    assert en.returncode == 0 and "synthetic" in en.stdout
    assert "sample" in run_cli("--help").stdout
