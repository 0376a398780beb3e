"""`cchc parindex …`: criteria sets, score imports, results, lost points, remediation documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from cchc.accounts.actors import SystemActor
from cchc.core.management.base import GroupCommand
from cchc.core.uploads import UploadKind, check_upload
from cchc.core.vnformat import format_number, format_percent
from cchc.parindex import documents, selectors, services
from cchc.parindex.models import Assessment, Framework, Status

ACTOR = SystemActor("cchc parindex")


def _framework(code: str) -> Framework:
    try:
        return Framework.objects.get(code=code)
    except Framework.DoesNotExist as exc:
        known = ", ".join(Framework.objects.values_list("code", flat=True)) or "chưa nạp bộ nào"
        raise CommandError(f"Không có bộ tiêu chí “{code}” (đã nạp: {known}).") from exc


def _assessment(framework: Framework, unit_code: str) -> Assessment:
    a = framework.assessments.select_related("unit", "framework").filter(unit__code=unit_code).first()
    if a is None:
        raise CommandError(f"Đơn vị “{unit_code}” chưa được đánh giá theo bộ tiêu chí {framework.code}.")
    return a


class Command(GroupCommand):
    help = "Chỉ số cải cách hành chính / PAR index: criteria sets, scores, results, remediation"
    subcommands = {
        "load-framework": "Nạp bộ tiêu chí từ phụ lục Excel/Word hoặc YAML / load a criteria set",
        "import-scores": (
            "Nạp điểm từ tệp CSV / import scores (don_vi, ma_tieu_chi, diem_tu_cham, diem_tham_dinh, ghi_chu)"
        ),
        "announce": "Nhập quyết định công bố kết quả của bộ tiêu chí / the decision announcing the results",
        "results": "Kết quả, xếp hạng các đơn vị / results and ranking",
        "lost-points": "Các tiêu chí bị mất điểm của một đơn vị / lost-point analysis of a unit",
        "remediation-plan": "Kế hoạch khắc phục (DOCX) / remediation plan",
        "remediation-report": "Báo cáo kết quả khắc phục (DOCX) / remediation report",
        "build-templates": "Tạo lại các mẫu DOCX / rebuild the DOCX templates",
    }

    def args_load_framework(self, parser) -> None:
        parser.add_argument("file", help="Tệp bộ tiêu chí: phụ lục Excel (.xlsx), Word (.docx) hoặc YAML")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ hiển thị cây tiêu chí và tổng điểm, không lưu")
        parser.add_argument("--code", help="Mã bộ tiêu chí (khi tệp không ghi), ví dụ xa-2024-ht")
        parser.add_argument("--name", help="Tên bộ tiêu chí")
        parser.add_argument("--level", choices=["xa", "huyen", "tinh"], help="Cấp đơn vị được đánh giá")
        parser.add_argument("--year", type=int, help="Năm đánh giá")

    def do_load_framework(
        self,
        file: str,
        dry_run: bool = False,
        code: str | None = None,
        name: str | None = None,
        level: str | None = None,
        year: int | None = None,
        **_: Any,
    ) -> None:
        from cchc.parindex.annex import read_any, tree_lines
        from cchc.parindex.framework import load_framework

        parsed = read_any(file, code=code, name=name, level=level, year=year)
        for line in tree_lines(parsed):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Kiểm tra thử: bộ tiêu chí hợp lệ, chưa lưu (bỏ --dry-run để nạp).")
            return
        result = load_framework(parsed, ACTOR, source_file=Path(file).name)
        self.stdout.write(f"Bộ tiêu chí {parsed.code} — {parsed.name}: {result.summary()}")

    def args_import_scores(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--framework", required=True, help="Mã bộ tiêu chí")
        parser.add_argument("--dry-run", action="store_true", help="Kiểm tra, không lưu")

    def do_import_scores(self, file: str, framework: str, dry_run: bool = False, **_: Any) -> None:
        if not Path(file).exists():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        check_upload(file, file, UploadKind.TABLE)  # an UploadRefused is an ImportRejected: shown as such
        result = services.import_scores(file, _framework(framework), ACTOR, dry_run=dry_run)
        extra = ""
        if result.details:
            d = result.details
            extra = f" Đơn vị: {d.get('units', 0)}; có kết quả chính thức: {d.get('finalised', 0)}."
        self.stdout.write(result.summary() + extra)

    def args_announce(self, parser) -> None:
        parser.add_argument("--framework", required=True)
        parser.add_argument("--number", required=True, help="Số, ký hiệu, ví dụ 125/QĐ-UBND")
        parser.add_argument("--date", required=True, help="Ngày ban hành, dd/mm/yyyy")
        parser.add_argument("--issuer", required=True, help="Cơ quan ban hành, ví dụ “Ủy ban nhân dân tỉnh Hà Tĩnh”")

    def do_announce(self, framework: str, number: str, date: str, issuer: str, **_: Any) -> None:
        from django.core.exceptions import ValidationError

        from cchc.core.vnformat import VietnameseParseError, parse_date

        try:
            fw = services.announce(ACTOR, _framework(framework), number, parse_date(date), issuer)
        except (ValidationError, VietnameseParseError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(
            f"Bộ tiêu chí {fw.code}: kết quả công bố tại Quyết định số {fw.announced_number} ngày "
            f"{fw.announced_on:%d/%m/%Y} của {fw.announced_by}."
        )

    def args_results(self, parser) -> None:
        parser.add_argument("--framework", required=True)
        parser.add_argument("--json", action="store_true")

    def do_results(self, framework: str, json: bool = False, **_: Any) -> None:
        fw = _framework(framework)
        rows = selectors.results(fw)
        if json:
            self.write_json({"framework": fw.code, "year": fw.year, "results": [r.as_dict() for r in rows]})
            return
        self.stdout.write(f"{fw.name} ({fw.code})")
        grouped = bool(fw.groups)
        head = f"{'Nhóm':<18} {'Hạng nhóm':>9}  " if grouped else ""
        self.stdout.write(
            f"{'Hạng':>6}  {head}{'Mã đơn vị':<14} {'Đơn vị':<26} {'Tự chấm':>8} {'Thẩm định':>9} "
            f"{'Chỉ số':>8}  Xếp loại"
        )
        for r in rows:
            s = r.sheet
            rank = f"{r.rank}/{r.of}" if r.rank else "—"
            group = ""
            if grouped:
                group_rank = f"{r.group_rank}/{r.group_of}" if r.group_rank else "—"
                group = f"{r.group[:18]:<18} {group_rank:>9}  "
            self.stdout.write(
                f"{rank:>6}  {group}{r.assessment.unit.code:<14} {r.assessment.unit.name[:26]:<26} "
                f"{format_number(s.self_total, empty='—'):>8} {format_number(s.appraised_total, empty='—'):>9} "
                f"{format_percent(s.index, empty='—'):>8}  "
                f"{s.band() if s.official else r.assessment.get_status_display()}"
            )

    def args_lost_points(self, parser) -> None:
        parser.add_argument("--framework", required=True)
        parser.add_argument("--unit", required=True, help="Mã đơn vị")
        parser.add_argument("--json", action="store_true")

    def do_lost_points(self, framework: str, unit: str, json: bool = False, **_: Any) -> None:
        a = _assessment(_framework(framework), unit)
        sheet = selectors.build_sheet(a)
        groups, grand = selectors.lost_points(sheet)
        if json:
            self.write_json(
                {
                    "framework": framework,
                    "unit": a.unit.code,
                    "unit_name": a.unit.name,
                    "basis": sheet.basis,
                    "fields": [{**g.total.as_dict(), "criteria": [ln.as_dict() for ln in g.lines]} for g in groups],
                    "total": {k: str(v) for k, v in grand.items()},
                }
            )
            return
        self.stdout.write(f"{a.unit.name} — {a.framework.code} (theo điểm {sheet.basis})")
        for g in groups:
            f = g.total
            self.stdout.write(
                f"\n{f.code}. {f.name}: tối đa {format_number(f.max_points)}, đạt "
                f"{format_number(f.obtained)}, mất {format_number(f.lost)}"
                + (f", điểm trừ {format_number(f.penalty)}" if f.penalty else "")
            )
            for ln in g.lines:
                self.stdout.write(
                    f"  {ln.code:<9} tối đa {format_number(ln.max_points):>5}  đạt "
                    f"{format_number(ln.obtained):>5}  mất {format_number(ln.lost):>5}  {ln.name}"
                    + (f" — {ln.reason}" if ln.reason else "")
                )
        self.stdout.write(
            f"\nTổng: tối đa {format_number(grand['max'])}, đạt {format_number(grand['obtained'])}, "
            f"mất {format_number(grand['lost'])}; điểm thưởng {format_number(grand['bonus'])}, "
            f"điểm trừ {format_number(grand['penalty'])}; tổng điểm {format_number(grand['total'])}."
        )

    def _doc_args(self, parser) -> None:
        parser.add_argument("--framework", required=True)
        parser.add_argument("--unit", required=True)
        parser.add_argument("--out", required=True, help="Tệp .docx (hoặc .pdf) ghi ra")

    args_remediation_plan = _doc_args
    args_remediation_report = _doc_args

    def _write(self, data: bytes, out: str) -> None:
        from cchc.documents.rendering import docx_to_pdf

        path = Path(out)
        if path.suffix.lower() == ".pdf":
            data = docx_to_pdf(data)
        path.write_bytes(data)
        self.stdout.write(f"Đã ghi {path} ({len(data):,} byte).".replace(",", "."))

    def do_remediation_plan(self, framework: str, unit: str, out: str, **_: Any) -> None:
        a = _assessment(_framework(framework), unit)
        if a.status != Status.FINALISED:
            raise CommandError("Đơn vị chưa có kết quả Chỉ số CCHC chính thức (chưa kết thúc thẩm định).")
        services.ensure_plan(ACTOR, a)
        self._write(documents.plan_docx(a), out)

    def do_remediation_report(self, framework: str, unit: str, out: str, **_: Any) -> None:
        a = _assessment(_framework(framework), unit)
        if a.status != Status.FINALISED:
            raise CommandError("Đơn vị chưa có kết quả Chỉ số CCHC chính thức (chưa kết thúc thẩm định).")
        services.ensure_plan(ACTOR, a)
        self._write(documents.report_docx(a), out)

    def do_build_templates(self, **_: Any) -> None:
        from cchc.parindex.docx_templates import build_all

        for path in build_all():
            self.stdout.write(f"Đã ghi {path}")
