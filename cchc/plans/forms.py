from django import forms

from cchc.core.forms import VnDateField
from cchc.plans.areas import area_choices
from cchc.plans.models import TaskStatus


class PlanForm(forms.Form):
    year = forms.IntegerField(label="Năm kế hoạch", min_value=2000, max_value=2100)
    symbol = forms.CharField(
        label="Số, ký hiệu", max_length=50, required=False, help_text="Ví dụ 04/KH-UBND (theo Nghị định 30/2020/NĐ-CP)."
    )
    issued_on = VnDateField(label="Ngày ban hành", required=False)
    title = forms.CharField(label="Trích yếu", max_length=500, widget=forms.TextInput(attrs={"size": 70}))


class TaskForm(forms.Form):
    code = forms.CharField(
        label="Số thứ tự", max_length=20, help_text="1 cho nhiệm vụ; 1.1, 1.2 cho phần việc của nhiệm vụ 1."
    )
    area = forms.ChoiceField(
        label="Lĩnh vực", required=False, help_text="Để trống với phần việc: lấy lĩnh vực của nhiệm vụ chứa nó."
    )
    title = forms.CharField(label="Nội dung", max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))
    responsible = forms.CharField(label="Người, bộ phận thực hiện", max_length=300, required=False)
    deadline = VnDateField(label="Thời hạn", required=False)
    status = forms.ChoiceField(label="Trạng thái", choices=TaskStatus.choices)
    completed_on = VnDateField(label="Ngày hoàn thành", required=False)
    evidence = forms.CharField(
        label="Kết quả, minh chứng", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 70})
    )
    assigned_by_higher = forms.BooleanField(label="Nhiệm vụ cấp trên giao", required=False)
    assigned_by = forms.CharField(label="Văn bản giao nhiệm vụ", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *area_choices()]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=TaskStatus.choices)
    completed_on = VnDateField(label="Ngày hoàn thành", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp XLSX hoặc CSV")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, không lưu", required=False, initial=True)
