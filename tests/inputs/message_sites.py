"""Where wfscore writes the English messages a person reads: found in the source with ``ast``.

Each site is a call whose message argument is text written there (a string or an
f-string, pieces joined with ``+`` or side by side); the message is rebuilt with a
sample token (``X1``, ``X2``...) for each formatted value, ``repr`` of the token for
``!r``. A site whose message is built elsewhere (a variable, ``str(exc)``, a join) has
no sample: :func:`sites` returns it with ``sample`` None and the test names it by hand.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "wfscore"

# Problems about a year's inputs: the function (or helper) and where its message is.
PROBLEM_CALLS = {"error": 1, "warning": 1, "Problem": 2, "Check": 0}
# Helpers in the inputs that take a message and make a problem of it: (module, name) → argument.
PROBLEM_HELPERS = {("scheme_yaml.py", "at"): 1, ("validation.py", "_one_of"): 1}
# Exceptions whose message reaches the command line.
EXCEPTIONS = {"OutputError", "ParameterError", "ReportError", "UsageError", "CardsError", "PdfError",
              "DecisionError", "DisputeError", "EditError", "ValueError", "KeyError"}
# Where exceptions are looked for: the stages below the command line that it calls.
EXCEPTION_DIRS = ("inputs", "engine", "analysis", "publish", "review")
# A message with its Chinese given beside it (``message_zh=``, or a second argument of
# DecisionError): the Chinese at the call wins, the catalogue is not needed.
ZH_KEYWORDS = {"message_zh", "zh"}
ZH_SECOND = {"DecisionError", "DisputeError"}
# Lists of message parts that are joined into one exception message.
PART_LISTS = {"problems"}


@dataclass(frozen=True)
class Site:
    file: str          # relative to the package: inputs/files.py
    line: int
    kind: str          # "problem", "exception" or "part" (a part of a joined message)
    source: str        # the message argument as written
    sample: str | None
    tokens: tuple[str, ...]


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _sample(node: ast.expr, tokens: list[str]) -> str | None:
    """The message with a token for each formatted value; None where it is not text written here."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                out += part.value
            else:
                assert isinstance(part, ast.FormattedValue)
                token = f"X{len(tokens) + 1}"
                tokens.append(token)
                if part.conversion == ord("r"):
                    out += repr(token)
                else:
                    out += token
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _sample(node.left, tokens)
        right = _sample(node.right, tokens) if left is not None else None
        return None if right is None else left + right
    return None


def _has_zh(call: ast.Call, name: str) -> bool:
    for kw in call.keywords:
        if kw.arg in ZH_KEYWORDS and not (isinstance(kw.value, ast.Constant) and kw.value.value is None):
            return True
    return name in ZH_SECOND and len(call.args) >= 2


def _site(file: str, call: ast.Call, node: ast.expr, kind: str, text: str) -> Site:
    tokens: list[str] = []
    sample = _sample(node, tokens)
    return Site(file, call.lineno, kind, ast.get_source_segment(text, node) or "", sample, tuple(tokens))


def sites() -> list[Site]:
    """Every message site of the package that the catalogue must translate."""
    found: list[Site] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        stage = rel.split("/")[0]
        if stage not in EXCEPTION_DIRS or rel == "inputs/messages_zh.py":
            continue
        text = path.read_text(encoding="utf-8")
        for call in ast.walk(ast.parse(text)):
            if not isinstance(call, ast.Call):
                continue
            name = _name(call.func)
            if name is None:
                continue
            at = None
            kind = ""
            if stage == "inputs" and name in PROBLEM_CALLS:
                at, kind = PROBLEM_CALLS[name], "problem"
                if name == "Problem" and any(kw.arg == "message" for kw in call.keywords):
                    at = "message"
            elif stage == "inputs" and (path.name, name) in PROBLEM_HELPERS:
                at, kind = PROBLEM_HELPERS[(path.name, name)], "problem"
            elif name in EXCEPTIONS:
                at, kind = 0, "exception"
            elif (name == "append" and isinstance(call.func, ast.Attribute)
                  and _name(call.func.value) in PART_LISTS and call.args
                  and isinstance(call.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp))):
                at, kind = 0, "part"
            if at is None or _has_zh(call, name):
                continue
            if isinstance(at, str):
                node = next(kw.value for kw in call.keywords if kw.arg == at)
            elif len(call.args) > at:
                node = call.args[at]
            else:
                node = next((kw.value for kw in call.keywords if kw.arg == "message"), None)
                if node is None:
                    continue  # a bare exception (raise ValueError()): nothing to read
            found.append(_site(rel, call, node, kind, text))
    return found


if __name__ == "__main__":  # the list, to see what the catalogue must cover
    for s in sites():
        print(f"{s.file}:{s.line} [{s.kind}] {s.sample if s.sample is not None else '<<' + s.source + '>>'}")
