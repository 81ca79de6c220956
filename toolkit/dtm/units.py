"""Units smaller than a document: paragraphs, counted on their own, traced to their article."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit._validation import check_choice
from toolkit.corpus import Corpus, Document

__all__ = ["UNITS", "split_units"]

#: What a row of a DocTermMatrix can be.
UNITS = ("document", "paragraph")


def split_units(corpus: Iterable[Document], unit: str = "paragraph") -> Corpus:
    """One document per unit, with the article's docvars plus ``document`` and ``unit``.

    Paragraphs are the text's non-empty lines. A unit's ``doc_id`` is
    ``"<doc_id>#p<n>"`` (``n`` from 1); ``document`` holds the article's
    ``doc_id``, so ``DocTermMatrix.group("document")`` adds the units back up.
    ``unit="document"`` returns the documents as they are.
    """
    check_choice("unit", unit, UNITS)
    docs = list(corpus)
    if unit == "document":
        return Corpus(docs)
    out = []
    for doc in docs:
        paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
        for n, paragraph in enumerate(paragraphs, start=1):
            meta = {**doc.meta, "document": doc.doc_id, "unit": n}
            out.append(Document(f"{doc.doc_id}#p{n}", paragraph, meta))
    return Corpus(out)
