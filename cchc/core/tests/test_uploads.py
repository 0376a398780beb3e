"""The upload guard (issue 13, item 1): every bomb is refused by the real readers in a process limited to
512 MB of address space, within a bounded time, with a Vietnamese message naming the limit, never a path."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from cchc.core.tests import bombs
from cchc.core.uploads import UploadKind, UploadRefused, check_upload

PROJECT = Path(__file__).resolve().parents[3]
LIMIT_MB = 512
MAX_SECONDS = 20

# Runs in a child process: the address-space limit first, then Django, then the product's own reader.
CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    import django
    django.setup()
    from cchc.core.importing import ImportRejected
    target, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    try:
        if target == "dossiers":
            from cchc.dossiers.importing import import_dossiers
            import_dossiers(path, actor=None)
        elif target == "table":
            from cchc.core.tabular import read_table
            header, rows = read_table(path)
            list(rows)
        elif target == "checker":
            from cchc.checker.reading import read_document
            read_document(path)
        elif target == "indicators":
            from cchc.indicators.importing import read_file
            read_file(path.rsplit("/", 1)[-1], open(path, "rb").read())
        elif target == "annex":
            from cchc.parindex.annex import read_any
            read_any(path)
        outcome, message = "accepted", ""
    except ImportRejected as exc:
        outcome, message = "refused", " ".join(str(e) for e in exc.errors)
    except Exception as exc:
        outcome, message = "refused" if type(exc).__name__ == "ReadError" else "error:" + type(exc).__name__, str(exc)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({{"outcome": outcome, "message": message, "seconds": seconds, "rss_mb": rss_mb}}))
    """
)


def run_limited(target: str, path: Path, tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "CCHC_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(PROJECT),
    }
    code = CHILD.format(limit=LIMIT_MB * 1024 * 1024)
    proc = subprocess.run(
        [sys.executable, "-c", code, target, str(path)],
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS * 6,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, f"rc {proc.returncode}: {proc.stderr[-2000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(target, path.name, path.stat().st_size, result)  # figures for docs/security.md (pytest -s)
    return result


def assert_refused(result: dict, *words: str, path: Path) -> None:
    assert result["outcome"] == "refused", result
    assert result["seconds"] < MAX_SECONDS, result
    assert str(path.parent) not in result["message"] and "/" not in result["message"].replace("(", "")
    for w in words:
        assert w in result["message"], result


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bombs")


def test_claimed_range_xfd1048576_is_refused_before_the_reader_allocates(bomb_dir, tmp_path):
    path = bombs.claimed_range_xlsx(bomb_dir / "pham-vi.xlsx")
    assert path.stat().st_size < 6000
    for target in ("dossiers", "table", "indicators"):
        result = run_limited(target, path, tmp_path)
        assert_refused(result, "khai báo", "CCHC_UPLOAD_MAX_", path=path)


def test_real_cell_at_xfd1048576_is_refused(bomb_dir, tmp_path):
    path = bombs.far_cell_xlsx(bomb_dir / "o-xa.xlsx")
    result = run_limited("table", path, tmp_path)
    assert_refused(result, "có dữ liệu tới", path=path)


def test_sheet_inflating_to_1_5_gb_is_refused_in_bounded_memory(bomb_dir, tmp_path):
    path = bombs.inflating_xlsx(bomb_dir / "phinh.xlsx")
    assert path.stat().st_size < 10 * 1024 * 1024
    result = run_limited("dossiers", path, tmp_path)
    assert_refused(result, "lần kích thước nén", "CCHC_UPLOAD_MAX_ZIP_RATIO", path=path)


def test_docx_with_74_mb_of_text_is_refused_by_the_checker(bomb_dir, tmp_path):
    path = bombs.text_docx(bomb_dir / "bao-cao.docx")
    assert path.stat().st_size < 400 * 1024
    result = run_limited("checker", path, tmp_path)
    assert_refused(result, "CCHC_UPLOAD_MAX_", path=path)
    result = run_limited("annex", path, tmp_path)
    assert_refused(result, "CCHC_UPLOAD_MAX_", path=path)


def test_renamed_binary_answers_in_vietnamese_without_a_path(bomb_dir, tmp_path):
    path = bombs.renamed_binary(bomb_dir / "khong-phai-excel.xlsx")
    result = run_limited("dossiers", path, tmp_path)
    assert_refused(result, "không phải là bảng tính Excel", path=path)
    assert "EOCD" not in result["message"] and "Zip" not in result["message"]


def test_size_cap_per_kind_names_the_setting(settings):
    settings.CCHC_UPLOAD_MAX_MB_DOCUMENT = 1
    with pytest.raises(UploadRefused, match="CCHC_UPLOAD_MAX_MB_DOCUMENT"):
        check_upload(b"x" * (2 * 1024 * 1024), "bao-cao.txt", UploadKind.DOCUMENT)
    check_upload(b"x" * (2 * 1024 * 1024), "ho-so.csv", UploadKind.TABLE)


def test_entry_count_and_ordinary_files_pass(settings, tmp_path):
    settings.CCHC_UPLOAD_MAX_ZIP_ENTRIES = 10
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(11):
            z.writestr(f"x{i}.xml", "<a/>")
    with pytest.raises(UploadRefused, match="11 thành phần"):
        check_upload(out.getvalue(), "a.docx", UploadKind.DOCUMENT)
    # an ordinary workbook and document pass untouched
    ok = bombs._small_xlsx()
    check_upload(ok, "ho-so.xlsx", UploadKind.TABLE)
    check_upload(io.BytesIO(ok), "ho-so.xlsx", UploadKind.TABLE)
