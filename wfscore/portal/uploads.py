"""Files departments send (the self-check report, evidence of an achievement): checked by
what they hold, not by their names, and kept under a random name outside any served
folder.

- PDF: begins ``%PDF-``;
- DOCX: a zip holding ``[Content_Types].xml`` and ``word/document.xml``, with at most
  :data:`MAX_MEMBERS` members that unpack to at most :data:`MAX_UNPACKED` bytes and no
  member packed more than :data:`MAX_RATIO` to one (a zip bomb is refused unread);
- WPS (WPS Office's own format, like Word 97's): an OLE compound file (``D0 CF 11 E0``).

Anything else (an HTML page named ``.pdf``, a renamed program) is refused, and nothing
of it is kept.
"""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler

MAX_MEMBERS = 2000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "wps": "application/vnd.ms-works",
}


class BadUpload(Exception):
    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message, self.message_zh = message, message_zh


class LimitedUpload(TemporaryFileUploadHandler):
    """Django's upload handler that stops keeping a file once it passes the size limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            self.file.close()
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


def kind_of(path: Path) -> str:
    """``pdf``, ``docx`` or ``wps``, by content; :class:`BadUpload` otherwise."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE):
        return "wps"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                members = z.infolist()
                if len(members) > MAX_MEMBERS:
                    raise BadUpload(
                        f"is a zip of {len(members)} files (a DOCX has far fewer)",
                        f"是含 {len(members)} 个文件的压缩包（不是正常的 DOCX 文件）",
                    )
                total = sum(m.file_size for m in members)
                if total > MAX_UNPACKED or any(m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members):
                    raise BadUpload(
                        "unpacks to far more than it holds (a zip bomb, not a DOCX)",
                        "解压后远大于文件本身（疑似压缩炸弹，不是正常的 DOCX 文件）",
                    )
                names = {m.filename for m in members}
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        raise BadUpload(
            "is a zip file but not a Word document (expected PDF, DOCX or WPS)",
            "是压缩文件而不是 Word 文档（应为 PDF、DOCX 或 WPS 文件）",
        )
    raise BadUpload(
        "is not a PDF, DOCX or WPS file (checked by its content, not its name)",
        "不是 PDF、DOCX 或 WPS 文件（按文件内容判断，而非文件名）",
    )


def keep(uploaded, request, ret, purpose: str):
    """Check ``uploaded`` (a Django UploadedFile) and keep it: an :class:`~.models.Upload`,
    or :class:`BadUpload` with nothing kept."""
    from wfscore.portal.models import Upload

    if getattr(request, "upload_too_large", False) or uploaded is None:
        if getattr(request, "upload_too_large", False):
            mb = f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"
            raise BadUpload(f"is larger than {mb} MB (the limit the office set)", f"超过 {mb} MB（考核办规定的上限）")
        raise BadUpload("no file was sent", "未选择文件")
    if uploaded.size > settings.MAX_UPLOAD_BYTES:
        mb = f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"
        raise BadUpload(f"is larger than {mb} MB (the limit the office set)", f"超过 {mb} MB（考核办规定的上限）")
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    target = folder / name
    digest = hashlib.sha256()
    try:
        with open(target, "xb") as out:
            for chunk in uploaded.chunks():
                digest.update(chunk)
                out.write(chunk)
        kind = kind_of(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Upload.objects.create(
        ret=ret,
        purpose=purpose,
        original_name=Path(uploaded.name or "file").name[:255],
        stored_name=name,
        kind=kind,
        size=target.stat().st_size,
        sha256=digest.hexdigest(),
        uploaded_by=request.user.get_username(),
    )


def path_of(upload) -> Path:
    return Path(settings.UPLOAD_DIR) / upload.stored_name
