from django import forms

from cchc.feedback.rules import channel_choices
from cchc.plans.forms import VnDateField


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
    deadline = VnDateField(
        label="Hạn xử lý", required=False, help_text="Để trống: tính tự động theo số ngày làm việc quy định."
    )
    forwarded_to = forms.CharField(label="Chuyển đến cơ quan", max_length=300, required=False)
    forwarded_on = VnDateField(label="Ngày chuyển", required=False)
    answer = forms.CharField(
        label="Kết quả xử lý, trả lời", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 70})
    )
    answered_on = VnDateField(label="Ngày trả lời", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices()
