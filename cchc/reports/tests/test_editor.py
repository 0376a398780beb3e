"""The report editor shows names, readable sources, filled headings and a period chooser — no codes."""

import re

import pytest
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.indicators import provenance
from cchc.indicators.selectors import current_indicators
from cchc.reports import editor_text, services
from cchc.reports.models import ReportSection

from .conftest import SON_TAY


def visible_text(html: str) -> str:
    """What a person reads: tags, attributes, scripts and styles removed (textarea and input text kept)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    values = " ".join(re.findall(r'<input[^>]*\svalue="([^"]*)"[^>]*type="(?:text|search)?"?', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + values


@pytest.fixture
def officer(demo_values, make_user):
    return make_user("canbo", Role.COMMUNE_OFFICER, demo_values[SON_TAY], full_name="Lê Thị Lan")


@pytest.fixture
def report(officer, demo_values):
    return services.create_report(officer, demo_values[SON_TAY], "2021-Q3")


def _codes_in(text: str) -> list[str]:
    codes = set(current_indicators()) | set(editor_text.CONTEXT_LABELS)
    return sorted({c for c in re.findall(r"[A-Za-z_]+(?:\.[A-Za-z0-9_]+)+", text) if c.lower() in codes})


def test_editor_text_round_trip(db, demo_values):
    labels = editor_text.labels_for(current_indicators())
    stored = "Tiếp nhận {dossiers.commune.received} hồ sơ {ky.ten}; NHIỆM VỤ {KY_TOI.TEN}; xem [1] và {ky.khong_co}."
    shown = editor_text.to_editor(stored, labels)
    assert "{" not in shown.replace("{ky.khong_co}", "") and "[tên kỳ báo cáo]" in shown and "[TÊN KỲ TỚI]" in shown
    assert "dossiers." not in shown
    assert editor_text.from_editor(shown, labels) == stored
    # typed by hand, with other spacing and case
    assert editor_text.from_editor("[ Tên  kỳ báo cáo ]", labels) == "{ky.ten}"
    # names that occur twice in the catalogue carry their group and STT, and map back to one code each
    dupes = [c for c in ("inspection.issues_found", "decentralisation.issues_found") if c in labels.by_code]
    assert len({labels.by_code[c] for c in dupes}) == len(dupes)
    for code in dupes:
        assert editor_text.from_editor(f"[{labels.by_code[code]}]", labels) == "{" + code + "}"


def test_span_and_computed_text():
    assert provenance.span_text("2026-06-15", "2026-09-14") == "15/06–14/09/2026"
    assert provenance.span_text("2025-12-15", "2026-03-14") == "15/12/2025–14/03/2026"
    detail = {
        "function": "surveys.ballots",
        "counts": "own",
        "unit_count": 2,
        "units": ["A", "B"],
        "spans": [["2026-06-15", "2026-09-14", 2]],
        "inputs": {
            "bảng": "surveys_rating",
            "đơn vị": ["A", "B"],
            "từ": "2026-06-15",
            "điều kiện": "hài lòng hoặc rất hài lòng",
        },
    }
    text = provenance.computed_text(detail, {"A": "Xã Sơn Tây"})
    assert text == (
        "Tính từ phiếu đánh giá mức độ hài lòng của Xã Sơn Tây và 1 bộ phận, 15/06–14/09/2026 "
        "(điều kiện: hài lòng hoặc rất hài lòng)"
    )


def test_editor_page_has_no_codes_or_placeholders(client, officer, report):
    client.force_login(officer)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    text = visible_text(html)
    assert _codes_in(text) == []
    assert not re.search(r"\{[A-Za-z_]+\.[A-Za-z_.]+\}", text)
    assert "NHIỆM VỤ TRỌNG TÂM 3 THÁNG CUỐI NĂM 2021" in text  # heading {KY_TOI.TEN} filled
    assert "[tên kỳ báo cáo]" in text  # the header form shows names
    for raw in ("bảng:", "surveys_rating", "['", "Tính từ dữ liệu ("):
        assert raw not in text, raw
    assert "Chưa có số liệu: thiếu thành phần: “" in text  # a ratio's parts by name


def test_header_form_saves_placeholders_back(client, officer, report):
    client.force_login(officer)
    client.post(
        reverse("reports:header", args=[report.pk]),
        {
            "lock_version": report.lock_version,
            "summary": "Kết quả CCHC [tên kỳ báo cáo]",
            "addressee": "[tên cơ quan cấp trên]",
            "intro": "",
            "closing": "",
            "recipients": "Như trên\nLưu: VT",
            "signer_authority": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
            "signer_name": "Hoàng Văn Dũng",
        },
    )
    report.refresh_from_db()
    assert report.summary == "Kết quả CCHC {ky.ten}" and report.addressee == "{cap_tren.ten}"


def test_missing_figures_are_listed_by_name(client, officer, report):
    client.force_login(officer)
    labels = editor_text.labels_for(current_indicators())
    section = report.sections.get(key="kien-nghi")
    missing_code = "training.planned"
    label = labels.by_code[missing_code]
    saved = client.post(
        reverse("reports:section", args=[section.pk]),
        {"text": f"Kế hoạch đào tạo: [{label}] lượt.", "revision": section.revision},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert ReportSection.objects.get(pk=section.pk).text == "Kế hoạch đào tạo: {training.planned} lượt."
    page = client.get(reverse("reports:submit", args=[report.pk])).content.decode()
    assert (
        "Kiến nghị" in str(services.pre_submit(report).missing_figures) or services.pre_submit(report).missing_figures
    )
    assert f": {label}</li>" in page and missing_code not in visible_text(page)
    assert _codes_in(visible_text(page)) == []


def test_period_chooser_names_periods(client, officer, demo_values):
    client.force_login(officer)
    html = client.get(reverse("reports:index") + f"?don-vi={SON_TAY}&ky=2021-Q3").content.decode()
    assert re.search(r'<select id="ky" name="ky"', html)
    assert re.search(r'<option value="2021-Q3" selected>Quý III năm 2021</option>', html)
    assert "2021-Q3" not in visible_text(html)


def test_figure_picker_finds_without_accents_and_inserts_by_name(client, officer, report, make_user, demo_values):
    client.force_login(officer)
    html = client.get(reverse("reports:figure_picker", args=[report.pk]), {"q": "ho so tiep nhan"}).content.decode()
    tokens = re.findall(r'data-token="\[([^"]+)\]"', html)
    assert tokens and all("hồ sơ" in t.lower() and "tiếp nhận" in t.lower() for t in tokens)
    assert _codes_in(visible_text(html)) == []
    none = client.get(reverse("reports:figure_picker", args=[report.pk]), {"q": "zzzz"}).content.decode()
    assert "Không có số liệu nào" in none
    client.force_login(make_user("canbo-lam", Role.COMMUNE_OFFICER, demo_values["000.13.21.H42"]))
    assert client.get(reverse("reports:figure_picker", args=[report.pk]), {"q": "ho so"}).status_code == 404
