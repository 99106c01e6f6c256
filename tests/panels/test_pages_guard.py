"""The what-if and desk pages are the office's alone: ``wfscore desk`` (and ``wfscore
app``, served alike) on 127.0.0.1, attacked as a web page the analyst visits or another
local user would attack it.

- a plain GET without the token (``<img src=http://127.0.0.1:8867/>`` on any page) is
  refused and starts no kernel;
- DNS rebinding (``Host: evil.example:PORT``) is refused even with the token, and so is
  the desk's websocket opened from ``Origin: http://evil.example`` (the attack that typed
  a reviewer into the desk and changed ``exemptions.csv``);
- N GETs of one browser session (one login cookie) leave one kernel, not N;
- a kernel nobody is connected to is shut down once idle.

Each test drives the server with httpx and websocket-client on 127.0.0.1 and counts the
server's kernels as its child processes (psutil).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest
import websocket

from conftest import SAMPLE, cli_env

START_TIMEOUT = 120  # s for the server to print its address and answer
RENDER_TIMEOUT = 180  # s for a page (its kernel started, the notebook run) to be sent whole
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/\S*")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernels(server: subprocess.Popen) -> list[psutil.Process]:
    """The server's kernels: its child processes running ipykernel."""
    found = []
    for child in psutil.Process(server.pid).children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def kernel_id(process: psutil.Process) -> str:
    """The id of a kernel, read from its connection file's name (kernel-<id>.json)."""
    for part in process.cmdline():
        found = re.search(r"kernel-([0-9a-f-]{36})\.json$", part)
        if found:
            return found.group(1)
    raise AssertionError(process.cmdline())


def stop(server: subprocess.Popen) -> None:
    """The server, then any kernel it left (portable: no process groups, no signals by number)."""
    try:
        children = psutil.Process(server.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@contextmanager
def desk(tmp_path: Path, *options: str):
    """``wfscore desk`` on a scratch copy of the 2011 sample; yields the server and the
    address it printed (with its token)."""
    year_dir = tmp_path / "2011"
    if not year_dir.exists():
        shutil.copytree(SAMPLE, year_dir)
    port = free_port()
    log = tmp_path / f"desk-{port}.log"
    command = [sys.executable, "-m", "wfscore", "desk", str(year_dir), "--port", str(port), *options]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
                                  env=cli_env("zh"))
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = log.read_text(encoding="utf-8", errors="replace")
            found = ADDRESS.search(text)
            if found:
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the desk did not start (exit {server.poll()}):\n{text}")
            time.sleep(0.3)
        address = found.group(0)
        assert urlsplit(address).port == port
        yield server, address
    finally:
        stop(server)


def origin(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def wait_for_kernels(server, count: int, timeout: float = RENDER_TIMEOUT) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while True:
        found = kernels(server)
        if len(found) == count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_a_get_without_the_token_is_refused_and_starts_no_kernel(tmp_path):
    with desk(tmp_path) as (server, address):
        bare = origin(address) + "/"
        for _ in range(4):  # what <img src=http://127.0.0.1:8867/> on any page sends
            reply = httpx.get(bare, timeout=RENDER_TIMEOUT)
            assert reply.status_code in (302, 401, 403), reply.status_code
            assert "wf-" not in reply.text
        wrong = httpx.get(bare + "?token=" + "0" * 43, timeout=RENDER_TIMEOUT)
        assert wrong.status_code in (302, 401, 403), wrong.status_code
        time.sleep(2)  # a kernel would have started by now
        assert kernels(server) == []
        assert "token=" in address  # printed once, with the address


def test_a_foreign_host_is_refused_even_with_the_token(tmp_path):
    """DNS rebinding: evil.example resolved to 127.0.0.1, the browser sends Host: evil.example."""
    with desk(tmp_path) as (server, address):
        port = urlsplit(address).port
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}"):
            reply = httpx.get(address, headers={"Host": host}, timeout=RENDER_TIMEOUT)
            assert reply.status_code == 403, (host, reply.status_code)
            assert "wf-" not in reply.text
        # another port than the one served is another origin too
        reply = httpx.get(address, headers={"Host": f"127.0.0.1:{port + 1}"}, timeout=RENDER_TIMEOUT)
        assert reply.status_code == 403
        time.sleep(2)
        assert kernels(server) == []


def test_the_desks_websocket_refuses_a_foreign_origin(tmp_path):
    """The page's own websocket works; the same from http://evil.example (cross origin, or
    rebound to 127.0.0.1 so that Host says evil.example too) is refused."""
    with desk(tmp_path) as (server, address):
        port = urlsplit(address).port
        with httpx.Client(timeout=RENDER_TIMEOUT) as client:
            page = client.get(address)
            assert page.status_code == 200 and "wf-" in page.text
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        [kernel] = wait_for_kernels(server, 1)
        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id(kernel)}/channels"
        own = websocket.create_connection(url, header=[f"Cookie: {cookie}"], origin=origin(address),
                                          timeout=30)
        own.close()
        for headers, host in ((["Origin: http://evil.example"], None),
                              ([f"Origin: http://evil.example:{port}"], f"evil.example:{port}")):
            with pytest.raises(websocket.WebSocketBadStatusException) as refused:
                websocket.create_connection(url, header=[f"Cookie: {cookie}", *headers], host=host,
                                            suppress_origin=True, timeout=30)
            assert refused.value.status_code == 403
        # a POST from elsewhere (the page's shutdown call, forged) is refused too
        reply = httpx.post(f"{origin(address)}/voila/api/shutdown/{kernel_id(kernel)}",
                           headers={"Cookie": cookie, "Origin": "http://evil.example"}, timeout=30)
        assert reply.status_code == 403
        assert len(kernels(server)) == 1


def test_one_browser_session_has_one_kernel(tmp_path):
    """Reloading the page (same login cookie) replaces its kernel rather than adding one."""
    with desk(tmp_path) as (server, address):
        with httpx.Client(timeout=RENDER_TIMEOUT) as client:
            first = client.get(address)
            assert first.status_code == 200 and "wf-" in first.text
            assert client.cookies  # the token became a login cookie
            bare = origin(address) + "/"
            for _ in range(3):
                again = client.get(bare)  # the cookie alone is enough
                assert again.status_code == 200 and "wf-" in again.text
        time.sleep(2)
        assert len(wait_for_kernels(server, 1)) == 1


def test_an_idle_kernel_is_shut_down(tmp_path):
    """A page fetched but never connected to (a closed tab, a script) loses its kernel
    once idle: here after 3 s (--idle-minutes 0.05)."""
    with desk(tmp_path, "--idle-minutes", "0.05") as (server, address):
        page = httpx.get(address, timeout=RENDER_TIMEOUT)
        assert page.status_code == 200 and "wf-" in page.text
        assert wait_for_kernels(server, 0, timeout=120) == []
