from __future__ import annotations

from django import forms

from cchc.dossiers.models import Channel, Procedure, ReturnMethod


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
        ]
        widgets = {
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


class ActionForm(forms.Form):
    note = forms.CharField(label="Nội dung, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    day = forms.DateField(label="Ngày thực hiện", required=False, help_text="Để trống: hôm nay")
    to_unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_due_on = forms.DateField(label="Ngày hẹn trả mới", required=False)
    return_method = forms.ChoiceField(label="Hình thức trả", choices=[("", "—"), *ReturnMethod.choices], required=False)
