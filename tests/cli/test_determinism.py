"""Every command writes the same bytes under another PYTHONHASHSEED and with n_jobs 2.

Sets of strings iterate in an order that depends on the hash seed, and worker
processes return in any order; no output may depend on either. Each run is a
fresh interpreter (the hash seed is fixed at start-up) that runs every command
on the sample corpus; the two runs differ in both the hash seed and ``n_jobs``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SAMPLE = REPO / "corpora" / "sample"

# {out} is the run's folder, {j} its n_jobs; every command on the sample corpus.
COMMANDS = [
    ["ingest", *sorted(map(str, (SAMPLE / "pages").glob("*.txt"))), "-o", "{out}/pages.jsonl"],
    ["segment", "{towns}", "-o", "{out}/tokens.jsonl", "--fit", "--n-jobs", "{j}"],
    ["terms", "{towns}", "-o", "{out}/terms.jsonl", "--table", "{out}/table.csv",
     "--periods", "{out}/periods.csv", "--by", "town"],
    ["kwic", "{towns}", "河长制", "-o", "{out}/kwic.csv"],
    ["dtm", "{towns}", "-o", "{out}/counts.npz", "--by", "town"],
    ["topics", "{towns}", "-o", "{out}/topics", "--k-range", "3:5:1", "--by", "town",
     "--n-jobs", "{j}"],
    ["similarity", "{towns}", "--by", "town", "-o", "{out}/similarity"],
    ["reuse", "{towns}", "-o", "{out}/reuse.jsonl", "--by", "town", "--n-jobs", "{j}"],
    ["diffusion", "{both}", "-o", "{out}/diffusion", "--unit", "town", "--time", "year",
     "--reference", "level=county"],
]  # fmt: skip

_RUN = """
import json, sys
from toolkit.cli.main import main
for argv in json.loads(sys.argv[1]):
    status = main(argv)
    if status:
        sys.exit(f"tifa {' '.join(argv)} exited {status}")
"""


def _run_all(out: Path, both: Path, *, hash_seed: str, n_jobs: int) -> None:
    import json

    out.mkdir()
    values = {"out": str(out), "j": str(n_jobs), "towns": str(SAMPLE / "towns.jsonl")}
    values["both"] = str(both)
    commands = [[word.format(**values) for word in argv] for argv in COMMANDS]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        cwd=out,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_all_outputs_identical_across_hash_seeds_and_n_jobs(tmp_path):
    both = tmp_path / "towns_and_counties.jsonl"
    both.write_bytes(
        (SAMPLE / "towns.jsonl").read_bytes() + (SAMPLE / "counties.jsonl").read_bytes()
    )
    _run_all(tmp_path / "a", both, hash_seed="1", n_jobs=1)
    _run_all(tmp_path / "b", both, hash_seed="4242", n_jobs=2)
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert len(files) >= 30, files
    other = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files == other
    differ = [
        str(f)
        for f in files
        if (tmp_path / "a" / f).read_bytes() != (tmp_path / "b" / f).read_bytes()
    ]
    assert differ == []
