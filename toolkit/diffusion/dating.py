"""Date documents by when they were delivered rather than the year they are filed under."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from toolkit.corpus import Corpus, Document

__all__ = ["delivered_year", "redate"]

# The delivery date a report states in its heading: （2018年1月26日在……会议上）.
_HEADING_DATE = re.compile(r"(\d{4})年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# How far into the text the heading's date is looked for.
_HEADING_CHARS = 120


def delivered_year(
    meta: Any, text: str, *, time: str = "year", date: str = "delivered_date"
) -> int:
    """The year a document was delivered: its ``date`` docvar, else the date in its heading.

    Parameters
    ----------
    meta : mapping
        The document's docvars; ``meta[time]`` is the year it is filed under.
    text : str
        Its text; a date ``YYYY年M月D日`` in the first 120 characters is taken
        when ``meta[date]`` is empty, if it is the filed year or the year after.
    time, date : str
        Docvars of the filed year and of the delivery date (``YYYY-MM-DD``).

    Returns
    -------
    int
        The year of ``meta[date]``; else the heading's year; else ``meta[time]``.

    Examples
    --------
    >>> delivered_year({"year": 2017}, "（2018年1月26日在四川省第十三届人民代表大会上）")
    2018
    >>> delivered_year({"year": 2017, "delivered_date": "2017-01-20"}, "")
    2017
    """
    if meta.get(date):
        return int(str(meta[date])[:4])
    filed = int(meta[time])
    match = _HEADING_DATE.search(text[:_HEADING_CHARS])
    if match and 0 <= int(match.group(1)) - filed <= 1:
        return int(match.group(1))
    return filed


def redate(
    corpus: Iterable[Document],
    *,
    time: str = "year",
    date: str = "delivered_date",
    to: str = "delivered_year",
) -> Corpus:
    """Add the docvar ``to``: the year each document was delivered (:func:`delivered_year`).

    The filed year can be wrong for diffusion: Sichuan's government work
    reports 2006–2018 are filed under the year they review, one year before
    they were delivered, which would date every first use a year early.

    Parameters
    ----------
    corpus : Corpus or iterable of Document
        Documents with a ``time`` docvar.
    time : str
        Docvar of the filed year (whole numbers).
    date : str
        Docvar of the delivery date, ``YYYY-MM-DD``; may be empty.
    to : str
        Name of the new docvar.

    Returns
    -------
    Corpus
        The documents with ``to`` set; ``attrs``-free, in the same order.

    Raises
    ------
    KeyError
        If a document has no ``time`` docvar (the message names it and the document).
    """
    docs = []
    for doc in corpus:
        if doc.meta.get(time) is None:
            raise KeyError(
                f"redate: time={time!r} is not a docvar of document {doc.doc_id!r} "
                f"(its docvars: {sorted(doc.meta)})"
            )
        docs.append(doc.with_meta(**{to: delivered_year(doc.meta, doc.text, time=time, date=date)}))
    return Corpus(docs)
