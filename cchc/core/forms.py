"""Form fields every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class VnDateField(forms.DateField):
    """A date typed the Vietnamese way (14/12/2021; 14-12-2021 and ISO accepted), shown as dd/mm/yyyy."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "size": 10}))
        kwargs.setdefault("error_messages", {"invalid": "Ngày phải có dạng dd/mm/yyyy, ví dụ 14/12/2021."})
        super().__init__(**kwargs)
