"""The unit of analysis: one text with an id and its metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Document"]


@dataclass(frozen=True, eq=True)
class Document:
    """One document: an id, its text and its metadata.

    Parameters
    ----------
    doc_id : str
        Identifier, unique within a corpus.
    text : str
        The body text; paragraphs are separated by ``"\\n"``.
    meta : Mapping
        Metadata (docvars) such as ``county``, ``town``, ``year``. Stored as a
        read-only copy so a Document can be shared without being changed.
    """

    doc_id: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.doc_id, str) or not self.doc_id:
            raise TypeError(f"doc_id must be a non-empty str (got {self.doc_id!r})")
        if not isinstance(self.text, str):
            raise TypeError(
                f"text of document {self.doc_id!r} must be a str (got {type(self.text).__name__})"
            )
        # Freeze meta: a frozen dataclass alone would still let callers mutate the dict.
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def __hash__(self) -> int:
        return hash((self.doc_id, self.text))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (
            self.doc_id == other.doc_id
            and self.text == other.text
            and dict(self.meta) == dict(other.meta)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # MappingProxyType cannot be pickled: rebuild from a plain dict so documents
        # can go to worker processes (CorpusStream.batches) and through copy.deepcopy.
        return (Document, (self.doc_id, self.text, dict(self.meta)))

    def with_meta(self, **updates: Any) -> Document:
        """Return a copy with ``updates`` merged into ``meta``."""
        return Document(self.doc_id, self.text, {**self.meta, **updates})

    def with_text(self, text: str) -> Document:
        """Return a copy with a new ``text`` and the same id and metadata."""
        return Document(self.doc_id, text, self.meta)
