"""The question file is read by the one data-file loader: the shipped file as before, a broken one refused with
the line of every error."""

import pytest

from cchc.surveys import questions


def test_shipped_file_reads_its_sets_and_dossier_code_format():
    sets, fmt = questions._load()
    assert list(sets) == ["sipas-2021", "chung-3-muc"]
    sipas = sets["sipas-2021"]
    assert sipas.default and sipas.overall.code == "tong_the" and sipas.overall.required
    assert [o.satisfied for o in sipas.overall.options] == [True, True, False]
    assert not sipas.question("tiep_can").required
    assert fmt.pattern.match(fmt.example)


def test_a_broken_file_names_the_line_of_every_error(tmp_path):
    text = (
        questions.QUESTIONS_FILE.read_text(encoding="utf-8")
        .replace("satisfied: false", "satisfied: có lẽ", 1)
        .replace('valid_from: "2017-01-01"', 'valid_from: "31/02/2017"', 1)
        .replace("scale: muc_do_hai_long, required: false}", "scale: bon_muc, required: false}", 1)
    )
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(questions.QuestionFileError) as info:
        questions._load(str(path))
    lines = text.splitlines()
    found = {e.field: e for e in info.value.errors}
    assert set(found) == {"satisfied", "valid_from", "scale"}
    assert "satisfied: có lẽ" in lines[found["satisfied"].row - 1]
    assert found["valid_from"].message == "Ngày không tồn tại."
    assert "31/02/2017" in lines[found["valid_from"].row - 1]
    assert found["scale"].message == "Bộ “sipas-2021”, câu “tiep_can”: không có thang “bon_muc”."
    assert "code: tiep_can" in lines[found["scale"].row - 1]
