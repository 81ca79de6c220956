"""Text reuse on a Dask cluster, with the passages of one process.

:func:`~toolkit.similarity.reuse.find_reuse` in three steps. The workers sign
each partition's windows (MinHash) and count its shingles' document
frequencies; the client numbers the windows by corpus position, merges them
and runs the LSH banding over all of them at once, so windows of different
partitions land in the same buckets; the workers then align the candidate
document pairs, a batch of pairs per task, and the client builds the table.
Every step is :func:`find_reuse`'s own code and the hash permutations depend on
``seed`` alone, never on a partition or a task, so the table is the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from toolkit._validation import check_positive_int
from toolkit.corpus import Corpus, Document
from toolkit.distributed._worker import align_pairs, sign_partition
from toolkit.distributed.partitions import _check_corpus, iter_partitions, ordered_map
from toolkit.distributed.segmenting import DEFAULT_PARTITION_SIZE
from toolkit.similarity.reuse.find import (
    _BATCH,
    _candidates,
    _check_arguments,
    _listed,
    _pad,
    _pair_groups,
    _passage_table,
    _reference,
    _stride,
)
from toolkit.similarity.reuse.minhash import (
    WindowIndex,
    concat_windows,
    merge_shingle_df,
    shingle_df,
)

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["find_reuse_distributed"]

#: One alignment task: the ids of its documents, and (their texts, pairs, seeds).
_Batch = tuple[list[int], tuple[list[str], list[tuple[int, int, int, int]], np.ndarray]]


def _signatures(
    client: Client,
    docs: list[Document],
    *,
    shingle: int,
    stride: int,
    num_perm: int,
    seed: int,
    partition_size: int,
    max_in_flight: int | None,
    progress: bool,
) -> tuple[WindowIndex, list[tuple[np.ndarray, np.ndarray]]]:
    """The windows of the whole corpus, signed on the workers, and each partition's df."""
    parts: list[WindowIndex] = []
    offsets: list[int] = []
    dfs: list[tuple[np.ndarray, np.ndarray]] = []
    n_docs = 0
    with tqdm(
        total=len(docs), desc="find_reuse: signatures", unit="doc", disable=not progress
    ) as bar:
        for (ids, _metas, _texts), (index, values, counts) in ordered_map(
            client,
            sign_partition,
            iter_partitions(docs, partition_size),
            shingle,
            stride,
            num_perm,
            seed,
            max_in_flight=max_in_flight,
        ):
            parts.append(index)
            offsets.append(n_docs)
            dfs.append((values, counts))
            n_docs += len(ids)
            bar.update(len(ids))
    return concat_windows(parts, num_perm=num_perm, doc_offsets=offsets), dfs


def _batches(
    docs: list[Document], groups: list[tuple[int, int, int, int]], seeds: np.ndarray
) -> Iterator[_Batch]:
    """Batches of document pairs, renumbered so a task gets only its own documents."""
    for c in range(0, len(groups), _BATCH):
        batch = groups[c : c + _BATCH]
        members = sorted({d for i, j, _, _ in batch for d in (i, j)})
        local = {d: k for k, d in enumerate(members)}
        renumbered: list[tuple[int, int, int, int]] = []
        rows: list[np.ndarray] = []
        n_seeds = 0
        for i, j, lo, hi in batch:
            renumbered.append((local[i], local[j], n_seeds, n_seeds + hi - lo))
            rows.append(seeds[lo:hi])
            n_seeds += hi - lo
        texts = [docs[d].text for d in members]
        yield members, (texts, renumbered, np.concatenate(rows))


def _align(
    client: Client,
    docs: list[Document],
    groups: list[tuple[int, int, int, int]],
    seeds: np.ndarray,
    df: tuple[np.ndarray, np.ndarray],
    *,
    shingle: int,
    pad: int,
    min_chars: int,
    max_in_flight: int | None,
    progress: bool,
) -> list[tuple[int, ...]]:
    """The passages of every candidate pair, aligned on the workers, in the order of ``groups``."""
    found: list[tuple[int, ...]] = []
    if not groups:
        return found
    # The shingle counts go to every worker once, not once per task.
    remote = client.scatter(list(df), broadcast=True, hash=False)
    bar = tqdm(total=len(groups), desc="find_reuse: aligning", unit="pair", disable=not progress)
    try:
        for (members, (_texts, pairs, _seeds)), passages in ordered_map(
            client,
            align_pairs,
            _batches(docs, groups, seeds),
            shingle,
            pad,
            min_chars,
            *remote,
            max_in_flight=max_in_flight,
            fallback_args=(shingle, pad, min_chars, *df),
        ):
            found.extend((members[i], members[j], *rest) for i, j, *rest in passages)
            bar.update(len(pairs))
    finally:
        bar.close()
        client.cancel(remote)
    return found


def find_reuse_distributed(
    corpus: Corpus | Iterable[Document],
    *,
    client: Client,
    min_chars: int = 50,
    max_edit: float = 0.35,
    max_df: float = 0.1,
    boilerplate: str = "flag",
    background: Iterable[Document | str] | None = None,
    docvars: str | Sequence[str] | None = None,
    shingle: int = 5,
    num_perm: int = 128,
    bands: int = 64,
    seed: int = 0,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Find passages two documents share, on a Dask cluster: equal to ``find_reuse``.

    The same table as :func:`toolkit.similarity.reuse.find_reuse` with the same
    parameters (rows, order, columns and dtypes), computed in three steps: the
    workers sign the windows of each partition of ``partition_size``
    documents (MinHash) and count its shingles; the client merges the windows
    in corpus order and pairs them by LSH over the whole corpus; the workers
    align the candidate document pairs, a batch at a time.

    Parameters
    ----------
    corpus : Corpus or re-iterable of Document
        Listed once and held on the client, which sends each task the texts it
        needs; a one-shot iterator is refused, as by ``find_reuse``.
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    min_chars, max_edit, max_df, boilerplate, background, docvars, shingle, num_perm, bands, seed
        As in :func:`~toolkit.similarity.reuse.find_reuse`; ``background`` is
        read on the client.
    partition_size : int
        Documents per signing task.
    max_in_flight : int, optional
        Tasks submitted and not yet gathered (default: four per worker thread).
    progress : bool
        Show tqdm progress bars on the client.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`~toolkit.similarity.reuse.PASSAGE_COLUMNS`, then
        ``<name>_a`` and ``<name>_b`` for each of ``docvars``.

    Raises
    ------
    TypeError
        If ``corpus`` is a str, a one-shot iterator or holds other things than
        Documents, or ``progress`` is not a bool.
    ValueError
        If a parameter is out of range (the messages of ``find_reuse``).
    KeyError
        If a name in ``docvars`` is not a docvar of the corpus.

    Examples
    --------
    >>> from toolkit import read_jsonl
    >>> from toolkit.distributed import dask_client, find_reuse_distributed
    >>> corpus = read_jsonl("corpora/sample/towns.jsonl")  # doctest: +SKIP
    >>> with dask_client("local:2") as client:  # doctest: +SKIP
    ...     passages = find_reuse_distributed(corpus, client=client, docvars="county")
    """
    _check_corpus(corpus, "find_reuse_distributed")
    check_positive_int("partition_size", partition_size)
    max_edit = _check_arguments(
        min_chars=min_chars,
        max_edit=max_edit,
        max_df=max_df,
        boilerplate=boilerplate,
        shingle=shingle,
        num_perm=num_perm,
        bands=bands,
        seed=seed,
        progress=progress,
    )
    docs, extra = _listed(corpus, docvars)
    extra_hashes, threshold = _reference(
        background, docs, shingle=shingle, max_df=max_df, progress=progress
    )
    stride = _stride(min_chars, shingle)
    index, dfs = _signatures(
        client,
        docs,
        shingle=shingle,
        stride=stride,
        num_perm=num_perm,
        seed=seed,
        partition_size=partition_size,
        max_in_flight=max_in_flight,
        progress=progress,
    )
    first, second = _candidates(index, bands=bands, seed=seed, progress=progress)
    groups, seeds = _pair_groups(index, first, second)
    found = _align(
        client,
        docs,
        groups,
        seeds,
        merge_shingle_df([*dfs, shingle_df(extra_hashes)]),
        shingle=shingle,
        pad=_pad(stride, shingle),
        min_chars=min_chars,
        max_in_flight=max_in_flight,
        progress=progress,
    )
    return _passage_table(
        found, docs, extra=extra, max_edit=max_edit, boilerplate=boilerplate, threshold=threshold
    )
