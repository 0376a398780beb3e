"""Score the checker on the made-up corpus (tests/corpus): recall of the planted errors, false alarms.

A planted error is found when a finding's span touches one of the places recorded for it in planted.yaml; a
finding that touches no planted error is a false alarm. Used by bench/checker_corpus_bench.py and by
test_corpus.py (which asserts the thresholds of issue #16).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cchc.checker.services import CheckResult, check_document

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass
class DocScore:
    name: str
    about: str
    planted: int
    found: int
    missed: list[dict] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def _spans(text: str, anchors: list[str]) -> list[tuple[int, int]]:
    out = []
    for a in anchors:
        start = text.find(a)
        while start >= 0:
            out.append((start, start + len(a)))
            start = text.find(a, start + 1)
    return out


def score_document(name: str, spec: dict) -> tuple[DocScore, CheckResult]:
    result = check_document(CORPUS / name)
    text = result.document.text
    errors = spec.get("errors") or []
    places = []
    for e in errors:
        spans = _spans(text, e["at"])
        if not spans:
            raise ValueError(f"{name}: không thấy “{e['at']}” trong văn bản đã đọc")
        places.append(spans)
    hit = [False] * len(errors)
    false_alarms = []
    for f in result.findings:
        touched = False
        for i, spans in enumerate(places):
            if any(f.start < b and a < f.end for a, b in spans):
                hit[i] = touched = True
        if not touched:
            false_alarms.append(f"{f.severity} {f.check}: {f.quote} — {f.message}")
    missed = [e for e, h in zip(errors, hit, strict=True) if not h]
    return DocScore(name, spec.get("about", ""), len(errors), sum(hit), missed, false_alarms), result


def score_corpus() -> list[DocScore]:
    spec = yaml.safe_load((CORPUS / "planted.yaml").read_text(encoding="utf-8"))["documents"]
    return [score_document(name, s)[0] for name, s in sorted(spec.items())]


def totals(scores: list[DocScore]) -> tuple[float, float, int]:
    """Recall, false alarms per document (mean) and the most false alarms in one document."""
    planted = sum(s.planted for s in scores)
    found = sum(s.found for s in scores)
    fa = [len(s.false_alarms) for s in scores]
    return (found / planted if planted else 1.0), sum(fa) / len(fa), max(fa)
