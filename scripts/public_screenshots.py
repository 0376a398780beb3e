"""Screenshots of the public pages for docs/ (phone and wall sizes), taken with Debian's Chromium.

Run against a server holding the demo data (`make run`, or `cchc demo` + `cchc runserver`):

    .venv/bin/python scripts/public_screenshots.py --base http://127.0.0.1:8000 --out docs/screenshots

The lookup needs a real code and key; the script reads one from the same database (set CCHC_VAR_DIR /
DATABASE_URL as for the server) unless --code and --key are given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}
UNIT = "000.16.21.H42"  # Xã Sơn Tây of the demo


def _demo_lookup_pair() -> tuple[str, str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from cchc.dossiers.models import Dossier

    dossier = Dossier.objects.exclude(lookup_key="").filter(unit__code=UNIT).order_by("-received_on", "-code").first()
    if dossier is None:
        raise SystemExit("Không có hồ sơ nào có mã tra cứu: chạy `cchc demo` trước.")
    return dossier.code, dossier.lookup_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--code")
    parser.add_argument("--key")
    args = parser.parse_args()
    code, key = (args.code, args.key) if args.code and args.key else _demo_lookup_pair()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CCHC_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    shots = [
        ("catalogue-phone.png", PHONE, f"/cong-khai/{UNIT}/thu-tuc/?q=dang+ky+khai+sinh", True),
        ("procedure-phone.png", PHONE, f"/cong-khai/{UNIT}/thu-tuc/1.001193/", True),
        ("catalogue-wall.png", WALL, f"/cong-khai/{UNIT}/thu-tuc/", False),
        ("lookup-phone.png", PHONE, f"/cong-khai/tra-cuu/?ma={code}&khoa={key}", True),
        ("lookup-wrong-key-phone.png", PHONE, f"/cong-khai/tra-cuu/?ma={code}&khoa=AAAAAA", True),
        ("results-phone.png", PHONE, f"/cong-khai/{UNIT}/ket-qua/", True),
        ("results-wall.png", WALL, f"/cong-khai/{UNIT}/ket-qua/", False),
        ("board-wall.png", WALL, f"/cong-khai/{UNIT}/bang-dien-tu/", False),
        ("board-phone.png", PHONE, f"/cong-khai/{UNIT}/bang-dien-tu/", False),
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, size, path, full in shots:
            context = browser.new_context(locale="vi-VN", viewport=size, device_scale_factor=1)
            page = context.new_page()
            page.goto(args.base + path, wait_until="networkidle")
            page.screenshot(path=str(out / name), full_page=full)
            context.close()
            print(f"{out / name}  {size['width']}×{size['height']}  {path}")
        browser.close()


if __name__ == "__main__":
    main()
