"""Term lexicons: the built-in policy lexicon, user lexicons, and fast matching.

A lexicon maps each term to a category (method, institution, campaign,
numbered, parallel, slogan, or a user label). Matching uses an Aho–Corasick
automaton, leftmost-longest and non-overlapping, so a lexicon term always
comes out as one token whatever the segmentation backend, including terms
with punctuation such as ``1+X`` that jieba's user dictionaries cannot hold.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = ["CATEGORIES", "Lexicon", "TermMatcher", "fold_ascii"]

#: Categories of the built-in lexicon; user lexicons may use any label.
CATEGORIES = ("method", "institution", "campaign", "numbered", "parallel", "slogan")

_FOLD = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_QUOTES = "“”‘’\"'「」『』"


def fold_ascii(text: str) -> str:
    """Lower-case ASCII letters only, so offsets in the folded text match the original."""
    return text.translate(_FOLD)


def _clean_term(term: str) -> str:
    # Quote marks around a term ("“1+N”") are how it is written, not part of it.
    return term.strip().strip(_QUOTES).strip()


class Lexicon(Mapping[str, str]):
    """An immutable mapping from term to category.

    Parameters
    ----------
    terms : mapping of str to str, or iterable of str
        Terms with their categories; a plain iterable gets ``category``.
    category : str
        Category for terms given without one.
    name : str
        Where the lexicon came from, for provenance (``"builtin"``, a file path …).

    Examples
    --------
    >>> lex = Lexicon(["1+x", "“两委”"], category="user")
    >>> sorted(lex)
    ['1+x', '两委']
    """

    def __init__(
        self,
        terms: Mapping[str, str] | Iterable[str] = (),
        *,
        category: str = "user",
        name: str = "custom",
    ) -> None:
        items = terms.items() if isinstance(terms, Mapping) else ((t, category) for t in terms)
        table: dict[str, str] = {}
        for raw, cat in items:
            if not isinstance(raw, str):
                raise TypeError(f"lexicon terms must be str (got {type(raw).__name__}: {raw!r})")
            term = _clean_term(raw)
            if term:
                table.setdefault(term, cat)
        self._terms = table
        self.name = name

    # Mapping interface
    def __getitem__(self, term: str) -> str:
        return self._terms[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __repr__(self) -> str:
        return f"Lexicon({len(self)} terms, name={self.name!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Lexicon, (dict(self._terms),), {"name": self.name})

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name = state["name"]

    # Constructors
    @classmethod
    def builtin(cls) -> Lexicon:
        """The policy lexicon written by the project (``toolkit/data/policy_lexicon.tsv``)."""
        return _builtin()

    @classmethod
    def from_file(cls, path: str | Path, *, category: str = "user") -> Lexicon:
        """Read a lexicon file.

        Two formats: a text file with one term per line (``#`` starts a comment;
        an optional tab-separated second column is the category), or a TSV whose
        header row starts with ``term`` and may have a ``category`` column.
        """
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"lexicon file not found: {str(p)!r}")
        with p.open(encoding="utf-8-sig", newline="") as fh:
            lines = fh.read().splitlines()
        table: dict[str, str] = {}
        start = 0
        col = 1
        if lines and lines[0].split("\t")[0].strip().lower() == "term":
            header = [h.strip().lower() for h in lines[0].split("\t")]
            col = header.index("category") if "category" in header else -1
            start = 1
        for lineno, line in enumerate(lines[start:], start=start + 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = next(csv.reader([line], delimiter="\t"))
            term = _clean_term(fields[0])
            if not term:
                raise ValueError(f"{p}:line {lineno}: empty term; remove the line or fill it")
            cat = fields[col].strip() if 0 < col < len(fields) and fields[col].strip() else category
            table.setdefault(term, cat)
        return cls(table, name=str(p))

    @classmethod
    def coerce(cls, source: Lexicon | str | Path | Mapping[str, str] | Iterable[str]) -> Lexicon:
        """Turn ``"builtin"``, a file path, a term list or dict, or a Lexicon into a Lexicon."""
        if isinstance(source, Lexicon):
            return source
        if isinstance(source, str) and source == "builtin":
            return cls.builtin()
        if isinstance(source, (str, Path)):
            return cls.from_file(source)
        if isinstance(source, Mapping):
            return cls(source, name="mapping")
        return cls(list(source), name="list")

    # Combining and hashing
    def merge(self, *others: Lexicon, name: str | None = None) -> Lexicon:
        """A new lexicon with every term; the first category given for a term wins."""
        table = dict(self._terms)
        for other in others:
            for term, cat in other.items():
                table.setdefault(term, cat)
        names = [self.name, *(o.name for o in others)]
        return Lexicon(table, name=name or "+".join(names))

    def sha256(self) -> str:
        """Content hash of the sorted ``term<TAB>category`` lines: the lexicon's identity."""
        h = hashlib.sha256()
        for term in sorted(self._terms):
            h.update(f"{term}\t{self._terms[term]}\n".encode())
        return h.hexdigest()

    def matcher(self, *, dfa: bool = True) -> TermMatcher:
        """A compiled automaton for finding these terms in text (see :class:`TermMatcher`)."""
        return TermMatcher(self, dfa=dfa)


@lru_cache(maxsize=1)
def _builtin() -> Lexicon:
    path = files("toolkit") / "data" / "policy_lexicon.tsv"
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for row in reader:
            table[row["term"]] = row["category"]
    return Lexicon(table, name="builtin")


class TermMatcher:
    """Leftmost-longest, non-overlapping matching of lexicon terms.

    Matching ignores ASCII case (``1+X`` finds ``1+x``). A match whose edge is
    an ASCII letter or digit must not continue a longer ASCII run, so ``1+X``
    is not found inside ``21+X`` and ``APP`` not inside ``APPLE``.
    """

    def __init__(self, lexicon: Lexicon, *, dfa: bool = True) -> None:
        import ahocorasick_rs

        self.lexicon = lexicon
        # Each term's ASCII case variants are patterns too, which spares folding
        # every text we search. ``_edge`` flags patterns with an ASCII letter or
        # digit at an edge: only those need the run check (most terms are Chinese).
        patterns = sorted({v for term in lexicon for v in _case_variants(term)})
        self._edge = [_ascii_alnum(p, 0) or _ascii_alnum(p, len(p) - 1) for p in patterns]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                patterns,
                matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                # A DFA costs more memory to build and searches fastest: texts
                # are searched far more often than lexicons are compiled. Its
                # memory grows steeply with the number of patterns, so very
                # large vocabularies (a detector's, tens of thousands) use an NFA.
                implementation=ahocorasick_rs.Implementation.DFA
                if dfa
                else ahocorasick_rs.Implementation.ContiguousNFA,
            )
            if patterns
            else None
        )

    def find(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` offsets of term occurrences in ``text``."""
        if self._automaton is None:
            return []
        edge = self._edge
        return [
            (start, end)
            for index, start, end in self._automaton.find_matches_as_indexes(text)
            if not edge[index]
            or not (
                (_ascii_alnum(text, start - 1) and _ascii_alnum(text, start))
                or (_ascii_alnum(text, end - 1) and _ascii_alnum(text, end))
            )
        ]


def _case_variants(term: str, limit: int = 6) -> list[str]:
    """Every upper/lower spelling of the ASCII letters in ``term`` (up to ``limit`` letters)."""
    letters = [i for i, c in enumerate(term) if c.isascii() and c.isalpha()]
    if not letters:
        return [term]
    if len(letters) > limit:
        return list(dict.fromkeys([term, term.lower(), term.upper()]))
    variants = []
    for mask in range(2 ** len(letters)):
        chars = list(term)
        for bit, i in enumerate(letters):
            chars[i] = chars[i].upper() if mask >> bit & 1 else chars[i].lower()
        variants.append("".join(chars))
    return variants


def _ascii_alnum(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()
