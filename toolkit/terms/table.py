"""The corpus term table: one row per canonical term, where and when it is used.

This is the diffusion table researchers read: a term's kind, how often and in
how many documents it occurs, which towns, counties or provinces use it, and
its first and last date. :class:`TermTable` accumulates it one document at a
time from a detector's ranked rows, so a corpus streams through.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from itertools import accumulate
from typing import Any

import pandas as pd

from toolkit.segment.lexicon import splits_word
from toolkit.terms.canonical import QUOTES, canonical_key, strip_quotes
from toolkit.terms.scoring import _headings
from toolkit.terms.sources import is_numbered, is_parallel

__all__ = [
    "GROUP_FIELDS",
    "PERIOD_COLUMNS",
    "TIME_FIELDS",
    "TermTable",
    "TermUses",
    "group_fields",
    "has_term_evidence",
    "is_number",
    "time_field",
]

#: Docvars used for the groups of the table when none are named.
GROUP_FIELDS = ("town", "county", "district", "city", "prefecture", "province", "level")
#: Docvars that date a document, in order of preference.
TIME_FIELDS = ("date", "year")
#: Columns of the period table around its group docvars: term, key, period, <by ...>, then counts.
PERIOD_COLUMNS = ("term", "key", "period", "count", "doc_freq")
# Characters of context on each side of an example.
_CONTEXT = 15
# Arabic digits, half- and full-width, with a decimal point: a quantity, a
# phone number (110, 120, 12345) or a code; its term is the compound (211工程).
_NUMBER = re.compile(r"[0-9０-９.．]+")
_QUOTE_MARKS = frozenset(QUOTES)
# Chinese numerals alone: an ordinal or a quantity (党的十五大, 十五届) unless quoted,
# where they name a plan (“十五”, “十一五”).
_NUMERALS = re.compile(r"[〇零一二三四五六七八九十百千万亿两]+")
#: Share of its documents in which an ordinary word of the dictionary must be
#: marked (quoted, annotated) to be a term of the table: more often than not.
MIN_WORD_MARKED = 0.5
#: Share for a compound the dictionary does not hold: one document in twenty,
#: so a coinage quoted where it starts and used plainly where it spreads stays.
MIN_COMPOUND_MARKED = 0.05
# Kinds that are a formula's shape, whatever the document.
_SHAPES = frozenset({"numbered", "parallel", "acronym"})
# Sources that mark a term in its text, and those that only find a known form again.
_MARKS = frozenset({"quoted", "annotated"})
_MATCHED = frozenset({"lexicon", "discovered", "corpus"})


def has_term_evidence(
    term: str,
    *,
    doc_freq: int,
    marked: int,
    ruled: int,
    kinds: Iterable[str],
    listed: bool,
    words: Container[str],
) -> bool:
    """Whether the corpus shows that ``term`` is a term, not an ordinary word or a head.

    Parameters
    ----------
    term : str
    doc_freq : int
        Documents that use it.
    marked : int
        Documents that quote or annotate it.
    ruled : int
        Documents in which a rule found it (marked, or in a formula's or an
        institution's shape).
    kinds : iterable of str
        Its kinds across documents.
    listed : bool
        Whether a lexicon lists it.
    words : container of str
        The dictionary's words (jieba's general dictionary).

    Returns
    -------
    bool
        A listed term, or one in a formula's shape (numbered, parallel,
        acronym), is a term. A name the institution rule finds in under half
        its documents is mostly the tail of other names (城市品质提升工程,
        素质提升工程): 提升工程 is a head, not a term. An ordinary word of the
        dictionary is a term only where the corpus marks it (quotes or
        annotates it, or names it in a title or subhead) in at least
        :data:`MIN_WORD_MARKED` of its documents (三个代表, “十五”, 三公; not
        龙头, quoted in 7 of 552 reports); any other compound in at least
        :data:`MIN_COMPOUND_MARKED` of them, or found by a rule in half.
    """
    kinds = set(kinds)
    if listed or is_numbered(term) or is_parallel(term) or kinds & _SHAPES:
        return True
    if "institution" in kinds and ruled * 2 < doc_freq:
        return False
    if term in words:
        return marked >= MIN_WORD_MARKED * doc_freq
    return marked >= MIN_COMPOUND_MARKED * doc_freq or ruled * 2 >= doc_freq


def _heading_lines(text: str, meta: Mapping[str, Any]) -> list[str]:
    """The title (docvar) and the heading lines of a text: short, ending no sentence.

    A title or subhead that names a term marks it as a term, as quotation does
    (主题教育 in ``主题教育 转作风办实事``).
    """
    lines = [text[a:b] for a, b in _headings(text)]
    title = meta.get("title")
    return [title, *lines] if isinstance(title, str) and title else lines


def is_number(term: str) -> bool:
    """Whether ``term`` is a number alone, which is never a term (110, “120”, 4050).

    Chinese numerals are not numbers alone here: “十五” names a five-year plan
    (:class:`TermUses` counts such a term only where it is quoted).
    """
    return bool(_NUMBER.fullmatch(canonical_key(term)))


class TermUses:
    """Recounts a document's term rows: only uses on token boundaries count.

    Parameters
    ----------
    segment : callable
        ``text -> tokens`` of a segmenter that keeps the table's terms whole
        (fitted with them), so a term inside a longer term is no use of it
        and a term cut across two words (强基 in 加强基层) is none either.
    known : container of str, optional
        The terms that segmenter was fitted with. A form it does not know (a
        name a rule found in this document alone, 乡村运输金通工程) is not held
        to its tokens, which may run across it (金通工程样板), but to the
        dictionary: it counts where it splits no word (:func:`splits_word`).
        Default: every form is held to the tokens.

    Notes
    -----
    A form is searched in the text with quote marks skipped (the form of
    “十强”产业 is 十强产业); a use counts where its first and last characters
    start and end tokens. A term of Chinese numerals alone counts only where
    it is quoted: “十五” names the plan, 党的十五大 and 十五届 are ordinals.
    """

    def __init__(
        self, segment: Callable[[str], list[str]], known: Container[str] | None = None
    ) -> None:
        self.segment = segment
        self.known = known

    def rows(self, text: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``rows`` with ``count`` and ``first`` recounted; rows with no use left are dropped."""
        if not rows:
            return rows
        cuts = frozenset(accumulate(map(len, self.segment(text)), initial=0))
        where = [i for i, ch in enumerate(text) if ch not in _QUOTE_MARKS]
        plain = "".join(text[i] for i in where)
        out = []
        for row in rows:
            if is_number(row["term"]):
                continue
            numerals = bool(_NUMERALS.fullmatch(canonical_key(row["term"])))
            starts: set[int] = set()
            for form in {strip_quotes(f) for f in [row["term"], *row["forms"]]}:
                if not form:
                    continue
                at = plain.find(form)
                while at >= 0:
                    start, end = where[at], where[at + len(form) - 1] + 1
                    whole = (
                        start in cuts and end in cuts
                        if self.known is None or form in self.known
                        else not splits_word(text, start, end)
                    )
                    if whole and (not numerals or _quoted(text, start, end)):
                        starts.add(start)
                    at = plain.find(form, at + 1)
            if starts:
                out.append({**row, "count": len(starts), "first": min(starts)})
        return out


def _quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1] in _QUOTE_MARKS and text[end : end + 1] in _QUOTE_MARKS


def group_fields(by: Sequence[str] | None, docvars: Iterable[str]) -> list[str]:
    """``by`` itself, or the fields of :data:`GROUP_FIELDS` that the corpus has."""
    if by is not None:
        return list(by)
    present = set(docvars)
    return [f for f in GROUP_FIELDS if f in present]


def time_field(time: str | None, docvars: Iterable[str]) -> str | None:
    """``time`` itself, or ``date`` if the corpus has it, else ``year``, else None.

    Raises
    ------
    ValueError
        If ``time`` names a docvar the corpus does not have.
    """
    present = set(docvars)
    if time is not None:
        if time not in present:
            raise ValueError(
                f"time names docvar {time!r}, which the corpus does not have "
                f"(docvars: {sorted(present)})"
            )
        return time
    return next((f for f in TIME_FIELDS if f in present), None)


class TermTable:
    """Accumulates ranked term rows, document by document, into the corpus table.

    Parameters
    ----------
    fields : list of str
        Docvars whose values are listed per term (``n_<field>`` and ``<field>``).
    time : str, optional
        Docvar that dates each document.
    n_examples : int
        Example contexts kept per term.
    expansions : mapping of str to list of str
        Canonical term → parts, from the detector.
    words : container of str, optional
        The dictionary's ordinary words, for :func:`has_term_evidence`.
        Default: jieba's general dictionary.
    """

    def __init__(
        self,
        *,
        fields: list[str],
        time: str | None,
        n_examples: int,
        expansions: Mapping[str, list[str]],
        words: Container[str] | None = None,
    ) -> None:
        if words is None:
            from toolkit.segment.backends import jieba_frequencies

            words = jieba_frequencies()
        self.words = words
        self.fields = fields
        self.time = time
        self.n_examples = n_examples
        self.expansions = expansions
        self._stats: dict[str, dict[str, Any]] = {}
        # (key, period, group values) -> [count, documents]
        self._periods: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}
        #: Documents read, and those without a value of the time docvar.
        self.n_documents = 0
        self.n_undated = 0

    def add(self, doc_id: str, meta: Mapping[str, Any], text: str, rows: list[dict]) -> None:
        """Count one document's rows (each with ``reported``: above the detector's threshold)."""
        self.n_documents += 1
        when = None if not self.time or meta.get(self.time) is None else str(meta[self.time])
        self.n_undated += bool(self.time) and when is None
        group = tuple("" if meta.get(f) is None else str(meta[f]) for f in self.fields)
        headings = _heading_lines(text, meta)
        for row in rows:
            key = canonical_key(row["term"])
            entry = self._stats.get(key)
            if entry is None:
                entry = self._stats[key] = {
                    "term": row["term"],
                    "kinds": Counter(),
                    "count": 0,
                    "doc_freq": 0,
                    "forms": Counter(),
                    "groups": defaultdict(set),
                    "times": [],
                    "examples": [],
                    "keep": False,
                    # Documents that mark the term: quote or annotate it, or
                    # name it in a title or subhead (marked), or write it in a
                    # formula's shape (a rule found it there: ruled).
                    "marked": 0,
                    "ruled": 0,
                    "listed": False,
                }
            # A term is in the table if it was reported somewhere or is listed;
            # its unreported uses elsewhere still count, so diffusion is complete.
            entry["keep"] = entry["keep"] or row["reported"] or "lexicon" in row["sources"]
            sources = set(row["sources"])
            entry["marked"] += bool(sources & _MARKS) or any(
                form in line for form in row["forms"] for line in headings
            )
            entry["ruled"] += bool(sources - _MATCHED)
            entry["listed"] = entry["listed"] or "lexicon" in sources
            entry["kinds"][row["kind"]] += 1
            entry["count"] += row["count"]
            entry["doc_freq"] += 1
            entry["forms"].update(row["forms"])
            for f in self.fields:
                value = meta.get(f)
                if value is not None:
                    entry["groups"][f].add(str(value))
            if when is not None:
                entry["times"] = [min([when, *entry["times"]]), max([when, *entry["times"]])]
                cell = self._periods.setdefault((key, when, group), [0, 0])
                cell[0] += row["count"]
                cell[1] += 1
            if len(entry["examples"]) < self.n_examples:
                entry["examples"].append(_example(doc_id, text, row["first"], len(row["term"])))

    def frame(self) -> pd.DataFrame:
        """The table, most widely used terms first."""
        records = []
        for key, e in self._stats.items():
            if not e["keep"] or not has_term_evidence(
                e["term"],
                doc_freq=e["doc_freq"],
                marked=e["marked"],
                ruled=e["ruled"],
                kinds=e["kinds"],
                listed=e["listed"],
                words=self.words,
            ):
                continue
            record: dict[str, Any] = {
                "term": e["term"],
                "key": key,
                "kind": e["kinds"].most_common(1)[0][0],
                "count": e["count"],
                "doc_freq": e["doc_freq"],
                "forms": sorted(e["forms"]),
                "expansion": self.expansions.get(e["term"], []),
            }
            for f in self.fields:
                values = sorted(e["groups"][f])
                record[f"n_{f}"] = len(values)
                record[f] = "|".join(values)
            times = e["times"]
            record["first"] = times[0] if times else None
            record["last"] = times[-1] if times else None
            record["examples"] = e["examples"]
            records.append(record)
        columns = ["term", "key", "kind", "count", "doc_freq", "forms", "expansion"]
        for f in self.fields:
            columns += [f"n_{f}", f]
        columns += ["first", "last", "examples"]
        table = pd.DataFrame(records, columns=columns)
        if len(table):
            table = table.sort_values(
                ["doc_freq", "count", "term"], ascending=[False, False, True]
            ).reset_index(drop=True)
        return table

    def periods(self, keys: Sequence[str] | None = None) -> pd.DataFrame:
        """Counts per term, period and group: one row per term × time value × group values.

        A long table (``term``, ``key``, ``period``, one column per group docvar,
        ``count``, ``doc_freq``), ordered by term as :meth:`frame` orders it, then
        period and group, so a term's trajectory reads top to bottom. Only dated
        documents count; the terms are those of :meth:`frame`. ``keys`` is the
        ``key`` column of a :meth:`frame` already built, so it is not built twice.
        """
        columns = [*PERIOD_COLUMNS[:3], *self.fields, *PERIOD_COLUMNS[3:]]
        if keys is None:
            keys = list(self.frame()["key"])
        order = {key: i for i, key in enumerate(keys)}
        records = [
            [self._stats[key]["term"], key, period, *group, count, docs]
            for (key, period, group), (count, docs) in self._periods.items()
            if key in order
        ]
        records.sort(key=lambda r: (order[r[1]], r[2], r[3 : 3 + len(self.fields)]))
        return pd.DataFrame(records, columns=columns)


def _example(doc_id: str, text: str, start: int, length: int) -> str:
    left = text[max(0, start - _CONTEXT) : start]
    right = text[start + length : start + length + _CONTEXT]
    return f"{doc_id}: {left}【{text[start : start + length]}】{right}".replace("\n", " ")
