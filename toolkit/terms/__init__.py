"""Official-term (提法) detection: candidates, canonical forms, expansions, ranking."""

from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes, variant_pattern
from toolkit.terms.detector import COLUMNS, KINDS, SOURCES, TermDetector

__all__ = [
    "COLUMNS",
    "KINDS",
    "SOURCES",
    "TermDetector",
    "canonical_key",
    "pick_canonical",
    "strip_quotes",
    "variant_pattern",
]
