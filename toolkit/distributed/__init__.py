"""Run the pipeline on a Dask cluster (dask.distributed), with one machine's results.

``dask_client()`` starts a local cluster or connects to ``tcp://HOST:PORT``;
:func:`segment_corpus` and :func:`count_corpus` split a corpus into partitions
of documents, run them on the workers (each worker builds its segmenter once)
and return what :meth:`Segmenter.segment` and :meth:`DocTermMatrix.from_corpus`
return in one process, in the input's ``doc_id`` order. :func:`fit_detector`,
:func:`detect_corpus` and :func:`iter_detect_corpus` do the same for
:meth:`TermDetector.fit` and :meth:`TermDetector.detect`;
ingestion (:func:`ingest_distributed`) reads the files where they are;
:func:`find_reuse_distributed` signs and aligns on the workers and returns the
passages of :func:`~toolkit.similarity.reuse.find_reuse`. Dask is imported
only when a client is made or a task is submitted.
"""

from toolkit.distributed.client import SCHEDULER_FORMS, SchedulerSpec, dask_client, parse_scheduler
from toolkit.distributed.counting import count_corpus, merge_counts
from toolkit.distributed.ingesting import ingest_distributed
from toolkit.distributed.reuse import find_reuse_distributed
from toolkit.distributed.segmenting import (
    DEFAULT_PARTITION_SIZE,
    iter_segment_corpus,
    segment_corpus,
)
from toolkit.distributed.terms import detect_corpus, fit_detector, iter_detect_corpus

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "SCHEDULER_FORMS",
    "SchedulerSpec",
    "count_corpus",
    "dask_client",
    "detect_corpus",
    "find_reuse_distributed",
    "fit_detector",
    "ingest_distributed",
    "iter_detect_corpus",
    "iter_segment_corpus",
    "merge_counts",
    "parse_scheduler",
    "segment_corpus",
]
