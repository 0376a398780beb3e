"""Issue 13 item 8: a well-written date that is not in the calendar is reported as such, not as a bad shape."""

from __future__ import annotations

import pytest

from cchc.accounts.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.dossiers.importing import import_dossiers

pytestmark = pytest.mark.django_db
HEAD = "ma_ho_so,don_vi,ma_thu_tuc,kenh,ngay_tiep_nhan,ngay_hen_tra,ngay_tra_ket_qua\n"


def test_impossible_dates_are_named_as_such(catalogue, demo_org):
    rows = [
        "A-1,000.16.21.H42,1.004873,truc_tiep,31/02/2026 08:00,,",
        "A-2,000.16.21.H42,1.004873,truc_tiep,2026-04-31,,",
        "A-3,000.16.21.H42,1.004873,truc_tiep,02/03/2026,30/02/2026,",
        "A-4,000.16.21.H42,1.004873,truc_tiep,2026/03/02,,",
        "A-5,000.16.21.H42,1.004873,truc_tiep,02/03/2026,,29/02/2026",
    ]
    with pytest.raises(ImportRejected) as exc:
        import_dossiers("hs.csv", actor=SystemActor("test"), content=(HEAD + "\n".join(rows) + "\n").encode())
    messages = [str(e) for e in exc.value.errors]
    assert messages == [
        "Dòng 2, cột “ngay_tiep_nhan” (giá trị “31/02/2026 08:00”): Ngày tiếp nhận “31/02/2026 08:00” là ngày "
        "không có thật.",
        "Dòng 3, cột “ngay_tiep_nhan” (giá trị “2026-04-31”): Ngày tiếp nhận “2026-04-31” là ngày không có thật.",
        "Dòng 4, cột “ngay_hen_tra” (giá trị “30/02/2026”): Ngày hẹn trả “30/02/2026” là ngày không có thật.",
        "Dòng 5, cột “ngay_tiep_nhan” (giá trị “2026/03/02”): Ngày tiếp nhận không đúng dạng dd/mm/yyyy, "
        "dd/mm/yyyy HH:MM hoặc yyyy-mm-dd.",
        "Dòng 6, cột “ngay_tra_ket_qua” (giá trị “29/02/2026”): Ngày trả kết quả “29/02/2026” là ngày không có thật.",
    ]
