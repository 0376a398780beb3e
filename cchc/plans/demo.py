"""Kế hoạch CCHC năm 2021 minh họa của xã Sơn Tây: 07 nhiệm vụ, 28 phần việc, 26 đã hoàn thành (92,86%).

Numbers follow the real 2021 reports in /work/shared/reference (a plan of 28 phần việc, 26 done; the
two left are the 2021-2030 CCHC plan and the self-assessment of the PAR index). Four tasks were assigned
by the district: three done on time, one late — matching the demo figures of the indicators app.
"""

from __future__ import annotations

from datetime import date

from cchc.accounts.actors import SystemActor
from cchc.org.models import OrgUnit
from cchc.plans import services
from cchc.plans.models import Plan, TaskStatus

DEMO_UNIT = "000.16.21.H42"
ACTOR = SystemActor("cchc demo")
D = TaskStatus.DONE
OPEN = TaskStatus.IN_PROGRESS
VP = "Công chức Văn phòng - Thống kê"

# (code, area, title, responsible, deadline, status, completed_on, evidence, assigned_by)
TASKS: list[tuple] = [
    ("1", "chi_dao", "Công tác chỉ đạo, điều hành CCHC", "", None, None, None, "", ""),
    (
        "1.1",
        "",
        "Ban hành Kế hoạch CCHC của xã năm 2021",
        VP,
        date(2021, 1, 31),
        D,
        date(2021, 1, 19),
        "Kế hoạch số 04/KH-UBND ngày 19/01/2021",
        "Kế hoạch số 04/KH-UBND ngày 12/01/2021 của UBND huyện",
    ),
    (
        "1.2",
        "",
        "Ban hành Kế hoạch tuyên truyền CCHC năm 2021",
        VP,
        date(2021, 1, 31),
        D,
        date(2021, 1, 25),
        "Kế hoạch số 12/KH-UBND ngày 25/01/2021",
        "",
    ),
    (
        "1.3",
        "",
        "Báo cáo CCHC định kỳ quý, 6 tháng, năm đúng hạn",
        VP,
        date(2021, 12, 10),
        D,
        date(2021, 12, 10),
        "Các báo cáo quý I, 6 tháng, quý III, năm",
        "Công văn số 83/UBND-NV ngày 21/01/2021 của UBND huyện",
    ),
    (
        "1.4",
        "",
        "Kiện toàn Bộ phận Một cửa, một cửa liên thông",
        "Chủ tịch UBND xã",
        date(2021, 8, 15),
        D,
        date(2021, 8, 28),
        "Quyết định số 140/QĐ-UBND ngày 28/8/2021",
        "Chỉ đạo của UBND huyện về kiện toàn Bộ phận Một cửa",
    ),
    (
        "1.5",
        "",
        "Quy định trách nhiệm người đứng đầu trong thực hiện CCHC năm 2021",
        "Chủ tịch UBND xã",
        date(2021, 7, 31),
        D,
        date(2021, 7, 20),
        "Quyết định số 117/QĐ-UBND",
        "",
    ),
    (
        "1.6",
        "",
        "Xây dựng kế hoạch thực hiện công tác CCHC giai đoạn 2021-2030",
        VP,
        date(2021, 11, 30),
        OPEN,
        None,
        "",
        "",
    ),
    ("2", "the_che", "Cải cách thể chế", "", None, None, None, "", ""),
    (
        "2.1",
        "",
        "Tự kiểm tra, rà soát, hệ thống hóa văn bản QPPL năm 2021",
        "Công chức Tư pháp - Hộ tịch",
        date(2021, 6, 30),
        D,
        date(2021, 6, 25),
        "Kế hoạch số 07/KH-UBND ngày 19/01/2021",
        "",
    ),
    (
        "2.2",
        "",
        "Theo dõi thi hành pháp luật trên địa bàn xã",
        "Công chức Tư pháp - Hộ tịch",
        date(2021, 11, 30),
        D,
        date(2021, 11, 20),
        "Báo cáo theo dõi thi hành pháp luật",
        "",
    ),
    (
        "2.3",
        "",
        "Góp ý dự thảo văn bản theo yêu cầu của cấp trên",
        "Công chức Tư pháp - Hộ tịch",
        date(2021, 12, 10),
        D,
        date(2021, 9, 30),
        "Các văn bản góp ý",
        "",
    ),
    ("3", "tthc", "Cải cách thủ tục hành chính", "", None, None, None, "", ""),
    (
        "3.1",
        "",
        "Niêm yết công khai đầy đủ bộ TTHC tại Bộ phận Một cửa",
        "Bộ phận Một cửa",
        date(2021, 3, 31),
        D,
        date(2021, 3, 15),
        "Ảnh chụp bảng niêm yết",
        "",
    ),
    (
        "3.2",
        "",
        "Niêm yết địa chỉ tiếp nhận phản ánh, kiến nghị về quy định hành chính",
        "Bộ phận Một cửa",
        date(2021, 3, 31),
        D,
        date(2021, 3, 15),
        "Theo Quyết định số 36/2019/QĐ-UBND của UBND tỉnh",
        "",
    ),
    (
        "3.3",
        "",
        "Giải quyết hồ sơ TTHC đúng hạn, không để trễ hạn",
        "Bộ phận Một cửa",
        date(2021, 12, 10),
        D,
        date(2021, 12, 10),
        "Số liệu trên phần mềm một cửa điện tử",
        "",
    ),
    (
        "3.4",
        "",
        "Triển khai Đề án đổi mới việc thực hiện cơ chế một cửa, một cửa liên thông",
        "Bộ phận Một cửa",
        date(2021, 9, 30),
        D,
        date(2021, 8, 10),
        "Kế hoạch số 37/KH-UBND ngày 10/8/2021",
        "",
    ),
    (
        "3.5",
        "",
        "Chấn chỉnh việc tiếp nhận hồ sơ TTHC theo cơ chế một cửa",
        "Chủ tịch UBND xã",
        date(2021, 9, 30),
        D,
        date(2021, 8, 25),
        "Công văn số 78/UBND-VP ngày 25/8/2021",
        "",
    ),
    (
        "3.6",
        "",
        "Tăng tỷ lệ hồ sơ trực tuyến mức độ 3, 4",
        "Bộ phận Một cửa",
        date(2021, 12, 10),
        D,
        date(2021, 12, 1),
        "411 hồ sơ trực tuyến mức độ 3 trong quý III",
        "",
    ),
    ("4", "to_chuc_bo_may", "Cải cách tổ chức bộ máy hành chính nhà nước", "", None, None, None, "", ""),
    (
        "4.1",
        "",
        "Rà soát chức năng, nhiệm vụ của công chức chuyên môn",
        "Công chức Văn phòng - Thống kê",
        date(2021, 6, 30),
        D,
        date(2021, 6, 20),
        "",
        "",
    ),
    (
        "4.2",
        "",
        "Ban hành quy chế làm việc của UBND xã nhiệm kỳ 2021-2026",
        "Chủ tịch UBND xã",
        date(2021, 7, 31),
        D,
        date(2021, 7, 22),
        "Quyết định số 116/QĐ-UBND ngày 22/7/2021",
        "",
    ),
    (
        "4.3",
        "",
        "Bố trí người hoạt động không chuyên trách đúng quy định",
        "Chủ tịch UBND xã",
        date(2021, 9, 30),
        D,
        date(2021, 9, 15),
        "",
        "",
    ),
    ("5", "cong_vu", "Cải cách chế độ công vụ", "", None, None, None, "", ""),
    (
        "5.1",
        "",
        "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2021",
        "Công chức Văn phòng - Thống kê",
        date(2021, 3, 31),
        D,
        date(2021, 3, 20),
        "Kế hoạch đào tạo, bồi dưỡng năm 2021",
        "",
    ),
    (
        "5.2",
        "",
        "Tăng cường kỷ luật, kỷ cương hành chính; ký cam kết thực hiện Quyết định số 52/QĐ-UBND",
        "Chủ tịch UBND xã",
        date(2021, 4, 30),
        D,
        date(2021, 4, 28),
        "Bản cam kết",
        "Quyết định số 52/QĐ-UBND ngày 22/11/2017 của UBND tỉnh",
    ),
    (
        "5.3",
        "",
        "Cập nhật phần mềm quản lý hồ sơ cán bộ, công chức",
        "Công chức Văn phòng - Thống kê",
        date(2021, 12, 10),
        D,
        date(2021, 11, 30),
        "",
        "",
    ),
    ("6", "tai_chinh_cong", "Cải cách tài chính công", "", None, None, None, "", ""),
    (
        "6.1",
        "",
        "Sửa đổi, bổ sung quy chế chi tiêu nội bộ",
        "Công chức Tài chính - Kế toán",
        date(2021, 3, 31),
        D,
        date(2021, 3, 25),
        "Quy chế chi tiêu nội bộ năm 2021",
        "",
    ),
    (
        "6.2",
        "",
        "Công khai dự toán, quyết toán ngân sách xã",
        "Công chức Tài chính - Kế toán",
        date(2021, 6, 30),
        D,
        date(2021, 6, 15),
        "",
        "",
    ),
    ("7", "chinh_quyen_so", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "", None, None, None, "", ""),
    (
        "7.1",
        "",
        "Đăng tin, bài trên Trang thông tin điện tử của xã",
        "Công chức Văn hóa - Xã hội",
        date(2021, 12, 10),
        D,
        date(2021, 12, 5),
        "Xem mục Tin, bài",
        "",
    ),
    (
        "7.2",
        "",
        "Sử dụng hệ thống gửi nhận văn bản điện tử và ký số",
        "Công chức Văn phòng - Thống kê",
        date(2021, 12, 10),
        D,
        date(2021, 12, 1),
        "",
        "",
    ),
    (
        "7.3",
        "",
        "Duy trì, áp dụng hệ thống quản lý chất lượng TCVN ISO 9001:2015",
        "Công chức Văn phòng - Thống kê",
        date(2021, 6, 30),
        D,
        date(2021, 6, 28),
        "Kế hoạch duy trì ISO năm 2021",
        "",
    ),
    (
        "7.4",
        "",
        "Tiếp nhận, xử lý hồ sơ dịch vụ công trực tuyến",
        "Bộ phận Một cửa",
        date(2021, 12, 10),
        D,
        date(2021, 12, 10),
        "",
        "",
    ),
    ("7.5", "", "Tự chấm điểm, xác định chỉ số CCHC năm 2021 trên phần mềm", VP, date(2021, 12, 5), OPEN, None, "", ""),
]


def task_data() -> list[services.TaskData]:
    rows = []
    for code, area, title, who, deadline, status, done_on, evidence, assigned_by in TASKS:
        rows.append(
            services.TaskData(
                code=code,
                area=area,
                title=title,
                responsible=who,
                deadline=deadline,
                status=status or TaskStatus.NOT_STARTED,
                completed_on=done_on,
                evidence=evidence,
                assigned_by_higher=bool(assigned_by),
                assigned_by=assigned_by,
            )
        )
    return rows


def run_demo(out) -> None:
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out("Chưa có xã Sơn Tây: bỏ qua kế hoạch CCHC minh họa.")
        return
    plan = Plan.objects.filter(unit=unit, year=2021, symbol="04/KH-UBND").first()
    if plan is None:
        plan = services.save_plan(
            ACTOR,
            unit,
            year=2021,
            symbol="04/KH-UBND",
            issued_on=date(2021, 1, 19),
            title="Kế hoạch cải cách hành chính của xã năm 2021",
        )
    changed = services.upsert_tasks(ACTOR, plan, task_data())
    total = sum(1 for t in TASKS if "." in t[0])
    done = sum(1 for t in TASKS if "." in t[0] and t[5] == D)
    out(f"{unit.name}: {plan}, {total} phần việc, {done} đã hoàn thành ({changed} nhiệm vụ mới hoặc thay đổi).")
