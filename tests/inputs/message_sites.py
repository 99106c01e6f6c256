"""Where wfscore writes the English messages a person reads: found in the source with ``ast``.

Each site is a call whose message argument is text written there (a string or an
f-string, pieces joined with ``+`` or side by side); the message is rebuilt with a
sample token (``X1``, ``X2``...) for each formatted value, ``repr`` of the token for
``!r``. A site whose message is built elsewhere (a variable, ``str(exc)``, a join) has
no sample: :func:`sites` returns it with ``sample`` None and the test names it by hand.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "wfscore"

# Problems about a year's inputs: the function (or helper) and where its message is.
PROBLEM_CALLS = {"error": 1, "warning": 1, "Problem": 2, "Check": 0}
# Helpers in the inputs that take a message and make a problem of it: (module, name) → argument.
PROBLEM_HELPERS = {("scheme_yaml.py", "at"): 1, ("validation.py", "_one_of"): 1}
# Exceptions whose message reaches the command line.
EXCEPTIONS = {
    "OutputError",
    "ParameterError",
    "ReportError",
    "UsageError",
    "CardsError",
    "PdfError",
    "DecisionError",
    "DisputeError",
    "EditError",
    "ValueError",
    "KeyError",
}
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
    file: str  # relative to the package: inputs/files.py
    line: int
    kind: str  # "problem", "exception" or "part" (a part of a joined message)
    source: str  # the message argument as written
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


# wfscore.inputs.i18n's functions that make a message from its id (translated through the catalogue)
GETTEXT_CALLS = {"_", "lazy", "nlazy", "plazy", "ngettext", "pgettext"}


def _through_gettext(call: ast.Call, at) -> bool:
    """The message is a message id of the gettext catalogue (``lazy("…", …)``), or an
    exception's message passed on as its id and parameters (``exc.message``)."""
    if isinstance(at, str):
        node = next((kw.value for kw in call.keywords if kw.arg == at), None)
    else:
        node = call.args[at] if len(call.args) > at else None
    if isinstance(node, ast.IfExp):
        return _is_gettext(node.body) and _is_gettext(node.orelse)
    return _is_gettext(node)


def _is_gettext(node) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in GETTEXT_CALLS


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
            elif (
                name == "append"
                and isinstance(call.func, ast.Attribute)
                and _name(call.func.value) in PART_LISTS
                and call.args
                and isinstance(call.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp))
            ):
                at, kind = 0, "part"
            if at is None or _has_zh(call, name):
                continue
            if _through_gettext(call, at):
                continue  # a message id: tests/inputs/test_catalogue.py checks its translation
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


# -- the portal: every message with its Chinese beside it ------------------------------------

# The portal (wfscore/portal) and its command (wfscore/cli/portal.py) write each message a
# person reads in both languages at the call: a pair function with the English and the Chinese
# at these arguments (an int: position; a str: keyword) ...
PAIRED = ("portal/", "cli/portal.py")
PAIR_CALLS = {
    "said": (0, 1),
    "Refused": (0, 1),
    "PortalError": (0, 1),
    "BadUpload": (0, 1),
    "_error": (1, 2),
    "_problem": (3, 4),
}
PAIR_CALLS_PORTAL = {"error": (1, "message_zh")}  # wfscore.inputs.problems.error, in the portal
# ... and what a page shows (Django's messages, a refusal) is one of those pairs; a message of
# the command (say, error) in English sits in the ``else`` of ``ui == "zh"`` (or ``lang``) whose
# other branch is the Chinese.
SHOWN_CALLS = {"HttpResponseForbidden", "HttpResponseBadRequest"}
SHOWN_METHODS = {("messages", "success"), ("messages", "error"), ("messages", "warning"), ("messages", "info")}
CLI_CALLS = {"say": 0, "error": 1, "warning": 1}
HAS_LETTERS = re.compile(r"[A-Za-z]{3,}")
HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class PairSite:
    file: str
    line: int
    source: str  # the English argument as written
    sample: str | None  # the English with tokens (None: passed on from elsewhere)
    zh: str | None  # the Chinese with tokens; None: no Chinese at the call
    tokens: tuple[str, ...]
    has_zh: bool  # a Chinese argument is given (it may be passed on: zh None)


def _arg(call: ast.Call, at):
    if isinstance(at, str):
        return next((kw.value for kw in call.keywords if kw.arg == at), None)
    return call.args[at] if len(call.args) > at else None


def _text_nodes(node: ast.AST):
    """The string literals and f-strings of an expression (the message's own words; not the
    keys it looks up, nor what an f-string formats)."""
    if isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
        return
    for name, child in ast.iter_fields(node):
        if isinstance(node, ast.Subscript) and name == "slice":
            continue
        for sub in child if isinstance(child, list) else [child]:
            if isinstance(sub, ast.AST):
                yield from _text_nodes(sub)


def _is_zh_test(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "zh"
    )


def _chinese_twin(node: ast.AST, parents: dict) -> ast.AST | None:
    """The Chinese branch of the ``ui == "zh"`` test whose ``else`` holds ``node``."""
    child, up = node, parents.get(node)
    while up is not None:
        if isinstance(up, (ast.IfExp, ast.If)) and _is_zh_test(up.test):
            inside = up.orelse if isinstance(up, ast.If) else [up.orelse]
            if any(child is n for n in inside):
                return up
        child, up = up, parents.get(up)
    return None


def paired_sites() -> list[PairSite]:
    """Every message of the portal and of its command, with its Chinese where the call gives it."""
    found: list[PairSite] = []
    files = sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).as_posix().startswith(PAIRED)
        and "/migrations/" not in p.relative_to(PACKAGE).as_posix()
    )
    for path in files:
        rel = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        calls = {**PAIR_CALLS, **(PAIR_CALLS_PORTAL if rel.startswith("portal/") else {})}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = _name(call.func)
            owner = _name(call.func.value) if isinstance(call.func, ast.Attribute) else None
            if (owner, name) in SHOWN_METHODS or name in SHOWN_CALLS:
                shown = call.args[-1] if call.args else None
                if shown is None or any(isinstance(n, ast.Call) and _name(n.func) == "said" for n in ast.walk(shown)):
                    continue
                tokens = []
                found.append(
                    PairSite(
                        rel,
                        call.lineno,
                        ast.get_source_segment(text, shown) or "",
                        _sample(shown, tokens),
                        None,
                        tuple(tokens),
                        False,
                    )
                )
            elif name in calls and owner is None or name in PAIR_CALLS:
                en_node, zh_node = (_arg(call, at) for at in calls[name])
                if en_node is None:
                    continue
                tokens: list[str] = []
                sample = _sample(en_node, tokens)
                zh = _sample(zh_node, tokens) if zh_node is not None else None
                has = zh_node is not None and not (isinstance(zh_node, ast.Constant) and zh_node.value is None)
                found.append(
                    PairSite(
                        rel, call.lineno, ast.get_source_segment(text, en_node) or "", sample, zh, tuple(tokens), has
                    )
                )
            elif rel == "cli/portal.py" and name in CLI_CALLS and len(call.args) > CLI_CALLS[name]:
                for node in _text_nodes(call.args[CLI_CALLS[name]]):
                    words = _sample(node, []) or ""
                    if not HAS_LETTERS.search(words) or HAS_CJK.search(words):
                        continue
                    twin = _chinese_twin(node, parents)
                    tokens = []
                    sample = _sample(node, tokens)
                    zh = None
                    if twin is not None:
                        branch = twin.body if isinstance(twin.body, list) else [twin.body]
                        texts = [n for b in branch for n in _text_nodes(b) if HAS_CJK.search(_sample(n, []) or "")]
                        zh = "".join(_sample(n, []) or "" for n in texts) or None
                    found.append(
                        PairSite(
                            rel,
                            node.lineno,
                            ast.get_source_segment(text, node) or "",
                            sample,
                            zh,
                            tuple(tokens),
                            zh is not None,
                        )
                    )
    return found


if __name__ == "__main__":  # the list, to see what the catalogue must cover
    for s in sites():
        print(f"{s.file}:{s.line} [{s.kind}] {s.sample if s.sample is not None else '<<' + s.source + '>>'}")
