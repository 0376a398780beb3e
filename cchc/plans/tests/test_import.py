from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent
from cchc.plans import services
from cchc.plans.importing import import_tasks, write_example
from cchc.plans.models import PlanTask, TaskStatus

TODAY = date(2021, 12, 20)
SHIPPED = Path(__file__).resolve().parents[3] / "docs" / "examples" / "ke-hoach-nhiem-vu-mau.xlsx"


@pytest.fixture
def plan(sontay):
    return services.save_plan(
        SystemActor("test"), sontay, year=2021, symbol="04/KH-UBND", title="Kế hoạch CCHC năm 2021"
    )


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_example_file_imports_and_reimport_changes_nothing(plan, officer, tmp_path):
    path = write_example(tmp_path / "mau.xlsx")
    dry = import_tasks(officer, plan, path, dry_run=True, today=TODAY)
    assert (dry.created, dry.updated, dry.unchanged, dry.dry_run) == (5, 0, 0, True)
    assert plan.tasks.count() == 0
    result = import_tasks(officer, plan, path, today=TODAY)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    task = plan.tasks.get(code="1.1")
    assert (task.area, task.status, task.completed_on, task.parent.code) == (
        "chi_dao",
        TaskStatus.DONE,
        date(2021, 1, 19),
        "1",
    )
    assigned = plan.tasks.get(code="1.2")
    assert assigned.assigned_by_higher and assigned.deadline == date(2021, 9, 20)
    assert plan.tasks.get(code="2.1").area == "tthc"
    events = AuditEvent.objects.count()
    again = import_tasks(officer, plan, path, today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert AuditEvent.objects.count() == events


def test_shipped_example_is_the_generated_one(plan, tmp_path):
    """docs/examples/ke-hoach-nhiem-vu-mau.xlsx is written by `cchc plans example-file`; it must still import."""
    assert SHIPPED.exists(), "chạy: cchc plans example-file"
    result = import_tasks(SystemActor("test"), plan, SHIPPED, dry_run=True, today=TODAY)
    assert result.created == 5


def test_changed_row_is_updated(plan, officer, tmp_path):
    header = ["STT", "Lĩnh vực", "Nội dung nhiệm vụ", "Trạng thái", "Ngày hoàn thành"]
    import_tasks(
        officer, plan, _xlsx(tmp_path / "a.xlsx", [header, ["1", "Thể chế", "Rà soát VBQPPL", "", ""]]), today=TODAY
    )
    result = import_tasks(
        officer,
        plan,
        _xlsx(tmp_path / "b.xlsx", [header, ["1", "Thể chế", "Rà soát VBQPPL", "Hoàn thành", date(2021, 6, 30)]]),
        today=TODAY,
    )
    assert (result.created, result.updated) == (0, 1)
    task = plan.tasks.get(code="1")
    assert (task.status, task.completed_on) == (TaskStatus.DONE, date(2021, 6, 30))


def test_headers_without_diacritics_are_accepted(plan, officer, tmp_path):
    path = _xlsx(
        tmp_path / "x.xlsx",
        [
            ["stt", "linh vuc", "noi dung", "nguoi thuc hien", "thoi han"],
            ["1", "cải cách TTHC", "Niêm yết TTHC", "Một cửa", "31/03/2021"],
        ],
    )
    import_tasks(officer, plan, path, today=TODAY)
    task = PlanTask.objects.get(plan=plan, code="1")
    assert (task.area, task.responsible, task.deadline) == ("tthc", "Một cửa", date(2021, 3, 31))


def test_bad_file_is_rejected_with_exact_errors_and_nothing_saved(plan, officer, tmp_path):
    path = _xlsx(
        tmp_path / "bad.xlsx",
        [
            ["STT", "Lĩnh vực", "Nội dung nhiệm vụ", "Thời hạn", "Trạng thái", "Ngày hoàn thành", "Cấp trên giao"],
            ["1", "Chỉ đạo điều hành", "Chỉ đạo", "", "", "", ""],
            ["1.1", "", "Ban hành kế hoạch", "31/02/2021", "Hoàn thành", "", ""],
            ["1.2", "", "Báo cáo quý", "30/09/2021", "xong rồi", "", "có lẽ"],
            ["3.1", "", "Phần việc lạc", "", "", "", ""],
            ["1.2", "", "Trùng số", "", "", "", ""],
            ["2", "Thi đua", "", "", "", "", ""],
        ],
    )
    with pytest.raises(ImportRejected) as exc:
        import_tasks(officer, plan, path, today=TODAY)
    assert [str(e) for e in exc.value.errors] == [
        "Dòng 3, cột “Thời hạn” (giá trị “31/02/2021”): Ngày “31/02/2021” không tồn tại.",
        "Dòng 4, cột “Trạng thái” (giá trị “xong rồi”): Trạng thái phải là “Chưa thực hiện”, “Đang thực hiện” "
        "hoặc “Hoàn thành”.",
        "Dòng 4, cột “Cấp trên giao” (giá trị “có lẽ”): Ghi “Có” hoặc để trống.",
        "Dòng 6, cột “STT” (giá trị “1.2”): Trùng số thứ tự với dòng 4.",
        "Dòng 3, cột “Ngày hoàn thành”: Nhiệm vụ đã hoàn thành cần có ngày hoàn thành.",
        "Dòng 7, cột “Nội dung nhiệm vụ”: Cần nhập nội dung nhiệm vụ.",
        "Dòng 7, cột “Lĩnh vực” (giá trị “Thi đua”): Không có lĩnh vực “Thi đua” trong danh mục lĩnh vực CCHC.",
        "Dòng 5, cột “STT” (giá trị “3.1”): Không có nhiệm vụ số 3 chứa phần việc này.",
        "Dòng 5, cột “Lĩnh vực”: Cần chọn lĩnh vực CCHC.",
    ]
    assert plan.tasks.count() == 0


def test_missing_required_column(plan, tmp_path):
    path = _xlsx(tmp_path / "c.xlsx", [["Số thứ tự", "Ghi chú"], ["1", "x"]])
    with pytest.raises(ImportRejected) as exc:
        import_tasks(SystemActor("test"), plan, path, today=TODAY)
    assert [str(e) for e in exc.value.errors] == ["Dòng 1, cột “Nội dung nhiệm vụ”: Thiếu cột bắt buộc."]


def test_not_an_excel_file(plan, tmp_path):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"khong phai excel")
    with pytest.raises(ImportRejected) as exc:
        import_tasks(SystemActor("test"), plan, path, today=TODAY)
    # In Vietnamese, without the server's path (issue 13): the upload guard sees it is no workbook.
    message = str(exc.value.errors[0])
    assert "không phải là bảng tính Excel" in message and str(tmp_path) not in message


def test_command_import_dry_run_and_errors(plan, tmp_path, capsys):
    path = write_example(tmp_path / "mau.xlsx")
    call_command("plans", "import-tasks", str(path), "--plan", str(plan.pk), "--dry-run")
    assert "Kiểm tra thử (không lưu): thêm mới 5, cập nhật 0, không đổi 0." in capsys.readouterr().out
    assert plan.tasks.count() == 0
    bad = _xlsx(tmp_path / "bad.xlsx", [["STT", "Nội dung nhiệm vụ"], ["1", ""]])
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Tệp bị từ chối"):
        call_command("plans", "import-tasks", str(bad), "--plan", str(plan.pk))
    assert "Dòng 2, cột “Nội dung nhiệm vụ”: Cần nhập nội dung nhiệm vụ." in capsys.readouterr().err
