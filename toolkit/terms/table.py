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

__all__ = ["GROUP_FIELDS", "TIME_FIELDS", "TermTable", "group_fields", "time_field"]

#: Docvars used for the groups of the table when none are named.
GROUP_FIELDS = ("town", "county", "district", "city", "prefecture", "province", "level")
#: Docvars that date a document, in order of preference.
TIME_FIELDS = ("date", "year")
# Characters of context on each side of an example.
_CONTEXT = 15


def group_fields(by: Sequence[str] | None, docvars: Iterable[str]) -> list[str]:
    """``by`` itself, or the fields of :data:`GROUP_FIELDS` that the corpus has."""
    if by is not None:
        return list(by)
    present = set(docvars)
    return [f for f in GROUP_FIELDS if f in present]


def time_field(time: str | None, docvars: Iterable[str]) -> str | None:
    """``time`` itself, or ``date`` if the corpus has it, else ``year``, else None."""
    if time is not None:
        return time
    present = set(docvars)
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

    def add(self, doc_id: str, meta: Mapping[str, Any], text: str, rows: list[dict]) -> None:
        """Count one document's rows (each with ``reported``: above the detector's threshold)."""
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
            if self.time and meta.get(self.time) is not None:
                when = str(meta[self.time])
                entry["times"] = [min([when, *entry["times"]]), max([when, *entry["times"]])]
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


def _example(doc_id: str, text: str, start: int, length: int) -> str:
    left = text[max(0, start - _CONTEXT) : start]
    right = text[start + length : start + length + _CONTEXT]
    return f"{doc_id}: {left}【{text[start : start + length]}】{right}".replace("\n", " ")
