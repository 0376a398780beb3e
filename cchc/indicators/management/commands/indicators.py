from django.core.management.base import CommandError

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ErrorCollector, ImportRejected
from cchc.core.management.base import GroupCommand
from cchc.core.vnformat import format_date, format_number
from cchc.indicators import catalogue, rules, selectors, validation
from cchc.indicators.models import ValueSource
from cchc.indicators.periods import PeriodCodeError, get_period
from cchc.org.models import OrgUnit


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã {code}.")
    return unit


def _actor(username: str | None, system: str):
    """The user named by ``--user`` (their scope applies), else the named system actor of the command."""
    if not username:
        return SystemActor(system)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}” (đang hoạt động).")
    return user


def _period(code: str):
    try:
        return get_period(code)
    except PeriodCodeError as exc:
        raise CommandError(str(exc)) from exc


class Command(GroupCommand):
    help = "Chỉ tiêu thống kê CCHC: danh mục, số liệu, quy tắc kiểm tra. / CCHC indicators, values and rules."
    subcommands = {
        "load-catalogue": "Nạp danh mục chỉ tiêu từ tệp YAML (toàn bộ hoặc không gì cả). / Load the catalogue.",
        "values": "In mọi số liệu của một đơn vị trong một kỳ, kèm nguồn gốc. / Print a unit's values with provenance.",
        "validate": "Phân tích kiểm tra số liệu của một địa bàn trong nhiều kỳ. / Run validation rules over a subtree.",
        "period": "In ngày bắt đầu, kết thúc và hạn báo cáo của một kỳ. / Show a period's dates.",
        "check-rules": "Kiểm tra tệp quy tắc với danh mục chỉ tiêu. / Check a rules file against the catalogue.",
        "import": "Nhập số liệu từ tệp CSV/XLSX (don_vi, ky, ma_chi_tieu, gia_tri, ghi_chu). / Import figures.",
        "export": "Xuất số liệu đã nhập của một đơn vị trong một kỳ ra CSV/XLSX. / Export a unit's figures.",
        "add": "Thêm chỉ tiêu của tỉnh từ tệp YAML/XLSX (phiên bản danh mục mới). / Add indicators.",
    }

    # ---- add ---------------------------------------------------------------------------------------------
    def args_add(self, parser) -> None:
        parser.add_argument("file", help="Tệp YAML hoặc XLSX các chỉ tiêu mới / YAML or XLSX of new rows")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_add(self, *, file, dry_run=False, **_):
        from pathlib import Path

        from cchc.indicators import adding

        result = adding.add_indicators(
            SystemActor("cchc indicators add"), Path(file).name, Path(file).read_bytes(), dry_run=dry_run
        )
        head = "Kiểm tra thử (không lưu)" if dry_run else "Đã tạo"
        self.stdout.write(
            f"{head} danh mục phiên bản {result.details['version']}: thêm {result.created} "
            f"chỉ tiêu; số liệu đã có không thay đổi."
        )

    # ---- import / export -------------------------------------------------------------------------------
    def args_import(self, parser) -> None:
        parser.add_argument("file", help="Tệp CSV hoặc XLSX / CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")
        parser.add_argument("--user", help="Nhập với tư cách người dùng này (phạm vi của họ) / act as this user")
        parser.add_argument("--json", action="store_true", help="Xuất kết quả JSON / JSON output")

    def do_import(self, *, file, dry_run=False, user=None, json=False, **_):
        from cchc.indicators import importing

        actor = _actor(user, "cchc indicators import")
        result = importing.import_file(actor, file, dry_run=dry_run)
        if json:
            self.write_json(result.as_dict())
            return
        for row in result.rows:
            if row.action in (importing.RowAction.ADD, importing.RowAction.CHANGE, importing.RowAction.CLEAR):
                old = "" if row.old is None else f" (trước: {format_number(row.old)})"
                new = "" if row.value is None else format_number(row.value)
                self.stdout.write(
                    f"Dòng {row.row}: {row.action.label} {row.unit.code} {row.period.code} "
                    f"{row.indicator.code} = {new}{old}"
                )
        self.stdout.write(result.summary())

    def args_export(self, parser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị / unit code")
        parser.add_argument("--period", required=True, help="Mã kỳ, ví dụ 2021-NAM / period code")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="csv", help="xlsx hoặc csv")
        parser.add_argument("--out", help="Tệp ghi ra (mặc định: in CSV ra màn hình) / output file")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Cả số liệu tính, cộng dồn (không chỉ số liệu đã nhập) / every figure with a value",
        )

    def do_export(self, *, unit, period, format="csv", out=None, all=False, **_):
        from cchc.indicators import exporting

        unit_obj, period_obj = _unit(unit), _period(period)
        rows = exporting.export_rows(unit_obj, period_obj, include_all=all)
        data = exporting.to_xlsx(rows) if format == "xlsx" else exporting.to_csv(rows)
        if out:
            with open(out, "wb") as fh:
                fh.write(data)
            self.stdout.write(f"Đã ghi {format_number(len(rows))} số liệu vào {out}.")
        elif format == "xlsx":
            raise CommandError("Tệp XLSX cần --out TỆP.")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")

    # ---- load-catalogue ----------------------------------------------------------------------------
    def args_load_catalogue(self, parser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(catalogue.CATALOGUE_FILE),
            help="Tệp YAML (mặc định: danh mục kèm theo) / catalogue file",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu / validate only")

    def do_load_catalogue(self, *, file, dry_run=False, **_):
        result = catalogue.load_catalogue(file, dry_run=dry_run, actor=SystemActor("cchc indicators load-catalogue"))
        retired = result.details.get("retired", 0)
        self.stdout.write(result.summary() + (f" Ngừng sử dụng {retired} chỉ tiêu." if retired else ""))

    # ---- values --------------------------------------------------------------------------------------
    def args_values(self, parser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị / unit code")
        parser.add_argument("--period", required=True, help="Mã kỳ, ví dụ 2021-NAM / period code")
        parser.add_argument("--all", action="store_true", help="In cả chỉ tiêu thành phần không có trong phụ lục")
        parser.add_argument("--json", action="store_true", help="Xuất JSON / JSON output")

    def do_values(self, *, unit, period, all=False, json=False, **_):
        unit_obj, period_obj = _unit(unit), _period(period)
        values = selectors.values_for(unit_obj, period_obj)
        if json:
            self.write_json(
                {
                    "unit": {"code": unit_obj.code, "name": unit_obj.name},
                    "period": {
                        "code": period_obj.code,
                        "name": period_obj.name,
                        "start": period_obj.start,
                        "end": period_obj.end,
                        "due_date": period_obj.due_date,
                    },
                    "catalogue_version": selectors.catalogue_version(),
                    "values": [v.as_dict() for v in values],
                }
            )
            return
        self.stdout.write(
            f"{unit_obj.name} [{unit_obj.code}] — {period_obj.name} "
            f"(từ {format_date(period_obj.start)} đến {format_date(period_obj.end)})"
        )
        group = None
        shown = filled = 0
        for v in values:
            ind = v.indicator
            if not ind.in_appendix and not all:
                continue
            if ind.group_code != group:
                group = ind.group_code
                self.stdout.write(f"\n{group}. {ind.group_name.upper()}")
            if v.source == ValueSource.HEADING:
                self.stdout.write(f"  {ind.stt + '. ' if ind.stt else ''}{ind.name}")
                continue
            shown += 1
            filled += v.value is not None
            stt = f"{ind.stt}. " if ind.stt else "- "
            number = v.display if v.value is not None else "—"
            self.stdout.write(f"    {stt}{ind.name} [{ind.shown_unit or ind.unit_label}]: {number}")
            self.stdout.write(f"        ({v.source_text})")
        self.stdout.write(f"\nCó số liệu {format_number(filled)}/{format_number(shown)} chỉ tiêu.")

    # ---- validate ----------------------------------------------------------------------------------
    def args_validate(self, parser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị gốc của địa bàn / root unit code")
        parser.add_argument("--from-period", required=True, help="Kỳ đầu, ví dụ 2021-Q1")
        parser.add_argument("--to-period", required=True, help="Kỳ cuối, ví dụ 2021-NAM")
        parser.add_argument("--json", action="store_true", help="Xuất JSON / JSON output")

    def do_validate(self, *, unit, from_period, to_period, json=False, **_):
        root, first, last = _unit(unit), _period(from_period), _period(to_period)
        try:
            results = validation.analyse(root, first, last)
        except PeriodCodeError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.write_json(
                {
                    "unit": root.code,
                    "from": first.code,
                    "to": last.code,
                    "count": len(results),
                    "results": [r.as_dict() for r in results],
                }
            )
            return
        self.stdout.write(
            f"Phân tích kiểm tra {root.name} [{root.code}], từ kỳ {first.code} "
            f"({format_date(first.start)}) đến kỳ {last.code} ({format_date(last.end)})."
        )
        for r in results:
            level = rules.Importance(r.rule.importance).label
            if r.status == rules.Outcome.ERROR:
                detail = f"không tính được: {r.reason}"
            elif r.left is not None:
                op = rules.Operator(r.rule.operator).label
                detail = f"{format_number(r.left)} {op} {format_number(r.right)} không đúng"
            else:
                detail = r.reason
            self.stdout.write(f"- [{level}] {r.period.code} · {r.unit.name} [{r.unit.code}]: {r.rule.message}")
            self.stdout.write(f"    {r.rule.text}: {detail}")
        self.stdout.write(f"Tìm thấy {format_number(len(results))} sai lệch." if results else "Không có sai lệch nào.")

    # ---- period --------------------------------------------------------------------------------------
    def args_period(self, parser) -> None:
        parser.add_argument("code", help="Mã kỳ / period code")

    def do_period(self, *, code, **_):
        p = _period(code)
        due = f", hạn báo cáo {format_date(p.due_date)}" if p.due_date else ""
        self.stdout.write(f"{p.code}: {p.name}, từ {format_date(p.start)} đến {format_date(p.end)}{due}.")

    # ---- check-rules -------------------------------------------------------------------------------
    def args_check_rules(self, parser) -> None:
        parser.add_argument("file", nargs="?", default=str(rules.RULES_FILE), help="Tệp quy tắc / rules file")

    def do_check_rules(self, *, file, **_):
        catalogue.ensure_catalogue()
        errors = ErrorCollector()
        with open(file, encoding="utf-8") as fh:
            found = rules.parse_rules(fh.read(), selectors.current_indicators(), errors)
        if errors:
            raise ImportRejected(errors.errors, errors.total)
        generated = sum(1 for r in found if r.generated)
        declared = len(found) - generated
        self.stdout.write(f"Tệp hợp lệ: {declared} quy tắc khai báo, {generated} quy tắc sinh từ danh mục.")
