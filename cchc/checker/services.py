"""Kiểm tra một báo cáo: đọc, trích số liệu, chạy các phép kiểm tra.

``check_document`` is the one entry point: the CLI, the upload page and (later) the reports app call it.
Nothing is stored: the result lives as long as the caller keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from cchc.checker import checks
from cchc.checker.checks import SEVERITY_ORDER, Context, Finding, Period
from cchc.checker.checks.years import header_text
from cchc.checker.figures import DATE_LONG, Figure, extract
from cchc.checker.reading import Document, ReadError, read_document
from cchc.indicators.periods import spec_for

__all__ = ["CheckResult", "ReadError", "check_document", "detect_period"]


@dataclass
class CheckResult:
    """Kết quả kiểm tra một văn bản."""

    document: Document
    period: Period | None
    doc_date: date | None
    doc_kind: str
    findings: list[Finding]
    figures: list[Figure]

    @property
    def file(self) -> str:
        return self.document.name

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.doc_kind,
            "date": self.doc_date.isoformat() if self.doc_date else None,
            "period": self.period.as_dict() if self.period else None,
            "summary": self.counts(),
            "findings": [f.as_dict(self.document) for f in self.findings],
            "figures": [f.as_dict() for f in self.figures],
        }


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def detect_kind(doc: Document) -> str:
    head = header_text(doc)
    for word, kind in (("BÁO CÁO", "báo cáo"), ("KẾ HOẠCH", "kế hoạch")):
        if re.search(rf"^\s*{word}\s*$", head, re.MULTILINE):
            return kind
    if re.search(r"\bbáo cáo\b", head[:400], re.IGNORECASE):
        return "báo cáo"
    return ""


def detect_date(doc: Document) -> date | None:
    """The place-and-date line ("Mỹ Tú, ngày 14 tháng 12 năm 2021") near the top."""
    for u in doc.units[:30]:
        m = DATE_LONG.search(u.text)
        if m and re.search(r",\s*ngày", u.text[: m.start() + 6]) and u.table is None:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                return None
    return None


def detect_period(doc: Document, doc_date: date | None = None) -> Period | None:
    """Kỳ báo cáo from the title: "quý III năm 2021", "6 tháng đầu năm 2021", "năm 2021"."""
    head = header_text(doc)
    if re.search(r"khắc phục", head, re.IGNORECASE):
        # a remediation report names the year of the index it remedies ("Chỉ số CCHC năm 2022"), not a reporting
        # period with cut-off dates: no period, rather than a wrong one
        return None
    data = checks.rules()["periods"]
    code = None
    year_text = head
    m = re.search(r"quý\s+(IV|I{1,3}|[1-4])\b", head, re.IGNORECASE)
    if m:
        code = {1: "q1", 2: "q2", 3: "q3", 4: "q4"}[_ROMAN[m.group(1).upper()]]
        year_text = head[m.end() :] + " " + head
    elif m := re.search(r"6 tháng đầu năm", head, re.IGNORECASE):
        code, year_text = "h1", head[m.start() :]
    elif m := re.search(r"9 tháng", head, re.IGNORECASE):
        code, year_text = "m9", head[m.start() :]
    elif m := re.search(r"\bnăm\s+(\d{4})", head, re.IGNORECASE):
        code, year_text = "year", head[m.start() :]
    if code is None:
        return None
    y = re.search(r"năm\s+(\d{4})", year_text)
    year = int(y.group(1)) if y else (doc_date.year if doc_date else None)
    if year is None:
        return None
    spec = data[code]
    if "report_suffix" in spec:
        # One of the product's own report periods: its cut-off dates live with the indicator periods.
        dates = spec_for(f"{year}-{spec['report_suffix']}")
        return Period(code, spec["name"], year, dates.start, dates.end)
    sd, sm = (int(x) for x in spec["start"].split("/"))
    ed, em = (int(x) for x in spec["end"].split("/"))
    start = date(year - 1 if spec["start_prev_year"] else year, sm, sd)
    return Period(code, spec["name"], year, start, date(year, em, ed))


def check_document(source: str | Path | BinaryIO | bytes, name: str | None = None) -> CheckResult:
    """Đọc và kiểm tra một báo cáo (.docx, .txt, .md). Raises ReadError (Vietnamese) if unreadable."""
    doc = read_document(source, name)
    figures = extract(doc)
    doc_date = detect_date(doc)
    kind = detect_kind(doc)
    period = detect_period(doc, doc_date) if kind == "báo cáo" else None
    ctx = Context(doc, figures, period, doc_date, kind)
    findings: list[Finding] = []
    seen = set()
    for check in checks.ALL_CHECKS:
        for f in check(ctx):
            key = (f.check, f.start, f.end, f.message)
            if key not in seen:
                seen.add(key)
                findings.append(f)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.start))
    return CheckResult(doc, period, doc_date, kind, findings, figures)
