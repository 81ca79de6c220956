"""Official-term (提法) detection and what researchers do with the terms.

:class:`TermDetector` finds, canonicalises, expands and ranks the terms of a
corpus; :func:`kwic` shows them in context under every surface form;
:func:`keyness` says which terms set one group of documents apart.
"""

from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes, variant_pattern
from toolkit.terms.detector import COLUMNS, KINDS, SOURCES, TermDetector
from toolkit.terms.keyness import keyness
from toolkit.terms.kwic import kwic

__all__ = [
    "COLUMNS",
    "KINDS",
    "SOURCES",
    "TermDetector",
    "canonical_key",
    "keyness",
    "kwic",
    "pick_canonical",
    "strip_quotes",
    "variant_pattern",
]
