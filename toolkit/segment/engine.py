"""The run-time side of the Segmenter: the compiled engine and the worker plumbing.

A :class:`~toolkit.segment.Segmenter` holds its parameters and what it learned;
segmenting needs compiled objects as well (the backend's dictionary, the term
automaton), which do not pickle. They live here, in an :class:`Engine` built
from a small picklable recipe (:func:`build_engine`), so each worker process
and each unpickled Segmenter builds its own.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from toolkit._parallel import worker_state
from toolkit.segment.backends import Backend, jieba_frequencies, make_backend
from toolkit.segment.lexicon import Lexicon, TermMatcher
from toolkit.segment.pretokenize import (
    PROTECTED_SPLIT,
    TERM_MASK,
    protected_split,
    protected_tag,
)

__all__ = ["Engine", "build_engine", "gc_paused", "unpack", "work", "work_tagged"]


def _is_punct_or_space(token: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZC" for c in token)


@dataclass
class Engine:
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
        """Segment ``text``: lexicon terms whole, protected pieces, then the backend."""
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
        """Segment ``text`` into ``(token, tag)`` pairs; lexicon terms are ``tifa:<category>``."""
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


def build_engine(config: dict[str, Any]) -> Engine:
    """Build the engine from the recipe ``Segmenter`` writes (its ``_config()``)."""
    hmm = config["hmm"]
    # The backend knows only on and off; 'guarded' is the HMM on, then pruned here.
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
    return Engine(
        backend,
        lexicon.matcher(),
        config["stopwords"],
        config["mode"],
        config["pos"],
        guard,
        protected_split(config["units"]),
    )


# Tokens go back to the parent as one string per text: pickling millions of
# short strings costs more than segmenting them. A text that holds the
# separator itself goes back as a list.
_SEP = "\x00"


def work(batch: list[str]) -> list[str | list[str]]:
    """Segment a batch in a worker; the result is packed for the trip back (see :func:`unpack`)."""
    engine: Engine = worker_state()
    out: list[str | list[str]] = []
    for text in batch:
        tokens = engine.tokens(text)
        out.append(tokens if _SEP in text or not tokens else _SEP.join(tokens))
    return out


def unpack(item: str | list[str]) -> list[str]:
    """The token list of one text as :func:`work` sent it."""
    return item if isinstance(item, list) else item.split(_SEP)


def work_tagged(batch: list[str]) -> list[list[tuple[str, str]]]:
    """Segment and tag a batch in a worker."""
    engine: Engine = worker_state()
    return [engine.tagged(text) for text in batch]


@contextmanager
def gc_paused() -> Iterator[None]:
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
