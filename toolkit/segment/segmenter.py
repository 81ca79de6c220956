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

import gc
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from toolkit._parallel import process_pool, worker_state
from toolkit._validation import check_choice, check_positive_int
from toolkit.corpus import Corpus, Document
from toolkit.corpus.io import batched
from toolkit.segment.backends import (
    BACKENDS,
    Backend,
    jieba_frequencies,
    load_dictionary,
    make_backend,
)
from toolkit.segment.lexicon import Lexicon, TermMatcher
from toolkit.segment.pretokenize import (
    PROTECTED_SPLIT,
    TERM_MASK,
    learn_units,
    protected_split,
    protected_tag,
)
from toolkit.segment.quoted import quoted_terms
from toolkit.segment.stopwords import STOPWORD_LISTS, load_stopwords
from toolkit.segment.tokens import Tokens

__all__ = ["MODES", "Segmenter"]

MODES = ("raw", "analysis")
_LEARNED = "learned"


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


def _is_punct_or_space(token: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZC" for c in token)


@dataclass
class _Engine:
    """What segmenting needs at run time; rebuilt in each worker process."""

    backend: Backend
    matcher: TermMatcher
    stopwords: frozenset[str]
    mode: str
    pos: bool
    # (dictionary words, single-character words) when the HMM is guarded.
    guard: tuple[frozenset[str], frozenset[str]] | None = None
    # Splits off protected pieces; a word list may change which units join numbers.
    split: Callable[[str], list[str]] = PROTECTED_SPLIT

    @property
    def joinable(self) -> bool:
        # Only backends known to split on newlines may take joined pieces.
        return self.backend.name in ("jieba-rs", "jieba", "char")

    def tokens(self, text: str) -> list[str]:
        # Alternating [free, fixed, free, fixed, ..., free]: fixed items are lexicon
        # terms and protected pieces (numbers, Latin, whitespace, symbols).
        spans = self.matcher.find(text)
        if spans and TERM_MASK not in text:
            # Each term becomes one placeholder character that the splitter keeps
            # as a protected piece: one split call per text instead of one per gap.
            pieces, pos = [], 0
            for start, end in spans:
                pieces.append(text[pos:start])
                pos = end
            pieces.append(text[pos:])
            parts = self.split(TERM_MASK.join(pieces))
            fixed = parts[1::2]
            terms = iter([text[start:end] for start, end in spans])
            fixed = [next(terms) if tok == TERM_MASK else tok for tok in fixed]
        else:
            parts = []
            pos = 0
            for start, end in spans:
                # A text that already holds the placeholder takes the slow path.
                parts.extend(self.split(text[pos:start]) if start > pos else [""])
                parts.append(text[start:end])
                pos = end
            parts.extend(self.split(text[pos:]))
            fixed = parts[1::2]
        free = parts[0::2]
        if self.joinable:
            out = self._cut_joined(free, fixed)
        else:
            out = []
            for piece, token in zip(free, [*fixed, None], strict=True):
                if piece:
                    out.extend(self.backend.cut(piece))
                if token is not None:
                    out.append(token)
        if self.mode == "analysis":
            out = [t for t in out if not _is_punct_or_space(t) and t not in self.stopwords]
        return out

    def _cut_joined(self, free: list[str], fixed: list[str]) -> list[str]:
        """One backend call for all free pieces, joined by newlines.

        jieba and jieba-rs never join across whitespace and return each newline
        as its own token; free pieces hold no whitespace (it is protected), so
        every newline in the output marks a boundary between pieces. One call
        instead of hundreds per document is most of the toolkit's speed.
        """
        cut = self.backend.cut("\n".join(free))
        if self.guard is not None:
            cut = self._unguess(cut)
        out: list[str] = []
        start = 0
        index = cut.index
        for token in fixed:
            stop = index("\n", start)
            out += cut[start:stop]
            out.append(token)
            start = stop + 1
        out += cut[start:]
        return out

    def _unguess(self, tokens: list[str]) -> list[str]:
        """Undo HMM words made only of characters the dictionary knows as words.

        jieba's HMM exists for unknown words (names, new coinages). When every
        character of a guessed word is already a dictionary word on its own,
        the guess mostly glues numerals to measure words (一年, 三个) or a
        verb to its object; splitting it back is what the dictionary alone says.
        """
        words, single = self.guard  # type: ignore[misc]
        out: list[str] = []
        for tok in tokens:
            if len(tok) > 1 and tok not in words and all(c in single for c in tok):
                out.extend(tok)
            else:
                out.append(tok)
        return out

    def tagged(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        pos = 0
        lexicon = self.matcher.lexicon
        for start, end in self.matcher.find(text):
            if start > pos:
                self._tag_gap(text[pos:start], out)
            term = text[start:end]
            out.append((term, f"tifa:{lexicon.get(term, lexicon.get(term.lower(), 'term'))}"))
            pos = end
        if pos < len(text):
            self._tag_gap(text[pos:], out)
        if self.mode == "analysis":
            out = [(t, g) for t, g in out if not _is_punct_or_space(t) and t not in self.stopwords]
        return out

    def _tag_gap(self, gap: str, out: list[tuple[str, str]]) -> None:
        for i, piece in enumerate(self.split(gap)):
            if i & 1:
                out.append((piece, protected_tag(piece)))
            elif piece:
                out.extend(self.backend.tag(piece))


# Tokens go back to the parent as one string per text: pickling millions of
# short strings costs more than segmenting them. A text that holds the
# separator itself goes back as a list.
_SEP = "\x00"


def _work(batch: list[str]) -> list[str | list[str]]:
    engine: _Engine = worker_state()
    out: list[str | list[str]] = []
    for text in batch:
        tokens = engine.tokens(text)
        out.append(tokens if _SEP in text or not tokens else _SEP.join(tokens))
    return out


def _unpack(item: str | list[str]) -> list[str]:
    return item if isinstance(item, list) else item.split(_SEP)


def _work_tagged(batch: list[str]) -> list[list[tuple[str, str]]]:
    engine: _Engine = worker_state()
    return [engine.tagged(text) for text in batch]


class Segmenter:
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

    # ------------------------------------------------------------------ configuration
    def _validate(self) -> None:
        check_choice("backend", self.backend, BACKENDS)
        check_choice("mode", self.mode, MODES)
        check_choice("hmm", self.hmm, (True, False, "guarded"))
        check_choice("pos", self.pos, (True, False))
        check_positive_int("n_jobs", self.n_jobs)
        check_positive_int("batch_size", self.batch_size)
        if isinstance(self.lexicons, (str, Path, Lexicon)):
            raise TypeError(
                f"lexicons must be a sequence of lexicons, e.g. ['builtin', 'terms.txt'] "
                f"(got a single {type(self.lexicons).__name__}: {self.lexicons!r})"
            )

    def _base_lexicon(self) -> Lexicon:
        parts = [Lexicon.coerce(src) for src in self.lexicons]
        if not parts:
            return Lexicon(name="none")
        return parts[0].merge(*parts[1:]) if len(parts) > 1 else parts[0]

    def _config(self) -> dict[str, Any]:
        """A picklable description from which any process can rebuild the engine."""
        lexicon = getattr(self, "lexicon_", None) or self._base_lexicon()
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

    @staticmethod
    def _engine_from_config(config: dict[str, Any]) -> _Engine:
        hmm = config["hmm"]
        backend = make_backend(config["backend"], dictionary=config["dictionary"], hmm=bool(hmm))
        lexicon = Lexicon(config["terms"], name=config["lexicon_name"])
        guard = None
        if hmm == "guarded":
            words = (
                frozenset(w for w, _ in config["dictionary"])
                if config["dictionary"] is not None
                else frozenset(jieba_frequencies())
            )
            guard = (words, frozenset(w for w in words if len(w) == 1))
        return _Engine(
            backend,
            lexicon.matcher(),
            config["stopwords"],
            config["mode"],
            config["pos"],
            guard,
            protected_split(config["units"]),
        )

    def _engine(self) -> _Engine:
        key = self._engine_key()
        if getattr(self, "_engine_cache", None) is None or self._engine_cache[0] != key:
            self._validate()
            self._engine_cache = (key, self._engine_from_config(self._config()))
        return self._engine_cache[1]

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
    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, as scikit-learn estimators report them."""
        names = (
            "backend", "lexicons", "dictionary", "stopwords", "hmm", "pos", "mode",
            "n_jobs", "batch_size", "progress",
        )  # fmt: skip
        return {name: getattr(self, name) for name in names}

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
        self._validate()
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
        if not isinstance(text, str):
            raise TypeError(f"text must be a str (got {type(text).__name__})")
        return self._engine().tokens(text)

    def tag_text(self, text: str) -> list[tuple[str, str]]:
        """Segment one text into ``(token, part-of-speech)`` pairs."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str (got {type(text).__name__})")
        return self._engine().tagged(text)

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
        docs = list(corpus)
        for i, doc in enumerate(docs):
            if not isinstance(doc, Document):
                raise TypeError(
                    f"segment expects Documents; item {i} is a {type(doc).__name__}. "
                    "Wrap texts with toolkit.Corpus.from_records or use segment_text"
                )
        engine = self._engine()
        texts = [d.text for d in docs]
        if self.n_jobs == 1:
            bar = tqdm(texts, desc="segment", unit="doc", disable=not self.progress)
            with _gc_paused():
                results = [engine.tagged(t) if self.pos else engine.tokens(t) for t in bar]
        else:
            results = self._parallel(texts, tagged=self.pos, show=self.progress)
        docvars = (
            corpus.docvars
            if isinstance(corpus, Corpus)
            else pd.DataFrame.from_records(
                [dict(d.meta) for d in docs], index=pd.Index([d.doc_id for d in docs])
            )
        )
        if self.pos:
            tokens = [[t for t, _ in doc] for doc in results]
            tags = [[g for _, g in doc] for doc in results]
        else:
            tokens, tags = results, None
        return Tokens(
            tokens,
            doc_ids=[d.doc_id for d in docs],
            docvars=docvars,
            provenance=self.provenance(),
            tags=tags,
            copy=False,
        )

    def _parallel(self, texts: list[str], *, tagged: bool, show: bool = False) -> list[Any]:
        batches = [texts[i : i + self.batch_size] for i in range(len(texts))[:: self.batch_size]]
        worker = _work_tagged if tagged else _work
        # Each worker builds its own engine from the config: compiled engines
        # do not cross a process boundary.
        with process_pool(
            self.n_jobs, state=self._config(), setup=Segmenter._engine_from_config
        ) as pool:
            chunks = tqdm(
                pool.map(worker, batches),
                total=len(batches),
                desc="segment",
                unit="batch",
                disable=not show,
            )
            if tagged:
                return [toks for chunk in chunks for toks in chunk]
            return [_unpack(toks) for chunk in chunks for toks in chunk]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while token lists are built.

    Token lists hold only strings, so they form no cycles; but each of the
    millions of allocations counts toward a collection, and a collection in a
    session that holds many objects (a notebook) rescans all of them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
