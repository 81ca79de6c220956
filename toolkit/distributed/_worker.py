"""What runs on a Dask worker: the per-process cache of built engines and the partition tasks.

A worker process builds an engine (a segmenter's dictionary and term
automaton, a fitted term detector's matchers) once and keeps it under a key
(the sha256 of what was shipped), so every later partition, and every later
run with the same segmenter or detector, reuses it. The text reuse tasks need
no engine: they sign a partition's windows and align a batch of candidate
document pairs with :func:`~toolkit.similarity.reuse.find_reuse`'s own steps.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from toolkit.corpus import Document
from toolkit.dtm.matrix import count_tokens
from toolkit.ingest.batch import IngestOptions, InputRead, read_input
from toolkit.segment import Segmenter
from toolkit.similarity.reuse.find import _align_groups, _Job
from toolkit.similarity.reuse.minhash import (
    WindowIndex,
    build_windows,
    matching_text,
    shingle_df,
    shingle_hashes,
)

__all__ = [
    "align_pairs",
    "cached",
    "cached_segmenter",
    "count_partition",
    "engine_builds",
    "ingest_partition",
    "segment_partition",
    "sign_partition",
]

_T = TypeVar("_T")
_CACHE: OrderedDict[str, Any] = OrderedDict()
_LOCK = threading.Lock()
_MAX_CACHED = 4
_BUILDS: list[str] = []


def cached(key: str, build: Callable[[], _T]) -> _T:
    """The engine of ``key`` in this process: ``build()`` on first use only."""
    with _LOCK:
        value = _CACHE.get(key)
        if value is None:
            value = build()  # under the lock: once per process
            _BUILDS.append(key)
            _CACHE[key] = value
            while len(_CACHE) > _MAX_CACHED:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
        return value


def cached_segmenter(key: str, segmenter: Segmenter) -> Segmenter:
    """The segmenter of ``key`` in this process, its engine built on first use only."""

    def build() -> Segmenter:
        segmenter.provenance()  # builds the engine
        return segmenter

    return cached(key, build)


def engine_builds() -> list[str]:
    """Keys of the engines this process has built, in order (to check there is one each)."""
    return list(_BUILDS)


def _segmented(seg: Segmenter, texts: list[str]) -> Any:
    # Segmenter.segment fetches the engine once for the whole partition; the
    # ids are positions, since only the order of the texts matters here.
    return seg.segment([Document(doc_id=str(i), text=t) for i, t in enumerate(texts)])


def segment_partition(
    key: str, segmenter: Segmenter, texts: list[str]
) -> tuple[dict[str, Any], list[list[str]], list[list[str]] | None]:
    """Segment a partition's texts: ``(provenance, tokens, tags or None)``."""
    tokens = _segmented(cached_segmenter(key, segmenter), texts)
    return tokens.provenance, list(tokens), tokens.tags


def count_partition(
    key: str, segmenter: Segmenter, texts: list[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Count a partition's tokens: its sorted features and CSR ``(indptr, indices, data)``."""
    return count_tokens(_segmented(cached_segmenter(key, segmenter), texts))


def _shingles(texts: list[str], shingle: int) -> tuple[list[str], list[np.ndarray]]:
    matching = [matching_text(t) for t in texts]
    return matching, [shingle_hashes(t, shingle) for t in matching]


def sign_partition(
    shingle: int, stride: int, num_perm: int, seed: int, texts: list[str]
) -> tuple[WindowIndex, np.ndarray, np.ndarray]:
    """A partition's window signatures (documents numbered from 0) and its shingle df."""
    _, hashes = _shingles(texts, shingle)
    index = build_windows(hashes, k=shingle, stride=stride, num_perm=num_perm, seed=seed)
    values, counts = shingle_df(hashes)
    return index, values, counts


def align_pairs(
    shingle: int,
    pad: int,
    min_chars: int,
    df_values: np.ndarray,
    df_counts: np.ndarray,
    batch: tuple[list[str], list[tuple[int, int, int, int]], np.ndarray],
) -> list[tuple[int, ...]]:
    """Align a batch of document pairs: ``(texts, groups, seeds)``, groups indexing both."""
    texts, groups, seeds = batch
    matching, hashes = _shingles(texts, shingle)
    job = _Job(
        texts=matching,
        hashes=hashes,
        df_values=df_values,
        df_counts=df_counts,
        seeds=seeds,
        shingle=shingle,
        pad=pad,
        min_chars=min_chars,
    )
    return _align_groups(job, groups)


def ingest_partition(options: IngestOptions, pairs: list[tuple[Path, str]]) -> list[InputRead]:
    """Read a partition of :func:`~toolkit.ingest.ingest`'s inputs where the files are."""
    return [read_input(path, kind, options) for path, kind in pairs]
