"""Các cột của tệp hồ sơ nạp từ hệ thống một cửa cấp tỉnh: the ONE declaration of the import's columns.

Everything about a column is said here once: its header name and aliases, its Vietnamese label, the dossier
field it fills, how its cells are read (``Kind``), whether it is required, an example and a help text. The
header mapping (reading.py), the checks and their messages (validation.py), the fingerprint (planning.py),
the columns the writers send (writing.py), the import template (template.py) and the column table of
docs/dossiers.md (:func:`markdown_table`, a test keeps the doc equal to it) are all driven by ``COLUMNS``.

Adding a column: declare it below (optional, with the next free ``salt``), add its parser kind if new;
a column of kind INT, BOOL, ENUM or DATE with ``direct=True`` needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models

from cchc.core.tabular import normalise_header
from cchc.dossiers.models import Channel, OnlineForm


class Kind(StrEnum):
    """How the cells of a column are read."""

    CODE = "mã"  # a code, kept as written (the dossier's, a unit's, a procedure's)
    TEXT = "văn bản"
    INT = "số nguyên"  # ≥ 0, Vietnamese thousands "50.000" accepted
    ENUM = "danh mục"  # one of the words of a TextChoices
    BOOL = "có/không"
    DATE = "ngày"  # dd/mm/yyyy or yyyy-mm-dd
    MOMENT = "ngày giờ"  # a date with an optional time HH:MM


# "Ngày tiếp nhận" → "ngay tiep nhan" (no case, diacritics, "_" or "-"): how headers, aliases and the words of
# a choice are compared.
normalise = normalise_header

# The words of a có/không cell (compared after normalise: "Có" = "co", "Đúng" = "dung"). A blank cell is
# "no data" (NULL) in an optional column; ``da_xin_loi`` alone reads blank as không (its historic meaning).
YES_WORDS = ("co", "x", "1", "true", "dung", "yes")
NO_WORDS = ("khong", "0", "false", "sai", "no")
BOOL_HELP = "có/không, x, 1/0, đúng/sai, true/false"


@dataclass(frozen=True)
class Column:
    """One column of the import file.

    ``fills``: the dossier fields (or ``procedure.…`` for the catalogue) the column determines; ``direct``
    columns are written as read (writing.py generates their SQL from ``kind``), the others feed computed
    fields. ``salt``: the column's fixed place in the row fingerprint (never renumber: stored fingerprints
    would all change). ``codes``: for ENUM, the stored values numbered as the fingerprint and the writers
    number them (index = number)."""

    name: str
    label: str
    kind: Kind
    fills: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    required: bool = False
    direct: bool = False
    example: str = ""
    help: str = ""
    enum: type[models.TextChoices] | None = None
    codes: tuple[str, ...] = ()
    words: dict[str, str] = field(default_factory=dict)
    blank_is_no: bool = False
    maximum: int | None = None
    salt: int = 0
    message: str = ""

    def __str__(self) -> str:  # the import page joins the columns' names
        return self.name

    @property
    def field(self) -> str | None:
        """The dossier field of a direct column."""
        return self.fills[0] if self.direct and self.fills else None

    def accepted(self) -> dict[str, str]:
        """ENUM: every accepted word (normalised) → stored value: the enum's values and labels, plus ``words``."""
        assert self.enum is not None
        out: dict[str, str] = {}
        for member in self.enum:
            out[normalise(member.value)] = member.value
            out[normalise(member.label)] = member.value
        out.update({normalise(k): v for k, v in self.words.items()})
        return out

    def allowed_text(self) -> str:
        """What the cells may hold, in Vietnamese (docs and the template's explanation sheet)."""
        if self.kind == Kind.ENUM:
            assert self.enum is not None
            values = ", ".join(f"{m.value} ({m.label})" for m in self.enum if m.value)
            extra = ", ".join(self.words)
            return values + (f"; cũng nhận: {extra}" if extra else "") + ("" if self.required else "; hoặc để trống")
        if self.kind == Kind.BOOL:
            blank = "không" if self.blank_is_no else "chưa có dữ liệu"
            return f"{BOOL_HELP}; để trống = {blank}"
        if self.kind == Kind.INT:
            return "số nguyên ≥ 0 (nhận “50.000”); để trống = chưa có dữ liệu" if self.direct else "số nguyên ≥ 0"
        if self.kind == Kind.DATE:
            return "dd/mm/yyyy hoặc yyyy-mm-dd"
        if self.kind == Kind.MOMENT:
            return "dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd"
        return "văn bản"


def _bool(name: str, label: str, fill: str, salt: int, aliases: tuple[str, ...], help_text: str) -> Column:
    """An optional có/không column of the QĐ 766/QĐ-TTg index (blank = no data)."""
    return Column(name, label, Kind.BOOL, (fill,), aliases, direct=True, example="có", help=help_text, salt=salt)


COLUMNS: tuple[Column, ...] = (
    Column(
        "ma_ho_so",
        "Mã hồ sơ",
        Kind.CODE,
        ("code",),
        ("so ho so", "ma hs"),
        required=True,
        direct=True,
        example="000.16.21.H42-250310-0001",
        help="Mã hồ sơ trên hệ thống một cửa, không trùng trong tệp; nạp lại cùng mã thì cập nhật hồ sơ đó.",
    ),
    Column(
        "don_vi",
        "Đơn vị",
        Kind.CODE,
        ("unit", "holder"),
        ("ma don vi", "don vi tiep nhan", "ma co quan"),
        required=True,
        example="000.16.21.H42",
        help="Mã đơn vị tiếp nhận; phải có trong danh mục vào ngày tiếp nhận và trong phạm vi người nạp được sửa.",
    ),
    Column(
        "ma_thu_tuc",
        "Mã thủ tục",
        Kind.CODE,
        ("procedure", "field"),
        ("ma tthc", "ma thu tuc hanh chinh"),
        required=True,
        example="1.004873",
        help="Mã thủ tục trên Cổng DVC quốc gia; thủ tục chưa có thì cần tên và số ngày giải quyết để tạo mới.",
    ),
    Column(
        "ten_thu_tuc",
        "Tên thủ tục",
        Kind.TEXT,
        ("procedure.name",),
        ("ten tthc", "thu tuc", "ten thu tuc hanh chinh"),
        example="Đăng ký khai sinh",
        help="Chỉ dùng khi tạo thủ tục mới (tối đa 500 ký tự).",
    ),
    Column(
        "linh_vuc",
        "Lĩnh vực",
        Kind.TEXT,
        ("procedure.field",),
        ("ma linh vuc", "ten linh vuc"),
        example="Hộ tịch",
        help="Mã hoặc tên lĩnh vực của thủ tục mới; không có thì tạo lĩnh vực mới.",
    ),
    Column(
        "so_ngay_giai_quyet",
        "Số ngày giải quyết",
        Kind.INT,
        ("procedure.time_value",),
        ("thoi han giai quyet", "so ngay"),
        example="3",
        help="Số ngày làm việc của thủ tục mới.",
    ),
    Column(
        "kenh",
        "Kênh tiếp nhận",
        Kind.ENUM,
        ("channel",),
        ("kenh tiep nhan", "hinh thuc nop"),
        required=True,
        direct=True,
        example=Channel.COUNTER.value,
        help="Kênh nộp hồ sơ.",
        enum=Channel,
        codes=("", Channel.COUNTER, Channel.ONLINE, Channel.POST),
        words={"bcci": Channel.POST, "online": Channel.ONLINE},
        message="Kênh phải là truc_tiep, truc_tuyen hoặc buu_chinh.",
    ),
    Column(
        "muc_do",
        "Mức độ dịch vụ công trực tuyến",
        Kind.ENUM,
        ("online_form",),
        ("muc do dvc", "dich vu cong truc tuyen"),
        direct=True,
        example="",
        help="Mức độ dịch vụ công trực tuyến của hồ sơ nộp trực tuyến.",
        enum=OnlineForm,
        codes=(OnlineForm.NONE, OnlineForm.FULL, OnlineForm.PARTIAL),
        words={
            "muc do 4": OnlineForm.FULL,
            "4": OnlineForm.FULL,
            "muc do 3": OnlineForm.PARTIAL,
            "3": OnlineForm.PARTIAL,
        },
        message="Mức độ phải là toan_trinh, mot_phan hoặc để trống.",
    ),
    Column(
        "ngay_tiep_nhan",
        "Ngày tiếp nhận",
        Kind.MOMENT,
        ("received_on", "received_at"),
        ("ngay nhan", "thoi gian tiep nhan"),
        required=True,
        example="10/03/2025 09:15",
        help="Giờ tiếp nhận (nếu có) áp dụng giờ chốt của thủ tục khi tính ngày hẹn trả.",
    ),
    Column(
        "ngay_hen_tra",
        "Ngày hẹn trả",
        Kind.DATE,
        ("original_due_on", "due_on"),
        ("ngay hen tra ket qua", "han giai quyet", "han xu ly"),
        example="13/03/2025",
        help="Để trống thì tính theo thời hạn của thủ tục và lịch làm việc.",
    ),
    Column(
        "ngay_tra_ket_qua",
        "Ngày trả kết quả",
        Kind.DATE,
        ("returned_on", "result_ready_on", "closed_on", "status", "outcome"),
        ("ngay tra", "ngay hoan thanh", "ngay co ket qua tra"),
        example="12/03/2025",
        help="Để trống: hồ sơ đang giải quyết. Có ngày: đã trả, xếp trước hạn / đúng hạn / quá hạn.",
    ),
    Column(
        "da_xin_loi",
        "Đã xin lỗi",
        Kind.BOOL,
        ("apology_on",),
        ("xin loi", "co phieu xin loi"),
        example="không",
        help="Có phiếu xin lỗi; ngày xin lỗi ghi là ngày hẹn trả ban đầu.",
        blank_is_no=True,
        message="Đã xin lỗi phải là có hoặc không (1/0, x).",
    ),
    Column(
        "ngay_hen_tra_moi",
        "Ngày hẹn trả mới",
        Kind.DATE,
        ("new_due_on",),
        ("ngay hen lai",),
        example="",
        help="Ngày hẹn lại ghi trong phiếu xin lỗi; chỉ khi cột đã xin lỗi ghi “có”.",
    ),
    # QĐ 766/QĐ-TTg (issue #15): optional; a file without them imports as before, their fields stay NULL.
    Column(
        "so_lan_bo_sung",
        "Số lần yêu cầu bổ sung",
        Kind.INT,
        ("supplement_requests",),
        ("so lan yeu cau bo sung", "so lan bo sung ho so"),
        direct=True,
        example="0",
        help="Số lần yêu cầu bổ sung, hoàn thiện hồ sơ (hơn một lần thì hồ sơ tính là trễ hạn).",
        maximum=32767,
        salt=11,
    ),
    Column(
        "phi_le_phi",
        "Phí, lệ phí (đồng)",
        Kind.INT,
        ("fee_due",),
        ("phi", "le phi", "phi le phi phai nop", "so tien phi le phi"),
        direct=True,
        example="50.000",
        help="Số tiền phí, lệ phí phải nộp, bằng đồng (0 nếu không thu).",
        maximum=2**63 - 1,
        salt=12,
    ),
    _bool(
        "thanh_toan_truc_tuyen",
        "Thanh toán trực tuyến",
        "paid_online",
        13,
        ("da thanh toan truc tuyen", "thanh toan tt"),
        "Phí, lệ phí đã nộp trực tuyến.",
    ),
    _bool(
        "ket_qua_dien_tu",
        "Kết quả điện tử",
        "e_result",
        14,
        ("co ket qua dien tu", "tra ket qua dien tu"),
        "Hồ sơ có kết quả giải quyết điện tử.",
    ),
    _bool(
        "so_hoa",
        "Số hóa thành phần hồ sơ",
        "digitised",
        15,
        ("so hoa ho so", "da so hoa", "so hoa thanh phan ho so"),
        "Thành phần hồ sơ đã được số hóa.",
    ),
    _bool(
        "tai_su_dung",
        "Tái sử dụng dữ liệu số hóa",
        "reused_data",
        16,
        ("tai su dung du lieu", "tai su dung du lieu so hoa"),
        "Hồ sơ dùng lại dữ liệu đã số hóa (không yêu cầu nộp lại giấy tờ).",
    ),
    _bool(
        "chung_thuc_dien_tu",
        "Chứng thực bản sao điện tử",
        "e_certified_copy",
        17,
        ("chung thuc ban sao dien tu",),
        "Hồ sơ có bản sao chứng thực điện tử.",
    ),
    _bool(
        "luu_kho_du_lieu",
        "Lưu Kho dữ liệu",
        "stored_in_repository",
        18,
        ("luu kho", "ket qua luu kho du lieu", "kho du lieu"),
        "Kết quả được lưu vào Kho quản lý dữ liệu điện tử của tổ chức, cá nhân.",
    ),
    _bool(
        "xac_thuc_vneid",
        "Xác thực VNeID",
        "vneid_authenticated",
        19,
        ("vneid", "tai khoan vneid", "dinh danh vneid"),
        "Người nộp dùng tài khoản định danh điện tử VNeID.",
    ),
    _bool(
        "dong_bo_cong_dvcqg",
        "Đồng bộ Cổng DVC quốc gia",
        "synced_to_portal",
        20,
        ("dong bo dvcqg", "dong bo cong dvc", "da dong bo"),
        "Hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia.",
    ),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
# The optional columns read straight into a dossier field (the QĐ 766 ones): their values are written and
# fingerprinted only when the file has the column.
OPTIONAL_DIRECT: tuple[Column, ...] = tuple(c for c in COLUMNS if c.direct and c.salt)


_ORDER = {c.name: i for i, c in enumerate(COLUMNS)}


def order(name: str) -> int:
    """A column's position: a row's errors are listed in this order, as the clerk reads the columns."""
    return _ORDER[name]


def header_lookup(mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised header → column name: the names, their aliases, then a mapping file's labels."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        lookup[normalise(column.name)] = column.name
        lookup[normalise(column.label)] = column.name
        for alias in column.aliases:
            lookup[normalise(alias)] = column.name
    for label, name in (mapping or {}).items():
        lookup[normalise(label)] = name
    return lookup


def markdown_table() -> str:
    """The column table of docs/dossiers.md (between its ``import-columns`` markers)."""
    lines = [
        "| cột | tên | bắt buộc | kiểu | giá trị | trường | giải thích |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in COLUMNS:
        aliases = ", ".join(f"“{a}”" for a in c.aliases)
        lines.append(
            f"| `{c.name}` | {c.label} ({aliases}) | {'có' if c.required else 'không'} | {c.kind.value} "
            f"| {c.allowed_text()} | {', '.join(f'`{f}`' for f in c.fills)} | {c.help} |"
        )
    return "\n".join(lines) + "\n"
