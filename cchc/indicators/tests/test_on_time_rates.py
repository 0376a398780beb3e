"""The two on-time rates with the issue's figures, and why the received-based one may exceed 100% without
blocking a report (issue 12, items 6 and the generated "tử số ≤ mẫu số" rule)."""

from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.indicators.periods import get_period
from cchc.indicators.rules import load_rules
from cchc.indicators.selectors import ValueContext, current_indicators
from cchc.indicators.services import enter_value
from cchc.indicators.validation import check_submission

DISTRICT = "000.00.21.H42"
ACTOR = SystemActor("cchc indicators import")
RECEIVED_RATE = "dossiers.district.on_time_received_rate"


def _enter(unit, figures: dict[str, int]) -> None:
    for code, value in figures.items():
        enter_value(ACTOR, unit, "2026-6T", f"dossiers.district.{code}", value, note="Hệ thống một cửa tỉnh")


def _bound_results(check, code: str) -> tuple[list, list]:
    name = f"ty_le.{code}.tu_so"
    return [r for r in check.blocking if r.rule.code == name], [r for r in check.warnings if r.rule.code == name]


def test_the_issue_figures_give_both_rates_equal_to_their_parts(catalogue, demo_org):
    """Received 2.517, early 800, on time 1.631, late 86 (nothing pending): both rates are 2.431 ÷ 2.517."""
    unit = demo_org[DISTRICT]
    _enter(unit, {"received": 2517, "resolved_early": 800, "resolved_on_time": 1631, "resolved_late": 86})
    context = ValueContext(get_period("2026-6T"))
    resolved = context.value(unit.pk, "dossiers.district.resolved")
    assert (resolved.value, resolved.source) == (Decimal(2517), "sum")  # the parts add up to the total
    by_resolved = context.value(unit.pk, "dossiers.district.on_time_rate")
    by_received = context.value(unit.pk, RECEIVED_RATE)
    assert by_resolved.display == by_received.display == "96,58%"
    check = check_submission(unit, "2026-6T")
    for code in ("dossiers.district.on_time_rate", RECEIVED_RATE):
        assert _bound_results(check, code) == ([], [])


def test_a_received_based_rate_over_100_warns_and_does_not_block(catalogue, demo_org):
    """Much carried over: 1.431 resolved on time of 1.000 received in the period is a legitimate 143,10%.
    The rule "tử số ≤ mẫu số" of that rate is a low warning saying why; the resolved-based one stays high."""
    unit = demo_org[DISTRICT]
    _enter(unit, {"received": 1000, "resolved_early": 800, "resolved_on_time": 631, "resolved_late": 86})
    check = check_submission(unit, "2026-6T")
    blocking, warnings = _bound_results(check, RECEIVED_RATE)
    assert blocking == [] and len(warnings) == 1
    assert warnings[0].rule.importance == "low"
    assert "tiếp nhận từ kỳ trước" in warnings[0].rule.message
    assert (warnings[0].left, warnings[0].right) == (Decimal(1431), Decimal(1000))
    rules = {r.code: r for r in load_rules(current_indicators())}
    assert rules["ty_le.dossiers.district.on_time_rate.tu_so"].importance == "high"  # a share: never > 100%
    assert rules["ty_le.dossiers.commune.on_time_received_rate.tu_so"].importance == "low"


def test_an_override_of_an_unknown_ratio_is_refused(catalogue):
    from cchc.core.importing import ErrorCollector
    from cchc.indicators.rules import parse_rules

    errors = ErrorCollector()
    text = "generate:\n  ratio_bounds:\n    overrides:\n      legal.issued: {importance: low}\nrules: []\n"
    parse_rules(text, current_indicators(), errors)
    assert any("Không phải mã một tỷ lệ" in str(e) for e in errors.errors)
