"""The forms print (A4, landscape where wide, one page wide, header row repeated, rows as
tall as their criterion text) and keep their identity through a LibreOffice save."""

from __future__ import annotations

import shutil
import subprocess

from openpyxl import load_workbook

from helpers import SAMPLE, need, run_cli
from wfscore.inputs import collect, forms


def test_every_sheet_prints_on_a4_one_page_wide_with_its_header(tmp_path):
    done = run_cli("forms", SAMPLE, "--out", tmp_path / "f")
    assert done.returncode == 0, done.stderr
    wb = load_workbook(next((tmp_path / "f").glob("自查表_G29_*.xlsx")))
    for ws in wb.worksheets:
        if ws.title == forms.IDENTITY:
            continue
        assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth in (None, 1), ws.title  # 1: the default
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, ws.title
    sheet = wb["指标"]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    for row in range(2, sheet.max_row + 1):
        lines = forms.text_lines(sheet.cell(row, 3).value or "", 60)
        height = sheet.row_dimensions[row].height
        assert lines == 1 or height >= lines * forms.LINE_POINTS, (row, lines, height)  # one line: Excel's height


def test_the_identity_survives_a_libreoffice_save(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    need(soffice is not None, "LibreOffice (soffice)")
    done = run_cli("forms", SAMPLE, "--out", tmp_path / "f")
    assert done.returncode == 0, done.stderr
    form = next((tmp_path / "f").glob("专家评分表_*.xlsx"))
    before = collect.identity_properties(load_workbook(form, read_only=True))
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "saved"),
            str(form),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = load_workbook(tmp_path / "saved" / form.name, read_only=True)
    # LibreOffice saves a very hidden sheet as merely hidden; the identity read is the document properties'
    assert collect.identity_properties(saved) == before and len(before["departments"]) > forms.PROPERTY_CHARS
    assert before["signature"]  # the signature travels with the identity, so the saved form still verifies
