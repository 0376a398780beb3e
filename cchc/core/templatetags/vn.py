"""Template filters for Vietnamese figures: {{ n|so }}, {{ r|phan_tram }}, {{ d|ngay }}, {{ d|ngay_dai }}."""

from django import template

from cchc.core import vnformat

register = template.Library()


@register.filter(name="so")
def number(value, decimals=None):
    if value in (None, ""):
        return "—"
    return vnformat.format_number(value, decimals=None if decimals is None else int(decimals))


@register.filter(name="phan_tram")
def percent(value, decimals=2):
    if value in (None, ""):
        return "—"
    return vnformat.format_percent(value, decimals=int(decimals))


@register.filter(name="ngay")
def short_date(value):
    if not value:
        return ""
    return vnformat.format_date(value)


@register.filter(name="ngay_dai")
def long_date(value):
    if not value:
        return ""
    return vnformat.format_date_long(value)
