"""One small in-process Dask cluster for the module's tests (2 workers, threads)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit import Corpus, Segmenter, read_jsonl

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from toolkit.distributed import dask_client

    with dask_client(n_workers=2, processes=False) as c:
        yield c


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return read_jsonl(SAMPLE)


@pytest.fixture(scope="module")
def fitted(corpus: Corpus) -> Segmenter:
    return Segmenter(progress=False).fit(corpus)
