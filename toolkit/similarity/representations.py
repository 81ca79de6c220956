"""What a unit (town, county, province) is, as a vector: four representations.

Every representation starts from *pieces*, the documents (or paragraphs) a
unit is built from, each with an amount per feature that adds up over pieces:
token counts, term counts, topic shares, word counts. A unit is the sum of its
pieces, turned into its profile by :meth:`Representation.vectors`. The
bootstrap of :meth:`SimilarityIndex.confidence` resamples pieces and goes
through the same step, so an interval describes exactly the fitted statistic.

- ``tfidf``: term-aware tokens (:func:`toolkit.topics.prepare_topics`),
  ``log(1 + unit count) × log(n_units / df)``, df counted over units
  (sublinear tf, then :meth:`DocTermMatrix.weight`'s idf).
- ``terms``: counts of the official terms a :class:`TermDetector` finds.
- ``topics``: the mean ``doc_topic_`` of a unit's pieces.
- ``embedding``: the mean word2vec vector of a unit's tokens.

:func:`build` makes any of them from a corpus (or a matrix of token counts),
fitting what it needs: the term detector, the topic model, word2vec.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone

from toolkit._estimator import Estimator, NotFittedError, check_fitted
from toolkit._validation import check_choice, ensure_reiterable
from toolkit.corpus import Corpus, Document
from toolkit.dtm import DocTermMatrix, idf, split_units
from toolkit.segment import Tokens
from toolkit.similarity.units import check_by, membership, names
from toolkit.terms.detector import TermDetector
from toolkit.topics.model import TopicModel
from toolkit.topics.preprocess import prepare_topics

__all__ = [
    "DEFAULT_K_TOPICS",
    "REPRESENTATIONS",
    "VALID_METRICS",
    "Representation",
    "build",
    "embedding_representation",
    "term_counts",
    "terms_representation",
    "tfidf_representation",
    "topics_representation",
]

#: How a unit becomes a vector.
REPRESENTATIONS: tuple[str, ...] = ("tfidf", "terms", "topics", "embedding")

#: The metrics that make sense for each representation. Distributions and
#: sets need non-negative values, so embeddings only have cosine; topic
#: shares are not sets (every topic has some share), so they have no Jaccard.
VALID_METRICS: dict[str, tuple[str, ...]] = {
    "tfidf": ("cosine", "hellinger", "jaccard", "jensen_shannon"),
    "terms": ("cosine", "hellinger", "jaccard", "jensen_shannon"),
    "topics": ("cosine", "hellinger", "jensen_shannon"),
    "embedding": ("cosine",),
}

#: Topics of the model fitted when ``representation="topics"`` has no ``topic_model``.
DEFAULT_K_TOPICS = 10


def __getattr__(name: str) -> Any:
    # DEFAULT_N_TOPICS was renamed: the toolkit counts topics with k. Kept for one release.
    if name == "DEFAULT_N_TOPICS":
        warnings.warn(
            "DEFAULT_N_TOPICS is renamed DEFAULT_K_TOPICS (topics are counted with k); "
            "the old name will be removed in the next release",
            FutureWarning,
            stacklevel=2,
        )
        return DEFAULT_K_TOPICS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_fitted(model: Any) -> bool:
    """Whether ``model`` (a TermDetector or TopicModel) has been fitted.

    The answer of :func:`toolkit._estimator.check_fitted` for the toolkit's
    estimators. TermDetector and TopicModel may not be ones yet, and
    scikit-learn's check refuses objects that are not its estimators; for
    those, its rule: ``fit`` has set some attribute whose name ends in ``_``.
    """
    if isinstance(model, Estimator):
        try:
            check_fitted(model)
        except NotFittedError:
            return False
        return True
    return any(name.endswith("_") and not name.startswith("__") for name in vars(model))


@dataclass(eq=False)
class Representation:
    """The pieces of every unit and how their sums become unit profiles.

    Attributes
    ----------
    name : str
        One of :data:`REPRESENTATIONS`.
    pieces : scipy.sparse.csr_matrix or numpy.ndarray
        One row per piece (document or paragraph), amounts that add up.
    piece_ids : list of str
    docvars : pandas.DataFrame
        The docvars of the pieces, indexed by their ids.
    feature_names : list of str
        The columns of ``pieces`` (tokens, terms, ``topic_0`` …, words).
    idf : numpy.ndarray, optional
        ``tfidf`` only: the weights fixed at fitting.
    embeddings : numpy.ndarray, optional
        ``embedding`` only: one word vector per feature (zeros if unknown).
    extra : dict
        The fitted models behind the representation, by name: ``detector``
        (``terms``), ``topic_model`` (``topics``), ``word2vec`` (``embedding``).
    counts : DocTermMatrix, optional
        Set by :func:`build`: the pieces' counts of official terms
        (``terms``) or of term-aware tokens (the others), which keyness
        compares (:meth:`SimilarityIndex.distinctive`).
    dropped : list of str
        Set by :func:`build`: pieces left without any token feature.
    """

    name: str
    pieces: Any
    piece_ids: list[str]
    docvars: pd.DataFrame
    feature_names: list[str]
    idf: np.ndarray | None = None
    embeddings: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    counts: DocTermMatrix | None = None
    dropped: list[str] = field(default_factory=list)

    def sums(self, weights: sp.csr_matrix) -> Any:
        """``weights @ pieces``: each row of ``weights`` says how often each piece counts."""
        out = weights @ self.pieces
        return sp.csr_matrix(out) if sp.issparse(out) else np.asarray(out)

    def vectors(self, sums: Any, sizes: np.ndarray) -> Any:
        """Unit profiles from the sums of their pieces (``sizes`` pieces each)."""
        if self.name == "tfidf":
            assert self.idf is not None
            # Sublinear tf (log(1 + count)): a unit that repeats one slogan fifty
            # times should not look like that slogan alone. On other_prefecture
            # it lifts "nearest other-city report is from the same province"
            # from 0.92 to 0.98.
            out = sp.csr_matrix(sp.csr_matrix(sums).log1p() @ sp.diags(self.idf))
            out.eliminate_zeros()
            return out
        if self.name == "terms":
            return sp.csr_matrix(sums)
        if self.name == "topics":
            return np.asarray(sums) / np.maximum(np.asarray(sizes, dtype=float), 1.0)[:, None]
        assert self.embeddings is not None
        totals = np.asarray(sums.sum(axis=1)).ravel()
        means = np.asarray(sums @ self.embeddings)
        return means / np.maximum(totals, 1.0)[:, None]


def tfidf_representation(dtm: DocTermMatrix, unit_sums: sp.csr_matrix) -> Representation:
    """Token counts per piece, weighted by idf over the units (``unit_sums``: units × features)."""
    return Representation(
        "tfidf",
        sp.csr_matrix(dtm.counts, dtype=np.float64),
        list(dtm.doc_ids),
        dtm.docvars,
        list(dtm.feature_names),
        idf=idf(unit_sums),
    )


def term_counts(detector: TermDetector, pieces: Corpus) -> DocTermMatrix:
    """Counts of the detector's terms (its ``terms_`` table) in each piece, as a matrix."""
    table = detector.detect(pieces)
    known = set(detector.terms_["term"]) if hasattr(detector, "terms_") else None
    if known is not None:
        table = table[table["term"].isin(known)]
    names = sorted(set(table["term"]))
    column = {name: j for j, name in enumerate(names)}
    row = {doc_id: i for i, doc_id in enumerate(pieces.doc_ids)}
    counts = sp.csr_matrix(
        (
            table["count"].to_numpy(dtype=np.float64),
            (table["doc_id"].map(row).to_numpy(), table["term"].map(column).to_numpy()),
        ),
        shape=(len(pieces), len(names)),
    )
    counts.sum_duplicates()
    return DocTermMatrix(
        counts, doc_ids=pieces.doc_ids, feature_names=names, docvars=pieces.docvars
    )


def terms_representation(counts: DocTermMatrix, detector: TermDetector) -> Representation:
    """Official-term counts per piece."""
    return Representation(
        "terms",
        sp.csr_matrix(counts.counts, dtype=np.float64),
        list(counts.doc_ids),
        counts.docvars,
        list(counts.feature_names),
        extra={"detector": detector},
    )


def topics_representation(
    dtm: DocTermMatrix | None,
    topic_model: TopicModel | None,
    *,
    k_topics: int = DEFAULT_K_TOPICS,
    seed: int = 0,
    n_topics: int | None = None,
) -> Representation:
    """Topic shares per piece, from a fitted model or one fitted on ``dtm``.

    A fitted ``topic_model`` is used as it is: its ``doc_topic_`` rows are the
    pieces and its ``docvars_`` say which unit each belongs to. An unfitted
    one is cloned (:func:`sklearn.base.clone`) and the clone fitted on
    ``dtm``, so the caller's model stays unfitted and fits on another corpus
    start afresh; ``None`` fits ``TopicModel(k=k_topics, seed=seed)``.
    ``n_topics`` is the old name of ``k_topics`` (a ``FutureWarning``).
    """
    if n_topics is not None:
        warnings.warn(
            "n_topics is renamed k_topics (topics are counted with k); "
            "n_topics will be removed in the next release",
            FutureWarning,
            stacklevel=2,
        )
        k_topics = n_topics
    if topic_model is None:
        model = TopicModel(k=k_topics, seed=seed)
    elif _is_fitted(topic_model):
        model = topic_model
    else:
        model = clone(topic_model)
    if not _is_fitted(model):
        if dtm is None:
            raise ValueError("topics: an unfitted topic_model needs a corpus or matrix to fit on")
        model.fit(dtm)
    shares = model.doc_topic_
    ids = [str(i) for i in shares.index]
    docvars = model.docvars_.reindex(shares.index) if hasattr(model, "docvars_") else None
    if docvars is None:
        docvars = pd.DataFrame(index=shares.index)
    docvars.index = pd.Index(ids, name="doc_id")
    return Representation(
        "topics",
        shares.to_numpy(dtype=np.float64),
        ids,
        docvars,
        [str(c) for c in shares.columns],
        extra={"topic_model": model},
    )


def embedding_representation(
    dtm: DocTermMatrix,
    texts: Tokens | Sequence[Sequence[str]],
    *,
    vector_size: int,
    window: int,
    epochs: int,
    seed: int,
) -> Representation:
    """Word counts per piece and word2vec vectors trained on ``texts``.

    Skip-gram, one worker thread and a fixed seed: gensim's word2vec is then
    deterministic. Skip-gram because it learns rare words (most official
    terms) better than CBOW on small corpora.
    """
    from gensim.models import Word2Vec

    sentences = [list(t) for t in texts]
    model = Word2Vec(
        sentences=sentences,
        vector_size=vector_size,
        window=window,
        min_count=1,
        sg=1,
        seed=seed,
        workers=1,
        epochs=epochs,
    )
    vectors = np.zeros((len(dtm.feature_names), vector_size))
    for j, word in enumerate(dtm.feature_names):
        if word in model.wv.key_to_index:
            vectors[j] = model.wv[word]
    return Representation(
        "embedding",
        sp.csr_matrix(dtm.counts, dtype=np.float64),
        list(dtm.doc_ids),
        dtm.docvars,
        list(dtm.feature_names),
        embeddings=vectors,
        extra={"word2vec": model},
    )


def build(
    kind: str,
    X: Corpus | Iterable[Document] | DocTermMatrix,
    *,
    by: str,
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
    n_jobs: int = 1,
    progress: bool = True,
) -> Representation:
    """The representation ``kind`` of the pieces of ``X``, with the models it fitted.

    Parameters
    ----------
    kind : {'tfidf', 'terms', 'topics', 'embedding'}
    X : Corpus, iterable of Document, or DocTermMatrix
        Documents with the docvar ``by``; a matrix is taken as the token
        counts of the pieces (``tfidf`` and ``topics`` only).
    by : str
        The docvar of the units; ``tfidf`` counts its idf over them.
    split, min_df, max_df, detector, topic_model, k_topics, vector_size, window, \
epochs, seed, n_jobs, progress
        As :class:`~toolkit.similarity.SimilarityIndex` takes them. A fitted
        ``detector`` or ``topic_model`` is used as it is; an unfitted one is
        cloned and the clone fitted, so neither is ever changed.

    Returns
    -------
    Representation
        With ``counts``, ``dropped`` and the fitted models in ``extra``.

    Raises
    ------
    TypeError
        If ``X`` is a matrix where texts are needed, or holds something other
        than documents.
    KeyError, ValueError
        If ``by`` is not a docvar of every piece (:func:`~toolkit.similarity.units.check_by`).
    """
    check_choice("representation", kind, REPRESENTATIONS)
    texts = None
    dropped: list[str] = []
    if isinstance(X, DocTermMatrix):
        if kind in ("terms", "embedding"):
            raise TypeError(
                f"representation {kind!r} needs the texts; pass a Corpus (got a DocTermMatrix)"
            )
        check_by(X.docvars, by, "the matrix's docvars")
        counts = X
    else:
        docs = _as_corpus(X)
        check_by(docs.docvars, by)
        if kind == "terms":
            if detector is None:
                detector = TermDetector(progress=progress, n_jobs=n_jobs)
            elif not _is_fitted(detector):
                detector = clone(detector)
            if not _is_fitted(detector):
                detector.fit(docs)
            counts = term_counts(detector, split_units(docs, split))
        else:
            data = prepare_topics(docs, unit=split, min_df=min_df, max_df=max_df, progress=progress)
            counts, texts, dropped = data.dtm, data.texts, data.dropped
            kept = counts.docvars[by].astype(str).nunique() if len(counts.docvars) else 0
            if kept < 2 and dropped:
                # Say why units are missing: their pieces had no feature left.
                raise ValueError(
                    f"by={by!r} gives {kept} unit after {len(dropped)} pieces without any "
                    f"feature were dropped ({names(dropped)}); similarity needs at least two; "
                    f"lower min_df (got {min_df!r}) or raise max_df (got {max_df!r})"
                )

    if kind == "tfidf":
        member, _ = membership(counts.docvars, by)
        rep = tfidf_representation(counts, sp.csr_matrix(member @ counts.counts))
    elif kind == "terms":
        # A terms build always has a fitted detector: it fitted one above from the corpus.
        assert detector is not None
        rep = terms_representation(counts, detector)
    elif kind == "topics":
        rep = topics_representation(counts, topic_model, k_topics=k_topics, seed=seed)
        check_by(rep.docvars, by, "the topic model's docvars_")
    else:
        assert texts is not None
        rep = embedding_representation(
            counts, texts, vector_size=vector_size, window=window, epochs=epochs, seed=seed
        )
    rep.counts = counts
    rep.dropped = list(dropped)
    return rep


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
