"""Ingestion on a Dask cluster, with the corpus of one process.

Each task reads a partition of the input files where they are (pages are
parsed, encodings detected, tables read, traditional characters converted),
so only file paths travel to the workers; the client puts the documents
together in input order, numbers id-less tables and rejects repeated ids
exactly as :func:`toolkit.ingest.ingest` does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit._validation import check_choice, check_positive_int
from toolkit.distributed._worker import ingest_partition
from toolkit.distributed.partitions import ordered_map
from toolkit.ingest.batch import (
    INGEST_FORMATS,
    IngestOptions,
    IngestResult,
    InputRead,
    expand_inputs,
    merge_inputs,
)

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["ingest_distributed"]

#: Input files per task: pages are small, so a task reads several.
DEFAULT_FILES_PER_TASK = 16


def ingest_distributed(
    inputs: Sequence[str | Path] | str | Path,
    *,
    client: Client,
    format: str = "auto",
    t2s: bool = False,
    text_field: str = "text",
    id_field: str | None = None,
    metadata_csv: str | Path | None = None,
    filename_pattern: str | None = None,
    files_per_task: int = DEFAULT_FILES_PER_TASK,
    max_in_flight: int | None = None,
) -> IngestResult:
    """Read files of several kinds into one corpus on a Dask cluster, as ``ingest`` does.

    The workers open the files themselves: on a real cluster the paths must
    name a file system every worker sees (a shared home or scratch folder).

    Parameters
    ----------
    inputs : sequence of str or Path
        Files or folders, as :func:`~toolkit.ingest.ingest` takes them.
    client : distributed.Client
        See :func:`toolkit.distributed.dask_client`.
    format, t2s, text_field, id_field, metadata_csv, filename_pattern
        As :func:`~toolkit.ingest.ingest`.
    files_per_task : int
        Inputs read by one task (a folder counts as one input).
    max_in_flight : int, optional
        Tasks submitted and not yet merged (default: four per worker thread).

    Returns
    -------
    IngestResult
        Equal to ``ingest(inputs, ...)``: the same documents in the same order,
        the same rejects.
    """
    check_choice("format", format, INGEST_FORMATS)
    check_positive_int("files_per_task", files_per_task)
    pairs = expand_inputs(inputs, format)
    options = IngestOptions(text_field, id_field, metadata_csv, filename_pattern, t2s)
    chunks = [(pairs[i : i + files_per_task],) for i in range(0, len(pairs), files_per_task)]

    def reads() -> Iterator[InputRead]:
        for _chunk, result in ordered_map(
            client, ingest_partition, chunks, options, max_in_flight=max_in_flight
        ):
            yield from result

    return merge_inputs(pairs, reads())
