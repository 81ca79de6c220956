"""``tifa terms`` and ``tifa kwic``: the official terms (提法) of a corpus, and where they occur.

``tifa terms`` fits a :class:`~toolkit.terms.TermDetector` on the corpus and
writes one ``{"doc_id", "terms"}`` line per document, every document included.
With ``--scheduler local:N | tcp://HOST:PORT`` it fits and detects on a Dask
cluster (:mod:`toolkit.distributed`) and writes the same bytes as one process.
``tifa kwic`` prints a concordance of one term under all its spellings.

Both load the corpus into memory so that records that cannot be read are
counted and reported, one line each on stderr, instead of stopping the run:
the exit status is then 1, with the outputs of the good documents written.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from toolkit.cli import common
from toolkit.cli.commands import help_of
from toolkit.cli.common import (
    add_input_fields,
    positive_int,
    read_input,
    report_rejected,
    write_csv,
)

__all__ = ["add_parser", "run_kwic", "run_terms"]

# Fields of each term in the ``tifa terms`` output, in order.
TERM_FIELDS = ("term", "forms", "kind", "count", "score", "expansion")


def add_parser(sub: argparse._SubParsersAction, name: str) -> None:
    """Add ``tifa terms`` or ``tifa kwic`` (``name``) to ``sub``."""
    {"terms": _add_terms, "kwic": _add_kwic}[name](sub)


def _add_terms(sub: argparse._SubParsersAction) -> None:
    from toolkit.terms.scoring import RANKS

    t = sub.add_parser(
        "terms",
        help=help_of("terms"),
        description=(
            "Fit a term detector on the corpus, then write one JSON object per document, "
            '{"doc_id": ..., "terms": [{"term", "forms", "kind", "count", "score", '
            '"expansion"}, ...]}, best term first. "term" is the canonical form and '
            '"forms" the spellings seen in that document, without quote marks. A document '
            "without terms gets an empty list. Exit status is 0 when every record was read; "
            "otherwise 1, with the good documents still written and one line per rejected "
            "record on stderr."
        ),
    )
    t.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    t.add_argument(
        "-o", "--output", required=True,
        help="terms per document (.jsonl), or - for standard output",
    )  # fmt: skip
    add_input_fields(t)
    t.add_argument(
        "--n", "--top", dest="n", type=positive_int, default=None, metavar="N",
        help="keep the N best terms per document (default: every term reported; --top is "
        "the old name)",
    )  # fmt: skip
    t.add_argument(
        "--table", default=None, metavar="CSV",
        help="also write the corpus table: one row per term of the whole corpus (not cut "
        "by --n), with the towns, counties... using it (.csv; lists joined with '|')",
    )  # fmt: skip
    t.add_argument(
        "--by", default=None, metavar="FIELD[,FIELD]",
        help="docvars whose values the corpus table lists per term and the period table "
        "counts by (default: town, county, district, city, prefecture, province and level, "
        "those the corpus has)",
    )  # fmt: skip
    t.add_argument(
        "--time", default=None, metavar="FIELD",
        help="docvar that dates each document, for first/last and the period table "
        "(default: date, else year); a warning says when documents cannot be dated",
    )  # fmt: skip
    t.add_argument(
        "--periods", default=None, metavar="CSV",
        help="also write each term's counts per period and group (term, key, period, "
        "the --by fields, count, doc_freq): a term's trajectory (.csv)",
    )  # fmt: skip
    t.add_argument(
        "--rank", default="reader", choices=RANKS,
        help="reader (default): the terms each text stresses most first (frequency, "
        "keyness, headings), then the glossary order; glossary: by the log-odds that "
        "the text's own glossary (名词解释) would explain a term, which sinks the "
        "formulations everybody knows",
    )  # fmt: skip
    t.add_argument(
        "--lexicon", action="append", default=[], metavar="FILE",
        help="user lexicon (text or TSV), in addition to the built-in one; repeatable",
    )  # fmt: skip
    t.add_argument("--no-builtin", action="store_true", help="do not load the built-in lexicon")
    common.add_scheduler(t, "fit and detect")
    common.add_force(t)
    common.add_quiet(t)
    t.set_defaults(func=run_terms)


def _add_kwic(sub: argparse._SubParsersAction) -> None:
    k = sub.add_parser(
        "kwic",
        help=help_of("kwic"),
        description=(
            "Print a concordance (doc_id, left context, 【match】, right context) of TERM, "
            "or write it as CSV with -o. TERM is found in every spelling with the same "
            "canonical key: with or without quote marks, with or without 、 or commas "
            "between its parts (共建共治共享 also finds 共建、共治、共享 and “共建共治共享”). "
            "Other spellings (村两委 for 两委) are added with --form. No term detection is "
            "run. The summary goes to stderr when the concordance goes to stdout. Exit "
            "status is 0, also when nothing matches; 1 when records were rejected (one line "
            "each on stderr)."
        ),
    )
    k.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    k.add_argument("term", help="the term, in any of its spellings")
    add_input_fields(k)
    k.add_argument(
        "--window", type=positive_int, default=20, metavar="N",
        help="characters of context on each side (default: 20)",
    )  # fmt: skip
    k.add_argument(
        "--form", action="append", default=[], metavar="FORM",
        help="another spelling counted as the same term; repeatable",
    )  # fmt: skip
    k.add_argument(
        "-o", "--output", default=None, metavar="CSV",
        help="write the concordance as CSV (doc_id, docvars, start, end, left, match, right; "
        "UTF-8 with a byte-order mark, for Excel)",
    )  # fmt: skip
    common.add_force(k)
    common.add_quiet(k, "accepted as by every command; kwic shows no progress bars")
    k.set_defaults(func=run_kwic)


# ---------------------------------------------------------------------- helpers
def _check_suffix(path: str | None, flag: str, allowed: tuple[str, ...], hint: str = "") -> None:
    if path is not None and path != common.STDIO and Path(path).suffix.lower() not in allowed:
        raise ValueError(f"{flag} must name a {' or '.join(allowed)} file (got {path!r}){hint}")


def _check_not_corpus(corpus: str, flag: str, path: str | None) -> None:
    if common.STDIO in (path, corpus):
        return
    if path is not None and Path(path).resolve() == Path(corpus).resolve():
        raise ValueError(f"{flag} {path!r} is the corpus file itself; choose another path")


def _write_csv(frame, path: Path) -> Path:
    # The experiment's CSV form: list cells joined with "|".
    from toolkit.experiment.terms_analysis import flat_terms

    return write_csv(flat_terms(frame), path)


# ---------------------------------------------------------------------- tifa terms
def _fit_detect(det: Any, corpus: Any, n: int | None, client: Any) -> Iterator[tuple[str, Any]]:
    """Fit ``det``, then ``(doc_id, its terms)`` in corpus order: here, or on a Dask cluster."""
    if client is None:
        det.fit(corpus)
        return ((doc.doc_id, det.detect(doc, n=n)) for doc in corpus)
    from toolkit.distributed import fit_detector, iter_detect_corpus

    fit_detector(corpus, detector=det, client=client)
    return iter_detect_corpus(corpus, detector=det, client=client, n=n)


def run_terms(args: argparse.Namespace) -> int:
    from toolkit.segment import Lexicon
    from toolkit.terms import TermDetector

    _check_suffix(
        args.output, "-o/--output", (".jsonl", ".ndjson"),
        "; it holds one JSON line per document. For a CSV of the terms use --table",
    )  # fmt: skip
    _check_suffix(args.table, "--table", (".csv",))
    _check_suffix(args.periods, "--periods", (".csv",))
    for flag, path in (
        ("-o/--output", args.output),
        ("--table", args.table),
        ("--periods", args.periods),
    ):
        _check_not_corpus(args.corpus, flag, path)
    by = None if args.by is None else [f.strip() for f in args.by.split(",") if f.strip()]
    if by is not None and not by:
        raise ValueError(f"--by must name at least one docvar (got {args.by!r})")
    common.check_new(args, args.output, args.table, args.periods)
    say = common.messages(args)
    # Lexicons are read before the corpus, so a wrong path fails at once.
    lexicons = ([] if args.no_builtin else [Lexicon.builtin()]) + [
        Lexicon.from_file(path) for path in args.lexicon
    ]
    corpus, rejected = read_input(args)
    if not len(corpus):
        # No empty output files: nothing was read.
        print(f"wrote nothing: no documents; {len(rejected)} rejected", file=say)
        return report_rejected(rejected)
    det = TermDetector(
        lexicons=lexicons, by=by, time=args.time, rank=args.rank, progress=common.progress(args)
    )

    out = Path(args.output)
    n_docs = n_terms = n_empty = 0
    distinct: set[str] = set()
    with ExitStack() as stack:
        client = None
        if getattr(args, "scheduler", None) is not None:
            from toolkit.distributed import dask_client

            client = stack.enter_context(dask_client(args.scheduler))
        detected = _fit_detect(det, corpus, args.n, client)
        docs = tqdm(
            detected,
            desc="terms: detect",
            unit="doc",
            total=len(corpus),
            disable=not common.progress(args),
        )
        fh = stack.enter_context(common.open_output(out))
        for doc_id, frame in docs:
            rows = frame.to_dict(orient="records")
            terms = [{name: row[name] for name in TERM_FIELDS} for row in rows]
            fh.write(json.dumps({"doc_id": doc_id, "terms": terms}, ensure_ascii=False))
            fh.write("\n")
            n_docs += 1
            n_terms += len(terms)
            n_empty += not terms
            distinct.update(t["term"] for t in terms)
    shown = "standard output" if args.output == common.STDIO else out
    print(
        f"wrote {shown}: {n_docs} documents ({n_empty} without terms), {n_terms} terms, "
        f"{len(distinct)} distinct; {len(rejected)} rejected",
        file=say,
    )
    if args.table is not None:
        table = _write_csv(det.terms_, Path(args.table))
        print(f"wrote {table}: {len(det.terms_)} terms, one row each", file=say)
    if args.periods is not None:
        periods = write_csv(det.periods_, Path(args.periods))
        print(
            f"wrote {periods}: {len(det.periods_)} rows, "
            f"{det.periods_['term'].nunique()} terms over "
            f"{det.periods_['period'].nunique()} periods",
            file=say,
        )
    return report_rejected(rejected)


# ---------------------------------------------------------------------- tifa kwic
def _width(text: str) -> int:
    """Columns a terminal gives ``text``: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(frame) -> list[str]:
    if not len(frame):
        return []
    id_width = max(len(d) for d in frame["doc_id"])
    left_width = max(_width(s) for s in frame["left"])
    return [
        f"{row.doc_id:<{id_width}}  {' ' * (left_width - _width(row.left))}{row.left}"
        f"【{row.match}】{row.right}"
        for row in frame.itertuples(index=False)
    ]


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (list, tuple, dict))


def run_kwic(args: argparse.Namespace) -> int:
    from toolkit.terms import kwic

    _check_suffix(args.output, "-o/--output", (".csv",))
    _check_not_corpus(args.corpus, "-o/--output", args.output)
    common.check_new(args, args.output)
    corpus, rejected = read_input(args)
    frame = kwic(corpus, args.term, window=args.window, forms=args.form or None)
    n_docs = frame["doc_id"].nunique()
    matches = f"{len(frame)} match" + ("" if len(frame) == 1 else "es")
    summary = (
        f"{matches} of {args.term!r} in {n_docs} of {len(corpus)} documents; "
        f"{len(rejected)} rejected"
    )
    if args.output is None:
        for line in _lines(frame):
            print(line)
        print(summary, file=sys.stderr)
    else:
        # Nested docvars (a list of sections, say) would repeat on every row; they are left out.
        keep = [c for c in frame.columns if frame[c].map(_is_scalar).all()]
        path = _write_csv(frame[keep], Path(args.output))
        print(f"wrote {path}: {summary}")
    return report_rejected(rejected)
