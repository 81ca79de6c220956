"""All-pairs top-k neighbours in memory-bounded blocks.

The full similarity matrix of 40,000 units would take 12.8 GB. Instead the
rows are prepared once (for cosine: scaled to unit length, kept as CSR) and
compared a block of rows at a time: ``block × n`` similarities from one
sparse product, the ``k`` best per row picked with :func:`numpy.argpartition`,
the block freed. Peak memory is the prepared matrix, its transpose and a few
copies of one block, whatever ``n``.

Results are exact and deterministic: a row's similarities do not depend on
its block, ties are broken by the lower row position, and ``n_jobs`` only
changes who computes which block.
"""

from __future__ import annotations

from concurrent.futures import as_completed
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from toolkit._parallel import process_pool, worker_state
from toolkit._validation import check_positive_int
from toolkit.similarity.metrics import Prepared, auto_block_size, prepare

__all__ = ["select_top", "top_k", "top_k_prepared"]


# Columns sampled per row for a first threshold, and the candidates a row may
# have above it before the exact (argpartition) path takes over.
_SAMPLE = 2048
_MAX_CANDIDATES = 2048


def select_top(sims: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar columns of each row of a block, itself excluded.

    Parameters
    ----------
    sims : numpy.ndarray
        ``b × n`` similarities of ``b`` rows to all ``n``; overwritten.
    rows : numpy.ndarray
        The position of each of the ``b`` rows among the ``n`` (its own column).
    k : int
        At most ``n - 1``.

    Returns
    -------
    (indices, similarities) : two ``b × k`` arrays
        Best first; equal similarities in order of column position.
    """
    b, n = sims.shape
    sims[np.arange(b), rows] = -np.inf
    indices = np.empty((b, k), dtype=np.int64)
    values = np.empty((b, k), dtype=np.float64)
    rest = np.arange(b)
    if n > 2 * _SAMPLE and k <= _SAMPLE // 4:
        # The k-th largest of a sample of columns is at most the row's k-th
        # largest, so every neighbour is at or above it: only those few
        # candidates need sorting. Rows with too many go the exact way below.
        sample = sims[:, :: n // _SAMPLE]
        m = sample.shape[1]
        bound = np.partition(sample, m - k, axis=1)[:, m - k]
        hit = sims >= bound[:, None]
        counts = hit.sum(axis=1)
        few = np.flatnonzero(counts <= _MAX_CANDIDATES)
        rest = np.flatnonzero(counts > _MAX_CANDIDATES)
        if few.size:
            r, c = np.nonzero(hit[few])
            v = sims[few[r], c]
            order = np.lexsort((c, -v, r))
            starts = np.concatenate(([0], np.cumsum(counts[few])[:-1]))
            take = order[(starts[:, None] + np.arange(k)).ravel()]
            indices[few] = c[take].reshape(-1, k)
            values[few] = v[take].reshape(-1, k)
    if rest.size:
        indices[rest], values[rest] = _select_exact(sims[rest], k)
    return indices, values


def _select_exact(sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    # argpartition on the negated block puts the k largest first, in no order.
    candidates = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(sims, candidates, axis=1)
    kth = values.min(axis=1)
    # argpartition picks arbitrarily among values equal to the k-th; where an
    # unpicked column ties with it, take the lowest positions instead.
    ties = np.flatnonzero((sims == kth[:, None]).sum(axis=1) > (values == kth[:, None]).sum(axis=1))
    if ties.size:
        sub, bound = sims[ties], kth[ties][:, None]
        above = sub > bound
        equal = sub == bound
        need = k - above.sum(axis=1)
        keep = above | (equal & (np.cumsum(equal, axis=1) <= need[:, None]))
        columns = np.nonzero(keep)[1].reshape(len(ties), k)
        candidates[ties] = columns
        values[ties] = np.take_along_axis(sub, columns, axis=1)
    order = np.lexsort((candidates, -values))
    return np.take_along_axis(candidates, order, axis=1), np.take_along_axis(values, order, axis=1)


def _block(prepared: Prepared, start: int, stop: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    sims = prepared.block(slice(start, stop))
    return select_top(sims, np.arange(start, stop), k)


def _block_in_worker(start: int, stop: int) -> tuple[int, np.ndarray, np.ndarray]:
    # One BLAS thread per worker: n_jobs processes already use the cores.
    from threadpoolctl import threadpool_limits

    # The prepared matrix reaches each worker once, not with every block.
    prepared, k = worker_state()
    with threadpool_limits(1):
        indices, values = _block(prepared, start, stop, k)
    return start, indices, values


def top_k_prepared(
    prepared: Prepared,
    k: int = 10,
    *,
    block_size: int | None = None,
    n_jobs: int = 1,
    progress: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_k` on rows already prepared by :func:`toolkit.similarity.metrics.prepare`."""
    check_positive_int("k", k)
    check_positive_int("n_jobs", n_jobs)
    if block_size is not None:
        check_positive_int("block_size", block_size)
    n = prepared.n
    if n < 2:
        raise ValueError(f"top_k needs at least two rows to find neighbours (got {n})")
    k = min(k, n - 1)
    step = block_size or auto_block_size(n)
    blocks = [(start, min(n, start + step)) for start in range(0, n, step)]
    indices = np.empty((n, k), dtype=np.int64)
    values = np.empty((n, k), dtype=np.float64)
    bar = tqdm(total=n, desc="similarity: top-k", unit="unit", disable=not progress)
    if n_jobs == 1 or len(blocks) == 1:
        for start, stop in blocks:
            indices[start:stop], values[start:stop] = _block(prepared, start, stop, k)
            bar.update(stop - start)
    else:
        with process_pool(n_jobs, state=(prepared, k)) as pool:
            futures = [pool.submit(_block_in_worker, start, stop) for start, stop in blocks]
            for future in as_completed(futures):
                start, idx, val = future.result()
                indices[start : start + len(idx)], values[start : start + len(idx)] = idx, val
                bar.update(len(idx))
    bar.close()
    return indices, values


def top_k(
    X: Any,
    k: int = 10,
    *,
    metric: str = "cosine",
    block_size: int | None = None,
    n_jobs: int = 1,
    progress: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of every row of ``X``, by block, without the full matrix.

    Parameters
    ----------
    X : scipy.sparse matrix or 2-D array
        One row per unit (tf-idf weights, counts, topic shares …).
    k : int
        Neighbours per row; more than ``n - 1`` gives ``n - 1``.
    metric : {'cosine', 'hellinger', 'jaccard', 'jensen_shannon'}
        See :mod:`toolkit.similarity.metrics`. Cosine, Hellinger and Jaccard
        are one sparse product per block; Jensen–Shannon joins rows feature
        by feature and is several times slower.
    block_size : int, optional
        Rows per block. A block holds ``block_size × n`` float64 values a few
        times over; the default aims at 16 million values (128 MB) per copy.
    n_jobs : int
        Worker processes (forked; they share ``X``). Results do not depend on it.
    progress : bool
        Show a progress bar over the rows.

    Returns
    -------
    (indices, similarities) : two ``n × k`` arrays
        Row ``i`` holds the positions of its neighbours (never ``i``), best
        first, and their similarities; ties go to the lower position.

    Examples
    --------
    >>> idx, sim = top_k(np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]]), k=1)
    >>> idx.ravel().tolist()
    [1, 0, 1]
    """
    return top_k_prepared(
        prepare(X, metric), k, block_size=block_size, n_jobs=n_jobs, progress=progress
    )
