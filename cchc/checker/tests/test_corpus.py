"""The made-up corpus (tests/corpus, planted.yaml): recall ≥ 90% and at most one false alarm per document."""

import yaml

from cchc.checker.tests.corpus_score import CORPUS, score_corpus, totals


def test_corpus_is_varied_enough():
    spec = yaml.safe_load((CORPUS / "planted.yaml").read_text(encoding="utf-8"))["documents"]
    assert len(spec) >= 20
    kinds = {e["kind"] for d in spec.values() for e in d.get("errors") or []}
    assert kinds == {"ty_le", "tong", "diem", "ngay", "mau_thuan", "lam_tron", "dau_thap_phan"}
    about = " ".join(d["about"] for d in spec.values())
    for word in ("xã", "huyện", "quý", "6 tháng", "năm", "kế hoạch khắc phục", "báo cáo khắc phục", "bảng"):
        assert word in about
    assert {p.suffix for p in CORPUS.iterdir() if p.name != "planted.yaml"} == {".txt", ".md"}


def test_recall_and_false_alarms_on_the_corpus():
    scores = score_corpus()
    recall, _, worst = totals(scores)
    missed = [(s.name, e["at"][0]) for s in scores for e in s.missed]
    alarms = [(s.name, fa) for s in scores for fa in s.false_alarms]
    assert recall >= 0.90, missed
    assert worst <= 1, alarms
