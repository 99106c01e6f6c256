"""The office's forms key from the command line: never inside a form sent out, kept when the
forms are made again, made anew to rotate it; forms from before wfscore signed them refused,
naming each (README, "Collecting a year's inputs", "Signed forms")."""

from __future__ import annotations

import base64
import os
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formfill import fill
from formident import unsigned
from helpers import SAMPLE
from helpers.collection import five_departments
from wfscore.cli import main
from wfscore.inputs import forms, signing


@pytest.fixture(autouse=True)
def no_language_chosen(monkeypatch):
    for name in ("WFSCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def year(tmp_path) -> Path:
    return five_departments(tmp_path / "2011")


def key_of(year: Path) -> str:
    return (year / signing.KEY_FILE).read_text(encoding="ascii").strip()


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def signature_of(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    return next(str(r[1]) for r in wb[forms.IDENTITY].iter_rows(values_only=True) if r[0] == signing.SIGNATURE)


def snapshot(folder: Path) -> dict[str, tuple]:
    return {
        str(p): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None)
        for p in [folder, *sorted(folder.rglob("*"))]
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_key_is_never_inside_a_form_sent_out(year, tmp_path, capsys, lang):
    """Every part of every workbook, unzipped, searched for the key as written (hex, either
    case), as bytes, in base64 and in UTF-16; the search finds what a form does hold (its
    signature), so it would find the key there too."""
    out = tmp_path / "forms"
    assert main(["forms", str(year), "--out", str(out), "--experts", "E1", "E2", "--lang", lang]) == 0
    key = key_of(year)
    raw = bytes.fromhex(key)
    needles = [
        key.encode(),
        key.upper().encode(),
        raw,
        base64.b64encode(raw),
        base64.b64encode(key.encode()),
        key.encode("utf-16-le"),
        key.encode("utf-16-be"),
    ]
    books = sorted(out.iterdir())
    assert len(books) == 8 and all(p.suffix == ".xlsx" for p in books)  # no key file beside the forms
    for book in books:
        found = {"file": book.read_bytes(), **parts(book)}
        signature = signature_of(book).encode()
        assert any(signature in data for data in found.values())  # the search sees the identity sheet
        for name, data in found.items():
            for needle in needles:
                assert needle not in data, (book.name, name)
    if os.name == "posix":  # where the system has modes: the owner's alone
        assert stat.S_IMODE((year / signing.KEY_FILE).stat().st_mode) == 0o600


def test_making_the_forms_again_keeps_the_key_and_the_forms_sent_stay_good(year, tmp_path, capsys):
    assert main(["forms", str(year), "--out", str(tmp_path / "first"), "--experts", "E1"]) == 0
    key = key_of(year)
    assert main(["forms", str(year), "--out", str(tmp_path / "again"), "--experts", "E1"]) == 0
    assert key_of(year) == key
    returns = tmp_path / "first"
    fill(returns, SAMPLE)
    assert main(["collect", str(returns), "--into", str(year)]) == 0


def test_forms_from_before_signing_are_refused_by_name_and_nothing_is_written(year, tmp_path, capsys):
    """A year whose forms went out before wfscore signed them: no key in the year's folder,
    no signature in the forms. Each form is named, collect makes no key and writes nothing;
    once the forms are made again (which makes the key), the old ones are refused as
    unsigned and the new ones collect."""
    old = tmp_path / "old"
    forms.write_forms(year, old, ["E1"])
    fill(old, SAMPLE)
    for path in old.glob("*.xlsx"):
        unsigned(path)
    (year / signing.KEY_FILE).unlink()
    before = snapshot(year)
    names = sorted(p.name for p in old.glob("*.xlsx"))
    key = year / signing.KEY_FILE
    for argv in (["collect", str(old), "--into", str(year)], ["collect", str(old), "--into", str(year), "--status"]):
        capsys.readouterr()
        assert main(argv) == 1
        said = "".join(capsys.readouterr())
        assert "Traceback" not in said
        for name in names:
            assert f"错误：{name}：无法核验：考核办的表格密钥 {key} 不存在" in said, said
        capsys.readouterr()
        assert main(argv + ["--lang", "en"]) == 1
        said = "".join(capsys.readouterr())
        for name in names:
            assert f"error: {name}: cannot be checked: the office's forms key {key} is missing" in said, said
    assert snapshot(year) == before and not key.exists()

    new = tmp_path / "new"
    assert main(["forms", str(year), "--out", str(new), "--experts", "E1"]) == 0
    assert key.is_file()
    capsys.readouterr()
    assert main(["collect", str(old), "--into", str(year), "--status"]) == 1
    said = capsys.readouterr().out
    for name in names:
        assert f"错误：{name}：没有签名（是 wfscore 为表格签名之前生成的" in said, said
    fill(new, SAMPLE)
    assert main(["collect", str(new), "--into", str(year)]) == 0


def test_rotating_the_key_refuses_the_forms_made_with_the_old_one(year, tmp_path, capsys):
    """README: to rotate, remove the key and make the forms again; forms made before then no
    longer match and are refused by name, the new ones collect."""
    old, new = tmp_path / "old", tmp_path / "new"
    assert main(["forms", str(year), "--out", str(old), "--experts", "E1"]) == 0
    first = key_of(year)
    (year / signing.KEY_FILE).unlink()
    assert main(["forms", str(year), "--out", str(new), "--experts", "E1"]) == 0
    assert key_of(year) != first
    fill(old, SAMPLE)
    fill(new, SAMPLE)
    capsys.readouterr()
    assert main(["collect", str(old), "--into", str(year), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert (
        sum(line.startswith("error: ") and ": does not match its signature" in line for line in err.splitlines())
        == len(list(old.glob("*.xlsx")))
        == 7
    )
    assert not (year / "values.csv").exists()
    assert main(["collect", str(new), "--into", str(year)]) == 0
    assert (year / "values.csv").is_file()
