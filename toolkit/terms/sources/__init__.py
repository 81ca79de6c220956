"""Candidate sources: each finds one kind of official term in one text by its form.

Every source is a function ``text -> list[Span]``. A :class:`Span` is where a
candidate was seen, the term as written there (without quote marks) and the
source's name, which becomes the candidate's ``kind``.
"""

from toolkit.terms.sources.acronyms import find_acronyms
from toolkit.terms.sources.annotated import find_annotated
from toolkit.terms.sources.institutions import INSTITUTION_HEADS, find_institutions
from toolkit.terms.sources.numbered import find_numbered, is_numbered
from toolkit.terms.sources.parallel import find_parallel, is_parallel
from toolkit.terms.sources.quoted import find_quoted
from toolkit.terms.sources.span import Span

__all__ = [
    "INSTITUTION_HEADS",
    "Span",
    "find_acronyms",
    "find_annotated",
    "find_institutions",
    "find_numbered",
    "find_parallel",
    "find_quoted",
    "is_numbered",
    "is_parallel",
]
