"""Similarity between units of a corpus: towns, counties, provinces, years.

:class:`SimilarityIndex` groups documents into units by a docvar, turns each
unit into a vector (tf-idf, official terms, topics or word embeddings) and
compares them (cosine, Jensen–Shannon, Hellinger, Jaccard), with neighbours,
explanations, bootstrap intervals and a permutation test.
:func:`top_k` finds the nearest neighbours of tens of thousands of units in
memory-bounded blocks. :func:`to_networkx` turns a neighbours table or a
reuse network into a networkx graph, for Gephi (GEXF) or GraphML.

Text reuse (shared passages between articles) lives in
``toolkit.similarity.reuse`` and exports its own names there.
"""

from typing import Any

from toolkit.similarity.graph import to_networkx
from toolkit.similarity.index import SimilarityIndex
from toolkit.similarity.inference import BootstrapInterval, PermutationResult
from toolkit.similarity.metrics import METRICS, pairwise, similarity
from toolkit.similarity.representations import DEFAULT_K_TOPICS, REPRESENTATIONS, VALID_METRICS
from toolkit.similarity.topk import top_k

__all__ = [
    "DEFAULT_K_TOPICS",
    "METRICS",
    "REPRESENTATIONS",
    "VALID_METRICS",
    "BootstrapInterval",
    "PermutationResult",
    "SimilarityIndex",
    "pairwise",
    "similarity",
    "to_networkx",
    "top_k",
]


def __getattr__(name: str) -> Any:
    # The old name of DEFAULT_K_TOPICS, for one release; representations warns.
    if name == "DEFAULT_N_TOPICS":
        from toolkit.similarity import representations

        return representations.DEFAULT_N_TOPICS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
