from __future__ import annotations

from django import forms

from cchc.dossiers.models import Channel, Procedure, ReturnMethod


class TriStateSelect(forms.NullBooleanSelect):
    """Chưa rõ / Có / Không: a yes/no whose "not known" stays NULL (a checkbox cannot say "chưa rõ")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", "Chưa rõ"), ("true", "Có"), ("false", "Không"))


def tri_state(label: str, help_text: str = "") -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=TriStateSelect, help_text=help_text)


# Số hóa, thanh toán và kết quả điện tử (what the QĐ 766 index reads of a dossier), in plain words.
RECORD_LABELS = {
    "paid_online": "Đã thanh toán phí, lệ phí trực tuyến?",
    "digitised": "Thành phần hồ sơ đã được số hóa?",
    "reused_data": "Có dùng lại giấy tờ đã số hóa (không bắt nộp lại)?",
    "e_certified_copy": "Có chứng thực bản sao điện tử?",
    "vneid_authenticated": "Người nộp đăng nhập bằng tài khoản VNeID?",
    "e_result": "Có trả kết quả điện tử?",
    "stored_in_repository": "Kết quả đã lưu vào Kho dữ liệu điện tử của người dân?",
    "synced_to_portal": "Đã đồng bộ lên Cổng Dịch vụ công quốc gia?",
}


def fee_field(help_text: str = "Để trống nếu chưa rõ; 0 nếu không thu.") -> forms.IntegerField:
    return forms.IntegerField(
        label="Phí, lệ phí phải nộp (đồng)",
        required=False,
        min_value=0,
        error_messages={"min_value": "Phí, lệ phí không được âm.", "invalid": "Phí, lệ phí phải là số đồng."},
        help_text=help_text,
    )


class RecordsForm(forms.Form):
    """The handling screen's "Số hóa, thanh toán và kết quả điện tử" section."""

    prefix = "hs"

    def __init__(self, *args, only: tuple[str, ...] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_due"] = fee_field()
        for name, label in RECORD_LABELS.items():
            self.fields[name] = tri_state(label)
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]


class ProcedureForm(forms.ModelForm):
    papers_text = forms.CharField(
        label="Thành phần hồ sơ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mỗi dòng một giấy tờ: tên | ban_chinh hoặc ban_sao hoặc ban_sao_ct | số lượng",
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "level",
            "time_unit",
            "time_value",
            "cutoff",
            "fee",
            "online_form",
            "legal_basis",
            "valid_from",
            "valid_to",
            "announced_in",
            "announced_on",
            "basis_effective_on",
            "published_on",
            "published_complete",
            "has_fee",
            "online_payment",
            "population_data_linked",
        ]
        widgets = {
            **{
                name: TriStateSelect
                for name in ("published_complete", "has_fee", "online_payment", "population_data_linked")
            },
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "name": forms.TextInput(),
            "cutoff": forms.TimeInput(format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["papers_text"].initial = "\n".join(
                f"{p.name} | {p.kind} | {p.count}" for p in self.instance.papers.all()
            )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", "Ngày hết hiệu lực trước ngày có hiệu lực.")
        if data.get("announced_on") and data.get("published_on") and data["published_on"] < data["announced_on"]:
            self.add_error("published_on", "Ngày công khai trước ngày quyết định công bố.")
        papers = []
        for n, line in enumerate((data.get("papers_text") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            kind = parts[1] if len(parts) > 1 and parts[1] else "ban_chinh"
            if kind not in ("ban_chinh", "ban_sao", "ban_sao_ct"):
                self.add_error("papers_text", f"Dòng {n}: loại giấy tờ phải là ban_chinh, ban_sao hoặc ban_sao_ct.")
                continue
            try:
                count = int(parts[2]) if len(parts) > 2 and parts[2] else 1
            except ValueError:
                self.add_error("papers_text", f"Dòng {n}: số lượng phải là số nguyên.")
                continue
            papers.append((parts[0], kind, count))
        data["papers"] = papers
        return data


class IntakeForm(forms.Form):
    procedure = forms.ModelChoiceField(
        Procedure.objects.all(),
        label="Thủ tục",
        widget=forms.HiddenInput,
        error_messages={"required": "Hãy chọn thủ tục."},
    )
    channel = forms.ChoiceField(label="Kênh tiếp nhận", choices=Channel.choices, initial=Channel.COUNTER)
    applicant_name = forms.CharField(label="Họ tên người nộp", max_length=200)
    applicant_id_number = forms.CharField(label="Số định danh cá nhân / CCCD", max_length=20, required=False)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    applicant_phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    applicant_email = forms.EmailField(label="Thư điện tử", required=False)
    sets = forms.IntegerField(label="Số bộ hồ sơ", min_value=1, initial=1)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Số hóa, thanh toán (services.INTAKE_RECORD_FIELDS): "chưa rõ" stays NULL.
    fee_due = fee_field("Để trống: theo mức phí trong danh mục thủ tục (nếu có); 0 nếu không thu.")
    paid_online = tri_state(RECORD_LABELS["paid_online"])
    digitised = tri_state(RECORD_LABELS["digitised"])
    reused_data = tri_state(RECORD_LABELS["reused_data"])
    e_certified_copy = tri_state(RECORD_LABELS["e_certified_copy"])
    vneid_authenticated = tri_state(RECORD_LABELS["vneid_authenticated"], "Chỉ với hồ sơ nộp trực tuyến.")


class ActionForm(forms.Form):
    note = forms.CharField(label="Nội dung, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    day = forms.DateField(label="Ngày thực hiện", required=False, help_text="Để trống: hôm nay")
    to_unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_due_on = forms.DateField(label="Ngày hẹn trả mới", required=False)
    return_method = forms.ChoiceField(label="Hình thức trả", choices=[("", "—"), *ReturnMethod.choices], required=False)
