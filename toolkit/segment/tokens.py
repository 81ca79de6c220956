"""Tokens: token lists aligned with ``doc_id`` and docvars, with provenance."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit._atomic import atomic_open

__all__ = ["Tokens"]


class Tokens:
    """Segmented documents: one token list per document.

    Iterating yields the token lists, so a ``Tokens`` object can be passed
    straight to gensim (``Dictionary(tokens)``).

    Parameters
    ----------
    tokens : sequence of list of str
        One token list per document.
    doc_ids : sequence of str
        Aligned with ``tokens``.
    docvars : pandas.DataFrame, optional
        Indexed by ``doc_id``; defaults to an empty table.
    provenance : mapping, optional
        How the tokens were made: backend, its version, lexicon hash, mode.
    tags : sequence of list of str, optional
        Part-of-speech tags aligned with ``tokens``.
    copy : bool
        Copy the token lists (the default), so later changes to the caller's
        lists do not reach this object. Code that hands over lists it just
        built and keeps no reference to can pass ``False``.
    """

    def __init__(
        self,
        tokens: Sequence[list[str]],
        *,
        doc_ids: Sequence[str],
        docvars: pd.DataFrame | None = None,
        provenance: Mapping[str, Any] | None = None,
        tags: Sequence[list[str]] | None = None,
        copy: bool = True,
    ) -> None:
        if len(tokens) != len(doc_ids):
            raise ValueError(
                f"tokens and doc_ids must align: {len(tokens)} token lists, {len(doc_ids)} ids"
            )
        if tags is not None and [len(t) for t in tags] != [len(t) for t in tokens]:
            raise ValueError("tags must have one tag per token in every document")
        self._tokens = [list(t) for t in tokens] if copy else list(tokens)
        self._ids = list(doc_ids)
        index = pd.Index(self._ids, name="doc_id")
        self._docvars = docvars.reindex(index) if docvars is not None else pd.DataFrame(index=index)
        self.provenance: dict[str, Any] = dict(provenance or {})
        if tags is None:
            self.tags = None
        else:
            self.tags = [list(t) for t in tags] if copy else list(tags)

    def __len__(self) -> int:
        return len(self._tokens)

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self._tokens)

    def __getitem__(self, key: int | str) -> list[str]:
        if isinstance(key, str):
            try:
                return self._tokens[self._ids.index(key)]
            except ValueError:
                raise KeyError(f"no document with doc_id {key!r}") from None
        return self._tokens[key]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tokens):
            return NotImplemented
        return self._ids == other._ids and self._tokens == other._tokens

    def __repr__(self) -> str:
        n = sum(len(t) for t in self._tokens)
        return (
            f"Tokens({len(self)} documents, {n} tokens; backend={self.provenance.get('backend')})"
        )

    @property
    def doc_ids(self) -> list[str]:
        """Document ids, aligned with the token lists."""
        return list(self._ids)

    @property
    def docvars(self) -> pd.DataFrame:
        """Docvars indexed by ``doc_id`` (a copy)."""
        return self._docvars.copy()

    def items(self) -> Iterator[tuple[str, list[str]]]:
        """``(doc_id, tokens)`` pairs."""
        return zip(self._ids, self._tokens, strict=True)

    def n_tokens(self) -> pd.Series:
        """Number of tokens per document."""
        return pd.Series([len(t) for t in self._tokens], index=self._docvars.index, name="tokens")

    def _derive(self, tokens: list[list[str]], tags: list[list[str]] | None, step: str) -> Tokens:
        prov = {**self.provenance, "steps": [*self.provenance.get("steps", []), step]}
        return Tokens(tokens, doc_ids=self._ids, docvars=self._docvars, provenance=prov, tags=tags)

    def remove(self, words: Iterable[str]) -> Tokens:
        """A new Tokens without the given words (stopwords, say)."""
        drop = frozenset(words)
        keep = [[i for i, tok in enumerate(doc) if tok not in drop] for doc in self._tokens]
        return self._filter(keep, f"remove({len(drop)} words)")

    def keep(self, words: Iterable[str]) -> Tokens:
        """A new Tokens with only the given words (a term list, say)."""
        wanted = frozenset(words)
        keep = [[i for i, tok in enumerate(doc) if tok in wanted] for doc in self._tokens]
        return self._filter(keep, f"keep({len(wanted)} words)")

    def filter(self, predicate: Callable[[str], bool], *, step: str = "filter") -> Tokens:
        """A new Tokens with the tokens for which ``predicate(token)`` is true.

        ``step`` names the filter in the provenance.
        """
        keep = [[i for i, tok in enumerate(doc) if predicate(tok)] for doc in self._tokens]
        return self._filter(keep, step)

    def _filter(self, keep: list[list[int]], step: str) -> Tokens:
        tokens = [[doc[i] for i in idx] for doc, idx in zip(self._tokens, keep, strict=True)]
        tags = (
            [[doc[i] for i in idx] for doc, idx in zip(self.tags, keep, strict=True)]
            if self.tags is not None
            else None
        )
        return self._derive(tokens, tags, step)

    def group(self, field: str) -> Tokens:
        """Concatenate token lists per value of a docvar (``"town"``), in document order."""
        if field not in self._docvars.columns:
            raise KeyError(
                f"group: no docvar named {field!r}; available: {sorted(self._docvars.columns)}"
            )
        values = self._docvars[field]
        if values.isna().any():
            missing = values.index[values.isna()].tolist()[:5]
            raise ValueError(f"group: documents without {field!r} (e.g. {missing}); subset first")
        order: dict[str, list[str]] = {}
        for doc_id, toks in zip(self._ids, self._tokens, strict=True):
            order.setdefault(str(values[doc_id]), []).extend(toks)
        docvars = pd.DataFrame({field: list(order)}, index=pd.Index(list(order), name="doc_id"))
        prov = {**self.provenance, "steps": [*self.provenance.get("steps", []), f"group({field})"]}
        return Tokens(list(order.values()), doc_ids=list(order), docvars=docvars, provenance=prov)

    def to_records(self) -> list[dict[str, Any]]:
        """One ``{"doc_id", "tokens"}`` dict per document."""
        return [{"doc_id": i, "tokens": t} for i, t in self.items()]

    def write_jsonl(self, path: str | Path) -> Path:
        """Write one ``{"doc_id", "tokens"}`` object per line (under a temporary name,
        renamed when complete)."""
        p = Path(path)
        with atomic_open(p) as fh:
            for rec in self.to_records():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return p
