"""Adoption events: when each unit (province, county ...) first uses each term.

A unit *adopts* a term in the first period in which its documents use the
term at least ``min_mentions`` times (on token boundaries, see
:func:`~toolkit.diffusion.count_uses`). The reference group (the national
reports, say) is one more row per term, marked ``reference``.

The observation window is the data's, not the calendar's:

- a unit is observed only in the periods in which it has a document: it enters
  the risk set at its first document (``entry``; left truncation) and leaves
  it at its last (``exit``);
- a missing period is not a non-adoption: nothing is inferred from a year
  without a report;
- a unit that has not adopted by its last document is right-censored at
  ``exit`` (its ``first_time`` is empty), not counted as a non-adopter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from toolkit._validation import check_positive_int, ensure_reiterable
from toolkit.corpus import Document
from toolkit.diffusion.uses import count_uses, term_list
from toolkit.terms import TermDetector

__all__ = [
    "ADOPTION_COLUMNS",
    "OBSERVATION_COLUMNS",
    "adoptions",
    "observations",
    "reference_label",
]

#: Columns of :func:`adoptions`, in order.
ADOPTION_COLUMNS = (
    "term",
    "key",
    "kind",
    "unit",
    "reference",
    "first_time",
    "documents",
    "mentions",
    "first_doc",
    "evidence",
    "entry",
    "exit",
    "n_periods",
)
#: Columns of :func:`observations`, in order.
OBSERVATION_COLUMNS = ("unit", "reference", "period", "documents")
# Characters of context on each side of the evidence line.
_WINDOW = 20


def reference_label(reference: Mapping[str, Any]) -> str:
    """How the reference group is named in the ``unit`` column: ``level=national``."""
    return ",".join(f"{field}={value}" for field, value in reference.items())


def _check_reference(reference: Any) -> dict[str, str]:
    if not isinstance(reference, Mapping) or not reference:
        raise TypeError(
            "reference must be a non-empty mapping from docvar to value, e.g. "
            f"{{'level': 'national'}} (got {type(reference).__name__}: {reference!r})"
        )
    return {str(k): str(v) for k, v in reference.items()}


def _period(value: Any, doc_id: str, time: str) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError(
        f"time docvar {time!r} must hold whole periods (years as integers, e.g. 2018) "
        f"so that lags can be counted; document {doc_id!r} has {value!r}"
    )


class _Layout:
    """Which documents are the reference, which unit and period each document belongs to."""

    def __init__(
        self, docs: list[Document], *, unit: str, time: str, reference: dict[str, str]
    ) -> None:
        if not docs:
            raise ValueError("corpus must hold at least one document (got none)")
        fields: dict[str, None] = {}
        for doc in docs:
            fields.update(dict.fromkeys(doc.meta))
        for name, value in (("unit", unit), ("time", time)):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a docvar name (got {type(value).__name__})")
            if value not in fields:
                raise ValueError(
                    f"{name} names docvar {value!r}, which the corpus does not have "
                    f"(docvars: {sorted(fields)})"
                )
        for field in reference:
            if field not in fields:
                raise ValueError(
                    f"reference names docvar {field!r}, which the corpus does not have "
                    f"(docvars: {sorted(fields)})"
                )
        self.label = reference_label(reference)
        is_ref = [all(str(doc.meta.get(f)) == v for f, v in reference.items()) for doc in docs]
        if not any(is_ref):
            seen = {
                f: sorted({str(d.meta[f]) for d in docs if d.meta.get(f) is not None})
                for f in reference
            }
            raise ValueError(
                f"reference {reference!r} matches no document; values seen: "
                + "; ".join(f"{f}: {values[:20]}" for f, values in seen.items())
            )
        #: Per document: (unit label, is reference, period); None if it cannot be placed.
        self.place: list[tuple[str, bool, int] | None] = []
        self.n_dropped = 0
        for doc, ref in zip(docs, is_ref, strict=True):
            when = doc.meta.get(time)
            who = self.label if ref else doc.meta.get(unit)
            if when is None or who is None:
                self.place.append(None)
                self.n_dropped += 1
                continue
            self.place.append((str(who), ref, _period(when, doc.doc_id, time)))

    def observations(self) -> pd.DataFrame:
        counts: dict[tuple[str, bool, int], int] = defaultdict(int)
        for where in self.place:
            if where is not None:
                counts[where] += 1
        rows = [(u, r, p, n) for (u, r, p), n in counts.items()]
        rows.sort(key=lambda row: (not row[1], row[0], row[2]))
        frame = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
        return frame.astype({"reference": bool, "period": "int64", "documents": "int64"})


def _documents(corpus: Any) -> list[Document]:
    corpus = ensure_reiterable(corpus, "corpus")
    docs = list(corpus)
    for i, doc in enumerate(docs):
        if not isinstance(doc, Document):
            raise TypeError(f"corpus[{i}] must be a toolkit.Document (got {type(doc).__name__})")
    return docs


def observations(
    corpus: Iterable[Document],
    *,
    unit: str = "province",
    time: str = "year",
    reference: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The observation panel: which unit has documents in which period.

    Parameters
    ----------
    corpus : Corpus or list of Document
    unit, time : str
        Docvars naming each document's unit and period (whole numbers: years).
    reference : mapping, optional
        Docvar values of the reference group; default ``{"level": "national"}``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OBSERVATION_COLUMNS`, one row per unit and period with
        at least one document: the reference group first (named as
        :func:`reference_label` names it), then units by name and period.
        Documents without a unit or a period are left out.
    """
    reference = _check_reference({"level": "national"} if reference is None else reference)
    layout = _Layout(_documents(corpus), unit=unit, time=time, reference=reference)
    return layout.observations()


def _restrict_to_table(
    uses: pd.DataFrame, terms: Any, docs: list[Document], unit: str, time: str
) -> pd.DataFrame:
    """Keep only uses the detector's own period table also counts.

    When the detector's corpus table counts only on token boundaries (its
    ``periods_``), a use it does not count is not counted here either; while it
    still counts by substring, this keeps every use found on token boundaries.
    Applied only when the detector's periods and groups are this study's.
    """
    if not isinstance(terms, TermDetector):
        return uses
    periods = getattr(terms, "periods_", None)
    dated_by_time = terms.time == time or (
        terms.time is None and time == "year" and not any("date" in d.meta for d in docs)
    )
    if periods is None or not dated_by_time or unit not in periods.columns or not len(uses):
        return uses
    cells = set(
        zip(periods["key"], periods["period"].astype(str), periods[unit].astype(str), strict=True)
    )
    by_id = {doc.doc_id: doc for doc in docs}
    keep = []
    for doc_id, key in zip(uses["doc_id"], uses["key"], strict=True):
        doc = by_id[doc_id]
        value = doc.meta.get(unit)
        period = doc.meta.get(time)
        keep.append((key, str(period), "" if value is None else str(value)) in cells)
    return uses[keep]


def adoptions(
    corpus: Iterable[Document],
    *,
    terms: Any,
    unit: str = "province",
    time: str = "year",
    reference: Mapping[str, Any] | None = None,
    min_mentions: int = 1,
) -> pd.DataFrame:
    """When each unit first used each term, with the evidence for it.

    Parameters
    ----------
    corpus : Corpus or list of Document
        Documents with a ``unit`` and a ``time`` docvar (the reference group's
        documents need only the time).
    terms : TermDetector or sequence of str
        A fitted :class:`~toolkit.terms.TermDetector` (its canonical terms,
        variants counted as one) or a list of terms.
    unit : str
        Docvar naming the unit that adopts (``province``, ``county`` ...).
    time : str
        Docvar giving the period: whole numbers, such as years.
    reference : mapping, optional
        Docvar values that pick the reference group, whose first use the
        units are compared with. Default ``{"level": "national"}``.
    min_mentions : int
        Uses within one period a unit needs for that period to count as its
        adoption (1: any use).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ADOPTION_COLUMNS`: one row per term used anywhere and
        per observed unit (the reference group included, ``reference`` True),
        terms in the order of ``terms``, then the reference first and the
        units by name. ``first_time`` is the adoption period (empty if the
        unit never adopted while observed: right-censored at ``exit``);
        ``documents`` and ``mentions`` count all the unit's documents using the
        term and its uses; ``first_doc`` is the first document using it in the
        adoption period and ``evidence`` that use in context
        (``left【match】right``, the line :func:`~toolkit.terms.kwic` shows); ``entry`` and
        ``exit`` are the unit's first and last periods with a document, and
        ``n_periods`` how many periods it has documents in.

    Raises
    ------
    ValueError
        If ``unit``, ``time`` or a ``reference`` field is not a docvar, a period
        is not a whole number, or ``reference`` matches no document (the error
        lists the values seen).
    """
    check_positive_int("min_mentions", min_mentions)
    reference = _check_reference({"level": "national"} if reference is None else reference)
    docs = _documents(corpus)
    layout = _Layout(docs, unit=unit, time=time, reference=reference)
    listed = term_list(terms)
    placed = [doc for doc, where in zip(docs, layout.place, strict=True) if where is not None]
    uses = count_uses(placed, terms)
    uses = _restrict_to_table(uses, terms, docs, unit, time)

    obs = layout.observations()
    windows = {
        u: (int(g["period"].min()), int(g["period"].max()), int(g["period"].nunique()), bool(r))
        for (u, r), g in obs.groupby(["unit", "reference"], sort=False)
    }
    # Reference first, then units by name, as observations() orders them.
    order = list(dict.fromkeys(obs["unit"]))
    where_of = {doc.doc_id: where for doc, where in zip(docs, layout.place, strict=True)}
    doc_of = {doc.doc_id: doc for doc in docs}

    # (key, unit) -> period -> [mentions, documents, first (doc_id, start)]
    cells: dict[tuple[str, str], dict[int, list[Any]]] = defaultdict(dict)
    for doc_id, key, count, start, end in zip(
        uses["doc_id"], uses["key"], uses["count"], uses["start"], uses["end"], strict=True
    ):
        who, _, period = where_of[doc_id]  # type: ignore[misc]
        cell = cells[(key, who)].setdefault(period, [0, 0, (doc_id, int(start), int(end))])
        cell[0] += int(count)
        cell[1] += 1

    used = {key for key, _ in cells}
    rows: list[dict[str, Any]] = []
    for key, term, kind in zip(listed.keys, listed.terms, listed.kinds, strict=True):
        if key not in used:
            continue
        for who in order:
            entry, exit_, n_periods, is_ref = windows[who]
            per = cells.get((key, who), {})
            adopted = next((p for p in sorted(per) if per[p][0] >= min_mentions), None)
            first_doc = evidence = ""
            if adopted is not None:
                first_doc, start, end = per[adopted][2]
                evidence = _evidence(doc_of[first_doc].text, start, end)
            rows.append(
                {
                    "term": term,
                    "key": key,
                    "kind": kind,
                    "unit": who,
                    "reference": is_ref,
                    "first_time": adopted,
                    "documents": sum(c[1] for c in per.values()),
                    "mentions": sum(c[0] for c in per.values()),
                    "first_doc": first_doc,
                    "evidence": evidence,
                    "entry": entry,
                    "exit": exit_,
                    "n_periods": n_periods,
                }
            )
    frame = pd.DataFrame(rows, columns=list(ADOPTION_COLUMNS))
    return frame.astype(
        {
            "reference": bool,
            "first_time": "Int64",
            "documents": "int64",
            "mentions": "int64",
            "entry": "int64",
            "exit": "int64",
            "n_periods": "int64",
        }
    )


# As kwic shows a line: one space per line break, so the context keeps its width.
_NEWLINES = str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "})


def _evidence(text: str, start: int, end: int) -> str:
    """The use at ``text[start:end]`` as a concordance line, ``left【match】right``.

    The line :func:`~toolkit.terms.kwic` gives for that match with ``window=20``,
    cut straight from the offsets :func:`count_uses` found instead of searching
    the document again (a study has hundreds of thousands of adoptions).
    """
    left = text[max(0, start - _WINDOW) : start]
    right = text[end : end + _WINDOW]
    return f"{left}【{text[start:end]}】{right}".translate(_NEWLINES)
