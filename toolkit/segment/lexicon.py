"""Term lexicons: the built-in policy lexicon, user lexicons, and fast matching.

A lexicon maps each term to a category (method, institution, campaign,
numbered, parallel, slogan, or a user label). Matching uses an Aho–Corasick
automaton, leftmost-longest and non-overlapping, so a lexicon term always
comes out as one token whatever the segmentation backend, including terms
with punctuation such as ``1+X`` that jieba's user dictionaries cannot hold.

A match must not break a word of the text: 强基 is not found in 加强基层, where
the dictionary reads 加强 and 基层 (:func:`splits_word`).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from toolkit._persist import register_param_type

__all__ = ["CATEGORIES", "Lexicon", "TermMatcher", "fold_ascii", "splits_word"]

#: Categories of the built-in lexicon; user lexicons may use any label.
CATEGORIES = ("method", "institution", "campaign", "numbered", "parallel", "slogan")

_FOLD = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_QUOTES = "“”‘’\"'「」『』"
# Characters of context on each side of a match given to the dictionary: enough
# for the neighbouring word (most are two to four characters long).
_WINDOW = 4
# Above this many patterns a DFA would take gigabytes to build.
_DFA_PATTERNS = 20_000


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
        for label, value in (("category", category), ("name", name)):
            if not isinstance(value, str):
                raise TypeError(f"{label} must be a str (got {value!r})")
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

    def matcher(self, *, dfa: bool | None = None, whole_words: bool = True) -> TermMatcher:
        """A compiled automaton for finding these terms in text (see :class:`TermMatcher`)."""
        return TermMatcher(self, dfa=dfa, whole_words=whole_words)


def lexicon_to_json(lexicon: Lexicon) -> dict[str, Any]:
    """A lexicon as JSON for a model file: ``{"name": ..., "terms": {term: category}}``."""
    return {"name": lexicon.name, "terms": dict(lexicon._terms)}


def lexicon_from_json(data: Mapping[str, Any]) -> Lexicon:
    """The inverse of :func:`lexicon_to_json`."""
    return Lexicon(data["terms"], name=data["name"])


# A Lexicon given as a parameter (lexicons=[Lexicon(...)]) is written as its terms.
register_param_type("lexicon", Lexicon, lexicon_to_json, lexicon_from_json)


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

    Parameters
    ----------
    lexicon : Lexicon
    dfa : bool, optional
        Compile a DFA (fastest search) rather than an NFA (less memory).
        Default: a DFA up to 20,000 patterns, whose memory stays under a few
        hundred MB; an NFA above, where a DFA would take gigabytes.
    whole_words : bool
        Reject a match whose edge would split a word of the text with its
        neighbouring character, as jieba's dictionary segments the text there
        (:func:`splits_word`): with 强基 listed, 加强基层 stays 加强 + 基层, and
        the search goes on from the next character, so 基层党建 is still found
        in 加强基层党建. A term the dictionary does not contradict (河长制 in
        全面推行河长制, 三农 in 抓好三农工作) is found as before.
    """

    def __init__(
        self, lexicon: Lexicon, *, dfa: bool | None = None, whole_words: bool = True
    ) -> None:
        import ahocorasick_rs

        self.lexicon = lexicon
        self.whole_words = whole_words
        # Each term's ASCII case variants are patterns too, which spares folding
        # every text we search. ``_edge`` flags patterns with an ASCII letter or
        # digit at an edge: only those need the run check (most terms are Chinese).
        patterns = sorted({v for term in lexicon for v in _case_variants(term)})
        if dfa is None:
            dfa = len(patterns) <= _DFA_PATTERNS
        self._edge = [_ascii_alnum(p, 0) or _ascii_alnum(p, len(p) - 1) for p in patterns]
        self._longest = max(map(len, patterns), default=0)
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
        out: list[tuple[int, int]] = []
        self._scan(text, 0, len(text), None, out)
        return out

    def _scan(
        self, text: str, lo: int, hi: int, limit: int | None, out: list[tuple[int, int]]
    ) -> int:
        """Append the accepted matches in ``text[lo:hi]`` that start before ``limit``.

        Returns the end of the last match appended, or ``limit`` if later. A
        match rejected for splitting a word hid the matches that overlap it
        (leftmost-longest reports none of them): they are searched again from
        the character after its start, in a window no longer than they can
        reach, so a rejection costs a few characters of search, not a rescan.
        """
        edge = self._edge
        automaton = self._automaton
        assert automaton is not None  # find() returns before scanning an empty lexicon
        pos = lo
        while True:
            floor = pos
            restart = None
            for index, a, b in automaton.find_matches_as_indexes(text[pos:hi]):
                start, end = a + pos, b + pos
                if limit is not None and start >= limit:
                    return max(floor, limit)
                if start < floor:
                    if end > floor:
                        # The search went past a match found again after a
                        # rejection; it must resume where that match ends.
                        restart = floor
                        break
                    continue
                if edge[index] and (
                    (_ascii_alnum(text, start - 1) and _ascii_alnum(text, start))
                    or (_ascii_alnum(text, end - 1) and _ascii_alnum(text, end))
                ):
                    continue
                if self.whole_words and splits_word(text, start, end):
                    stop = min(hi, end + self._longest - 1)
                    floor = self._scan(text, start + 1, stop, end, out)
                    continue
                out.append((start, end))
                floor = end
            if restart is None:
                return floor if limit is None else max(floor, limit)
            pos = restart


def splits_word(text: str, start: int, end: int) -> bool:
    """Whether taking ``text[start:end]`` as one token would split a word of the text.

    The evidence is jieba's general dictionary (through ``rjieba``, read-only,
    without the HMM's guesses): the text around the span is segmented by the
    dictionary alone, and the span splits a word if a dictionary word crosses
    one of its edges without beginning or ending with the span (村两委 holds
    两委 whole; 第十一个五年 cuts 十一 out of a word) and the neighbour's side,
    read alone, ends (or starts) with a lone character at that edge (健 of
    健全; not 企业 of 企业主, which stays a word beside 主辅分离). Only an edge
    between two Han characters can split a word.

    Examples
    --------
    >>> splits_word("加强基层", 1, 3)  # 加强 + 基层
    True
    >>> splits_word("全面推行河长制", 4, 7)
    False
    """
    # Only a dictionary word holding the two characters beside an edge can
    # cross it: most edges are settled by this lookup, without segmenting.
    pairs = _word_pairs()
    left_open = start > 0 and _is_han(text[start - 1]) and text[start - 1 : start + 1] in pairs
    right_open = end < len(text) and _is_han(text[end]) and text[end - 1 : end + 1] in pairs
    if not (left_open or right_open):
        return False
    left = text[max(0, start - _WINDOW) : start] if left_open else ""
    right = text[end : end + _WINDOW] if right_open else ""
    return _crosses(left, text[start:end], right)


# Two adjacent characters of _is_han's ranges, found overlapping.
_HAN_PAIR = re.compile("(?=([\u3400-\u9fff\uf900-\ufaff]{2}))")


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=1)
def _word_pairs() -> frozenset[str]:
    """Every two adjacent Han characters inside a word of jieba's general dictionary."""
    from toolkit.segment.backends import jieba_dictionary_text

    # Only the word of a ``word freq tag`` line has Han characters, so the pairs
    # of the whole text are the pairs inside words: one overlapping search finds
    # them in a quarter of the time a parse and a loop over each word take, and
    # every process that segments pays for this once (each Dask worker too).
    return frozenset(_HAN_PAIR.findall(jieba_dictionary_text()))


@lru_cache(maxsize=1 << 16)
def _crosses(left: str, span: str, right: str) -> bool:
    import rjieba  # jieba's dictionary, read-only: jieba's global state is never touched

    start, end = len(left), len(left) + len(span)
    position = 0
    for token in rjieba.cut(left + span + right, False):
        after = position + len(token)
        # A word that begins or ends with the span is the term with an affix
        # (村两委 is 两委 at the village level): the span is a part of it, not
        # a piece cut across two words as 强基 is across 加强 and 基层. And a word
        # the span takes a character from splits only if what is left of the
        # neighbour is a lone character: 企业主辅分离 reads 企业 + 主辅分离 and
        # 招拍挂出让 reads 招拍挂 + 出让, but 健全覆盖 would leave 健 alone.
        if (
            left
            and position < start < after
            and after != end
            and len(rjieba.cut(left, False)[-1]) == 1
        ) or (
            right
            and position < end < after
            and position != start
            and len(rjieba.cut(right, False)[0]) == 1
        ):
            return True
        position = after
    return False


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
