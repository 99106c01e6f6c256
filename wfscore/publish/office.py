"""A Word document to PDF with LibreOffice (``soffice --headless --convert-to pdf``).

The notice (:mod:`wfscore.publish.notice`) names the fonts an office PC has (仿宋_GB2312,
黑体, 楷体_GB2312, 宋体, Times New Roman). Where those are missing, as on a Linux server,
LibreOffice is given a private fontconfig file (``FONTCONFIG_FILE``) that maps each
of them to a free face of the same style (:data:`FACES`): Noto Serif CJK SC (from the
``mplfonts`` package) for the 仿宋 and 宋 text, Noto Sans CJK SC for 黑体, AR PL UKai
(Debian's ``fonts-arphic-ukai``) for 楷体, Noto Serif CJK SC again where no Kai face is
installed. LibreOffice embeds the subsets it uses: CFF (Type 1C) for the Noto faces,
TrueType for UKai, never Type 3. The fonts ``mplfonts`` ships but that are not free
(SimHei) are rejected, so they are never embedded.

Each conversion runs with its own LibreOffice profile (``-env:UserInstallation``) in
a temporary folder, so that runs side by side (and a LibreOffice the user has open)
do not clash, and with a time limit.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from wfscore.publish.pdf import PdfError

ENV_VAR = "WFSCORE_SOFFICE"  # LibreOffice's soffice, chosen by the user: looked at first
TIMEOUT = 180  # seconds for one conversion; LibreOffice takes 3-6 s for the notice
PATH_NAMES = ("soffice", "libreoffice")

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
KAI = "AR PL UKai CN"
# The names the document uses → the free face that stands for it (None: the Kai face, or serif).
FACES = {
    "仿宋_GB2312": SERIF,
    "仿宋": SERIF,
    "FangSong": SERIF,
    "宋体": SERIF,
    "SimSun": SERIF,
    "方正小标宋简体": SERIF,
    "小标宋": SERIF,
    "Times New Roman": SERIF,
    "黑体": SANS,
    "SimHei": SANS,
    "楷体_GB2312": None,
    "楷体": None,
    "KaiTi": None,
}
KAI_FOLDERS = (
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/truetype/arphic-ukai",
    "/usr/share/fonts/arphic-ukai",
    "/usr/local/share/fonts",
)
NOT_FREE = ("SimHei.ttf",)  # in mplfonts' folder, not under a free licence: never embedded


def well_known_paths(system: str | None = None, environ: dict | None = None) -> list[str]:
    """Where LibreOffice's ``soffice`` is installed on ``system`` (``sys.platform``'s names;
    default this one): Program Files on Windows, /Applications on macOS, /usr/bin, /opt and
    the snap on Linux."""
    system = system or sys.platform
    environ = os.environ if environ is None else environ
    if system.startswith("win"):
        roots = [
            environ.get("PROGRAMFILES") or r"C:\Program Files",
            environ.get("PROGRAMFILES(X86)") or r"C:\Program Files (x86)",
        ]
        return [ntpath.join(root, r"LibreOffice\program\soffice.exe") for root in roots]
    if system == "darwin":
        home = environ.get("HOME")
        roots = ["/Applications"] + ([posixpath.join(home, "Applications")] if home else [])
        return [posixpath.join(root, "LibreOffice.app/Contents/MacOS/soffice") for root in roots]
    return [
        "/usr/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
        "/snap/bin/libreoffice",
    ]


def find_soffice(system: str | None = None, environ: dict | None = None) -> str | None:
    """``$WFSCORE_SOFFICE``, then the usual places, then the PATH: the first executable, or None."""
    environ = os.environ if environ is None else environ
    path = environ.get("PATH", os.defpath)
    found = [environ.get(ENV_VAR) or ""] + well_known_paths(system, environ)
    found += [shutil.which(name, path=path) or "" for name in PATH_NAMES]
    for candidate in found:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def soffice_path() -> str:
    """The soffice to convert with; :class:`PdfError` when there is none."""
    found = find_soffice()
    if found is None:
        raise PdfError(
            "no 通报.pdf was made: it needs LibreOffice, and none was found (install LibreOffice, or "
            "set WFSCORE_SOFFICE to its soffice); 通报.docx was written"
        )
    return found


def _kai_folder() -> str | None:
    for folder in KAI_FOLDERS:
        if os.path.isfile(os.path.join(folder, "ukai.ttc")):
            return folder
    return None


def fontconfig(cache: Path) -> str:
    """The private fontconfig file: the system's configuration, the free faces' folders,
    and an alias from each name of :data:`FACES` to its face (taken when the named font
    is not installed: an office's own 仿宋_GB2312 still wins)."""
    from wfscore.publish.fonts import font_path

    kai = _kai_folder()
    dirs = [str(font_path().parent)] + ([kai] if kai else [])
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    lines += [f"  <dir>{escape(d)}</dir>" for d in dirs]
    lines.append(f"  <cachedir>{escape(str(cache))}</cachedir>")
    lines.append(
        "  <selectfont><rejectfont>" + "".join(f"<glob>*/{n}</glob>" for n in NOT_FREE) + "</rejectfont></selectfont>"
    )
    for name, face in FACES.items():
        face = face or (KAI if kai else SERIF)
        lines.append(
            f"  <alias><family>{escape(name)}</family><accept><family>{escape(face)}</family></accept></alias>"
        )
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def _cache_folder() -> Path:
    """fontconfig's cache of the free faces, kept between runs (the first scan of the
    CJK fonts takes a second)."""
    return Path(tempfile.gettempdir()) / "wfscore-fontconfig-cache"


def _run(command: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    """Run LibreOffice, stopped with its whole family at ``timeout`` seconds: ``soffice`` is
    a launcher whose child (``soffice.bin``) does the work, and would outlive it. Portable:
    the family is found with psutil, not by process group or signal."""
    import psutil

    flags = (
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        if sys.platform.startswith("win")
        else {"start_new_session": True}
    )  # a terminal's Ctrl+C goes to wfscore, which stops it
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env, **flags
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:  # the time is up, or the user stopped wfscore: no converter left running
        try:
            family = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        for member in [proc, *family]:
            try:
                member.kill()
            except (psutil.NoSuchProcess, ProcessLookupError):
                pass
        psutil.wait_procs(family, timeout=30)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def to_pdf(docx: Path, pdf: Path, timeout: float = TIMEOUT) -> None:
    """Convert ``docx`` into ``pdf`` with LibreOffice; :class:`PdfError` saying why not."""
    soffice = soffice_path()
    docx, pdf = Path(docx), Path(pdf)
    with tempfile.TemporaryDirectory(prefix="wfscore-soffice-") as work:
        work = Path(work)
        env = dict(os.environ)
        if not sys.platform.startswith("win"):  # LibreOffice on Windows finds the office's own fonts
            (work / "fonts.conf").write_text(fontconfig(_cache_folder()), encoding="utf-8")
            env["FONTCONFIG_FILE"] = str(work / "fonts.conf")
        source = work / "notice.docx"  # a plain name: the output is named after it
        shutil.copyfile(docx, source)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            run = _run(command, env, timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice did not convert 通报.docx within {timeout:.0f} s; 通报.docx was written"
            ) from None
        except OSError as exc:
            raise PdfError(f"LibreOffice could not be started ({exc}); 通报.docx was written") from exc
        made = work / "out" / "notice.pdf"
        if run.returncode != 0 or not made.is_file():
            said = (run.stderr or run.stdout or "").strip().splitlines()
            raise PdfError(
                f"LibreOffice could not convert 通报.docx (exit status {run.returncode}: "
                f"{said[-1] if said else 'no message'}); 通报.docx was written"
            )
        shutil.move(str(made), str(pdf))
