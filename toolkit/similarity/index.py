"""SimilarityIndex: how alike units (towns, counties, provinces) write, as an estimator.

Documents are grouped into units by a docvar, each unit becomes a vector
(:mod:`toolkit.similarity.representations`), and units are compared with a
metric (:mod:`toolkit.similarity.metrics`). Around that: neighbours, the
features behind a pair's similarity, what sets a unit apart, a bootstrap
interval for one pair, and a permutation test for "units of the same county
are more alike than units of different counties".
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone
from tqdm.auto import tqdm

from toolkit._estimator import Estimator
from toolkit._validation import (
    check_choice,
    check_flag,
    check_positive_int,
    ensure_reiterable,
)
from toolkit.corpus import Corpus, Document
from toolkit.dtm import UNITS, DocTermMatrix, split_units
from toolkit.similarity import metrics
from toolkit.similarity.representations import (
    DEFAULT_N_TOPICS,
    REPRESENTATIONS,
    VALID_METRICS,
    embedding_representation,
    is_fitted,
    term_counts,
    terms_representation,
    tfidf_representation,
    topics_representation,
)
from toolkit.similarity.topk import select_top, top_k_prepared
from toolkit.terms.detector import TermDetector
from toolkit.terms.keyness import MEASURES, keyness
from toolkit.topics.model import TopicModel
from toolkit.topics.preprocess import prepare_topics

__all__ = ["BootstrapInterval", "PermutationResult", "SimilarityIndex"]

# Above this many units matrix() would take gigabytes: use top_neighbors().
_MAX_DENSE_UNITS = 10_000
# Bootstrap replicates computed at once (each is a units-sized sparse row).
_BOOT_CHUNK = 250
# Units named in an error message before "… and N more".
_SHOWN = 20


def _names(values: Iterable[Any]) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_SHOWN])
    more = f" … and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return f"[{shown}{more}]"


@dataclass(frozen=True)
class BootstrapInterval:
    """What :meth:`SimilarityIndex.confidence` returns.

    Attributes
    ----------
    a, b : str
        The two units.
    similarity : float
        The similarity of the fitted units.
    low, high : float
        Percentile bootstrap interval at ``level``.
    std_error : float
        Standard deviation of the bootstrap similarities.
    level : float
    n_boot : int
    n_a, n_b : int
        Pieces (documents or paragraphs) resampled on each side.
    replicates : numpy.ndarray
        The ``n_boot`` bootstrap similarities.
    """

    a: str
    b: str
    similarity: float
    low: float
    high: float
    std_error: float
    level: float
    n_boot: int
    n_a: int
    n_b: int
    replicates: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class PermutationResult:
    """What :meth:`SimilarityIndex.permutation_test` returns.

    Attributes
    ----------
    groups : str
        The docvar that groups the units.
    observed : float
        Mean similarity of pairs in the same group minus that of pairs in
        different groups.
    within, across : float
        The two means.
    p_value : float
        Share of label permutations (counting the observed labels) whose
        difference is at least ``observed``: one-sided, ``(1 + hits) / (1 + n_perm)``.
    n_perm : int
    n_within, n_across : int
        Pairs of units in the same group and in different groups.
    n_units, n_groups : int
    null : numpy.ndarray
        The ``n_perm`` differences under permuted labels.
    """

    groups: str
    observed: float
    within: float
    across: float
    p_value: float
    n_perm: int
    n_within: int
    n_across: int
    n_units: int
    n_groups: int
    null: np.ndarray = field(repr=False)


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
        default ``TopicModel(k=n_topics, seed=seed)`` is fitted.
    n_topics : int
        Topics of the default model (:data:`DEFAULT_N_TOPICS`, 10).
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

    The constructor stores the parameters as given; ``fit`` and
    :meth:`set_params` check them. :func:`sklearn.base.clone` gives an
    unfitted copy with the same parameters.

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
        The pieces and how they add up to units (used by :meth:`confidence`).
    detector_ : TermDetector
        ``'terms'`` only: the fitted detector (``detector`` itself when it
        came fitted, else the one ``fit`` fitted).
    topic_model_ : TopicModel
        ``'topics'`` only: the fitted topic model, likewise.
    word2vec_ : gensim.models.Word2Vec
        ``'embedding'`` only.
    dropped_ : list of str
        Pieces left without any token feature (not in any unit).

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
        n_topics: int = DEFAULT_N_TOPICS,
        vector_size: int = 50,
        window: int = 5,
        epochs: int = 20,
        seed: int = 0,
        block_size: int | None = None,
        n_jobs: int = 1,
        progress: bool = True,
    ) -> None:
        self.by = by
        self.representation = representation
        self.metric = metric
        self.split = split
        self.min_df = min_df
        self.max_df = max_df
        self.detector = detector
        self.topic_model = topic_model
        self.n_topics = n_topics
        self.vector_size = vector_size
        self.window = window
        self.epochs = epochs
        self.seed = seed
        self.block_size = block_size
        self.n_jobs = n_jobs
        self.progress = progress

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
        for name in ("n_topics", "vector_size", "window", "epochs", "n_jobs"):
            check_positive_int(name, getattr(self, name))
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

    def _check_by(self, docvars: pd.DataFrame, where: str = "the corpus") -> None:
        if self.by not in docvars.columns:
            raise KeyError(
                f"by: no docvar named {self.by!r} in {where}; "
                f"available: {sorted(map(str, docvars.columns))}"
            )
        values = docvars[self.by]
        missing = values.isna().to_numpy()
        if missing.any():
            example = list(docvars.index[missing][:3])
            raise ValueError(
                f"by: docvar {self.by!r} is missing for {int(missing.sum())} documents "
                f"(e.g. {example}); fill it or subset those documents out first"
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
        kind = self.representation
        counts: DocTermMatrix | None = None
        texts = None
        self.dropped_: list[str] = []
        if isinstance(X, DocTermMatrix):
            if kind in ("terms", "embedding"):
                raise TypeError(
                    f"representation {kind!r} needs the texts; pass a Corpus (got a DocTermMatrix)"
                )
            self._check_by(X.docvars, "the matrix's docvars")
            counts = X
        else:
            docs = _as_corpus(X)
            self._check_by(docs.docvars)
            if kind == "terms":
                pieces = split_units(docs, self.split)
                if self.detector is None:
                    detector = TermDetector(progress=self.progress, n_jobs=self.n_jobs)
                elif is_fitted(self.detector):
                    detector = self.detector
                else:
                    # A clone, so the caller's detector stays unfitted and the
                    # next fit, on another corpus, learns that corpus's terms.
                    detector = clone(self.detector)
                if not is_fitted(detector):
                    detector.fit(docs)
                counts = term_counts(detector, pieces)
                self.detector_ = detector
            else:
                data = prepare_topics(
                    docs,
                    unit=self.split,
                    min_df=self.min_df,
                    max_df=self.max_df,
                    progress=self.progress,
                )
                counts, texts, self.dropped_ = data.dtm, data.texts, data.dropped

        if kind == "tfidf":
            member = self._membership(counts.docvars)
            rep = tfidf_representation(counts, sp.csr_matrix(member @ counts.counts))
        elif kind == "terms":
            rep = terms_representation(counts, self.detector_)
        elif kind == "topics":
            rep = topics_representation(
                counts, self.topic_model, n_topics=self.n_topics, seed=self.seed
            )
            self._check_by(rep.docvars, "the topic model's docvars_")
            self.topic_model_ = rep.extra["topic_model"]
        else:
            rep = embedding_representation(
                counts,
                texts,
                vector_size=self.vector_size,
                window=self.window,
                epochs=self.epochs,
                seed=self.seed,
            )
            self.word2vec_ = rep.extra["word2vec"]
        # Keyness of distinctive() counts tokens, or terms for 'terms'.
        self._counts = counts

        member = self._membership(rep.docvars)
        sizes = np.asarray(member.sum(axis=1)).ravel().astype(int)
        self._member = member
        self.representation_ = rep
        self._sums = rep.sums(member)
        self.vectors_ = rep.vectors(self._sums, sizes)
        if kind == "embedding":
            self.feature_names_ = [f"dim_{d}" for d in range(self.vector_size)]
        else:
            self.feature_names_ = list(rep.feature_names)
        self.units_ = self._unit_table(rep.docvars, sizes)
        self._position = {label: i for i, label in enumerate(self.units_.index)}
        self._prepared = metrics.prepare(self.vectors_, self.metric)
        self._matrix: np.ndarray | None = None
        nnz = _row_nnz(self.vectors_)
        empty = [u for u, size in zip(self.units_.index, nnz, strict=True) if size == 0]
        if empty:
            warnings.warn(
                f"{len(empty)} units have no features in representation {kind!r}: "
                f"{_names(empty)}; they are similar to no other unit (0)",
                stacklevel=2,
            )
        return self

    def _membership(self, docvars: pd.DataFrame) -> sp.csr_matrix:
        """Units × pieces: 1 where the piece belongs to the unit; units sorted as strings."""
        labels = docvars[self.by].astype(str).to_numpy()
        units = sorted(set(labels))
        if len(units) < 2:
            raise ValueError(
                f"by={self.by!r} gives {len(units)} unit ({_names(units)}); similarity "
                "needs at least two; group by a finer docvar"
            )
        row = {u: i for i, u in enumerate(units)}
        self._labels = units
        return sp.csr_matrix(
            (np.ones(len(labels)), ([row[u] for u in labels], np.arange(len(labels)))),
            shape=(len(units), len(labels)),
        )

    def _unit_table(self, docvars: pd.DataFrame, sizes: np.ndarray) -> pd.DataFrame:
        labels = docvars[self.by].astype(str)
        table = pd.DataFrame({"n_pieces": sizes}, index=pd.Index(self._labels, name=self.by))
        skip = {self.by, "document", "unit"}
        for name in docvars.columns:
            if name in skip:
                continue
            try:
                distinct = docvars[name].groupby(labels.to_numpy()).nunique(dropna=False)
            except TypeError:  # list-valued docvars (reporters …) are not unit-level
                continue
            if (distinct <= 1).all():
                first = docvars[name].groupby(labels.to_numpy()).first()
                table[name] = first.reindex(table.index).to_numpy()
        return table

    # ------------------------------------------------------------------ lookups
    def _index_of(self, unit: Any, name: str = "unit") -> int:
        self._check_fitted()
        key = str(unit)
        if key not in self._position:
            raise KeyError(
                f"{name} {unit!r} is not in the index (by={self.by!r}); available: "
                f"{_names(self.units_.index)}"
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
        check_positive_int("n", n)
        i, j = self._index_of(a, "a"), self._index_of(b, "b")
        rep = self.representation_
        if rep.name == "embedding":
            contribution, wa, wb = self._embedding_contributions(i, j)
        else:
            contribution, wa, wb = metrics.contributions(
                _row(self.vectors_, i), _row(self.vectors_, j), self.metric
            )
        names = np.asarray(rep.feature_names, dtype=object)
        total = float(contribution.sum())
        sim = self.similarity(a, b) if i != j else total
        table = pd.DataFrame(
            {
                "feature": names,
                "contribution": contribution,
                "share": contribution / total if total else np.zeros_like(contribution),
                "weight_a": wa,
                "weight_b": wb,
            }
        )
        table = table[(table["weight_a"] != 0) | (table["weight_b"] != 0)]
        table = table.sort_values(
            ["contribution", "feature"], ascending=[False, True], kind="mergesort"
        )
        table = table.head(n).reset_index(drop=True)
        table.attrs.update(a=str(a), b=str(b), metric=self.metric, similarity=sim, total=total)
        return table

    def _embedding_contributions(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rep = self.representation_
        assert rep.embeddings is not None
        E = rep.embeddings
        counts = [_row(self._sums, u) for u in (i, j)]
        shares = [c / c.sum() if c.sum() > 0 else c for c in counts]
        means = [s @ E for s in shares]
        norms = [float(np.linalg.norm(m)) for m in means]
        if min(norms) == 0:
            zero = np.zeros(len(E))
            return zero, shares[0], shares[1]
        unit = [m / nm for m, nm in zip(means, norms, strict=True)]
        pull_a = shares[0] * (E @ unit[1]) / norms[0]
        pull_b = shares[1] * (E @ unit[0]) / norms[1]
        return (pull_a + pull_b) / 2, shares[0], shares[1]

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
        i = self._index_of(unit)
        check_choice("measure", measure, MEASURES)
        if n is not None:
            check_positive_int("n", n)
        counts = self._counts
        coo = counts.counts.tocoo()
        long = pd.DataFrame(
            {
                "doc_id": np.asarray(counts.doc_ids, dtype=object)[coo.row],
                "feature": np.asarray(counts.feature_names, dtype=object)[coo.col],
                "count": coo.data,
            }
        )
        labels = counts.docvars[self.by].astype(str).to_numpy()
        label = self.units_.index[i]
        target = [d for d, u in zip(counts.doc_ids, labels, strict=True) if u == label]
        table = keyness(long, target=target, feature="feature", count="count", measure=measure)
        return table if n is None else table.head(n)

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
        i, j = self._index_of(a, "a"), self._index_of(b, "b")
        check_positive_int("n_boot", n_boot)
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be between 0 and 1, exclusive (got {level!r})")
        rng = np.random.default_rng(self.seed if seed is None else seed)
        pieces = [self._member[u].indices for u in (i, j)]
        for label, members in zip((a, b), pieces, strict=True):
            if len(members) == 1:
                warnings.warn(
                    f"unit {label!r} is built from one piece; its side of the interval "
                    "has no sampling variation",
                    stacklevel=2,
                )
        draws = [rng.integers(0, len(p), size=(n_boot, len(p))) for p in pieces]
        rep = self.representation_
        n_pieces = self._member.shape[1]
        values = np.empty(n_boot)
        bar = tqdm(total=n_boot, desc="similarity: bootstrap", disable=not self.progress)
        for start in range(0, n_boot, _BOOT_CHUNK):
            stop = min(n_boot, start + _BOOT_CHUNK)
            sides = []
            for members, draw in zip(pieces, draws, strict=True):
                chosen = members[draw[start:stop]]
                rows = np.repeat(np.arange(stop - start), chosen.shape[1])
                weights = sp.csr_matrix(
                    (np.ones(chosen.size), (rows, chosen.ravel())),
                    shape=(stop - start, n_pieces),
                )
                sizes = np.full(stop - start, len(members))
                sides.append(rep.vectors(rep.sums(weights), sizes))
            values[start:stop] = metrics.paired(sides[0], sides[1], self.metric)
            bar.update(stop - start)
        bar.close()
        tail = (1.0 - level) / 2
        low, high = np.quantile(values, [tail, 1.0 - tail])
        return BootstrapInterval(
            a=str(a),
            b=str(b),
            similarity=self.similarity(a, b),
            low=float(low),
            high=float(high),
            std_error=float(values.std(ddof=1)) if n_boot > 1 else 0.0,
            level=level,
            n_boot=n_boot,
            n_a=len(pieces[0]),
            n_b=len(pieces[1]),
            replicates=values,
        )

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
        self._check_fitted()
        check_positive_int("n_perm", n_perm)
        labels = self._group_labels(groups)
        S = self._similarity_matrix()
        n = len(labels)
        upper = np.triu_indices(n, 1)
        pair_sims = S[upper]
        _, codes = np.unique(labels, return_inverse=True)
        same = codes[upper[0]] == codes[upper[1]]
        n_within, n_across = int(same.sum()), int((~same).sum())
        if n_within == 0 or n_across == 0:
            raise ValueError(
                f"permutation_test: groups={groups!r} gives {n_within} pairs of units in the "
                f"same group and {n_across} across groups; it needs both (some group with two "
                "or more units, and at least two groups)"
            )
        total = float(pair_sims.sum())

        def difference(within_sum: np.ndarray | float) -> Any:
            return within_sum / n_within - (total - within_sum) / n_across

        observed_sum = float(pair_sims[same].sum())
        observed = float(difference(observed_sum))
        rng = np.random.default_rng(self.seed if seed is None else seed)
        null_sums = np.empty(n_perm)
        for t in tqdm(range(n_perm), desc="similarity: permutations", disable=not self.progress):
            shuffled = codes[rng.permutation(n)]
            null_sums[t] = pair_sims[shuffled[upper[0]] == shuffled[upper[1]]].sum()
        null = difference(null_sums)
        # Sums in another order can differ in the last bits for the same grouping.
        hits = int((null >= observed - 1e-12).sum())
        return PermutationResult(
            groups=groups,
            observed=observed,
            within=observed_sum / n_within,
            across=(total - observed_sum) / n_across,
            p_value=(1 + hits) / (1 + n_perm),
            n_perm=n_perm,
            n_within=n_within,
            n_across=n_across,
            n_units=n,
            n_groups=int(codes.max()) + 1,
            null=null,
        )

    def _group_labels(self, groups: str) -> np.ndarray:
        docvars = self.representation_.docvars
        if not isinstance(groups, str) or groups not in docvars.columns:
            raise KeyError(
                f"groups: no docvar named {groups!r}; available: "
                f"{sorted(map(str, docvars.columns))}"
            )
        if groups not in self.units_.columns:
            units = docvars[self.by].astype(str).to_numpy()
            try:
                distinct = docvars[groups].groupby(units).nunique(dropna=False)
            except TypeError:
                distinct = pd.Series(dtype=int)
            mixed = list(distinct.index[distinct > 1])
            raise ValueError(
                f"groups: docvar {groups!r} is not constant within units of {self.by!r} "
                f"({len(mixed)} units have several values, e.g. {_names(mixed[:3])}); "
                f"pick a docvar at the level of the units or above "
                f"(constant: {sorted(c for c in self.units_.columns if c != 'n_pieces')})"
            )
        values = self.units_[groups]
        if values.isna().any():
            missing = list(values.index[values.isna()])
            raise ValueError(
                f"groups: docvar {groups!r} is missing for {len(missing)} units "
                f"({_names(missing)}); fill it first"
            )
        return values.astype(str).to_numpy()


# ---------------------------------------------------------------------- helpers
def _as_corpus(X: Any) -> Corpus:
    if isinstance(X, Corpus):
        return X
    X = ensure_reiterable(X, "X")
    docs = list(X)
    for i, doc in enumerate(docs):
        if not isinstance(doc, Document):
            raise TypeError(
                f"X must be a Corpus, Documents or a DocTermMatrix; X[{i}] is a "
                f"{type(doc).__name__} (use Corpus.from_records for dicts)"
            )
    return Corpus(docs)


def _row(M: Any, i: int) -> np.ndarray:
    row = M[i]
    return np.asarray(row.toarray() if sp.issparse(row) else row, dtype=np.float64).ravel()


def _row_nnz(M: Any) -> np.ndarray:
    if sp.issparse(M):
        return np.diff(sp.csr_matrix(M).indptr)
    return (np.asarray(M) != 0).sum(axis=1)
