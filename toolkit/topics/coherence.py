"""Coherence on a reference that does not depend on how the texts were segmented.

Coherence counts how often a topic's terms occur together in a reference. When
the reference is the model's own tokens, two models built on different
segmentations are scored on different counts and cannot be compared: a term
one segmenter keeps whole (``乡村振兴``) is two tokens for another. Here the
reference is the raw texts themselves: a term occurs in a text when it is a
substring of it, and two terms co-occur when both occur in the same text (the
window is the whole text, e.g. a paragraph). Any two lists of topics are then
scored on the same texts by the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit._validation import check_choice
from toolkit.topics.model import COHERENCE

__all__ = ["reference_coherence", "substring_reference"]


def substring_reference(texts: Iterable[str], vocabulary: Iterable[str]) -> list[list[str]]:
    """For each text, the vocabulary terms that occur in it as substrings.

    Parameters
    ----------
    texts : iterable of str
        Raw texts (e.g. paragraphs), not segmented.
    vocabulary : iterable of str
        The terms to look for; repeats are ignored.

    Returns
    -------
    list of list of str
        One list per text: every term found in it once, in sorted order
        (overlapping occurrences count: ``乡村振兴`` holds ``乡村`` and ``振兴``).

    Examples
    --------
    >>> substring_reference(["推进乡村振兴", "振兴老工业基地"], ["振兴", "乡村振兴", "乡村"])
    [['乡村', '乡村振兴', '振兴'], ['振兴']]
    """
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of texts, not a single str; wrap it: [text]")
    if isinstance(vocabulary, str):
        raise TypeError("vocabulary must be an iterable of terms, not a single str")
    terms = sorted(set(vocabulary))
    bad = [t for t in terms if not isinstance(t, str) or not t]
    if bad:
        raise ValueError(f"vocabulary terms must be non-empty strings (got {bad[0]!r})")
    if not terms:
        return [[] for _ in texts]
    import ahocorasick_rs

    automaton = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.Standard)
    out = []
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"texts must be strings (got {type(text).__name__})")
        found = {i for i, _, _ in automaton.find_matches_as_indexes(text, overlapping=True)}
        out.append([terms[i] for i in sorted(found)])
    return out


def reference_coherence(
    topics: list[list[str]], texts: Sequence[str], *, measure: str = "c_npmi"
) -> list[float]:
    """Coherence of each topic on the substring reference of ``texts``.

    Every term occurs in a text when it is a substring of it, and the window
    is the whole text (boolean document co-occurrence), so the result depends
    on the topics' terms and the raw texts only, never on how either model
    segmented them: models built on different tokenizations of the same
    paragraphs are compared on one reference.

    Parameters
    ----------
    topics : list of list of str
        Each topic's terms (e.g. ``model.top_terms(10)``).
    texts : sequence of str
        The raw texts the topics were learned from, e.g. the paragraphs.
    measure : {'c_npmi', 'c_v', 'u_mass'}
        As gensim's ``CoherenceModel`` computes it (with ``processes=1``).

    Returns
    -------
    list of float
        One value per topic, in the order of ``topics``.

    Raises
    ------
    ValueError
        On an unknown ``measure``, no topics, a topic with fewer than two
        terms, or a term that occurs in none of the texts (its probability
        would be zero).
    """
    check_choice("measure", measure, COHERENCE)
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of texts, not a single str; wrap it: [text]")
    topics = [list(t) for t in topics]
    if not topics:
        raise ValueError("topics must hold at least one topic (got none)")
    short = [i for i, t in enumerate(topics) if len(set(t)) < 2]
    if short:
        raise ValueError(
            f"each topic needs at least two distinct terms to score co-occurrence "
            f"(topic {short[0]} has {len(set(topics[short[0]]))})"
        )
    vocabulary = sorted({term for topic in topics for term in topic})
    reference = substring_reference(texts, vocabulary)
    seen = {term for terms in reference for term in terms}
    absent = [term for term in vocabulary if term not in seen]
    if absent:
        shown = ", ".join(repr(t) for t in absent[:5]) + (" …" if len(absent) > 5 else "")
        raise ValueError(
            f"{len(absent)} topic term(s) occur in none of the texts: {shown}; "
            "pass the raw texts the topics were learned from"
        )
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    dictionary = Dictionary(reference)
    # A window at least as long as the longest text's list is the whole text:
    # gensim then takes each text as one window (boolean document).
    window = max(2, max(len(terms) for terms in reference))
    cm = CoherenceModel(
        topics=topics,
        texts=reference,
        dictionary=dictionary,
        coherence=measure,
        window_size=window,
        topn=max(len(t) for t in topics),
        processes=1,
    )
    return [float(c) for c in cm.get_coherence_per_topic()]
