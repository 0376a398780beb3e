"""An error a service raises about one field of its input, shown next to that field in a form."""

from __future__ import annotations

from typing import Any


class FieldError(ValueError):
    """``field`` names the input field (or "" for the whole form); the message is Vietnamese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def add_to_form(form: Any, exc: FieldError) -> None:
    """Show ``exc`` on ``form``: next to its field when the form has it, otherwise above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
