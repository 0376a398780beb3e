from django import forms

from cchc.core.forms import VnDateField
from cchc.inspections.models import TargetKind


class InspectionForm(forms.Form):
    title = forms.CharField(label="Tên cuộc kiểm tra", max_length=500, widget=forms.TextInput(attrs={"size": 70}))
    plan_ref = forms.CharField(
        label="Kế hoạch kiểm tra",
        max_length=300,
        required=False,
        help_text="Ví dụ: Kế hoạch số 33/KH-UBND ngày 16/03/2021",
    )
    start_on = VnDateField(label="Ngày bắt đầu")
    end_on = VnDateField(label="Ngày kết thúc", required=False)
    conclusion = forms.CharField(label="Kết luận", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))


class TargetForm(forms.Form):
    org_unit = forms.ChoiceField(label="Đơn vị trong danh mục", required=False)
    name = forms.CharField(label="hoặc tên đơn vị", max_length=300, required=False)
    kind = forms.ChoiceField(label="Loại", choices=[("", "Tự xác định"), *TargetKind.choices], required=False)
    inspected_on = VnDateField(label="Ngày kiểm tra", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].choices = [("", "—")] + [(str(u.pk), u.name) for u in units]


class FindingForm(forms.Form):
    target = forms.ChoiceField(label="Đơn vị", required=False)
    description = forms.CharField(label="Vấn đề phát hiện", widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))
    remedy = forms.CharField(
        label="Yêu cầu khắc phục", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 70})
    )
    found_on = VnDateField(label="Ngày phát hiện", required=False)
    deadline = VnDateField(label="Hạn khắc phục", required=False)
    fixed_on = VnDateField(label="Ngày khắc phục xong", required=False)
    fix_note = forms.CharField(
        label="Kết quả khắc phục", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 70})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—")] + [(str(t.pk), t.name) for t in targets]


class FixForm(forms.Form):
    fixed_on = VnDateField(label="Ngày khắc phục xong", required=False)
    fix_note = forms.CharField(label="Kết quả khắc phục", required=False)
