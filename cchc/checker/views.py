"""Trang kiểm tra báo cáo: tải tệp lên, xem các phát hiện và toàn văn có tô sáng chỗ sai.

Nothing is stored: the uploaded file is read in memory, checked and dropped with the response.
"""

from __future__ import annotations

from itertools import pairwise

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from cchc.checker.checks import ERROR, INFO, SEVERITY_LABEL, SEVERITY_ORDER, WARNING
from cchc.checker.reading import MAX_BYTES, SUPPORTED, Table, Unit
from cchc.checker.services import CheckResult, ReadError, check_document


def _highlight(unit: Unit, marks: list[tuple[int, int, str, int]]) -> str:
    """The unit's text, escaped, with <mark> around the places of findings (absolute offsets).

    Marks may overlap (a row-wide finding and a cell finding): the text is cut at every boundary and each
    piece takes the most severe mark covering it; every finding keeps its own anchor and number.
    """
    spans = [
        (max(a, unit.start), min(b, unit.end), sev, no) for a, b, sev, no in marks if a < unit.end and b > unit.start
    ]
    if not spans:
        return escape(unit.text)
    cuts = sorted({unit.start, unit.end, *(a for a, _, _, _ in spans), *(b for _, b, _, _ in spans)})
    out = []
    for a, b in pairwise(cuts):
        piece = escape(unit.text[a - unit.start : b - unit.start])
        anchors = "".join(f'<span id="f{no}"></span>' for sa, _, _, no in spans if sa == a)
        ends = "".join(f"<sup>{no}</sup>" for _, sb, _, no in spans if sb == b)
        covering = [sev for sa, sb, sev, _ in spans if sa <= a and sb >= b]
        if covering:
            sev = min(covering, key=SEVERITY_ORDER.__getitem__)
            out.append(f'{anchors}<mark class="chk-{sev}">{piece}{ends}</mark>')
        else:
            out.append(anchors + piece + ends)
    return mark_safe("".join(out))


def _render_blocks(result: CheckResult) -> list[dict]:
    marks = [(f.start, f.end, f.severity, i) for i, f in enumerate(result.findings, start=1)]
    blocks = []
    for block in result.document.blocks():
        if isinstance(block, Table):
            blocks.append({"table": [[_highlight(c, marks) for c in row] for row in block.rows]})
        else:
            blocks.append({"html": _highlight(block, marks), "heading": block.heading})
    return blocks


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    """Any signed-in user may check a file: it reads no unit's records and stores nothing."""
    context: dict = {"max_mb": MAX_BYTES // (1024 * 1024), "accept": ",".join(SUPPORTED)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = "Chưa chọn tệp báo cáo."
        elif upload.size > MAX_BYTES:
            context["error"] = f"Tệp “{upload.name}” lớn hơn {context['max_mb']} MB."
        else:
            try:
                result = check_document(upload, name=upload.name)
            except ReadError as exc:
                context["error"] = str(exc)
            else:
                findings = [
                    {
                        "no": i,
                        "f": f,
                        "label": SEVERITY_LABEL[f.severity],
                        "where": f.unit.location_text(result.document.line_word),
                    }
                    for i, f in enumerate(result.findings, start=1)
                ]
                context.update(
                    result=result,
                    findings=findings,
                    counts=result.counts(),
                    blocks=_render_blocks(result),
                    groups=[
                        (SEVERITY_LABEL[s], s, [x for x in findings if x["f"].severity == s])
                        for s in (ERROR, WARNING, INFO)
                    ],
                )
        status = 400 if "error" in context else 200
        return render(request, "checker/check.html", context, status=status)
    return render(request, "checker/check.html", context)
