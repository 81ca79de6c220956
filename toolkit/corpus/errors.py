"""Errors and rejection records for corpus input.

Nothing is dropped silently: a reader either raises one of these or records a
:class:`Rejection` that the caller reports.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIXES", "CorpusFormatError", "DuplicateDocIdError", "Rejection"]

#: What to change, in the readers' own terms, when a record fails because of the
#: value of one reader parameter. A caller with other spellings (the ``tifa``
#: command names flags) keys its own wording by the same parameter names.
FIXES = {
    "text_field": "pass text_field=<name> to map another field to the text",
    "id_field": "pass id_field=<name> to map another field to the id, "
    "or id_field='' to number the documents",
}


class CorpusFormatError(ValueError):
    """A corpus file or record cannot be read; the message names the file, line and fix.

    Parameters
    ----------
    message : str
        The whole message: where, what is wrong and what to do.
    reason : str, optional
        What is wrong, without where or the fix (as :attr:`Rejection.reason`).
    parameter : str, optional
        The reader parameter whose value the fix concerns (a key of :data:`FIXES`).
    """

    def __init__(
        self, message: str, *, reason: str | None = None, parameter: str | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.parameter = parameter

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_format_error, (str(self), self.reason, self.parameter))


def _rebuild_format_error(
    message: str, reason: str | None, parameter: str | None
) -> CorpusFormatError:
    return CorpusFormatError(message, reason=reason, parameter=parameter)


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
    parameter : str or None
        The reader parameter whose value caused the rejection (``"text_field"``
        or ``"id_field"``); ``str()`` then ends with its fix from :data:`FIXES`,
        and a command line can name its own flag instead.
    """

    source: str
    reason: str
    location: str | None = None
    parameter: str | None = None

    @property
    def where(self) -> str:
        """``source:location``, or the source alone."""
        return f"{self.source}:{self.location}" if self.location else self.source

    def explain(self, fixes: dict[str, str] | None = None) -> str:
        """The reason, then the fix for :attr:`parameter` from ``fixes`` (default :data:`FIXES`)."""
        fix = (FIXES if fixes is None else fixes).get(self.parameter or "")
        return f"{self.reason}. {fix[0].upper()}{fix[1:]}" if fix else self.reason

    def __str__(self) -> str:
        return f"{self.where}: {self.explain()}"
