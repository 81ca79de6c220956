"""``tifa ingest``: raw inputs to one corpus file, with every reject reported."""

from __future__ import annotations

import argparse
import json

from toolkit.cli import common
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
            "rejected; otherwise 1, with the good documents still written, one line "
            "per rejected input or record on stderr (records rejected for the same "
            "reason share a line) and the count."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    p.add_argument(
        "-o", "--output", required=True,
        help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on standard output",
    )  # fmt: skip
    p.add_argument("--format", default="auto", choices=INGEST_FORMATS)
    p.add_argument("--t2s", action="store_true", help="convert traditional to simplified")
    common.add_input_fields(p, id_default=None)
    p.add_argument("--metadata-csv", default=None, help="sidecar CSV for --format textdir")
    p.add_argument("--filename-pattern", default=None, help="regex with named groups (textdir)")
    common.add_scheduler(p, "read the inputs")
    common.add_force(p)
    common.add_quiet(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    common.check_new(args, args.output)
    options = {
        "format": args.format,
        "t2s": args.t2s,
        "text_field": args.text_field,
        "id_field": args.id_field,  # None picks doc_id or id; '' numbers the documents
        "metadata_csv": args.metadata_csv,
        "filename_pattern": args.filename_pattern,
    }
    if args.scheduler is not None:
        from toolkit.distributed import dask_client, ingest_distributed

        with dask_client(args.scheduler) as client:
            result = ingest_distributed(args.inputs, client=client, **options)
    else:
        result = ingest(args.inputs, progress=common.progress(args), **options)
    out = common.messages(args)
    if not len(result.corpus):
        # No empty corpus file: nothing was read.
        print(f"wrote nothing to {args.output}: {result.summary()}", file=out)
    elif args.output == common.STDIO:
        with common.open_output(args.output) as fh:
            for doc in result.corpus:
                record = {"doc_id": doc.doc_id, "text": doc.text, **doc.meta}
                fh.write(json.dumps(record, ensure_ascii=False, default=dict) + "\n")
        print(f"wrote standard output: {result.summary()}", file=out)
    else:
        path = write_corpus(result.corpus, args.output)
        print(f"wrote {path}: {result.summary()}", file=out)
    return common.report_rejected(result.rejected)
