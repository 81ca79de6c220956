"""TopicModel: LDA over a DocTermMatrix as a scikit-learn style estimator.

Two engines, both reproducible: the same data and seed give the same top
terms and the same ``doc_topic_``.

- ``"gensim"`` (the default): ``LdaModel``, online variational Bayes,
  single-threaded. gensim's ``LdaMulticore`` is not offered: its workers
  update the model in an order the operating system decides.
- ``"tomotopy"``: collapsed Gibbs sampling in C++, one worker (tomotopy says
  several workers may change results under a fixed seed). It also fits the
  covariate model (Dirichlet-multinomial regression) with ``covariates=``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit._estimator import Estimator
from toolkit._persist import ModelFileError, ModelReader, ModelWriter
from toolkit._validation import check_choice, check_positive_int, ensure_reiterable
from toolkit.dtm import DocTermMatrix
from toolkit.topics.engines import ENGINES, GensimLDA, TomotopyDMR, TomotopyLDA
from toolkit.topics.engines.gensim_lda import dictionary_from_json, dictionary_to_json

__all__ = ["BACKENDS", "COHERENCE", "TopicModel"]

#: Topic-model engines.
BACKENDS = tuple(ENGINES)
#: Coherence measures gensim's CoherenceModel computes.
COHERENCE = ("c_npmi", "c_v", "u_mass")


class TopicModel(Estimator):
    """Latent Dirichlet allocation with reproducible results.

    Parameters
    ----------
    k : int
        Number of topics.
    backend : {'gensim', 'tomotopy'}
        ``'gensim'``: ``passes`` over the corpus with up to ``iterations``
        variational steps per document. ``'tomotopy'``: ``passes ×
        iterations`` Gibbs sweeps.
    seed : int
        Random seed; the same data and seed give the same model.
    iterations, passes : int
    alpha : {'symmetric', 'auto'} or float
        Document-topic prior: 1/k for every topic, learned asymmetric, or
        this value for every topic.
    eta : float, optional
        Topic-word prior; ``None`` is the backend's default (gensim 1/k,
        tomotopy 0.01).
    covariates : str or sequence of str, optional
        Docvars whose values shift each document's topic prior (tomotopy's
        Dirichlet-multinomial regression; needs ``backend='tomotopy'``).
        The Python counterpart of stm's prevalence covariates.

    Attributes
    ----------
    topic_term_ : numpy.ndarray
        ``k × n_features`` word probabilities per topic.
    doc_topic_ : pandas.DataFrame
        Topic shares per document, indexed by ``doc_id`` (not kept by
        :meth:`partial_fit` and :meth:`fit_stream`, which hold no corpus).
    feature_names_ : list of str
    n_documents_ : int
        Documents the model learned from (every pass of :meth:`fit_stream`).
    docvars_ : pandas.DataFrame
        The docvars of the fitted documents, for :func:`toolkit.topics.prevalence`.
    covariate_effects_ : pandas.DataFrame
        Only with ``covariates``: the regression weight (log prior) of each
        covariate value (rows, ``"province=河北省"``; the intercept first)
        on each topic (columns).
    model_ : object
        The backend's own model (gensim ``LdaModel`` or a tomotopy model).

    Examples
    --------
    >>> from toolkit import Tokens
    >>> from toolkit.dtm import DocTermMatrix
    >>> docs = [["河长制", "河湖", "治理"], ["招商", "项目", "投资"]] * 10
    >>> dtm = DocTermMatrix.from_tokens(Tokens(docs, doc_ids=[str(i) for i in range(20)]))
    >>> model = TopicModel(k=2, seed=1, backend="tomotopy").fit(dtm)
    >>> sorted(sorted(t) for t in model.top_terms(3))
    [['投资', '招商', '项目'], ['河湖', '河长制', '治理']]
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
        eta: float | None = None,
        covariates: str | Sequence[str] | None = None,
    ) -> None:
        self.k = k
        self.backend = backend
        self.seed = seed
        self.iterations = iterations
        self.passes = passes
        self.alpha = alpha
        self.eta = eta
        self.covariates = covariates

    _fitted_attribute = "engine_"
    _fit_hint = "fit(dtm)"

    def _covariate_list(self) -> list[str]:
        if self.covariates is None:
            return []
        return [self.covariates] if isinstance(self.covariates, str) else list(self.covariates)

    def _validate_params(self) -> None:
        check_positive_int("k", self.k)
        check_choice("backend", self.backend, BACKENDS)
        check_positive_int("iterations", self.iterations)
        check_positive_int("passes", self.passes)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise TypeError(f"seed must be an int (got {type(self.seed).__name__}: {self.seed!r})")
        if isinstance(self.alpha, str):
            check_choice("alpha", self.alpha, ("auto", "symmetric"))
        elif isinstance(self.alpha, bool) or not isinstance(self.alpha, (int, float)):
            raise TypeError(f"alpha must be 'symmetric', 'auto' or a number (got {self.alpha!r})")
        if self.eta is not None and (
            isinstance(self.eta, bool) or not isinstance(self.eta, (int, float))
        ):
            raise TypeError(f"eta must be a number or None (got {self.eta!r})")
        if self.covariates is not None and not isinstance(self.covariates, (str, list, tuple)):
            raise TypeError(
                f"covariates must be a docvar name or a list of them, e.g. ['year'] "
                f"(got {self.covariates!r})"
            )
        if self.covariates is not None and self.backend != "tomotopy":
            raise ValueError(
                f"covariates need backend='tomotopy' (got backend={self.backend!r}); "
                "only tomotopy fits the covariate model (DMR)"
            )
        if self.covariates is not None and not self._covariate_list():
            raise ValueError("covariates must name at least one docvar (got an empty list)")

    def _check_covariates(self, dtm: DocTermMatrix) -> None:
        available = sorted(dtm.docvars.columns)
        for field in self._covariate_list():
            if field not in available:
                raise KeyError(f"covariates: no docvar named {field!r}; available: {available}")
            missing = dtm.docvars[field].isna()
            if missing.any():
                example = [d for d, m in zip(dtm.doc_ids, missing, strict=True) if m][:3]
                raise ValueError(
                    f"covariates: docvar {field!r} is missing for {int(missing.sum())} "
                    f"documents (e.g. {example}); fill it or fit on a matrix without them"
                )

    def fit(self, dtm: DocTermMatrix) -> TopicModel:
        """Fit on a document-term matrix of counts; returns ``self``."""
        self._validate_params()
        if not isinstance(dtm, DocTermMatrix):
            raise TypeError(f"fit expects a DocTermMatrix (got {type(dtm).__name__})")
        if dtm.shape[1] == 0 or dtm.counts.sum() == 0:
            raise ValueError("fit needs a DocTermMatrix with at least one non-zero count")
        self._check_covariates(dtm)
        params = {
            "k": self.k,
            "seed": self.seed,
            "iterations": self.iterations,
            "passes": self.passes,
            "alpha": self.alpha,
            "eta": self.eta,
        }
        if self.covariates is not None:
            engine: Any = TomotopyDMR(covariates=self._covariate_list(), **params)
        else:
            engine = ENGINES[self.backend](**params)
        engine.fit(dtm)
        self.engine_ = engine
        _, self.dictionary_ = dtm.to_gensim()
        self.feature_names_ = list(dtm.feature_names)
        self.n_documents_ = len(dtm)
        self.docvars_ = dtm.docvars.copy()
        self.topic_term_ = engine.topic_term
        self.doc_topic_ = self._frame(engine.doc_topic, dtm)
        if self.covariates is not None:
            self.covariate_effects_ = engine.effects()
        return self

    # ------------------------------------------------------------------ online
    def partial_fit(self, dtm: DocTermMatrix) -> TopicModel:
        """Update the model with one chunk of documents (online LDA); returns ``self``.

        The first call starts a model over ``dtm``'s features; later chunks must
        have the same features (build them with :class:`toolkit.dtm.DocTermChunks`,
        or with one ``vocabulary=``). Each chunk is one mini-batch of gensim's
        ``LdaModel.update``, so only one chunk is in memory at a time. The same
        chunks in the same order with the same ``seed`` give the same model.
        Needs ``backend='gensim'``; ``doc_topic_`` is not kept (use :meth:`transform`).
        """
        if not hasattr(self, "engine_"):
            self._start_online(dtm)
        self._check_chunk(dtm)
        self.engine_.update(dtm)
        self.topic_term_ = self.engine_.topic_term
        self.n_documents_ += len(dtm)
        return self

    def fit_stream(self, chunks: Iterable[DocTermMatrix]) -> TopicModel:
        """Train online from a stream of chunks: ``passes`` times over it; returns ``self``.

        Parameters
        ----------
        chunks : iterable of DocTermMatrix
            All with the same features, such as a :class:`toolkit.dtm.DocTermChunks`
            over a :class:`~toolkit.corpus.CorpusStream`. With ``passes > 1`` it
            is read several times, so a one-shot iterator is refused.

        Returns
        -------
        TopicModel
            ``self``, trained on the chunks.

        Notes
        -----
        Any earlier fit is discarded; see :meth:`partial_fit` for the rest.
        """
        self._validate_params()
        self._check_online()
        if self.passes > 1:
            chunks = ensure_reiterable(chunks, "chunks", what="DocTermMatrix chunks")
        elif isinstance(chunks, DocTermMatrix):
            raise TypeError(
                "chunks must be an iterable of DocTermMatrix; for one matrix call fit(dtm) "
                "or partial_fit(dtm)"
            )
        for name in ("engine_", "doc_topic_", "docvars_"):
            self.__dict__.pop(name, None)
        for _ in range(self.passes):
            n_chunks = 0
            for chunk in chunks:
                self.partial_fit(chunk)
                n_chunks += 1
            if n_chunks == 0:
                raise ValueError("fit_stream needs at least one chunk (got none)")
        return self

    def _check_online(self) -> None:
        if self.backend != "gensim" or self.covariates is not None:
            raise ValueError(
                f"online training needs backend='gensim' and no covariates (got "
                f"backend={self.backend!r}, covariates={self.covariates!r}); "
                "fit(dtm) trains the others on a whole matrix"
            )

    def _start_online(self, dtm: DocTermMatrix) -> None:
        self._validate_params()
        self._check_online()
        if not isinstance(dtm, DocTermMatrix):
            raise TypeError(f"partial_fit expects a DocTermMatrix (got {type(dtm).__name__})")
        if dtm.shape[1] == 0:
            raise ValueError("partial_fit needs a DocTermMatrix with at least one feature")
        engine = ENGINES[self.backend](
            k=self.k,
            seed=self.seed,
            iterations=self.iterations,
            passes=1,
            alpha=self.alpha,
            eta=self.eta,
        )
        engine.start(list(dtm.feature_names))
        self.engine_ = engine
        self.dictionary_ = engine.native.id2word
        self.feature_names_ = list(dtm.feature_names)
        self.topic_term_ = engine.topic_term
        self.n_documents_ = 0

    def _check_chunk(self, dtm: DocTermMatrix) -> None:
        if not isinstance(dtm, DocTermMatrix):
            raise TypeError(f"partial_fit expects a DocTermMatrix (got {type(dtm).__name__})")
        if not hasattr(self.engine_, "update"):
            raise ValueError(
                "partial_fit continues an online model; this one was fitted by fit(dtm) "
                "with another backend. Call fit_stream, or partial_fit on a new TopicModel"
            )
        if list(dtm.feature_names) != self.feature_names_:
            raise ValueError(
                "partial_fit needs every chunk to have the features of the first "
                f"({len(self.feature_names_)}); this one has {len(dtm.feature_names)} others "
                "or in another order. Build the chunks with one vocabulary "
                "(toolkit.dtm.DocTermChunks)"
            )

    @property
    def model_(self) -> Any:
        """The backend's own model (gensim ``LdaModel``, tomotopy ``LDAModel``/``DMRModel``)."""
        self._check_fitted()
        return self.engine_.native

    def _frame(self, shares: np.ndarray, dtm: DocTermMatrix) -> pd.DataFrame:
        columns = [f"topic_{t}" for t in range(self.k)]
        return pd.DataFrame(shares, index=pd.Index(dtm.doc_ids, name="doc_id"), columns=columns)

    def _check_features(self, dtm: DocTermMatrix, method: str) -> None:
        self._check_fitted()
        if list(dtm.feature_names) != self.feature_names_:
            raise ValueError(
                f"{method} needs the features the model was fitted on; "
                "build the matrix with the same vocabulary (e.g. the same trim)"
            )
        if self.covariates is not None:
            self._check_covariates(dtm)

    def transform(self, dtm: DocTermMatrix) -> pd.DataFrame:
        """Topic shares of each document of ``dtm`` (its features must be the fitted ones)."""
        self._check_features(dtm, "transform")
        return self._frame(self.engine_.infer(dtm), dtm)

    def log_likelihood(self, dtm: DocTermMatrix) -> float:
        """Log-likelihood per word of ``dtm`` under the model, in nats.

        Each document's words are scored by ``doc_topic · topic_term`` with
        the topic shares :meth:`transform` infers for it: one estimate for
        both backends and every K, so values compare across them.
        ``exp(-value)`` is the perplexity. (gensim's own variational bound
        grows with K on small held-out sets, because the topics' prior terms
        are charged to the few held-out words.)
        """
        self._check_features(dtm, "log_likelihood")
        theta = self.transform(dtm).to_numpy()
        counts = dtm.counts
        if counts.nnz == 0:
            raise ValueError("log_likelihood needs a DocTermMatrix with at least one count")
        rows = np.repeat(np.arange(len(dtm)), np.diff(counts.indptr))
        p = np.einsum("nk,kn->n", theta[rows], self.topic_term_[:, counts.indices])
        total = float(np.sum(counts.data * np.log(np.maximum(p, 1e-300))))
        return total / float(counts.data.sum())

    def topic_prior(self, **values: Any) -> pd.Series:
        """The topic shares the covariate model expects for documents with these docvar values.

        Examples: ``model.topic_prior(province="河北省")``; covariates left out
        count as the reference level.
        """
        self._check_fitted()
        if self.covariates is None:
            raise ValueError("topic_prior needs a model fitted with covariates= (got None)")
        fields = self._covariate_list()
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise KeyError(f"topic_prior: {unknown} are not covariates; covariates: {fields}")
        known = set(self.covariate_effects_.index)
        features = [f"{field}={value}" for field, value in values.items()]
        for feature in features:
            if feature not in known:
                raise KeyError(f"topic_prior: {feature!r} was not seen in fitting")
        prior = self.engine_.prior(features)
        return pd.Series(prior, index=[f"topic_{t}" for t in range(self.k)], name="prior")

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
        with np.errstate(divide="ignore", invalid="ignore"):
            score = relevance * np.log(phi) + (1 - relevance) * np.log(phi / marginal)
        # A word no topic uses (absent from the fitted rows) scores 0/0: rank it last.
        score = np.nan_to_num(score, nan=-np.inf)
        out = []
        for row in score:
            # Ties broken by feature name, so the order never depends on float noise.
            order = sorted(range(len(row)), key=lambda j: (-row[j], self.feature_names_[j]))
            out.append([self.feature_names_[j] for j in order[:n]])
        return out

    def labels(self, n: int = 3, *, relevance: float = 0.6) -> list[str]:
        """Short topic names from the relevance-ranked top terms: ``"T0 民生·保障·就业"``."""
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

    # ------------------------------------------------------------------ model files
    def save(self, path: str | Path) -> Path:
        """Write the fitted model to one model file (no pickle); returns the path.

        Saved: the parameters; ``feature_names_``, ``n_documents_``, the
        dictionary's counts (JSON); ``topic_term_`` (``.npy``); ``doc_topic_``,
        ``docvars_`` and ``covariate_effects_`` when the model has them
        (Parquet); and the engine: gensim's arrays (``alpha``, ``eta``, the
        sufficient statistics ``sstats``, ``expElogbeta`` and its random
        state), or tomotopy's own binary model with every training document, so
        :meth:`transform`, :meth:`partial_fit` and :meth:`top_terms` give what
        they gave before saving. See ``docs/models.md``.

        Examples
        --------
        >>> model.save("topics.tifa")  # doctest: +SKIP
        >>> TopicModel.load("topics.tifa").top_terms(5)  # doctest: +SKIP
        """
        return super().save(path)

    def _engine_name(self) -> str:
        if isinstance(self.engine_, TomotopyDMR):
            return "tomotopy-dmr"
        return "gensim" if isinstance(self.engine_, GensimLDA) else "tomotopy"

    def _save_state(self, writer: ModelWriter) -> None:
        engine = self.engine_
        writer.json(
            "state",
            {
                "engine": self._engine_name(),
                "engine_passes": engine.passes,
                "feature_names": self.feature_names_,
                "n_documents": self.n_documents_,
                "dictionary": dictionary_to_json(self.dictionary_),
            },
        )
        writer.array("topic_term", self.topic_term_)
        for name in ("doc_topic_", "docvars_", "covariate_effects_"):
            if hasattr(self, name):
                writer.frame(name.rstrip("_"), getattr(self, name))
        engine.save_state(writer.child("engine"))

    def _load_state(self, reader: ModelReader) -> None:
        state = reader.json("state")
        params = {
            "k": self.k,
            "seed": self.seed,
            "iterations": self.iterations,
            "passes": state["engine_passes"],
            "alpha": self.alpha,
            "eta": self.eta,
        }
        kind = state["engine"]
        if kind not in ("gensim", "tomotopy", "tomotopy-dmr"):
            raise ModelFileError(f"{reader.path.name}: unknown topic-model engine {kind!r}")
        self.feature_names_ = list(state["feature_names"])
        self.n_documents_ = int(state["n_documents"])
        self.dictionary_ = dictionary_from_json(state["dictionary"])
        self.topic_term_ = reader.array("topic_term")
        for name in ("doc_topic", "docvars", "covariate_effects"):
            if reader.has(f"{name}.parquet"):
                setattr(self, f"{name}_", reader.frame(name))
        engine: Any
        if kind == "gensim":
            engine = GensimLDA(**params)
            engine.load_state(reader.child("engine"), self.dictionary_)
        elif kind == "tomotopy":
            engine = TomotopyLDA(**params)
            engine.load_state(reader.child("engine"))
        else:
            engine = TomotopyDMR(covariates=self._covariate_list(), **params)
            engine.load_state(reader.child("engine"))
        engine.topic_term = self.topic_term_
        if hasattr(self, "doc_topic_"):
            engine.doc_topic = self.doc_topic_.to_numpy()
        self.engine_ = engine
