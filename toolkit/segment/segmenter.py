"""Segmenter: term-aware Chinese word segmentation over a corpus.

Order of work for each text:

1. lexicon terms (built-in, user, learned) are found with an automaton and
   kept whole;
2. numbers with units, dates, Latin, URLs, whitespace and ASCII symbols are
   tokenized by the toolkit (:mod:`toolkit.segment.pretokenize`);
3. the remaining runs of Chinese go to the backend (jieba-rs by default).

In raw mode nothing is lost: ``"".join(tokens) == text``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

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
    require_text,
)
from toolkit.corpus import Corpus, Document
from toolkit.corpus.io import batched
from toolkit.segment.backends import BACKENDS, load_dictionary
from toolkit.segment.engine import Engine, build_engine, gc_paused, unpack, work, work_tagged
from toolkit.segment.lexicon import Lexicon, TermMatcher, lexicon_from_json, lexicon_to_json
from toolkit.segment.pretokenize import learn_units
from toolkit.segment.quoted import quoted_terms
from toolkit.segment.stopwords import STOPWORD_LISTS, load_stopwords
from toolkit.segment.tokens import Tokens

__all__ = ["HMM_OPTIONS", "MODES", "Segmenter"]

#: Segmenter modes: ``raw`` keeps every character; ``analysis`` drops whitespace,
#: punctuation and stopwords.
MODES = ("raw", "analysis")
#: Values of ``hmm``: the backend's HMM on, off, or on with its guesses pruned.
HMM_OPTIONS = (True, False, "guarded")
_LEARNED = "learned"


def _check_hmm(value: Any) -> bool | str:
    """``hmm`` is a bool or ``'guarded'``; 1 and 0 are refused, as ``check_flag`` refuses them."""
    if isinstance(value, bool) or (isinstance(value, str) and value == "guarded"):
        return value
    options = ", ".join(repr(a) for a in sorted(HMM_OPTIONS, key=str))
    raise ValueError(f"hmm must be one of {{{options}}} (got {value!r})")


def _detected_terms(terms: Any) -> list[str]:
    """The terms to learn from a fitted TermDetector, or from a list of terms."""
    if terms is None:
        return []
    table = getattr(terms, "terms_", None)
    if table is not None:
        out: list[str] = []
        for term, forms in zip(table["term"], table["forms"], strict=True):
            out += [term, *forms]
        return [t for t in dict.fromkeys(out) if len(t) >= 2]
    if isinstance(terms, str) or not isinstance(terms, Iterable):
        raise TypeError(
            "terms must be a fitted TermDetector or a list of terms "
            f"(got {type(terms).__name__}: {terms!r})"
        )
    return [t for t in terms if isinstance(t, str) and t]


def _documents(items: Iterable[Any], caller: str) -> Iterator[Document]:
    """``items``, checked one by one to be Documents (a str in a list is a common slip)."""
    for i, doc in enumerate(items):
        if not isinstance(doc, Document):
            raise TypeError(
                f"{caller} expects Documents; item {i} is a {type(doc).__name__}. "
                "Wrap texts with toolkit.Corpus.from_records or use segment_text"
            )
        yield doc


class Segmenter(Estimator):
    """Chinese word segmentation that keeps official terms whole.

    Parameters
    ----------
    backend : {'jieba-rs', 'jieba', 'char', 'pkuseg'}
        The engine for runs of Chinese text. ``'jieba-rs'`` (the default) gives
        the same tokens as ``'jieba'`` at many times its speed.
    lexicons : sequence of ('builtin', path, list of str, or Lexicon)
        Terms that always come out as one token. ``'builtin'`` is the project's
        policy lexicon; a path is a text or TSV file; a list is a list of terms.
    dictionary : path or list of str, optional
        Replace the backend's general dictionary with this word list (the
        adaptation mode: a user brings the word list of their domain). The
        list's ``<number><unit>`` entries also decide which units join numbers.
    stopwords : sequence of ('general', 'filler', or path)
        Lists dropped in analysis mode.
    hmm : {True, False, 'guarded'}
        Let the backend guess words missing from its dictionary (jieba's HMM).
        ``'guarded'`` keeps only guesses that contain a character the
        dictionary does not know as a word: better word F1 on news text, but
        fewer unlisted policy terms kept whole before :meth:`fit`.
    pos : bool
        Also produce part-of-speech tags (``Tokens.tags``); lexicon terms are
        tagged ``tifa:<category>``.
    mode : {'raw', 'analysis'}
        ``'raw'`` keeps every character; ``'analysis'`` drops whitespace,
        punctuation and stopwords.
    n_jobs : int
        Worker processes for :meth:`segment`; the dictionary loads once per worker.
    batch_size : int
        Documents per unit of parallel work.
    progress : bool
        Show a progress bar in :meth:`segment`.

    Attributes
    ----------
    learned_ : Lexicon
        Terms learned by :meth:`fit` (quoted terms of the corpus).
    lexicon_ : Lexicon
        All terms in force after fitting.
    n_learned_ : int
        Learned terms that no lexicon of ``lexicons`` already held.

    Notes
    -----
    A scikit-learn estimator: ``get_params``, ``set_params`` (which checks the
    new values as the constructor does) and :func:`sklearn.base.clone` read the
    constructor's signature. A Segmenter pickles, used or not: the compiled
    engine stays behind and is rebuilt on first use, so ``segment_text`` can be
    the ``tokenizer`` of a scikit-learn vectorizer that is pickled.

    Examples
    --------
    >>> seg = Segmenter()
    >>> seg.segment_text("该镇坚持一线工作法，推进扫黑除恶")
    ['该镇', '坚持', '一线工作法', '，', '推进', '扫黑除恶']
    """

    def __init__(
        self,
        *,
        backend: str = "jieba-rs",
        lexicons: Sequence[str | Path | Lexicon | Sequence[str]] = ("builtin",),
        dictionary: str | Path | Sequence[str] | None = None,
        stopwords: Sequence[str | Path] = STOPWORD_LISTS,
        hmm: bool | str = True,
        pos: bool = False,
        mode: str = "raw",
        n_jobs: int = 1,
        batch_size: int = 64,
        progress: bool = True,
    ) -> None:
        self.backend = backend
        self.lexicons = lexicons
        self.dictionary = dictionary
        self.stopwords = stopwords
        self.hmm = hmm
        self.pos = pos
        self.mode = mode
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.progress = progress

    _fitted_attribute = "lexicon_"
    _fit_hint = "fit(corpus)"

    # ------------------------------------------------------------------ configuration
    def _validate_params(self) -> None:
        check_choice("backend", self.backend, BACKENDS)
        check_choice("mode", self.mode, MODES)
        _check_hmm(self.hmm)
        check_flag("pos", self.pos)
        check_flag("progress", self.progress)
        check_positive_int("n_jobs", self.n_jobs)
        check_positive_int("batch_size", self.batch_size)
        if isinstance(self.lexicons, (str, Path, Lexicon)):
            raise TypeError(
                f"lexicons must be a sequence of lexicons, e.g. ['builtin', 'terms.txt'] "
                f"(got a single {type(self.lexicons).__name__}: {self.lexicons!r})"
            )
        check_items("lexicons", self.lexicons, what="lexicons", example="['builtin', 'terms.txt']")
        if self.dictionary is not None and not isinstance(self.dictionary, (str, Path)):
            check_items(
                "dictionary", self.dictionary, what="words or a path", example="'words.txt'"
            )
        check_items(
            "stopwords", self.stopwords, what="stopword lists", example="['general', 'filler']"
        )

    def __getstate__(self) -> dict[str, Any]:
        # Compiled engines do not pickle (jieba-rs's Jieba, jieba's locks); the
        # parameters and what fit learned are all an engine is rebuilt from.
        state = dict(super().__getstate__())
        state.pop("_engine_cache", None)
        return state

    # ------------------------------------------------------------------ model files
    def save(self, path: str | Path) -> Path:
        """Write the fitted segmenter to one model file (no pickle); returns the path.

        Saved: the parameters and what :meth:`fit` learned: ``learned_``,
        ``lexicon_`` (every term kept whole, with its category and name, so
        the lexicon files need not travel along) and ``n_learned_``. The
        compiled engine is rebuilt on first use. A ``dictionary`` or
        ``stopwords`` given as a path is stored as that path and read from it
        when the loaded segmenter is used. See ``docs/models.md``.
        """
        return super().save(path)

    def _save_state(self, writer: ModelWriter) -> None:
        writer.json(
            "state",
            {
                "learned": lexicon_to_json(self.learned_),
                "lexicon": lexicon_to_json(self.lexicon_),
                "n_learned": self.n_learned_,
            },
        )

    def _load_state(self, reader: ModelReader) -> None:
        state = reader.json("state")
        self.learned_ = lexicon_from_json(state["learned"])
        self.lexicon_ = lexicon_from_json(state["lexicon"])
        self.n_learned_ = int(state["n_learned"])

    def _base_lexicon(self) -> Lexicon:
        parts = [Lexicon.coerce(src) for src in self.lexicons]
        if not parts:
            return Lexicon(name="none")
        return parts[0].merge(*parts[1:]) if len(parts) > 1 else parts[0]

    @property
    def lexicon(self) -> Lexicon:
        """The terms kept whole: ``lexicon_`` once fitted, else the ``lexicons`` merged.

        Reading it loads the lexicon files but builds no backend.
        """
        fitted = getattr(self, "lexicon_", None)
        return fitted if fitted is not None else self._base_lexicon()

    @property
    def matcher(self) -> TermMatcher:
        """The compiled automaton that finds the :attr:`lexicon` terms in a text.

        Its matches are the ones that keep terms whole in :meth:`segment_text`,
        so spans found with it align with the tokens.
        """
        return self._engine().matcher

    def _config(self) -> dict[str, Any]:
        """A picklable description from which any process can rebuild the engine."""
        lexicon = self.lexicon
        dictionary = load_dictionary(self.dictionary) if self.dictionary is not None else None
        return {
            "backend": self.backend,
            "dictionary": dictionary,
            "hmm": self.hmm,
            "terms": dict(lexicon),
            "lexicon_name": lexicon.name,
            "stopwords": load_stopwords(self.stopwords) if self.mode == "analysis" else frozenset(),
            "mode": self.mode,
            "pos": self.pos,
            # A replacement word list also says which units its standard joins to
            # numbers (PKU: 2000年, 5 元; MSR: 20万元, 8个).
            "units": learn_units(w for w, _ in dictionary) if dictionary else None,
        }

    def _engine(self) -> Engine:
        key = self._engine_key()
        cache: tuple[tuple[Any, ...], Engine] | None = getattr(self, "_engine_cache", None)
        if cache is None or cache[0] != key:
            # Parameters may also have been assigned directly since set_params checked them.
            self._validate_params()
            cache = (key, build_engine(self._config()))
            self._engine_cache = cache
        return cache[1]

    def _engine_key(self) -> tuple[Any, ...]:
        # Rebuild when a parameter is changed after construction (set_params style).
        learned = getattr(self, "lexicon_", None)
        return (
            self.backend,
            repr(self.lexicons),
            repr(self.dictionary),
            repr(self.stopwords),
            self.hmm,
            self.pos,
            self.mode,
            learned.sha256() if learned is not None else None,
        )

    # ------------------------------------------------------------------ estimator API
    def fit(
        self,
        corpus: Corpus | Iterable[Document] | Iterable[str],
        *,
        terms: Any = None,
    ) -> Segmenter:
        """Learn the corpus's own terms: what it puts in quotation marks.

        A learned term comes out as one token afterwards, like a lexicon term.

        Parameters
        ----------
        corpus : Corpus, CorpusStream, or iterable of Document or str
        terms : TermDetector or iterable of str, optional
            More terms to keep whole: a fitted :class:`toolkit.terms.TermDetector`
            (every term of its ``terms_`` table, in every surface form seen) or
            a list of terms. Detection finds what nobody quoted.

        Returns
        -------
        Segmenter
            ``self``, with ``learned_``, ``lexicon_`` and ``n_learned_`` set.

        Examples
        --------
        >>> from toolkit.terms import TermDetector
        >>> texts = ["推行“一线工作法”。", "坚持一线工作法，推进共建共治共享。"]
        >>> seg = Segmenter().fit(texts, terms=TermDetector(progress=False).fit(texts))
        >>> seg.segment_text("坚持一线工作法")
        ['坚持', '一线工作法']
        """
        self._validate_params()
        if isinstance(corpus, str):
            raise TypeError("fit expects a corpus or a list of texts, not a single str")
        learned: dict[str, str] = {}
        for item in corpus:
            text = item.text if isinstance(item, Document) else item
            for term in quoted_terms(text):
                learned.setdefault(term, _LEARNED)
        for term in _detected_terms(terms):
            learned.setdefault(term, _LEARNED)
        base = self._base_lexicon()
        self.learned_ = Lexicon(learned, name="learned")
        self.lexicon_ = base.merge(self.learned_, name=f"{base.name}+learned")
        self.n_learned_ = len([t for t in learned if t not in base])
        return self

    # ------------------------------------------------------------------ segmenting
    def plain_cut(self) -> Callable[[str], list[str]]:
        """The backend's own cut, with no lexicon keeping terms whole.

        Term discovery compares a candidate with how the backend alone would
        split it; this is that split, for code outside the segmenter.
        """
        return self._engine().backend.cut

    def segment_text(self, text: str) -> list[str]:
        """Segment one text into a list of tokens."""
        return self._engine().tokens(require_text(text))

    def tag_text(self, text: str) -> list[tuple[str, str]]:
        """Segment one text into ``(token, part-of-speech)`` pairs."""
        return self._engine().tagged(require_text(text))

    def provenance(self) -> dict[str, Any]:
        """How tokens are made: backend and version, lexicon hash, mode, options."""
        engine = self._engine()
        lexicon = engine.matcher.lexicon
        return {
            "backend": engine.backend.name,
            "backend_version": engine.backend.version,
            "lexicon": lexicon.name,
            "lexicon_sha256": lexicon.sha256(),
            "lexicon_size": len(lexicon),
            "dictionary": None if self.dictionary is None else str(self.dictionary)[:200],
            "mode": self.mode,
            "hmm": self.hmm,
            "pos": self.pos,
        }

    def iter_segment(
        self, corpus: Corpus | Iterable[Document]
    ) -> Iterator[tuple[Document, list[str]]]:
        """Yield ``(document, tokens)`` one document at a time, for streams.

        Memory stays flat however large the corpus: nothing is collected.
        """
        if isinstance(corpus, str):
            raise TypeError("iter_segment expects documents, not a single str")
        engine = self._engine()
        corpus = _documents(corpus, "iter_segment")
        if self.n_jobs == 1:
            for doc in corpus:
                yield doc, engine.tokens(doc.text)
            return
        for batch in batched(corpus, self.batch_size * self.n_jobs * 4):
            texts = [d.text for d in batch]
            for doc, toks in zip(batch, self._parallel(texts, tagged=False), strict=True):
                yield doc, toks

    def segment(self, corpus: Corpus | Iterable[Document]) -> Tokens:
        """Segment every document of a corpus.

        Parameters
        ----------
        corpus : Corpus, CorpusStream, or iterable of Document

        Returns
        -------
        Tokens
            Aligned with the corpus's ``doc_id`` and docvars, with provenance.
        """
        if isinstance(corpus, str):
            raise TypeError(
                "segment expects a Corpus or documents, not a str; use segment_text for one text"
            )
        # One pass that keeps ids and docvars, never the texts: a stream of any
        # size is segmented as it is read (with n_jobs > 1 the texts are sent to
        # the workers, so they are held until segmented).
        doc_ids: list[str] = []
        metas: list[dict[str, Any]] | None = None if isinstance(corpus, Corpus) else []
        engine = self._engine()

        def texts() -> Iterator[str]:
            for doc in _documents(corpus, "segment"):
                doc_ids.append(doc.doc_id)
                if metas is not None:
                    metas.append(dict(doc.meta))
                yield doc.text

        results: list[Any]
        if self.n_jobs == 1:
            bar = tqdm(texts(), desc="segment", unit="doc", disable=not self.progress)
            with gc_paused():
                results = [engine.tagged(t) if self.pos else engine.tokens(t) for t in bar]
        else:
            results = self._parallel(list(texts()), tagged=self.pos, show=self.progress)
        docvars = (
            corpus.docvars
            if isinstance(corpus, Corpus)
            else pd.DataFrame.from_records(metas or [], index=pd.Index(doc_ids))
        )
        tags: list[list[str]] | None = None
        if self.pos:
            pairs = cast("list[list[tuple[str, str]]]", results)
            tokens = [[t for t, _ in doc] for doc in pairs]
            tags = [[g for _, g in doc] for doc in pairs]
        else:
            tokens = cast("list[list[str]]", results)
        return Tokens(
            tokens,
            doc_ids=doc_ids,
            docvars=docvars,
            provenance=self.provenance(),
            tags=tags,
            copy=False,
        )

    def _parallel(self, texts: list[str], *, tagged: bool, show: bool = False) -> list[Any]:
        batches = [texts[i : i + self.batch_size] for i in range(len(texts))[:: self.batch_size]]
        worker = work_tagged if tagged else work
        # Each worker builds its own engine from the config: compiled engines
        # do not cross a process boundary.
        with process_pool(self.n_jobs, state=self._config(), setup=build_engine) as pool:
            chunks = tqdm(
                pool.map(worker, batches),
                total=len(batches),
                desc="segment",
                unit="batch",
                disable=not show,
            )
            if tagged:
                return [toks for chunk in chunks for toks in chunk]
            return [unpack(toks) for chunk in chunks for toks in chunk]
