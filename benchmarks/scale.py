"""Scale (issue 15): throughput on all gov_work_reports, memory on a resampled corpus.

1. **Throughput.** All of ``gov_work_reports`` (2,322 reports, ~41 M
   characters), in memory, through segmentation + counting + DTM in three
   configurations: one process (``DocTermMatrix.from_tokens(seg.segment(...))``);
   ``Segmenter(n_jobs=2)`` (segmentation in 2 worker processes, counting in
   this one); :func:`toolkit.distributed.count_corpus` on a 2-worker
   ``LocalCluster`` (worker processes, one thread each; counting on the
   workers, merge here). The cluster's start-up is timed apart. The three run
   in turn for ``--rounds`` rounds (3): in round 1 each builds its engines
   inside its timing (cold), later rounds reuse them (warm, the rate a long
   run settles at). Each round's speed-up is against the one-process run of
   the same round, seconds apart, because this machine's speed drifts by a
   fifth from minute to minute. Every round's three matrices must be equal
   (ids, features, CSR arrays). Target: the cluster >= 1.7x one process.
2. **Memory.** A corpus of ``--size`` bytes of UTF-8 text (default 100 MB;
   ``--size 1GB`` for the issue's run; 1 GB = 10**9 bytes) made by resampling
   paragraphs of the reports: each document takes the paragraph count of a
   report drawn at random and that many paragraphs drawn at random from all
   reports (``random.Random(--seed)``, so the corpus is the same every run).
   It is written as Parquet partitions of 1,000 documents to a temporary
   folder (removed afterwards) and streamed with ``CorpusStream`` through
   ``DocTermMatrix.from_corpus`` (two passes) in one process, and through
   ``count_corpus`` on the 2-worker cluster; each in a fresh interpreter. The
   peak RSS (VmHWM) of the main process and of every process it started is
   read before the cluster closes. Target: every process under 1.5 GB; the
   two matrices equal.

``python -m benchmarks.scale [--part throughput|memory] [--rounds 3] [--size 100MB|1GB]
[--seed 0] [--tmp DIR] [--shared PATH] [--json FILE]``
"""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from benchmarks.cli import shared_data, suite_parser, write_json
from benchmarks.fresh_process import in_fresh_process, peak_rss_mb, proc_mb
from toolkit import Corpus, CorpusStream, DocTermMatrix, Document, Segmenter, read_gov_reports
from toolkit.corpus import write_parquet
from toolkit.distributed import count_corpus, dask_client

__all__ = ["main", "memory", "parse_size", "throughput", "write_resampled"]

TARGET_SPEEDUP = 1.7
TARGET_PEAK_RSS_MB = 1536  # 1.5 GB
N_WORKERS = 2
PARTITION_SIZE = 64  # documents per Dask task
ROUNDS = 3  # throughput: one cold round, then warm ones
DOCS_PER_FILE = 1000  # documents per Parquet partition of the resampled corpus
DEFAULT_SIZE = "100MB"

_SIZE = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[KMG]?B)", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9}


def parse_size(text: str) -> int:
    """``'100MB'`` -> 100_000_000 bytes (decimal units: B, KB, MB, GB)."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"--size must be a number and a unit, e.g. 100MB or 1GB (got {text!r})")
    return int(float(match["n"]) * _UNITS[match["unit"].upper()])


def _digest(dtm: DocTermMatrix) -> str:
    """sha256 of a matrix's ids, features and CSR arrays: equal digests, equal matrices."""
    h = hashlib.sha256()
    h.update("\0".join(dtm.doc_ids).encode())
    h.update(b"\1" + "\0".join(dtm.feature_names).encode())
    for part in (dtm.counts.indptr, dtm.counts.indices, dtm.counts.data):
        h.update(b"\1")
        # int64 whatever the index dtype, a million entries at a time: no full copy
        for start in range(0, len(part), 1 << 20):
            h.update(part[start : start + (1 << 20)].astype(np.int64).tobytes())
    return h.hexdigest()


def _cpu_s(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return float(t.user + t.system)


def _tree_cpu_s(proc: psutil.Process) -> float:
    """CPU seconds (user + system) of ``proc`` and its live descendants."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


class _Timer:
    """Wall time, this process's CPU time and the machine's load over a block."""

    def __init__(self) -> None:
        self.me = psutil.Process()

    def __enter__(self) -> _Timer:
        self.load_before = os.getloadavg()[0]
        self.cpu_main = self.me.cpu_times()
        self.cpu_tree = _tree_cpu_s(self.me)
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
        after = self.me.cpu_times()
        self.main_cpu_s = (after.user + after.system) - (self.cpu_main.user + self.cpu_main.system)
        self.all_cpu_s = _tree_cpu_s(self.me) - self.cpu_tree
        self.load_after = os.getloadavg()[0]

    def row(self, chars: int, one_s: float | None = None) -> dict[str, Any]:
        row: dict[str, Any] = {
            "seconds": round(self.seconds, 2),
            "chars_per_s": round(chars / self.seconds),
            "main_process_cpu_s": round(self.main_cpu_s, 2),
            "load_average_1min": [round(self.load_before, 2), round(self.load_after, 2)],
        }
        if one_s is not None:
            row["speedup"] = round(one_s / self.seconds, 2)
        return row


def _round(
    corpus: Corpus | CorpusStream,
    chars: int,
    segmenters: dict[str, Segmenter],
    client: Any,
    partition_size: int,
) -> tuple[dict[str, Any], dict[str, str]]:
    """One round of the three configurations, each timed; their rows and matrix digests."""
    rows: dict[str, Any] = {}
    digests: dict[str, str] = {}
    with _Timer() as t:
        one = DocTermMatrix.from_tokens(segmenters["one_process"].segment(corpus))
    rows["one_process"] = {**t.row(chars), "speedup": 1.0}
    digests["one_process"] = _digest(one)
    del one
    with _Timer() as t:
        jobs = DocTermMatrix.from_tokens(segmenters["n_jobs_2"].segment(corpus))
    rows["n_jobs_2"] = t.row(chars, rows["one_process"]["seconds"])
    digests["n_jobs_2"] = _digest(jobs)
    del jobs
    with _Timer() as t:
        dask = count_corpus(
            corpus, segmenter=segmenters["dask"], client=client, partition_size=partition_size
        )
    rows["dask_local_cluster"] = t.row(chars, rows["one_process"]["seconds"])
    rows["dask_local_cluster"]["cpu_s_all_processes"] = round(t.all_cpu_s, 2)
    digests["dask_local_cluster"] = _digest(dask)
    return rows, digests


def throughput(
    shared: Path,
    *,
    n_workers: int = N_WORKERS,
    partition_size: int = PARTITION_SIZE,
    rounds: int = ROUNDS,
) -> dict[str, Any]:
    """Part 1: one process, ``n_jobs=2`` and a ``LocalCluster``, on all the reports.

    The three run in turn, ``rounds`` times. In round 1 every configuration
    builds its engines inside its timing (cold); later rounds reuse them, in
    this process as on the workers (warm): the throughput a long run settles
    at. Each round's speed-up compares the cluster with the one-process run of
    the same round, a few seconds apart, so a slow spell of the machine shifts
    both; the warm figure is the median over rounds 2 onwards.
    """
    corpus = read_gov_reports(shared / "data" / "gov_work_reports")
    chars = sum(len(d.text) for d in corpus)
    print(f"throughput: {len(corpus):,} reports, {chars:,} characters; load {os.getloadavg()}")
    start = time.perf_counter()
    with dask_client(n_workers=n_workers, processes=True, threads_per_worker=1) as client:
        cluster_start_s = time.perf_counter() - start
        segmenters = {
            "one_process": Segmenter(progress=False),
            "n_jobs_2": Segmenter(progress=False, n_jobs=2),
            "dask": Segmenter(progress=False),
        }
        per_round = []
        for r in range(rounds):
            rows, digests = _round(corpus, chars, segmenters, client, partition_size)
            rows["equal"] = {
                name: digest == digests["one_process"] for name, digest in digests.items()
            }
            rows["dtm_sha256"] = digests["one_process"]
            per_round.append(rows)
            _print_round(r + 1, rows)
    names = ("one_process", "n_jobs_2", "dask_local_cluster")
    warm = per_round[1:] or per_round
    summary = {
        "cold": {n: per_round[0][n] for n in names},
        "warm_median": {
            n: {
                "seconds": statistics.median(r[n]["seconds"] for r in warm),
                "chars_per_s": round(statistics.median(r[n]["chars_per_s"] for r in warm)),
                "speedup": statistics.median(r[n].get("speedup", 1.0) for r in warm),
            }
            for n in names
        },
    }
    equal = all(all(r["equal"].values()) for r in per_round)
    result = {
        "documents": len(corpus),
        "characters": chars,
        "cpu_cores": os.cpu_count(),
        "dask_workers": n_workers,
        "dask_threads_per_worker": 1,
        "dask_partition_size": partition_size,
        "cluster_start_s": round(cluster_start_s, 2),
        "rounds": per_round,
        **summary,
        "target_speedup": TARGET_SPEEDUP,
        "outputs_equal": equal,
        "dtm_sha256": per_round[0]["dtm_sha256"],
    }
    print(f"  cluster start {cluster_start_s:.1f} s (not timed in the rounds)")
    for label in ("cold", "warm_median"):
        cluster = summary[label]["dask_local_cluster"]
        mark = "met" if cluster["speedup"] >= TARGET_SPEEDUP else "not met"
        print(
            f"  {label:>11}: cluster {cluster['speedup']}x one process, n_jobs=2 "
            f"{summary[label]['n_jobs_2']['speedup']}x "
            f"(target cluster >= {TARGET_SPEEDUP}x: {mark})"
        )
    print(f"  every round's three matrices equal: {equal}")
    return result


def _print_round(number: int, rows: dict[str, Any]) -> None:
    kind = "cold: engines built inside each timing" if number == 1 else "warm"
    print(f"round {number} ({kind})")
    print(f"{'configuration':>20} {'seconds':>8} {'chars/s':>10} {'speed-up':>8}")
    for name in ("one_process", "n_jobs_2", "dask_local_cluster"):
        r = rows[name]
        extra = (
            f", all processes {r['cpu_s_all_processes']} s" if "cpu_s_all_processes" in r else ""
        )
        print(
            f"{name:>20} {r['seconds']:>8} {r['chars_per_s']:>10,} {r.get('speedup', 1.0):>8}"
            f"   (CPU: main {r['main_process_cpu_s']} s{extra}; load {r['load_average_1min']})"
        )


# ---------------------------------------------------------------------- memory
def write_resampled(
    shared: str, folder: str, size_bytes: int, seed: int, docs_per_file: int = DOCS_PER_FILE
) -> dict[str, Any]:
    """Write ``size_bytes`` of resampled report paragraphs as Parquet partitions."""
    reports = read_gov_reports(Path(shared) / "data" / "gov_work_reports")
    per_report = [[p for p in d.text.split("\n") if p.strip()] for d in reports]
    lengths = [len(ps) for ps in per_report if ps]
    pool = [p for ps in per_report for p in ps]
    del reports, per_report
    rng = random.Random(seed)
    text_hash = hashlib.sha256()
    written = {"documents": 0, "characters": 0, "bytes": 0}

    def documents() -> Iterator[Document]:
        while written["bytes"] < size_bytes:
            k = rng.choice(lengths)
            text = "\n".join(rng.choices(pool, k=k))
            data = text.encode()
            text_hash.update(data + b"\0")
            written["bytes"] += len(data)
            written["characters"] += len(text)
            written["documents"] += 1
            yield Document(f"s{written['documents']:08d}", text, {"n_paragraphs": k})

    start = time.perf_counter()
    docs = documents()
    files = 0
    while written["bytes"] < size_bytes:
        batch = list(itertools.islice(docs, docs_per_file))
        write_parquet(batch, Path(folder) / f"part.{files}.parquet")
        files += 1
    return {
        **written,
        "files": files,
        "parquet_mb": round(sum(f.stat().st_size for f in Path(folder).iterdir()) / 1e6, 1),
        "seconds": round(time.perf_counter() - start, 1),
        "text_sha256": text_hash.hexdigest(),
    }


def memory_one_process(folder: str) -> dict[str, Any]:
    """``DocTermMatrix.from_corpus`` over a ``CorpusStream`` of the folder, in this process."""
    start = time.perf_counter()
    dtm = DocTermMatrix.from_corpus(CorpusStream(folder), segmenter=Segmenter(progress=False))
    seconds = time.perf_counter() - start
    peak = round(peak_rss_mb() or 0)  # before the digest, which is the benchmark's own work
    return {
        "seconds": round(seconds, 1),
        "shape": list(dtm.shape),
        "nnz": int(dtm.counts.nnz),
        "dtm_sha256": _digest(dtm),
        "peak_rss_mb": {"main": peak},
    }


def memory_cluster(folder: str, n_workers: int, partition_size: int) -> dict[str, Any]:
    """``count_corpus`` over a ``CorpusStream`` of the folder on a ``LocalCluster``."""
    start = time.perf_counter()
    with dask_client(n_workers=n_workers, processes=True, threads_per_worker=1) as client:
        cluster_start_s = time.perf_counter() - start
        start_cpu_s = _cpu_s(psutil.Process())
        start = time.perf_counter()
        dtm = count_corpus(
            CorpusStream(folder),
            segmenter=Segmenter(progress=False),
            client=client,
            partition_size=partition_size,
        )
        seconds = time.perf_counter() - start
        main_cpu_s = _cpu_s(psutil.Process())
        workers = set(client.run(os.getpid).values())
        peaks = {"main": round(peak_rss_mb() or 0)}
        for child in psutil.Process().children(recursive=True):
            role = "worker" if child.pid in workers else f"other ({child.name()})"
            peaks[f"{role} pid {child.pid}"] = round(proc_mb("VmHWM", pid=child.pid) or 0)
    return {
        "seconds": round(seconds, 1),
        "cluster_start_s": round(cluster_start_s, 1),
        "main_process_cpu_s": round(main_cpu_s - start_cpu_s, 1),
        "shape": list(dtm.shape),
        "nnz": int(dtm.counts.nnz),
        "dtm_sha256": _digest(dtm),
        "peak_rss_mb": peaks,
    }


def memory(
    shared: Path,
    *,
    size: str = DEFAULT_SIZE,
    seed: int = 0,
    tmp: str | None = None,
    n_workers: int = N_WORKERS,
    partition_size: int = PARTITION_SIZE,
) -> dict[str, Any]:
    """Part 2: a resampled corpus of ``size`` streamed in one process and on the cluster."""
    size_bytes = parse_size(size)
    with tempfile.TemporaryDirectory(prefix="tifa-scale-", dir=tmp) as folder:
        print(f"memory: writing {size} ({size_bytes:,} bytes of text), seed {seed}, to {folder}")
        corpus = in_fresh_process("scale", "write_resampled", str(shared), folder, size_bytes, seed)
        print(f"  corpus: {corpus}")
        one = in_fresh_process("scale", "memory_one_process", folder)
        print(f"  one process: {one}")
        cluster = in_fresh_process("scale", "memory_cluster", folder, n_workers, partition_size)
        print(f"  {n_workers}-worker cluster: {cluster}")
    result = {
        "size": size,
        "size_bytes": size_bytes,
        "seed": seed,
        "corpus": corpus,
        "one_process": one,
        "dask_local_cluster": cluster,
        "target_peak_rss_mb": TARGET_PEAK_RSS_MB,
    }
    peaks = {
        f"{where}: {name}": mb
        for where, run in (("one process", one), ("cluster", cluster))
        for name, mb in run.get("peak_rss_mb", {}).items()
    }
    result["max_peak_rss_mb"] = max(peaks.values(), default=None)
    result["equal_dtm"] = "dtm_sha256" in one and one.get("dtm_sha256") == cluster.get("dtm_sha256")
    print(f"memory, corpus of {size} ({corpus.get('characters', 0):,} characters):")
    for name, mb in peaks.items():
        mark = "met" if mb < TARGET_PEAK_RSS_MB else "MISSED"
        print(f"  peak RSS {name:>34}: {mb:>6} MB  (target < {TARGET_PEAK_RSS_MB} MB: {mark})")
    for label, run in (("one process", one), ("cluster", cluster)):
        if "seconds" in run:
            chars_s = round(corpus.get("characters", 0) / run["seconds"])
            print(f"  time {label:>12}: {run['seconds']} s ({chars_s:,} chars/s)")
    print(f"  equal matrices: {result['equal_dtm']}")
    return result


def main(
    shared: Path,
    *,
    part: str | None = None,
    rounds: int = ROUNDS,
    size: str = DEFAULT_SIZE,
    seed: int = 0,
    tmp: str | None = None,
) -> dict[str, Any]:
    """Both parts (``make bench`` runs this with the quick defaults: ``--size 100MB``)."""
    result: dict[str, Any] = {}
    if part in (None, "throughput"):
        result["throughput"] = throughput(shared, rounds=rounds)
    if part in (None, "memory"):
        result["memory"] = memory(shared, size=size, seed=seed, tmp=tmp)
    return result


if __name__ == "__main__":
    parser = suite_parser("python -m benchmarks.scale", __doc__ or "")
    parser.add_argument("--part", choices=["throughput", "memory"], default=None)
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help="throughput part: rounds (1 cold, then warm)"
    )
    parser.add_argument("--size", default=DEFAULT_SIZE, help="memory part: e.g. 100MB, 1GB")
    parser.add_argument("--seed", type=int, default=0, help="memory part: resampling seed")
    parser.add_argument("--tmp", default=None, help="memory part: folder for the temporary corpus")
    args = parser.parse_args()
    parse_size(args.size)
    shared = shared_data(args)
    if shared is not None:
        options = {"rounds": args.rounds, "size": args.size, "seed": args.seed, "tmp": args.tmp}
        write_json(args, main(shared, part=args.part, **options))
