"""TermDetector: find, canonicalise, expand and rank the official terms (提法) of a corpus.

``fit`` reads the corpus once to learn what it repeats (statistical
discovery), which place names it is about, what each formula stands for, and
how widely each term is used; a second pass builds the corpus table
``terms_``. ``detect`` ranks the candidates of any text.
"""

from __future__ import annotations

import pickle
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from toolkit._estimator import Estimator
from toolkit._parallel import process_pool
from toolkit._persist import ModelReader, ModelWriter
from toolkit._validation import (
    check_choice,
    check_flag,
    check_items,
    check_positive_int,
    ensure_reiterable,
)
from toolkit.corpus import Corpus, Document
from toolkit.corpus.io import batched
from toolkit.corpus.places import place_names
from toolkit.ingest.headings import reading_text
from toolkit.segment.lexicon import Lexicon, TermMatcher, lexicon_from_json, lexicon_to_json
from toolkit.segment.segmenter import Segmenter
from toolkit.segment.stopwords import load_stopwords
from toolkit.terms.abbreviations import abbreviations
from toolkit.terms.candidates import Gathering
from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes
from toolkit.terms.discovery import PRUNE_EVERY, Discovery
from toolkit.terms.expansion import enumerations, find_expansion
from toolkit.terms.learning import FitCounts
from toolkit.terms.scoring import RANKS, Ranking, _background, _Candidate
from toolkit.terms.sources import is_numbered, is_parallel
from toolkit.terms.table import (
    GROUP_FIELDS,
    TIME_FIELDS,
    TermTable,
    TermUses,
    group_fields,
    time_field,
)
from toolkit.terms.workers import rank_texts

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
_MIN_CORPUS_DF = 2
# Documents sent to the workers at a time, in chunks of _CHUNK.
_BATCH = 512
_CHUNK = 8
# Above this many patterns the matcher's DFA would take gigabytes.
_DFA_PATTERNS = 20_000


def _text_of(item: Document | str) -> str:
    # A newspaper article's headings are evidence (a formula's parts are often
    # written only in the subheads), whether or not the page was parsed with them.
    if isinstance(item, Document):
        return reading_text(item)
    if isinstance(item, str):
        return item
    raise TypeError(f"documents must be Document or str (got {type(item).__name__})")


class TermDetector(Gathering, Ranking, Estimator):
    """Detect the official terms of a corpus: slogans, formulas, institutions, campaigns.

    A newspaper article parsed by :func:`~toolkit.ingest.parse_page` (or by
    ``tifa ingest``) is read with its kicker, title, subtitle and subheads
    (:func:`~toolkit.ingest.headings.reading_text`): they are evidence, as a
    town's formulas are often named only there, though ``Document.text`` holds
    the body alone.

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
        Candidates whose glossary log-odds is below this are not reported,
        except parallel formulas that are quoted or recur in the corpus, and
        (``rank="reader"``) known terms the text stresses that lead. -5.0 keeps
        candidates with about a 0.7% chance of being a term the text's authors
        would explain; ``None`` keeps every candidate.
    rank : {'reader', 'glossary'}
        ``'reader'`` (the default): what a reader of the text expects first.
        The candidates the text stresses lead: those whose prominence reaches
        2.2 nats, at most 15, in order of prominence (frequency, counting uses
        inside longer terms; keyness against the fitted corpus; use in a
        heading; plus how official the candidate looks, capped at even odds);
        a general word (人民) leads only if a lexicon lists it.
        The others follow in glossary order. ``score`` is the reciprocal of
        the reader's rank (1, 1/2, 1/3 …). ``'glossary'``: by the log-odds
        that the text's own glossary (名词解释) would explain the candidate,
        which sinks the formulations everybody knows; ``score`` is that
        log-odds. On the national government work reports the reader's
        ranking puts 0.559 of each report's best-known formulations in its
        top 20 (the glossary's 0.176); on the dev glossaries its recall@50 is
        0.658 by cross-validation (the glossary's 0.666). See
        ``benchmarks/README.md``.
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
    abbreviations_ : dict of str to str
        Long form → abbreviation, for the terms of the corpus that abbreviate
        one another by their words' initials (台湾独立 → 台独); both count as
        the abbreviation's term.
    places_ : frozenset of str
        Place names taken from the docvars; they are never terms.
    df_ : dict of str to int
        Documents of the fitted corpus in which each canonical key was a candidate.
    n_documents_ : int
    terms_ : pandas.DataFrame
        The corpus table, one row per canonical term (see :meth:`fit`).
    periods_ : pandas.DataFrame
        The terms of ``terms_`` counted per period (the ``time`` docvar) and
        group (the ``by`` docvars): ``term``, ``key``, ``period``, one column per
        group docvar, ``count``, ``doc_freq``; a term's trajectory, one row per
        period and group that uses it.

    Examples
    --------
    >>> det = TermDetector(progress=False).fit(["推行“一线工作法”，坚持共建、共治、共享。"])
    >>> det.detect("坚持一线工作法和共建共治共享", n=2)["term"].tolist()
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
        rank: str = "reader",
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
        self.rank = rank
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
        check_items("sources", self.sources, what="source names", example="['quoted', 'numbered']")
        for source in self.sources:
            check_choice("sources", source, SOURCES)
        check_choice("rank", self.rank, RANKS)
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
        check_items("lexicons", self.lexicons, what="lexicons", example="['builtin', 'terms.txt']")
        if self.by is not None:
            check_items("by", self.by, what="docvar names", example="['town']")
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
        counts = self._start_fit()
        for item in tqdm(corpus, desc="terms: learning", disable=not self.progress, unit="doc"):
            if isinstance(item, Document):
                counts.places.update(place_names(item.meta))
            self._count(_text_of(item), counts)
        self._learn(counts)
        self._tabulate(self._table_rows(corpus))
        return self

    # The steps of fit, apart so that a cluster can run the per-document ones
    # (_count, _table_rows's) per partition: see toolkit.distributed.terms.
    def _start_fit(self) -> FitCounts:
        """Reset what fit learns and build the matcher of the lexicons; empty counts."""
        base = [Lexicon.coerce(src) for src in self.lexicons]
        self.lexicon_ = base[0].merge(*base[1:]) if base else Lexicon(name="none")
        self._segmenter = Segmenter(lexicons=[self.lexicon_], progress=False)
        self.places_: frozenset[str] = frozenset()
        self.discovered_ = {}
        self.vocabulary_ = {}
        self.expansions_ = {}
        self.df_ = {}
        self._quoted_df = {}
        self._agreed_expansions: dict[str, list[str]] = {}
        self.abbreviations_: dict[str, str] = {}
        self._aliases: dict[str, str] = {}
        self._cf = {}
        self._n_chars = 0
        self._build_matcher(prune=False)
        return self._new_counts()

    def _new_counts(self, *, prune: bool = True) -> FitCounts:
        """Empty counts; ``prune=False`` for a part of the corpus (see Discovery.merge)."""
        if "discovered" not in self.sources:
            return FitCounts()
        stop = load_stopwords()
        return FitCounts(discovery=Discovery(stop=stop, prune_every=PRUNE_EVERY if prune else 0))

    def _count(self, text: str, counts: FitCounts) -> None:
        """Count one text's candidates and spelled-out formulas (fit's first pass)."""
        tokens = self._segmenter.segment_text(text)
        candidates = self._candidates(text, tokens)
        counts.add(text, tokens, candidates, self._expansions(text, candidates))

    def _learn(self, counts: FitCounts) -> None:
        """What needs the whole corpus's counts: discovery, vocabulary, expansions, aliases."""
        forms, expansions, quoted_df = counts.forms, counts.expansions, counts.quoted_df
        self.places_ = frozenset(counts.places)
        self.n_documents_ = counts.n_docs
        discovery = counts.discovery
        if discovery is not None:
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
            for key in sorted(counts.ruled)
            if key not in self._place_keys()
            and (counts.ruled[key] >= _MIN_CORPUS_DF or self._strong(forms[key]))
        }
        self.expansions_ = {
            self.vocabulary_.get(key, pick_canonical(forms[key])): list(
                spelled.most_common(1)[0][0]
            )
            for key, spelled in sorted(expansions.items())
        }
        # A text that uses a formula without spelling it out is given the corpus's
        # parts only when every text that spells it out agrees, twice at least:
        # 五大行动 or 三大平台 name different parts in each city that writes them.
        self._agreed_expansions = {
            self.vocabulary_.get(key, pick_canonical(forms[key])): list(next(iter(spelled)))
            for key, spelled in sorted(expansions.items())
            if len(spelled) == 1 and sum(spelled.values()) >= 2
        }
        # Variants by abbreviation (台湾独立 and 台独) count as one term: the short
        # form names it. Both must be quoted somewhere or listed: terms, not phrases.
        marked = [
            key
            for key in self.vocabulary_
            if quoted_df.get(key) or self.vocabulary_[key] in self.lexicon_
        ]
        self.abbreviations_ = {
            self.vocabulary_[long]: self.vocabulary_[short]
            for long, short in abbreviations(marked, self._cut, _is_word).items()
        }
        self._aliases = {
            canonical_key(long): canonical_key(short) for long, short in self.abbreviations_.items()
        }
        self.df_ = dict(counts.df)
        self._quoted_df = dict(quoted_df)
        # Discovered terms were not matched while counting: discovery counted them.
        cf = Counter(counts.cf)
        if discovery is not None:
            for term in self.discovered_:
                key = canonical_key(term)
                cf[key] = max(cf[key], discovery.ngram[term])
        self._cf = dict(cf)
        self._n_chars = counts.n_chars
        self._build_matcher()

    def _strong(self, forms: Mapping[str, int]) -> bool:
        # A term marked once in the corpus (quoted, numbered) still names a term elsewhere.
        return any(is_numbered(f) or is_parallel(f) for f in forms)

    def _place_keys(self) -> frozenset[str]:
        return frozenset(canonical_key(p) for p in self.places_)

    def _build_matcher(self, *, prune: bool = True, bounds: dict[str, float] | None = None) -> None:
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
        if bounds is not None:
            self._bounds = bounds
        else:
            self._bounds = self._static_scores(table) if prune else {}

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
    # ------------------------------------------------------------------ detecting
    def detect(
        self,
        X: Corpus | Iterable[Document] | Document | str,
        *,
        n: int | None = None,
        top: int | None = None,
    ) -> pd.DataFrame:
        """Ranked term candidates of one text, or of every document of a corpus.

        Parameters
        ----------
        X : str, Document, Corpus, CorpusStream, or iterable of Document
        n : int, optional
            Keep the best ``n`` candidates per document; all by default.
        top : int, optional
            The old name of ``n`` (rows are counted with ``n`` everywhere);
            it still works for one release, with a ``FutureWarning``.

        Returns
        -------
        pandas.DataFrame
            For one text, the columns :data:`COLUMNS`, best first. For a corpus,
            ``doc_id`` first, then those columns, then the docvars.
        """
        self._check_fitted()
        if top is not None:
            if n is not None:
                raise TypeError(f"pass n only; top is its old name (got n={n!r}, top={top!r})")
            warnings.warn(
                "detect(top=...) is renamed detect(n=...); top will be removed in the next release",
                FutureWarning,
                stacklevel=2,
            )
            n = top
        if n is not None:
            check_positive_int("n", n)
        top = n
        if isinstance(X, (str, Document)):
            return _text_frame(self._ranked_text(_text_of(X), top=top))
        ranked = self._ranked(X, top=top, desc="terms: detect")
        return _corpus_frame(
            (item.doc_id, dict(item.meta), rows)
            if isinstance(item, Document)
            else (str(i), {}, rows)
            for i, (item, rows) in enumerate(ranked)
        )

    def _ranked_text(
        self, text: str, *, top: int | None, keep_known: bool = False
    ) -> list[dict[str, Any]]:
        """The ranked candidates of one text, the best ``top`` (all if None)."""
        candidates = self._candidates(text, keep_known=keep_known)
        return self._rank(text, candidates, keep_known=keep_known)[:top]

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
                yield item, self._ranked_text(_text_of(item), top=top, keep_known=keep_known)
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
                ranked = pool.map(rank_texts, chunks, [top] * n, [keep_known] * n)
                for item, rows in zip(batch, (r for chunk in ranked for r in chunk), strict=True):
                    yield item, rows
                bar.update(len(batch))
        bar.close()

    def __getstate__(self) -> dict[str, Any]:
        # Compiled automata and the segmenter's engine do not pickle; they are
        # rebuilt. The matcher's score bounds travel along (slow to recompute);
        # a detector pickled before they were bounds per key recomputes them.
        # A copy: on Python 3.11+ the base returns the instance's own __dict__.
        state = dict(super().__getstate__())
        for name in ("_matcher", "_cut", "_segmenter", "_place_re"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        if "lexicon_" in state:
            # Saved before texts were given only agreed corpus expansions: as it was.
            state.setdefault("_agreed_expansions", dict(state.get("expansions_", {})))
            self._agreed_expansions = state["_agreed_expansions"]
            self.abbreviations_ = state.get("abbreviations_", {})
            self._aliases = state.get("_aliases", {})
            self._segmenter = Segmenter(lexicons=[self.lexicon_], progress=False)
            self._build_matcher(bounds=state.get("_bounds"))

    # ------------------------------------------------------------------ model files
    # What fit learned, by attribute; the matcher, the segmenter and the place
    # pattern are rebuilt from them on load (_build_matcher), as after unpickling.
    _LEARNED_JSON = (
        "discovered_",
        "vocabulary_",
        "expansions_",
        "df_",
        "_quoted_df",
        "_agreed_expansions",
        "abbreviations_",
        "_aliases",
        "_cf",
        "_n_chars",
        "n_documents_",
        "_bounds",
    )

    def save(self, path: str | Path) -> Path:
        """Write the fitted detector to one model file (no pickle); returns the path.

        Saved: the parameters; the lexicon in force (``lexicon_``, every term,
        so lexicon files need not travel along), ``places_``, ``discovered_``,
        ``vocabulary_``, ``expansions_``, ``abbreviations_``, ``df_`` and the
        corpus counts ranking reads (JSON); ``terms_`` and ``periods_``
        (Parquet). The compiled matcher and the segmenter are rebuilt on load,
        so :meth:`detect` ranks exactly as before saving. See ``docs/models.md``.
        """
        return super().save(path)

    @classmethod
    def _decode_params(cls, encoded: dict[str, Any], reader: ModelReader) -> dict[str, Any]:
        params = super()._decode_params(encoded, reader)
        # A file written before ``rank`` existed ranked as a glossary does; the
        # default is now the reader's ranking.
        params.setdefault("rank", "glossary")
        return params

    def _save_state(self, writer: ModelWriter) -> None:
        state: dict[str, Any] = {name: getattr(self, name) for name in self._LEARNED_JSON}
        state["lexicon_"] = lexicon_to_json(self.lexicon_)
        state["places_"] = sorted(self.places_)
        writer.json("state", state)
        writer.frame("terms", self.terms_)
        writer.frame("periods", self.periods_)

    def _load_state(self, reader: ModelReader) -> None:
        state = reader.json("state")
        for name in self._LEARNED_JSON:
            setattr(self, name, state[name])
        self.lexicon_ = lexicon_from_json(state["lexicon_"])
        self.places_ = frozenset(state["places_"])
        self.terms_ = reader.frame("terms")
        self.periods_ = reader.frame("periods")
        self._segmenter = Segmenter(lexicons=[self.lexicon_], progress=False)
        self._build_matcher(bounds=self._bounds)

    def forms_of(self, term: str) -> list[str]:
        """Every surface form of ``term`` seen in the fitted corpus (``kwic(..., forms=)``)."""
        self._check_fitted()
        key = canonical_key(term)
        row = self.terms_[self.terms_["key"] == key]
        return list(row["forms"].iloc[0]) if len(row) else [strip_quotes(term)]

    # ------------------------------------------------------------------ corpus table
    def _term_uses(self) -> TermUses:
        """What recounts a document's rows for the table (:class:`TermUses`)."""
        # The segmenter fitted with every term the matcher knows: a use counts
        # where the term is a token of it, never as a substring.
        segmenter = Segmenter(lexicons=[self.lexicon_], progress=False)
        segmenter.fit([], terms=sorted(self._origin))
        return TermUses(segmenter.segment_text, known=segmenter.lexicon_)

    def _table_rows(self, corpus: Iterable[Document | str]) -> Iterator[_TableRows]:
        """Each document's ``(doc_id, meta or None, text, rows)`` for :meth:`_tabulate`."""
        uses = self._term_uses()
        ranked = self._ranked(corpus, top=None, desc="terms: table", keep_known=True)
        for i, (item, rows) in enumerate(ranked):
            text = _text_of(item)
            if isinstance(item, Document):
                yield item.doc_id, dict(item.meta), text, uses.rows(text, rows)
            else:
                yield str(i), None, text, uses.rows(text, rows)

    def _tabulate(self, documents: Iterable[_TableRows]) -> None:
        """Build ``terms_`` and ``periods_`` from each document's table rows, in order.

        A document's meta is None when it is a plain string (no docvars).
        """
        table: TermTable | None = None
        dated = False
        for doc_id, meta, text, rows in documents:
            if table is None:
                fields = group_fields(self.by, meta or {})
                missing = [f for f in fields if f not in (meta or {})]
                if meta is not None and self.by is not None and missing:
                    raise ValueError(
                        f"by names docvar {missing[0]!r}, which the corpus does not have "
                        f"(docvars: {sorted(meta)})"
                    )
                table = TermTable(
                    fields=fields,
                    time=time_field(self.time, meta or {}),
                    n_examples=self.n_examples,
                    expansions=self.expansions_,
                )
            dated = dated or meta is not None
            table.add(doc_id, meta or {}, text, rows)
        if table is None:
            table = TermTable(fields=[], time=None, n_examples=1, expansions={})
        if dated and table.time is None:
            # Plain strings have no docvars to date them; Documents should.
            warnings.warn(
                "terms_ 'first' and 'last' and periods_ stay empty: no docvar named "
                f"{' or '.join(repr(f) for f in TIME_FIELDS)}; pass time='<docvar>' to date "
                "the documents",
                UserWarning,
                stacklevel=3,
            )
        elif table.n_undated:
            warnings.warn(
                f"{table.n_undated} of {table.n_documents} documents have no {table.time!r}: "
                "their uses are counted in terms_ but not dated",
                UserWarning,
                stacklevel=3,
            )
        self.terms_ = table.frame()
        self.periods_ = table.periods(list(self.terms_["key"]))


#: One document for the corpus table: doc_id, docvars (None for a plain
#: string), the text read, and its ranked rows recounted by TermUses.
_TableRows = tuple[str, "dict[str, Any] | None", str, list[dict[str, Any]]]


def _text_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """:meth:`TermDetector.detect`'s table for one text."""
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _corpus_frame(docs: Iterable[tuple[str, dict[str, Any], list[dict[str, Any]]]]) -> pd.DataFrame:
    """:meth:`TermDetector.detect`'s table for a corpus, from ``(doc_id, meta, rows)`` in order."""
    frames: list[dict[str, Any]] = []
    meta_fields: dict[str, None] = {}
    for doc_id, meta, rows in docs:
        meta_fields.update(dict.fromkeys(meta))
        for row in rows:
            frames.append({"doc_id": doc_id, **row, **meta})
    return pd.DataFrame(frames, columns=["doc_id", *COLUMNS, *meta_fields])


@cache
def _is_word(text: str) -> bool:
    from toolkit.segment.backends import jieba_frequencies

    return text in jieba_frequencies()


def _tags() -> dict[str, str]:
    from toolkit.segment.backends import jieba_tags

    return jieba_tags()
