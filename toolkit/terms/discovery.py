"""Statistical term discovery: terms nobody quoted and nobody listed.

A corpus's terms are noun phrases it repeats as fixed units. Each text is cut
into *chunks*: runs of content tokens between punctuation, numbers, function
words and the verbs that govern terms (推进 | 数字政府 | 建设). Word n-grams
inside chunks are candidates. A candidate is kept when

* it recurs: at least ``min_count`` times in at least ``min_df`` documents;
* it stands alone: it is often a whole chunk, not only part of longer ones
  (C-value's nested-term correction, computed on chunks);
* it coheres: its words occur together far more often than chance in this
  corpus (pointwise mutual information); and
* it is this corpus's language and not general Chinese: its rate here is far
  above its rate in jieba's dictionary counts (the background).

Counting is streaming and memory-bounded: every ``prune_every`` documents,
n-grams seen once are forgotten (lossy counting), so terms that recur survive
and one-off word pairs do not accumulate. Consecutive parts of a corpus can be
counted apart, unpruned, and merged in order (:meth:`Discovery.merge`): the
statistics are those of one pass.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from toolkit.terms.sources.boundaries import BOUNDARY_WORDS, TIME_AND_DISCOURSE_WORDS

__all__ = ["PRUNE_EVERY", "Discovery", "chunks"]

_CONTENT = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z0-9]*$")
_MAX_CHARS = 10
# Tags (jieba's set) a term cannot end or start with.
_NOT_LAST = frozenset("vdpcurmqaf")
_NOT_FIRST = frozenset({"v", "d", "p", "c", "u", "r", "m", "q", "ad", "f", "t"})
_MAX_WORDS = 4
# Tags (first letter) of a word that governs the term after it rather than
# modifying it: verbs, adjectives, adverbs, and the set phrases jieba tags i
# and l (全面落实).
_GOVERNS = frozenset("vadil")
#: Documents between two prunings of the n-grams seen once (lossy counting).
PRUNE_EVERY = 200


@lru_cache(maxsize=1 << 18)
def _is_content(token: str) -> bool:
    # Tokens repeat: a cached answer is cheaper than a regex match per token.
    return _CONTENT.match(token) is not None


def chunks(tokens: list[str], *, stop: frozenset[str], boundary: frozenset[str]) -> list[list[str]]:
    """Runs of content tokens between punctuation, numbers, stopwords and boundary words."""
    out: list[list[str]] = []
    run: list[str] = []
    for tok in tokens:
        if tok in stop or tok in boundary or not _is_content(tok):
            if run:
                out.append(run)
                run = []
        else:
            run.append(tok)
    if run:
        out.append(run)
    return out


@dataclass
class Discovery:
    """Streaming n-gram statistics over chunks; :meth:`select` picks the terms.

    ``prune_every=0`` never prunes: the counts of a part of a corpus, for
    :meth:`merge`.
    """

    stop: frozenset[str]
    prune_every: int = PRUNE_EVERY
    ngram: Counter[str] = field(default_factory=Counter)
    whole: Counter[str] = field(default_factory=Counter)
    df: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    n_tokens: int = 0
    n_docs: int = 0

    def __post_init__(self) -> None:
        self.boundary = frozenset(BOUNDARY_WORDS) | frozenset(TIME_AND_DISCOURSE_WORDS)

    def add(self, tokens: list[str]) -> None:
        """Count one document's tokens."""
        seen: set[str] = set()
        words = self.words
        for run in chunks(tokens, stop=self.stop, boundary=self.boundary):
            words.update(run)
            self.n_tokens += len(run)
            n = len(run)
            if n == 1:
                tok = run[0]
                if len(tok) >= 3:
                    self.whole[tok] += 1
                    self.ngram[tok] += 1
                    seen.add(tok)
                    self.parts.setdefault(tok, (tok,))
                continue
            for i in range(n):
                length = 0
                for j in range(i, min(n, i + _MAX_WORDS)):
                    length += len(run[j])
                    if length > _MAX_CHARS:
                        break
                    if j == i and len(run[i]) < 3:
                        continue
                    gram = "".join(run[i : j + 1])
                    self.ngram[gram] += 1
                    if i == 0 and j == n - 1:
                        self.whole[gram] += 1
                    if gram not in self.parts:
                        self.parts[gram] = tuple(run[i : j + 1])
                    seen.add(gram)
        self.df.update(seen)
        self.n_docs += 1
        if self.prune_every and self.n_docs % self.prune_every == 0:
            self._prune()

    def merge(self, other: Discovery) -> None:
        """Add the unpruned counts of the documents that follow these ones.

        The result is what :meth:`add` gives those documents one by one, n-gram
        order included, as long as ``other`` counted them with ``prune_every=0``
        and they hold no pruning point but their end (see
        :func:`toolkit.distributed.fit_detector`, which cuts its partitions so).

        Raises
        ------
        ValueError
            If a pruning point falls inside ``other``'s documents.
        """
        every = self.prune_every
        if (
            every
            and other.n_docs
            and (self.n_docs + other.n_docs - 1) // every != (self.n_docs // every)
        ):
            raise ValueError(
                f"cannot merge {other.n_docs} documents after {self.n_docs}: the counts are "
                f"pruned every {every} documents, so a part must not span a multiple of {every}"
            )
        # Counter.update keeps first-seen order: new n-grams follow in their own order.
        self.ngram.update(other.ngram)
        self.whole.update(other.whole)
        self.df.update(other.df)
        self.words.update(other.words)
        for gram, parts in other.parts.items():
            self.parts.setdefault(gram, parts)
        self.n_tokens += other.n_tokens
        self.n_docs += other.n_docs
        if every and other.n_docs and self.n_docs % every == 0:
            self._prune()

    def _prune(self) -> None:
        # Lossy counting: what has been seen once by now is very unlikely to recur
        # often enough to be kept, and holding it would grow memory with the corpus.
        for gram in [g for g, c in self.ngram.items() if c <= 1]:
            del self.ngram[gram]
            self.whole.pop(gram, None)
            self.df.pop(gram, None)
            self.parts.pop(gram, None)

    def select(
        self,
        *,
        background: dict[str, int],
        min_count: int,
        min_df: int,
        min_whole: float,
        min_pmi: float,
        min_termhood: float,
        exclude: Iterable[str] = (),
        tags: dict[str, str] | None = None,
    ) -> dict[str, float]:
        """Discovered terms with their scores (higher is more term-like).

        ``tags`` (word → part of speech, from the background dictionary) keep
        only noun phrases: a term does not end with a verb (同比增长) nor start
        with a verb, adverb or function word (作表率).
        """
        tags = tags or {}
        excluded = set(exclude)
        bg_total = sum(background.values()) or 1
        total = max(self.n_tokens, 1)
        out: dict[str, float] = {}
        for gram, count in self.ngram.items():
            if count < min_count or self.df[gram] < min_df or gram in excluded:
                continue
            whole = self.whole[gram] / count
            if whole < min_whole:
                continue
            parts = self.parts[gram]
            # A verbal noun (vn: 疫情防控, 国有企业改革) heads a noun phrase.
            last = tags.get(parts[-1], "n")
            if (last != "vn" and last[0] in _NOT_LAST) or tags.get(parts[0], "n") in _NOT_FIRST:
                continue
            # 全面落实科学发展观, 发展新质生产力: a verb (or what jieba tags an
            # adjective, adverb or set phrase) governing a listed term makes a predicate, not
            # a longer term; 制造业高质量发展 (a noun before it) stays.
            if any(
                tags.get(parts[i - 1], "n")[0] in _GOVERNS and "".join(parts[i:]) in excluded
                for i in range(1, len(parts))
            ):
                continue
            if len(parts) > 1:
                expected = math.prod(self.words[p] / total for p in parts)
                pmi = math.log((count / total) / expected) if expected else 0.0
                if pmi < min_pmi:
                    continue
            else:
                pmi = 0.0
            # Expected background count: the gram's own, else its parts' as if independent.
            general: float | None = background.get(gram)
            if general is None:
                general = math.prod(max(background.get(p, 1), 1) / bg_total for p in parts)
                general *= bg_total
            termhood = math.log((count / total) / (max(general, 0.5) / bg_total))
            if termhood < min_termhood:
                continue
            out[gram] = round(
                math.log2(len(gram)) * math.log1p(count * whole)
                + 0.2 * pmi
                + 0.3 * termhood
                + math.log1p(self.df[gram]),
                6,
            )
        return out
