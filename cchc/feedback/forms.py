from django import forms

from cchc.core.forms import VnDateField
from cchc.dossiers.forms import tri_state
from cchc.feedback.models import Handling
from cchc.feedback.rules import channel_choices, handling_working_days


class FeedbackForm(forms.Form):
    received_on = VnDateField(label="Ngày tiếp nhận")
    channel = forms.ChoiceField(label="Hình thức tiếp nhận")
    citizen_name = forms.CharField(label="Cá nhân, tổ chức phản ánh", max_length=300)
    citizen_contact = forms.CharField(label="Địa chỉ, điện thoại", max_length=300, required=False)
    content = forms.CharField(
        label="Nội dung phản ánh, kiến nghị", widget=forms.Textarea(attrs={"rows": 3, "cols": 70})
    )
    about_admin_rule = forms.BooleanField(
        label="Về quy định hành chính (tính vào chỉ số CCHC)", required=False, initial=True
    )
    responsible = forms.CharField(label="Bộ phận, người xử lý", max_length=300, required=False)
    handling = forms.ChoiceField(label="Cách xử lý", choices=Handling.choices, initial=Handling.HANDLE)
    deadline = VnDateField(
        label="Hạn xử lý", required=False, help_text="Để trống: tính tự động theo cách xử lý, tính ngày làm việc."
    )
    dossier_code = forms.CharField(
        label="Mã hồ sơ liên quan", max_length=80, required=False, help_text="Nếu phản ánh về một hồ sơ TTHC."
    )
    forwarded_to = forms.CharField(label="Chuyển đến cơ quan", max_length=300, required=False)
    forwarded_on = VnDateField(label="Ngày chuyển", required=False)
    answer = forms.CharField(
        label="Kết quả xử lý, trả lời", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 70})
    )
    answered_on = VnDateField(label="Ngày trả lời", required=False)
    satisfied = tri_state("Người phản ánh hài lòng với kết quả?", "Chỉ ghi khi đã trả lời.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices()
        # The deadline each kind gets, in words next to the choice ("Từ chối tiếp nhận — 2 ngày làm việc").
        self.fields["handling"].choices = [
            (code, f"{label} — {handling_working_days(code)} ngày làm việc") for code, label in Handling.choices
        ]
