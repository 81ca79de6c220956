"""Text reuse detection: passages shared between documents despite small edits.

:func:`find_reuse` finds the passages (MinHash/LSH candidates, then compiled
local alignment) and :func:`reuse_network` sums them into a table of units
(towns, counties, provinces) that share text.

Examples
--------
>>> from toolkit import read_jsonl
>>> from toolkit.similarity.reuse import find_reuse, reuse_network
>>> corpus = read_jsonl("corpora/sample/towns.jsonl")  # doctest: +SKIP
>>> passages = find_reuse(corpus, docvars="county")  # doctest: +SKIP
>>> reuse_network(passages, by="county")  # doctest: +SKIP
"""

from toolkit.similarity.reuse.find import PASSAGE_COLUMNS, find_reuse
from toolkit.similarity.reuse.network import NETWORK_COLUMNS, reuse_network

__all__ = ["NETWORK_COLUMNS", "PASSAGE_COLUMNS", "find_reuse", "reuse_network"]
