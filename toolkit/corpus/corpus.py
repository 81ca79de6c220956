"""Corpus: documents plus a docvars table indexed by ``doc_id``.

The design follows quanteda: every operation (subset, group, sample) returns a
new Corpus and keeps ``doc_id`` and docvars aligned with the texts.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np
import pandas as pd

from toolkit._ordering import label_order
from toolkit._validation import check_positive_int
from toolkit.corpus.document import Document
from toolkit.corpus.errors import FIXES, CorpusFormatError, DuplicateDocIdError

__all__ = ["Corpus"]

_RESERVED = ("doc_id", "text")
# JSON can spell a lone surrogate (\\ud800); Python keeps it, but no UTF-8 writer can.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return bool(value is pd.NA or value is pd.NaT)


def _plain(value: Any) -> Any:
    """Turn numpy/pandas scalars and arrays into plain Python values for meta."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _clean_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in meta.items() if not _is_missing(v)}


class Corpus:
    """An ordered collection of :class:`Document` with a docvars table.

    Parameters
    ----------
    documents : iterable of Document
        The documents, in order. ``doc_id`` values must be unique.

    Attributes
    ----------
    docvars : pandas.DataFrame
        One row per document, indexed by ``doc_id``; one column per metadata field.

    Examples
    --------
    >>> corpus = Corpus.from_records([
    ...     {"doc_id": "a", "text": "共建共治共享。", "town": "河塘镇"},
    ...     {"doc_id": "b", "text": "一岗双责。", "town": "柳湾乡"},
    ... ])
    >>> len(corpus), corpus.docvars.loc["a", "town"]
    (2, '河塘镇')
    """

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        if isinstance(documents, (str, bytes)):
            raise TypeError("documents must be an iterable of Document, not a str")
        docs = list(documents)
        for i, doc in enumerate(docs):
            if not isinstance(doc, Document):
                raise TypeError(
                    f"documents[{i}] must be a toolkit.Document (got {type(doc).__name__}); "
                    "use Corpus.from_records for dicts"
                )
        counts = Counter(d.doc_id for d in docs)
        dupes = sorted(k for k, n in counts.items() if n > 1)
        if dupes:
            shown = ", ".join(repr(d) for d in dupes[:20])
            more = f" and {len(dupes) - 20} more" if len(dupes) > 20 else ""
            raise DuplicateDocIdError(
                f"doc_id must be unique; {len(dupes)} duplicated: {shown}{more}"
            )
        self._docs: list[Document] = docs
        self._docvars: pd.DataFrame | None = None

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[Any, Any]],
        *,
        text_field: str = "text",
        id_field: str | None = "doc_id",
        source: str = "<records>",
    ) -> Corpus:
        """Build a corpus from dict-like records; every field but the text and the id
        becomes a docvar.

        Parameters
        ----------
        records : iterable of mapping
            One mapping per document.
        text_field : str
            Field holding the text.
        id_field : str or None
            Field holding the id. ``None`` numbers documents ``doc0000``, ``doc0001``...
        source : str
            Name used in error messages (a file path, typically).
        """
        docs = [
            record_to_document(
                rec, text_field=text_field, id_field=id_field, position=i, source=source
            )
            for i, rec in enumerate(records)
        ]
        return cls(docs)

    @classmethod
    def from_pandas(
        cls,
        frame: pd.DataFrame,
        *,
        text_field: str = "text",
        id_field: str | None = "doc_id",
    ) -> Corpus:
        """Build a corpus from a DataFrame; other columns become docvars.

        With ``id_field=None`` the DataFrame's index is used as ``doc_id``.
        """
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a pandas.DataFrame (got {type(frame).__name__})")
        df = frame
        if id_field is None:
            df = frame.reset_index(names="doc_id")
            df["doc_id"] = df["doc_id"].astype(str)
            id_field = "doc_id"
        return cls.from_records(
            df.to_dict(orient="records"),
            text_field=text_field,
            id_field=id_field,
            source="<DataFrame>",
        )

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._docs)

    @overload
    def __getitem__(self, key: int | str) -> Document: ...
    @overload
    def __getitem__(self, key: slice) -> Corpus: ...

    def __getitem__(self, key: int | str | slice) -> Document | Corpus:
        if isinstance(key, slice):
            return Corpus(self._docs[key])
        if isinstance(key, str):
            try:
                return self._docs[self._position()[key]]
            except KeyError:
                raise KeyError(f"no document with doc_id {key!r}") from None
        return self._docs[key]

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._position()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Corpus):
            return NotImplemented
        return self._docs == other._docs

    def __repr__(self) -> str:
        fields = ", ".join(self.docvars.columns[:8])
        return f"Corpus({len(self)} documents; docvars: {fields or 'none'})"

    def _position(self) -> dict[str, int]:
        if not hasattr(self, "_pos"):
            self._pos = {d.doc_id: i for i, d in enumerate(self._docs)}
        return self._pos

    @property
    def doc_ids(self) -> list[str]:
        """The document ids, in corpus order."""
        return [d.doc_id for d in self._docs]

    @property
    def texts(self) -> list[str]:
        """The texts, in corpus order."""
        return [d.text for d in self._docs]

    @property
    def docvars(self) -> pd.DataFrame:
        """Docvars table indexed by ``doc_id`` (a copy: edit through new documents)."""
        if self._docvars is None:
            records = [dict(d.meta) for d in self._docs]
            # pandas 2 cannot build a frame from no records with an index (pandas 3 can).
            frame = (
                pd.DataFrame.from_records(records, index=pd.Index(self.doc_ids, name="doc_id"))
                if records
                else pd.DataFrame()
            )
            if frame.columns.empty:
                frame = pd.DataFrame(index=pd.Index(self.doc_ids, name="doc_id"))
            for name in frame.columns:
                # An int docvar absent on some documents would become float64 (2022.0).
                values = [d.meta[name] for d in self._docs if name in d.meta]
                if values and all(type(v) is int for v in values):
                    frame[name] = frame[name].astype("Int64")
            self._docvars = frame
        return self._docvars.copy()

    # ------------------------------------------------------------------ operations
    def subset(
        self,
        where: Sequence[bool] | pd.Series | Callable[[pd.DataFrame], Any] | None = None,
        /,
        **equals: Any,
    ) -> Corpus:
        """Keep the documents that match.

        Parameters
        ----------
        where : boolean sequence, boolean Series, or callable, optional
            A mask aligned with the documents, or a function of the docvars
            table returning one (``lambda dv: dv.year >= 2022``).
        **equals
            ``field=value`` keeps documents whose docvar equals ``value``;
            ``field=[v1, v2]`` keeps those whose docvar is in the list.

        Returns
        -------
        Corpus
        """
        dv = self.docvars
        mask = np.ones(len(self), dtype=bool)
        if where is not None:
            raw = where(dv) if callable(where) else where
            if isinstance(raw, pd.Series):
                raw = raw.reindex(dv.index)
                # pandas 2 turns a nullable "boolean" Series into an object array even
                # without missing values (dv.year >= 2022 on an Int64 docvar); pandas 3 to bool.
                if raw.dtype == "boolean" and not raw.isna().any():
                    raw = raw.astype(bool)
            arr = np.asarray(raw)
            if arr.shape != (len(self),) or arr.dtype != bool:
                raise ValueError(
                    f"where must give one boolean per document ({len(self)}); "
                    f"got shape {arr.shape} and dtype {arr.dtype}"
                )
            mask &= arr
        mask &= docvar_mask(dv, equals, who="subset")
        return Corpus(d for d, keep in zip(self._docs, mask, strict=True) if keep)

    def group(self, field: str, *, sep: str = "\n\n") -> Corpus:
        """Concatenate documents into one document per value of ``field``.

        The new ``doc_id`` is the group value. Docvars that are constant within
        a group are kept; ``n_docs`` counts the members and ``doc_ids`` lists them.
        Documents whose ``field`` is missing are refused, not dropped.

        Parameters
        ----------
        field : str
            A docvar, such as ``"town"`` or ``"county"``.
        sep : str
            Placed between member texts.
        """
        dv = self.docvars
        if field not in dv.columns:
            raise KeyError(f"group: no docvar named {field!r}; available: {sorted(dv.columns)}")
        missing = dv.index[dv[field].isna()].tolist()
        if missing:
            raise ValueError(
                f"group: {len(missing)} documents have no {field!r} (e.g. {missing[:5]}); "
                f"fill it or subset them out first"
            )
        order: dict[str, list[Document]] = {}
        for doc in self._docs:
            order.setdefault(str(doc.meta[field]), []).append(doc)
        grouped = []
        for key, members in order.items():
            shared = dict(members[0].meta)
            for other in members[1:]:
                shared = {k: v for k, v in shared.items() if other.meta.get(k) == v}
            shared.update({field: members[0].meta[field], "n_docs": len(members)})
            shared["doc_ids"] = [m.doc_id for m in members]
            grouped.append(Document(key, sep.join(m.text for m in members), shared))
        return Corpus(grouped)

    def sample(self, n: int, *, seed: int, replace: bool = False) -> Corpus:
        """Draw ``n`` documents at random, reproducibly given ``seed``."""
        check_positive_int("n", n, allow_zero=True)
        if not replace and n > len(self):
            raise ValueError(
                f"n must be <= the number of documents ({len(self)}) without replace (got {n})"
            )
        rng = np.random.default_rng(seed)
        idx = rng.choice(len(self), size=n, replace=replace)
        if replace:
            # Repeated draws need distinct ids to stay a valid corpus.
            return Corpus(
                Document(f"{self._docs[i].doc_id}#{k}", self._docs[i].text, self._docs[i].meta)
                for k, i in enumerate(idx)
            )
        return Corpus(self._docs[i] for i in sorted(idx))

    def summary(self, by: str | None = None) -> pd.DataFrame:
        """Documents and characters, per document or per value of a docvar.

        Parameters
        ----------
        by : str, optional
            A docvar such as ``"town"``. Without it, one row per document.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``doc_id`` (columns ``characters``, ``paragraphs``) or by
            the values of ``by``, numbers by value then text (columns ``documents``,
            ``characters``).
        """
        chars = pd.Series([len(t) for t in self.texts], index=self.docvars.index, dtype="int64")
        if by is None:
            paragraphs = [sum(1 for p in t.split("\n") if p.strip()) for t in self.texts]
            return pd.DataFrame({"characters": chars, "paragraphs": paragraphs}, index=chars.index)
        dv = self.docvars
        if by not in dv.columns:
            raise KeyError(f"summary: no docvar named {by!r}; available: {sorted(dv.columns)}")
        # Read values from meta, not the docvars table, where ints with gaps become floats.
        key = pd.Series(
            [str(d.meta[by]) if by in d.meta else "<missing>" for d in self._docs],
            index=chars.index,
        )
        table = (
            pd.DataFrame({by: key, "characters": chars})
            .groupby(by, sort=True)
            .agg(documents=("characters", "size"), characters=("characters", "sum"))
        )
        # Numbers by value (congress 3 before 10), then text.
        return table.reindex(label_order(table.index)).astype("int64")

    def map_texts(self, function: Callable[[str], str]) -> Corpus:
        """Apply a ``str -> str`` function (a normaliser, say) to every text."""
        return Corpus(d.with_text(function(d.text)) for d in self._docs)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per document: ``doc_id``, ``text``, then the metadata."""
        return [{"doc_id": d.doc_id, "text": d.text, **d.meta} for d in self._docs]

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame with ``doc_id`` and ``text`` columns followed by the docvars."""
        dv = self.docvars.reset_index()
        dv.insert(1, "text", self.texts)
        return dv

    def sha256(self) -> str:
        """A content hash of ids, texts and metadata, stable across runs and machines."""
        h = hashlib.sha256()
        for rec in self.to_records():
            h.update(json.dumps(rec, ensure_ascii=False, sort_keys=True, default=str).encode())
            h.update(b"\n")
        return h.hexdigest()

    def concat(self, *others: Corpus) -> Corpus:
        """Join corpora end to end; ids must stay unique."""
        docs = list(self._docs)
        for other in others:
            docs.extend(other)
        return Corpus(docs)


def docvar_mask(docvars: pd.DataFrame, equals: Mapping[str, Any], *, who: str) -> np.ndarray:
    """Rows of ``docvars`` where each field equals its value (or is in a list of values).

    ``who`` names the caller in the error for an unknown field.
    """
    mask = np.ones(len(docvars), dtype=bool)
    for field, value in equals.items():
        if field not in docvars.columns:
            raise KeyError(
                f"{who}: no docvar named {field!r}; available: {sorted(docvars.columns)}"
            )
        column = docvars[field]
        if isinstance(value, (list, tuple, set, frozenset)):
            mask &= column.isin(list(value)).to_numpy(dtype=bool)
        else:
            mask &= (column == value).fillna(False).to_numpy(dtype=bool)
    return mask


def _refuse(where: str, reason: str, parameter: str | None = None) -> CorpusFormatError:
    fix = FIXES.get(parameter or "")
    message = f"{where}: {reason}" + (f". {fix[0].upper()}{fix[1:]}" if fix else "")
    return CorpusFormatError(message, reason=reason, parameter=parameter)


def _surrogate(value: str) -> str | None:
    """Where ``value`` holds a lone surrogate (JSON ``"\\ud800"``), which UTF-8 cannot store."""
    match = _SURROGATE.search(value)
    if match is None:
        return None
    return f"a lone surrogate U+{ord(match.group()):04X} at character {match.start() + 1}"


def record_to_document(
    record: Mapping[str, Any],
    *,
    text_field: str = "text",
    id_field: str | None = "doc_id",
    position: int = 0,
    source: str = "<records>",
    location: str | None = None,
) -> Document:
    """Turn one mapping into a Document, naming the source and record on failure.

    Raises
    ------
    CorpusFormatError
        With ``reason`` (what is wrong) and ``parameter`` (``"text_field"`` or
        ``"id_field"`` when another value of it would read the record).
    """
    where = f"{source}:{location or f'record {position + 1}'}"
    if not isinstance(record, Mapping):
        raise _refuse(
            where, f"expected an object with a {text_field!r} field (got {type(record).__name__})"
        )
    if text_field not in record:
        raise _refuse(
            where,
            f"missing text field {text_field!r}; fields present: {sorted(record)}",
            "text_field",
        )
    text = record[text_field]
    if not isinstance(text, str):
        raise _refuse(where, f"field {text_field!r} must be a string (got {type(text).__name__})")
    if (bad := _surrogate(text)) is not None:
        raise _refuse(
            where,
            f"field {text_field!r} holds {bad}, which no UTF-8 file can store; "
            "fix the escape in the source",
        )
    if id_field is None or id_field == "":
        doc_id = f"doc{position:04d}"
    else:
        if id_field not in record:
            raise _refuse(
                where,
                f"missing id field {id_field!r}; fields present: {sorted(record)}",
                "id_field",
            )
        value = _plain(record[id_field])
        if _is_missing(value):
            raise _refuse(where, f"id field {id_field!r} has no value", "id_field")
        if isinstance(value, (list, dict, bool)):
            raise _refuse(
                where,
                f"id field {id_field!r} must be a string or a number (got {type(value).__name__})",
            )
        doc_id = str(value)
        if not doc_id:  # else Document raises a TypeError that names no file or line
            raise _refuse(where, f"id field {id_field!r} is empty", "id_field")
        if (bad := _surrogate(doc_id)) is not None:
            raise _refuse(where, f"id field {id_field!r} holds {bad}; fix the escape in the source")
    meta = _clean_meta({k: v for k, v in record.items() if k not in (text_field, id_field)})
    clash = [k for k in _RESERVED if k in meta]
    if clash:
        raise _refuse(
            where,
            f"field(s) {clash} would clash with the document's own doc_id/text; "
            f"rename them, or map them with text_field=/id_field=",
        )
    return Document(doc_id, text, meta)
