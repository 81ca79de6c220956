"""Segmentation backends, chosen by name from a small registry.

A backend segments runs of Chinese text; everything else (lexicon terms,
numbers, Latin, punctuation) is tokenized by the toolkit before it. Each
backend owns its dictionary: we never touch jieba's global one.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from toolkit._validation import check_choice

__all__ = [
    "BACKENDS",
    "Backend",
    "CharBackend",
    "JiebaBackend",
    "PkusegBackend",
    "RustJiebaBackend",
    "jieba_dictionary_text",
    "jieba_frequencies",
    "load_dictionary",
    "make_backend",
]


class Backend(Protocol):
    """What the Segmenter needs from a backend."""

    name: str

    def cut(self, text: str) -> list[str]:
        """Segment a run of Chinese text."""

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Segment and tag with parts of speech."""

    @property
    def version(self) -> str:
        """The backend's package version, for provenance."""


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def jieba_dictionary_text() -> str:
    """The text of jieba's general dictionary: ``word freq tag`` lines."""
    import jieba

    with jieba.get_dict_file() as fh:  # jieba opens it in binary mode
        return fh.read().decode("utf-8")


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's general dictionary (``word freq tag`` lines): frequencies and tags."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    for line in jieba_dictionary_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            freq[parts[0]] = int(parts[1])
        if len(parts) >= 3:
            tags[parts[0]] = parts[2]
    return freq, tags


def jieba_frequencies() -> dict[str, int]:
    """Word frequencies from the dictionary that ships with jieba (general Chinese)."""
    return _jieba_dictionary()[0]


def jieba_tags() -> dict[str, str]:
    """Part-of-speech tags (jieba's ICTCLAS-style set) from jieba's general dictionary."""
    return _jieba_dictionary()[1]


def load_dictionary(
    source: str | Path | Iterable[str], *, unknown_freq: str | int = "jieba"
) -> list[tuple[str, int]]:
    """Read a word list into ``(word, frequency)`` pairs for a replacement dictionary.

    Parameters
    ----------
    source : path or iterable of str
        A file with one word per line (``word [freq [tag]]``, jieba's format,
        also accepted), or the words themselves.
    unknown_freq : {'jieba'} or int
        Frequency for words given without one. ``'jieba'`` borrows the word's
        count from jieba's general dictionary, damped to ``round(sqrt(count + 1))``
        (so a word jieba does not know gets 1); an int is used as is. A
        frequency written in the file is always used as is.

    Notes
    -----
    Why damp the borrowed counts: they come from another corpus segmented by
    another standard, and at full strength (a range of 1 to 880,000) they
    override the user's word list, preferring jieba's frequent words to the
    list's own longer or rarer ones. The square root keeps jieba's ordering
    but halves its range on the log scale that jieba's path search uses;
    with the SIGHAN 2005 training word lists as dictionaries this raises word
    F1 from 0.924 to 0.926 on PKU and from 0.930 to 0.939 on MSR (see
    ``benchmarks/segmentation.py``). Equal counts for every word do worse
    (PKU 0.913): the counts do carry information.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"dictionary file not found: {str(path)!r}")
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    else:
        lines = list(source)
    if isinstance(unknown_freq, str):
        check_choice("unknown_freq", unknown_freq, ("jieba",))
    general = jieba_frequencies() if unknown_freq == "jieba" else {}
    pairs: dict[str, int] = {}
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        word = parts[0]
        if len(parts) >= 2 and parts[1].isdigit():
            freq = int(parts[1])
        elif unknown_freq == "jieba":
            freq = round(math.sqrt(general.get(word, 0) + 1))
        else:
            freq = int(unknown_freq)
        pairs[word] = max(freq, 1)
    if not pairs:
        raise ValueError("dictionary is empty: give at least one word")
    return list(pairs.items())


def _dictionary_file(dictionary: list[tuple[str, int]]) -> str:
    """Write a dictionary where jieba can read it, named by its content.

    jieba.Tokenizer only reads dictionaries from files; naming the file by its
    hash lets workers and later runs reuse it (and jieba's own cache of it).
    """
    body = "".join(f"{w} {f}\n" for w, f in dictionary)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"tifa-dict-{digest}.txt"
    if not path.is_file():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, path)
    return str(path)


class JiebaBackend:
    """jieba (the reference), through its own ``jieba.Tokenizer`` instance."""

    name = "jieba"

    def __init__(self, *, dictionary: list[tuple[str, int]] | None = None, hmm: bool = True):
        import jieba

        self.hmm = hmm
        self._dict_file: str | None = None
        if dictionary is None:
            self._tokenizer = jieba.Tokenizer()
        else:
            self._dict_file = _dictionary_file(dictionary)
            self._tokenizer = jieba.Tokenizer(dictionary=self._dict_file)
        self._posseg: Any = None  # jieba.posseg.POSTokenizer, built on first tag()

    def _ready(self) -> None:
        if not self._tokenizer.initialized:
            # jieba logs its cache building at DEBUG to stderr; keep that quiet
            # without touching jieba's global logger level.
            import logging

            log = logging.getLogger("jieba")
            old = log.disabled
            log.disabled = True
            try:
                self._tokenizer.initialize()
            finally:
                log.disabled = old

    def cut(self, text: str) -> list[str]:
        self._ready()
        return self._tokenizer.lcut(text, HMM=self.hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        self._ready()
        if self._posseg is None:
            from jieba import posseg

            self._posseg = posseg.POSTokenizer(self._tokenizer)
        return [(p.word, p.flag) for p in self._posseg.lcut(text, HMM=self.hmm)]

    @property
    def version(self) -> str:
        return _package_version("jieba")


class RustJiebaBackend:
    """jieba-rs (the ``rjieba`` package): jieba's algorithm and dictionary, compiled."""

    name = "jieba-rs"

    def __init__(self, *, dictionary: list[tuple[str, int]] | None = None, hmm: bool = True):
        try:
            import rjieba
        except ImportError as exc:  # pragma: no cover - rjieba is a core dependency
            raise ImportError(
                "backend 'jieba-rs' needs the rjieba package: pip install rjieba"
            ) from exc
        self.hmm = hmm
        if dictionary is None:
            self._jieba = rjieba.Jieba()
        else:
            self._jieba = rjieba.Jieba.empty()
            for word, freq in dictionary:
                self._jieba.add_word(word, freq, None)
        # Bound once: this is called for every run of Chinese text.
        self.cut: Callable[[str], list[str]] = functools.partial(self._jieba.cut, hmm=hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self._jieba.tag(text, hmm=self.hmm)

    @property
    def version(self) -> str:
        return _package_version("rjieba")


class CharBackend:
    """One token per character: the baseline."""

    name = "char"

    def __init__(self, *, dictionary: list[tuple[str, int]] | None = None, hmm: bool = True):
        self.hmm = hmm

    def cut(self, text: str) -> list[str]:
        return list(text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return [(c, "x") for c in text]

    @property
    def version(self) -> str:
        return _package_version("tifa-toolkit")


class PkusegBackend:
    """pkuseg (``spacy-pkuseg``), optional: it needs its package and a model."""

    name = "pkuseg"

    def __init__(self, *, dictionary: list[tuple[str, int]] | None = None, hmm: bool = True):
        try:
            import spacy_pkuseg
        except ImportError as exc:
            raise ImportError(
                "backend 'pkuseg' is optional and not installed: pip install spacy-pkuseg "
                "(its model is downloaded on first use)"
            ) from exc
        words = [w for w, _ in dictionary] if dictionary else None
        self._seg = spacy_pkuseg.pkuseg(user_dict=words or "default")

    def cut(self, text: str) -> list[str]:
        return self._seg.cut(text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return [(w, "x") for w in self._seg.cut(text)]

    @property
    def version(self) -> str:
        return _package_version("spacy-pkuseg")


#: The segmentation backends by name; ``Segmenter(backend=...)`` takes one of these.
BACKENDS: dict[str, Callable[..., Backend]] = {
    "jieba-rs": RustJiebaBackend,
    "jieba": JiebaBackend,
    "char": CharBackend,
    "pkuseg": PkusegBackend,
}


def make_backend(
    name: str, *, dictionary: list[tuple[str, int]] | None = None, hmm: bool = True
) -> Backend:
    """Instantiate the backend registered as ``name``."""
    check_choice("backend", name, BACKENDS)
    return BACKENDS[name](dictionary=dictionary, hmm=hmm)
