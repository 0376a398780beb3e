"""Số nguyên trong địa chỉ và biểu mẫu: one way to read ``?don_vi=``, ``?nam=``, ``lock_version``… so that
junk or a 20-digit number answers 400 in Vietnamese (or is ignored, for a list filter) — never a 500
(``int("99999999999999999999999")`` overflows every database integer).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import BadRequest
from django.core.management.base import CommandError

# The largest value any integer column of the product holds (PostgreSQL integer; ids stay far below).
MAX_INT = 2**31 - 1
_INTEGER = re.compile(r"[+-]?\d{1,10}")


def parse_int(raw: Any, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """The integer written in ``raw`` if it is one within [minimum, maximum], else None."""
    text = str(raw if raw is not None else "").strip()
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def filter_int(data: Mapping[str, Any], name: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """A list filter (``?don_vi=``, ``?nam=``): a bad value is ignored like an empty one (the list is shown
    unfiltered), because a filter typed by hand should not cost the user the page."""
    return parse_int(data.get(name), minimum=minimum, maximum=maximum)


def required_int(data: Mapping[str, Any], name: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """A value a form must send (``lock_version``, ``unit_id``, ``version``): missing or bad → 400."""
    value = parse_int(data.get(name), minimum=minimum, maximum=maximum)
    if value is None:
        shown = str(data.get(name, ""))[:30]
        raise BadRequest(
            f"Giá trị “{shown}” của trường “{name}” không hợp lệ: cần một số nguyên từ {minimum} đến {maximum}."
        )
    return value


def bad_request(request: Any, exception: Exception | None = None) -> Any:
    """handler400: the Vietnamese reason of a BadRequest on the product's page frame (Django's own page
    says "Bad Request (400)" in English and drops the reason)."""
    from django.shortcuts import render

    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else ""
    return render(request, "400.html", {"message": message or "Yêu cầu không hợp lệ."}, status=400)


def env_int(name: str, default: int) -> int:
    """An integer setting of the environment (``CCHC_WEB_WORKERS``, ``CCHC_WORKER_NICE``…), ``default`` when
    unset; a value that is no integer stops the command with a Vietnamese message naming the variable."""
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        raise CommandError(f"{name} phải là một số nguyên.") from None
