"""Stopping what a test started, on any system: a process and every process it started
(psutil walks the children; no process groups, no POSIX signals by number)."""

from __future__ import annotations

import subprocess

import psutil


def stop_tree(proc: subprocess.Popen, *, kill: bool = False, timeout: float = 15) -> None:
    """End ``proc`` and its descendants (a command and the kernel it started): politely
    (terminate), or at once with ``kill``; those still there after ``timeout`` are killed."""
    try:
        parent = psutil.Process(proc.pid)
        family = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        family = []
    for p in family:
        try:
            p.kill() if kill else p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(family, timeout=timeout)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=timeout)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
