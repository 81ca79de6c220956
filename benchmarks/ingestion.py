"""Ingestion speed: all of gov_work_reports (2,322 reports, ~41 M characters).

Target (issue 2): every document loads in under a minute. Each measurement runs
in a fresh subprocess so peak RSS is that of the step alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TARGET_SECONDS = 60.0

_STEP = r"""
import json, resource, sys, time
from pathlib import Path
from toolkit import ingest, read_gov_reports
folder = Path(sys.argv[1])
mode = sys.argv[2]
start = time.perf_counter()
if mode == "read_gov_reports":
    rejected = []
    corpus = read_gov_reports(folder, rejected=rejected)
    n, n_rej = len(corpus), len(rejected)
elif mode == "ingest":
    result = ingest(sorted(folder.glob("*.jsonl")), progress=False)
    n, n_rej = len(result.corpus), len(result.rejected)
    corpus = result.corpus
else:
    stream = read_gov_reports(folder, stream=True)
    n = n_rej = 0
    chars = 0
    for doc in stream:
        n += 1
        chars += len(doc.text)
seconds = time.perf_counter() - start
chars = sum(len(t) for t in corpus.texts) if mode != "stream" else chars
# ru_maxrss survives exec on Linux (a child of a big parent reports the parent's
# peak); VmHWM is this process's own peak.
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/status") as fh:
        rss_mb = next(int(l.split()[1]) / 1024 for l in fh if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({"mode": mode, "documents": n, "rejected": n_rej, "characters": chars,
                  "seconds": round(seconds, 2), "peak_rss_mb": round(rss_mb)}))
"""


def main(shared: Path) -> dict:
    folder = shared / "data" / "gov_work_reports"
    rows = []
    for mode in ("read_gov_reports", "ingest", "stream"):
        out = subprocess.run(
            [sys.executable, "-c", _STEP, str(folder), mode],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"{'mode':<18}{'docs':>7}{'rejected':>9}{'M chars':>9}{'seconds':>9}{'peak MB':>9}  target"
    )
    for r in rows:
        ok = "ok" if r["seconds"] < TARGET_SECONDS else "MISSED"
        print(
            f"{r['mode']:<18}{r['documents']:>7}{r['rejected']:>9}{r['characters'] / 1e6:>9.1f}"
            f"{r['seconds']:>9.2f}{r['peak_rss_mb']:>9}  < {TARGET_SECONDS:.0f} s {ok}"
        )
    return {"rows": rows, "target_seconds": TARGET_SECONDS}
