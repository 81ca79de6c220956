"""``tifa ingest``: raw inputs to one corpus file, with every reject reported."""

from __future__ import annotations

import argparse
import sys

from toolkit.cli.commands import help_of
from toolkit.corpus import write_corpus
from toolkit.ingest import INGEST_FORMATS, ingest

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction, name: str = "ingest") -> None:
    p = sub.add_parser(
        name,
        help=help_of(name),
        description=(
            "Read inputs into one corpus file. Exit status is 0 only when nothing was "
            "rejected; otherwise 1, with the good documents still written and one line "
            "per rejected input on stderr."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    p.add_argument("-o", "--output", required=True, help="corpus file (.jsonl, .csv, .parquet)")
    p.add_argument("--format", default="auto", choices=INGEST_FORMATS)
    p.add_argument("--t2s", action="store_true", help="convert traditional to simplified")
    p.add_argument("--text-field", default="text", help="field holding the text in tables")
    p.add_argument("--id-field", default=None, help="field holding the id in tables")
    p.add_argument("--metadata-csv", default=None, help="sidecar CSV for --format textdir")
    p.add_argument("--filename-pattern", default=None, help="regex with named groups (textdir)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = ingest(
        args.inputs,
        format=args.format,
        t2s=args.t2s,
        text_field=args.text_field,
        id_field=args.id_field,
        metadata_csv=args.metadata_csv,
        filename_pattern=args.filename_pattern,
        progress=not args.quiet,
    )
    path = write_corpus(result.corpus, args.output)
    print(f"wrote {path}: {result.summary()}")
    for rejection in result.rejected:
        print(f"rejected: {rejection}", file=sys.stderr)
    return 0 if result.ok else 1
