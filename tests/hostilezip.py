"""Broken and hostile workbooks, made from a good one by rewriting its zip: the attacks on
``wfscore collect`` and the year loader (README, "Hostile and broken inputs")."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def rewrite(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def sheet_of(path: Path, title: str) -> str:
    """The zip member holding the sheet ``title``."""
    import re

    parts = members(path)
    book = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(title), book).group(1)
    target = re.search(r'<Relationship [^>]*Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or re.search(
        r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid, rels
    )
    target = target.group(1).lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def replace(path: Path, member: str, data: bytes) -> None:
    parts = members(path)
    parts[member] = data
    rewrite(path, parts)


def _headers(raw: bytes, member: str) -> tuple[int, int]:
    """The offsets of ``member``'s local header and of its central directory entry."""
    name = member.encode()
    local = raw.index(b"PK\x03\x04" + raw[4:4])  # the first local header
    while raw[local + 30 : local + 30 + len(name)] != name:
        local = raw.index(b"PK\x03\x04", local + 4)
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(name)] != name:
        central = raw.index(b"PK\x01\x02", central + 4)
    return local, central


def patch_headers(
    path: Path, member: str, *, flags: int | None = None, method: int | None = None, size: int | None = None
) -> None:
    """Set ``member``'s general purpose flags, compression method or declared unzipped size
    in both of its headers, leaving its data as it is."""
    raw = bytearray(path.read_bytes())
    local, central = _headers(bytes(raw), member)
    if flags is not None:
        struct.pack_into("<H", raw, local + 6, flags)
        struct.pack_into("<H", raw, central + 8, flags)
    if method is not None:
        struct.pack_into("<H", raw, local + 8, method)
        struct.pack_into("<H", raw, central + 10, method)
    if size is not None:
        struct.pack_into("<I", raw, local + 22, size)
        struct.pack_into("<I", raw, central + 24, size)
    path.write_bytes(bytes(raw))


def corrupt_data(path: Path, member: str) -> None:
    """Overwrite the middle of ``member``'s compressed data: a broken deflate stream."""
    raw = bytearray(path.read_bytes())
    local, _ = _headers(bytes(raw), member)
    size, name_len, extra_len = (
        struct.unpack_from("<IHH", raw, local + 18)[0],
        *struct.unpack_from("<HH", raw, local + 26),
    )
    start = local + 30 + name_len + extra_len
    for n in range(start + size // 3, start + size // 3 + max(8, size // 3)):
        raw[n] = 0xFF
    path.write_bytes(bytes(raw))


def bomb(path: Path, size: int, member: str = "xl/media/image1.bin") -> None:
    """Add a part of ``size`` zero bytes (deflated to about a thousandth of it)."""
    parts = members(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open(member, "w", force_zip64=True) as f:
            chunk = bytes(2**20)
            for _ in range(size // len(chunk)):
                f.write(chunk)
