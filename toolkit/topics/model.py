"""TopicModel: LDA over a DocTermMatrix as a scikit-learn style estimator.

Backend ``"gensim"`` (``LdaModel``) runs single-threaded with a fixed seed, so
the same data and seed give the same topics: gensim's multicore LDA is not
reproducible, which is why it is not the default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit._validation import check_choice, check_positive_int
from toolkit.dtm import DocTermMatrix

__all__ = ["BACKENDS", "COHERENCE", "TopicModel"]

#: Topic-model engines.
BACKENDS = ("gensim",)
#: Coherence measures gensim's CoherenceModel computes.
COHERENCE = ("c_npmi", "c_v", "u_mass")


class TopicModel:
    """Latent Dirichlet allocation with reproducible results.

    Parameters
    ----------
    k : int
        Number of topics.
    backend : {'gensim'}
    seed : int
        Random seed; the same data and seed give the same model.
    iterations, passes : int
        Inference iterations per document and passes over the corpus.
    alpha, eta : str or float
        Dirichlet priors, as gensim takes them (``'symmetric'``, ``'auto'``, a number).

    Attributes
    ----------
    topic_term_ : numpy.ndarray
        ``k × n_features`` word probabilities per topic.
    doc_topic_ : pandas.DataFrame
        Topic shares per document, indexed by ``doc_id``.
    feature_names_ : list of str
    docvars_ : pandas.DataFrame
        The docvars of the fitted documents, for :func:`toolkit.topics.prevalence`.
    """

    def __init__(
        self,
        *,
        k: int = 10,
        backend: str = "gensim",
        seed: int = 0,
        iterations: int = 100,
        passes: int = 10,
        alpha: str | float = "symmetric",
        eta: str | float | None = None,
    ) -> None:
        self.k = k
        self.backend = backend
        self.seed = seed
        self.iterations = iterations
        self.passes = passes
        self.alpha = alpha
        self.eta = eta

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, as scikit-learn estimators report them."""
        names = ("k", "backend", "seed", "iterations", "passes", "alpha", "eta")
        return {name: getattr(self, name) for name in names}

    def _validate(self) -> None:
        check_positive_int("k", self.k)
        check_choice("backend", self.backend, BACKENDS)
        check_positive_int("iterations", self.iterations)
        check_positive_int("passes", self.passes)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise TypeError(f"seed must be an int (got {type(self.seed).__name__}: {self.seed!r})")

    def fit(self, dtm: DocTermMatrix) -> TopicModel:
        """Fit on a document-term matrix of counts; returns ``self``."""
        self._validate()
        if not isinstance(dtm, DocTermMatrix):
            raise TypeError(f"fit expects a DocTermMatrix (got {type(dtm).__name__})")
        if dtm.shape[1] == 0 or dtm.counts.sum() == 0:
            raise ValueError("fit needs a DocTermMatrix with at least one non-zero count")
        from gensim.models import LdaModel

        bows, dictionary = dtm.to_gensim()
        self.model_ = LdaModel(
            bows,
            id2word=dictionary,
            num_topics=self.k,
            random_state=self.seed,
            iterations=self.iterations,
            passes=self.passes,
            alpha=self.alpha,
            eta=self.eta,
        )
        self.dictionary_ = dictionary
        self.feature_names_ = list(dtm.feature_names)
        self.docvars_ = dtm.docvars.copy()
        self.topic_term_ = self.model_.get_topics()
        self.doc_topic_ = self.transform(dtm)
        return self

    def transform(self, dtm: DocTermMatrix) -> pd.DataFrame:
        """Topic shares of each document of ``dtm`` (its features must be the fitted ones)."""
        self._check_fitted()
        if list(dtm.feature_names) != self.feature_names_:
            raise ValueError(
                "transform needs the features the model was fitted on; "
                "build the matrix with the same vocabulary (e.g. the same trim)"
            )
        bows, _ = dtm.to_gensim()
        # Inference draws from the model's random state: reset it, so that the
        # same documents always get the same shares.
        self.model_.random_state = np.random.RandomState(self.seed)
        shares = np.zeros((len(dtm), self.k))
        for i, bow in enumerate(bows):
            for topic, p in self.model_.get_document_topics(bow, minimum_probability=0.0):
                shares[i, topic] = p
        columns = [f"topic_{t}" for t in range(self.k)]
        return pd.DataFrame(shares, index=pd.Index(dtm.doc_ids, name="doc_id"), columns=columns)

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise RuntimeError("this TopicModel is not fitted yet; call fit(dtm) first")

    def top_terms(self, n: int = 10, *, relevance: float = 1.0) -> list[list[str]]:
        """The ``n`` terms of each topic, ranked by Sievert & Shirley's relevance.

        ``relevance`` (λ) = 1 ranks by probability in the topic; lower values
        favour terms exclusive to the topic (λ ≈ 0.6 reads best, per the paper).
        """
        self._check_fitted()
        check_positive_int("n", n)
        if not 0.0 <= relevance <= 1.0:
            raise ValueError(f"relevance must be between 0.0 and 1.0 (got {relevance})")
        phi = self.topic_term_
        marginal = phi.mean(axis=0)
        with np.errstate(divide="ignore"):
            score = relevance * np.log(phi) + (1 - relevance) * np.log(phi / marginal)
        out = []
        for row in score:
            # Ties broken by feature name, so the order never depends on float noise.
            order = sorted(range(len(row)), key=lambda j: (-row[j], self.feature_names_[j]))
            out.append([self.feature_names_[j] for j in order[:n]])
        return out

    def labels(self, n: int = 3, *, relevance: float = 0.6) -> list[str]:
        """Short names for the topics: ``"T0 民生·保障·就业"``, from the relevance-ranked top terms."""
        return [
            f"T{t} " + "·".join(terms)
            for t, terms in enumerate(self.top_terms(n, relevance=relevance))
        ]

    def coherence(self, *, texts: Any = None, measure: str = "c_npmi", n: int = 10) -> list[float]:
        """Coherence of each topic's top ``n`` terms (gensim's CoherenceModel).

        Every measure counts co-occurrence in ``texts`` (token lists, e.g. a
        ``Tokens``): sliding windows for ``c_npmi`` and ``c_v``, documents for
        ``u_mass``. Compare models on one reference: the same texts.
        """
        self._check_fitted()
        check_choice("measure", measure, COHERENCE)
        from gensim.models import CoherenceModel

        if texts is None:
            raise ValueError("coherence counts co-occurrence in texts: pass texts= (got None)")
        cm = CoherenceModel(
            topics=self.top_terms(n),
            texts=[list(t) for t in texts],
            dictionary=self.dictionary_,
            coherence=measure,
            processes=1,
        )
        return [float(c) for c in cm.get_coherence_per_topic()]

    def save(self, path: str | Path) -> Path:
        """Write the fitted model to one file at ``path`` (a pickle: load only trusted files)."""
        self._check_fitted()
        import pickle

        target = Path(path)
        target.write_bytes(pickle.dumps(self))
        return target

    @staticmethod
    def load(path: str | Path) -> TopicModel:
        """Read a model written by :meth:`save`."""
        import pickle

        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"topic model file not found: {str(p)!r}")
        model = pickle.loads(p.read_bytes())
        if not isinstance(model, TopicModel):
            raise TypeError(f"{str(p)!r} does not hold a TopicModel")
        return model
