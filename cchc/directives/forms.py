from django import forms

from cchc.core.forms import VnDateField


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label="Số, ký hiệu",
        max_length=60,
        help_text="Theo Nghị định 30/2020/NĐ-CP: 140/QĐ-UBND, 37/KH-UBND; công văn: 123/UBND-VP.",
    )
    issued_on = VnDateField(label="Ngày ban hành")
    summary = forms.CharField(label="Trích yếu", max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))
    signer = forms.CharField(label="Người ký", max_length=200, required=False)
    file = forms.FileField(label="Tệp văn bản (PDF, DOCX)", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))


class AttachForm(forms.Form):
    document = forms.IntegerField()
    content_type = forms.IntegerField()
    object_id = forms.CharField(max_length=64)
    note = forms.CharField(max_length=500, required=False)
