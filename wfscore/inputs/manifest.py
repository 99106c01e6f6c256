"""Which files of an output folder wfscore wrote: the manifest a command leaves in a
folder it replaces as a whole (``wfscore report``, ``report --all``, ``cards``).

A command that replaces a folder (:func:`wfscore.inputs.output.staged_folder`) would
delete whatever else the folder holds. So each such command writes
:data:`MANIFEST` into the folder it writes: who wrote it, and every file's relative
path, size and SHA-256. Before a run, :func:`foreign_files` lists what the folder
holds beyond that: files not in the manifest, files changed since (a size or hash that
differs), links, folders the manifest does not name; and everything when there is no
manifest. The command refuses a folder for which that list is not empty, so it never
deletes a file it did not write itself.

A sub-folder another command owns (the report's ``cards/``, written by ``wfscore
cards``) is named in ``kept``: it is checked against its own manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Mapping

MANIFEST = ".wfscore-manifest.json"
# wfscore's temporary folders (wfscore.inputs.output.TMP_PREFIX): a run under way, or a killed one's
_TMP = re.compile(r"\.wfscore-tmp-[A-Za-z0-9_]+$")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path, skip: set[str]) -> list[Path]:
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name in skip or entry.name == MANIFEST:
            continue
        if entry.is_dir() and not entry.is_symlink():
            found.extend(_files(entry, set()))
        else:
            found.append(entry)
    return found


def write_manifest(folder: Path, by: str, kept: Mapping[str, str] | None = None) -> None:
    """Write ``folder``'s manifest: ``by`` (the command, such as ``report``) and every file
    under ``folder`` except the sub-folders named in ``kept``, which have their own."""
    folder = Path(folder)
    files = {
        p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in _files(folder, set(kept or ()))
    }
    text = json.dumps({"written_by": f"wfscore {by}", "files": files}, ensure_ascii=False, indent=1)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _manifest(folder: Path, by: str) -> dict | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("written_by") != f"wfscore {by}"
        or not isinstance(data.get("files"), dict)
    ):
        return None
    return data["files"]


def refusal(out: Path, data: Path, by: str, kept: Mapping[str, str] | None = None) -> tuple[str, list[str]] | None:
    """Why ``wfscore <by>`` may not replace the output folder ``out`` as a whole, the data
    folder being ``data``: ``("file", [])``, it is a file; ``("foreign", names)``, it holds
    files ``by`` did not write (:func:`foreign_files`); ``("overlap", [])``, it is, or is
    inside, or holds the data folder. None: it may. The caller words the refusal."""
    from wfscore.inputs.output import overlaps

    out = Path(out)
    if out.exists():
        if not out.is_dir():
            return "file", []
        others = foreign_files(out, by, kept)
        if others:
            return "foreign", others
    if overlaps(out, data):
        return "overlap", []
    return None


def foreign_files(folder: Path, by: str, kept: Mapping[str, str] | None = None) -> list[str]:
    """What ``folder`` holds that ``wfscore <by>`` did not write there, as paths relative to
    it: empty when ``folder`` is missing or empty, or holds only the files of its
    manifest, unchanged. ``kept`` maps a sub-folder's name to the command that owns it
    (``{"cards": "cards"}``): it is checked against its own manifest. wfscore's temporary
    folders count as its own."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    entries = sorted(e for e in folder.iterdir() if not (_TMP.match(e.name) and e.is_dir()))
    if not entries:
        return []
    kept = dict(kept or {})
    listed = _manifest(folder, by)
    foreign: list[str] = []
    for entry in entries:
        name = entry.name
        if name in kept and entry.is_dir() and not entry.is_symlink():
            foreign.extend(f"{name}/{p}" for p in foreign_files(entry, kept[name]))
        elif name == MANIFEST and listed is not None:
            continue
        elif listed is None:
            foreign.append(name)
        elif entry.is_dir() and not entry.is_symlink():
            foreign.extend(
                p.relative_to(folder).as_posix() for p in _files(entry, set()) if _changed(folder, p, listed)
            )
        elif _changed(folder, entry, listed):
            foreign.append(name)
    return foreign


def _changed(folder: Path, path: Path, listed: dict) -> bool:
    """True when ``path`` is not a file of the manifest as it was written."""
    known = listed.get(path.relative_to(folder).as_posix())
    if not isinstance(known, dict) or path.is_symlink() or not path.is_file():
        return True
    try:
        return path.stat().st_size != known.get("size") or _sha256(path) != known.get("sha256")
    except OSError:
        return True
