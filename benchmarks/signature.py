"""A reader's ranking: does each report's best-known formulation come first?

Glossary recall (``benchmarks.terms``) rewards what a report's own 名词解释
explains, and glossaries never explain what everybody knows. This suite asks
the reader's question instead. ``benchmarks/data/signature_gold.tsv`` names,
for national government work reports of 19 years, the three to five
formulations each report is known for (written by hand from general knowledge
of each year's agenda, each checked to occur in the text). ``TermDetector()``
is fitted on all national reports and each gold report's top 20 is read: the
share of gold formulations found there (by :func:`~toolkit.terms.canonical_key`
of the term or one of its forms), and for each report its misses with their
rank, if any.

``python -m benchmarks.signature [--rank glossary]``; part of ``python -m benchmarks``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.cli import shared_data, suite_parser, write_json

GOLD = Path(__file__).resolve().parent / "data" / "signature_gold.tsv"
#: Share of the gold formulations in their report's top 20 (issue 13).
TARGET_SHARE_AT_20 = 0.85


def read_gold(path: Path = GOLD) -> dict[int, list[str]]:
    """Year → the formulations its national report is known for."""
    gold: dict[int, list[str]] = defaultdict(list)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        year, _, term = line.partition("\t")
        if not term:
            raise ValueError(f"{path}:{number}: expected 'year<TAB>term' (got {line!r})")
        gold[int(year)].append(term.strip())
    return dict(gold)


def measure(shared: Path, *, n: int = 20, rank: str = "reader") -> dict[str, Any]:
    """Fit on the national reports, rank each gold report, score the top ``n``."""
    from toolkit import Corpus, TermDetector
    from toolkit.terms import canonical_key

    path = shared / "data" / "gov_work_reports" / "national.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    corpus = Corpus.from_records(
        [{"doc_id": r["id"], "text": r["text"], "year": r["year"]} for r in records]
    )
    gold = read_gold()
    by_year = {r["year"]: r["id"] for r in records}
    missing = sorted(set(gold) - set(by_year))
    if missing:
        raise ValueError(f"signature gold names years without a national report: {missing}")
    detector = TermDetector(progress=False, rank=rank).fit(corpus)
    documents = {doc.doc_id: doc for doc in corpus}
    found = hits = 0
    reports = {}
    for year, terms in sorted(gold.items()):
        table = detector.detect([documents[by_year[year]]], n=None)
        ranks: dict[str, int] = {}
        for position, row in enumerate(table.itertuples(), start=1):
            for form in [row.term, *row.forms]:
                ranks.setdefault(canonical_key(form), position)
        report = {}
        for term in terms:
            at = ranks.get(canonical_key(term))
            report[term] = at
            found += 1
            hits += at is not None and at <= n
        reports[str(year)] = {"top": list(table["term"][:n]), "gold_ranks": report}
    share = hits / found if found else 0.0
    return {"n": n, "share": share, "hits": hits, "gold": found, "reports": reports}


def main(shared: Path, *, rank: str = "reader") -> dict[str, Any]:
    """Print the share beside its target and each report's misses."""
    result = measure(shared, rank=rank)
    print(
        f"signature formulations in their report's top {result['n']} (rank={rank!r}): "
        f"{result['share']:.3f} ({result['hits']}/{result['gold']}); "
        f"target >= {TARGET_SHARE_AT_20}"
    )
    for year, report in result["reports"].items():
        misses = {t: r for t, r in report["gold_ranks"].items() if r is None or r > result["n"]}
        if misses:
            shown = ", ".join(f"{t} ({'-' if r is None else r})" for t, r in misses.items())
            print(f"  {year}: missed {shown}; top 5: {' | '.join(report['top'][:5])}")
    return result


if __name__ == "__main__":
    parser = suite_parser("python -m benchmarks.signature", __doc__)
    parser.add_argument(
        "--rank", choices=("glossary", "reader"), default="reader", help="default: reader"
    )
    args = parser.parse_args()
    data = shared_data(args)
    if data is None:
        sys.exit(2)
    write_json(args, main(data, rank=args.rank))
