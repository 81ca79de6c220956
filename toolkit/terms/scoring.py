"""How the term detector ranks a candidate: its features, their weights, its kind.

The weights are fitted by ``python -m benchmarks.terms --tune`` (a logistic
regression on the dev split of the shared reports), which prints a new
``_WEIGHTS`` literal for this file. ``Ranking`` is the part of
:class:`~toolkit.terms.TermDetector` that scores candidates; it holds no state
of its own.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from operator import mul
from typing import TYPE_CHECKING, Any

from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes
from toolkit.terms.sources import Span, is_numbered, is_parallel
from toolkit.terms.sources.parallel import parallel_units

__all__ = ["RANKS", "Ranking"]

# Structural kinds say what a term is; the others only say how it was found.
_KIND_ORDER = (
    "numbered",
    "parallel",
    "acronym",
    "institution",
    "annotated",
    "quoted",
    "lexicon",
    "discovered",
    "corpus",
)
# The score is the log-odds that a government would explain the candidate in
# its own glossary (名词解释). Weights are a logistic regression fitted on the
# dev split of the shared reports (python -m benchmarks.terms --tune) and
# rounded; the test split was never seen. Read them as evidence: quoting
# (+3.4), note markers (+4.3) and Latin acronyms (+3.2) weigh most, and a verb
# that introduces an initiative before it (推行, 探索: +0.5) helps;
# general-Chinese words (-2.4), names with the place in them (-1.6) and terms
# repeated everywhere (log_count, log_df) weigh against.
_WEIGHTS = {
    "bias": -3.48,
    "quoted": 3.4,
    "annotated": 4.3,
    "numbered": 0.91,
    "parallel": -0.75,
    "institution": 0.69,
    "acronym": 3.15,
    "lexicon": 0.27,
    "discovered": 0.06,
    "log_count": -1.05,
    "specificity": -1.38,
    "position": 0.09,
    "short": 0.52,
    "long": -1.26,
    "discovery": 0.1,
    "quoted_share": 0.06,
    "quoted_twice": 1.03,
    "place": -1.56,
    "explained": -0.78,
    "general": -2.42,
    "has_numeral": 1.21,
    "compound": 0.79,
    "pieces": 0.3,
    "opens": 0.0,
    "introduced": 0.46,
    "log_df": -0.66,
    "log_length": -0.64,
}
# The weights in the order _features lists the features.
_WEIGHT_VALUES = tuple(_WEIGHTS.values())
_IN_DOCUMENT = ("position", "compound", "explained", "opens", "introduced", "quoted_twice")
# Features that say how familiar a term already is: the more a term is used
# (in this text, across the corpus), the less a glossary explains it. A reader
# wants the opposite, so the reader's ranking leaves them out of the
# officialness part of its score.
_FAMILIARITY = frozenset({"log_count", "log_df", "specificity"})
#: The rankings :class:`~toolkit.terms.TermDetector` offers.
RANKS = ("glossary", "reader")
# The reader's ranking leads with the candidates a text stresses, by prominence,
# then continues in glossary order (see _reader_order). A candidate leads when
# its prominence reaches _READER_STRESS nats (about nine uses, or four uses and
# twice as many as the fitted corpus leads one to expect, or three and a heading),
# at most _READER_LEAD of them: the part of a top 20 given to what the text
# stresses. Chosen on the dev glossaries and the national reports' signature
# gold (benchmarks/README.md, terms).
_READER_LEAD = 15
_READER_STRESS = 2.2
# A word general Chinese uses this often (jieba's dictionary count: 人民, 建设,
# 热点) leads only if a lexicon lists it: a text that quotes “人民” once still
# writes the word everywhere, so its frequency says nothing of a term.
_GENERAL_WORD = math.log1p(1000) / 10
# Sources that know a term from outside this text: a list, or the corpus's repetition.
_KNOWN = frozenset({"lexicon"})
# A heading or title line: short, and no sentence ends in it.
_HEADING_MAX = 40
_NUMERAL = re.compile(r"[0-9一二三四五六七八九十两双百千万]")


# Features of a term that are the same in every document, per detector. Keyed
# weakly by the detector's matcher: fit and unpickling rebuild it after setting
# what the features read (discovered_, the plain cut, the place names), so the
# cache never outlives them and never travels with a pickle.
_TERM_CACHE: weakref.WeakKeyDictionary[Any, dict[str, dict[str, Any]]] = weakref.WeakKeyDictionary()


def _term_cache(detector: Any, name: str) -> dict[str, Any]:
    caches = _TERM_CACHE.get(detector._matcher)
    if caches is None:
        caches = _TERM_CACHE[detector._matcher] = {}
    cache = caches.get(name)
    if cache is None:
        cache = caches[name] = {}
    return cache


# Slots: a report has hundreds of candidates and each is built afresh.
@dataclass(slots=True)
class _Candidate:
    key: str
    forms: dict[str, int] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    starts: set[int] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)
    first: int = 1 << 30
    explained: bool = False
    opens: bool = False
    # Uses introduced by a verb that names an initiative (推行“河长制”).
    introduced: int = 0
    # The name a merged compound goes by (1+x课堂, not its core 1+x).
    preferred: str | None = None
    seen: set[tuple[int, str]] = field(default_factory=set)

    def add(self, span: Span, source: str) -> None:
        # Several sources may report one sighting; it is one use of the form.
        if (span.start, span.form) not in self.seen:
            self.seen.add((span.start, span.form))
            self.forms[span.form] = self.forms.get(span.form, 0) + 1
        self.sources.add(source)
        self.starts.add(span.start)
        self.spans.append(span)
        self.first = min(self.first, span.start)


class Ranking:
    """The scoring half of :class:`~toolkit.terms.TermDetector` (a mixin: it reads the
    detector's fitted attributes)."""

    # Set by the detector's fit; declared for the type checker.
    min_score: float | None
    rank: str
    vocabulary_: dict[str, str]
    df_: dict[str, int]
    discovered_: dict[str, float]
    expansions_: dict[str, list[str]]
    _agreed_expansions: dict[str, list[str]]
    _quoted_df: dict[str, int]
    _cf: dict[str, int]
    _n_chars: int
    _place_re: Any
    _cut: Any

    if TYPE_CHECKING:

        def _expansions(
            self, text: str, candidates: dict[str, _Candidate], keys: set[str] | None = None
        ) -> dict[str, list[str]]: ...

    def _static_scores(self, table: Mapping[str, str]) -> dict[str, float]:
        """Best score each key of the matcher's patterns can reach where no rule finds it.

        Most matches of the corpus vocabulary, discovered terms and lexicons
        score far below ``min_score`` in any document. Where a text finds a key
        only through the matcher, its candidate holds some of the key's
        patterns and nothing else, so each feature is bounded by its best value
        over the key's possible canonical forms and sources; the in-document
        features (position, several forms, …) add at most their positive
        weights. The sum bounds the key's score in any document of length
        10,000; :meth:`_candidates` adds the length term and skips what cannot
        be reported, without building a candidate for it. A key that could be a
        recurring parallel formula (reported whatever its score) or a numbered
        one (other formulas' expansions count its sightings) is never skipped.
        """
        if self.min_score is None or _WEIGHTS["log_count"] > 0 or not hasattr(self, "df_"):
            return {}
        patterns: dict[str, list[str]] = defaultdict(list)
        for form in table:
            patterns[canonical_key(form)].append(form)
        n = max(getattr(self, "n_documents_", 1), 1)
        return {key: self._bound(key, forms, table, n) for key, forms in patterns.items()}

    def _bound(self, key: str, forms: list[str], table: Mapping[str, str], n: int) -> float:
        if any(is_numbered(form) for form in forms):
            return math.inf
        cand = _Candidate(key)
        for form in forms:
            cand.add(Span(0, len(form), form, table[form]), table[form])
        df = self.df_.get(key, 1)
        # The fitted corpus names the key, else the text's most frequent form does.
        canonicals = [self.vocabulary_[key]] if key in self.vocabulary_ else forms
        best: dict[str, float] = {}
        for canonical in canonicals:
            kind = self._kind(cand, canonical)
            if self._formula(cand, canonical, kind, df):
                return math.inf
            # Seen once: the count's weight is negative (checked by the caller).
            features = self._features(cand, canonical, kind, 1, df, n, 10000)
            for name, value in features.items():
                if name not in _IN_DOCUMENT:
                    best[name] = max(best.get(name, -math.inf), _WEIGHTS[name] * value)
        # A text may match only some of the key's patterns, so only some sources.
        for source in cand.sources & best.keys():
            best[source] = max(best[source], 0.0)
        # Several forms are possible only if the key has several patterns.
        in_document = [f for f in _IN_DOCUMENT if f != "compound" or len(forms) > 1]
        return sum(best.values()) + sum(max(0.0, _WEIGHTS[f]) for f in in_document)

    def _formula(self, cand: _Candidate, canonical: str, kind: str, df: int) -> bool:
        """Whether a candidate is a parallel formula reported whatever its score.

        A parallel formula of three or more units that recurs across the corpus
        or is quoted is official phrasing (reports rarely explain one); a pair
        (养老保险、医疗保险), a one-off or an idiom is not.
        """
        return (
            kind == "parallel"
            and (df >= 2 or "quoted" in cand.sources)
            and len(parallel_units(canonical)) >= 3
            and strip_quotes(canonical) not in _background()
        )

    def _kind(self, cand: _Candidate, canonical: str) -> str:
        if is_numbered(canonical, quoted="quoted" in cand.sources):
            return "numbered"
        if "parallel" in cand.sources or is_parallel(canonical):
            return "parallel"
        for kind in _KIND_ORDER[2:]:
            if kind in cand.sources:
                return kind
        return "corpus"

    def _features(
        self, cand: _Candidate, canonical: str, kind: str, count: int, df: int, n: int, length: int
    ) -> dict[str, float]:
        sources = cand.sources
        # The features of the term alone are the same in every document: they
        # are computed once per detector (see _term_features).
        short, long, place, has_numeral = self._key_features(cand.key)
        discovery, general, pieces = self._term_features(canonical)
        return {
            "bias": 1.0,
            "quoted": float("quoted" in sources),
            "annotated": float("annotated" in sources),
            "numbered": float(kind == "numbered"),
            "parallel": float(kind == "parallel"),
            "institution": float("institution" in sources),
            "acronym": float(kind == "acronym"),
            "lexicon": float("lexicon" in sources),
            "discovered": float("discovered" in sources),
            "log_count": math.log1p(count),
            # Specific terms (used by few documents of the corpus) are what a
            # report would explain; formulas every report repeats are not news.
            "specificity": math.log((n + 1) / (df + 1)) / math.log(n + 1) if n > 1 else 0.0,
            "position": cand.first / length,
            "short": short,
            "long": long,
            "discovery": discovery,
            "quoted_share": self._quoted_df.get(cand.key, 0) / max(df, 1),
            "quoted_twice": float(len({s.start for s in cand.spans if s.kind == "quoted"}) > 1),
            "place": place,
            "explained": float(cand.explained),
            # General Chinese words (一揽子, 重启键) are not what a report defines.
            "general": general,
            "has_numeral": has_numeral,
            "compound": float(len(cand.forms) > 1),
            "pieces": pieces,
            "opens": float(cand.opens),
            "introduced": cand.introduced / max(len(cand.starts), 1),
            "log_df": math.log1p(df),
            # The longer the text, the more candidates compete for its few key terms.
            "log_length": math.log(length / 10000),
        }

    def _key_features(self, key: str) -> tuple[float, float, float, float]:
        """``short``, ``long``, ``place`` and ``has_numeral`` of a canonical key."""
        cache = _term_cache(self, "key")
        values = cache.get(key)
        if values is None:
            values = cache[key] = (
                float(len(key) <= 2),
                max(0.0, len(key) - 8) / 8,
                float(bool(self._place_re and self._place_re.search(key))),
                float(bool(_NUMERAL.search(key))),
            )
        return values

    def _term_features(self, canonical: str) -> tuple[float, float, float]:
        """``discovery``, ``general`` and ``pieces`` of a canonical form."""
        cache = _term_cache(self, "canonical")
        values = cache.get(canonical)
        if values is None:
            clean = strip_quotes(canonical)
            values = cache[canonical] = (
                self.discovered_.get(clean, 0.0) / 10,
                math.log1p(_background().get(clean, 0)) / 10,
                len(self._cut(clean)) / max(len(canonical), 1),
            )
        return values

    def _salience(
        self, key: str, cand: _Candidate, count: int, text: str, headings: list[tuple[int, int]]
    ) -> tuple[float, bool]:
        """How prominent a candidate is in this text, in nats: what a reader sees first.

        Three pieces of evidence, each in log units so that they add to the
        officialness part of the score: how often the text writes the term
        (``log(1 + uses)``, counting its uses inside longer terms too: 落实科学发展观
        is a use of 科学发展观), how much more often than the fitted corpus
        would lead one to expect (keyness: ``log(uses / (expected + 1))``, the
        expected count smoothed by one so that a single use of a rare term is
        no evidence; floored at 0, so a formula every document writes gains
        nothing), and whether a heading or title line uses it (+1). Also returns
        whether the text uses it more often than expected.
        """
        uses = max(count, sum(text.count(f) for f in cand.forms if len(f) >= 3))
        corpus_count = max(getattr(self, "_cf", {}).get(key, 0), self.df_.get(key, 0))
        corpus_chars = max(getattr(self, "_n_chars", 0), len(text))
        expected = corpus_count * len(text) / corpus_chars
        keyness = math.log(uses / (expected + 1))
        heading = any(a <= s < b for s in cand.starts for a, b in headings)
        return math.log1p(uses) + max(0.0, keyness) + float(heading), keyness > 0

    def _officialness(self, features: Mapping[str, float]) -> float:
        """How much a candidate looks like an official term, as a log-odds.

        The glossary log-odds without the familiarity features, and with a
        listed term (the lexicons: someone has recognised it as a term) counted
        like a quoted one (the text's authors mark it as a term). The reader's
        score adds at most even odds of it to the salience: beyond that, more
        evidence that a candidate is a term does not make it more important.
        """
        weights = dict(_WEIGHTS, lexicon=max(_WEIGHTS["lexicon"], _WEIGHTS["quoted"]))
        return sum(weights[n] * v for n, v in features.items() if n not in _FAMILIARITY)

    def _rank(
        self, text: str, candidates: dict[str, _Candidate], *, keep_known: bool = False
    ) -> list[dict[str, Any]]:
        n = max(getattr(self, "n_documents_", 1), 1)
        rows: list[dict[str, Any]] = []
        length = max(len(text), 1)
        reader = getattr(self, "rank", "glossary") == "reader"
        headings = _headings(text) if reader else []
        for key, cand in candidates.items():
            canonical = cand.preferred or self.vocabulary_.get(key) or pick_canonical(cand.forms)
            kind = self._kind(cand, canonical)
            count = len(cand.starts)
            df = self.df_.get(key, 1)
            features = self._features(cand, canonical, kind, count, df, n, length)
            # The features come in _WEIGHTS's order (test_scoring pins it), summed as
            # sum() over the pairs would.
            glossary = sum(map(mul, _WEIGHT_VALUES, features.values()))
            score = glossary
            reported = (
                self.min_score is None
                or glossary >= self.min_score
                or self._formula(cand, canonical, kind, df)
            )
            prominence = 0.0
            stressed = leads = False
            # Only a reported or known candidate written twice may lead: the
            # others need no prominence (most candidates; salience is costly).
            known = (
                reader and count >= 2 and (bool(cand.sources & _KNOWN) or key in self.vocabulary_)
            )
            if reader and (reported or known):
                salience, key_term = self._salience(key, cand, count, text, headings)
                official = self._officialness(features)
                prominence = salience + min(0.0, official)
                # A known term (listed, or marked by a rule somewhere in the
                # corpus) that this text uses again and more than expected, and
                # that looks official enough (not 建设, quoted twice somewhere):
                # reported if it makes the reader's lead (see _reader_order).
                stressed = (
                    known and key_term and (self.min_score is None or official >= self.min_score)
                )
                leads = (
                    (reported or stressed)
                    and prominence >= _READER_STRESS
                    and ("lexicon" in cand.sources or features["general"] < _GENERAL_WORD)
                )
            # The corpus table also counts the unreported uses of terms it knows
            # (listed, or found by a rule somewhere), so that diffusion is complete.
            if not (reported or stressed) and not (
                keep_known and ("lexicon" in cand.sources or key in self.vocabulary_)
            ):
                continue
            forms = sorted({strip_quotes(f) for f in cand.forms})
            rows.append(
                {
                    "key": key,
                    "term": canonical,
                    "forms": forms,
                    "kind": kind,
                    "count": count,
                    "score": round(score, 6),
                    "prominence": round(prominence, 6),
                    "expansion": self._agreed_expansions.get(canonical, []),
                    "sources": sorted(cand.sources),
                    "first": cand.first,
                    "reported": reported,
                    "leads": leads,
                }
            )
        if reader:
            _reader_order(rows)
            if not keep_known:
                rows = [r for r in rows if r["reported"] or r["leads"]]
        # Expanding is the slow part: only for candidates that are reported.
        local = self._expansions(text, candidates, keys={row["key"] for row in rows})
        rows.sort(key=lambda r: (-r["score"], r["first"], r["term"]))
        for i, row in enumerate(rows, start=1):
            row["rank"] = i
            del row["prominence"], row["leads"]
            if not keep_known:
                del row["reported"]
            key = row.pop("key")
            row["expansion"] = list(local.get(key) or row["expansion"])
        return rows


def _reader_order(rows: list[dict[str, Any]]) -> None:
    """Give each row the reader's score: the text's stresses first, then its glossary.

    A reader wants both what the text stresses and what it defines. The rows
    that may lead (``leads``: reported or stressed, prominence at least
    :data:`_READER_STRESS`, not a general word unless listed), at most
    :data:`_READER_LEAD` of them, lead in order of prominence (salience plus
    capped officialness); the other reported rows follow in glossary order
    (log-odds). The score is the reciprocal of the row's place in that order
    (1, 1/2, 1/3 …), so it falls with the rank. The rows left (a stressed term
    outside the lead, or a row the corpus table keeps unreported) follow at -2
    and below in the same way, so that they never move the others. A leader's
    ``reported`` stays the glossary's: the corpus table lists a term on that
    evidence, whatever the ranking. A lead and a tail keep most of the
    glossary's recall at 50 that a fusion of the two rankings gave away
    (``benchmarks/README.md``).
    """
    lead = sorted(
        (r for r in rows if r["leads"]), key=lambda r: (-r["prominence"], r["first"], r["term"])
    )[:_READER_LEAD]
    chosen = {id(row) for row in lead}
    for row in rows:
        row["leads"] = id(row) in chosen
    rest = sorted(
        (r for r in rows if id(r) not in chosen), key=lambda r: (-r["score"], r["first"], r["term"])
    )
    tail = [r for r in rest if r["reported"]]
    left = [r for r in rest if not r["reported"]]
    for offset, part in ((0.0, lead + tail), (-2.0, left)):
        for place, row in enumerate(part, start=1):
            # Nine decimals: six would tie the places beyond a thousand.
            row["score"] = round(offset + 1.0 / place, 9)


def _headings(text: str) -> list[tuple[int, int]]:
    """Start and end of each heading or title line: short, ending no sentence."""
    out: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if 0 < len(line.strip()) <= _HEADING_MAX and not any(p in line for p in "。；！？"):
            out.append((start, end))
        start = end + 1
    return out


@cache
def _background() -> dict[str, int]:
    from toolkit.segment.backends import jieba_frequencies

    return jieba_frequencies()
