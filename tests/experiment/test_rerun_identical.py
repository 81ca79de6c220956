"""An experiment rerun in a fresh interpreter with another PYTHONHASHSEED writes the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(config: Path, root: Path, run_id: str, hashseed: str) -> Path:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    command = [sys.executable, "-m", "toolkit", "run", str(config), "--quiet"]
    done = subprocess.run(
        [*command, "--output-root", str(root), "--run-id", run_id],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return root / run_id


def test_terms_of_the_sample_corpus_rerun_byte_identical(flagship_only, tmp_path):
    # town_terms ranks terms out of sets and dicts of strings: the step a
    # different hash seed would reorder if any order leaked into the outputs.
    config = flagship_only("town_terms")
    a = _run(config, tmp_path, "a", "1")
    b = _run(config, tmp_path, "b", "4242")
    files = sorted(p.relative_to(a) for p in (a / "tables").glob("*.csv"))
    assert [f.name for f in files] == ["terms.csv", "town_top_terms.csv"]
    for name in [*files, Path("metrics.json"), Path("rejected.csv")]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
