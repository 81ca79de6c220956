"""find_reuse: passages shared between documents despite small edits."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein
from tqdm.auto import tqdm

from toolkit._parallel import process_pool, worker_state
from toolkit._validation import (
    check_choice,
    check_items,
    check_positive_int,
    ensure_reiterable,
)
from toolkit.corpus import Corpus, Document
from toolkit.similarity.reuse.align import align_regions
from toolkit.similarity.reuse.minhash import (
    WindowIndex,
    build_windows,
    lsh_candidates,
    matching_text,
    shingle_df,
    shingle_hashes,
)

__all__ = ["PASSAGE_COLUMNS", "find_reuse"]

#: Columns of the table :func:`find_reuse` returns, in order.
PASSAGE_COLUMNS = (
    "doc_a",
    "doc_b",
    "start_a",
    "end_a",
    "start_b",
    "end_b",
    "text_a",
    "text_b",
    "similarity",
    "edit",
    "df",
    "boilerplate",
    "earlier",
)

# Colliding windows whose signatures agree on fewer positions are dropped
# before alignment. On windows of ~min_chars characters, 0.15 kept 99% of 300
# passages planted in real report paragraphs with up to 15% of characters
# edited, while a lower bar mostly adds pairs that share one stock phrase
# (see the planted benchmark in the report of this feature).
_MIN_JACCARD = 0.15
# Doc pairs per task when aligning in worker processes.
_BATCH = 64


def _check_max_edit(value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isnan(value)
        or not 0 <= value < 1
    ):
        raise ValueError(f"max_edit must be a number in [0, 1) (got {value!r})")
    return float(value)


def _documents(corpus: Corpus | Iterable[Document]) -> Corpus:
    if isinstance(corpus, Corpus):
        return corpus
    docs = list(ensure_reiterable(corpus, "corpus"))
    for i, doc in enumerate(docs):
        if not isinstance(doc, Document):
            raise TypeError(
                f"corpus[{i}] must be a toolkit.Document (got {type(doc).__name__}); "
                "build a Corpus with Corpus.from_records for dicts"
            )
    return Corpus(docs)


def _background_hashes(
    background: Iterable[Document | str] | None, docs: list[Document], shingle: int, progress: bool
) -> list[np.ndarray]:
    """The distinct shingle hashes of each background document not in the corpus."""
    if background is None:
        return []
    if isinstance(background, str) or not isinstance(background, Iterable):
        raise TypeError(
            "background must be an iterable of documents or texts, such as a Corpus "
            f"(got {background!r})"
        )
    known = {d.doc_id for d in docs}
    out: list[np.ndarray] = []
    items = tqdm(background, desc="find_reuse: background", unit="doc", disable=not progress)
    for i, item in enumerate(items):
        if isinstance(item, Document):
            if item.doc_id in known:
                continue
            text = item.text
        elif isinstance(item, str):
            text = item
        else:
            raise TypeError(
                f"background[{i}] must be a toolkit.Document or a str (got {type(item).__name__})"
            )
        out.append(np.unique(shingle_hashes(matching_text(text), shingle)))
    return out


def _dates(docs: list[Document]) -> list[tuple[pd.Timestamp, bool] | None]:
    """Each document's date from the ``date`` docvar, else its ``year``.

    The flag says whether the date is a full one; a bare year only orders
    documents of different years.
    """
    out: list[tuple[pd.Timestamp, bool] | None] = []
    for doc in docs:
        stamp = None
        if doc.meta.get("date") not in (None, ""):
            stamp = pd.to_datetime(str(doc.meta["date"]), errors="coerce")
            if not pd.isna(stamp):
                out.append((stamp, True))
                continue
        try:
            stamp = pd.Timestamp(year=int(doc.meta["year"]), month=1, day=1)
        except (KeyError, TypeError, ValueError):
            out.append(None)
            continue
        out.append((stamp, False))
    return out


def _earlier(x: tuple[pd.Timestamp, bool] | None, y: tuple[pd.Timestamp, bool] | None) -> int:
    """-1 if ``x`` is earlier, 1 if ``y`` is, 0 if unknown or the same."""
    if x is None or y is None:
        return 0
    a: Any
    b: Any
    if x[1] and y[1]:
        a, b = x[0], y[0]
    else:
        a, b = x[0].year, y[0].year
    return -1 if a < b else int(a > b)


def _passage_df(
    h_a: np.ndarray, h_b: np.ndarray, df_values: np.ndarray, df_counts: np.ndarray
) -> int:
    """Median document frequency of the shingles two copies of a passage share.

    Only shared shingles count: an edited character makes shingles that exist
    in one copy alone, and those would pull a widely copied passage down to 1.
    """
    # Python sets beat np.intersect1d on a few hundred values.
    shared = set(h_a.tolist()).intersection(h_b.tolist())
    if not shared:
        return 2
    keys = np.fromiter(shared, dtype=np.uint64, count=len(shared))
    counts = df_counts[np.searchsorted(df_values, keys)]
    return max(2, int(np.median(counts)))


@dataclass(frozen=True)
class _Job:
    """What the alignment of candidate document pairs needs (shared with workers)."""

    texts: list[str]
    hashes: list[np.ndarray]
    df_values: np.ndarray
    df_counts: np.ndarray
    seeds: np.ndarray  # (n, 4): start_a, end_a, start_b, end_b of each window pair
    shingle: int
    pad: int
    min_chars: int


def _align_batch(groups: list[tuple[int, int, int, int]]) -> list[tuple[int, ...]]:
    return _align_groups(worker_state(), groups)


def _align_groups(job: _Job, groups: list[tuple[int, int, int, int]]) -> list[tuple[int, ...]]:
    """Passages of each ``(doc i, doc j, first seed, end seed)``: offsets, distance, df."""
    out: list[tuple[int, ...]] = []
    k = job.shingle
    for i, j, lo, hi in groups:
        a, b = job.texts[i], job.texts[j]
        seeds = [tuple(row) for row in job.seeds[lo:hi].tolist()]
        for a0, a1, b0, b1 in align_regions(a, b, seeds, pad=job.pad, min_chars=job.min_chars):
            distance = Levenshtein.distance(a[a0:a1], b[b0:b1])
            df = _passage_df(
                job.hashes[i][a0 : max(a0, a1 - k + 1)],
                job.hashes[j][b0 : max(b0, b1 - k + 1)],
                job.df_values,
                job.df_counts,
            )
            out.append((i, j, a0, a1, b0, b1, distance, df))
    return out


def _run(job: _Job, groups: list[tuple[int, int, int, int]], n_jobs: int, progress: bool):
    bar = tqdm(total=len(groups), desc="find_reuse: aligning", unit="pair", disable=not progress)
    batches = [groups[c : c + _BATCH] for c in range(0, len(groups), _BATCH)]
    results: list[tuple[int, ...]] = []
    if n_jobs == 1 or len(batches) <= 1:
        for batch in batches:
            results.extend(_align_groups(job, batch))
            bar.update(len(batch))
    else:
        with process_pool(n_jobs, state=job) as pool:
            # map keeps submission order, so the rows do not depend on n_jobs.
            for batch, found in zip(batches, pool.map(_align_batch, batches), strict=True):
                results.extend(found)
                bar.update(len(batch))
    bar.close()
    return results


def _check_docvars(docvars: str | Sequence[str] | None, corpus: Corpus) -> list[str]:
    if docvars is None:
        return []
    if not isinstance(docvars, str):
        check_items("docvars", docvars, what="docvar names", example="['county']")
    names = [docvars] if isinstance(docvars, str) else list(docvars)
    available = set(corpus.docvars.columns)
    for name in names:
        if not isinstance(name, str) or name not in available:
            raise KeyError(
                f"find_reuse: no docvar named {name!r}; available: {sorted(available)} (docvars=)"
            )
    return names


def _check_arguments(
    *,
    min_chars: int,
    max_edit: float,
    max_df: float,
    boilerplate: str,
    shingle: int,
    num_perm: int,
    bands: int,
    seed: int,
    progress: bool,
) -> float:
    """Refuse out-of-range parameters of :func:`find_reuse`; returns ``max_edit`` as a float."""
    check_positive_int("shingle", shingle)
    check_positive_int("min_chars", min_chars)
    if min_chars < shingle:
        raise ValueError(f"min_chars must be an integer >= shingle ({shingle}) (got {min_chars})")
    checked = _check_max_edit(max_edit)
    if (
        isinstance(max_df, bool)
        or not isinstance(max_df, (int, float))
        or math.isnan(max_df)
        or max_df <= 0
        or (max_df >= 1 and max_df != int(max_df))
    ):
        raise ValueError(f"max_df must be a share in (0, 1) or a whole count >= 1 (got {max_df!r})")
    check_choice("boilerplate", boilerplate, {"flag", "drop"})
    check_positive_int("num_perm", num_perm)
    check_positive_int("bands", bands)
    if num_perm % bands:
        raise ValueError(f"bands must divide num_perm ({num_perm}) (got {bands})")
    check_positive_int("seed", seed, allow_zero=True)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be a bool (got {type(progress).__name__})")
    return checked


def _listed(
    corpus: Corpus | Iterable[Document], docvars: str | Sequence[str] | None
) -> tuple[list[Document], list[str]]:
    """The documents, and the checked names of the docvars to copy into the table."""
    collection = _documents(corpus)
    return list(collection), _check_docvars(docvars, collection)


def _reference(
    background: Iterable[Document | str] | None,
    docs: list[Document],
    *,
    shingle: int,
    max_df: float,
    progress: bool,
) -> tuple[list[np.ndarray], float]:
    """The background's shingle hashes, and how many documents make a passage boilerplate."""
    extra_hashes = _background_hashes(background, docs, shingle, progress)
    # With a background, a share is of the genre's documents: the corpus may be
    # paragraphs or a small sample, whose count says nothing about the genre.
    n_reference = len(extra_hashes) if background is not None else len(docs)
    return extra_hashes, max(2.0, max_df * n_reference if max_df < 1 else float(max_df))


def _stride(min_chars: int, shingle: int) -> int:
    # Windows of two blocks of `stride` shingles, ~min_chars characters: a
    # passage of min_chars characters fills most of a window in each copy.
    return max(1, (min_chars - shingle + 1) // 2)


def _pad(stride: int, shingle: int) -> int:
    """Characters of context aligned around a pair of colliding windows."""
    return int(2 * stride + shingle - 1)


def _candidates(
    index: WindowIndex, *, bands: int, seed: int, progress: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate window pairs (LSH buckets, then the agreement bar), sorted by document pair."""
    with tqdm(total=bands, desc="find_reuse: LSH", unit="band", disable=not progress) as bar:
        first, second, _ = lsh_candidates(
            index, bands=bands, min_jaccard=_MIN_JACCARD, seed=seed, progress_bar=bar
        )
    return first, second


def _pair_groups(
    index: WindowIndex, first: np.ndarray, second: np.ndarray
) -> tuple[list[tuple[int, int, int, int]], np.ndarray]:
    """One ``(doc i, doc j, first seed, end seed)`` per document pair, and the seeds.

    Each seed row is ``(start_a, end_a, start_b, end_b)`` of a pair of windows.
    """
    # Candidates come sorted by document pair: cut them into one group per pair.
    doc_a, doc_b = index.doc[first], index.doc[second]
    cuts = np.flatnonzero((np.diff(doc_a) != 0) | (np.diff(doc_b) != 0)) + 1
    bounds = np.concatenate(([0], cuts, [len(first)])) if len(first) else np.empty(0, np.int64)
    groups = [
        (int(doc_a[lo]), int(doc_b[lo]), int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds)
    ]
    seeds = np.stack(
        [index.start[first], index.end[first], index.start[second], index.end[second]], axis=1
    )
    return groups, seeds


def _passage_table(
    found: Iterable[tuple[int, ...]],
    docs: list[Document],
    *,
    extra: list[str],
    max_edit: float,
    boilerplate: str,
    threshold: float,
) -> pd.DataFrame:
    """The table :func:`find_reuse` returns, from ``(i, j, a0, a1, b0, b1, distance, df)`` rows."""
    dates = _dates(docs)
    rows: list[dict[str, Any]] = []
    for i, j, a0, a1, b0, b1, distance, df in found:
        edit = distance / max(a1 - a0, b1 - b0)
        if edit > max_edit:
            continue
        is_boilerplate = df > threshold
        if is_boilerplate and boilerplate == "drop":
            continue
        order = _earlier(dates[i], dates[j])
        earlier = None if order == 0 else docs[i if order < 0 else j].doc_id
        row = {
            "doc_a": docs[i].doc_id,
            "doc_b": docs[j].doc_id,
            "start_a": a0,
            "end_a": a1,
            "start_b": b0,
            "end_b": b1,
            "text_a": docs[i].text[a0:a1],
            "text_b": docs[j].text[b0:b1],
            "similarity": 1.0 - edit,
            "edit": edit,
            "df": df,
            "boilerplate": is_boilerplate,
            "earlier": earlier,
        }
        for name in extra:
            row[f"{name}_a"] = docs[i].meta.get(name)
            row[f"{name}_b"] = docs[j].meta.get(name)
        rows.append(row)
    columns = list(PASSAGE_COLUMNS) + [f"{n}_{s}" for n in extra for s in ("a", "b")]
    dtypes: dict[str, Any] = {
        "start_a": "int64",
        "end_a": "int64",
        "start_b": "int64",
        "end_b": "int64",
        "similarity": "float64",
        "edit": "float64",
        "df": "int64",
        "boilerplate": bool,
    }
    # Built column by column: from row dicts pandas 3 would infer its "str"
    # dtype and turn the None of `earlier` into NaN.
    return pd.DataFrame(
        {c: pd.Series([row[c] for row in rows], dtype=dtypes.get(c, object)) for c in columns}
    )


def find_reuse(
    corpus: Corpus | Iterable[Document],
    *,
    min_chars: int = 50,
    max_edit: float = 0.35,
    max_df: float = 0.1,
    boilerplate: str = "flag",
    background: Iterable[Document | str] | None = None,
    docvars: str | Sequence[str] | None = None,
    shingle: int = 5,
    num_perm: int = 128,
    bands: int = 64,
    seed: int = 0,
    n_jobs: int = 1,
    progress: bool = True,
) -> pd.DataFrame:
    """Find passages that two documents share despite small edits.

    The search has two stages. Candidates: every document is cut into windows
    of about ``min_chars`` characters, overlapping by half, each window gets a
    MinHash signature of its character ``shingle``-grams, and LSH banding
    (``bands`` bands of ``num_perm // bands`` rows) pairs up windows of
    different documents whose signatures then agree on at least 15% of
    positions. Alignment: only those document pairs, and only the regions
    around their colliding windows, are aligned with compiled Levenshtein
    edit paths; the best-scoring stretches, grown until they stop matching,
    are the passages (see :mod:`toolkit.similarity.reuse.align`). A swapped
    place name, changed numbers or an inserted clause (up to some 45
    characters, after a long enough shared stretch) stay inside one passage.

    Texts are first normalised for matching with the length-preserving steps
    of :func:`toolkit.normalize.normalize`, so ``,`` and ``，`` or ``"`` and
    ``“`` match, while all offsets refer to the original texts:
    ``corpus[doc_a].text[start_a:end_a] == text_a``.

    Parameters
    ----------
    corpus : Corpus or iterable of Document
        The documents. Docvars ``date`` (or ``year``) give the direction hint.
    min_chars : int, default 50
        Shortest passage reported, in characters of the longer copy (deletions
        may leave the other a little shorter). Must be at least ``shingle``.
        Edited characters at the ends of a copy are not part of the passage,
        so a copy of exactly ``min_chars`` characters may fall just short.
    max_edit : float, default 0.35
        Largest share of edited characters, ``edit`` below, in [0, 1).
    max_df : float, default 0.1
        A passage is boilerplate when more documents than this carry it: a
        share of the corpus if below 1, else a count. The threshold is never
        below 2, so a passage found in only two documents is never boilerplate.
    boilerplate : {'flag', 'drop'}, default 'flag'
        ``'flag'`` reports boilerplate passages with ``boilerplate=True``;
        ``'drop'`` leaves them out, keeping only distinctive reuse.
    background : iterable of Document or str, optional
        More documents of the genre, read once, only to count how common a
        passage is: a formula every report carries (the thanks paragraph, the
        guiding-ideology opening) may occur in just two documents of a small
        sample, and is boilerplate all the same. With a background, ``df``
        counts documents of the corpus and the background, and ``max_df`` as a
        share is of the background's documents (the genre), whatever the
        corpus's units. Background Documents whose ``doc_id`` is in the corpus
        are skipped, so nothing is counted twice. A generator is fine.
    docvars : str or list of str, optional
        Docvars to copy into the table as ``<name>_a`` and ``<name>_b``, such
        as ``"town"`` for :func:`~toolkit.similarity.reuse.reuse_network`.
    shingle : int, default 5
        Characters per shingle.
    num_perm : int, default 128
        MinHash signature length.
    bands : int, default 64
        LSH bands; must divide ``num_perm``. More bands (fewer rows per band)
        find more heavily edited copies and cost more candidates.
    seed : int, default 0
        Seeds the hash permutations. The result is deterministic given it.
    n_jobs : int, default 1
        Worker processes for the alignment stage. The result does not depend
        on it.
    progress : bool, default True
        Show tqdm progress bars.

    Returns
    -------
    pandas.DataFrame
        One row per passage and pair of documents; a passage in *k* documents
        gives *k(k-1)/2* rows. ``doc_a`` comes before ``doc_b`` in the corpus
        and rows are sorted by corpus position of ``doc_a``, ``doc_b``, then
        ``start_a``. Columns:

        ``doc_a``, ``doc_b`` (str)
            The two documents.
        ``start_a``, ``end_a``, ``start_b``, ``end_b`` (int)
            Character offsets of the passage in each original text.
        ``text_a``, ``text_b`` (str)
            The passage as written in each document.
        ``similarity`` (float)
            ``1 - edit``.
        ``edit`` (float)
            Levenshtein distance between the two normalised passages divided by
            the longer one's length: the share of characters edited.
        ``df`` (int)
            How many documents carry the passage: the median document
            frequency of the shingles both copies share (in the corpus and
            the ``background``).
        ``boilerplate`` (bool)
            ``df`` exceeds the ``max_df`` threshold: standard phrasing rather
            than distinctive reuse.
        ``earlier`` (str or None)
            The document with the earlier ``date``, a hint at the direction of
            copying. A document without a ``date`` is placed by its ``year``,
            and then only a different year orders the two. None when a date
            is missing or both are the same.

        followed by ``<name>_a`` and ``<name>_b`` for each of ``docvars``.

    Raises
    ------
    TypeError
        If ``corpus`` is not a Corpus or a re-iterable of Document, or
        ``progress`` is not a bool.
    ValueError
        If a parameter is out of range.
    KeyError
        If a name in ``docvars`` is not a docvar of the corpus.

    Examples
    --------
    >>> from toolkit import Corpus
    >>> para = "坚持以党建引领为核心，以网格治理、志愿服务为两翼，推动联村、联户全覆盖。"
    >>> corpus = Corpus.from_records([
    ...     {"doc_id": "a", "text": "沙棠镇" + para, "date": "2022-03-18"},
    ...     {"doc_id": "b", "text": "菱角乡今年" + para.replace("，", ","), "date": "2022-05-02"},
    ... ])
    >>> found = find_reuse(corpus, min_chars=30, progress=False)
    >>> found[["doc_a", "doc_b", "start_a", "start_b", "edit", "earlier"]]
      doc_a doc_b  start_a  start_b  edit earlier
    0     a     b        3        5   0.0       a
    """
    max_edit = _check_arguments(
        min_chars=min_chars,
        max_edit=max_edit,
        max_df=max_df,
        boilerplate=boilerplate,
        shingle=shingle,
        num_perm=num_perm,
        bands=bands,
        seed=seed,
        progress=progress,
    )
    check_positive_int("n_jobs", n_jobs)
    docs, extra = _listed(corpus, docvars)
    texts = [matching_text(d.text) for d in docs]
    hashes = [shingle_hashes(t, shingle) for t in texts]
    extra_hashes, threshold = _reference(
        background, docs, shingle=shingle, max_df=max_df, progress=progress
    )
    stride = _stride(min_chars, shingle)
    with tqdm(
        total=len(docs), desc="find_reuse: signatures", unit="doc", disable=not progress
    ) as bar:
        index = build_windows(
            hashes, k=shingle, stride=stride, num_perm=num_perm, seed=seed, progress_bar=bar
        )
    first, second = _candidates(index, bands=bands, seed=seed, progress=progress)
    df_values, df_counts = shingle_df(hashes + extra_hashes)
    groups, seeds = _pair_groups(index, first, second)
    job = _Job(
        texts=texts,
        hashes=hashes,
        df_values=df_values,
        df_counts=df_counts,
        seeds=seeds,
        shingle=shingle,
        pad=_pad(stride, shingle),
        min_chars=min_chars,
    )
    found = _run(job, groups, n_jobs, progress)

    return _passage_table(
        found, docs, extra=extra, max_edit=max_edit, boilerplate=boilerplate, threshold=threshold
    )
