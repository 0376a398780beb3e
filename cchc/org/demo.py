from pathlib import Path

from cchc.core.actors import DEMO
from cchc.org.services import load_org_file

DEMO_ORG_FILE = Path(__file__).resolve().parent.parent / "data" / "demo" / "org.yaml"


def load_demo_org(out) -> None:
    result = load_org_file(DEMO_ORG_FILE, actor=DEMO)
    out(f"Tỉnh minh họa: {result.summary()}")
