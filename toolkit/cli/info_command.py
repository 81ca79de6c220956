"""``tifa info``: what is in a corpus file, counted by docvar."""

from __future__ import annotations

import argparse
from typing import Any

from toolkit.cli import common
from toolkit.cli.commands import help_of
from toolkit.corpus import Corpus

__all__ = ["add_parser", "describe", "run"]


def add_parser(sub: argparse._SubParsersAction, name: str = "info") -> None:
    p = sub.add_parser(
        name,
        help=help_of(name),
        description=(
            "Count the documents of a corpus by docvar. Lines or records that cannot be "
            "read are skipped and reported on stderr, and the exit status is then 1."
        ),
    )
    p.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    common.add_input_fields(p)
    p.add_argument(
        "--by",
        action="append",
        default=None,
        metavar="FIELD",
        help="docvar to count by (repeatable); default: every docvar with few values",
    )
    p.add_argument("--max-levels", type=int, default=40, help="skip docvars with more values")
    common.add_quiet(p, "accepted as by every command; info shows no progress bars")
    p.set_defaults(func=run)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (list, dict, tuple))


def describe(corpus: Corpus, *, by: list[str] | None = None, max_levels: int = 40) -> str:
    """Text report: totals, then documents and characters per value of each docvar."""
    dv = corpus.docvars
    lines = [f"{len(corpus)} documents, {sum(len(t) for t in corpus.texts):,} characters"]
    if by is None:
        by = [
            c
            for c in dv.columns
            if dv[c].map(_is_scalar).all() and 1 <= dv[c].nunique(dropna=True) <= max_levels
        ]
    for name in by:
        table = corpus.summary(by=name)
        width = max(len(v) for v in table.index)
        lines += ["", f"by {name}:"]
        lines += [
            f"  {value:<{width}}  {row.documents:>6} docs  {row.characters:>10,} chars"
            for value, row in table.iterrows()
        ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    corpus, rejected = common.read_input(args)
    print(describe(corpus, by=args.by, max_levels=args.max_levels))
    return common.report_rejected(rejected)
