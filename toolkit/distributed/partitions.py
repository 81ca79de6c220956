"""Partitions of a corpus and the ordered map that runs one task per partition.

The client reads the corpus once, cuts it into partitions of documents and
submits one task per partition, keeping at most ``max_in_flight`` partitions
in memory. Results come back in the order of the input, whatever order the
workers finish in; only each document's id and docvars stay on the client.
"""

from __future__ import annotations

import copy
import hashlib
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from toolkit._validation import check_positive_int
from toolkit.corpus import Corpus, Document
from toolkit.dtm.stream import _check_segmenter
from toolkit.segment import Segmenter

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "Partition",
    "iter_partitions",
    "ordered_map",
    "rows_docvars",
    "scattered_map",
    "shipped_segmenter",
]

#: One partition: the ids, the docvars (``meta``) and the texts of its documents.
Partition = tuple[list[str], list[dict[str, Any]], list[str]]

# What ordered_map takes: a Partition, or another tuple whose last item goes to the task.
_Item = TypeVar("_Item", bound=tuple[Any, ...])


def _check_corpus(corpus: object, where: str) -> None:
    if isinstance(corpus, (str, bytes)):
        raise TypeError(
            f"{where}: corpus must be a Corpus, CorpusStream or list of Document, not a str"
        )


def iter_partitions(corpus: Iterable[Document], partition_size: int) -> Iterator[Partition]:
    """Cut ``corpus`` into consecutive partitions of ``partition_size`` documents (one pass)."""
    check_positive_int("partition_size", partition_size)
    ids: list[str] = []
    metas: list[dict[str, Any]] = []
    texts: list[str] = []
    for i, doc in enumerate(corpus):
        if not isinstance(doc, Document):
            raise TypeError(
                f"corpus must hold Documents; item {i} is a {type(doc).__name__}. "
                "Wrap texts with toolkit.Corpus.from_records"
            )
        ids.append(doc.doc_id)
        metas.append(dict(doc.meta))
        texts.append(doc.text)
        if len(ids) == partition_size:
            yield ids, metas, texts
            ids, metas, texts = [], [], []
    if ids:
        yield ids, metas, texts


def rows_docvars(
    corpus: Iterable[Document], doc_ids: list[str], metas: list[dict[str, Any]]
) -> pd.DataFrame:
    """The docvars table :meth:`Segmenter.segment` gives the same corpus."""
    if isinstance(corpus, Corpus):
        return corpus.docvars
    return pd.DataFrame.from_records(metas, index=pd.Index(doc_ids))


def shipped_segmenter(segmenter: object) -> tuple[str, Segmenter]:
    """A copy of ``segmenter`` for the workers, and the key of its engine in their cache.

    The copy segments in one thread and shows no progress bar (the cluster is
    the parallelism); the key is the sha256 of its pickle, which holds the
    parameters and what ``fit`` learned.
    """
    shipped = copy.deepcopy(_check_segmenter(segmenter))
    shipped.set_params(n_jobs=1, progress=False)
    key = hashlib.sha256(pickle.dumps(shipped, protocol=5)).hexdigest()
    return key, shipped


def ordered_map(
    client: Client,
    func: Callable[..., Any],
    partitions: Iterable[_Item],
    *args: Any,
    max_in_flight: int | None = None,
    retries: int = 2,
    fallback_args: tuple[Any, ...] | None = None,
) -> Iterator[tuple[_Item, Any]]:
    """Run ``func(*args, texts)`` on the cluster for each partition; yield in input order.

    Parameters
    ----------
    client : distributed.Client
    func : callable
        Run on a worker with ``*args`` and the partition's texts.
    partitions : iterable of Partition
        Or of any tuples: the task receives the last item (a Partition's texts)
        and the rest stays on the client.
    *args
        Passed before the texts (futures of scattered data resolve on the worker).
    max_in_flight : int, optional
        Partitions submitted and not yet yielded; default four per worker thread.
    retries : int
        Times Dask reruns a partition whose worker died.
    fallback_args : tuple, optional
        ``args`` as plain objects. A worker that dies can take scattered data
        with it, and Dask then cancels the tasks that needed it instead of
        rerunning them; such a partition is sent again with these (pickled
        with its task: the cost is paid only when a worker dies).

    Yields
    ------
    (Partition, object)
        Each partition with ``func``'s result, in the order of ``partitions``.
    """
    if max_in_flight is None:
        max_in_flight = 4 * max(1, sum(client.nthreads().values()))
    check_positive_int("max_in_flight", max_in_flight)
    pending: deque[tuple[_Item, Future]] = deque()
    try:

        def result(part: _Item, future: Future) -> Any:
            try:
                return future.result()
            except CancelledError:
                if fallback_args is None:
                    raise
                again = client.submit(func, *fallback_args, part[-1], pure=False, retries=retries)
                return again.result()

        for part in partitions:
            submitted = client.submit(func, *args, part[-1], pure=False, retries=retries)
            pending.append((part, submitted))
            if len(pending) >= max_in_flight:
                done, future = pending.popleft()
                yield done, result(done, future)
        while pending:
            done, future = pending.popleft()
            yield done, result(done, future)
    finally:
        for _, future in pending:
            future.cancel()


def scattered_map(
    client: Client,
    func: Callable[..., Any],
    partitions: Iterable[Partition],
    key: str,
    shipped: object,
    *args: Any,
    max_in_flight: int | None = None,
) -> Iterator[tuple[Partition, Any]]:
    """:func:`ordered_map` of ``func(key, shipped, *args, texts)``, ``shipped`` scattered once.

    ``shipped`` (a segmenter, a pickled detector) goes to every worker once,
    not once per task; the task finds its engine under ``key`` in the worker's
    cache (:func:`toolkit.distributed._worker.cached`). It is released when the
    map ends, and sent with the task itself where a dying worker took it along.
    """
    remote = client.scatter(shipped, broadcast=True, hash=False)
    try:
        yield from ordered_map(
            client,
            func,
            partitions,
            key,
            remote,
            *args,
            max_in_flight=max_in_flight,
            fallback_args=(key, shipped, *args),
        )
    finally:
        client.cancel(remote)
