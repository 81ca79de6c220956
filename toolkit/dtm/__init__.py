"""Document-term matrices: sparse counts that keep doc_ids and docvars aligned."""

from toolkit.dtm.matrix import WEIGHTS, DocTermMatrix
from toolkit.dtm.units import UNITS, split_units

__all__ = ["UNITS", "WEIGHTS", "DocTermMatrix", "split_units"]
