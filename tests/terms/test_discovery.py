"""Term discovery never runs a candidate through a time or discourse word (issue 13)."""

from __future__ import annotations

from pathlib import Path

from toolkit import TermDetector, read_jsonl
from toolkit.terms.sources.boundaries import TIME_AND_DISCOURSE_WORDS

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


def test_time_and_discourse_phrases_are_never_discovered():
    # 今年以来 is in 31 of the 36 sample articles; it was the corpus table's first row.
    corpus = read_jsonl(SAMPLE)
    assert sum("今年以来" in text for text in corpus.texts) == 31
    det = TermDetector(progress=False).fit(corpus)
    discovered = det.terms_.loc[det.terms_["kind"] == "discovered", "term"].tolist()
    assert discovered, "discovery found nothing: the test would guard nothing"
    assert not [t for t in discovered if any(w in t for w in ("今年以来", "下一步", "目前"))]
    assert "今年以来" not in set(det.terms_["term"])


def test_the_closed_class_holds_no_term_of_the_builtin_lexicon():
    from toolkit.segment import Lexicon

    builtin = Lexicon.builtin()
    assert not [w for w in TIME_AND_DISCOURSE_WORDS if w in builtin]
