"""The text of a parsed newspaper article with its headings, for the readers that want them.

:func:`toolkit.ingest.parse_page` keeps a newspaper article's kicker, title,
subtitle and subheads out of ``Document.text`` (the body is what is counted,
segmented and compared) and stores them in the docvars. Term detection wants
them back as evidence: a town's formulas are often named only in its subheads
(密织“一张网”, 发挥“两个引领”), and an expansion is found only where its parts
are written. Corpora written by ``tifa ingest`` and read back keep those
docvars, so the text with headings can be rebuilt from any parsed article,
whichever path it took.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.corpus import Document

__all__ = ["headed_text", "reading_text"]

_HEAD_FIELDS = ("kicker", "title", "subtitle")


def headed_text(meta: Mapping[str, Any]) -> str | None:
    """The article of ``meta`` as ``parse_page(headings=True)`` writes it.

    Kicker, title and subtitle first, then each section's subhead (when it has
    one) above its paragraphs, one per line. ``None`` when ``meta`` is not a
    parsed newspaper article (``layout`` other than ``"newspaper"``, or
    ``sections`` missing or not of the shape :func:`~toolkit.ingest.parse_page`
    writes).
    """
    sections = _sections(meta)
    if sections is None:
        return None
    lines = [meta[k] for k in _HEAD_FIELDS if isinstance(meta.get(k), str) and meta[k]]
    for title, paragraphs in sections:
        lines += [title] if title else []
        lines += paragraphs
    return "\n".join(lines)


def reading_text(doc: Document) -> str:
    """``doc.text`` with the article's headings, when ``doc`` is a parsed newspaper article.

    - Not a parsed article (any other Document): ``doc.text``.
    - ``doc.text`` is the article's body, or already its text with headings:
      the text with headings, each heading where it stands on the page
      (:func:`headed_text`).
    - ``doc.text`` was changed after parsing (normalised, say): the headings, one
      per line, above ``doc.text``, so the change is kept and no heading is lost.

    Examples
    --------
    >>> from toolkit import parse_page
    >>> page = "甲县乙镇：织密“一张网”\\n\\n本报记者 张三\\n\\n乙镇推行“123工作法”。"
    >>> [doc] = parse_page(page)
    >>> doc.text
    '乙镇推行“123工作法”。'
    >>> reading_text(doc)
    '织密“一张网”\\n乙镇推行“123工作法”。'
    """
    meta = doc.meta
    headed = headed_text(meta)
    if headed is None:
        return doc.text
    sections = _sections(meta) or []
    body = "\n".join(p for _, paragraphs in sections for p in paragraphs)
    if doc.text in (body, headed):
        return headed
    heads = [meta[k] for k in _HEAD_FIELDS if isinstance(meta.get(k), str) and meta[k]]
    heads += [title for title, _ in sections if title]
    return "\n".join([*heads, doc.text])


def _sections(meta: Mapping[str, Any]) -> list[tuple[str | None, list[str]]] | None:
    # Docvars read back from a user's file can hold anything: a field of the
    # wrong shape means "not a parsed article", never an exception here.
    if meta.get("layout") != "newspaper":
        return None
    raw = meta.get("sections")
    if not isinstance(raw, list):
        return None
    out: list[tuple[str | None, list[str]]] = []
    for section in raw:
        if not isinstance(section, Mapping):
            return None
        title, paragraphs = section.get("title"), section.get("paragraphs")
        if title is not None and not isinstance(title, str):
            return None
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            return None
        out.append((title, paragraphs))
    return out
