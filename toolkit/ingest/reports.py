"""Government work reports in the JSONL schema of the lawtext/gov collection.

One JSON object per line with ``id``, ``text`` and the docvars ``province``,
``city``, ``year``, ``level`` and ``gov_level`` (plus optional fields such as
``title``, ``delivered_date`` and ``speaker``, which are kept as docvars too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from toolkit._validation import check_flag
from toolkit.corpus import Corpus, CorpusStream, Document, Rejection
from toolkit.corpus.io import read_jsonl

__all__ = ["REPORT_FIELDS", "check_report", "read_gov_reports", "report_files"]

#: Docvars every report must carry; ``city`` may be null for provincial and national reports.
REPORT_FIELDS = ("province", "year", "level", "gov_level")


def report_files(path: str | Path | Iterable[str | Path]) -> list[Path]:
    """Expand a file, a folder (its ``*.jsonl`` files, sorted) or a list of them."""
    items = [path] if isinstance(path, (str, Path)) else list(path)
    files: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(p.glob("*.jsonl"))
            if not found:
                raise FileNotFoundError(f"{p}: folder holds no *.jsonl report files")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"report file or folder not found: {str(p)!r}")
    return files


def check_report(doc: Document) -> str | None:
    """Return why ``doc`` is not a valid report, or ``None`` when it is."""
    missing = [f for f in REPORT_FIELDS if f not in doc.meta]
    if missing:
        return f"missing report field(s) {missing}; every report needs {list(REPORT_FIELDS)}"
    year = doc.meta["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        return f"field 'year' must be an integer (got {year!r})"
    if not doc.text.strip():
        return "empty 'text'"
    return None


def _checked(docs: Iterable[Document], rejected: list[Rejection] | None) -> Iterator[Document]:
    for doc in docs:
        problem = check_report(doc)
        if problem is None:
            yield doc
        elif rejected is None:
            raise ValueError(f"{doc.meta.get('source_file', '<reports>')}: {doc.doc_id}: {problem}")
        else:
            rejected.append(Rejection(str(doc.meta.get("source_file")), problem, doc.doc_id))


def read_gov_reports(
    path: str | Path | Iterable[str | Path],
    *,
    stream: bool = False,
    rejected: list[Rejection] | None = None,
) -> Corpus | CorpusStream:
    """Load government work reports as a corpus.

    Parameters
    ----------
    path : str, Path, or list of them
        A ``.jsonl`` file, a folder of them (such as ``gov_work_reports/``), or a list.
    stream : bool
        Return a re-iterable :class:`~toolkit.corpus.CorpusStream` over the files
        instead of loading them; validation then happens as you iterate.
    rejected : list, optional
        Collects reports that fail validation instead of raising.

    Returns
    -------
    Corpus or CorpusStream
        ``doc_id`` is the report's ``id`` (``level/region/year``); docvars include
        ``province``, ``city``, ``year``, ``level``, ``gov_level`` and ``source_file``.
    """
    check_flag("stream", stream)
    files = report_files(path)
    if stream:
        return CorpusStream(files, id_field="id")
    docs: list[Document] = []
    for f in files:
        corpus = read_jsonl(f, id_field="id", rejected=rejected)
        tagged = (d.with_meta(source_file=f.name) for d in corpus)
        docs.extend(_checked(tagged, rejected))
    return Corpus(docs)
