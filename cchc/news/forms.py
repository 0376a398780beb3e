from django import forms

from cchc.core.forms import VnDateField
from cchc.news.models import Channel, NewsKind


class ItemForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=500, widget=forms.TextInput(attrs={"size": 70}))
    kind = forms.ChoiceField(label="Loại", choices=NewsKind.choices)
    published_on = VnDateField(label="Ngày đăng")
    channel = forms.ChoiceField(label="Nơi đăng", choices=Channel.choices)
    link = forms.CharField(
        label="Đường dẫn", max_length=500, required=False, widget=forms.TextInput(attrs={"size": 70})
    )
    author = forms.CharField(label="Tác giả", max_length=200, required=False)


class QuotaForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    per_month = forms.IntegerField(label="Số tin, bài mỗi tháng", min_value=0, max_value=1000)
    basis = forms.CharField(label="Căn cứ", max_length=300, required=False)
