"""Numeric docvars sort as numbers in every grouped table (congress 3 before 10)."""

import numpy as np

from toolkit import Corpus, DocTermMatrix, Segmenter, SimilarityIndex


def _congresses() -> Corpus:
    return Corpus.from_records(
        [
            {"doc_id": f"c{n}", "text": f"第{n}次代表大会推进河长制和乡村振兴。", "congress": n}
            for n in (10, 3, 20, 9, 1)
        ]
    )


def test_grouped_matrix_rows_in_numeric_order():
    dtm = DocTermMatrix.from_tokens(Segmenter(progress=False).segment(_congresses()))
    assert dtm.group("congress").doc_ids == ["1", "3", "9", "10", "20"]


def test_similarity_units_in_numeric_order():
    index = SimilarityIndex(by="congress", min_df=1, max_df=1.0, progress=False)
    assert list(index.fit(_congresses()).units_.index) == ["1", "3", "9", "10", "20"]
    assert np.allclose(index.matrix().to_numpy(), index.matrix().to_numpy().T)


def test_text_labels_follow_numbers():
    from toolkit._ordering import label_order

    assert label_order(["镇", "11", 2, "2", "nan", "1.5"]) == ["1.5", "2", "11", "nan", "镇"]


def test_corpus_summary_and_tifa_info_in_numeric_order(tmp_path, capsys):
    from toolkit import write_jsonl
    from toolkit.cli.main import main

    assert list(_congresses().summary(by="congress").index) == ["1", "3", "9", "10", "20"]
    path = tmp_path / "congresses.jsonl"
    write_jsonl(_congresses(), path)
    assert main(["info", str(path), "--by", "congress"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()[3:]]
    assert listed == ["1", "3", "9", "10", "20"]
