import pytest

from cchc.parindex.framework import DEMO_FRAMEWORK_FILE, load_framework_file


@pytest.fixture
def demo_set(demo_org):
    framework, _ = load_framework_file(DEMO_FRAMEWORK_FILE, "test")
    return framework
