"""Official-term (提法) detection: candidates, canonical forms, expansions, ranking."""

from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes, variant_pattern

__all__ = ["canonical_key", "pick_canonical", "strip_quotes", "variant_pattern"]
