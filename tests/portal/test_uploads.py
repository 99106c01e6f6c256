"""Uploads are checked by content, not name: a PDF, a DOCX, a WPS file are kept under a
random name in the site's uploads folder (no static folder); an HTML page named .pdf, a
zip bomb named .docx, a renamed zip and a file over the limit are refused with a clear
message, and nothing of them is kept."""

from __future__ import annotations

import io
import zipfile

import pytest

from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from wfscore.portal.models import AuditEntry, Return, Upload

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>自查报告</w:document>")
    return buffer.getvalue()


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))  # 300 MB of zeros: 300 KB packed
    return buffer.getvalue()


def send(client, name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    return client.post("/returns/P01/report", {"file": f})


def kept(site_dir):
    return sorted(p.name for p in (site_dir / "uploads").iterdir()) if (site_dir / "uploads").exists() else []


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("自查报告.pdf", PDF, "pdf"),
        ("报告.docx", docx(), "docx"),
        ("报告.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "wps"),
        ("named-wrong.txt", PDF, "pdf"),
    ],
)
def test_a_report_is_kept_by_what_it_holds(as_dept, as_office, site_dir, name, content, kind):
    before = kept(site_dir)
    assert send(as_dept, name, content).status_code == 302
    ret = Return.objects.get(department__dept_id="P01")
    up = ret.report
    assert up.kind == kind and up.original_name == name and up.size == len(content)
    new = sorted(set(kept(site_dir)) - set(before))
    assert new == [up.stored_name] and len(up.stored_name) == 32 and "." not in up.stored_name
    assert (site_dir / "uploads" / up.stored_name).read_bytes() == content
    assert AuditEntry.objects.filter(action="upload", department=ret.department).exists()
    r = as_office.get(f"/uploads/{up.pk}")  # the office reads it in the browser
    assert r.status_code == 200 and b"".join(r.streaming_content) == content
    assert r["X-Content-Type-Options"] == "nosniff"
    if kind == "pdf":
        assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "不是 PDF、DOCX 或 WPS 文件"),
        ("report.docx", bomb(), "压缩炸弹"),
        ("report.docx", b"PK\x03\x04" + b"junk" * 100, "不是 Word 文档"),
        ("report.pdf", b"MZ\x90\x00" + b"\0" * 100, "不是 PDF、DOCX 或 WPS 文件"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_not_kept(as_dept, site_dir, name, content, words):
    before = kept(site_dir)
    r = send(as_dept, name, content)
    assert r.status_code == 302
    page = as_dept.get("/returns/P01/").content.decode()
    assert words in page and "未保存" in page
    assert kept(site_dir) == before and not Upload.objects.exists()
    assert Return.objects.get(department__dept_id="P01").report is None


def test_a_file_over_the_limit_is_refused_and_not_kept(as_dept, site_dir, settings):
    settings.MAX_UPLOAD_BYTES = 64 * 1024
    before = kept(site_dir)
    send(as_dept, "big.pdf", PDF + b"0" * (200 * 1024))
    assert "超过 0.0625 MB（考核办规定的上限）" in as_dept.get("/returns/P01/").content.decode()
    assert kept(site_dir) == before and not Upload.objects.exists()


def test_evidence_goes_with_a_claim_and_a_bad_one_stops_the_claim(as_dept, site_dir):
    from wfscore.portal import year

    reward = year.current().rewards()[0].id
    f = io.BytesIO(b"<html>not a pdf</html>")
    f.name = "evidence.pdf"
    as_dept.post("/returns/P01/achievement", {"indicator": reward, "title": "示范", "document": "", "file": f})
    ret = Return.objects.get(department__dept_id="P01")
    assert not ret.achievements.exists() and not Upload.objects.exists()
    f = io.BytesIO(PDF)
    f.name = "evidence.pdf"
    as_dept.post("/returns/P01/achievement", {"indicator": reward, "title": "示范", "document": "文号", "file": f})
    a = ret.achievements.get()
    assert a.evidence.kind == "pdf" and a.evidence.purpose == "evidence"
