"""Indicators a province added survive a newer shipped catalogue (issue 12, item 5): carried into the new
version at their place, never retired by it, their stored figures unchanged."""

from decimal import Decimal

import yaml

from cchc.accounts.actors import SystemActor
from cchc.indicators import adding
from cchc.indicators.catalogue import CATALOGUE_FILE, ensure_catalogue, load_catalogue, province_rows
from cchc.indicators.models import CatalogueVersion, Indicator
from cchc.indicators.selectors import value_of
from cchc.indicators.services import enter_value
from cchc.indicators.tests.test_adding import YAML

DISTRICT = "000.00.21.H42"
ACTOR = SystemActor("test")


def _newer_shipped(tmp_path, version: int, renamed: str, dropped: str):
    """The shipped file as a later release would ship it: a row renamed, a row dropped, a new row."""
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["version"] = version
    for group in data["groups"]:
        group["rows"] = [r for r in group["rows"] if r.get("code") != dropped]
        for row in group["rows"]:
            if row.get("code") == renamed:
                row["name"] = "Tên mới của phiên bản sau"
    data["groups"][0]["rows"].append(
        {"code": "shipped.later", "name": "Chỉ tiêu của bản sau", "unit": "Lần", "type": "integer",
         "rollup": "sum", "source": "entered"}
    )  # fmt: skip
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_added_rows_survive_a_newer_shipped_version(catalogue, demo_org, tmp_path):
    shipped = CatalogueVersion.objects.order_by("-version").first().version
    added = adding.add_indicators(ACTOR, "tinh.yaml", YAML.encode())
    assert added.details["version"] == shipped + 1
    enter_value(ACTOR, demo_org[DISTRICT], "2026-6T", "tinh.tax_revenue", "450,5")
    enter_value(ACTOR, demo_org[DISTRICT], "2026-6T", "tinh.tax_estimate", "1000")
    # The next release is numbered shipped + 1: the number the province's addition already took.
    path = _newer_shipped(tmp_path, shipped + 1, renamed="legal.issued", dropped="finance.autonomy")
    result = load_catalogue(path, actor=SystemActor("cchc indicators load-catalogue"))
    assert result.created == 1 and result.details["province_rows"] == 4

    latest = CatalogueVersion.objects.order_by("-version").first()
    assert latest.version == shipped + 2 and latest.content["shipped"]["version"] == shipped + 1
    kept = {row["code"]: (group["code"], after) for group, row, after in province_rows(latest.content)}
    # At their place: tax revenue after the row it followed — gone now, so at the end of group VI — and the
    # rate after the revenue; the province's own group VIII is kept with its name.
    assert kept["tinh.tax_rate"] == ("VI", "tinh.tax_revenue")
    assert kept["tinh.tax_revenue"][0] == "VI" and kept["tinh.youth_union"][0] == "VIII"
    assert any(g["code"] == "VIII" and g["name"] == "Nhiệm vụ đặc thù của tỉnh" for g in latest.content["groups"])
    current = {i.code: i for i in Indicator.objects.filter(retired_in__isnull=True)}
    assert {"tinh.tax_revenue", "tinh.tax_estimate", "tinh.tax_rate", "tinh.youth_union", "shipped.later"} <= set(
        current
    )
    assert current["legal.issued"].name == "Tên mới của phiên bản sau"
    assert Indicator.objects.get(code="finance.autonomy").retired_in == latest.version  # shipped rows still retire
    assert value_of(demo_org[DISTRICT], "2026-6T", "tinh.tax_revenue").value == Decimal("450.5")
    assert value_of(demo_org[DISTRICT], "2026-6T", "tinh.tax_rate").display == "45,05%"

    # The same release again changes nothing; the older shipped file is not loaded over it.
    again = load_catalogue(path)
    assert (again.created, again.updated) == (0, 0)
    ensure_catalogue()
    assert CatalogueVersion.objects.order_by("-version").first().version == latest.version
