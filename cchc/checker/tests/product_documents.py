"""Every kind of document the product renders from its demo data, as (kind, file name, DOCX bytes).

Used by test_product_documents.py (after ``cchc demo`` on the test database) and, by hand, on a demo
database: ``CCHC_VAR_DIR=… .venv/bin/python -m cchc.checker.tests.product_documents`` prints the findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta


def product_documents(per_kind: int = 3) -> Iterator[tuple[str, str, bytes]]:
    """Reports (commune, district roll-up, each period), PAR remediation plans and reports, dossier forms 01–06
    and the dossier register (form 07). ``per_kind`` bounds the communes / dossiers rendered per kind."""
    yield from _reports()
    yield from _remediation(per_kind)
    yield from _dossier_forms(per_kind)


def _reports() -> Iterator[tuple[str, str, bytes]]:
    from cchc.reports.models import Report
    from cchc.reports.output import document_for, render_docx

    for report in Report.objects.select_related("unit", "period").order_by("pk"):
        doc = document_for(report)
        yield "báo cáo CCHC", f"bao-cao-{report.unit.code}-{report.period.code}.docx", render_docx(doc)


def _remediation(per_kind: int) -> Iterator[tuple[str, str, bytes]]:
    from cchc.parindex.documents import DOCUMENT_KINDS
    from cchc.parindex.models import Assessment, RemediationPlan

    ids = RemediationPlan.objects.values_list("assessment_id", flat=True)
    for assessment in Assessment.objects.filter(pk__in=ids).order_by("pk")[:per_kind]:
        for kind, (_, render) in DOCUMENT_KINDS.items():
            label = "kế hoạch khắc phục" if kind == "ke-hoach" else "báo cáo khắc phục"
            yield label, f"{kind}-{assessment.pk}.docx", render(assessment)


def _dossier_forms(per_kind: int) -> Iterator[tuple[str, str, bytes]]:
    from cchc.accounts.models import User
    from cchc.dossiers.documents import available_forms, render_form, render_register
    from cchc.dossiers.models import Dossier

    done: dict[str, int] = {}
    for d in Dossier.objects.order_by("pk")[: per_kind * 300]:
        for number, _label in available_forms(d):
            if done.get(number, 0) >= per_kind:
                continue
            done[number] = done.get(number, 0) + 1
            name, data = render_form(d, number, base_url="http://127.0.0.1")
            yield f"mẫu {number}", name, data
    user = User.objects.filter(is_superuser=True).first() or User.objects.order_by("pk").first()
    d = Dossier.objects.order_by("-received_on").first()
    if user is not None and d is not None:
        end = d.received_on
        name, data = render_register(user, d.unit_id, end - timedelta(days=30), end)
        yield "mẫu 07 sổ theo dõi", name, data


def main() -> None:  # pragma: no cover - a by-hand look at a demo database
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    django.setup()
    from cchc.checker.services import check_document

    for kind, name, data in product_documents():
        r = check_document(data, name)
        print(f"== {kind}: {name} — {r.counts()}")
        for f in r.findings:
            print(f"   {f.severity} {f.check} | {f.quote[:70]} | {f.message[:260]}")


if __name__ == "__main__":  # pragma: no cover
    main()
