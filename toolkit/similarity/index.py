"""SimilarityIndex: how alike units (towns, counties, provinces) write, as an estimator.

Documents are grouped into units by a docvar (:mod:`toolkit.similarity.units`),
each unit becomes a vector (:mod:`toolkit.similarity.representations`), and
units are compared with a metric (:mod:`toolkit.similarity.metrics`). This
module holds the estimator and its lookups: the matrix, one pair, neighbours,
the neighbours graph. The features behind a pair and what sets a unit apart
live in :mod:`toolkit.similarity.explain`; the bootstrap interval and the
permutation test in :mod:`toolkit.similarity.inference`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from toolkit._estimator import Estimator
from toolkit._persist import ModelFileError, ModelReader, ModelWriter, encode_param
from toolkit._validation import check_choice, check_flag, check_positive_int
from toolkit.corpus import Corpus, Document
from toolkit.dtm import UNITS, DocTermMatrix
from toolkit.similarity import explain as _explain
from toolkit.similarity import inference as _inference
from toolkit.similarity import metrics, representations, saving
from toolkit.similarity.graph import to_networkx
from toolkit.similarity.inference import BootstrapInterval, PermutationResult
from toolkit.similarity.representations import DEFAULT_K_TOPICS, REPRESENTATIONS, VALID_METRICS
from toolkit.similarity.topk import select_top, top_k_prepared
from toolkit.similarity.units import membership, names, unit_table
from toolkit.terms.detector import TermDetector
from toolkit.topics.model import TopicModel

if TYPE_CHECKING:
    import networkx

__all__ = ["BootstrapInterval", "PermutationResult", "SimilarityIndex"]

# Above this many units matrix() would take gigabytes: use top_neighbors().
_MAX_DENSE_UNITS = 10_000
# The default of a renamed parameter: scikit-learn's convention, so get_params,
# clone and the repr keep working while the old name is still accepted.
_RENAMED = "deprecated"


def _unset(value: Any) -> bool:
    return isinstance(value, str) and value == _RENAMED


class SimilarityIndex(Estimator):
    """Unit-to-unit similarity (towns, counties, provinces) of a corpus.

    Parameters
    ----------
    by : str
        The docvar whose values are the units (``town``, ``county``, ``year`` …).
    representation : {'tfidf', 'terms', 'topics', 'embedding'}
        How a unit becomes a vector:

        - ``'tfidf'``: term-aware tokens (:func:`toolkit.topics.prepare_topics`:
          official terms whole, stopwords, numbers and place names out),
          summed per unit, damped to ``log(1 + count)`` (sublinear tf: a word
          a unit repeats 40 times does not outweigh 20 words it uses twice)
          and weighted by ``log(n_units / df)`` over units.
        - ``'terms'``: counts of the official terms a :class:`TermDetector`
          finds (``detector``), and nothing else.
        - ``'topics'``: the unit's mean topic shares (``doc_topic_``) of a
          :class:`TopicModel` (``topic_model``).
        - ``'embedding'``: the mean word2vec vector of the unit's tokens,
          trained on the corpus.
    metric : {'cosine', 'hellinger', 'jaccard', 'jensen_shannon'}
        See :mod:`toolkit.similarity.metrics`. Hellinger and Jensen–Shannon
        compare the vectors scaled to proportions; Jaccard compares the sets
        of features used. Valid pairs: :data:`~toolkit.similarity.VALID_METRICS`.
    split : {'document', 'paragraph'}
        The pieces a unit is built from, and which the bootstrap resamples.
    min_df, max_df : int or float
        Token features kept (``tfidf``, ``topics``, ``embedding``): in at
        least ``min_df`` and at most ``max_df`` pieces (counts or shares, as
        :meth:`DocTermMatrix.trim`).
    detector : TermDetector, optional
        For ``'terms'``: a fitted detector is used as it is; an unfitted one
        is a template: ``fit`` fits a clone of it (:func:`sklearn.base.clone`)
        on the corpus and leaves it unfitted. By default ``TermDetector()``
        is fitted.
    topic_model : TopicModel, optional
        For ``'topics'``: a fitted model is used as it is (its ``doc_topic_``
        rows are the pieces, its ``docvars_`` must hold ``by``); of an
        unfitted one, ``fit`` fits a clone on the corpus's token matrix; by
        default ``TopicModel(k=k_topics, seed=seed)`` is fitted.
    k_topics : int
        Topics of the default model (:data:`DEFAULT_K_TOPICS`, 10).
    n_topics : int, optional
        The old name of ``k_topics``: still used, with a ``FutureWarning``,
        until the next release.
    vector_size, window, epochs : int
        word2vec settings for ``'embedding'`` (skip-gram, one worker).
    seed : int
        Seeds the topic model, word2vec, and (unless given there) the
        bootstrap and the permutation test. Same data and seed, same results.
    block_size : int, optional
        Units compared at a time by :meth:`matrix` and :meth:`top_neighbors`.
    n_jobs : int
        Worker processes for :meth:`top_neighbors` and the term detector.
    progress : bool
        Show progress bars for the long steps.

    Attributes
    ----------
    units_ : pandas.DataFrame
        One row per unit (index named ``by``, sorted): ``n_pieces`` and the
        docvars constant within every unit (``county`` for towns …).
    vectors_ : scipy.sparse.csr_matrix or numpy.ndarray
        One profile per unit, rows in the order of ``units_``.
    feature_names_ : list of str
        The columns of ``vectors_`` (tokens, terms, ``topic_0`` … or ``dim_0`` …).
    representation_ : Representation
        The pieces, how they add up to units (used by :meth:`confidence`) and
        their counts (used by :meth:`distinctive`).
    detector_ : TermDetector
        ``'terms'`` only: the fitted detector (``detector`` itself when it
        came fitted, else the one ``fit`` fitted).
    topic_model_ : TopicModel
        ``'topics'`` only: the fitted topic model, likewise.
    word2vec_ : gensim.models.Word2Vec
        ``'embedding'`` only.
    dropped_ : list of str
        Pieces left without any token feature (not in any unit).

    Notes
    -----
    The constructor stores the parameters as given; ``fit`` and
    :meth:`set_params` check them. :func:`sklearn.base.clone` gives an
    unfitted copy with the same parameters.

    Examples
    --------
    >>> from toolkit import Corpus
    >>> docs = Corpus.from_records([
    ...     {"doc_id": "a", "town": "甲镇", "text": "推进河长制，落实河长制巡河。"},
    ...     {"doc_id": "b", "town": "乙镇", "text": "落实河长制，开展巡河。"},
    ...     {"doc_id": "c", "town": "丙镇", "text": "招商引资项目落地。"},
    ... ])
    >>> index = SimilarityIndex(by="town", min_df=1, max_df=1.0, progress=False).fit(docs)
    >>> index.neighbors("甲镇", k=1)["neighbor"].tolist()
    ['乙镇']
    """

    _fitted_attribute = "vectors_"
    _fit_hint = "fit(corpus)"

    def __init__(
        self,
        *,
        by: str = "town",
        representation: str = "tfidf",
        metric: str = "cosine",
        split: str = "document",
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        detector: TermDetector | None = None,
        topic_model: TopicModel | None = None,
        k_topics: int = DEFAULT_K_TOPICS,
        vector_size: int = 50,
        window: int = 5,
        epochs: int = 20,
        seed: int = 0,
        block_size: int | None = None,
        n_jobs: int = 1,
        progress: bool = True,
        n_topics: int | str = _RENAMED,
    ) -> None:
        self.by = by
        self.representation = representation
        self.metric = metric
        self.split = split
        self.min_df = min_df
        self.max_df = max_df
        self.detector = detector
        self.topic_model = topic_model
        self.k_topics = k_topics
        self.vector_size = vector_size
        self.window = window
        self.epochs = epochs
        self.seed = seed
        self.block_size = block_size
        self.n_jobs = n_jobs
        self.progress = progress
        self.n_topics = n_topics

    def _validate_params(self) -> None:
        """Check every parameter; ``fit`` and ``set_params`` call this."""
        if not isinstance(self.by, str) or not self.by:
            raise TypeError(f"by must be the name of a docvar, a str (got {self.by!r})")
        check_choice("representation", self.representation, REPRESENTATIONS)
        check_choice("metric", self.metric, metrics.METRICS)
        valid = VALID_METRICS[self.representation]
        if self.metric not in valid:
            options = ", ".join(repr(m) for m in sorted(valid))
            raise ValueError(
                f"metric {self.metric!r} does not apply to representation "
                f"{self.representation!r}; valid: {{{options}}}"
            )
        check_choice("split", self.split, UNITS)
        for name in ("k_topics", "vector_size", "window", "epochs", "n_jobs"):
            check_positive_int(name, getattr(self, name))
        if not _unset(self.n_topics):
            warnings.warn(
                "n_topics is renamed k_topics (topics are counted with k); "
                "n_topics will be removed in the next release",
                FutureWarning,
                # The user's fit() or set_params() call.
                stacklevel=3,
            )
            if self.k_topics != DEFAULT_K_TOPICS:
                raise ValueError(
                    f"n_topics is the old name of k_topics; pass k_topics only "
                    f"(got k_topics={self.k_topics!r}, n_topics={self.n_topics!r})"
                )
            check_positive_int("n_topics", self.n_topics)
        if self.block_size is not None:
            check_positive_int("block_size", self.block_size)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise TypeError(f"seed must be an int (got {type(self.seed).__name__}: {self.seed!r})")
        check_flag("progress", self.progress)
        if self.detector is not None:
            if not isinstance(self.detector, TermDetector):
                raise TypeError(
                    f"detector must be a TermDetector (got {type(self.detector).__name__})"
                )
            if self.representation != "terms":
                raise ValueError(
                    f"detector is only used with representation='terms' "
                    f"(got representation={self.representation!r}); drop detector= or "
                    "set representation='terms'"
                )
        if self.topic_model is not None:
            if not isinstance(self.topic_model, TopicModel):
                raise TypeError(
                    f"topic_model must be a TopicModel (got {type(self.topic_model).__name__})"
                )
            if self.representation != "topics":
                raise ValueError(
                    f"topic_model is only used with representation='topics' "
                    f"(got representation={self.representation!r}); drop topic_model= or "
                    "set representation='topics'"
                )

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Corpus | Iterable[Document] | DocTermMatrix) -> SimilarityIndex:
        """Group the pieces of ``X`` into units and build one vector per unit.

        Parameters
        ----------
        X : Corpus, iterable of Document, or DocTermMatrix
            Documents with the docvar ``by``. A :class:`DocTermMatrix` is
            taken as the token counts of the pieces (its rows); it serves
            ``'tfidf'`` and ``'topics'``, which need no text.

        Returns
        -------
        SimilarityIndex
            ``self``.
        """
        self._validate_params()
        rep = representations.build(
            self.representation,
            X,
            by=self.by,
            split=self.split,
            min_df=self.min_df,
            max_df=self.max_df,
            detector=self.detector,
            topic_model=self.topic_model,
            k_topics=self.k_topics if _unset(self.n_topics) else int(self.n_topics),
            vector_size=self.vector_size,
            window=self.window,
            epochs=self.epochs,
            seed=self.seed,
            n_jobs=self.n_jobs,
            progress=self.progress,
        )
        # The fitted models become detector_, topic_model_ or word2vec_; a model
        # of an earlier fit with another representation must not linger.
        for name in ("detector_", "topic_model_", "word2vec_"):
            self.__dict__.pop(name, None)
        for name, model in rep.extra.items():
            setattr(self, f"{name}_", model)
        self.dropped_ = list(rep.dropped)
        member, labels = membership(rep.docvars, self.by)
        sizes = np.asarray(member.sum(axis=1)).ravel().astype(int)
        self._member = member
        self.representation_ = rep
        self._sums = rep.sums(member)
        self.vectors_ = rep.vectors(self._sums, sizes)
        if rep.name == "embedding":
            self.feature_names_ = [f"dim_{d}" for d in range(self.vector_size)]
        else:
            self.feature_names_ = list(rep.feature_names)
        self.units_ = unit_table(rep.docvars, self.by, labels, sizes)
        self._position = {label: i for i, label in enumerate(self.units_.index)}
        self._prepared = metrics.prepare(self.vectors_, self.metric)
        self._matrix: np.ndarray | None = None
        nnz = _row_nnz(self.vectors_)
        empty = [u for u, size in zip(self.units_.index, nnz, strict=True) if size == 0]
        if empty:
            warnings.warn(
                f"{len(empty)} units have no features in representation {rep.name!r}: "
                f"{names(empty)}; they are similar to no other unit (0)",
                stacklevel=2,
            )
        return self

    # ------------------------------------------------------------------ model files
    def save(self, path: str | Path) -> Path:
        """Write the fitted index to one model file (no pickle); returns the path.

        Saved: the parameters; ``units_``, ``vectors_``, ``feature_names_``,
        ``dropped_`` and how pieces add up to units; the representation's
        pieces, their docvars and counts (so :meth:`explain`,
        :meth:`distinctive`, :meth:`confidence` and :meth:`permutation_test`
        work on the loaded index); and the models fitted for it: the
        ``detector_`` or ``topic_model_`` as models nested in the same file,
        ``word2vec_`` as its arrays. A ``detector`` or ``topic_model`` given
        fitted is that nested model; given unfitted, its parameters. See
        ``docs/models.md``.
        """
        return super().save(path)

    def _encoded_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.get_params(deep=False).items():
            if name in ("detector", "topic_model") and value is not None:
                out[name] = {
                    "$estimator": {
                        "class": type(value).__name__,
                        "fitted": value.__sklearn_is_fitted__(),
                        "params": value._encoded_params(),
                    }
                }
            else:
                out[name] = encode_param(value, name)
        return out

    @classmethod
    def _decode_params(cls, encoded: dict[str, Any], reader: ModelReader) -> dict[str, Any]:
        nested: dict[str, type[Estimator]] = {"detector": TermDetector, "topic_model": TopicModel}
        plain = {k: v for k, v in encoded.items() if k not in nested or v is None}
        params = super()._decode_params(plain, reader)
        for name, model_class in nested.items():
            value = encoded.get(name)
            if value is None:
                continue
            spec = value["$estimator"] if isinstance(value, dict) else None
            if spec is None or spec.get("class") != model_class.__name__:
                raise ModelFileError(
                    f"{reader.path.name}: parameter {name!r} does not hold a "
                    f"{model_class.__name__}: the file was changed"
                )
            if spec["fitted"]:
                params[name] = model_class._load_nested(reader.child(f"{name}_"))
            else:
                params[name] = model_class._construct(reader, spec["params"])
        return params

    def _save_state(self, writer: ModelWriter) -> None:
        saving.save_index(self, writer)

    def _load_state(self, reader: ModelReader) -> None:
        saving.load_index(self, reader)

    # ------------------------------------------------------------------ lookups
    def _index_of(self, unit: Any, name: str = "unit") -> int:
        self._check_fitted()
        key = str(unit)
        if key not in self._position:
            raise KeyError(
                f"{name} {unit!r} is not in the index (by={self.by!r}); available: "
                f"{names(self.units_.index)}"
            )
        return self._position[key]

    def _similarity_matrix(self) -> np.ndarray:
        self._check_fitted()
        if self._matrix is None:
            n = len(self.units_)
            if n > _MAX_DENSE_UNITS:
                raise ValueError(
                    f"matrix: {n} units would need {n * n * 8 / 1e9:.1f} GB; use "
                    f"top_neighbors(k) for the nearest units of each (limit {_MAX_DENSE_UNITS})"
                )
            self._matrix = metrics.pairwise(
                self._prepared, block_size=self.block_size, progress=self.progress
            )
        return self._matrix

    # ------------------------------------------------------------------ results
    def matrix(self) -> pd.DataFrame:
        """Similarity of every pair of units: units × units, 1 on the diagonal.

        Rows and columns are the units in the order of ``units_``.
        """
        S = self._similarity_matrix()
        labels = pd.Index(self.units_.index, name=self.by)
        return pd.DataFrame(S.copy(), index=labels, columns=labels.rename(None))

    def similarity(self, a: Any, b: Any) -> float:
        """Similarity of units ``a`` and ``b``."""
        i, j = self._index_of(a, "a"), self._index_of(b, "b")
        if i == j:
            return 1.0
        return float(self._prepared.block(np.array([i]))[0, j])

    def neighbors(self, unit: Any, k: int = 10) -> pd.DataFrame:
        """The ``k`` units most similar to ``unit``, itself excluded.

        Returns
        -------
        pandas.DataFrame
            ``neighbor``, ``similarity``, ``rank`` (1 = most similar), best
            first; equal similarities in the order of ``units_``. Fewer rows
            when there are fewer other units.
        """
        check_positive_int("k", k)
        i = self._index_of(unit)
        k = min(k, len(self.units_) - 1)
        S = self._prepared.block(np.array([i]))
        idx, sim = select_top(S, np.array([i]), k)
        labels = self.units_.index.to_numpy()
        table = pd.DataFrame(
            {"neighbor": labels[idx[0]], "similarity": sim[0], "rank": np.arange(1, k + 1)}
        )
        table.attrs.update(unit=str(unit), by=self.by, metric=self.metric)
        return table

    def top_neighbors(self, k: int = 10) -> pd.DataFrame:
        """The ``k`` nearest units of every unit, computed by blocks (no full matrix).

        Returns
        -------
        pandas.DataFrame
            ``unit``, ``neighbor``, ``similarity``, ``rank``: ``k`` rows per
            unit, units in the order of ``units_``.
        """
        self._check_fitted()
        check_positive_int("k", k)
        idx, sim = top_k_prepared(
            self._prepared,
            k,
            block_size=self.block_size,
            n_jobs=self.n_jobs,
            progress=self.progress,
        )
        labels = self.units_.index.to_numpy()
        n, kk = idx.shape
        return pd.DataFrame(
            {
                "unit": np.repeat(labels, kk),
                "neighbor": labels[idx.ravel()],
                "similarity": sim.ravel(),
                "rank": np.tile(np.arange(1, kk + 1), n),
            }
        )

    def to_networkx(self, k: int = 10) -> networkx.Graph:
        """The ``k``-nearest-neighbours graph, units with their docvars, for Gephi.

        The edges are :meth:`top_neighbors` through
        :func:`toolkit.similarity.to_networkx` (``weight`` is the similarity;
        a pair that are each other's neighbours is one edge, ``mutual=True``);
        every unit is a node with the columns of ``units_`` as attributes
        (``n_pieces``, ``county`` …). ``graph.graph`` holds ``by``,
        ``representation`` and ``metric``.

        Examples
        --------
        >>> import networkx as nx
        >>> nx.write_gexf(index.to_networkx(k=3), "towns.gexf")  # doctest: +SKIP
        """
        graph = to_networkx(self.top_neighbors(k), nodes=self.units_)
        graph.graph.update(by=self.by, representation=self.representation, metric=self.metric)
        return graph

    def explain(self, a: Any, b: Any, n: int = 10) -> pd.DataFrame:
        """The features that contribute most to the similarity of ``a`` and ``b``.

        The contributions of all features sum to the pair's similarity:

        - ``cosine``: the products of the two unit-length vectors; the
          weights are those vectors' entries.
        - ``hellinger`` and ``jensen_shannon``: each feature's term of the
          affinity (``sqrt(p q)``; ``(p+q)/2`` minus its divergence), scaled to
          sum to the similarity; the weights are the proportions.
        - ``jaccard``: ``1 / |union|`` per shared feature; the weights are the
          profile values (tf-idf or counts).
        - ``embedding``: words, not dimensions: the cosine of the two mean
          vectors splits exactly into ``(p_a(w) e_w·b̂ / |a| + p_b(w) e_w·â / |b|) / 2``
          over words ``w`` (``e_w`` its vector, ``p`` its share of the unit's
          tokens, ``â`` the unit-length mean); the weights are the shares.
          Words can pull the pair apart (negative contributions).

        Returns
        -------
        pandas.DataFrame
            The ``n`` features with the largest contributions: ``feature``,
            ``contribution``, ``share`` (of the similarity), ``weight_a``,
            ``weight_b``. ``attrs`` holds ``a``, ``b``, ``metric``,
            ``similarity`` and ``total`` (the sum over all features).
        """
        return _explain.explain(self, a, b, n)

    def distinctive(self, unit: Any, *, n: int | None = 20, measure: str = "g2") -> pd.DataFrame:
        """Keyness of ``unit`` against all other units (:func:`toolkit.terms.keyness`).

        Compares the counts of the unit's pieces with those of every other
        unit: official terms for ``representation='terms'``, term-aware
        tokens otherwise.

        Parameters
        ----------
        unit : str
        n : int, optional
            Rows to return, most over-used first; ``None`` returns all.
        measure : {'g2', 'chi2'}

        Returns
        -------
        pandas.DataFrame
            The keyness table (``feature``, ``target_count``, ``reference_count`` …).
        """
        return _explain.distinctive(self, unit, n=n, measure=measure)

    # ------------------------------------------------------------------ inference
    def confidence(
        self,
        a: Any,
        b: Any,
        *,
        n_boot: int = 1000,
        level: float = 0.95,
        seed: int | None = None,
    ) -> BootstrapInterval:
        """Bootstrap interval for the similarity of ``a`` and ``b``.

        Each replicate draws, with replacement, as many pieces as each unit
        has (documents, or paragraphs with ``split='paragraph'``) from that
        unit, rebuilds both profiles the way ``fit`` did (tf-idf keeps the
        fitted idf) and compares them. The interval is the percentile one.

        Resampling pieces tends to lower a similarity (a resampled profile
        repeats some pieces and drops others), so the interval can sit
        below the fitted value; read it as the spread, not a bias correction.
        A unit with one piece has no sampling variation on its side.

        Parameters
        ----------
        a, b : str
        n_boot : int
        level : float
            Between 0 and 1.
        seed : int, optional
            Defaults to the index's ``seed``.
        """
        return _inference.confidence(self, a, b, n_boot=n_boot, level=level, seed=seed)

    def permutation_test(
        self, groups: str, *, n_perm: int = 999, seed: int | None = None
    ) -> PermutationResult:
        """Are units of the same group more alike than units of different groups?

        The statistic is the mean similarity of pairs within a group minus
        that of pairs across groups. The group labels are shuffled over the
        units ``n_perm`` times (group sizes stay), and the p-value is the
        share of shuffles, counting the observed labels, whose difference is
        at least the observed one.

        Parameters
        ----------
        groups : str
            A docvar constant within each unit: ``county`` when ``by='town'``.
        n_perm : int
        seed : int, optional
            Defaults to the index's ``seed``.
        """
        return _inference.permutation_test(self, groups, n_perm=n_perm, seed=seed)


# ---------------------------------------------------------------------- helpers
def _row_nnz(M: Any) -> np.ndarray:
    if sp.issparse(M):
        return np.diff(sp.csr_matrix(M).indptr)
    return (np.asarray(M) != 0).sum(axis=1)
