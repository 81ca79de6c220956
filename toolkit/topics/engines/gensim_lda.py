"""gensim's ``LdaModel`` (online variational Bayes), single-threaded and seeded.

``LdaMulticore`` is not used: its workers update the model in an order the
operating system decides, so the same seed can give different topics.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from toolkit.dtm import DocTermMatrix

__all__ = ["GensimLDA"]


class GensimLDA:
    """LDA by gensim; ``passes`` over the corpus, ``iterations`` per document per pass."""

    def __init__(self, *, k: int, seed: int, iterations: int, passes: int, alpha: Any, eta: Any):
        self.k, self.seed = k, seed
        self.iterations, self.passes = iterations, passes
        self.alpha, self.eta = alpha, eta

    def fit(self, dtm: DocTermMatrix) -> None:
        from gensim.models import LdaModel

        bows, dictionary = dtm.to_gensim()
        self.native = LdaModel(
            bows,
            id2word=dictionary,
            num_topics=self.k,
            random_state=self.seed,
            iterations=self.iterations,
            passes=self.passes,
            alpha=self.alpha,
            eta=self.eta,
        )
        self.topic_term = self.native.get_topics()
        self.doc_topic = self.infer(dtm)

    # ------------------------------------------------------------------ online
    def start(self, feature_names: list[str]) -> None:
        """An untrained model over these features, seeded, for :meth:`update`."""
        from gensim.corpora import Dictionary
        from gensim.models import LdaModel

        dictionary = Dictionary()
        dictionary.token2id = {name: j for j, name in enumerate(feature_names)}
        dictionary.id2token = dict(enumerate(feature_names))
        # One pass per update: the caller decides how often a chunk comes back.
        self.native = LdaModel(
            None,
            id2word=dictionary,
            num_topics=self.k,
            random_state=self.seed,
            iterations=self.iterations,
            passes=1,
            alpha=self.alpha,
            eta=self.eta,
        )
        self.topic_term = self.native.get_topics()

    def update(self, dtm: DocTermMatrix) -> None:
        """Online variational Bayes on one chunk: gensim's ``LdaModel.update``, one mini-batch."""
        bows = list(dtm._bows())
        self.native.update(bows, chunksize=max(len(bows), 1))
        self.topic_term = self.native.get_topics()

    def infer(self, dtm: DocTermMatrix) -> np.ndarray:
        bows, _ = dtm.to_gensim()
        # Inference draws from the model's random state: reset it, so that the
        # same documents always get the same shares.
        self.native.random_state = np.random.RandomState(self.seed)
        shares = np.zeros((len(dtm), self.k))
        for i, bow in enumerate(bows):
            for topic, p in self.native.get_document_topics(bow, minimum_probability=0.0):
                shares[i, topic] = p
        return shares
