"""The what-if page and the adjustments desk as pages (Voilà, code hidden), served on
127.0.0.1 to the office alone: ``wfscore app`` and ``wfscore desk`` (:mod:`wfscore.cli.pages`).

Voilà runs in this process, with the page template that travels inside the package
(``wfscore/panels/jupyter/voila/templates/wfscore``: Voilà's ``lab`` template asking
nothing of any other host, its loading text in the page's language), and these guards,
each because a page on 127.0.0.1 is reachable by every web page the analyst visits and
by every local user:

- a **token**, generated here and printed once with the address
  (``http://127.0.0.1:8867/?token=…``); the first request with it gets a login cookie,
  so that the page's own requests (its websocket, its scripts) need no token. Without
  it, a request is sent to the login form: no kernel starts;
- the ``Host`` header must name 127.0.0.1, localhost or [::1] (or a name the office
  allows) with the port served, so a DNS-rebinding page (``Host: evil.example``) is
  refused, token or not; an ``Origin`` header, when sent (always, by a browser, on a
  websocket and on a cross-site POST), must be one of those origins;
- **one kernel per browser session** (per login cookie): reloading the page shuts the
  kernel of the page it replaces down;
- **at most ``max_kernels`` kernels in all** (each a Python process of some 150 MB): a
  new page takes the place of the least recently active kernel no page is connected
  to; when every kernel has its page open, the new page is refused (503) before any
  kernel starts;
- a kernel no page is connected to is **shut down once idle** (``idle_seconds``).

Every request is checked before any handler runs (:class:`Guard` in
:meth:`_GuardedApplication.find_handler`), so the checks hold for Voilà's static files,
its kernel API and its websocket alike. The year folder reaches the notebook as the
environment variable ``WFSCORE_YEAR_DIR``, the page's language as ``WFSCORE_PAGE_LANG``
(the kernels inherit this process's environment).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from wfscore.inputs.params import PAGE_LANG_ENV, YEAR_DIR_ENV, page_lang

PAGES = {"app": "what_if.ipynb", "desk": "adjustments.ipynb"}
PORTS = {"app": 8866, "desk": 8867}
TITLES = {"app": {"zh": "假设分析", "en": "What if"}, "desk": {"zh": "调整审核台", "en": "Adjustments desk"}}
# the Jupyter data folder that holds the page template (voila/templates/wfscore)
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
TEMPLATE = "wfscore"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
IDLE_SECONDS = 3600  # a kernel no page is connected to lives this long once idle
MAX_KERNELS = 4  # kernels at once: the pages one person has open


def notebook_path(page: str) -> Path:
    """The page's notebook: ``notebooks/`` of the source tree (an editable install), or
    the copy a wheel carries inside the package (``wfscore/notebooks/``)."""
    package = Path(__file__).resolve().parent.parent  # wfscore/
    name = PAGES[page]
    for path in (package.parent / "notebooks" / name, package / "notebooks" / name):
        if path.is_file():
            return path
    raise FileNotFoundError(2, "No such file or directory", str(package / "notebooks" / name))


def host_name(text: str) -> str | None:
    """A host name as the office may allow it (``--allow-host``): lower case, without
    brackets; None for what is not a host name (a port, a path, a scheme)."""
    name = text.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name if re.fullmatch(r"[a-z0-9_.:-]+", name) and not re.fullmatch(r"[0-9]+", name) else None


@dataclass(frozen=True)
class Guard:
    """Which ``Host`` and ``Origin`` headers a page answers: the names it allows, on its port."""

    port: int
    names: frozenset[str] = field(default_factory=lambda: frozenset(LOCAL_HOSTS))

    def host_ok(self, host: str | None) -> bool:
        """``Host: name:port``, the name allowed and the port the one served (a browser
        always sends the port when it is not 80)."""
        found = _HOST.fullmatch((host or "").strip())
        return bool(found) and self._allowed(found)

    def origin_ok(self, origin: str) -> bool:
        """``Origin: http://name:port``, as ``Host``."""
        found = re.fullmatch(r"http://(.+)", origin.strip(), flags=re.I)
        return bool(found) and self.host_ok(found.group(1))

    def _allowed(self, found: re.Match) -> bool:
        return found.group(1).lower().strip("[]") in self.names and int(found.group(2)) == self.port


# what a refused request gets (its Chinese in wfscore.inputs.messages_zh, said in the page's language)
REFUSED = "403: this page answers 127.0.0.1 only"
# and a new page when every kernel allowed has its page open
BUSY = "503: {n} pages are open already (each holds a Python process); close one, then open this again"


def page_text(message: str, lang: str) -> str:
    """One of the pages' own texts in the page's language, as a plain-text body."""
    from wfscore.inputs.messages_zh import in_lang

    return in_lang(message, lang) + "\n"


_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})")


@dataclass
class Served:
    """What :func:`serve` tells the one who asked, once the page answers."""

    page: str
    url: str  # with the token: the address to open, printed once
    port: int
    token: str
    notebook: Path


def serve(
    page: str,
    year_dir: Path | str | None = None,
    *,
    port: int | None = None,
    lang: str = "",
    allow_hosts: tuple[str, ...] = (),
    idle_seconds: int = IDLE_SECONDS,
    max_kernels: int = MAX_KERNELS,
    ready: Callable[[Served], None] | None = None,
) -> None:
    """Serve ``page`` ("app" or "desk") until interrupted (Ctrl+C, or SIGTERM); ``ready``
    is called once the port is bound, with the address to open. ``lang``: the page's
    language, "zh" or "en"; "" keeps ``WFSCORE_PAGE_LANG`` (else zh). Raises OSError when
    the port cannot be bound or the notebook is missing, ParameterError for another language."""
    import secrets

    from traitlets.config import Config

    lang = page_lang(lang)
    notebook = notebook_path(page)
    port = PORTS[page] if port is None else int(port)
    token = secrets.token_urlsafe(32)
    names = frozenset(LOCAL_HOSTS) | {n for n in (host_name(h) for h in allow_hosts) if n}
    # what the kernels inherit: the year folder, the page's language, the template's folder
    if year_dir is not None:
        os.environ[YEAR_DIR_ENV] = str(Path(year_dir).resolve())
    os.environ[PAGE_LANG_ENV] = lang
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")) if p)
    seconds = max(1, int(idle_seconds))
    config = Config(
        {
            "Voila": {
                "root_dir": str(notebook.parent),  # Voilà's file handler serves nothing else
                "ip": "127.0.0.1",
                "port": port,
                "port_retries": 0,
                "open_browser": False,
                "token": token,
                "log_level": "WARN",
            },
            "VoilaConfiguration": {
                "template": TEMPLATE,
                "resources": {"wfscore_lang": lang, "wfscore_title": TITLES[page][lang]},
            },
            "MappingKernelManager": {
                "cull_idle_timeout": seconds,
                "cull_interval": max(1, min(60, seconds // 2)),
                "cull_connected": False,
                "cull_busy": False,
            },
        }
    )
    app = _voila_class()(guard=Guard(port, names), max_kernels=max(1, int(max_kernels)), config=config)
    app.initialize([str(notebook)])
    app.announce = lambda: (
        ready and ready(Served(page, f"http://127.0.0.1:{port}/?token={token}", port, token, notebook))
    )
    app.start()


def _voila_class():
    """Voilà's application with the guards (built when serving: importing Voilà is slow)."""
    import asyncio
    import tempfile

    import tornado.ioloop
    import tornado.web
    from jupyter_core.utils import ensure_async
    from traitlets import default
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    def connected(manager, kernel_id: str) -> bool:
        return manager._kernel_connections.get(kernel_id, 0) > 0  # what jupyter_server counts for /api/kernels

    def make_room(manager, keep: set[str], limit: int) -> list[str]:
        """The kernels to shut down so that one more fits under ``limit``: the least recently
        active of those no page is connected to (never those of ``keep``)."""
        ids = [k for k in manager.list_kernel_ids() if k not in keep]
        spare = sorted((k for k in ids if not connected(manager, k)), key=lambda k: manager.get_kernel(k).last_activity)
        return spare[: max(0, len(ids) + 1 - limit)]

    class Refused(tornado.web.RequestHandler):
        def prepare(self):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(page_text(REFUSED, self.settings.get("wfscore_lang", "zh")))

    class GuardedApplication(tornado.web.Application):
        def find_handler(self, request, **kwargs):
            guard: Guard = self.settings["wfscore_guard"]
            origin = request.headers.get("Origin")
            if not guard.host_ok(request.headers.get("Host")) or (origin is not None and not guard.origin_ok(origin)):
                return self.get_handler_delegate(request, Refused)
            return super().find_handler(request, **kwargs)

    class SessionKernels:
        """The kernel manager as the page handler sees it: a kernel it starts replaces the
        one its browser session had."""

        def __init__(self, manager, handler):
            self._manager, self._handler = manager, handler

        def __getattr__(self, name):
            return getattr(self._manager, name)

        async def start_kernel(self, **kwargs):
            settings = self._handler.settings
            sessions: dict = settings["wfscore_sessions"]
            session = self._handler.session_name()
            previous = sessions.get(session)
            for spare in make_room(self._manager, {previous} if previous else set(), settings["wfscore_max_kernels"]):
                await ensure_async(self._manager.shutdown_kernel(spare))
            kernel_id = await ensure_async(self._manager.start_kernel(**kwargs))
            sessions[session] = kernel_id
            if previous and previous in self._manager.list_kernel_ids():
                task = asyncio.ensure_future(ensure_async(self._manager.shutdown_kernel(previous)))
                settings["wfscore_tasks"].add(task)
                task.add_done_callback(settings["wfscore_tasks"].discard)
            return kernel_id

    class OnePerSession(TornadoVoilaHandler):
        @property
        def kernel_manager(self):
            return SessionKernels(super().kernel_manager, self)

        def session_name(self) -> str:
            user = self.current_user
            return getattr(user, "username", None) or str(user)

        async def get(self, path=None):
            if self.current_user:  # (without a login, Voilà's own get sends to the login form)
                manager = super().kernel_manager
                previous = self.settings["wfscore_sessions"].get(self.session_name())
                ids = [k for k in manager.list_kernel_ids() if k != previous]
                if len(ids) >= self.settings["wfscore_max_kernels"] and all(connected(manager, k) for k in ids):
                    self.set_status(503)
                    self.set_header("Content-Type", "text/plain; charset=utf-8")
                    self.finish(page_text(BUSY.format(n=len(ids)), self.settings["wfscore_lang"]))
                    return
            return await super().get(path)

    class OfficeVoila(Voila):
        def __init__(self, guard: Guard, max_kernels: int = MAX_KERNELS, **kwargs):
            super().__init__(**kwargs)
            self.guard, self.max_kernels = guard, max_kernels
            self.announce = lambda: None

        @default("config_file_paths")
        def _no_config_files(self):
            return []  # a voila.json lying about can loosen none of the guards

        def init_settings(self):
            settings = super().init_settings()
            # jupyter_server's own check too: loopback addresses and these names only
            settings["allow_remote_access"] = False
            settings["local_hostnames"] = sorted(self.guard.names)
            settings["wfscore_guard"] = self.guard
            settings["wfscore_sessions"] = {}
            settings["wfscore_tasks"] = set()
            settings["wfscore_max_kernels"] = self.max_kernels
            settings["wfscore_lang"] = os.environ.get(PAGE_LANG_ENV, "zh")
            return settings

        def init_handlers(self):
            return [
                (h[0], OnePerSession, *h[2:]) if h[1] is TornadoVoilaHandler else h for h in super().init_handlers()
            ]

        def start(self):
            """Voilà's start on one port (no other tried), the guarded application, then
            ``announce`` once the port is bound."""
            self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
            settings = self.init_settings()
            self.app = GuardedApplication(**settings)
            self.app.settings.update(self.tornado_settings)
            self.app.add_handlers(".*$", self.init_handlers())
            try:
                self.app.listen(self.port, self.ip)
            except OSError:
                self.stop()
                raise
            self.announce()
            self.ioloop = tornado.ioloop.IOLoop.current()
            try:
                self.ioloop.start()
            except KeyboardInterrupt:
                pass
            finally:
                self.stop()

    return OfficeVoila
