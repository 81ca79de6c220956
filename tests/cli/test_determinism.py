"""Every command writes the same bytes under another PYTHONHASHSEED and with n_jobs 2.

The runner is ``benchmarks.determinism`` (which also runs it on 50 shared
reports); here it runs on the sample corpus, pages included.
"""

from __future__ import annotations

from benchmarks.determinism import Case, compare
from tests.conftest import REPO

SAMPLE = REPO / "corpora" / "sample"


def test_all_outputs_identical_across_hash_seeds_and_n_jobs(tmp_path):
    both = tmp_path / "towns_and_counties.jsonl"
    both.write_bytes(
        (SAMPLE / "towns.jsonl").read_bytes() + (SAMPLE / "counties.jsonl").read_bytes()
    )
    pages = tuple(str(p) for p in sorted((SAMPLE / "pages").glob("*.txt")))
    case = Case(
        corpus=SAMPLE / "towns.jsonl",
        both=both,
        unit="town",
        reference="level=county",
        extra=(("ingest", *pages, "-o", "{out}/pages.jsonl"),),
    )
    result = compare(case, tmp_path)
    assert result["files"] >= 30
    assert result["only_in_one"] == []
    assert result["differ"] == []
