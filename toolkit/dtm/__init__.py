"""Document-term matrices: sparse counts that keep doc_ids and docvars aligned."""

from toolkit.dtm.matrix import WEIGHTS, DocTermMatrix, idf
from toolkit.dtm.stream import DocTermChunks, build_vocabulary, count_corpus
from toolkit.dtm.units import UNITS, split_units

__all__ = [
    "UNITS",
    "WEIGHTS",
    "DocTermChunks",
    "DocTermMatrix",
    "build_vocabulary",
    "count_corpus",
    "idf",
    "split_units",
]
