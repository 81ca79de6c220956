"""Document-term matrices from a stream of documents, never holding the texts.

A corpus too large for memory (a :class:`~toolkit.corpus.CorpusStream` over a
folder of partitions, say) is counted in two passes: the first segments every
document to learn the vocabulary and prune it by document frequency, the
second segments again and counts only the kept features. Only the counts, the
ids and the docvars are held. With ``n_features=`` the features are hashed
instead (one pass, no vocabulary), as scikit-learn's ``HashingVectorizer``
does.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import scipy.sparse as sp

from toolkit._validation import check_positive_int, ensure_reiterable
from toolkit.corpus import Corpus, Document
from toolkit.dtm.matrix import DocTermMatrix, _as_count
from toolkit.segment import Segmenter

__all__ = ["DocTermChunks", "build_vocabulary", "count_corpus", "hashed_feature_names"]


def _check_segmenter(segmenter: object) -> Segmenter:
    if not isinstance(segmenter, Segmenter):
        raise TypeError(
            f"segmenter must be a toolkit.Segmenter (got {type(segmenter).__name__}); "
            "pass segmenter=Segmenter() or a fitted one"
        )
    return segmenter


def _checked(corpus: Iterable[object]) -> Iterator[Document]:
    for i, doc in enumerate(corpus):
        if not isinstance(doc, Document):
            raise TypeError(
                f"corpus must hold Documents; item {i} is a {type(doc).__name__}. "
                "Wrap texts with toolkit.Corpus.from_records"
            )
        yield doc


def _segmented(
    corpus: Iterable[Document], segmenter: Segmenter
) -> Iterator[tuple[Document, list[str]]]:
    """Each document with its tokens, one at a time (in batches with ``n_jobs > 1``)."""
    if isinstance(corpus, (str, bytes)):
        raise TypeError("corpus must be an iterable of Document, not a str")
    return segmenter.iter_segment(_checked(corpus))


def build_vocabulary(
    corpus: Iterable[Document],
    *,
    segmenter: Segmenter,
    min_df: int | float | None = None,
    max_df: int | float | None = None,
) -> list[str]:
    """The sorted features of a corpus, pruned by document frequency: one pass.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
        Read once; only the document frequency of each feature is held.
    segmenter : Segmenter
    min_df, max_df : int or float, optional
        Document counts (int) or shares of the documents (float between 0 and
        1), as in :meth:`DocTermMatrix.trim`.

    Returns
    -------
    list of str
    """
    _check_segmenter(segmenter)
    df: Counter[str] = Counter()
    n_docs = 0
    for _, tokens in _segmented(corpus, segmenter):
        df.update(set(tokens))
        n_docs += 1
    low = _as_count("min_df", min_df, n_docs) if min_df is not None else 0
    high = _as_count("max_df", max_df, n_docs) if max_df is not None else float("inf")
    return sorted(t for t, n in df.items() if low <= n <= high)


def hashed_feature_names(n_features: int) -> list[str]:
    """The column names of a hashed matrix: ``"#0"``, ``"#1"`` ... (no word is known)."""
    return [f"#{j}" for j in range(check_positive_int("n_features", n_features))]


def _hasher(n_features: int) -> Callable[[str], int]:
    from sklearn.utils import murmurhash3_32

    # murmurhash3 with a fixed seed, not hash(): str hashes change from run to run.
    def column(token: str) -> int:
        return int(murmurhash3_32(token, seed=0, positive=True)) % n_features

    return column


class _Counted:
    """Rows of counts as compact arrays, plus each row's id and docvars."""

    def __init__(self) -> None:
        self.indptr = array("q", [0])
        self.indices = array("i")  # 4 bytes a column: a vocabulary never nears 2**31
        self.data = array("q")
        self.docs: list[Document] = []
        self.ids = hashlib.sha256()

    def add(self, doc: Document, columns: Iterable[int]) -> None:
        counted = Counter(columns)
        for j in sorted(counted):
            self.indices.append(j)
            self.data.append(counted[j])
        self.indptr.append(len(self.indices))
        # The text is dropped at once: only the id and docvars stay.
        self.docs.append(Document(doc.doc_id, "", doc.meta))
        self.ids.update(doc.doc_id.encode() + b"\0")

    def matrix(self, feature_names: Sequence[str]) -> DocTermMatrix:
        counts = sp.csr_matrix(
            (
                np.frombuffer(self.data, dtype=np.int64),
                np.frombuffer(self.indices, dtype=np.int32),
                np.frombuffer(self.indptr, dtype=np.int64),
            ),
            shape=(len(self.docs), len(feature_names)),
        )
        rows = Corpus(self.docs)  # the same docvars table as an in-memory corpus
        return DocTermMatrix(
            counts, doc_ids=rows.doc_ids, feature_names=feature_names, docvars=rows.docvars
        )


def _count(
    corpus: Iterable[Document],
    segmenter: Segmenter,
    feature_names: Sequence[str],
    column: Callable[[str], int | None],
) -> tuple[DocTermMatrix, str]:
    counted = _Counted()
    for doc, tokens in _segmented(corpus, segmenter):
        columns = (column(t) for t in tokens)
        counted.add(doc, (j for j in columns if j is not None))
    return counted.matrix(feature_names), counted.ids.hexdigest()


def _check_count_options(
    min_df: int | float | None,
    max_df: int | float | None,
    vocabulary: Sequence[str] | None,
    n_features: int | None,
) -> None:
    """Refuse what cannot go together: a given vocabulary or hashing, and pruning."""
    if vocabulary is not None and n_features is not None:
        raise ValueError(
            "pass vocabulary= or n_features=, not both: a hashed matrix has no vocabulary"
        )
    if (vocabulary is not None or n_features is not None) and (
        min_df is not None or max_df is not None
    ):
        given = "vocabulary=" if vocabulary is not None else "n_features="
        raise ValueError(
            f"min_df and max_df prune the vocabulary a first pass learns; with {given} "
            f"there is none (got min_df={min_df!r}, max_df={max_df!r}). "
            "Call .trim(min_df=...) on the result instead"
        )


def count_corpus(
    corpus: Iterable[Document],
    *,
    segmenter: Segmenter,
    min_df: int | float | None = None,
    max_df: int | float | None = None,
    vocabulary: Sequence[str] | None = None,
    n_features: int | None = None,
) -> DocTermMatrix:
    """Segment and count a corpus, holding only the counts.

    See :meth:`DocTermMatrix.from_corpus`, which calls it.
    """
    _check_segmenter(segmenter)
    _check_count_options(min_df, max_df, vocabulary, n_features)
    if n_features is not None:
        names = hashed_feature_names(n_features)
        return _count(corpus, segmenter, names, _hasher(n_features))[0]
    if vocabulary is None:
        corpus = ensure_reiterable(corpus, "corpus")
        first = _IdDigest(corpus)
        vocabulary = build_vocabulary(first, segmenter=segmenter, min_df=min_df, max_df=max_df)
        dtm, digest = _count(corpus, segmenter, vocabulary, _lookup(vocabulary))
        if digest != first.digest():
            raise ValueError(
                "corpus gave other documents in the second pass than in the first (the "
                "doc_ids differ); pass a corpus that reads the same documents every time, "
                "such as a Corpus or a CorpusStream over files that do not change"
            )
        return dtm
    if isinstance(vocabulary, str):
        raise TypeError("vocabulary must be a sequence of features, not a single str")
    names = list(vocabulary)
    if len(set(names)) != len(names):
        raise ValueError("vocabulary must not repeat a feature")
    return _count(corpus, segmenter, names, _lookup(names))[0]


def _lookup(vocabulary: Sequence[str]) -> Callable[[str], int | None]:
    return {name: j for j, name in enumerate(vocabulary)}.get


class _IdDigest:
    """Pass the documents through, hashing their ids, to check a second pass against."""

    def __init__(self, corpus: Iterable[Document]) -> None:
        self.corpus = corpus
        self._ids = hashlib.sha256()

    def __iter__(self) -> Iterator[Document]:
        for doc in self.corpus:
            if isinstance(doc, Document):
                self._ids.update(doc.doc_id.encode() + b"\0")
            yield doc

    def digest(self) -> str:
        return self._ids.hexdigest()


class DocTermChunks:
    """A re-iterable stream of :class:`DocTermMatrix` chunks with one set of features.

    What an online topic model learns from (:meth:`toolkit.topics.TopicModel.fit_stream`):
    each pass reads the corpus again and yields a matrix of ``size`` documents
    at a time, counted over ``vocabulary`` or hashed into ``n_features`` columns.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or re-iterable of Document
    segmenter : Segmenter
    vocabulary : sequence of str, optional
        The features, e.g. from :func:`build_vocabulary`.
    n_features : int, optional
        Hash the features into this many columns instead.
    size : int
        Documents per chunk.
    """

    def __init__(
        self,
        corpus: Iterable[Document],
        *,
        segmenter: Segmenter,
        vocabulary: Sequence[str] | None = None,
        n_features: int | None = None,
        size: int = 2000,
    ) -> None:
        self.corpus = ensure_reiterable(corpus, "corpus")
        self.segmenter = _check_segmenter(segmenter)
        if (vocabulary is None) == (n_features is None):
            raise ValueError(
                "DocTermChunks needs one of vocabulary= or n_features= "
                f"(got vocabulary={'None' if vocabulary is None else '[...]'}, "
                f"n_features={n_features!r})"
            )
        if isinstance(vocabulary, str):
            raise TypeError("vocabulary must be a sequence of features, not a single str")
        self.feature_names = (
            list(vocabulary) if vocabulary is not None else hashed_feature_names(n_features or 0)
        )
        self.n_features = n_features
        self.size = check_positive_int("size", size)

    def __iter__(self) -> Iterator[DocTermMatrix]:
        column = (
            _hasher(self.n_features) if self.n_features is not None else _lookup(self.feature_names)
        )
        counted = _Counted()
        for doc, tokens in _segmented(self.corpus, self.segmenter):
            columns = (column(t) for t in tokens)
            counted.add(doc, (j for j in columns if j is not None))
            if len(counted.docs) == self.size:
                yield counted.matrix(self.feature_names)
                counted = _Counted()
        if counted.docs:
            yield counted.matrix(self.feature_names)

    def __repr__(self) -> str:
        return f"DocTermChunks({len(self.feature_names)} features, size={self.size})"
