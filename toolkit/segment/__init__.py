"""Segmentation that keeps official terms whole: Segmenter, Tokens, lexicons, backends."""

from toolkit.segment.backends import BACKENDS, load_dictionary, make_backend
from toolkit.segment.lexicon import CATEGORIES, Lexicon, TermMatcher
from toolkit.segment.pretokenize import split_protected
from toolkit.segment.quoted import quoted_terms
from toolkit.segment.segmenter import MODES, Segmenter
from toolkit.segment.stopwords import STOPWORD_LISTS, load_stopwords
from toolkit.segment.tokens import Tokens

__all__ = [
    "BACKENDS",
    "CATEGORIES",
    "MODES",
    "STOPWORD_LISTS",
    "Lexicon",
    "Segmenter",
    "TermMatcher",
    "Tokens",
    "load_dictionary",
    "load_stopwords",
    "make_backend",
    "quoted_terms",
    "spacy_pipeline",
    "split_protected",
]


def __getattr__(name: str) -> object:
    # spaCy takes about half a second to import: load the bridge only when asked.
    if name == "spacy_pipeline":
        from toolkit.segment.spacy_bridge import spacy_pipeline

        return spacy_pipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
