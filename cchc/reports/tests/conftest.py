import pytest

from cchc.indicators.catalogue import ensure_catalogue
from cchc.indicators.demo import enter_demo_values

SON_TAY, SON_LAM, SON_NINH = "000.16.21.H42", "000.13.21.H42", "000.12.21.H42"
HUONG_SON, PROVINCE = "000.00.21.H42", "000.00.00.H42"


@pytest.fixture
def demo_values(demo_org):
    ensure_catalogue()
    enter_demo_values(lambda line: None)
    return demo_org
