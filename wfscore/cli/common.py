"""What every command shares: printing a year's problems, loading a year for a command.

Nothing heavy is imported here; each command imports what it uses when it runs.
"""

from __future__ import annotations

import sys

from wfscore.inputs.inert import terminal as inert  # every text from a year's files, before it is printed


def print_problems(problems, folder: str, stream) -> None:
    """Every error, then every warning, then one line that counts them."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for p in errors:
        print(f"error: {inert(p)}", file=stream)
    for p in warnings:
        print(f"warning: {inert(p)}", file=stream)
    print(f"{folder}: {len(errors)} error{'s' * (len(errors) != 1)}, "
          f"{len(warnings)} warning{'s' * (len(warnings) != 1)}", file=stream)


def load(folder: str):
    """The checked year of ``folder``, or None after printing every problem to stderr."""
    from wfscore.inputs.loading import load_year
    from wfscore.inputs.problems import InputError

    try:
        return load_year(folder)
    except InputError as exc:
        print_problems(exc.problems, folder, sys.stderr)
        print("nothing was written", file=sys.stderr)
        return None
