"""The record every candidate source returns."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Span"]


class Span(NamedTuple):
    """One sighting of a candidate term.

    Attributes
    ----------
    start, end : int
        Offsets of the term in the text (quote marks around it excluded).
    form : str
        The term as written, without quote marks.
    kind : str
        The source that found it: ``quoted``, ``numbered``, ``parallel`` …
    """

    start: int
    end: int
    form: str
    kind: str
