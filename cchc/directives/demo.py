"""Văn bản chỉ đạo, điều hành CCHC năm 2021 của xã Sơn Tây, from the Q3 2021 report (reference 000_…).

The report wrote "Công văn số 78/CV-UBND": a công văn carries no type code under Nghị định 30, so the
register holds it as 78/UBND-VP and says so in the note. Dates the report leaves out are marked assumed.
"""

from __future__ import annotations

from datetime import date

from cchc.accounts.actors import SystemActor
from cchc.directives import services
from cchc.directives.models import DirectiveDocument
from cchc.org.models import OrgUnit

DEMO_UNIT = "000.16.21.H42"
ACTOR = SystemActor("cchc demo")
CHAIR = "Chủ tịch UBND xã"

DOCUMENTS = [
    ("04/KH-UBND", date(2021, 1, 19), "Kế hoạch cải cách hành chính của xã năm 2021", CHAIR, ""),
    (
        "07/KH-UBND",
        date(2021, 1, 19),
        "Kế hoạch tự kiểm tra, rà soát, hệ thống hóa văn bản quy phạm pháp luật, "
        "theo dõi thi hành pháp luật và xử lý vi phạm hành chính năm 2021",
        CHAIR,
        "",
    ),
    ("12/KH-UBND", date(2021, 1, 25), "Kế hoạch tuyên truyền cải cách hành chính năm 2021", CHAIR, ""),
    (
        "40/BC-UBND",
        date(2021, 7, 15),
        "Báo cáo khắc phục các tồn tại, hạn chế do Đoàn kiểm tra của huyện chỉ ra "
        "trong thực hiện CCHC 6 tháng đầu năm 2021",
        CHAIR,
        "",
    ),
    (
        "116/QĐ-UBND",
        date(2021, 7, 22),
        "Quyết định ban hành Quy chế làm việc của UBND xã nhiệm kỳ 2021-2026",
        CHAIR,
        "",
    ),
    (
        "117/QĐ-UBND",
        date(2021, 7, 22),
        "Quyết định quy định trách nhiệm người đứng đầu trong thực hiện CCHC năm 2021",
        CHAIR,
        "Báo cáo quý III không ghi ngày ban hành; ngày ghi ở đây là giả định cho dữ liệu minh họa.",
    ),
    (
        "37/KH-UBND",
        date(2021, 8, 10),
        "Kế hoạch triển khai thực hiện Đề án đổi mới việc thực hiện cơ chế một cửa, "
        "một cửa liên thông trong giải quyết thủ tục hành chính trên địa bàn xã",
        CHAIR,
        "",
    ),
    (
        "78/UBND-VP",
        date(2021, 8, 25),
        "V/v chấn chỉnh việc tiếp nhận TTHC theo cơ chế một cửa, một cửa liên thông năm 2021",
        CHAIR,
        "Báo cáo gốc ghi “78/CV-UBND”: sai thể thức (công văn không ghi tên loại “CV”).",
    ),
    ("140/QĐ-UBND", date(2021, 8, 28), "Quyết định kiện toàn Bộ phận Một cửa, một cửa liên thông", CHAIR, ""),
]
# document symbol → plan task code it proves
EVIDENCE = {
    "04/KH-UBND": "1.1",
    "12/KH-UBND": "1.2",
    "140/QĐ-UBND": "1.4",
    "117/QĐ-UBND": "1.5",
    "07/KH-UBND": "2.1",
    "37/KH-UBND": "3.4",
    "78/UBND-VP": "3.5",
    "116/QĐ-UBND": "4.2",
}


def run_demo(out) -> None:
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out("Chưa có xã Sơn Tây: bỏ qua văn bản chỉ đạo minh họa.")
        return
    created = 0
    docs = {}
    for symbol, issued_on, summary, signer, note in DOCUMENTS:
        doc = DirectiveDocument.objects.filter(unit=unit, symbol=symbol, issued_on__year=issued_on.year).first()
        if doc is None:
            doc = services.save_document(ACTOR, unit, services.DocumentData(symbol, issued_on, summary, signer, note))
            created += 1
        docs[symbol] = doc
    linked = 0
    from cchc.plans.models import PlanTask

    for symbol, code in EVIDENCE.items():
        task = PlanTask.objects.filter(plan__unit=unit, plan__year=2021, code=code).first()
        if task is not None:
            services.attach_evidence(ACTOR, docs[symbol], task, "Minh chứng hoàn thành")
            linked += 1
    out(f"{unit.name}: {len(DOCUMENTS)} văn bản chỉ đạo năm 2021 ({created} mới), {linked} văn bản gắn làm minh chứng.")
