"""The corpus term table, read by hand: are its most widespread entries official terms?

A diffusion study reads ``TermDetector().fit(corpus).terms_``, so every false
entry is a false adoption. ``TermDetector()`` is fitted on the national and
provincial government work reports since 2000 (697 reports) and the table's
100 most widespread entries (its first rows: most documents first) are
compared with ``benchmarks/data/table_top100_judged.tsv``, where each entry
the table has listed there was judged by hand: ``official`` (a 提法: slogan,
formula, institution, campaign, named policy or plan) or ``not`` (an ordinary
word, a generic head, a name of a place or thing), with a reason for every
``not``. An entry of today's top 100 that the list does not hold is reported
as unjudged and not counted as official: judge it and add it to the list.

``python -m benchmarks.table``; part of ``python -m benchmarks``. About 5
minutes on 2 cores (the fit).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.cli import shared_data, suite_parser, write_json

JUDGED = Path(__file__).resolve().parent / "data" / "table_top100_judged.tsv"
#: Official terms among the table's 100 most widespread entries (issue 13).
TARGET_OFFICIAL = 95
TOP = 100
SINCE = 2000
FILES = ("national.jsonl", "provincial.jsonl")
JUDGEMENTS = ("official", "not")


def read_judged(path: Path = JUDGED) -> dict[str, dict[str, str]]:
    """Term → its row of the judged list (``judgement`` and ``reason`` among the columns)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    judged: dict[str, dict[str, str]] = {}
    for number, row in enumerate(csv.DictReader(rows, delimiter="\t"), start=2):
        if row["judgement"] not in JUDGEMENTS:
            raise ValueError(
                f"{path}: row {number} ({row['term']!r}): judgement must be one of "
                f"{JUDGEMENTS} (got {row['judgement']!r})"
            )
        if row["judgement"] == "not" and not (row.get("reason") or "").strip():
            raise ValueError(f"{path}: row {number} ({row['term']!r}): a 'not' needs a reason")
        judged[row["term"]] = row
    return judged


def build_table(shared: Path) -> tuple[Any, dict[str, Any]]:
    """The corpus table of the national and provincial reports since :data:`SINCE`."""
    from toolkit import Corpus, TermDetector, read_gov_reports

    folder = shared / "data" / "gov_work_reports"
    docs = [
        d for name in FILES for d in read_gov_reports(folder / name) if int(d.meta["year"]) >= SINCE
    ]
    start = time.perf_counter()
    detector = TermDetector(progress=False).fit(Corpus(docs))
    info = {
        "documents": len(docs),
        "fit_seconds": round(time.perf_counter() - start, 1),
        "rows": len(detector.terms_),
    }
    return detector.terms_, info


def score(table: Any, judged: dict[str, dict[str, str]], top: int = TOP) -> dict[str, Any]:
    """Official, not official and unjudged entries among the first ``top`` rows of ``table``."""
    rows = table.head(top)
    official: list[str] = []
    wrong: list[tuple[int, str, str]] = []
    unjudged: list[tuple[int, str, str, int]] = []
    for rank, row in enumerate(rows.itertuples(), start=1):
        entry = judged.get(row.term)
        if entry is None:
            unjudged.append((rank, row.term, row.kind, int(row.doc_freq)))
        elif entry["judgement"] == "official":
            official.append(row.term)
        else:
            wrong.append((rank, row.term, entry["reason"]))
    return {
        "top": len(rows),
        "official": len(official),
        "not": wrong,
        "unjudged": unjudged,
        "met": len(official) >= TARGET_OFFICIAL,
    }


def main(shared: Path) -> dict[str, Any]:
    """Print the count of official terms beside its target, the misses and the unjudged."""
    table, info = build_table(shared)
    result = {**info, **score(table, read_judged())}
    print(
        f"  {info['documents']} reports (national + provincial, {SINCE}-), fit "
        f"{info['fit_seconds']} s, {info['rows']} rows in terms_"
    )
    print(
        f"  official terms in the table's top {result['top']}: {result['official']}; "
        f"target >= {TARGET_OFFICIAL}: {'met' if result['met'] else 'not met'}"
    )
    for rank, term, reason in result["not"]:
        print(f"    not official: #{rank} {term} ({reason})")
    for rank, term, kind, docs in result["unjudged"]:
        print(f"    unjudged (not counted): #{rank} {term} ({kind}, {docs} documents)")
    return result


if __name__ == "__main__":
    parser = suite_parser("python -m benchmarks.table", __doc__.split("\n\n")[0])
    args = parser.parse_args()
    data = shared_data(args)
    if data is None:
        sys.exit(2)
    write_json(args, main(data))
