"""Pieces every ``tifa`` command that reads a corpus shares.

Reading with rejects counted, argparse value types, docvar checks before any
work starts, and how tables and figures are written: one place, so the
commands fail and report the same way.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.corpus import Corpus, Rejection, read_corpus

__all__ = [
    "add_input_fields",
    "api_default",
    "check_docvars",
    "count_or_share",
    "integer",
    "output_dir",
    "positive_int",
    "read_input",
    "report_rejected",
    "save_png",
    "scheduler",
    "write_csv",
]


def api_default(function: Callable[..., Any], parameter: str) -> Any:
    """The default of ``parameter`` in ``function``'s signature.

    Every option that sets an API parameter takes its default from here, so
    ``tifa`` and the API cannot drift apart (``tifa similarity --k`` once
    defaulted to 5 neighbours while ``SimilarityIndex.neighbors`` gave 10).
    """
    default = inspect.signature(function).parameters[parameter].default
    if default is inspect.Parameter.empty:
        raise TypeError(f"{function.__qualname__}() has no default for {parameter!r}")
    return default


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1 (got {value!r})")
    return number


def scheduler(value: str) -> str:
    """``--scheduler``'s type: checked while parsing, so a typo fails before any work."""
    from toolkit.distributed.client import parse_scheduler

    try:
        parse_scheduler(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer (got {value!r})") from None


def count_or_share(value: str) -> int | float:
    """A document count (integer >= 0) or a share of the units (0.0 to 1.0), as trim takes."""
    try:
        number: int | float = float(value) if any(c in value for c in ".eE") else int(value)
    except ValueError:
        number = -1
    if number < 0 or (isinstance(number, float) and number > 1.0):
        raise argparse.ArgumentTypeError(
            f"must be a count of units (integer >= 0) or a share between 0.0 and 1.0 "
            f"(got {value!r})"
        )
    return number


def add_input_fields(parser: argparse.ArgumentParser) -> None:
    """``--text-field`` and ``--id-field``, which :func:`read_input` reads."""
    parser.add_argument(
        "--text-field", default="text", metavar="FIELD",
        help="field holding the text (default: text)",
    )  # fmt: skip
    parser.add_argument(
        "--id-field", default="doc_id", metavar="FIELD",
        help="field holding the document id (default: doc_id)",
    )  # fmt: skip


def read_input(args: argparse.Namespace) -> tuple[Corpus, list[Rejection]]:
    rejected: list[Rejection] = []
    corpus = read_corpus(
        args.corpus, text_field=args.text_field, id_field=args.id_field, rejected=rejected
    )
    return corpus, rejected


def report_rejected(rejected: list[Rejection]) -> int:
    for rejection in rejected:
        print(f"rejected: {rejection}", file=sys.stderr)
    return 1 if rejected else 0


def output_dir(path: str) -> Path:
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"-o/--output must be a folder (got the file {path!r})")
    return out


def check_docvars(corpus: Corpus, unit: str, flag: str, fields: list[str]) -> None:
    """Fail before segmenting when a field is unknown, missing somewhere or not one value."""
    available = sorted(
        {key for doc in corpus for key in doc.meta}
        | ({"document", "unit"} if unit == "paragraph" else set())
    )
    for field in fields:
        if field not in available:
            raise KeyError(f"{flag}: no docvar named {field!r}; available: {available}")
        if field in ("document", "unit"):
            continue
        missing = [doc.doc_id for doc in corpus if doc.meta.get(field) is None]
        if missing:
            raise ValueError(
                f"{flag}: docvar {field!r} is missing for {len(missing)} of {len(corpus)} "
                f"documents (e.g. {missing[:3]}); choose a field every document has"
            )
        nested = [doc.doc_id for doc in corpus if isinstance(doc.meta[field], (list, dict))]
        if nested:
            raise ValueError(
                f"{flag}: docvar {field!r} holds lists or mappings (e.g. in {nested[0]!r}); "
                "choose a field with one value per document"
            )


def write_csv(frame, path: Path) -> Path:
    # As the experiment tables: UTF-8, "\n" line ends.
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def save_png(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    from toolkit.plot import save_figure

    try:
        (written,) = save_figure(fig, path, formats=("png",))
    finally:
        plt.close(fig)
    return written
