"""Every command writes the same bytes under another PYTHONHASHSEED and with n_jobs 2.

Sets of strings iterate in an order that depends on the hash seed, and worker
processes return in any order; no output may depend on either. Each run is a
fresh interpreter (the hash seed is fixed at start-up) that runs every command
on one corpus; the two runs differ in both the hash seed and ``n_jobs``, and
every file they write is compared byte for byte.

``tests/cli/test_determinism.py`` runs this on the sample corpus;
``python -m benchmarks.determinism`` runs it on 50 shared reports (40
provincial, 10 national; units are provinces, the reference is the national
report), a few minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.cli import shared_data, suite_parser, write_json

ROOT = Path(__file__).resolve().parents[1]

# {out} is the run's folder, {j} its n_jobs; {corpus}, {both} (corpus + reference
# documents), {unit}, {reference} and {id} come from the Case.
COMMANDS = [
    ["segment", "{corpus}", "-o", "{out}/tokens.jsonl", "--fit", "--n-jobs", "{j}",
     "--id-field", "{id}"],
    ["terms", "{corpus}", "-o", "{out}/terms.jsonl", "--table", "{out}/table.csv",
     "--periods", "{out}/periods.csv", "--by", "{unit}", "--id-field", "{id}"],
    ["kwic", "{corpus}", "河长制", "-o", "{out}/kwic.csv", "--id-field", "{id}"],
    ["dtm", "{corpus}", "-o", "{out}/counts.npz", "--by", "{unit}", "--id-field", "{id}"],
    ["topics", "{corpus}", "-o", "{out}/topics", "--k-range", "3:5:1", "--by", "{unit}",
     "--n-jobs", "{j}", "--id-field", "{id}"],
    ["similarity", "{corpus}", "--by", "{unit}", "-o", "{out}/similarity", "--id-field", "{id}"],
    ["reuse", "{corpus}", "-o", "{out}/reuse.jsonl", "--by", "{unit}", "--n-jobs", "{j}",
     "--id-field", "{id}"],
    ["diffusion", "{both}", "-o", "{out}/diffusion", "--unit", "{unit}", "--time", "year",
     "--reference", "{reference}", "--id-field", "{id}"],
]  # fmt: skip

_RUN = """
import json, sys
from toolkit.cli.main import main
for argv in json.loads(sys.argv[1]):
    status = main(argv)
    if status:
        sys.exit(f"tifa {' '.join(argv)} exited {status}")
"""


@dataclass(frozen=True)
class Case:
    """One corpus to run every command on."""

    corpus: Path
    both: Path
    unit: str
    reference: str
    id_field: str = "doc_id"
    extra: tuple[tuple[str, ...], ...] = ()


def run_all(case: Case, out: Path, *, hash_seed: str, n_jobs: int) -> None:
    """Run every command of ``case`` into ``out`` in a fresh interpreter."""
    out.mkdir()
    values = {
        "out": str(out),
        "j": str(n_jobs),
        "corpus": str(case.corpus),
        "both": str(case.both),
        "unit": case.unit,
        "reference": case.reference,
        "id": case.id_field,
    }
    templates = [*COMMANDS, *(list(c) for c in case.extra)]
    commands = [[word.format(**values) for word in argv] for argv in templates]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        cwd=out,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])


def compare(case: Case, folder: Path) -> dict[str, Any]:
    """Two runs (hash seed 1, n_jobs 1; hash seed 4242, n_jobs 2) and their differing files."""
    a, b = folder / "a", folder / "b"
    run_all(case, a, hash_seed="1", n_jobs=1)
    run_all(case, b, hash_seed="4242", n_jobs=2)
    files = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    other = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    differ = [f for f in files if f in other and (a / f).read_bytes() != (b / f).read_bytes()]
    return {
        "files": len(files),
        "only_in_one": sorted(set(files) ^ set(other)),
        "differ": differ,
    }


def _reports(shared: Path, folder: Path) -> Case:
    data = shared / "data" / "gov_work_reports"
    provincial = (data / "provincial.jsonl").read_text(encoding="utf-8").splitlines()
    national = (data / "national.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = provincial[:: max(1, len(provincial) // 40)][:40]
    corpus, both = folder / "reports.jsonl", folder / "with_national.jsonl"
    corpus.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    both.write_text("\n".join(chosen + national[-10:]) + "\n", encoding="utf-8")
    assert all(json.loads(line)["province"] for line in chosen)
    return Case(corpus, both, unit="province", reference="level=national", id_field="id")


def main(shared: Path) -> dict[str, Any]:
    """Run on 50 shared reports and print the differing files (target: none)."""
    with tempfile.TemporaryDirectory() as tmp:
        case = _reports(shared, Path(tmp))
        result = compare(case, Path(tmp))
    shown = ", ".join(result["differ"] + result["only_in_one"]) or "none"
    print(
        f"  50 reports, every command, hash seed 1 / n_jobs 1 against hash seed 4242 / n_jobs 2: "
        f"{result['files']} files, differing: {shown} (target: none)"
    )
    return result


if __name__ == "__main__":
    args = suite_parser("python -m benchmarks.determinism", __doc__).parse_args()
    data = shared_data(args)
    if data is None:
        sys.exit(2)
    write_json(args, main(data))
