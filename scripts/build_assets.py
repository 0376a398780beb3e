"""Copy the front-end files the app serves from node_modules into cchc/static/vendor (no CDN).

Run after `npm ci`; the Makefile does both.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "cchc" / "static" / "vendor"

# source in node_modules -> name served under /static/vendor/
FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
}


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    missing = []
    for source, target in FILES.items():
        src = ROOT / "node_modules" / source
        if not src.exists():
            missing.append(source)
            continue
        shutil.copyfile(src, VENDOR / target)
    if missing:
        print("Thiếu tệp (chạy `npm ci` trước): " + ", ".join(missing), file=sys.stderr)
        return 1
    print(f"Đã chép {len(FILES)} tệp giao diện vào {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
