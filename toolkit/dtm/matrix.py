"""DocTermMatrix: sparse counts with their feature names and the docvars of each row.

The third step of the data flow (Corpus → Tokens → DocTermMatrix). Rows are
documents or units of documents (paragraphs); every operation keeps the row
ids and docvars aligned, so results aggregate back to articles, towns or years.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from toolkit._ordering import label_order
from toolkit._validation import check_choice
from toolkit.corpus import Document
from toolkit.segment import Segmenter
from toolkit.segment.tokens import Tokens

__all__ = ["WEIGHTS", "DocTermMatrix", "count_tokens", "idf"]

#: Weightings :meth:`DocTermMatrix.weight` knows.
WEIGHTS = ("tfidf", "prop")


def idf(counts: sp.spmatrix) -> np.ndarray:
    """Inverse document frequency ``log(n_rows / df)`` of each column of ``counts``.

    A column no row uses counts as df 1, so its idf is finite (``log(n_rows)``).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> idf(sp.csr_matrix([[1, 0], [2, 1]])).round(3).tolist()
    [0.0, 0.693]
    """
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    return np.log(counts.shape[0] / np.maximum(df, 1))


def count_tokens(
    docs: Iterable[Sequence[str]],
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Count tokenised documents: sorted feature names and CSR ``(indptr, indices, data)``.

    Features are sorted and each row's columns ascend, so the counts do not
    depend on the order tokens were met in (one process and merged Dask
    partitions give the same matrix). The arrays are int64, int32 and int64:
    compact to hold and to send between processes.

    Examples
    --------
    >>> names, indptr, indices, data = count_tokens([["落实", "河长制", "落实"], ["河长制"]])
    >>> names, indptr.tolist(), indices.tolist(), data.tolist()
    (['河长制', '落实'], [0, 2, 3], [0, 1, 0], [1, 2, 1])
    """
    # Counter counts in C; only each document's distinct tokens are looked up.
    counted = [Counter(doc) for doc in docs]
    names = sorted(set().union(*counted))
    column = {name: j for j, name in enumerate(names)}
    indptr = np.zeros(len(counted) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in counted], out=indptr[1:])
    nnz = int(indptr[-1])
    indices = np.fromiter((column[t] for c in counted for t in c), dtype=np.int32, count=nnz)
    data = np.fromiter((n for c in counted for n in c.values()), dtype=np.int64, count=nnz)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(counted), len(names)))
    matrix.sort_indices()  # each row's columns ascending, in place, data along with them
    return (
        names,
        matrix.indptr.astype(np.int64, copy=False),
        matrix.indices.astype(np.int32, copy=False),
        matrix.data,
    )


class DocTermMatrix:
    """Counts of features (tokens, terms) per document.

    Parameters
    ----------
    counts : scipy.sparse matrix
        One row per document, one column per feature.
    doc_ids : sequence of str
        Row ids, aligned with ``counts``.
    feature_names : sequence of str
        Column names, aligned with ``counts``.
    docvars : pandas.DataFrame, optional
        Indexed by ``doc_id``; reindexed to ``doc_ids``.

    Examples
    --------
    >>> from toolkit import Tokens
    >>> tokens = Tokens([["河长制", "落实"], ["河长制"]], doc_ids=["a", "b"])
    >>> dtm = DocTermMatrix.from_tokens(tokens)
    >>> dtm.feature_names, dtm.counts.toarray().tolist()
    (['河长制', '落实'], [[1, 1], [1, 0]])
    """

    def __init__(
        self,
        counts: sp.spmatrix | sp.sparray,
        *,
        doc_ids: Sequence[str],
        feature_names: Sequence[str],
        docvars: pd.DataFrame | None = None,
    ) -> None:
        matrix = sp.csr_matrix(counts)
        if matrix.shape != (len(doc_ids), len(feature_names)):
            raise ValueError(
                f"counts must have one row per doc_id and one column per feature: shape "
                f"{matrix.shape}, {len(doc_ids)} doc_ids, {len(feature_names)} feature_names"
            )
        if len(set(doc_ids)) != len(doc_ids):
            raise ValueError("doc_ids must be unique")
        self.counts = matrix
        self.doc_ids = list(doc_ids)
        self.feature_names = list(feature_names)
        index = pd.Index(self.doc_ids, name="doc_id")
        self.docvars = docvars.reindex(index) if docvars is not None else pd.DataFrame(index=index)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_tokens(cls, tokens: Tokens) -> DocTermMatrix:
        """Count each document's tokens; features are sorted, so the matrix is deterministic."""
        names, indptr, indices, data = count_tokens(tokens)
        counts = sp.csr_matrix((data, indices, indptr), shape=(len(tokens), len(names)))
        return cls(counts, doc_ids=tokens.doc_ids, feature_names=names, docvars=tokens.docvars)

    @classmethod
    def from_corpus(
        cls,
        corpus: Iterable[Document],
        *,
        segmenter: Segmenter,
        min_df: int | float | None = None,
        max_df: int | float | None = None,
        vocabulary: Sequence[str] | None = None,
        n_features: int | None = None,
    ) -> DocTermMatrix:
        """Segment and count a corpus without holding its texts or its tokens.

        Equal to ``DocTermMatrix.from_tokens(segmenter.segment(corpus)).trim(min_df=...,
        max_df=...)``, but only the counts, ids and docvars are kept in memory,
        so a :class:`~toolkit.corpus.CorpusStream` larger than memory can be counted.

        Parameters
        ----------
        corpus : Corpus, CorpusStream or re-iterable of Document
            Read twice (the vocabulary, then the counts), so a one-shot
            iterator is refused; read once with ``vocabulary=`` or ``n_features=``.
        segmenter : Segmenter
            Segments each document, in each pass (its ``n_jobs`` applies).
        min_df, max_df : int or float, optional
            Prune the vocabulary in the first pass: document counts (int) or
            shares of the documents (float), as in :meth:`trim`.
        vocabulary : sequence of str, optional
            Count these features, in this order, in one pass (tokens outside
            it are not counted).
        n_features : int, optional
            Hash each token into one of ``n_features`` columns (murmurhash3,
            stable across runs), in one pass with no vocabulary held; columns
            are named ``"#0"``, ``"#1"`` ...

        Returns
        -------
        DocTermMatrix
        """
        from toolkit.dtm.stream import count_corpus

        return count_corpus(
            corpus,
            segmenter=segmenter,
            min_df=min_df,
            max_df=max_df,
            vocabulary=vocabulary,
            n_features=n_features,
        )

    # ------------------------------------------------------------------ shape
    @property
    def shape(self) -> tuple[int, int]:
        return self.counts.shape

    def __len__(self) -> int:
        return self.counts.shape[0]

    def __repr__(self) -> str:
        return f"DocTermMatrix({self.shape[0]} documents × {self.shape[1]} features)"

    def _derive(self, counts: sp.csr_matrix, columns: np.ndarray | None = None) -> DocTermMatrix:
        names = self.feature_names if columns is None else [self.feature_names[j] for j in columns]
        return DocTermMatrix(
            counts, doc_ids=self.doc_ids, feature_names=names, docvars=self.docvars
        )

    # ------------------------------------------------------------------ operations
    def rows(self, index: Sequence[int] | np.ndarray) -> DocTermMatrix:
        """The rows at positions ``index`` (ints, or a boolean mask), with their docvars."""
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return DocTermMatrix(
            self.counts[index],
            doc_ids=[self.doc_ids[i] for i in index],
            feature_names=self.feature_names,
            docvars=self.docvars.iloc[index],
        )

    def trim(
        self,
        *,
        min_df: int | float | None = None,
        max_df: int | float | None = None,
        min_count: int | None = None,
    ) -> DocTermMatrix:
        """Keep the features used in enough documents, not in too many, and often enough.

        ``min_df`` and ``max_df`` are document counts (int) or shares of the
        documents (float between 0 and 1), as in scikit-learn.
        """
        n = len(self)
        df = np.asarray((self.counts > 0).sum(axis=0)).ravel()
        total = np.asarray(self.counts.sum(axis=0)).ravel()
        keep = np.ones(len(self.feature_names), dtype=bool)
        if min_df is not None:
            keep &= df >= _as_count("min_df", min_df, n)
        if max_df is not None:
            keep &= df <= _as_count("max_df", max_df, n)
        if min_count is not None:
            keep &= total >= min_count
        columns = np.flatnonzero(keep)
        return self._derive(self.counts[:, columns], columns)

    def weight(self, scheme: str) -> DocTermMatrix:
        """Reweight: ``"prop"`` (each row sums to 1) or ``"tfidf"`` (count × log(N/df))."""
        check_choice("scheme", scheme, WEIGHTS)
        counts = self.counts.astype(np.float64)
        if scheme == "prop":
            sums = np.asarray(counts.sum(axis=1)).ravel()
            sums[sums == 0] = 1.0
            return self._derive(sp.csr_matrix(sp.diags(1.0 / sums) @ counts))
        return self._derive(sp.csr_matrix(counts @ sp.diags(idf(self.counts))))

    def group(self, field: str) -> DocTermMatrix:
        """Sum the rows of each value of the docvar ``field`` (one row per town, year …).

        Column sums are unchanged. The groups' docvars are ``field`` and
        ``n_documents``; rows in order of the values, numbers by value (3 before 10).
        """
        if field not in self.docvars.columns:
            raise KeyError(
                f"group: no docvar named {field!r}; available: {sorted(self.docvars.columns)}"
            )
        values = self.docvars[field]
        if values.isna().any():
            missing = [d for d, v in zip(self.doc_ids, values, strict=True) if pd.isna(v)][:3]
            raise ValueError(
                f"group: docvar {field!r} is missing for {int(values.isna().sum())} documents "
                f"(e.g. {missing}); fill it or subset those documents out first"
            )
        labels = label_order(values)
        row = {label: i for i, label in enumerate(labels)}
        member = sp.csr_matrix(
            (np.ones(len(self)), ([row[str(v)] for v in values], np.arange(len(self)))),
            shape=(len(labels), len(self)),
        )
        counts = sp.csr_matrix(member @ self.counts)
        sizes = np.asarray(member.sum(axis=1)).ravel().astype(int)
        docvars = pd.DataFrame({field: labels, "n_documents": sizes}, index=labels)
        docvars.index.name = "doc_id"
        return DocTermMatrix(
            counts, doc_ids=labels, feature_names=self.feature_names, docvars=docvars
        )

    # ------------------------------------------------------------------ conversion
    def to_sklearn(self) -> sp.csr_matrix:
        """The matrix for scikit-learn estimators (rows = documents)."""
        return self.counts

    def to_gensim(self) -> tuple[list[list[tuple[int, Any]]], Any]:
        """A gensim bag-of-words corpus and its ``Dictionary``, ids = column positions."""
        from gensim.corpora import Dictionary

        dictionary = Dictionary()
        dictionary.token2id = {name: j for j, name in enumerate(self.feature_names)}
        dictionary.id2token = dict(enumerate(self.feature_names))
        df = np.asarray((self.counts > 0).sum(axis=0)).ravel()
        total = np.asarray(self.counts.sum(axis=0)).ravel()
        dictionary.dfs = {j: int(v) for j, v in enumerate(df)}
        dictionary.cfs = {j: int(v) for j, v in enumerate(total)}
        dictionary.num_docs = len(self)
        dictionary.num_pos = int(total.sum())
        dictionary.num_nnz = int(self.counts.nnz)
        return list(self._bows()), dictionary

    def _bows(self) -> Iterator[list[tuple[int, Any]]]:
        counts = self.counts
        for i in range(len(self)):
            start, end = counts.indptr[i], counts.indptr[i + 1]
            yield [
                (int(j), v.item())
                for j, v in zip(counts.indices[start:end], counts.data[start:end], strict=True)
            ]


def _as_count(name: str, value: int | float, n: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be an int or a float (got {type(value).__name__})")
    if isinstance(value, float):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be a share between 0.0 and 1.0 (got {value})")
        return value * n
    if value < 0:
        raise ValueError(f"{name} must be >= 0 (got {value})")
    return value
