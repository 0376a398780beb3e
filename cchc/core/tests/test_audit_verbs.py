"""Every audit verb the code writes is a member of ``cchc.core.audit.Verb`` (one vocabulary, no typos)."""

from __future__ import annotations

import ast
from pathlib import Path

from cchc.core.audit import Verb

CCHC = Path(__file__).resolve().parents[2]
KNOWN = {v.value for v in Verb}


def _modules() -> list[Path]:
    return [p for p in CCHC.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def _verb_expressions(tree: ast.AST) -> list[ast.expr]:
    """The verb argument of ``audit.record(actor, verb, …)`` / ``record(…)`` and values assigned to ``verb``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            owner = getattr(fn.value, "id", "") if isinstance(fn, ast.Attribute) else ""
            if name == "record" and owner in ("audit", ""):
                arg = node.args[1] if len(node.args) > 1 else None
                arg = arg or next((k.value for k in node.keywords if k.arg == "verb"), None)
                found += [arg] if arg is not None else []
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "verb" for t in node.targets):
            found.append(node.value)
    return found


def _unlisted(expr: ast.expr) -> list[str]:
    bad = []
    for node in ast.walk(expr):
        if isinstance(node, ast.JoinedStr):  # f"dossiers.{kind}": its fixed start must open some verb
            head = node.values[0].value if isinstance(node.values[0], ast.Constant) else ""
            if not any(v.startswith(head) for v in KNOWN):
                bad.append(ast.unparse(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            if node.value not in KNOWN and not _inside_fstring(expr, node):
                bad.append(node.value)
    return bad


def _inside_fstring(expr: ast.expr, target: ast.AST) -> bool:
    return any(target in ast.walk(n) for n in ast.walk(expr) if isinstance(n, ast.JoinedStr))


def test_every_written_verb_is_listed():
    bad = {}
    for path in _modules():
        for expr in _verb_expressions(ast.parse(path.read_text(encoding="utf-8"))):
            for verb in _unlisted(expr):
                bad.setdefault(str(path.relative_to(CCHC.parent)), []).append(verb)
    assert not bad, f"Audit verbs missing from cchc.core.audit.Verb: {bad}"


def test_the_check_finds_an_unlisted_verb():
    tree = ast.parse('audit.record(actor, "news.publishd", obj)\nverb = "x.y" if a else Verb.NEWS_CREATED')
    assert sorted(v for e in _verb_expressions(tree) for v in _unlisted(e)) == ["news.publishd", "x.y"]


def test_verbs_keep_their_stored_values():
    assert Verb.UPLOADS_PURGED == "core.uploads_purged" and Verb.REPORT_SUBMIT == "reports.submit"
    assert len(KNOWN) == len(list(Verb))
