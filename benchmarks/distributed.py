"""Dask throughput: all of gov_work_reports (~41 M characters), segmentation + DTM.

One process (``Segmenter.segment`` then ``DocTermMatrix.from_tokens``) against
:func:`toolkit.distributed.count_corpus` on a 2-worker ``LocalCluster``
(worker processes), both timed from the in-memory corpus; cluster start-up
is timed apart. Issue 15's target on a 2-core machine: the cluster at least
1.7x one process, with an equal matrix.

``python -m benchmarks.distributed [--shared PATH] [--json FILE]``
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.cli import shared_data, suite_parser, write_json
from toolkit import DocTermMatrix, Segmenter, read_gov_reports
from toolkit.distributed import count_corpus, dask_client

__all__ = ["main"]

TARGET_SPEEDUP = 1.7


def main(shared: Path, *, n_workers: int = 2, partition_size: int = 16) -> dict[str, Any]:
    corpus = read_gov_reports(shared / "data" / "gov_work_reports")
    chars = sum(len(d.text) for d in corpus)
    seg = Segmenter(progress=False)
    seg.segment_text("预热")  # the engine is built outside the timings, as each worker's is

    start = time.perf_counter()
    one = DocTermMatrix.from_tokens(seg.segment(corpus))
    t_one = time.perf_counter() - start

    start = time.perf_counter()
    with dask_client(n_workers=n_workers, processes=True) as client:
        t_start = time.perf_counter() - start
        start = time.perf_counter()
        dask = count_corpus(corpus, segmenter=seg, client=client, partition_size=partition_size)
        t_dask = time.perf_counter() - start
    equal = (
        dask.doc_ids == one.doc_ids
        and dask.feature_names == one.feature_names
        and np.array_equal(dask.counts.indptr, one.counts.indptr)
        and np.array_equal(dask.counts.indices, one.counts.indices)
        and np.array_equal(dask.counts.data, one.counts.data)
    )
    result = {
        "documents": len(corpus),
        "characters": chars,
        "one_process_s": round(t_one, 2),
        "one_process_chars_per_s": round(chars / t_one),
        "cluster_start_s": round(t_start, 2),
        "dask_workers": n_workers,
        "dask_partition_size": partition_size,
        "dask_s": round(t_dask, 2),
        "dask_chars_per_s": round(chars / t_dask),
        "speedup": round(t_one / t_dask, 2),
        "target_speedup": TARGET_SPEEDUP,
        "equal_dtm": equal,
        "shape": list(one.shape),
    }
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    return result


if __name__ == "__main__":
    parser = suite_parser("python -m benchmarks.distributed", __doc__ or "")
    args = parser.parse_args()
    shared = shared_data(args)
    if shared is not None:
        write_json(args, main(shared))
