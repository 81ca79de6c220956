"""The corpus term table: one row per canonical term, where and when it is used.

This is the diffusion table researchers read: a term's kind, how often and in
how many documents it occurs, which towns, counties or provinces use it, and
its first and last date. :class:`TermTable` accumulates it one document at a
time from a detector's ranked rows, so a corpus streams through.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from toolkit.terms.canonical import canonical_key

__all__ = [
    "GROUP_FIELDS",
    "PERIOD_COLUMNS",
    "TIME_FIELDS",
    "TermTable",
    "group_fields",
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
    """

    def __init__(
        self,
        *,
        fields: list[str],
        time: str | None,
        n_examples: int,
        expansions: Mapping[str, list[str]],
    ) -> None:
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
                }
            # A term is in the table if it was reported somewhere or is listed;
            # its unreported uses elsewhere still count, so diffusion is complete.
            entry["keep"] = entry["keep"] or row["reported"] or "lexicon" in row["sources"]
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
            if not e["keep"]:
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
