import pytest

from cchc.public.models import ServiceDesk

DEMO_COMMUNE = "000.16.21.H42"  # Xã Sơn Tây: under Huyện Hương Sơn until 30/6/2025, then under the province
MERGED_AWAY = "000.13.21.H42"  # merged into Xã Sơn Giang (000.00.62.H42) on 1/7/2025


@pytest.fixture
def desk(demo_org):
    """The published one-stop desk of Xã Sơn Tây."""
    return ServiceDesk.objects.create(
        unit=demo_org[DEMO_COMMUNE],
        name="Bộ phận Một cửa UBND xã Sơn Tây",
        address="Trụ sở UBND xã Sơn Tây, tỉnh Hà Tĩnh",
        phone="0239 3870001",
        opening_hours="7h30 - 17h00",
    )
