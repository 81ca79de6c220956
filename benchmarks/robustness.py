"""Long documents in linear time, and no memory growth over many documents (issue 16).

1. **Linear time.** A document of 0.25, 0.5 and 1 M characters with no
   punctuation at all (the characters of real provincial reports, punctuation
   and line breaks removed: one unbroken run, the worst case for a matcher or
   a chunker) is segmented and its terms detected, each size in a fresh
   interpreter. Time (best of three) and peak RSS per size, and the ratio of
   each to the 0.25 M figure: linear work doubles with the size (ratios 2 and 4).
2. **No growth.** One process fits a detector on 100 reports, then segments
   and detects 10,000 documents (paragraphs of the reports, resampled with a
   seed). RSS after a warm-up of 1,000 documents against RSS at the end:
   target growth <= 5%.

``python -m benchmarks.robustness [--shared PATH]``; part of ``python -m benchmarks``.
"""

from __future__ import annotations

import gc
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.cli import shared_data, suite_parser, write_json
from benchmarks.fresh_process import in_fresh_process, peak_rss_mb, proc_mb

SIZES = (250_000, 500_000, 1_000_000)
#: Growth of RSS after warm-up that the issue allows.
TARGET_GROWTH = 0.05
N_DOCUMENTS = 10_000
WARM_UP = 1_000
_NOT_TEXT = re.compile(r"[\s\W_]+")


def _reports(shared: str | Path, n: int | None = None) -> list[str]:
    path = Path(shared) / "data" / "gov_work_reports" / "provincial.jsonl"
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if n is not None and len(texts) >= n:
                break
    return texts


def long_document(shared: str | Path, size: int) -> dict[str, Any]:
    """Segment and detect one unpunctuated document of ``size`` characters (fresh process)."""
    from toolkit import Segmenter, TermDetector

    reports = _reports(shared, 60)
    run = "".join(_NOT_TEXT.sub("", t) for t in reports)
    while len(run) < size:
        run += run
    text = run[:size]
    detector = TermDetector(progress=False).fit(reports[:50])
    segmenter = Segmenter(progress=False)
    segmenter.segment_text("预热")
    detector.detect("预热")
    gc.collect()
    before = proc_mb("VmRSS")
    # Best of three: one run on a shared machine is noisy at a fraction of a second.
    segment_s = detect_s = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        tokens = segmenter.segment_text(text)
        segment_s = min(segment_s, time.perf_counter() - start)
        assert "".join(tokens) == text
        start = time.perf_counter()
        table = detector.detect(text)
        detect_s = min(detect_s, time.perf_counter() - start)
    return {
        "size": size,
        "segment_s": segment_s,
        "detect_s": detect_s,
        "terms": len(table),
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }


def growth(shared: str | Path) -> dict[str, Any]:
    """RSS after warm-up and after 10,000 documents, in one process (fresh process)."""
    from toolkit import Segmenter, TermDetector

    reports = _reports(shared)
    paragraphs = [p for t in reports for p in t.split("\n") if len(p) >= 40]
    rng = random.Random(0)
    documents = [rng.choice(paragraphs) for _ in range(N_DOCUMENTS)]
    detector = TermDetector(progress=False).fit(reports[:100])
    segmenter = Segmenter(progress=False)
    del reports
    rss: dict[int, float | None] = {}
    start = time.perf_counter()
    for i, text in enumerate(documents, start=1):
        segmenter.segment_text(text)
        detector.detect(text)
        if i in (WARM_UP, N_DOCUMENTS // 2, N_DOCUMENTS):
            gc.collect()
            rss[i] = proc_mb("VmRSS")
    seconds = time.perf_counter() - start
    warm, end = rss[WARM_UP], rss[N_DOCUMENTS]
    share = (end - warm) / warm if warm and end else None
    return {"rss_mb": rss, "growth": share, "seconds": seconds, "documents": N_DOCUMENTS}


def main(shared: Path) -> dict[str, Any]:
    """Print each figure beside its target."""
    out: dict[str, Any] = {"sizes": []}
    print("-- 1. one document without punctuation (fresh process per size)")
    for size in SIZES:
        row = in_fresh_process("robustness", "long_document", str(shared), size)
        out["sizes"].append(row)
        if "error" in row:
            continue
        print(
            f"  {size / 1e6:.2f} M chars: segment {row['segment_s']:.2f} s, "
            f"detect {row['detect_s']:.2f} s, {row['terms']} terms, "
            f"RSS {row['rss_before_mb']:.0f} MB before the text, peak {row['peak_rss_mb']:.0f} MB"
        )
    rows = [r for r in out["sizes"] if "error" not in r]
    if len(rows) == len(SIZES):
        base = rows[0]
        for row in rows[1:]:
            row["ratio"] = {
                k: row[k] / base[k] if base[k] else None
                for k in ("segment_s", "detect_s", "peak_rss_mb")
            }
            r = row["ratio"]
            print(
                f"  x{row['size'] / base['size']:.0f} the size: segment x{r['segment_s']:.2f}, "
                f"detect x{r['detect_s']:.2f}, peak RSS x{r['peak_rss_mb']:.2f} "
                "(linear: time x the size)"
            )
    print(f"-- 2. {N_DOCUMENTS:,} documents in one process (fresh process)")
    grown = in_fresh_process("robustness", "growth", str(shared))
    out["growth"] = grown
    if "error" not in grown:
        rss = grown["rss_mb"]
        met = grown["growth"] is not None and grown["growth"] <= TARGET_GROWTH
        print(
            f"  RSS after {WARM_UP:,} documents {rss[str(WARM_UP)]:.0f} MB, after "
            f"{N_DOCUMENTS // 2:,} {rss[str(N_DOCUMENTS // 2)]:.0f} MB, after {N_DOCUMENTS:,} "
            f"{rss[str(N_DOCUMENTS)]:.0f} MB: growth {grown['growth']:+.1%} "
            f"(target <= {TARGET_GROWTH:.0%}: {'met' if met else 'NOT met'}); "
            f"{grown['seconds']:.0f} s"
        )
    return out


if __name__ == "__main__":
    args = suite_parser("python -m benchmarks.robustness", __doc__).parse_args()
    data = shared_data(args)
    if data is None:
        sys.exit(2)
    write_json(args, main(data))
