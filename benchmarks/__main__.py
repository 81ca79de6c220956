"""Run every benchmark: ``python -m benchmarks [--shared PATH] [--only NAME]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks import ingestion, segmentation, similarity, terms, topics

SUITES = {
    "ingestion": ingestion.main,
    "segmentation": segmentation.main,
    "similarity": similarity.main,
    "terms": terms.main,
    "topics": topics.main,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--shared",
        default=str(Path(__file__).resolve().parents[1].parent / "shared"),
        help="path to the shared folder holding data/ (default: ../shared)",
    )
    parser.add_argument("--only", choices=sorted(SUITES), action="append")
    parser.add_argument("--json", default=None, help="also write all results to this file")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "data").is_dir():
        print(f"benchmarks need the shared data: {shared / 'data'} not found; pass --shared PATH")
        return 2
    results = {}
    for name in args.only or sorted(SUITES):
        print(f"== {name}")
        results[name] = SUITES[name](shared)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
