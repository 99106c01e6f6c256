"""Hostile and broken workbooks from the command line: each kind of bad return makes
``wfscore collect`` and ``wfscore collect --status`` exit 1 with a message naming the file (in
Chinese, in English under ``--lang en``), never a traceback, and write nothing; a year whose
own workbook is broken makes ``validate`` and ``score`` do the same (README, "Collecting" and
"Hostile and broken inputs")."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import hostilezip
from formfill import fill
from formident import sync_properties, unsigned
from helpers import SAMPLE, run_cli
from helpers.collection import five_departments
from wfscore.cli import main
from wfscore.inputs import files, forms, signing


@pytest.fixture(autouse=True)
def no_language_chosen(monkeypatch):
    """No WFSCORE_LANG and no locale: the messages in Chinese, the default."""
    for name in ("WFSCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def snapshot(*folders: Path) -> dict[str, tuple]:
    """Every file and folder under ``folders`` (hidden ones too, the folders themselves
    included): its kind, size, modification time and, for a file, its content's hash."""
    found = {}
    for top in folders:
        for root, dirs, names in os.walk(top):
            for name in [""] + dirs + names:
                path = Path(root) / name
                st = path.lstat()
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
                found[str(path)] = (path.is_dir(), st.st_size if digest else None, st.st_mtime_ns, digest)
    return found


# -- a small year and its returns, filled ------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    """Five departments of 2011, one expert, the office: forms made (the key with them) and
    filled with 2011's figures. Clean: they collect (tested below)."""
    root = tmp_path_factory.mktemp("made")
    year = five_departments(root / "2011")
    forms.write_forms(year, root / "returns", ["E1"])
    fill(root / "returns", SAMPLE)
    return year, root / "returns"


@pytest.fixture
def case(made, tmp_path) -> tuple[Path, Path]:
    year, returns = made
    shutil.copytree(year, tmp_path / "2011")
    shutil.copytree(returns, tmp_path / "returns")
    return tmp_path / "2011", tmp_path / "returns"


def a_form(returns: Path) -> Path:
    """A department's self-check form (the first by name)."""
    return sorted(returns.glob("自查表_*.xlsx"))[0]


@pytest.fixture(scope="module")
def bombs(made, tmp_path_factory) -> dict[str, Path]:
    """Made once: a form with a part of zeros just over the bound (honest about its size,
    and lying about it), and one of more parts than the bound."""
    _, returns = made
    folder = tmp_path_factory.mktemp("bombs")
    honest, lying, parts = folder / "炸弹.xlsx", folder / "炸弹2.xlsx", folder / "部件.xlsx"
    shutil.copy(a_form(returns), honest)
    hostilezip.bomb(honest, files.MAX_UNZIPPED + 2**20)
    assert honest.stat().st_size < 2**20
    shutil.copy(honest, lying)
    hostilezip.patch_headers(lying, "xl/media/image1.bin", size=1024)
    shutil.copy(a_form(returns), parts)
    with zipfile.ZipFile(parts, "a") as z:
        for n in range(files.MAX_PARTS):
            z.writestr(f"xl/media/p{n}.bin", b"")
    return {"honest": honest, "lying": lying, "parts": parts}


def identity(path: Path, field: str, value: str) -> None:
    wb = load_workbook(path)
    for row in wb[forms.IDENTITY].iter_rows():
        if row[0].value == field:
            row[1].value = value
    sync_properties(wb)
    wb.save(path)


def signed_with_another_key(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb[forms.IDENTITY]
    fields = {str(r[0].value): str(r[1].value) for r in ws.iter_rows() if r[0].value != signing.SIGNATURE}
    for row in ws.iter_rows():
        if row[0].value == signing.SIGNATURE:
            row[1].value = signing.sign(secrets.token_hex(32).encode("ascii"), fields)
    sync_properties(wb)
    wb.save(path)


def _make(kind: str, returns: Path, bombs: dict[str, Path]) -> str:
    """Make ``returns`` hold one bad file of ``kind``; its name in the folder."""
    form = a_form(returns)
    if kind in ("zip bomb", "zip bomb lying about its size", "too many parts"):
        source = bombs[{"zip bomb": "honest", "zip bomb lying about its size": "lying"}.get(kind, "parts")]
        shutil.copy(source, returns / source.name)
        return source.name
    if kind == "truncated":
        form.write_bytes(form.read_bytes()[: form.stat().st_size // 2])
    elif kind == "damaged deflate stream":
        hostilezip.corrupt_data(form, "xl/workbook.xml")
    elif kind == "truncated sheet":
        member = hostilezip.sheet_of(form, "指标")
        hostilezip.replace(form, member, hostilezip.members(form)[member][:-300])
    elif kind == "xls":
        xls = form.with_suffix(".xls")
        form.rename(xls)
        xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
        return xls.name
    elif kind == "xls renamed xlsx":
        form.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    elif kind == "encrypted part":
        hostilezip.patch_headers(form, "xl/workbook.xml", flags=0x1)
    elif kind == "csv renamed xlsx":
        form.write_text("部门编号,指标,数值\nG01,12,85\n", encoding="utf-8-sig")
    elif kind == "unsigned":
        unsigned(form)
    elif kind == "relabelled":
        identity(form, "dept_id", "G01" if "G01" not in form.name else "P01")
    elif kind == "signed with another key":
        signed_with_another_key(form)
    else:
        raise AssertionError(kind)
    return form.name


PARTS = 13  # the parts of a form: workbook, sheets, styles, document properties (custom.xml among them)

# kind → what its line says, in English and in Chinese (with the sheet, for a sheet's problem)
KINDS = {
    "zip bomb": ("unzips to", "解压后"),
    "zip bomb lying about its size": (
        "has a damaged part 'xl/media/image1.bin'",
        "中的部件 'xl/media/image1.bin' 已损坏",
    ),
    "too many parts": (
        f"has {files.MAX_PARTS + PARTS:,} parts (expected a workbook of at most {files.MAX_PARTS:,} parts)",
        f"包含 {files.MAX_PARTS + PARTS:,} 个部件（工作簿最多应有 {files.MAX_PARTS:,} 个部件）",
    ),
    "truncated": ("cannot be opened as an Excel workbook (BadZipFile", "无法作为 Excel 工作簿打开"),
    "damaged deflate stream": ("has a damaged part 'xl/workbook.xml'", "中的部件 'xl/workbook.xml' 已损坏"),
    "truncated sheet": ("could not be read (ParseError", "无法读取"),
    "xls": ("is an Excel 97-2003 workbook (.xls), which wfscore does not read", "wfscore 不能读取"),
    "xls renamed xlsx": ("is not an .xlsx workbook but an older compound file", "不是 .xlsx 工作簿，而是旧式复合文件"),
    "encrypted part": ("has an encrypted part 'xl/workbook.xml'", "中的部件 'xl/workbook.xml' 已加密"),
    "csv renamed xlsx": ("cannot be opened as an Excel workbook", "无法作为 Excel 工作簿打开"),
    "unsigned": ("carries no signature", "没有签名"),
    "relabelled": ("does not match its signature", "与签名不符"),
    "signed with another key": ("does not match its signature", "与签名不符"),
}


def the_line(said: str, prefix: str, name: str) -> str:
    """The one line of ``said`` about the file ``name`` (its name then a separator)."""
    lines = [ln for ln in said.splitlines() if ln.startswith(prefix + name) and ln[len(prefix + name) :][:1] in "：:, "]
    assert len(lines) == 1, said
    return lines[0]


def test_the_returns_as_made_collect(case, capsys):
    """The fixture is clean: what the tests below break is the only thing wrong."""
    year, returns = case
    assert main(["collect", str(returns), "--into", str(year), "--status"]) == 0
    assert main(["collect", str(returns), "--into", str(year)]) == 0
    assert (year / "values.csv").is_file()


def test_a_form_has_the_parts_the_count_above_adds_the_bound_to(made):
    """The parts of a form as xlsxwriter writes it, its custom document properties among them."""
    with zipfile.ZipFile(a_form(made[1])) as z:
        assert len(z.infolist()) == PARTS


@pytest.mark.parametrize("status", [False, True], ids=["collect", "status"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_bad_return_exits_1_names_the_file_and_writes_nothing(case, bombs, capsys, kind, status):
    year, returns = case
    name = _make(kind, returns, bombs)
    before, listing = snapshot(year, returns), sorted(os.listdir(year.parent))
    english, chinese = KINDS[kind]
    argv = ["collect", str(returns), "--into", str(year)] + (["--status"] if status else [])
    for lang in ("zh", "en"):
        capsys.readouterr()
        assert main(argv + (["--lang", "en"] if lang == "en" else [])) == 1, kind
        out, err = capsys.readouterr()
        said = out if status else err  # the board and its problems on stdout; collect's errors on stderr
        assert "Traceback" not in out + err
        if lang == "zh":
            line = the_line(said, "错误：", name + (" 工作表 指标" if kind == "truncated sheet" else ""))
            assert chinese in line and "expected" not in line, line
            if status:
                assert "部门: 5 个" in out  # the board is still shown
            else:
                assert err.rstrip().endswith("未写出任何文件（请改正后重新汇总）")
        else:
            line = the_line(said, "error: ", name + (", sheet 指标" if kind == "truncated sheet" else ""))
            assert english in line, line
            if not status:
                assert err.rstrip().endswith("nothing was written (fix the returns, then collect again)")
    assert snapshot(year, returns) == before and sorted(os.listdir(year.parent)) == listing


def test_every_kind_at_once_from_the_console_script(case, bombs):
    """All the bad returns in one folder, through the console script as the office runs it:
    each named, the good ones still on the board, no traceback, nothing written."""
    year, returns = case
    spare = returns.parent / "spare"
    spare.mkdir()
    names = []
    for kind in KINDS:
        one = spare / kind.replace(" ", "_")
        shutil.copytree(returns, one)
        name = _make(kind, one, bombs)
        shutil.copy(one / name, returns / f"{kind.replace(' ', '_')}_{name}")
        names.append(f"{kind.replace(' ', '_')}_{name}")
    shutil.rmtree(spare)
    a_form(returns).unlink()  # the department whose form every bad one was made from
    before, listing = snapshot(year, returns), sorted(os.listdir(year.parent))
    quiet = {k: v for k, v in os.environ.items() if k not in ("WFSCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    for lang in ("zh", "en"):
        for status in (False, True):
            done = run_cli(
                "collect",
                returns,
                "--into",
                year,
                *(["--status"] if status else []),
                *(["--lang", "en"] if lang == "en" else []),
                env=quiet,
            )
            said = done.stdout if status else done.stderr
            assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr, done.stderr
            for name in names:
                the_line(said, "错误：" if lang == "zh" else "error: ", name)
            if (
                status
            ):  # the good returns still counted as returned; the one signed, readable identity names its department
                assert (
                    "部门: 5 个，已交 4，未交 0，有错误 1，重复 0"
                    if lang == "zh"
                    else "department: 5, returned 4, missing 0, has errors 1, duplicate 0"
                ) in done.stdout, done.stdout
    assert snapshot(year, returns) == before and sorted(os.listdir(year.parent)) == listing


# -- a year's own workbook, broken ------------------------------------------------------------


@pytest.fixture(scope="module")
def year_book(tmp_path_factory) -> Path:
    """2011 as one workbook beside its scheme: a sheet per table."""
    folder = tmp_path_factory.mktemp("book") / "2011"
    folder.mkdir()
    shutil.copy(SAMPLE / "scheme.yaml", folder)
    with pd.ExcelWriter(folder / "考核数据.xlsx") as writer:
        for csv in sorted(SAMPLE.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            frame.to_excel(writer, sheet_name=csv.stem, index=False)
    return folder


def test_the_year_as_a_workbook_validates(year_book, capsys):
    assert main(["validate", str(year_book)]) == 0


@pytest.mark.parametrize(
    "how, english, chinese",
    [
        (
            "truncated sheet",
            "考核数据.xlsx, sheet values: cannot be read (ParseError",
            "考核数据.xlsx 工作表 values：无法读取（ParseError",
        ),
        ("cut short", "考核数据.xlsx: cannot be read as an .xlsx workbook", "考核数据.xlsx：无法作为 .xlsx 工作簿读取"),
        (
            "damaged deflate stream",
            "考核数据.xlsx: has a damaged part 'xl/workbook.xml'",
            "考核数据.xlsx 中的部件 'xl/workbook.xml' 已损坏",
        ),
        (
            "encrypted part",
            "考核数据.xlsx: has an encrypted part 'xl/workbook.xml'",
            "考核数据.xlsx 中的部件 'xl/workbook.xml' 已加密",
        ),
    ],
)
def test_a_broken_year_workbook_in_validate_and_score(year_book, tmp_path, capsys, how, english, chinese):
    year = tmp_path / "2011"
    shutil.copytree(year_book, year)
    book = year / "考核数据.xlsx"
    if how == "truncated sheet":
        member = hostilezip.sheet_of(book, "values")
        hostilezip.replace(book, member, hostilezip.members(book)[member][:-300])
    elif how == "cut short":
        book.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    elif how == "damaged deflate stream":
        hostilezip.corrupt_data(book, "xl/workbook.xml")
    else:
        hostilezip.patch_headers(book, "xl/workbook.xml", flags=0x1)
    out = tmp_path / "out"
    before, listing = snapshot(year), sorted(os.listdir(tmp_path))
    for argv in (
        ["validate", str(year)],
        ["score", str(year), "--out", str(out / "results.csv"), "--detail", str(out / "detail.csv")],
    ):
        for lang in ("zh", "en"):
            capsys.readouterr()
            assert main(argv + (["--lang", "en"] if lang == "en" else [])) == 1, argv
            said = "".join(capsys.readouterr())  # validate's list on stdout, score's on stderr
            assert "Traceback" not in said
            if lang == "zh":
                line = the_line(said, "错误：", "考核数据.xlsx")
                assert line.startswith("错误：" + chinese) and "expected" not in line, line
            else:
                assert the_line(said, "error: ", "考核数据.xlsx").startswith("error: " + english), said
    assert snapshot(year) == before and sorted(os.listdir(tmp_path)) == listing and not out.exists()
