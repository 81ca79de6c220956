"""Coherence on a substring reference: the same figure however the texts were segmented."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import jieba
import pytest
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel

from toolkit import Segmenter, read_jsonl
from toolkit.dtm import split_units
from toolkit.topics import reference_coherence, substring_reference

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"

# Terms of one town's paragraphs (沙棠镇 and its 田坎工作法) ...
TOGETHER = ["田坎工作法", "沙棠镇", "田坎"]
# ... and the four counties' campaigns, each in its own county's paragraphs only.
APART = ["清苇行动", "净溪行动", "楼院焕新行动", "护萤行动"]


@pytest.fixture(scope="module")
def units():
    return split_units(read_jsonl(SAMPLE), "paragraph")


@pytest.fixture(scope="module")
def paragraphs(units):
    return [d.text for d in units]


def test_substring_reference_lists_each_term_found_once_in_sorted_order():
    texts = ["推进乡村振兴，乡村振兴", "振兴老工业基地", "无关"]
    assert substring_reference(texts, ["振兴", "乡村振兴", "乡村", "振兴"]) == [
        ["乡村", "乡村振兴", "振兴"],
        ["振兴"],
        [],
    ]
    assert substring_reference(texts, []) == [[], [], []]
    with pytest.raises(ValueError, match="non-empty strings"):
        substring_reference(texts, ["振兴", ""])
    with pytest.raises(TypeError, match="not a single str"):
        substring_reference("推进乡村振兴", ["振兴"])


def test_substring_reference_on_real_paragraphs(paragraphs):
    reference = substring_reference(paragraphs, TOGETHER + APART)
    assert len(reference) == len(paragraphs)
    for text, found in zip(paragraphs, reference, strict=True):
        assert found == sorted(t for t in TOGETHER + APART if t in text)


def _npmi_by_hand(topic: list[str], texts: list[str]) -> float:
    """Mean NPMI over ordered pairs, as gensim computes it, with paragraphs as windows."""
    eps = 1e-12
    n = len(texts)
    docs = {t: {i for i, text in enumerate(texts) if t in text} for t in topic}
    values = []
    for a, b in itertools.permutations(topic, 2):
        joint = len(docs[a] & docs[b]) / n
        pmi = math.log((joint + eps) / ((len(docs[a]) / n) * (len(docs[b]) / n)))
        values.append(pmi / -math.log(joint + eps))
    return sum(values) / len(values)


def test_terms_that_share_paragraphs_score_higher_than_terms_that_never_do(paragraphs):
    together, apart = reference_coherence([TOGETHER, APART], paragraphs)
    assert together > 0.0 > apart
    assert together > apart + 0.5
    assert together == pytest.approx(_npmi_by_hand(TOGETHER, paragraphs), abs=1e-9)
    assert apart == pytest.approx(_npmi_by_hand(APART, paragraphs), abs=1e-9)


def test_every_measure_gives_one_value_per_topic(paragraphs):
    for measure in ("c_npmi", "c_v", "u_mass"):
        values = reference_coherence([TOGETHER, APART], paragraphs, measure=measure)
        assert len(values) == 2 and all(math.isfinite(v) for v in values)
        assert values[0] > values[1]


def _own_tokens_npmi(topic: list[str], tokens: list[list[str]]) -> float:
    cm = CoherenceModel(
        topics=[topic],
        texts=tokens,
        dictionary=Dictionary(tokens),
        coherence="c_npmi",
        # gensim's own window (10 tokens): a paragraph-long one costs minutes here.
        processes=1,
    )
    return float(cm.get_coherence_per_topic()[0])


def test_the_same_whatever_segmentation_built_the_topics(units, paragraphs):
    tokenizer = jieba.Tokenizer()  # one instance: each one loads the dictionary anew
    by_jieba = [tokenizer.lcut(t) for t in paragraphs]
    by_toolkit = [list(t) for t in Segmenter(progress=False).fit(units).segment(units)]
    # Both segmentations keep every character, so each rebuilds the paragraphs ...
    assert ["".join(t) for t in by_jieba] == paragraphs
    assert ["".join(t) for t in by_toolkit] == paragraphs
    topic = ["田坎", "群众", "干部", "沙棠"]
    # ... but counted on their own tokens the same topic scores differently: the
    # toolkit keeps 田坎工作法 whole, so 田坎 is a token in fewer paragraphs.
    assert _own_tokens_npmi(topic, by_jieba) != pytest.approx(
        _own_tokens_npmi(topic, by_toolkit), abs=1e-3
    )
    # On the substring reference it is one figure, whichever tokens are joined back.
    expected = reference_coherence([topic, TOGETHER], paragraphs)
    for tokens in (by_jieba, by_toolkit):
        texts = ["".join(t) for t in tokens]
        assert reference_coherence([topic, TOGETHER], texts) == expected


def test_bad_input_raises_a_message_that_says_what_to_do(paragraphs):
    with pytest.raises(ValueError, match=r"measure must be one of \{'c_npmi', 'c_v', 'u_mass'\}"):
        reference_coherence([TOGETHER], paragraphs, measure="npmi")
    with pytest.raises(ValueError, match=r"1 topic term\(s\) occur in none of the texts: '鲲鹏'"):
        reference_coherence([["田坎", "鲲鹏"]], paragraphs)
    with pytest.raises(ValueError, match="at least two distinct terms"):
        reference_coherence([["田坎"]], paragraphs)
    with pytest.raises(ValueError, match="at least one topic"):
        reference_coherence([], paragraphs)
