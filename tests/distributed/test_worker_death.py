"""A worker killed mid-run does not change the result: Dask reruns its partitions (issue 15)."""

from __future__ import annotations

import os
import signal
from typing import Any

from toolkit import Corpus, Document, Segmenter
from toolkit.distributed import dask_client, iter_segment_corpus


def test_killing_a_worker_mid_run_gives_the_same_tokens(corpus: Corpus) -> None:
    # 8 copies of the sample (288 documents) in partitions of 4: 72 tasks, so
    # most are still to run, or submitted later, when the worker dies.
    docs = [Document(f"{d.doc_id}~{k}", d.text, d.meta) for k in range(8) for d in corpus]
    seg = Segmenter(progress=False)
    expected = list(seg.segment(docs).items())
    with dask_client(n_workers=2, processes=True) as client:
        pids: dict[str, Any] = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        got = []
        for i, pair in enumerate(
            iter_segment_corpus(docs, segmenter=seg, client=client, partition_size=4)
        ):
            if i == 0:
                os.kill(victim, signal.SIGKILL)
            got.append(pair)
        assert victim not in client.run(os.getpid).values()
    assert got == expected
