"""Websites on 127.0.0.1 for the monitoring's tests, and a guard that no test reaches
any other address.

:class:`Sites` serves, on one port each started and stopped by the test: ``/ok`` (a
GB2312 page naming the department, with the unified site mark), ``/utf8``, ``/error``
(500), ``/slow`` (answers after :data:`SLOW` seconds), ``/loop`` (redirects in a circle),
``/hops`` (seven redirects in a row), ``/away`` (a redirect to another site), and over
https with a certificate from a test CA (trusted through the probe's ``context``) or a
self-signed one. :func:`closed_port` is a port nothing listens on.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from helpers import need

NAME = "市委办公室"
MARK = "潍坊市政府网站统一标识"
SLOW = 3.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class _Handler(BaseHTTPRequestHandler):
    hits: list[str]

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.server.hits.append(self.path)
        path = self.path.split("?")[0]
        if path in ("/ok", "/"):
            page = (
                f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                f"<title>{NAME}</title></head><body><p>{MARK}</p><script>var x='无关';</script></body></html>"
            )
            self._send(200, page.encode("gb2312"), {"Content-Type": "text/html"})
        elif path == "/utf8":
            self._send(
                200,
                f"<html><title>欢迎</title><body>{NAME}</body></html>".encode(),
                {"Content-Type": "text/html; charset=utf-8"},
            )
        elif path == "/other":
            self._send(200, "<html><title>It works!</title></html>".encode(), {"Content-Type": "text/html"})
        elif path == "/imgmark":  # the mark only as an image's alt text
            page = f'<html><title>{NAME}</title><body><img alt="{MARK}" src="/m.png"></body></html>'
            self._send(200, page.encode("gbk"), {"Content-Type": "text/html; charset=GBK"})
        elif path == "/error":
            self._send(500, b"oops")
        elif path == "/slow":
            time.sleep(SLOW)
            self._send(200, b"late")
        elif path == "/loop":
            self._send(302, headers={"Location": "/loop2"})
        elif path == "/loop2":
            self._send(302, headers={"Location": "/loop"})
        elif path.startswith("/hops"):
            n = int(path[5:] or 0)
            self._send(302, headers={"Location": f"/hops{n + 1}"})
        elif path == "/away":
            self._send(302, headers={"Location": "http://example.com/"})
        elif path == "/moved":
            self._send(301, headers={"Location": "/ok"})
        else:
            self._send(404, b"no")


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that hung up (the probe's time limit)
        pass


class Server:
    def __init__(self, context: ssl.SSLContext | None = None):
        self.httpd = _Quiet(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.hits = []
        if context is not None:
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.scheme = "https" if context is not None else "http"

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def certificates(folder: Path) -> dict[str, Path]:
    """A test CA, a certificate it signed for 127.0.0.1, and a self-signed one."""
    need(shutil.which("openssl") is not None, "the openssl command (to make test certificates)")
    folder.mkdir(parents=True, exist_ok=True)
    ext = folder / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n", encoding="ascii")
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=wfscore test CA",
        cwd=folder,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "site.key",
        "-out",
        "site.csr",
        "-subj",
        "/CN=127.0.0.1",
        cwd=folder,
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        "site.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "site.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        cwd=folder,
    )
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "self.key",
        "-out",
        "self.pem",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        cwd=folder,
    )
    return {n: folder / n for n in ("ca.pem", "site.pem", "site.key", "self.pem", "self.key")}


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def guard_loopback(monkeypatch) -> list[tuple]:
    """Refuse (and record) every connection or name lookup that is not for the loopback."""
    tried: list[tuple] = []
    real_connect, real_lookup = socket.create_connection, socket.getaddrinfo

    def connect(address, *args, **kwargs):
        if address[0] not in LOOPBACK:
            tried.append(("connect", address))
            raise ConnectionRefusedError(f"the tests reach no address but the loopback: {address!r}")
        return real_connect(address, *args, **kwargs)

    def lookup(host, *args, **kwargs):
        if host not in LOOPBACK:
            tried.append(("lookup", host))
            raise socket.gaierror(f"the tests look up no name but the loopback: {host!r}")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return tried
