"""Ingest a batch of inputs of mixed kinds into one corpus, reporting every reject.

A bad input never stops the batch: it becomes a :class:`~toolkit.corpus.Rejection`
with its file and reason, and the good inputs still go through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from toolkit._validation import check_choice, check_flag, check_optional_str
from toolkit.corpus import (
    Corpus,
    CorpusFormatError,
    Document,
    DuplicateDocIdError,
    Rejection,
    read_corpus,
)
from toolkit.ingest.decode import DecodeError, read_text_file
from toolkit.ingest.newspaper import lossless_violation, parse_page
from toolkit.ingest.textdir import TEXT_SUFFIXES, read_text_folder

__all__ = [
    "INGEST_FORMATS",
    "IngestOptions",
    "IngestResult",
    "InputRead",
    "expand_inputs",
    "ingest",
    "merge_inputs",
    "read_input",
]

#: The readers ``ingest(format=...)`` can force; ``auto`` chooses by each input's file
#: extension (``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``; anything else, and
#: folders, as newspaper pages).
INGEST_FORMATS = ("auto", "newspaper", "jsonl", "csv", "parquet", "textdir")
_TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


@dataclass
class IngestResult:
    """What :func:`ingest` produced.

    Attributes
    ----------
    corpus : Corpus
        Every document that was accepted.
    rejected : list of Rejection
        One entry per rejected input or record, with its reason.
    n_inputs : int
        Number of input files read (folders count their files).
    """

    corpus: Corpus
    rejected: list[Rejection] = field(default_factory=list)
    n_inputs: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing was rejected."""
        return not self.rejected

    def summary(self) -> str:
        """One line: documents accepted from how many inputs, and rejects."""
        return (
            f"{len(self.corpus)} documents from {self.n_inputs} inputs; "
            f"{len(self.rejected)} rejected"
        )


def _sniff_id_field(path: Path) -> str | None:
    """Pick the id field of a JSONL file from its first record.

    Our own corpora use ``doc_id``; the government-report collection uses ``id``.
    A first line that cannot be read says nothing: the reader reports it.
    """
    with path.open("rb") as fh:
        for raw in fh:
            line = raw.decode("utf-8-sig", errors="replace")
            if line.strip():
                try:
                    first = json.loads(line)
                except json.JSONDecodeError:
                    return "doc_id"  # let the reader report the bad line
                if isinstance(first, dict) and "doc_id" not in first and "id" in first:
                    return "id"
                return "doc_id"
    return "doc_id"


def _format_of(path: Path, requested: str) -> str:
    if requested != "auto":
        return requested
    if path.is_dir():
        return "newspaper"
    return _TABLE_SUFFIXES.get(path.suffix.lower(), "newspaper")


def _expand(inputs: Iterable[str | Path], fmt: str) -> list[tuple[Path, str]]:
    """Turn inputs into (file, format) pairs; folders of pages become their text files."""
    out: list[tuple[Path, str]] = []
    for item in inputs:
        p = Path(item)
        kind = _format_of(p, fmt)
        if p.is_dir() and kind == "newspaper":
            out.extend(
                (f, "newspaper")
                for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
            )
        else:
            out.append((p, kind))
    return out


_PAGE_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)"
)


def page_date(path: Path) -> dict[str, Any]:
    """``date`` and ``year`` from a page file named by its issue date, else nothing.

    Newspaper archives name page files by issue date (``page_2022-06-15.txt``,
    ``20220615_03.txt``); the page text itself rarely repeats it.
    """
    match = _PAGE_DATE.search(path.stem)
    if match is None:
        return {}
    year, month, day = match.groups()
    return {"date": f"{year}-{month}-{day}", "year": int(year)}


def _read_page(path: Path, rejected: list[Rejection]) -> list[Document]:
    # A page cut off mid-character, or with lines in another encoding, keeps what
    # decodes; what it lost is reported once the page is accepted.
    damage: list[Rejection] = []
    text, encoding = read_text_file(path, rejected=damage)
    dated = page_date(path)
    docs = parse_page(text, source=str(path))
    # A page whose parse drops or repeats text is refused whole, with the reason.
    if (violation := lossless_violation(text, docs)) is not None:
        raise ValueError(f"{path}: {violation}")
    rejected.extend(damage)
    return [
        d.with_meta(encoding=encoding, **{k: v for k, v in dated.items() if k not in d.meta})
        for d in docs
    ]


def _convert_t2s(value: Any, convert: Any) -> Any:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_convert_t2s(v, convert) for v in value]
    if isinstance(value, dict):
        return {k: _convert_t2s(v, convert) for k, v in value.items()}
    return value


def ingest(
    inputs: Sequence[str | Path],
    *,
    format: str = "auto",
    t2s: bool = False,
    text_field: str = "text",
    id_field: str | None = None,
    metadata_csv: str | Path | None = None,
    filename_pattern: str | None = None,
    progress: bool = True,
) -> IngestResult:
    """Read files of several kinds into one corpus.

    Parameters
    ----------
    inputs : sequence of str or Path
        Files or folders. With ``format="auto"``: ``.jsonl``/``.csv``/``.parquet``
        are corpus tables, any other file is a newspaper page, and a folder is a
        folder of pages. A page whose file name holds its issue date
        (``page_2022-06-15.txt``) gets ``date`` and ``year`` docvars.
    format : {'auto', 'newspaper', 'jsonl', 'csv', 'parquet', 'textdir'}
        Force one reader for every input. ``'textdir'`` reads a folder as one
        document per file, with metadata from ``metadata_csv`` or ``filename_pattern``.
    t2s : bool
        Convert traditional to simplified characters (OpenCC), in texts and docvars.
    text_field, id_field : str
        Field mapping for tables; ``id_field=None`` picks ``doc_id`` or, for the
        government-report schema, ``id``; ``id_field=""`` numbers the documents of
        all tables ``doc0000``, ``doc0001``... in the order they are read.
    metadata_csv, filename_pattern
        Metadata for ``'textdir'`` inputs, see :func:`read_text_folder`.
    progress : bool
        Show a progress bar over inputs.

    Returns
    -------
    IngestResult
        The corpus, and one :class:`Rejection` per input or record that was refused.
    """
    check_choice("format", format, INGEST_FORMATS)
    check_flag("progress", progress)
    options = IngestOptions(text_field, id_field, metadata_csv, filename_pattern, t2s)
    pairs = expand_inputs(inputs, format)
    reads = (
        read_input(path, kind, options)
        for path, kind in tqdm(pairs, desc="ingest", unit="file", disable=not progress)
    )
    return merge_inputs(pairs, reads)


def expand_inputs(inputs: Sequence[str | Path] | str | Path, format: str) -> list[tuple[Path, str]]:
    """The files and folders :func:`ingest` reads, each with the reader it takes."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    return _expand(inputs, format)


@dataclass(frozen=True)
class IngestOptions:
    """What :func:`read_input` needs of :func:`ingest`'s parameters (small: it travels)."""

    text_field: str = "text"
    id_field: str | None = None
    metadata_csv: str | Path | None = None
    filename_pattern: str | None = None
    t2s: bool = False

    def __post_init__(self) -> None:
        check_optional_str("text_field", self.text_field, allow_none=False)
        check_optional_str("id_field", self.id_field)
        if self.metadata_csv is not None and not isinstance(self.metadata_csv, (str, Path)):
            raise TypeError(f"metadata_csv must be a path or None (got {self.metadata_csv!r})")
        check_optional_str("filename_pattern", self.filename_pattern)
        check_flag("t2s", self.t2s)


@dataclass
class InputRead:
    """One input's documents and rejects, before ids are checked across inputs."""

    docs: list[Document]
    rejected: list[Rejection]
    # Documents of a table without ids: numbered on across tables when merged.
    numbered: bool = False


def read_input(path: Path, kind: str, options: IngestOptions) -> InputRead:
    """Read one input of :func:`ingest` (a page, a folder of texts, or a table).

    Runs where the file is: alone, it needs nothing of the other inputs (the
    numbering of id-less tables and the duplicate check happen in
    :func:`merge_inputs`), so a Dask worker can read it.
    """
    rejected: list[Rejection] = []
    numbered = False
    try:
        if not path.exists():
            raise FileNotFoundError("no such file or folder")
        if kind == "newspaper":
            new = _read_page(path, rejected)
        elif kind == "textdir":
            new = read_text_folder(
                path,
                metadata_csv=options.metadata_csv,
                filename_pattern=options.filename_pattern,
                rejected=rejected,
            )
        else:
            if options.id_field is None:
                ids: str | None = _sniff_id_field(path) if kind == "jsonl" else "doc_id"
            else:
                ids = options.id_field or None
            new = list(
                read_corpus(
                    path,
                    format=kind,
                    text_field=options.text_field,
                    id_field=ids,
                    rejected=rejected,
                )
            )
            numbered = ids is None
    except DecodeError as exc:
        rejected.append(Rejection(str(path), exc.reason))
        return InputRead([], rejected)
    except (CorpusFormatError, DuplicateDocIdError, ValueError, OSError) as exc:
        message = str(exc)
        prefix = f"{path}:"
        reason = message[len(prefix) :].strip() if message.startswith(prefix) else message
        rejected.append(Rejection(str(path), reason))
        return InputRead([], rejected)
    if options.t2s:
        from toolkit.normalize import to_simplified

        new = [
            Document(d.doc_id, to_simplified(d.text), _convert_t2s(dict(d.meta), to_simplified))
            for d in new
        ]
    return InputRead(new, rejected, numbered)


def merge_inputs(pairs: list[tuple[Path, str]], reads: Iterable[InputRead]) -> IngestResult:
    """One corpus from the reads of ``pairs``, in their order: what :func:`ingest` returns.

    Tables without ids are numbered on across tables (no ``doc0000`` twice);
    a ``doc_id`` read before is rejected, naming where it was first read.
    """
    rejected: list[Rejection] = []
    docs: list[Document] = []
    seen: dict[str, str] = {}
    n_numbered = 0
    for (path, _kind), read in zip(pairs, reads, strict=True):
        rejected.extend(read.rejected)
        new = read.docs
        if read.numbered:
            new = [Document(f"doc{n_numbered + i:04d}", d.text, d.meta) for i, d in enumerate(new)]
            n_numbered += len(new)
        for doc in new:
            source = str(doc.meta.get("source", path))
            if doc.doc_id in seen:
                rejected.append(
                    Rejection(
                        str(path),
                        f"doc_id {doc.doc_id!r} already read from {seen[doc.doc_id]}",
                        doc.doc_id,
                    )
                )
                continue
            seen[doc.doc_id] = source
            docs.append(doc)
    n_inputs = sum(
        sum(1 for f in p.rglob("*") if f.is_file()) if p.is_dir() else 1 for p, _ in pairs
    )
    return IngestResult(Corpus(docs), rejected, n_inputs)
