"""Errors and rejection records for corpus input.

Nothing is dropped silently: a reader either raises one of these or records a
:class:`Rejection` that the caller reports.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CorpusFormatError", "DuplicateDocIdError", "Rejection"]


class CorpusFormatError(ValueError):
    """A corpus file or record cannot be read; the message names the file, line and fix."""


class DuplicateDocIdError(ValueError):
    """Two or more documents share a ``doc_id``; the message lists them."""


@dataclass(frozen=True)
class Rejection:
    """One input that could not be turned into documents.

    Attributes
    ----------
    source : str
        File path (or other source name) of the rejected input.
    reason : str
        Why it was rejected, phrased so the user knows what to fix.
    location : str or None
        Line, record or field within the source, when the rejection is local.
    """

    source: str
    reason: str
    location: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.location}" if self.location else self.source
        return f"{where}: {self.reason}"
