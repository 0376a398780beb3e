from django import forms

from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.workdays.models import DayKind
from cchc.workdays.selectors import province_choices


class VietnameseDateField(forms.CharField):
    """dd/mm/yyyy (or ISO), with the shared Vietnamese parse error."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_date(value)
        except VietnameseParseError as exc:
            raise forms.ValidationError(str(exc)) from exc


class OverrideForm(forms.Form):
    """Điều chỉnh lịch làm việc của địa phương."""

    day = VietnameseDateField(label="Ngày", widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}))
    kind = forms.ChoiceField(label="Loại", choices=DayKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="Tên", max_length=255)
    note = forms.CharField(label="Ghi chú, căn cứ", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    province = forms.ModelChoiceField(label="Áp dụng cho", queryset=None, required=False, empty_label="Toàn quốc")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = province_choices()


class DueDateForm(forms.Form):
    """Tính hạn: ngày tiếp nhận + số ngày làm việc."""

    ngay = VietnameseDateField(label="Ngày tiếp nhận")
    so_ngay = forms.IntegerField(label="Số ngày làm việc", min_value=-400, max_value=400)
