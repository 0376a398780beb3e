"""The product's own documents pass its checker: every kind the demo renders (CCHC reports of the commune and the
district, remediation plans and reports of the PAR index, dossier forms 01–07), with no error."""

import re

import pytest

from cchc.checker.services import check_document
from cchc.checker.tests.product_documents import product_documents

KINDS = {"báo cáo CCHC", "kế hoạch khắc phục", "báo cáo khắc phục", "mẫu 01", "mẫu 06", "mẫu 07 sổ theo dõi"}


@pytest.fixture
def demo_documents(shared_demo):
    """The demo (``cchc demo``, built once per run by the root conftest), then every document it can render."""
    return list(product_documents(per_kind=4))


def test_every_document_kind_of_the_demo_passes_the_checker(demo_documents):
    assert KINDS <= {kind for kind, _, _ in demo_documents}
    errors = []
    for kind, name, data in demo_documents:
        result = check_document(data, name)
        assert result.figures, f"{kind} {name}: no figure read"
        errors += [
            f"{kind} {name}: {f.check} {f.quote} — {f.message}" for f in result.findings if f.severity == "error"
        ]
    assert errors == []

    # not a vacuous pass: a field's loss changed in the product's plan is caught
    kind, name, data = next(d for d in demo_documents if d[0] == "kế hoạch khắc phục")
    text = check_document(data, name).document.text
    m = re.search(r"(\(đạt [\d,]+/[\d,]+ điểm, bị mất )([\d,]+)( điểm\))", text)
    assert m is not None
    wrong = text[: m.start(2)] + "9,99" + text[m.end(2) :]
    found = check_document(wrong.encode("utf-8"), "ke-hoach.txt").findings
    assert any(f.check in ("diem_tong_mat", "diem") for f in found)
