"""Run every benchmark: ``python -m benchmarks [--shared PATH] [--only NAME]``."""

from __future__ import annotations

import sys

from benchmarks import (
    determinism,
    ingestion,
    pages,
    robustness,
    scale,
    segmentation,
    signature,
    similarity,
    table,
    terms,
    topics,
)
from benchmarks.cli import shared_data, suite_parser, write_json

SUITES = {
    "determinism": determinism.main,
    "ingestion": ingestion.main,
    "pages": pages.main,
    "robustness": robustness.main,
    "scale": scale.main,
    "segmentation": segmentation.main,
    "signature": signature.main,
    "similarity": similarity.main,
    "table": table.main,
    "terms": terms.main,
    "topics": topics.main,
}


def main(argv: list[str] | None = None) -> int:
    parser = suite_parser("python -m benchmarks", __doc__)
    parser.add_argument("--only", choices=sorted(SUITES), action="append")
    args = parser.parse_args(argv)
    shared = shared_data(args)
    if shared is None:
        return 2
    results = {}
    for name in args.only or sorted(SUITES):
        print(f"== {name}")
        results[name] = SUITES[name](shared)
    write_json(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
