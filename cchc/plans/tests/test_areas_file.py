"""The reform areas are read by the one data-file loader; a broken file is refused with the line of each error."""

import pytest

from cchc.core.importing import ImportRejected
from cchc.plans import areas


def test_shipped_areas_in_their_order_with_aliases():
    found = areas.reform_areas()
    assert [a.order for a in found] == sorted(a.order for a in found) and found[0].code == "chi_dao"
    assert areas.find_area("Tổ chức  bộ máy").code == "to_chuc_bo_may" and areas.find_area("3").code == "tthc"


def test_a_broken_areas_file_is_refused_naming_lines(tmp_path, monkeypatch):
    text = areas.AREAS_FILE.read_text(encoding="utf-8").replace("order: 2,", "order: hai,", 1)
    path = tmp_path / "reform_areas.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(areas, "AREAS_FILE", path)
    areas.reform_areas.cache_clear()
    try:
        with pytest.raises(ImportRejected) as info:
            areas.reform_areas()
    finally:
        monkeypatch.undo()
        areas.reform_areas.cache_clear()
    (error,) = info.value.errors
    assert (error.field, error.value, error.message) == ("order", "hai", "Phải là một số nguyên.")
    assert "order: hai" in text.splitlines()[error.row - 1]
