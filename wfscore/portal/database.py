"""A site's PostgreSQL database: its address ``postgresql://user:password@host:port/name``
(``wfscore portal init --db``) read, kept without its password in ``site.json`` (the
password goes to ``db_password``, readable only by its owner), shown without it, and
turned into Django's ``DATABASES`` entry. Nothing here imports Django."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

PASSWORD_FILE = "db_password"
SCHEMES = ("postgresql", "postgres")


class BadAddress(Exception):
    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message, self.message_zh = message, message_zh


@dataclass(frozen=True)
class Address:
    user: str
    password: str
    host: str
    port: str
    name: str
    options: tuple[tuple[str, str], ...] = ()

    def url(self, with_password: bool = False) -> str:
        """The address; its password only when asked for (never printed, logged or kept in site.json)."""
        who = quote(self.user, safe="")
        if with_password and self.password:
            who += ":" + quote(self.password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = (who + "@" if who else "") + host + (f":{self.port}" if self.port else "")
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in self.options)
        return f"postgresql://{netloc}/{quote(self.name, safe='')}" + (f"?{query}" if query else "")


def parse(text: str) -> Address:
    """``postgresql://user:password@host:port/name[?sslmode=…]``; BadAddress naming what is
    wrong (the password never in the message)."""
    shown = redacted(text)
    expected = "expected postgresql://user:password@host:port/name"
    try:
        parts = urlsplit(text.strip())
        port = parts.port  # ValueError when not a number
    except ValueError:
        raise BadAddress(
            f"the database address {shown} cannot be read ({expected})",
            f"无法识别数据库地址 {shown}（应为 postgresql://用户:密码@主机:端口/数据库名）",
        ) from None
    if parts.scheme not in SCHEMES:
        raise BadAddress(
            f"the database address {shown} is not a PostgreSQL one ({expected})",
            f"数据库地址 {shown} 不是 PostgreSQL 地址（应为 postgresql://用户:密码@主机:端口/数据库名）",
        )
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise BadAddress(
            f"the database address {shown} names no database ({expected})",
            f"数据库地址 {shown} 未写数据库名（应为 postgresql://用户:密码@主机:端口/数据库名）",
        )
    return Address(
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=parts.hostname or "",
        port=str(port) if port else "",
        name=name,
        options=tuple(parse_qsl(parts.query)),
    )


def redacted(text: str) -> str:
    """The address as it may be shown: its password replaced by ``***``."""
    try:
        parts = urlsplit(str(text).strip())
        if parts.password is None:
            return str(text).strip()
        user, _, rest = parts.netloc.rpartition("@")
        return parts._replace(netloc=user.split(":", 1)[0] + ":***@" + rest).geturl()
    except ValueError:
        return "postgresql://…"


def password(address: Address, site_dir: Path) -> str:
    if address.password:
        return address.password
    path = Path(site_dir) / PASSWORD_FILE
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def django_database(text: str, site_dir: Path, conn_max_age: int = 60) -> dict:
    """Django's ``DATABASES["default"]`` for the address in site.json."""
    address = parse(text)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": address.name,
        "USER": address.user,
        "PASSWORD": password(address, site_dir),
        "HOST": address.host,
        "PORT": address.port,
        # each server thread keeps its connection for a minute, checked before reuse
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(address.options),
    }
