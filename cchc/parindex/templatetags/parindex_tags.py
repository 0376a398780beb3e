"""{{ value|o_nhap }}: a figure as typed in an input (Vietnamese format, empty when there is none)."""

from django import template

from cchc.core import vnformat

register = template.Library()


@register.filter(name="o_nhap")
def input_value(value):
    if value in (None, ""):
        return ""
    return vnformat.format_number(value)


@register.filter(name="lost_line")
def lost_line(lines, criterion_pk):
    """The lost-points line of a criterion, from a list of them."""
    return next((ln for ln in lines or () if ln.criterion.pk == criterion_pk), None)
