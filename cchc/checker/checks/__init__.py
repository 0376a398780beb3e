"""Các phép kiểm tra: mỗi phép trả về các phát hiện (lỗi / cảnh báo / lưu ý) có kèm phép tính.

Each module reads one family of relations between figures (sums, rates, points, dates, document numbers,
quantities stated twice) and speaks only when the text states both sides of the comparison; findings that are
only likely stay warnings or notes.
"""

from cchc.checker.checks.base import (
    ERROR,
    INFO,
    SEVERITY_LABEL,
    SEVERITY_ORDER,
    WARNING,
    Context,
    Finding,
    Period,
    Severity,
    rules,
)
from cchc.checker.checks.dates import check_dates
from cchc.checker.checks.docnums import check_doc_numbers
from cchc.checker.checks.point_statements import check_point_statements, check_point_totals
from cchc.checker.checks.points import check_points
from cchc.checker.checks.rate_parts import check_rate_parts, check_rate_roundings, check_table_rate_columns
from cchc.checker.checks.rates import check_fraction_counts, check_percent_fraction
from cchc.checker.checks.relations import (
    check_decimal_marks,
    check_list_counts,
    check_same_quantity,
    check_service_levels,
    check_status_sums,
)
from cchc.checker.checks.sums import check_level_subtotals, check_sum_parts
from cchc.checker.checks.tables import check_table_totals
from cchc.checker.checks.years import check_title_period, check_years

__all__ = [
    "ALL_CHECKS",
    "ERROR",
    "INFO",
    "SEVERITY_LABEL",
    "SEVERITY_ORDER",
    "WARNING",
    "Context",
    "Finding",
    "Period",
    "Severity",
    "rules",
]

ALL_CHECKS = [
    check_sum_parts,
    check_level_subtotals,
    check_table_totals,
    check_percent_fraction,
    check_fraction_counts,
    check_points,
    check_dates,
    check_doc_numbers,
    check_point_statements,
    check_point_totals,
    check_rate_parts,
    check_rate_roundings,
    check_table_rate_columns,
    check_list_counts,
    check_same_quantity,
    check_service_levels,
    check_status_sums,
    check_decimal_marks,
    check_years,
    check_title_period,
]
