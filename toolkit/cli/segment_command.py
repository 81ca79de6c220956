"""``tifa segment``: a corpus file to one ``{"doc_id", "tokens"}`` line per document.

``--terms-from detector`` (recommended) first fits a
:class:`~toolkit.terms.TermDetector` on the corpus and keeps every term it
finds whole, as ``Segmenter().fit(corpus, terms=detector)`` does;
``--terms-from quoted`` learns only what the corpus puts in quotation marks,
which is what the older ``--fit`` flag still does.

``--scheduler local:N | tcp://HOST:PORT`` segments on a Dask cluster
(:mod:`toolkit.distributed`) and writes the same bytes as one process; fitting
(``--terms-from``) still runs here, before the cluster is used.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from toolkit.cli import common
from toolkit.cli.commands import help_of

__all__ = ["TERM_SOURCES", "add_parser", "run"]

#: Values of ``--terms-from``: where ``tifa segment`` learns the corpus's terms.
TERM_SOURCES = ("detector", "quoted")


def add_parser(sub: argparse._SubParsersAction, name: str = "segment") -> None:
    from toolkit.segment import MODES

    p = sub.add_parser(
        name,
        help=help_of(name),
        description=(
            "Segment every document and write one JSON object per line: "
            '{"doc_id": ..., "tokens": [...]}. Text is segmented as it is: '
            "normalisation is a separate step. To keep the corpus's own terms whole, "
            "pass --terms-from detector."
        ),
    )
    p.add_argument(
        "corpus",
        help="corpus file (.jsonl, .csv, .parquet), a folder of JSONL or Parquet "
        "partitions, a glob such as 'parts/*.parquet', or - for JSONL on stdin",
    )
    p.add_argument(
        "-o", "--output", required=True, help="tokens file (.jsonl), or - for standard output"
    )  # fmt: skip
    common.add_input_fields(p)
    common.add_segmenter_options(p)
    p.add_argument(
        "--terms-from", choices=TERM_SOURCES, default=None,
        help="learn the corpus's own terms first and keep them whole: 'detector' "
        "(recommended) fits a term detector on the corpus and learns every term it finds, "
        "quoted or not; 'quoted' learns only the quoted terms (faster, fewer terms kept whole)",
    )  # fmt: skip
    p.add_argument(
        "--fit", action="store_true",
        help="the older spelling of --terms-from quoted, kept for existing scripts",
    )  # fmt: skip
    p.add_argument("--mode", default="raw", choices=MODES)
    p.add_argument("--n-jobs", type=int, default=1, help="worker processes")
    common.add_scheduler(p, "segment")
    p.add_argument("--no-hmm", action="store_true", help="turn off the backend's HMM")
    common.add_force(p)
    common.add_quiet(p)
    p.set_defaults(func=run)


def _terms_from(args: argparse.Namespace) -> str | None:
    """Where to learn terms: ``--terms-from`` wins over the older ``--fit``."""
    terms_from: str | None = getattr(args, "terms_from", None)
    if terms_from is not None:
        return terms_from
    return "quoted" if args.fit else None


def _fit_detector(corpus: Any, lexicons: list[str], args: argparse.Namespace) -> Any:
    from toolkit.terms import TermDetector

    # The detector matches the same lexicons the segmenter keeps whole, so that
    # --no-builtin means no built-in terms anywhere.
    detector = TermDetector(lexicons=lexicons, n_jobs=args.n_jobs, progress=common.progress(args))
    return detector.fit(corpus)


def run(args: argparse.Namespace) -> int:
    from toolkit.segment import Segmenter

    common.check_new(args, args.output)
    say = common.messages(args)
    lexicons = common.lexicons(args)
    seg = Segmenter(
        backend=args.backend,
        lexicons=lexicons,
        mode=args.mode,
        hmm=not args.no_hmm,
        n_jobs=args.n_jobs,
        progress=common.progress(args),
    )
    # A stream keeps memory flat for large JSONL and Parquet files; fitting
    # reads it again (twice more with the detector). Rejects are collected once.
    corpus, rejected = common.stream_input(args)
    terms_from = _terms_from(args)
    if terms_from == "detector":
        detector = _fit_detector(corpus, lexicons, args)
        seg.fit(corpus, terms=detector)
        print(
            f"fit: learned {seg.n_learned_} terms from the corpus "
            f"(quoted terms and the term detector's {len(detector.terms_)} terms)",
            file=say,
        )
    elif terms_from == "quoted":
        seg.fit(corpus)
        print(f"fit: learned {seg.n_learned_} terms from the corpus (quoted terms only)", file=say)
    out = Path(args.output)
    n_docs = n_tokens = 0
    with ExitStack() as stack:
        fh = stack.enter_context(common.open_output(out))
        pairs = tqdm(
            _segmented(seg, corpus, getattr(args, "scheduler", None), stack),
            desc="segment",
            unit="doc",
            disable=not common.progress(args),
        )
        for doc_id, tokens in pairs:
            fh.write(json.dumps({"doc_id": doc_id, "tokens": tokens}, ensure_ascii=False))
            fh.write("\n")
            n_docs += 1
            n_tokens += len(tokens)
        if not n_docs and fh is not sys.stdout:
            # No empty tokens file: nothing was read. The unrenamed temporary file goes.
            fh.close()
            Path(fh.name).unlink()
    if not n_docs:
        print(f"wrote nothing to {out}: no documents; {len(rejected)} rejected", file=say)
        return common.report_rejected(rejected)
    prov = seg.provenance()
    shown = "standard output" if str(out) == common.STDIO else out
    print(
        f"wrote {shown}: {n_docs} documents, {n_tokens} tokens "
        f"(backend {prov['backend']} {prov['backend_version']}, "
        f"lexicon {prov['lexicon_size']} terms, sha256 {prov['lexicon_sha256'][:12]}); "
        f"{len(rejected)} rejected",
        file=say,
    )
    return common.report_rejected(rejected)


def _segmented(
    seg: Any, corpus: Any, scheduler: str | None, stack: ExitStack
) -> Iterator[tuple[str, list[str]]]:
    """``(doc_id, tokens)`` in corpus order, in this process or on a Dask cluster."""
    if scheduler is None:
        return ((doc.doc_id, tokens) for doc, tokens in seg.iter_segment(corpus))
    from toolkit.distributed import dask_client, iter_segment_corpus

    client = stack.enter_context(dask_client(scheduler))
    return iter_segment_corpus(corpus, segmenter=seg, client=client)
