"""TermDetector: find, canonicalise, expand and rank the official terms (提法) of a corpus.

``fit`` reads the corpus once to learn what it repeats (statistical
discovery), which place names it is about, what each formula stands for, and
how widely each term is used; a second pass builds the corpus table
``terms_``. ``detect`` ranks the candidates of any text.
"""

from __future__ import annotations

import math
import pickle
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from toolkit._estimator import Estimator
from toolkit._parallel import process_pool, worker_state
from toolkit._validation import (
    check_choice,
    check_flag,
    check_positive_int,
    ensure_reiterable,
)
from toolkit.corpus import Corpus, Document
from toolkit.corpus.io import batched
from toolkit.corpus.places import place_names
from toolkit.segment.lexicon import Lexicon, TermMatcher
from toolkit.segment.segmenter import Segmenter
from toolkit.segment.stopwords import load_stopwords
from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes
from toolkit.terms.discovery import Discovery
from toolkit.terms.expansion import enumerations, find_expansion
from toolkit.terms.sources import (
    Span,
    find_acronyms,
    find_annotated,
    find_institutions,
    find_numbered,
    find_parallel,
    find_quoted,
    is_numbered,
    is_parallel,
)
from toolkit.terms.sources.parallel import parallel_units
from toolkit.terms.table import GROUP_FIELDS, TermTable, group_fields, time_field

__all__ = ["COLUMNS", "GROUP_FIELDS", "KINDS", "SOURCES", "TermDetector"]

#: Where candidates come from; each is also a ``kind`` a term can have.
SOURCES = (
    "quoted",
    "annotated",
    "numbered",
    "acronym",
    "parallel",
    "institution",
    "lexicon",
    "discovered",
)
#: Every kind a candidate can be given. ``corpus`` marks a term found by a rule
#: in another document of the fitted corpus and matched here by its form.
KINDS = (*SOURCES, "corpus")
#: Columns of :meth:`TermDetector.detect` for one text, best first.
COLUMNS = ("rank", "term", "forms", "kind", "count", "score", "expansion", "sources", "first")
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
# (+3.5), note markers (+4.5) and Latin acronyms (+3.1) weigh most;
# general-Chinese words (-2.6), names with the place in them (-1.6) and terms
# repeated everywhere (log_count, log_df) weigh against.
_WEIGHTS = {
    "bias": -3.52,
    "quoted": 3.51,
    "annotated": 4.49,
    "numbered": 0.87,
    "parallel": -0.83,
    "institution": 0.8,
    "acronym": 3.11,
    "lexicon": 0.18,
    "discovered": 0.3,
    "log_count": -1.04,
    "specificity": -1.42,
    "position": 0.15,
    "short": 0.46,
    "long": -1.32,
    "discovery": -0.31,
    "quoted_share": 0.02,
    "quoted_twice": 1.03,
    "place": -1.6,
    "explained": -0.76,
    "general": -2.6,
    "has_numeral": 1.18,
    "compound": 0.73,
    "pieces": 0.45,
    "opens": -0.08,
    "log_df": -0.63,
    "log_length": -0.69,
}
# One character before a term that names the level it applies at: 村“两委” is 两委.
_LEVEL_PREFIXES = "村镇乡县市省区街"
_MIN_CORPUS_DF = 2
# Documents sent to the workers at a time, in chunks of _CHUNK.
_BATCH = 512
_CHUNK = 8
# Above this many patterns the matcher's DFA would take gigabytes.
_DFA_PATTERNS = 20_000
# Sources of matcher spans (a known form found again), and the features that
# depend on the document a candidate is in rather than on the term.
_MATCHED = frozenset({"lexicon", "discovered", "corpus"})
_IN_DOCUMENT = ("position", "compound", "explained", "opens", "quoted_twice")
_BOUND_MARGIN = 0.5
_OPENS = re.compile(r"^(?:.?[。；！？\n]|[。；！？\n]?[“「])$|^$")
_NUMERAL = re.compile(r"[0-9一二三四五六七八九十两双百千万]")
# A term the text explains: “四个三”（…）, X，即…, X是指…
_EXPLAINED = re.compile(r"[”」』]?(?:（|\(|，即|,即|即|是指|指的是)")


@dataclass
class _Candidate:
    key: str
    forms: dict[str, int] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    starts: set[int] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)
    first: int = 1 << 30
    explained: bool = False
    opens: bool = False
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


def _text_of(item: Document | str) -> str:
    if isinstance(item, Document):
        return item.text
    if isinstance(item, str):
        return item
    raise TypeError(f"documents must be Document or str (got {type(item).__name__})")


class TermDetector(Estimator):
    """Detect the official terms of a corpus: slogans, formulas, institutions, campaigns.

    Parameters
    ----------
    sources : sequence of str
        Candidate sources to use, any of :data:`SOURCES`.
    lexicons : sequence of ('builtin', path, list of str, or Lexicon)
        Term lists matched as the ``lexicon`` source. ``'builtin'`` is the
        project's policy lexicon; an empty sequence uses none.
    min_count, min_df : int
        How often, and in how many documents, a word n-gram must occur in the
        fitted corpus to be discovered.
    by : sequence of str, optional
        Docvars whose values ``terms_`` lists per term (the groups that use
        it). Default: those of :data:`GROUP_FIELDS` that the corpus has.
    min_score : float, optional
        Candidates scoring below this are not reported, except parallel
        formulas that are quoted or recur in the corpus. The score is a
        log-odds, so -5.0 keeps candidates with about a 0.7% chance of being a
        term the text's authors would explain; ``None`` keeps every candidate.
    time : str, optional
        Docvar giving each document's date or year, for first and last use in
        ``terms_``. Default: ``date`` if present, else ``year``.
    n_examples : int
        Example contexts per term in ``terms_``.
    n_jobs : int
        Worker processes for :meth:`detect` and for building ``terms_``.
        Results do not depend on it.
    progress : bool
        Show progress bars while fitting.

    Attributes
    ----------
    discovered_ : dict of str to float
        Terms found by statistical discovery, with their discovery scores.
    vocabulary_ : dict of str to str
        Canonical key → canonical form of every term found by a rule in the corpus.
    expansions_ : dict of str to list of str
        Canonical form → parts, for formulas spelled out somewhere in the corpus.
    places_ : frozenset of str
        Place names taken from the docvars; they are never terms.
    df_ : dict of str to int
        Documents of the fitted corpus in which each canonical key was a candidate.
    n_documents_ : int
    terms_ : pandas.DataFrame
        The corpus table, one row per canonical term (see :meth:`fit`).

    Examples
    --------
    >>> det = TermDetector(progress=False).fit(["推行“一线工作法”，坚持共建、共治、共享。"])
    >>> det.detect("坚持一线工作法和共建共治共享", top=2)["term"].tolist()
    ['一线工作法', '共建、共治、共享']
    """

    _fitted_attribute = "vocabulary_"
    _fit_hint = "fit(corpus)"

    def __init__(
        self,
        *,
        sources: Sequence[str] = SOURCES,
        lexicons: Sequence[str | Path | Lexicon | Sequence[str]] = ("builtin",),
        min_count: int = 3,
        min_df: int = 2,
        by: Sequence[str] | None = None,
        time: str | None = None,
        min_score: float | None = -5.0,
        n_examples: int = 2,
        n_jobs: int = 1,
        progress: bool = True,
    ) -> None:
        self.sources = sources
        self.lexicons = lexicons
        self.min_count = min_count
        self.min_df = min_df
        self.by = by
        self.time = time
        self.min_score = min_score
        self.n_examples = n_examples
        self.n_jobs = n_jobs
        self.progress = progress
        self._validate_params()

    # ------------------------------------------------------------------ parameters
    def _validate_params(self) -> None:
        # Runs from __init__ and after set_params; it checks and never converts,
        # so that sklearn.base.clone finds every parameter as it was passed.
        if isinstance(self.sources, str):
            raise TypeError(
                f"sources must be a sequence of source names, e.g. ['quoted', 'numbered'] "
                f"(got a single str: {self.sources!r})"
            )
        for source in self.sources:
            check_choice("sources", source, SOURCES)
        check_positive_int("min_count", self.min_count)
        check_positive_int("min_df", self.min_df)
        check_positive_int("n_examples", self.n_examples)
        check_positive_int("n_jobs", self.n_jobs)
        check_flag("progress", self.progress)
        if self.min_score is not None and (
            isinstance(self.min_score, bool) or not isinstance(self.min_score, (int, float))
        ):
            raise TypeError(
                f"min_score must be a number or None (got {type(self.min_score).__name__}: "
                f"{self.min_score!r})"
            )
        if isinstance(self.lexicons, (str, Path, Lexicon)):
            raise TypeError(
                f"lexicons must be a sequence of lexicons, e.g. ['builtin', 'terms.txt'] "
                f"(got a single {type(self.lexicons).__name__}: {self.lexicons!r})"
            )
        if isinstance(self.by, str):
            raise TypeError(
                f"by must be a sequence of docvar names, e.g. ['town'] (got a single str: "
                f"{self.by!r})"
            )
        if self.time is not None and not isinstance(self.time, str):
            raise TypeError(
                f"time must be a docvar name or None (got {type(self.time).__name__}: "
                f"{self.time!r})"
            )

    # ------------------------------------------------------------------ fitting
    def fit(self, corpus: Corpus | Iterable[Document] | Iterable[str]) -> TermDetector:
        """Learn the corpus's terms, then build the corpus table ``terms_``.

        Parameters
        ----------
        corpus : Corpus, CorpusStream, or list of Document or str
            Read twice, so a one-shot iterator is refused.

        Returns
        -------
        TermDetector
            ``self``. ``terms_`` has one row per canonical term: ``term``,
            ``kind``, ``count`` (occurrences), ``doc_freq``, ``forms``, for each
            group field ``n_<field>`` and ``<field>`` (its values, ``|``-joined),
            ``first`` and ``last`` (date or year), and ``examples``.
        """
        # Attributes may have been assigned directly since __init__.
        self._validate_params()
        corpus = ensure_reiterable(corpus, "corpus")
        base = [Lexicon.coerce(src) for src in self.lexicons]
        self.lexicon_ = base[0].merge(*base[1:]) if base else Lexicon(name="none")
        self._segmenter = Segmenter(lexicons=[self.lexicon_], progress=False)
        self.places_ = frozenset()
        self.discovered_ = {}
        self.vocabulary_ = {}
        self.expansions_ = {}
        self.df_ = {}
        self._quoted_df = {}
        self._build_matcher(prune=False)

        stop = load_stopwords()
        discovery = Discovery(stop=stop)
        df: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        ruled: Counter[str] = Counter()
        quoted_df: Counter[str] = Counter()
        expansions: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
        places: set[str] = set()
        n_docs = 0
        for item in tqdm(corpus, desc="terms: learning", disable=not self.progress, unit="doc"):
            text = _text_of(item)
            if isinstance(item, Document):
                places.update(place_names(item.meta))
            tokens = self._segmenter.segment_text(text)
            if "discovered" in self.sources:
                discovery.add(tokens)
            candidates = self._candidates(text, tokens)
            for key, cand in candidates.items():
                df[key] += 1
                forms[key].update(cand.forms)
                if cand.sources - {"lexicon", "discovered", "corpus"}:
                    ruled[key] += 1
                if cand.sources & {"quoted", "annotated"}:
                    quoted_df[key] += 1
            for key, parts in self._expansions(text, candidates).items():
                expansions[key][tuple(parts)] += 1
            n_docs += 1

        self.places_ = frozenset(places)
        self.n_documents_ = n_docs
        if "discovered" in self.sources:
            self.discovered_ = discovery.select(
                background=_background(),
                min_count=self.min_count,
                min_df=self.min_df,
                min_whole=0.5,
                min_pmi=1.0,
                min_termhood=4.0,
                exclude=self.lexicon_,
                tags=_tags(),
            )
        self.vocabulary_ = {
            key: pick_canonical(forms[key])
            for key in sorted(ruled)
            if key not in self._place_keys()
            and (ruled[key] >= _MIN_CORPUS_DF or self._strong(forms[key]))
        }
        self.expansions_ = {
            self.vocabulary_.get(key, pick_canonical(forms[key])): list(counts.most_common(1)[0][0])
            for key, counts in sorted(expansions.items())
        }
        self.df_ = dict(df)
        self._quoted_df = dict(quoted_df)
        self._build_matcher()
        self.terms_ = self._table(corpus)
        return self

    def _strong(self, forms: Mapping[str, int]) -> bool:
        # A term marked once in the corpus (quoted, numbered) still names a term elsewhere.
        return any(is_numbered(f) or is_parallel(f) for f in forms)

    def _place_keys(self) -> frozenset[str]:
        return frozenset(canonical_key(p) for p in self.places_)

    def _build_matcher(self, *, prune: bool = True, static: dict[str, float] | None = None) -> None:
        table: dict[str, str] = {}
        origin: dict[str, str] = {}
        if "lexicon" in self.sources:
            for term in self.lexicon_:
                table[term] = "lexicon"
        for term in self.discovered_:
            table.setdefault(term, "discovered")
        for form in self.vocabulary_.values():
            clean = strip_quotes(form)
            if clean and clean not in table:
                table[clean] = "corpus"
        origin.update(table)
        self._origin = origin
        self._matcher: TermMatcher = Lexicon(table, name="detector").matcher(
            dfa=len(table) <= _DFA_PATTERNS
        )
        self._places = self._place_keys()
        self._cut = self._segmenter.plain_cut()
        stems = sorted((p for p in self._places if len(p) >= 2), key=len, reverse=True)
        self._place_re = re.compile("|".join(map(re.escape, stems))) if stems else None
        # While fit counts, every match must count: no pruning before the end.
        if static is not None:
            self._static = static
        else:
            self._static = self._static_scores(table) if prune else {}

    def _static_scores(self, table: Mapping[str, str]) -> dict[str, float]:
        """Best score each matcher pattern can reach when no rule finds it too.

        Most matches of the corpus vocabulary, discovered terms and lexicons
        score far below ``min_score`` in any document. The score of a pattern
        found once, with no other evidence, plus the most that the in-document
        features (position, several forms, …) can add, bounds its score in any
        document of length 10,000; :meth:`_candidates` adds the length term and
        skips what cannot be reported, without building a candidate for it.
        """
        if self.min_score is None or _WEIGHTS["log_count"] > 0 or not hasattr(self, "df_"):
            return {}
        # A key written by one pattern has one form in any document: no
        # "compound" feature and no other canonical form to allow for.
        patterns_per_key = Counter(canonical_key(form) for form in table)
        single = sum(max(0.0, _WEIGHTS[f]) for f in _IN_DOCUMENT if f != "compound")
        several = _BOUND_MARGIN + sum(max(0.0, _WEIGHTS[f]) for f in _IN_DOCUMENT)
        static: dict[str, float] = {}
        n = max(getattr(self, "n_documents_", 1), 1)
        for form, origin in table.items():
            key = canonical_key(form)
            headroom = single if patterns_per_key[key] == 1 else several
            cand = _Candidate(key)
            cand.add(Span(0, len(form), form, origin), origin)
            canonical = self.vocabulary_.get(key) or form
            kind = self._kind(cand, canonical)
            features = self._features(cand, canonical, kind, 1, self.df_.get(key, 1), n, 10000)
            static[form] = sum(_WEIGHTS[f] * v for f, v in features.items()) + headroom
        return static

    # ------------------------------------------------------------------ candidates
    def _candidates(
        self, text: str, tokens: list[str] | None = None, *, keep_known: bool = False
    ) -> dict[str, _Candidate]:
        if tokens is None:
            tokens = self._segmenter.segment_text(text)
        cuts = frozenset(accumulate(map(len, tokens), initial=0))
        sources = set(self.sources)
        spans: list[tuple[Span, str]] = []
        if "quoted" in sources:
            spans += [(s, "quoted") for s in find_quoted(text)]
        if "annotated" in sources:
            spans += [(s, "annotated") for s in find_annotated(text, cuts=cuts)]
        if "numbered" in sources:
            spans += [(s, "numbered") for s in find_numbered(text, cuts=cuts)]
        if "parallel" in sources:
            spans += [(s, "parallel") for s in find_parallel(text, cuts=cuts)]
        if "acronym" in sources:
            spans += [(s, "acronym") for s in find_acronyms(text)]
        matched = [
            (Span(a, b, text[a:b], self._origin.get(text[a:b], "corpus")), "")
            for a, b in self._matcher.find(text)
        ]
        spans += [(s, s.kind) for s, _ in matched]
        if "institution" in sources:
            fixed = {
                (s.end): s.start
                for s, src in spans
                if src in ("quoted", "lexicon", "discovered", "corpus")
            }
            for span in find_institutions(text, cuts=cuts):
                # A listed or quoted term with the same end knows where the name starts.
                if span.end in fixed and fixed[span.end] != span.start:
                    continue
                spans.append((span, "institution"))

        out: dict[str, _Candidate] = {}
        lexicon = self.lexicon_
        static = self._static if self.min_score is not None else {}
        if static:
            ruled = {canonical_key(s.form) for s, src in spans if src not in _MATCHED}
            floor = self.min_score - _WEIGHTS["log_length"] * math.log(max(len(text), 1) / 10000)
        for span, source in spans:
            key = canonical_key(span.form)
            if len(key) < 2 or key in self._places:
                continue
            if (
                static
                and source in _MATCHED
                and static.get(span.form, math.inf) < floor
                and key not in ruled
                and key[1:] not in ruled
                and not (keep_known and (source == "lexicon" or key in self.vocabulary_))
            ):
                continue
            # 河长制、湖长制 lists two listed terms; it is not one formula.
            if "、" in span.form and all(u in lexicon for u in span.form.split("、")):
                continue
            cand = out.get(key)
            if cand is None:
                cand = out[key] = _Candidate(key)
            cand.add(span, source)
        # “十强”产业 is one term written with its head noun: the core and the
        # compound are one candidate, named by the compound unless the core
        # also stands alone.
        quoted = sorted((s for s, source in spans if source == "quoted"), key=lambda s: s.start)
        quoted_keys = [canonical_key(s.form) for s in quoted]
        quoted_starts = [s.start for s in quoted]
        for index in sorted(range(len(quoted)), key=lambda i: quoted[i].start - quoted[i].end):
            span, key = quoted[index], quoted_keys[index]
            whole = out.get(key)
            if whole is None:
                continue
            # The quoted parts inside this span: its core, or its parallel units.
            for i in range(bisect_left(quoted_starts, span.start), len(quoted)):
                part, part_key = quoted[i], quoted_keys[i]
                if part.start >= span.end:
                    break
                if part.end > span.end or part_key == key:
                    continue
                alone = out.get(part_key)
                if alone is not None and len(alone.starts) <= len(whole.starts):
                    for s in out.pop(part_key).spans:
                        whole.add(s, "quoted")
                    whole.preferred = span.form
        for cand in out.values():
            cand.explained = any(_EXPLAINED.match(text, s.end) for s in cand.spans)
            cand.opens = any(_OPENS.match(text[max(0, s.start - 2) : s.start]) for s in cand.spans)
        # 村“两委” and 村两委 are 两委 at the village level.
        for key in sorted(out, key=len, reverse=True):
            target = out.get(key[1:]) if key[0] in _LEVEL_PREFIXES else None
            # Only a short quoted term takes its level prefix: 村“两委”, not 市重点项目.
            if target is None or "quoted" not in target.sources or len(target.key) > 4:
                continue
            for span in out.pop(key).spans:
                target.add(span, "quoted" if "quoted" in target.sources else span.kind)
        return out

    def _expansions(
        self, text: str, candidates: dict[str, _Candidate], keys: set[str] | None = None
    ) -> dict[str, list[str]]:
        numbered = [
            s
            for c in candidates.values()
            for s in c.spans
            if is_numbered(s.form, quoted=s.kind == "quoted")
        ]
        numbered.sort(key=lambda s: s.start)
        out: dict[str, list[str]] = {}
        if not numbered:
            return out
        listed = enumerations(text)
        for key, cand in candidates.items():
            if keys is not None and key not in keys:
                continue
            # The first few sightings are where a text spells a formula out.
            for span in sorted(cand.spans, key=lambda s: s.start)[:3]:
                if not is_numbered(span.form, quoted=span.kind == "quoted"):
                    break
                parts = find_expansion(text, span, numbered, listed=listed)
                if parts:
                    out[key] = parts
                    break
        return out

    # ------------------------------------------------------------------ ranking
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
            "short": float(len(cand.key) <= 2),
            "long": max(0.0, len(cand.key) - 8) / 8,
            "discovery": self.discovered_.get(strip_quotes(canonical), 0.0) / 10,
            "quoted_share": self._quoted_df.get(cand.key, 0) / max(df, 1),
            "quoted_twice": float(len({s.start for s in cand.spans if s.kind == "quoted"}) > 1),
            "place": float(bool(self._place_re and self._place_re.search(cand.key))),
            "explained": float(cand.explained),
            # General Chinese words (一揽子, 重启键) are not what a report defines.
            "general": math.log1p(_background().get(strip_quotes(canonical), 0)) / 10,
            "has_numeral": float(bool(_NUMERAL.search(cand.key))),
            "compound": float(len(cand.forms) > 1),
            "pieces": len(self._cut(strip_quotes(canonical))) / max(len(canonical), 1),
            "opens": float(cand.opens),
            "log_df": math.log1p(df),
            # The longer the text, the more candidates compete for its few key terms.
            "log_length": math.log(length / 10000),
        }

    def _rank(
        self, text: str, candidates: dict[str, _Candidate], *, keep_known: bool = False
    ) -> list[dict[str, Any]]:
        n = max(getattr(self, "n_documents_", 1), 1)
        rows = []
        length = max(len(text), 1)
        for key, cand in candidates.items():
            canonical = cand.preferred or self.vocabulary_.get(key) or pick_canonical(cand.forms)
            kind = self._kind(cand, canonical)
            count = len(cand.starts)
            df = self.df_.get(key, 1)
            features = self._features(cand, canonical, kind, count, df, n, length)
            score = sum(_WEIGHTS[name] * value for name, value in features.items())
            # A parallel formula of three or more units that recurs across the
            # corpus or is quoted is official phrasing whatever its score
            # (reports rarely explain one); a pair (养老保险、医疗保险), a one-off
            # or an idiom is not.
            formula = (
                kind == "parallel"
                and (df >= 2 or "quoted" in cand.sources)
                and len(parallel_units(canonical)) >= 3
                and strip_quotes(canonical) not in _background()
            )
            reported = self.min_score is None or score >= self.min_score or formula
            # The corpus table also counts the unreported uses of terms it knows
            # (listed, or found by a rule somewhere), so that diffusion is complete.
            if not reported and not (
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
                    "expansion": self.expansions_.get(canonical, []),
                    "sources": sorted(cand.sources),
                    "first": cand.first,
                    "reported": reported,
                }
            )
        # Expanding is the slow part: only for candidates that are reported.
        local = self._expansions(text, candidates, keys={row["key"] for row in rows})
        rows.sort(key=lambda r: (-r["score"], r["first"], r["term"]))
        for i, row in enumerate(rows, start=1):
            row["rank"] = i
            if not keep_known:
                del row["reported"]
            key = row.pop("key")
            row["expansion"] = list(local.get(key) or row["expansion"])
        return rows

    # ------------------------------------------------------------------ detecting
    def detect(
        self, X: Corpus | Iterable[Document] | Document | str, *, top: int | None = None
    ) -> pd.DataFrame:
        """Ranked term candidates of one text, or of every document of a corpus.

        Parameters
        ----------
        X : str, Document, Corpus, CorpusStream, or iterable of Document
        top : int, optional
            Keep the best ``top`` candidates per document; all by default.

        Returns
        -------
        pandas.DataFrame
            For one text, the columns :data:`COLUMNS`, best first. For a corpus,
            ``doc_id`` first, then those columns, then the docvars.
        """
        self._check_fitted()
        if top is not None:
            check_positive_int("top", top)
        if isinstance(X, (str, Document)):
            rows = self._rank(_text_of(X), self._candidates(_text_of(X)))[:top]
            return pd.DataFrame(rows, columns=list(COLUMNS))
        frames: list[dict[str, Any]] = []
        meta_fields: dict[str, None] = {}
        for i, (item, rows) in enumerate(self._ranked(X, top=top, desc="terms: detect")):
            if isinstance(item, Document):
                doc_id, meta = item.doc_id, dict(item.meta)
            else:
                doc_id, meta = str(i), {}
            meta_fields.update(dict.fromkeys(meta))
            for row in rows:
                frames.append({"doc_id": doc_id, **row, **meta})
        columns = ["doc_id", *COLUMNS, *meta_fields]
        return pd.DataFrame(frames, columns=columns)

    def _ranked(
        self,
        items: Iterable[Document | str],
        *,
        top: int | None,
        desc: str,
        keep_known: bool = False,
    ) -> Iterator[tuple[Document | str, list[dict[str, Any]]]]:
        """Each item with its ranked candidates, in order; in worker processes if ``n_jobs > 1``."""
        bar = tqdm(desc=desc, disable=not self.progress, unit="doc")
        if self.n_jobs == 1:
            for item in items:
                text = _text_of(item)
                candidates = self._candidates(text, keep_known=keep_known)
                yield item, self._rank(text, candidates, keep_known=keep_known)[:top]
                bar.update()
            bar.close()
            return
        # The fitted detector goes to each worker once, pickled without its
        # compiled automata, which each worker rebuilds.
        with process_pool(self.n_jobs, state=pickle.dumps(self), setup=pickle.loads) as pool:
            for batch in batched(items, _BATCH):
                texts = [_text_of(item) for item in batch]
                # Small chunks keep every worker busy to the end of the batch.
                chunks = [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
                n = len(chunks)
                ranked = pool.map(_rank_texts, chunks, [top] * n, [keep_known] * n)
                for item, rows in zip(batch, (r for chunk in ranked for r in chunk), strict=True):
                    yield item, rows
                bar.update(len(batch))
        bar.close()

    def __getstate__(self) -> dict[str, Any]:
        # Compiled automata and the segmenter's engine do not pickle; they are
        # rebuilt. The matcher's score bounds travel along (slow to recompute).
        # A copy: on Python 3.11+ the base returns the instance's own __dict__.
        state = dict(super().__getstate__())
        for name in ("_matcher", "_cut", "_segmenter", "_place_re"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        if "lexicon_" in state:
            self._segmenter = Segmenter(lexicons=[self.lexicon_], progress=False)
            self._build_matcher(static=state.get("_static"))

    def forms_of(self, term: str) -> list[str]:
        """Every surface form of ``term`` seen in the fitted corpus (``kwic(..., forms=)``)."""
        self._check_fitted()
        key = canonical_key(term)
        row = self.terms_[self.terms_["key"] == key]
        return list(row["forms"].iloc[0]) if len(row) else [strip_quotes(term)]

    # ------------------------------------------------------------------ corpus table
    def _table(self, corpus: Iterable[Document | str]) -> pd.DataFrame:
        table: TermTable | None = None
        ranked = self._ranked(corpus, top=None, desc="terms: table", keep_known=True)
        for i, (item, rows) in enumerate(ranked):
            meta = dict(item.meta) if isinstance(item, Document) else {}
            if table is None:
                fields = group_fields(self.by, meta)
                missing = [f for f in fields if f not in meta]
                if isinstance(item, Document) and self.by is not None and missing:
                    raise ValueError(
                        f"by names docvar {missing[0]!r}, which the corpus does not have "
                        f"(docvars: {sorted(meta)})"
                    )
                table = TermTable(
                    fields=fields,
                    time=time_field(self.time, meta),
                    n_examples=self.n_examples,
                    expansions=self.expansions_,
                )
            doc_id = item.doc_id if isinstance(item, Document) else str(i)
            table.add(doc_id, meta, _text_of(item), rows)
        if table is None:
            table = TermTable(fields=[], time=None, n_examples=1, expansions={})
        return table.frame()


def _rank_texts(texts: list[str], top: int | None, keep_known: bool) -> list[list[dict[str, Any]]]:
    detector: TermDetector = worker_state()
    return [
        detector._rank(
            text, detector._candidates(text, keep_known=keep_known), keep_known=keep_known
        )[:top]
        for text in texts
    ]


@cache
def _tags() -> dict[str, str]:
    from toolkit.segment.backends import jieba_tags

    return jieba_tags()


@cache
def _background() -> dict[str, int]:
    from toolkit.segment.backends import jieba_frequencies

    return jieba_frequencies()
