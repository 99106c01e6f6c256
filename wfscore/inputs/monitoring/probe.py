"""Checking each department's website once (``wfscore monitor probe``).

One GET of the address in ``departments.csv`` (column ``website``), by the standard
library's :mod:`http.client` with the system's certificate store
(:func:`ssl.create_default_context`): a plain, bounded request that needs nothing the
office's machine lacks. What each probe records: the HTTP status, the time taken, whether
TLS verifies where the address is https, whether the host ends in ``.gov.cn``, whether the
page names the department (its name in the title or text) and shows the scheme's unified
site mark, and whether the site was up (``ok``: a 2xx answer, over verified TLS where
https).

Bounds, so that no site can hold a run: a time limit per site that covers the whole
exchange, redirects included (the socket's timeout is what is left of it at each step,
and the page is read a piece at a time); at most :data:`MAX_PAGE` bytes of a page;
at most :data:`MAX_REDIRECTS` redirects; and a bound on the whole run, after which no
further site is started. Requests go to the departments' own sites only: a redirect is
followed only to the same host (``www.`` aside) or a host under it
(``x.gov.cn`` → ``www.x.gov.cn``, ``zwgk.x.gov.cn``); anywhere else is recorded, not
visited.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import http.client
import re
import socket
import ssl
import time
import unicodedata
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

MAX_PAGE = 512 * 1024  # bytes of a page read to look for the name and the mark
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "wfscore-monitor (the informatization office's website check)"

# What a probe's note says, in the language of the results.
NOTES = {
    "timeout": ("{s:g} 秒内未完成", "no answer within {s:g} s"),
    "refused": ("连接被拒绝", "connection refused"),
    "no_host": ("找不到主机名", "host name not found"),
    "network": ("网络错误：{why}", "network error: {why}"),
    "certificate": ("证书验证未通过：{why}", "the certificate does not verify: {why}"),
    "tls": ("TLS 连接失败：{why}", "TLS failed: {why}"),
    "http": ("HTTP 出错：{why}", "HTTP error: {why}"),
    "loop": ("重定向形成循环：{url}", "redirects in a loop: {url}"),
    "too_many": ("重定向超过 {n} 次", "more than {n} redirects"),
    "elsewhere": ("重定向到其他网站，未跟随：{url}", "redirect to another site, not followed: {url}"),
    "no_location": ("重定向未给出目标地址", "a redirect without a Location"),
    "status": ("HTTP 状态 {status}", "HTTP status {status}"),
    "no_name": ("页面中未见部门名称", "the page does not name the department"),
    "no_mark": ("页面中未见统一网站标识", "the page does not show the unified site mark"),
    "no_website": ("departments.csv 中没有网站地址", "no website in departments.csv"),
}


@dataclass(frozen=True)
class Site:
    dept_id: str
    name: str
    url: str


@dataclass(frozen=True)
class Probe:
    """One probe of one site: a row of ``probes.csv``."""

    dept_id: str
    time: str  # when it started, local time with its offset (ISO 8601, seconds)
    url: str
    status: int | None
    ms: int
    tls: bool | None  # None: not https
    gov_cn: bool
    ok: bool
    note: str

    def row(self) -> list[object]:
        return [
            self.dept_id,
            self.time,
            self.url,
            "" if self.status is None else self.status,
            self.ms,
            "" if self.tls is None else self.tls,
            self.gov_cn,
            self.ok,
            self.note,
        ]


def _note(lang: str, key: str, **parts) -> str:
    zh, en = NOTES[key]
    return (en if lang == "en" else zh).format(**parts)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def same_site(origin: str, target: str) -> bool:
    """Whether a redirect from host ``origin`` to host ``target`` stays on the
    department's own site: the same host, ``www.`` aside, or a host under it."""
    base = origin.removeprefix("www.")
    target = target.removeprefix("www.")
    return bool(base) and (target == base or target.endswith("." + base))


def is_gov_cn(host: str) -> bool:
    return host.rstrip(".").lower().endswith(".gov.cn")


# -- the page --------------------------------------------------------------------------------

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>", re.S)
_SPACE = re.compile(r"\s+")
_GB = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "cp936", "ms936", "gb18030"}


def charset(content_type: str, body: bytes) -> str | None:
    """The page's encoding: the Content-Type's charset, else a ``<meta>`` one, else None
    (GB2312 and GBK are read as GB18030, which holds them)."""
    found = None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.I)
    if m:
        found = m.group(1)
    else:
        m = _META.search(body[:8192])
        if m:
            found = m.group(1).decode("ascii", "replace")
    if found is None:
        return None
    found = found.strip().lower()
    if found in _GB:
        return "gb18030"
    try:
        return codecs.lookup(found).name
    except LookupError:
        return None


def decoded(body: bytes, content_type: str = "") -> str:
    """The page's HTML as text: by :func:`charset`; else UTF-8, else GB18030."""
    encoding = charset(content_type, body)
    if encoding is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return body.decode("gb18030", "replace")
    return body.decode(encoding, "replace")


def page_text(body: bytes, content_type: str = "") -> str:
    """The page's title and text, decoded (:func:`decoded`), tags, scripts and styles
    taken out, entities read, spaces folded."""
    text = _TAG.sub(" ", _SCRIPT.sub(" ", decoded(body, content_type)))
    return _SPACE.sub(" ", html.unescape(text))


def _folded(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def names(text: str, name: str) -> bool:
    """Whether ``text`` holds ``name`` (spaces, full-width forms and case aside)."""
    wanted = _folded(name)
    return bool(wanted) and wanted in _folded(text)


# -- one site --------------------------------------------------------------------------------


class _Late(Exception):
    pass


def _request(url: str, deadline: float, context: ssl.SSLContext, max_page: int):
    """(status, headers, body) of one GET of ``url``, all of it before ``deadline``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host_ascii = host.encode("idna").decode("ascii")
    except UnicodeError:
        host_ascii = host
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Late
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host_ascii, parts.port, timeout=left, context=context)
    else:
        conn = http.client.HTTPConnection(host_ascii, parts.port, timeout=left)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request(
            "GET",
            path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,*/*;q=0.5",
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        body = b""
        if response.status not in REDIRECTS:
            while len(body) < max_page:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _Late
                if conn.sock is not None:
                    conn.sock.settimeout(left)
                piece = response.read1(min(65536, max_page - len(body)))
                if not piece:
                    break
                body += piece
        return response.status, response.headers, body
    finally:
        conn.close()


def probe(
    site: Site,
    timeout: float = 10.0,
    mark: str | None = None,
    lang: str = "zh",
    context: ssl.SSLContext | None = None,
    max_page: int = MAX_PAGE,
) -> Probe:
    """Probe ``site`` once, all of it within ``timeout`` seconds."""
    context = context or ssl.create_default_context()
    started = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    t0 = time.monotonic()
    deadline = t0 + timeout
    url = site.url
    origin = _host(url)
    seen = {url}
    status: int | None = None
    tls: bool | None = True if urlsplit(url).scheme == "https" else None
    notes: list[str] = []
    ok = False

    def done() -> Probe:
        host = _host(url)
        return Probe(
            site.dept_id,
            started,
            site.url,
            status,
            int(round((time.monotonic() - t0) * 1000)),
            tls,
            is_gov_cn(host),
            ok,
            ("; " if lang == "en" else "；").join(notes),
        )

    for hop in range(MAX_REDIRECTS + 1):
        https = urlsplit(url).scheme == "https"
        try:
            status, headers, body = _request(url, deadline, context, max_page)
        except (_Late, socket.timeout, TimeoutError):
            notes.append(_note(lang, "timeout", s=timeout))
            return done()
        except ssl.SSLCertVerificationError as exc:
            tls = False
            notes.append(_note(lang, "certificate", why=exc.verify_message or exc.reason or exc.__class__.__name__))
            return done()
        except ssl.SSLError as exc:
            tls = False
            notes.append(_note(lang, "tls", why=exc.reason or exc.__class__.__name__))
            return done()
        except ConnectionRefusedError:
            notes.append(_note(lang, "refused"))
            return done()
        except socket.gaierror:
            notes.append(_note(lang, "no_host"))
            return done()
        except http.client.HTTPException as exc:
            notes.append(_note(lang, "http", why=exc.__class__.__name__))
            return done()
        except OSError as exc:
            notes.append(_note(lang, "network", why=exc.strerror or exc.__class__.__name__))
            return done()
        if https and tls is None:
            tls = True
        if status in REDIRECTS:
            location = headers.get("Location")
            if not location:
                notes.append(_note(lang, "no_location"))
                return done()
            target = urljoin(url, location.strip())
            if urlsplit(target).scheme not in ("http", "https") or not same_site(origin, _host(target)):
                notes.append(_note(lang, "elsewhere", url=target[:300]))
                return done()
            if target in seen:
                notes.append(_note(lang, "loop", url=target[:300]))
                return done()
            if hop == MAX_REDIRECTS:
                notes.append(_note(lang, "too_many", n=MAX_REDIRECTS))
                return done()
            seen.add(target)
            if urlsplit(target).scheme == "https" and tls is None:
                tls = True  # the site moved to https: its TLS is what is tested now
            url = target
            continue
        break
    if not 200 <= status < 300:
        notes.append(_note(lang, "status", status=status))
        return done()
    ok = tls is not False
    text = page_text(body, headers.get("Content-Type", ""))
    if not names(text, site.name):
        notes.append(_note(lang, "no_name"))
    # the mark may be text, or stand in a tag (an image's alt or file name)
    if mark and not names(text + " " + html.unescape(decoded(body, headers.get("Content-Type", ""))), mark):
        notes.append(_note(lang, "no_mark"))
    return done()


# -- every site ------------------------------------------------------------------------------


def probe_all(
    sites: Iterable[Site],
    jobs: int = 8,
    timeout: float = 10.0,
    bound: float = 300.0,
    mark: str | None = None,
    lang: str = "zh",
    on_probe: Callable[[Probe], None] | None = None,
    context: ssl.SSLContext | None = None,
) -> tuple[list[Probe], list[Site]]:
    """Probe every site, at most ``jobs`` at a time; ``on_probe`` gets each probe as it
    ends (in the calling thread). No site is started after ``bound`` seconds; those are
    returned as not probed. The run ends within ``bound`` + ``timeout`` seconds."""
    sites = list(sites)
    context = context or ssl.create_default_context()
    done: list[Probe] = []
    t_end = time.monotonic() + bound
    queue = list(reversed(sites))
    running = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        while queue or running:
            while queue and len(running) < jobs and time.monotonic() < t_end:
                site = queue.pop()
                running[pool.submit(probe, site, timeout, mark, lang, context)] = site
            if not running:
                break
            finished, _ = wait(
                running, timeout=max(0.05, min(1.0, t_end - time.monotonic())), return_when=FIRST_COMPLETED
            )
            for future in finished:
                running.pop(future)
                result = future.result()
                done.append(result)
                if on_probe is not None:
                    on_probe(result)
    return done, list(reversed(queue))
