"""Indicators a province adds (issue 12, item 5): a new catalogue version, stored figures unchanged, new rows in
the appendix of new reports."""

import io

import pytest
from django.core.management import call_command

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.indicators import adding
from cchc.indicators.models import CatalogueVersion, Indicator, IndicatorValue
from cchc.indicators.selectors import value_of
from cchc.indicators.services import enter_value

DISTRICT = "000.00.21.H42"
SON_TAY = "000.16.21.H42"

YAML = """\
# Chỉ tiêu của tỉnh năm 2026
rows:
- {code: tinh.tax_revenue, name: "Thu thuế, phí trên địa bàn", unit: "Triệu đồng", type: decimal, rollup: sum,
   counts: own, source: entered, group: "VI", after: finance.autonomy}
- {code: tinh.tax_estimate, name: "Dự toán thu thuế, phí", unit: "Triệu đồng", type: decimal, rollup: sum,
   counts: own, source: entered, group: "VI", appendix: false}
- {code: tinh.tax_rate, name: "Tỷ lệ thu thuế, phí so với dự toán", unit: "%", type: percent, rollup: ratio,
   ratio: {numerator: [tinh.tax_revenue], denominator: tinh.tax_estimate}, group: "VI", after: tinh.tax_revenue}
- {code: tinh.youth_union, name: "Số đoàn viên tham gia tình nguyện CCHC", unit: "Người", type: integer,
   rollup: sum, source: entered, group: "VIII", group_name: "Nhiệm vụ đặc thù của tỉnh"}
"""


def _appendix_codes(unit, period):
    from cchc.indicators.periods import get_period
    from cchc.reports.selectors import appendix_rows, live_rows

    return [r["code"] for r in appendix_rows(live_rows(unit, get_period(period))) if r["code"]]


def test_yaml_adds_a_version_keeps_figures_and_new_rows_print(demo_org):
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2021-NAM", "legal.issued", 7)
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "budget.revenue", "1.250,5")
    before_values = list(IndicatorValue.objects.values_list("unit_id", "indicator__code", "value", "entered_at"))
    before_version = CatalogueVersion.objects.latest("version").version
    appendix_before = _appendix_codes(demo_org[DISTRICT], "2021-NAM")
    preview = adding.add_indicators(SystemActor("test"), "tinh.yaml", YAML.encode(), dry_run=True)
    assert preview.created == 4 and not Indicator.objects.filter(code__startswith="tinh.").exists()
    result = adding.add_indicators(SystemActor("test"), "tinh.yaml", YAML.encode())
    assert result.created == 4 and result.details["version"] == before_version + 1
    assert CatalogueVersion.objects.latest("version").version == before_version + 1
    assert (
        list(IndicatorValue.objects.values_list("unit_id", "indicator__code", "value", "entered_at")) == before_values
    )
    assert value_of(SON_TAY, "2021-NAM", "budget.revenue").display == "1.250,5"
    # printed in the appendix where the file put them; the part with appendix: false is not printed
    appendix = _appendix_codes(demo_org[DISTRICT], "2021-NAM")
    assert appendix.index("tinh.tax_revenue") == appendix.index("finance.autonomy") + 1
    assert appendix.index("tinh.tax_rate") == appendix.index("tinh.tax_revenue") + 1
    assert "tinh.tax_estimate" not in appendix and appendix[-1] == "tinh.youth_union"
    assert [c for c in appendix if not c.startswith("tinh.")] == appendix_before
    new = Indicator.objects.get(code="tinh.youth_union")
    assert new.group_code == "VIII" and new.group_name == "Nhiệm vụ đặc thù của tỉnh" and new.counts == "area"
    # figures can be entered for them and the ratio comes from its parts
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2026-6T", "tinh.tax_revenue", "450")
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2026-6T", "tinh.tax_estimate", "1000")
    assert value_of(DISTRICT, "2026-6T", "tinh.tax_rate").display == "45,00%"
    # the same file again: every code exists already
    with pytest.raises(ImportRejected) as caught:
        adding.add_indicators(SystemActor("test"), "tinh.yaml", YAML.encode())
    assert "Dòng 3, cột “code”" in str(caught.value.errors[0]) and "đã có" in str(caught.value.errors[0])


def test_bad_rows_are_named_by_the_users_line(demo_org):
    bad = """\
rows:
- {code: tinh.ok, name: "Đúng", unit: "Lớp", type: integer, rollup: sum, source: entered, group: "V"}
- {code: legal.issued, name: "Trùng mã", unit: "Văn bản", type: integer, rollup: sum, source: entered, group: "II"}
- {code: tinh.pct, name: "Tỷ lệ gõ tay", unit: "%", type: percent, rollup: sum, source: entered, group: "V"}
- {code: tinh.where, name: "Sai chỗ", unit: "Lớp", type: integer, rollup: sum, source: entered, group: "V",
   after: khong.co}
- {code: tinh.nogroup, name: "Không nhóm", unit: "Lớp", type: integer, rollup: sum, source: entered}
"""
    version = CatalogueVersion.objects.latest("version").version
    with pytest.raises(ImportRejected) as caught:
        adding.add_indicators(SystemActor("test"), "sai.yaml", bad.encode())
    messages = [str(e) for e in caught.value.errors]
    assert any(m.startswith("Dòng 3, cột “code”") for m in messages), messages
    assert any(m.startswith("Dòng 5, cột “after”") for m in messages), messages
    assert any(m.startswith("Dòng 7, cột “group”") for m in messages), messages
    # the merged catalogue's checks are told at the user's row too (a typed percentage)
    with pytest.raises(ImportRejected) as caught:
        adding.add_indicators(
            SystemActor("test"), "sai.yaml", "\n".join(bad.splitlines()[:2] + bad.splitlines()[3:4]).encode()
        )
    assert any(str(e).startswith("Dòng 3, cột “type”") for e in caught.value.errors), caught.value.errors
    assert CatalogueVersion.objects.latest("version").version == version
    assert not Indicator.objects.filter(code__startswith="tinh.").exists()


def test_xlsx_and_the_command(demo_org, tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        ["Mã", "Tên", "Đơn vị tính", "Kiểu", "Cộng dồn", "Phạm vi", "Nhóm", "Sau mã", "In phụ lục", "Tử số", "Mẫu số"]
    )
    ws.append(
        [
            "tinh.meetings",
            "Số cuộc họp giao ban CCHC",
            "Cuộc",
            "integer",
            "sum",
            "own",
            "I",
            "dialogue.held",
            "có",
            None,
            None,
        ]
    )
    ws.append(
        [
            "tinh.meetings_planned",
            "Số cuộc họp theo kế hoạch",
            "Cuộc",
            "integer",
            "sum",
            "own",
            "I",
            None,
            "không",
            None,
            None,
        ]
    )
    ws.append(
        [
            "tinh.meetings_rate",
            "Tỷ lệ họp theo kế hoạch",
            "%",
            "percent",
            "ratio",
            None,
            "I",
            "tinh.meetings",
            "1",
            "tinh.meetings",
            "tinh.meetings_planned",
        ]
    )
    path = tmp_path / "them.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    call_command("indicators", "add", str(path), "--dry-run")
    assert "Kiểm tra thử (không lưu) danh mục phiên bản" in capsys.readouterr().out
    assert not Indicator.objects.filter(code__startswith="tinh.").exists()
    call_command("indicators", "add", str(path))
    assert "thêm 3 chỉ tiêu; số liệu đã có không thay đổi" in capsys.readouterr().out
    rate = Indicator.objects.get(code="tinh.meetings_rate")
    assert rate.numerator == ["tinh.meetings"] and rate.denominator == "tinh.meetings_planned"
    assert not Indicator.objects.get(code="tinh.meetings_planned").in_appendix
    appendix = _appendix_codes(demo_org[DISTRICT], "2021-NAM")
    assert appendix.index("tinh.meetings") == appendix.index("dialogue.held") + 1


def test_admin_page_adds_one_indicator_after_a_check(demo_org, make_user, client):
    from django.urls import reverse

    from cchc.accounts.models import Role

    version = CatalogueVersion.objects.latest("version").version
    officer = make_user("xa", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    client.force_login(officer)
    assert client.get(reverse("indicators:add")).status_code == 403
    admin = make_user("quantri", Role.SYSTEM_ADMIN, demo_org["000.00.00.H42"])
    client.force_login(admin)
    form = {
        "code": "tinh.hotline_calls",
        "name": "Số cuộc gọi đường dây nóng về TTHC",
        "unit": "Cuộc gọi",
        "type": "integer",
        "rollup": "sum",
        "counts": "own",
        "group": "III",
        "after": "feedback.resolved",
        "appendix": "1",
    }
    bad = client.post(reverse("indicators:add"), {**form, "type": "percent"})
    assert bad.status_code == 422 and "Tỷ lệ phần trăm không nhập tay" in bad.content.decode()
    check = client.post(reverse("indicators:add"), form)
    html = check.content.decode()
    assert check.status_code == 200 and f"Danh mục phiên bản {version + 1}: thêm 1 chỉ tiêu" in html
    assert not Indicator.objects.filter(code="tinh.hotline_calls").exists()
    token = html.split('name="ma" value="')[1].split('"')[0]
    done = client.post(reverse("indicators:add"), {"ma": token}, follow=True)
    assert "Đã tạo danh mục phiên bản" in done.content.decode()
    assert Indicator.objects.get(code="tinh.hotline_calls").introduced_in == version + 1
    appendix = _appendix_codes(demo_org[DISTRICT], "2026-6T")
    assert appendix.index("tinh.hotline_calls") == appendix.index("feedback.resolved") + 1
