"""Pieces every ``tifa`` command that reads a corpus shares.

Reading with rejects counted, argparse value types, docvar checks before any
work starts, and how outputs are written: one place, so the commands fail and
report the same way.

The contract every command keeps:

- an output that exists is refused before any work, unless ``--force``
  (exit 2, ``tifa CMD: error: PATH exists; pass --force to overwrite it``);
  for an output folder, when it already holds a file the command would write;
- every file is written under a temporary name beside it and renamed when
  complete (:mod:`toolkit._atomic`), so Ctrl-C or SIGTERM leaves the old file
  or the complete new one;
- ``-`` as the corpus reads JSONL from standard input; ``-o -`` writes JSONL
  outputs to standard output, and the messages then go to stderr;
- CSV tables are UTF-8 with a byte-order mark, so Excel opens them as UTF-8;
- ``--quiet`` turns progress bars off; they go to stderr, and are off by
  themselves when stderr is not a terminal.
"""

from __future__ import annotations

import argparse
import atexit
import inspect
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from toolkit._atomic import atomic_open, atomic_path
from toolkit.corpus import Corpus, CorpusStream, Rejection, infer_format, read_corpus
from toolkit.corpus.io import is_partitioned

__all__ = [
    "CLI_FIXES",
    "STDIO",
    "OutputExistsError",
    "add_force",
    "add_input_fields",
    "add_quiet",
    "add_scheduler",
    "add_segmenter_options",
    "api_default",
    "check_docvars",
    "check_folder",
    "check_new",
    "count_or_share",
    "id_field",
    "integer",
    "lexicons",
    "messages",
    "open_output",
    "output_dir",
    "positive_int",
    "progress",
    "read_input",
    "rejected_lines",
    "report_rejected",
    "save_png",
    "scheduler",
    "stream_input",
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


#: What to change, in flags, when records fail because of a reader parameter
#: (the API's own wording is :data:`toolkit.corpus.errors.FIXES`).
CLI_FIXES = {
    "text_field": "pass --text-field FIELD to name the field that holds the text",
    "id_field": "pass --id-field FIELD to name the field that holds the id, "
    "or --id-field '' to number the documents",
}
#: How many locations a line of rejects lists before it says "...".
_SHOWN = 3


def add_input_fields(parser: argparse.ArgumentParser, *, id_default: str | None = "doc_id") -> None:
    """``--text-field`` and ``--id-field``, which :func:`read_input` reads."""
    parser.add_argument(
        "--text-field", default="text", metavar="FIELD",
        help="field holding the text (default: text)",
    )  # fmt: skip
    default = f"default: {id_default}" if id_default else "default: doc_id, or id when the "
    default += "" if id_default else "first record has id and no doc_id"
    parser.add_argument(
        "--id-field", default=id_default, metavar="FIELD",
        help=f"field holding the document id ({default}); --id-field '' numbers the "
        "documents doc0000, doc0001, ... in the order they are read",
    )  # fmt: skip


def id_field(value: str | None) -> str | None:
    """The reader's ``id_field`` for ``--id-field``: ``''`` numbers the documents (``None``)."""
    return value or None


def scheduler(value: str) -> str:
    """Check ``--scheduler`` while parsing, so a typo fails before any work."""
    from toolkit.distributed.client import parse_scheduler

    try:
        parse_scheduler(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def add_scheduler(parser: argparse.ArgumentParser, what: str) -> None:
    """``--scheduler``: run ``what`` (a verb phrase) on a Dask cluster, same output."""
    parser.add_argument(
        "--scheduler", type=scheduler, default=None, metavar="local:N|tcp://HOST:PORT",
        help=f"{what} on a Dask cluster: 'local:N' starts N worker processes here, "
        "'tcp://HOST:PORT' uses a running scheduler; the output is the same as without it",
    )  # fmt: skip


def add_segmenter_options(parser: argparse.ArgumentParser) -> None:
    """``--backend``, ``--lexicon`` and ``--no-builtin``; :func:`lexicons` reads the last two."""
    from toolkit.segment import BACKENDS

    parser.add_argument("--backend", default="jieba-rs", choices=sorted(BACKENDS))
    parser.add_argument(
        "--lexicon", action="append", default=[], metavar="FILE",
        help="user lexicon (text or TSV), in addition to the built-in one; repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--no-builtin", action="store_true", help="do not load the built-in lexicon"
    )  # fmt: skip


def lexicons(args: argparse.Namespace) -> list[str]:
    """Segmenter ``lexicons``: the built-in one unless ``--no-builtin``, then ``--lexicon``."""
    return ([] if args.no_builtin else ["builtin"]) + list(args.lexicon)


#: ``-``: standard input as the corpus, standard output as ``-o``.
STDIO = "-"


def _stdin_copy(args: argparse.Namespace) -> Path:
    """Standard input, copied once per command to a ``.jsonl`` file removed at exit.

    A file, because the readers take paths and some commands read their corpus
    more than once.
    """
    copy: Path | None = getattr(args, "stdin_copy", None)
    if copy is None:
        folder = Path(tempfile.mkdtemp(prefix="tifa-stdin-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        copy = folder / "stdin.jsonl"
        with copy.open("wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        args.stdin_copy = copy
    return copy


def read_input(args: argparse.Namespace) -> tuple[Corpus, list[Rejection]]:
    """Read ``args.corpus`` with ``--text-field`` and ``--id-field``, collecting rejects.

    Every line or record that cannot be read is skipped and collected, for
    :func:`report_rejected`; the rest are read. A corpus ``-`` is JSONL read
    from standard input; its rejects name the source ``-``.
    """
    rejected: list[Rejection] = []
    stdin = args.corpus == STDIO
    corpus = read_corpus(
        _stdin_copy(args) if stdin else args.corpus,
        text_field=args.text_field,
        id_field=id_field(args.id_field),
        rejected=rejected,
    )
    if stdin:
        rejected = [
            Rejection(STDIO, r.reason, r.location, r.parameter) for r in rejected
        ]  # fmt: skip
    return corpus, rejected


def stream_input(args: argparse.Namespace) -> tuple[Corpus | CorpusStream, list[Rejection]]:
    """As :func:`read_input`, but a JSONL or Parquet corpus (or folder of them) is streamed.

    The :class:`CorpusStream` reopens the files on every pass and collects each
    reject once, on the first pass; a CSV corpus, or ``-``, is read whole.
    """
    if args.corpus == STDIO:
        return read_input(args)
    rejected: list[Rejection] = []
    streamable = is_partitioned(args.corpus) or infer_format(args.corpus) != "csv"
    corpus = read_corpus(
        args.corpus,
        text_field=args.text_field,
        id_field=id_field(args.id_field),
        rejected=rejected,
        stream=streamable,
    )
    return corpus, rejected


def _grouped(rejected: list[Rejection]) -> list[tuple[Rejection, list[Rejection]]]:
    groups: dict[tuple[str, str, str | None], list[Rejection]] = {}
    for rejection in rejected:
        groups.setdefault((rejection.source, rejection.reason, rejection.parameter), []).append(
            rejection
        )
    return [(members[0], members) for members in groups.values()]


def rejected_lines(rejected: list[Rejection]) -> list[str]:
    """One line per reject, in flag terms; rejects for the same reason share one line.

    ``rejected: five.jsonl:line 3: not valid JSON: ...`` for one, and
    ``rejected: a.jsonl: 15 records (line 1, line 2, line 3, ...): missing text
    field 'body'; ... Pass --text-field FIELD ...`` when fifteen records of a
    file fail alike, so a wrong flag is said once.
    """
    lines = []
    for first, members in _grouped(rejected):
        reason = first.explain(CLI_FIXES)
        if len(members) == 1:
            lines.append(f"rejected: {first.where}: {reason}")
            continue
        places = [m.location for m in members[:_SHOWN] if m.location]
        more = ", ..." if len(members) > _SHOWN else ""
        where = f" ({', '.join(places)}{more})" if places else ""
        lines.append(f"rejected: {first.source}: {len(members)} records{where}: {reason}")
    if rejected:
        lines.append(f"rejected: {len(rejected)} in all")
    return lines


def report_rejected(rejected: list[Rejection]) -> int:
    """Print :func:`rejected_lines` to stderr; the exit status: 1 when anything was rejected."""
    for line in rejected_lines(rejected):
        print(line, file=sys.stderr)
    return 1 if rejected else 0


# ---------------------------------------------------------------------- outputs
class OutputExistsError(FileExistsError):
    """An output exists and ``--force`` was not passed; ``tifa`` exits with status 2."""


def add_force(parser: argparse.ArgumentParser) -> None:
    """``--force``: overwrite outputs that exist (without it they are refused)."""
    parser.add_argument(
        "--force", action="store_true",
        help="overwrite outputs that exist (default: refuse them, exit status 2)",
    )  # fmt: skip


def add_quiet(parser: argparse.ArgumentParser, what: str = "no progress bars") -> None:
    """``--quiet``, with ``--no-progress`` kept as a hidden, deprecated spelling of it."""
    parser.add_argument(
        "--quiet", action="store_true",
        help=f"{what} (progress bars go to stderr and are off anyway when it is not a terminal)",
    )  # fmt: skip
    parser.add_argument("--no-progress", dest="quiet", action="store_true", help=argparse.SUPPRESS)


def progress(args: argparse.Namespace) -> bool:
    """Show progress bars: not ``--quiet``, and stderr is a terminal."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def _refuse(existing: list[str], where: str = "") -> None:
    if len(existing) == 1 and not where:
        raise OutputExistsError(f"{existing[0]} exists; pass --force to overwrite it")
    if not where:
        raise OutputExistsError(f"{', '.join(existing)} exist; pass --force to overwrite them")
    it = "it" if len(existing) == 1 else "them"
    raise OutputExistsError(
        f"{where} already holds {', '.join(existing)}; pass --force to overwrite {it}"
    )


def check_new(args: argparse.Namespace, *paths: str | Path | None) -> None:
    """Refuse, before any work, output files that exist, unless ``--force``.

    ``None`` (an output not asked for) and ``-`` (standard output) are skipped.
    """
    if args.force:
        return
    existing = [str(p) for p in paths if p is not None and str(p) != STDIO and Path(p).exists()]
    if existing:
        _refuse(list(dict.fromkeys(existing)))


def check_folder(args: argparse.Namespace, folder: Path, names: Iterable[str]) -> None:
    """Refuse an output folder that holds any of ``names`` already, unless ``--force``.

    Other files in the folder do not matter: a folder is refused only when the
    command would overwrite (or remove) one of its files.
    """
    if args.force:
        return
    existing = [name for name in names if (folder / name).exists()]
    if existing:
        _refuse(existing, where=str(folder))


def messages(args: argparse.Namespace) -> IO[str]:
    """Where the ``wrote ...`` lines go: stderr when ``-o -`` puts the data on stdout."""
    return sys.stderr if getattr(args, "output", None) == STDIO else sys.stdout


@contextmanager
def open_output(path: str | Path) -> Iterator[IO[str]]:
    """A text file to write, renamed into place when complete; ``-`` is standard output."""
    if str(path) == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_open(path) as fh:
        yield fh


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


def write_csv(frame, path: Path, *, index: bool = False) -> Path:
    """A CSV table as the experiment's: UTF-8 with a byte-order mark, so that Excel
    opens it as UTF-8 (pandas skips the mark), and ``"\\n"`` line ends; written
    under a temporary name and renamed when complete."""
    with atomic_path(path) as partial:
        frame.to_csv(partial, index=index, encoding="utf-8-sig", lineterminator="\n")
    return path


def save_png(fig, path: Path) -> Path:
    """``fig`` as ``path.png`` (300 dpi) and ``path.svg``, as an experiment saves its
    figures; the figure is closed. Returns the PNG's path, the one a command reports."""
    import matplotlib.pyplot as plt

    from toolkit.plot import save_figure

    try:
        png, _svg = save_figure(fig, path, formats=("png", "svg"))
    finally:
        plt.close(fig)
    return png
