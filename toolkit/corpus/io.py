"""Read and write corpora as JSONL, CSV and Parquet.

Every reader maps one field to the text (``text_field``) and one to the id
(``id_field``); every other column becomes a docvar. JSONL and Parquet can
also be read as a re-iterable :class:`CorpusStream`, so a corpus larger than
memory never has to be loaded whole.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from toolkit._atomic import atomic_open, atomic_path
from toolkit._validation import check_choice, check_flag, check_positive_int, check_rejected
from toolkit.corpus.corpus import Corpus, record_to_document
from toolkit.corpus.document import Document
from toolkit.corpus.errors import CorpusFormatError, DuplicateDocIdError, Rejection

__all__ = [
    "FORMATS",
    "CorpusStream",
    "expand_partitions",
    "infer_format",
    "is_partitioned",
    "read_corpus",
    "read_csv",
    "read_jsonl",
    "read_parquet",
    "write_corpus",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]

#: The corpus file formats ``read_corpus`` and ``write_corpus`` know, by file extension.
FORMATS = ("jsonl", "csv", "parquet")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}

PathLike = str | Path


def infer_format(path: PathLike) -> str:
    """Return ``'jsonl'``, ``'csv'`` or ``'parquet'`` from a file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"cannot infer the format of {str(path)!r} from its suffix {suffix!r}; "
            f"use one of {sorted(_SUFFIXES)} or pass format= one of {set(FORMATS)}"
        )
    return _SUFFIXES[suffix]


# ---------------------------------------------------------------------- record iterators
def _bad_line(path: Path, location: str, reason: str, rejected: list[Rejection] | None) -> None:
    """Record a line that holds no record, or raise when no one collects rejections."""
    if rejected is None:
        raise CorpusFormatError(f"{path}:{location}: {reason}", reason=reason)
    rejected.append(Rejection(str(path), reason, location))


def _json_reason(exc: json.JSONDecodeError, line: str) -> str:
    # json's messages end in "at" and name line 1 of the one line: keep the column.
    what = exc.msg.removesuffix(" at")
    what = what[:1].lower() + what[1:]
    cut = exc.msg.startswith("Unterminated") or exc.pos >= len(line.rstrip())
    hint = "the line ends before its JSON object does (cut short?)" if cut else None
    return (
        f"not valid JSON: {what} at column {exc.colno}"
        + (f"; {hint}" if hint else "")
        + "; each line must hold one JSON object"
    )


# One reason for every such line, so that a file in another encoding is said once.
_NOT_UTF8 = "not UTF-8; JSON lines must be UTF-8: re-save the file as UTF-8"


def _iter_jsonl(path: Path, rejected: list[Rejection] | None = None) -> Iterator[tuple[str, Any]]:
    """Yield ``(location, record)``.

    A line that is not UTF-8 or not JSON is appended to ``rejected`` with its
    number, and the lines after it are still read; without ``rejected`` it
    raises. Each line is decoded on its own, so one bad line costs one record.
    """
    with path.open("rb") as fh:
        if fh.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise CorpusFormatError(
                f"{path}: JSON lines must be UTF-8, and this file is UTF-16 "
                "(it starts with a UTF-16 byte-order mark); re-save it as UTF-8",
                reason="JSON lines must be UTF-8, and this file is UTF-16 (it starts with a "
                "UTF-16 byte-order mark); re-save it as UTF-8",
            )
        fh.seek(0)
        for lineno, raw in enumerate(fh, start=1):
            location = f"line {lineno}"
            if lineno == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                # Without the line end, a line cut short reads "unterminated string".
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                _bad_line(path, location, _NOT_UTF8, rejected)
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                _bad_line(path, location, _json_reason(exc, line), rejected)
                continue
            except RecursionError:
                _bad_line(path, location, "not valid JSON: nested too deeply to read", rejected)
                continue
            yield location, record


def _iter_parquet(path: Path, batch_size: int) -> Iterator[tuple[str, Any]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise CorpusFormatError(
            f"{path}: not a readable Parquet file ({exc})",
            reason=f"not a readable Parquet file ({exc})",
        ) from None
    row = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        for rec in batch.to_pylist():
            row += 1
            yield f"row {row}", rec


def _documents(
    records: Iterable[tuple[str, Any]],
    *,
    path: Path,
    text_field: str,
    id_field: str | None,
    rejected: list[Rejection] | None,
    start: int = 0,
    seen: dict[str, str] | None = None,
) -> Iterator[Document]:
    """Documents from ``(location, record)`` pairs.

    With ``rejected``, a record that cannot be read, or whose ``doc_id`` was
    already read (``seen`` maps ids to where they were first read), is appended
    to it and skipped: the first document with an id is kept.
    """
    seen = {} if seen is None else seen
    for position, (location, rec) in enumerate(records, start=start):
        try:
            doc = record_to_document(
                rec,
                text_field=text_field,
                id_field=id_field,
                position=position,
                source=str(path),
                location=location,
            )
        except CorpusFormatError as exc:
            if rejected is None:
                raise
            reason = exc.reason if exc.reason is not None else str(exc)
            rejected.append(Rejection(str(path), reason, location, exc.parameter))
            continue
        if rejected is not None:
            if doc.doc_id in seen:
                rejected.append(
                    Rejection(
                        str(path),
                        f"doc_id {doc.doc_id!r} appears again (first read at {seen[doc.doc_id]}); "
                        "the first is kept",
                        location,
                    )
                )
                continue
            seen[doc.doc_id] = f"{path}:{location}"
        yield doc


def _existing(path: PathLike) -> Path:
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"corpus file not found: {str(p)!r}")
    return p


_GLOB_CHARS = frozenset("*?[")
_STREAM_SUFFIXES = tuple(s for s, fmt in _SUFFIXES.items() if fmt in ("jsonl", "parquet"))


def _natural_key(path: Path) -> list[Any]:
    # part.2 before part.10, as Dask and Spark number their partitions.
    return [int(run) if run.isdigit() else run for run in re.split(r"(\d+)", str(path))]


def _is_partition(path: Path) -> bool:
    # Dask writes _metadata and _common_metadata, Spark _SUCCESS; editors leave dot files.
    return (
        path.is_file()
        and path.suffix.lower() in _STREAM_SUFFIXES
        and not path.name.startswith(("_", "."))
    )


def is_partitioned(path: PathLike) -> bool:
    """Whether ``path`` names a folder of partitions or a glob pattern, not one file."""
    return Path(path).is_dir() or bool(_GLOB_CHARS & set(str(path)))


def expand_partitions(path: PathLike) -> list[Path]:
    """The corpus files a path names: itself, a folder's partitions, or a glob's matches.

    A folder gives its ``.jsonl``, ``.ndjson`` and ``.parquet`` files (not its
    subfolders; use a glob such as ``"parts/**/*.parquet"`` for those), and a
    glob pattern the files that match it. Names starting with ``_`` or ``.``
    (``_metadata``, ``_SUCCESS``) are left out, and the files are in natural
    order of their paths: ``part.2`` comes before ``part.10``.
    """
    p = Path(path)
    if p.is_dir():
        found = [f for f in p.iterdir() if _is_partition(f)]
        where = f"folder {str(p)!r}"
    elif _GLOB_CHARS & set(str(path)):
        anchor = Path(p.anchor) if p.is_absolute() else Path()
        pattern = str(p.relative_to(anchor)) if p.is_absolute() else str(p)
        found = [f for f in anchor.glob(pattern) if _is_partition(f)]
        where = f"pattern {str(path)!r}"
    else:
        return [_existing(p)]
    if not found:
        raise FileNotFoundError(
            f"path: the {where} holds no corpus files; expected names ending in "
            f"{', '.join(_STREAM_SUFFIXES)} (not starting with '_' or '.')"
        )
    return sorted(found, key=_natural_key)


_Item = TypeVar("_Item")


def batched(items: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    """Yield lists of at most ``size`` items from any iterable, in order."""
    check_positive_int("size", size)
    batch: list[_Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------------- stream
class CorpusStream:
    """A re-iterable view of JSONL or Parquet corpus files, or folders of partitions.

    Each ``for doc in stream`` reopens the files, so models that need several
    passes can stream a corpus that does not fit in memory (as gensim does).

    Parameters
    ----------
    path : str, Path, or list of them
        One or more ``.jsonl`` or ``.parquet`` files, folders of such files
        (partitions, as Dask or Spark write them) or glob patterns
        (``"parts/*.parquet"``), read one after another. A folder or pattern is
        listed once, here, in natural order (``part.2`` before ``part.10``; see
        :func:`expand_partitions`), so every pass reads the same files.
    text_field, id_field : str
        Field mapping, as in :func:`read_jsonl`.
    batch_size : int
        Rows per Parquet batch.
    rejected : list, optional
        When given, lines and records that cannot be read, and documents whose
        ``doc_id`` was already read, are appended to it as :class:`Rejection`
        and skipped; each is appended once, however many passes are made.
        Without it they raise as the stream reaches them.
    """

    def __init__(
        self,
        path: PathLike | Sequence[PathLike],
        *,
        text_field: str = "text",
        id_field: str | None = "doc_id",
        batch_size: int = 1024,
        rejected: list[Rejection] | None = None,
    ) -> None:
        many = [path] if isinstance(path, (str, Path)) else list(path)
        if not many:
            raise ValueError("path must name at least one .jsonl or .parquet file (got [])")
        self.paths = [f for p in many for f in expand_partitions(p)]
        self.path = self.paths[0]
        for p in self.paths:
            check_choice("format", infer_format(p), ("jsonl", "parquet"))
        self.text_field = text_field
        self.id_field = id_field
        self.batch_size = check_positive_int("batch_size", batch_size)
        self.rejected = check_rejected(rejected)
        self._reported: set[Rejection] = set()

    def _records(self, path: Path, rejected: list[Rejection] | None) -> Iterator[tuple[str, Any]]:
        if infer_format(path) == "jsonl":
            return _iter_jsonl(path, rejected)
        return _iter_parquet(path, self.batch_size)

    def __iter__(self) -> Iterator[Document]:
        if self.rejected is not None:
            yield from self._iter_rejecting(self.rejected)
            return
        seen: set[str] = set()
        for path in self.paths:
            for doc in _documents(
                self._records(path, None),
                path=path,
                text_field=self.text_field,
                id_field=self.id_field,
                rejected=None,
                start=len(seen),  # id_field=None numbers on across files: no doc0000 twice
            ):
                # Only ids are kept, so the duplicate check stays cheap on large files.
                if doc.doc_id in seen:
                    raise DuplicateDocIdError(
                        f"{path}: doc_id must be unique; {doc.doc_id!r} appears again"
                    )
                seen.add(doc.doc_id)
                yield doc

    def _iter_rejecting(self, rejected: list[Rejection]) -> Iterator[Document]:
        seen: dict[str, str] = {}
        found: list[Rejection] = []
        n_records = [0]  # id_field=None numbers on across files, counting rejected records

        def counted(records: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
            for item in records:
                n_records[0] += 1
                yield item

        try:
            for path in self.paths:
                yield from _documents(
                    counted(self._records(path, found)),
                    path=path,
                    text_field=self.text_field,
                    id_field=self.id_field,
                    rejected=found,
                    start=n_records[0],
                    seen=seen,
                )
        finally:
            # Every pass finds the same rejects: report each once.
            for rejection in found:
                if rejection not in self._reported:
                    self._reported.add(rejection)
                    rejected.append(rejection)

    def batches(self, size: int) -> Iterator[list[Document]]:
        """Yield lists of at most ``size`` documents: the unit of parallel work."""
        return batched(self, size)

    def count(self) -> int:
        """Number of documents (one pass over the file)."""
        return sum(1 for _ in self)

    def to_corpus(self) -> Corpus:
        """Load every document into an in-memory :class:`Corpus`."""
        return Corpus(self)

    def __repr__(self) -> str:
        names = ", ".join(repr(str(p)) for p in self.paths)
        return f"CorpusStream([{names}])"


# ---------------------------------------------------------------------- readers
def _check_options(stream: bool, rejected: list[Rejection] | None) -> None:
    """The reading switches every reader shares: a bool, and a list to append rejects to."""
    check_flag("stream", stream)
    check_rejected(rejected)


@overload
def read_jsonl(
    path: PathLike,
    *,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: Literal[False] = ...,
    rejected: list[Rejection] | None = ...,
) -> Corpus: ...
@overload
def read_jsonl(
    path: PathLike,
    *,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: Literal[True],
    rejected: list[Rejection] | None = ...,
) -> CorpusStream: ...
@overload
def read_jsonl(
    path: PathLike,
    *,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: bool,
    rejected: list[Rejection] | None = ...,
) -> Corpus | CorpusStream: ...
def read_jsonl(
    path: PathLike,
    *,
    text_field: str = "text",
    id_field: str | None = "doc_id",
    stream: bool = False,
    rejected: list[Rejection] | None = None,
) -> Corpus | CorpusStream:
    """Read a JSON-lines corpus: one object per line.

    Parameters
    ----------
    path : str or Path
        The file; UTF-8, with or without BOM.
    text_field : str
        Field that holds the text.
    id_field : str or None
        Field that holds the id; ``None`` (or ``""``) numbers the documents
        ``doc0000``, ``doc0001``... by their position among the records.
    stream : bool
        Return a re-iterable :class:`CorpusStream` instead of loading the file.
    rejected : list, optional
        When given, every line or record that cannot be read (not UTF-8, not
        JSON, missing text, wrong type, an id already read) is appended to it as
        a :class:`Rejection` naming its line, and skipped: the other lines are
        still read, and the first document with an id is kept. Without it the
        first such line raises :class:`CorpusFormatError` (a repeated id,
        :class:`DuplicateDocIdError`).

    Returns
    -------
    Corpus or CorpusStream
    """
    _check_options(stream, rejected)
    p = _existing(path)
    if stream:
        return CorpusStream(p, text_field=text_field, id_field=id_field, rejected=rejected)
    return Corpus(
        _documents(
            _iter_jsonl(p, rejected),
            path=p,
            text_field=text_field,
            id_field=id_field,
            rejected=rejected,
        )
    )


@overload
def read_parquet(
    path: PathLike,
    *,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: Literal[False] = ...,
    rejected: list[Rejection] | None = ...,
    batch_size: int = ...,
) -> Corpus: ...
@overload
def read_parquet(
    path: PathLike,
    *,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: Literal[True],
    rejected: list[Rejection] | None = ...,
    batch_size: int = ...,
) -> CorpusStream: ...
@overload
def read_parquet(
    path: PathLike,
    *,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: bool,
    rejected: list[Rejection] | None = ...,
    batch_size: int = ...,
) -> Corpus | CorpusStream: ...
def read_parquet(
    path: PathLike,
    *,
    text_field: str = "text",
    id_field: str | None = "doc_id",
    stream: bool = False,
    rejected: list[Rejection] | None = None,
    batch_size: int = 1024,
) -> Corpus | CorpusStream:
    """Read a Parquet corpus; see :func:`read_jsonl` for the parameters."""
    _check_options(stream, rejected)
    check_positive_int("batch_size", batch_size)
    p = _existing(path)
    if stream:
        return CorpusStream(
            p, text_field=text_field, id_field=id_field, batch_size=batch_size, rejected=rejected
        )
    return Corpus(
        _documents(
            _iter_parquet(p, batch_size),
            path=p,
            text_field=text_field,
            id_field=id_field,
            rejected=rejected,
        )
    )


def _decode_cell(value: Any) -> Any:
    # Lists and objects are written to CSV as JSON text; turn them back.
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _reads_as_gb18030(path: Path) -> bool:
    try:
        path.read_bytes().decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def read_csv(
    path: PathLike,
    *,
    text_field: str = "text",
    id_field: str | None = "doc_id",
    encoding: str = "utf-8-sig",
    rejected: list[Rejection] | None = None,
) -> Corpus:
    """Read a CSV corpus with a header row; see :func:`read_jsonl` for the parameters.

    Cells holding JSON lists or objects (as :func:`write_csv` writes them) are decoded.
    """
    import pandas as pd

    _check_options(False, rejected)
    if not isinstance(encoding, str):
        raise TypeError(
            f"encoding must be a str such as 'utf-8-sig' or 'gb18030' (got {encoding!r})"
        )
    p = _existing(path)
    fixed = {f: str for f in (text_field, id_field) if f}
    try:
        # Nullable dtypes keep an int docvar that is absent on some rows an int (not 2022.0).
        frame = pd.read_csv(
            p,
            encoding=encoding,
            dtype=fixed,
            keep_default_na=False,
            na_values=[""],
            dtype_backend="numpy_nullable",
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        advice = "save it as UTF-8 CSV with a header row"
        if isinstance(exc, UnicodeDecodeError) and _reads_as_gb18030(p):
            # Excel on Chinese Windows saves "CSV" as GBK: say how to read the file as it is.
            advice = (
                "it reads as GB18030 (GBK, as Excel saves CSV on Chinese Windows): pass "
                "encoding='gb18030' to read_csv, or save it as UTF-8 CSV (in Excel: CSV UTF-8)"
            )
        raise CorpusFormatError(
            f"{p}: cannot be read as CSV in {encoding} ({exc}); {advice}"
        ) from None
    # An empty text cell is an empty text, not a missing value.
    if text_field in frame.columns:
        frame[text_field] = frame[text_field].fillna("")
    # The text and id are plain strings: never JSON-decode them (a text "[1, 2]").
    records = (
        (f"row {i + 2}", {k: v if k in fixed else _decode_cell(v) for k, v in row.items()})
        for i, row in enumerate(frame.to_dict(orient="records"))
    )
    return Corpus(
        _documents(records, path=p, text_field=text_field, id_field=id_field, rejected=rejected)
    )


@overload
def read_corpus(
    path: PathLike,
    *,
    format: str = ...,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: Literal[False] = ...,
    rejected: list[Rejection] | None = ...,
) -> Corpus: ...
@overload
def read_corpus(
    path: PathLike,
    *,
    format: str = ...,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: Literal[True],
    rejected: list[Rejection] | None = ...,
) -> CorpusStream: ...
@overload
def read_corpus(
    path: PathLike,
    *,
    format: str = ...,
    text_field: str = ...,
    id_field: str | None = ...,
    stream: bool,
    rejected: list[Rejection] | None = ...,
) -> Corpus | CorpusStream: ...
def read_corpus(
    path: PathLike,
    *,
    format: str = "auto",
    text_field: str = "text",
    id_field: str | None = "doc_id",
    stream: bool = False,
    rejected: list[Rejection] | None = None,
) -> Corpus | CorpusStream:
    """Read a corpus file, choosing the reader from ``format`` or the file suffix.

    ``path`` may also be a folder of JSONL or Parquet partitions, or a glob
    pattern (``"parts/*.parquet"``): their files are read one after another,
    as by :class:`CorpusStream`, which ``stream=True`` returns.
    """
    check_choice("format", format, ("auto", *FORMATS))
    _check_options(stream, rejected)
    if is_partitioned(path):
        return _read_partitions(
            path,
            format=format,
            text_field=text_field,
            id_field=id_field,
            stream=stream,
            rejected=rejected,
        )
    fmt = infer_format(path) if format == "auto" else format
    if fmt == "csv":
        if stream:
            raise ValueError("stream=True is supported for 'jsonl' and 'parquet', not 'csv'")
        return read_csv(path, text_field=text_field, id_field=id_field, rejected=rejected)
    reader = read_jsonl if fmt == "jsonl" else read_parquet
    return reader(path, text_field=text_field, id_field=id_field, stream=stream, rejected=rejected)


def _read_partitions(
    path: PathLike,
    *,
    format: str,
    text_field: str,
    id_field: str | None,
    stream: bool,
    rejected: list[Rejection] | None,
) -> Corpus | CorpusStream:
    check_choice("format", format, ("auto", "jsonl", "parquet"))
    view = CorpusStream(path, text_field=text_field, id_field=id_field, rejected=rejected)
    if format != "auto":
        other = [str(p) for p in view.paths if infer_format(p) != format]
        if other:
            raise ValueError(
                f"format={format!r}, but {str(path)!r} also holds other files: {other[:3]}; "
                "pass format='auto' to read them all"
            )
    return view if stream else view.to_corpus()


# ---------------------------------------------------------------------- writers
def _records_of(corpus: Iterable[Document]) -> Iterator[dict[str, Any]]:
    for doc in corpus:
        yield {"doc_id": doc.doc_id, "text": doc.text, **doc.meta}


def write_jsonl(corpus: Iterable[Document], path: PathLike) -> Path:
    """Write one JSON object per document: ``doc_id``, ``text``, then docvars.

    Accepts a Corpus, a CorpusStream or any iterable of Documents, and writes
    as it goes, so a stream is never loaded whole. The file is written under a
    temporary name and renamed when complete, so a failed or interrupted write
    leaves the old file (or none), never a half-written one.
    """
    p = Path(path)
    with atomic_open(p) as fh:
        for rec in _records_of(corpus):
            fh.write(json.dumps(rec, ensure_ascii=False, default=_json_default))
            fh.write("\n")
    return p


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot write a {type(value).__name__} docvar to JSON: {value!r}")


def _parquet_table(records: list[dict[str, Any]], p: Path) -> Any:
    import pyarrow as pa

    # Table.from_pylist takes its columns from the first record only; a docvar that
    # appears later (a kicker, say) would be dropped without this union of keys.
    keys = list(dict.fromkeys(k for rec in records for k in rec))
    try:
        return pa.table({k: [rec.get(k) for rec in records] for k in keys})
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise CorpusFormatError(
            f"{p}: docvars have mixed types across documents and cannot be one Parquet "
            f"column ({exc}); give each field one type, or write JSONL instead"
        ) from None


def _conform(table: Any, schema: Any, p: Path, first: int, batch_size: int) -> Any:
    """Cast a later batch to the columns the first batch fixed, or say why it cannot be."""
    import pyarrow as pa

    new = [name for name in table.column_names if name not in schema.names]
    if new:
        raise CorpusFormatError(
            f"{p}: field {new[0]!r} first appears in document {first + 1}, after the first "
            f"batch fixed the file's columns; pass a batch_size= of at least {first + 1} "
            f"(got {batch_size}), or write JSONL instead"
        )
    columns = [
        table.column(name) if name in table.column_names else pa.nulls(len(table))
        for name in schema.names
    ]
    try:
        return pa.Table.from_arrays(columns, names=schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise CorpusFormatError(
            f"{p}: the documents from {first + 1} on do not fit the column types the first "
            f"batch fixed ({exc}); give each field one type, pass a larger batch_size= "
            f"(got {batch_size}), or write JSONL instead"
        ) from None


def write_parquet(corpus: Iterable[Document], path: PathLike, *, batch_size: int = 10_000) -> Path:
    """Write a Parquet file; nested docvars (lists, dicts) keep their structure.

    Documents are written ``batch_size`` at a time (one row group per batch,
    with ``pyarrow.parquet.ParquetWriter``), so a stream is never held whole.
    A corpus of at most ``batch_size`` documents is one table, written as
    ``pyarrow.parquet.write_table`` writes it.

    Parameters
    ----------
    corpus : Corpus, CorpusStream or iterable of Document
    path : str or Path
        The file; written under a temporary name and renamed when complete, so a
        failed write leaves no half-written file.
    batch_size : int
        Documents per batch. The first batch fixes the columns and their types:
        a field that first appears in a later batch raises
        :class:`CorpusFormatError`, naming the document and the batch size needed.

    Returns
    -------
    Path
    """
    import pyarrow.parquet as pq

    check_positive_int("batch_size", batch_size)
    p = Path(path)
    writer: Any = None
    with atomic_path(p) as partial:
        try:
            for n, batch in enumerate(batched(_records_of(corpus), batch_size)):
                table = _parquet_table(batch, p)
                if writer is None:
                    writer = pq.ParquetWriter(partial, table.schema)
                else:
                    table = _conform(table, writer.schema, p, n * batch_size, batch_size)
                writer.write_table(table)
            if writer is None:  # no documents: an empty table, as before
                pq.write_table(_parquet_table([], p), partial)
        finally:
            if writer is not None:
                writer.close()
    return p


def write_csv(corpus: Iterable[Document], path: PathLike) -> Path:
    """Write a CSV file; list and dict docvars are stored as JSON text.

    UTF-8 with a byte-order mark, so Excel opens it as UTF-8 (readers of this
    module, and pandas, skip the mark). Written under a temporary name and
    renamed when complete.
    """
    import pandas as pd

    p = Path(path)
    rows = [
        {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            for k, v in rec.items()
        }
        for rec in _records_of(corpus)
    ]
    # dtype=object: a column with gaps must not turn ints into floats ("2022.0").
    # An empty corpus still gets its header, or read_csv could not read the file back.
    frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(columns=["doc_id", "text"])
    with atomic_path(p) as partial:
        frame.to_csv(partial, index=False, encoding="utf-8-sig")
    return p


def write_corpus(corpus: Iterable[Document], path: PathLike, *, format: str = "auto") -> Path:
    """Write a corpus, choosing the writer from ``format`` or the file suffix."""
    check_choice("format", format, ("auto", *FORMATS))
    fmt = infer_format(path) if format == "auto" else format
    writer = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}[fmt]
    return writer(corpus, path)
