"""What runs on a Dask worker: the per-process segmenter cache and the partition tasks.

A worker process builds a segmenter's engine (dictionary, term automaton)
once and keeps it under the key of the segmenter's pickle, so every later
partition, and every later run with the same segmenter, reuses it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from toolkit.corpus import Document
from toolkit.dtm.matrix import count_tokens
from toolkit.segment import Segmenter

__all__ = ["cached_segmenter", "count_partition", "engine_builds", "segment_partition"]

_CACHE: OrderedDict[str, Segmenter] = OrderedDict()
_LOCK = threading.Lock()
_MAX_CACHED = 4
_BUILDS: list[str] = []


def cached_segmenter(key: str, segmenter: Segmenter) -> Segmenter:
    """The segmenter of ``key`` in this process, its engine built on first use only."""
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            segmenter.provenance()  # builds the engine, under the lock: once per process
            _BUILDS.append(key)
            _CACHE[key] = cached = segmenter
            while len(_CACHE) > _MAX_CACHED:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
        return cached


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
