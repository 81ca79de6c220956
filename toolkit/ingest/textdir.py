"""Folders of plain-text files, one document per file.

Metadata comes from a CSV sidecar (one row per file) or from a regular
expression with named groups applied to each file name. A file the metadata
does not cover is rejected and reported, never silently kept without it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolkit._validation import check_optional_str, check_rejected
from toolkit.corpus import Document, Rejection
from toolkit.ingest.decode import DecodeError, read_text_file

__all__ = ["TEXT_SUFFIXES", "read_sidecar", "read_text_folder"]

TEXT_SUFFIXES = (".txt", ".text", ".md")


def read_sidecar(path: str | Path, *, file_field: str = "file") -> dict[str, dict[str, Any]]:
    """Read a metadata CSV keyed by file name (column ``file_field``)."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"metadata CSV not found: {str(p)!r}")
    try:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        # pandas' own message names neither the file nor the fix, and ingest reports it
        # under the folder's name; Excel on Chinese Windows saves CSV as GBK.
        raise ValueError(
            f"{p}: metadata CSV is not UTF-8 ({exc.reason} at byte {exc.start})"
            f"{_gb18030_hint(p)}; save it as UTF-8 CSV (in Excel: CSV UTF-8)"
        ) from None
    if file_field not in frame.columns:
        raise ValueError(
            f"{p}: metadata CSV needs a {file_field!r} column naming each text file; "
            f"columns found: {list(frame.columns)}"
        )
    table: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(frame.to_dict(orient="records"), start=2):
        name = row.pop(file_field)
        if name in table:
            raise ValueError(f"{p}:row {i}: file {name!r} is listed twice")
        table[name] = {str(k): _typed(v) for k, v in row.items() if v != ""}
    return table


def _gb18030_hint(path: Path) -> str:
    try:
        path.read_bytes().decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "; it reads as GB18030 (GBK), the encoding Excel uses on Chinese Windows"


def _typed(value: str) -> Any:
    # Years and counts arrive as text from CSV and file names; keep them numeric.
    return int(value) if re.fullmatch(r"-?\d{1,9}", value) else value


def read_text_folder(
    folder: str | Path,
    *,
    metadata_csv: str | Path | None = None,
    filename_pattern: str | None = None,
    rejected: list[Rejection] | None = None,
) -> list[Document]:
    """Read every text file below ``folder`` as one document.

    Parameters
    ----------
    folder : str or Path
        Searched recursively for ``.txt``, ``.text`` and ``.md`` files, in sorted order.
    metadata_csv : str or Path, optional
        Sidecar CSV with a ``file`` column (file name relative to ``folder``) and
        one column per docvar.
    filename_pattern : str, optional
        Regular expression with named groups matched against each file name, e.g.
        ``r"(?P<county>[^_]+)_(?P<town>[^_]+)_(?P<year>\\d{4})\\.txt"``.
    rejected : list, optional
        Collects files that cannot be read or are not covered by the metadata,
        and what a damaged file lost (see :func:`~toolkit.ingest.decode_bytes`);
        without it they raise.

    Returns
    -------
    list of Document
        ``doc_id`` is the file's path relative to ``folder`` without suffix;
        meta holds ``source``, ``encoding`` and the docvars.
    """
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"text folder not found: {str(root)!r}")
    if metadata_csv is not None and not isinstance(metadata_csv, (str, Path)):
        raise TypeError(f"metadata_csv must be a path or None (got {metadata_csv!r})")
    check_optional_str("filename_pattern", filename_pattern)
    check_rejected(rejected)
    if metadata_csv is not None and filename_pattern is not None:
        raise ValueError("give metadata_csv or filename_pattern, not both")
    sidecar: Mapping[str, dict[str, Any]] | None = (
        read_sidecar(metadata_csv) if metadata_csv is not None else None
    )
    pattern = re.compile(filename_pattern) if filename_pattern else None
    if pattern is not None and not pattern.groupindex:
        raise ValueError(
            f"filename_pattern must have named groups such as (?P<town>...) "
            f"(got {filename_pattern!r})"
        )
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)
    docs: list[Document] = []

    def reject(path: Path, reason: str) -> None:
        if rejected is None:
            raise ValueError(f"{path}: {reason}")
        rejected.append(Rejection(str(path), reason))

    for path in files:
        rel = path.relative_to(root).as_posix()
        meta: dict[str, Any] = {}
        if sidecar is not None:
            if rel not in sidecar:
                reject(path, f"not listed in {metadata_csv}; add a row with file={rel!r}")
                continue
            meta.update(sidecar[rel])
        if pattern is not None:
            match = pattern.fullmatch(path.name)
            if match is None:
                reject(path, f"file name does not match filename_pattern {pattern.pattern!r}")
                continue
            meta.update({k: _typed(v) for k, v in match.groupdict().items() if v is not None})
        try:
            # With rejected, a file cut off mid-character or with lines in another
            # encoding keeps what decodes, and what it lost is collected.
            text, encoding = read_text_file(path, rejected=rejected)
        except DecodeError as exc:
            reject(path, exc.reason)
            continue
        meta.update(source=str(path), encoding=encoding, layout="plain")
        docs.append(Document(rel.rsplit(".", 1)[0], text, meta))
    if sidecar is not None:
        listed = set(sidecar) - {p.relative_to(root).as_posix() for p in files}
        for name in sorted(listed):
            reject(root / name, f"listed in {metadata_csv} but no such file")
    return docs
