"""The what-if and desk pages are the office's alone: ``wfscore desk`` (and ``wfscore
app``, served alike) on 127.0.0.1, attacked as a web page the analyst visits or another
local user would attack it.

- a plain GET without the token (``<img src=http://127.0.0.1:8867/>`` on any page), the
  kernel API and the kernel's websocket without it are refused and start no kernel;
- DNS rebinding (``Host: evil.example:PORT``) is refused even with the token, and so is
  the desk's websocket opened from ``Origin: http://evil.example``: the attack that
  typed a reviewer into the desk and clicked (``exemptions.csv`` changed, ``decisions.csv``
  recorded "evil.example") changes no file; the same messages from the page's own
  origin do (so the attack is real, and the guard is what stops it);
- N GETs of one browser session (one login cookie) leave one kernel, not N; N GETs with
  the token but no cookie (N sessions) never hold more than ``--max-pages`` kernels, and
  when every one has its page open a new page is refused (503) and starts none;
- a kernel nobody is connected to is shut down once idle.

Each test drives the server with httpx and websocket-client on 127.0.0.1 and counts the
server's kernels as its child processes (psutil)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest
import websocket

from helpers import SAMPLE
from serving import kernels, served, wait_for_kernels

RENDER_TIMEOUT = 180  # s for a page (its kernel started, the notebook run) to be sent whole
ATTACKER = "evil.example"


def kernel_id(process: psutil.Process) -> str:
    """The id of a kernel, read from its connection file's name (kernel-<id>.json)."""
    for part in process.cmdline():
        found = re.search(r"kernel-([0-9a-f-]{36})\.json$", part)
        if found:
            return found.group(1)
    raise AssertionError(process.cmdline())


@contextmanager
def desk(tmp_path: Path, *options: str):
    """``wfscore desk`` on a scratch copy of the 2011 sample; yields the server and the
    address it printed (with its token)."""
    year_dir = tmp_path / "2011"
    if not year_dir.exists():
        shutil.copytree(SAMPLE, year_dir)
    with served("desk", year_dir, tmp_path / f"desk-{uuid.uuid4().hex[:8]}.log", *options) as (server, address):
        assert "token=" in address  # printed once, with the address
        yield server, address


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def origin(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def logged_in(address: str) -> tuple[httpx.Client, str]:
    """A browser session: the page fetched with the token (the whole page, its kernel
    started); the client, holding the login cookie, and that cookie as a header."""
    client = httpx.Client(timeout=RENDER_TIMEOUT)
    page = client.get(address)
    assert page.status_code == 200 and "wf-" in page.text, page.status_code
    assert client.cookies  # the token became a login cookie
    return client, "; ".join(f"{k}={v}" for k, v in client.cookies.items())


class Widgets:
    """The desk driven as its page drives it, over the kernel's websocket (Jupyter's
    messages as JSON, ipywidgets' comm protocol): what a rebinding page would send."""

    def __init__(self, socket: websocket.WebSocket):
        self.socket, self.session = socket, uuid.uuid4().hex

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        header = {
            "msg_id": uuid.uuid4().hex,
            "username": ATTACKER,
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": "2026-01-01T00:00:00Z",
        }
        self.socket.send(
            json.dumps(
                {
                    "header": header,
                    "parent_header": {},
                    "metadata": metadata or {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )

    def receive(self, deadline: float) -> dict:
        """The next message, or AssertionError once ``deadline`` (time.monotonic()) has
        passed: the server's pings (every 30 s) answered on the way, never waited on past it."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("the kernel sent nothing more in time")
            self.socket.settimeout(left)
            try:
                opcode, frame = self.socket.recv_data(control_frame=True)
            except websocket.WebSocketTimeoutException:
                continue
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise AssertionError("the server closed the kernel's websocket")
            if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                break
        if opcode == websocket.ABNF.OPCODE_BINARY:  # a message with buffers: counts and offsets, then its JSON
            (count,) = struct.unpack("!I", frame[:4])
            offsets = struct.unpack(f"!{count}I", frame[4 : 4 + 4 * count])
            frame = frame[offsets[0] : offsets[1] if count > 1 else len(frame)]
        return json.loads(frame.decode("utf-8"))

    def states(self) -> dict[str, dict]:
        """Every widget's state, as the page asks for them when it opens (the control
        comm of ipywidgets 8, protocol 1.0.0)."""
        control = uuid.uuid4().hex
        self.send(
            "comm_open",
            {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"},
        )
        self.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        deadline = time.monotonic() + 60
        while True:
            msg = self.receive(deadline)
            data = msg.get("content", {}).get("data", {})
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return data["states"]
            if msg.get("msg_type") == "comm_close" and msg.get("content", {}).get("comm_id") == control:
                raise AssertionError(f"the kernel refused the widget control comm: {msg}")

    def find(self, states: dict, css: str) -> tuple[str, dict]:
        [(model, state)] = [(k, v["state"]) for k, v in states.items() if css in v["state"].get("_dom_classes", ())]
        return model, state

    def update(self, model: str, **state) -> None:
        self.send("comm_msg", {"comm_id": model, "data": {"method": "update", "state": state, "buffer_paths": []}})

    def click(self, model: str) -> None:
        self.send("comm_msg", {"comm_id": model, "data": {"method": "custom", "content": {"event": "click"}}})


def attack(socket: websocket.WebSocket) -> None:
    """Type the reviewer "evil.example", pick V07's exemption request, click 确认."""
    desk = Widgets(socket)
    states = desk.states()
    reviewer, _ = desk.find(states, "wf-reviewer")
    items, state = desk.find(states, "wf-items")
    confirm, _ = desk.find(states, "wf-confirm")
    [index] = [i for i, label in enumerate(state["_options_labels"]) if "V07" in label and "不适用申请" in label]
    desk.update(reviewer, value=ATTACKER)
    desk.update(items, index=index)
    time.sleep(2)  # the kernel shows the item (and its preview) before the click
    desk.click(confirm)


def refused(url: str, headers: list[str], host: str | None = None) -> int:
    """The status a websocket opening with ``headers`` gets (it must not open)."""
    with pytest.raises(websocket.WebSocketBadStatusException) as caught:
        websocket.create_connection(url, header=headers, host=host, suppress_origin=True, timeout=30)
    return caught.value.status_code


def test_a_request_without_the_token_is_refused_and_starts_no_kernel(tmp_path):
    with desk(tmp_path) as (server, address):
        bare = origin(address) + "/"
        for _ in range(20):  # what <img src=http://127.0.0.1:8867/> on any page sends, again and again
            reply = httpx.get(
                bare, headers={"Accept": "image/*", "Referer": f"http://{ATTACKER}/"}, timeout=RENDER_TIMEOUT
            )
            assert reply.status_code in (302, 401, 403), reply.status_code
            assert "wf-" not in reply.text
        for url in (bare + "?token=" + "0" * 43, bare + "voila/render/adjustments.ipynb"):
            reply = httpx.get(url, timeout=RENDER_TIMEOUT)
            assert reply.status_code in (302, 401, 403), (url, reply.status_code)
        # the kernel API: neither listing nor starting without the token
        assert httpx.get(bare + "api/kernels", timeout=30).status_code in (302, 401, 403)
        assert httpx.post(bare + "api/kernels", json={"name": "python3"}, timeout=30).status_code in (401, 403, 405)
        time.sleep(2)  # a kernel would have started by now
        assert kernels(server) == []


def test_a_foreign_host_is_refused_even_with_the_token(tmp_path):
    """DNS rebinding: evil.example resolved to 127.0.0.1, the browser sends Host: evil.example."""
    with desk(tmp_path) as (server, address):
        port = urlsplit(address).port
        for host in (f"{ATTACKER}:{port}", ATTACKER, f"127.0.0.1.{ATTACKER}:{port}", f"localhost.:{port}"):
            reply = httpx.get(address, headers={"Host": host}, timeout=RENDER_TIMEOUT)
            assert reply.status_code == 403, (host, reply.status_code)
            assert "wf-" not in reply.text and "此页面只应答本机 127.0.0.1" in reply.text, reply.text
        # another port than the one served is another origin too
        reply = httpx.get(address, headers={"Host": f"127.0.0.1:{port + 1}"}, timeout=RENDER_TIMEOUT)
        assert reply.status_code == 403
        # a page of another origin asking with the token (a form posted there, a fetch)
        reply = httpx.get(address, headers={"Origin": f"http://{ATTACKER}"}, timeout=RENDER_TIMEOUT)
        assert reply.status_code == 403
        time.sleep(2)
        assert kernels(server) == []


def test_a_refusal_speaks_the_pages_language(tmp_path):
    """Under --lang en the refusal is English (and the guard the same)."""
    with desk(tmp_path, "--lang", "en") as (server, address):
        port = urlsplit(address).port
        reply = httpx.get(address, headers={"Host": f"{ATTACKER}:{port}"}, timeout=RENDER_TIMEOUT)
        assert reply.status_code == 403 and reply.text == "403: this page answers 127.0.0.1 only\n", reply.text
        reply = httpx.get(address, headers={"Origin": f"http://{ATTACKER}"}, timeout=RENDER_TIMEOUT)
        assert reply.status_code == 403
        assert kernels(server) == []


def test_the_rebinding_attack_on_the_desks_websocket_changes_no_file(tmp_path):
    """The desk open in the analyst's browser (its kernel running); a page of evil.example
    opens the kernel's websocket (cross origin, or rebound to 127.0.0.1 so that Host says
    evil.example too) to type a reviewer and click: refused, no file changes. The same
    messages from the page's own origin do save a decision: the attack is real."""
    year_dir = tmp_path / "2011"
    with desk(tmp_path) as (server, address):
        port = urlsplit(address).port
        client, cookie = logged_in(address)
        [kernel] = wait_for_kernels(server, 1)
        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id(kernel)}/channels"
        before = files(year_dir)
        foreign = f"http://{ATTACKER}:{port}"
        assert refused(url, [f"Cookie: {cookie}", f"Origin: http://{ATTACKER}"]) == 403
        assert refused(url, [f"Cookie: {cookie}", f"Origin: {foreign}"], host=f"{ATTACKER}:{port}") == 403
        assert refused(url, [f"Cookie: {cookie}", "Origin: null"]) == 403  # a sandboxed frame, a file: page
        assert refused(url, [f"Origin: {origin(address)}"]) in (401, 403)  # no cookie, no token
        # a POST from elsewhere (the page's shutdown call, forged) is refused too
        reply = httpx.post(
            f"{origin(address)}/voila/api/shutdown/{kernel_id(kernel)}",
            headers={"Cookie": cookie, "Origin": f"http://{ATTACKER}"},
            timeout=30,
        )
        assert reply.status_code == 403
        time.sleep(3)
        assert files(year_dir) == before
        assert len(kernels(server)) == 1

        own = websocket.create_connection(url, header=[f"Cookie: {cookie}"], origin=origin(address), timeout=60)
        try:
            attack(own)
            deadline = time.monotonic() + 60
            while files(year_dir) == before and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            own.close()
            client.close()
    changed = {name for name, digest in files(year_dir).items() if before.get(name) != digest}
    assert {"exemptions.csv", "decisions.csv"} <= changed, changed
    assert ATTACKER in (year_dir / "decisions.csv").read_text(encoding="utf-8")


def test_one_browser_session_has_one_kernel(tmp_path):
    """Reloading the page (same login cookie) replaces its kernel rather than adding one."""
    with desk(tmp_path) as (server, address):
        client, _ = logged_in(address)
        try:
            bare = origin(address) + "/"
            for _ in range(4):
                again = client.get(bare)  # the cookie alone is enough
                assert again.status_code == 200 and "wf-" in again.text
                assert len(kernels(server)) <= 2  # the new one, and the old one shutting down
        finally:
            client.close()
        assert len(wait_for_kernels(server, 1)) == 1


def test_a_flood_with_the_token_holds_at_most_max_pages_kernels(tmp_path):
    """GETs with the token and no cookie (an <img> on a page the address leaked to: each a
    new session) replace the least recently used kernel no page is connected to, so never
    more than --max-pages run; when every one has its page open, a new page is refused
    before a kernel starts."""
    with desk(tmp_path, "--max-pages", "2") as (server, address):
        port = urlsplit(address).port
        most = 0
        for _ in range(5):
            reply = httpx.get(address, headers={"Accept": "image/*"}, timeout=RENDER_TIMEOUT)
            assert reply.status_code == 200 and "wf-" in reply.text
            most = max(most, len(kernels(server)))
        assert most <= 2 and len(wait_for_kernels(server, 2)) == 2
        # both kernels with their page open (a websocket each): a third page is refused
        sockets = []
        with httpx.Client(timeout=RENDER_TIMEOUT) as first, httpx.Client(timeout=RENDER_TIMEOUT) as second:
            for client in (first, second):
                assert client.get(address).status_code == 200
            ids = [kernel_id(k) for k in wait_for_kernels(server, 2)]
            for client, kernel in zip((first, second), ids):
                cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
                sockets.append(
                    websocket.create_connection(
                        f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels",
                        header=[f"Cookie: {cookie}"],
                        origin=origin(address),
                        timeout=30,
                    )
                )
            try:
                full = httpx.get(address, timeout=RENDER_TIMEOUT)
                assert full.status_code == 503 and "已经打开了 2 个页面" in full.text, (full.status_code, full.text)
                time.sleep(2)
                assert sorted(kernel_id(k) for k in kernels(server)) == sorted(ids)
            finally:
                for socket in sockets:
                    socket.close()


def test_idle_kernels_are_shut_down(tmp_path):
    """Pages fetched but never connected to (closed tabs, a script's GETs) lose their
    kernels once idle: here after 3 s (--idle-minutes 0.05)."""
    with desk(tmp_path, "--idle-minutes", "0.05") as (server, address):
        for _ in range(3):
            page = httpx.get(address, timeout=RENDER_TIMEOUT)
            assert page.status_code == 200 and "wf-" in page.text
        assert kernels(server)
        assert wait_for_kernels(server, 0, timeout=120) == []
