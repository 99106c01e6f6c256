"""The office's key for its forms, and the signature each form carries (README, "Collecting
a year's inputs").

``wfscore forms`` makes the key once, in the year's folder (:data:`KEY_FILE`), readable by
its owner alone where the system allows it; each form's hidden identity (its kind, year,
scheme check code, department or expert, rows and columns) is signed with it
(HMAC-SHA256). ``wfscore collect`` refuses a form whose identity does not match its
signature: a form relabelled for another department, year or scheme, or one made
elsewhere. The key is never written into a form and must not be sent with them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from wfscore.inputs.problems import Problem, error

KEY_FILE = ".wfscore-forms-key"
SIGNATURE = "signature"
_KEY_CHARS = 64  # 32 random bytes, as hexadecimal digits


def key_path(year: Path | str) -> Path:
    return Path(year) / KEY_FILE


def make_key(year: Path | str) -> bytes:
    """The year's key, made (and kept in ``year``) when there is none yet."""
    path = key_path(year)
    key, problem = read_key(year)
    if problem is not None:
        from wfscore.inputs.problems import InputError

        raise InputError([problem], str(year))
    if key is not None:
        return key
    text = secrets.token_hex(_KEY_CHARS // 2)
    try:  # created, never replaced: forms already sent stay good; owner-only where the system has modes
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:  # made by another run just now
        return make_key(year)
    with os.fdopen(fd, "wb") as f:
        f.write((text + "\n").encode("ascii"))
        f.flush()
        os.fsync(f.fileno())
    return text.encode("ascii")


def read_key(year: Path | str) -> tuple[bytes | None, Problem | None]:
    """The year's key; (None, None) when there is none; (None, problem) when it is unreadable."""
    from wfscore.inputs.files import read_file

    path = key_path(year)
    if not os.path.lexists(path):
        return None, None
    raw, problem = read_file(path, str(path), "the key wfscore forms made", 1024)
    if problem is not None:
        return None, problem
    text = raw.decode("ascii", "replace").strip()
    if len(text) != _KEY_CHARS or any(c not in "0123456789abcdef" for c in text):
        return None, error(
            str(path),
            f"is not a wfscore forms key (expected {_KEY_CHARS} hexadecimal digits, as "
            "wfscore forms wrote it: put the key back as it was)",
        )
    return text.encode("ascii"), None


def _message(identity: dict[str, str]) -> bytes:
    fields = sorted((k, v) for k, v in identity.items() if k != SIGNATURE)
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(key: bytes, identity: dict[str, str]) -> str:
    """The signature of a form's identity (every field but the signature, as text)."""
    return hmac.new(key, _message(identity), hashlib.sha256).hexdigest()


def verify(key: bytes, identity: dict[str, str]) -> bool:
    return hmac.compare_digest(sign(key, identity), str(identity.get(SIGNATURE, "")))
