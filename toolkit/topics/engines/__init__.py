"""The LDA engines behind :class:`toolkit.topics.TopicModel`, one file per library.

Each engine fits on a :class:`~toolkit.dtm.DocTermMatrix` and exposes the same
four things: ``native`` (the library's model), ``topic_term`` (k × features,
in the matrix's column order), ``doc_topic`` (the fitted rows' topic shares)
and ``infer(dtm)``, so everything above them (likelihood, selection,
prevalence, plots) is backend-agnostic.
"""

from toolkit.topics.engines.gensim_lda import GensimLDA
from toolkit.topics.engines.tomotopy_lda import TomotopyDMR, TomotopyLDA

__all__ = ["ENGINES", "GensimLDA", "TomotopyDMR", "TomotopyLDA"]

#: backend name → engine class.
ENGINES = {"gensim": GensimLDA, "tomotopy": TomotopyLDA}
