"""Character shingles, windowed MinHash signatures and LSH banding, in numpy.

Candidate generation for :func:`~toolkit.similarity.reuse.find_reuse`. A whole
government report shares too small a share of its text with any other for a
document-level MinHash to notice a reused paragraph, so each document is cut
into short overlapping *windows* and every window gets its own signature.
Windows that collide in at least one LSH band, and whose signatures agree on
enough positions, become candidate window pairs; only the document pairs they
name are ever aligned.

Everything is seeded: the same texts, parameters and ``seed`` give the same
hashes, signatures and candidates on every machine (all arithmetic is unsigned
64-bit and wraps, which numpy does identically everywhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.normalize import normalize

__all__ = [
    "WindowIndex",
    "build_windows",
    "concat_windows",
    "lsh_candidates",
    "matching_text",
    "merge_shingle_df",
    "shingle_df",
    "shingle_hashes",
]

_U64 = np.uint64
# Odd multiplier for the polynomial rolling hash over code points.
_BASE = _U64(0x100000001B3)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)


def matching_text(text: str) -> str:
    """Return ``text`` normalised for matching, with every character at its original offset.

    Uses :func:`toolkit.normalize.normalize` with only its length-preserving
    steps (full-width forms, quotes, ASCII punctuation in Chinese context), so
    ``,`` and ``，`` or ``"`` and ``“`` no longer break a shingle, while an
    offset in the result is the same offset in ``text``. Whitespace collapsing
    and control-character removal are off because they shift offsets.
    """
    out = normalize(text, controls=False, whitespace=False)
    # The three steps promise equal length; fall back to the raw text rather
    # than report offsets that would not slice the original.
    return out if len(out) == len(text) else text


def _mix(x: np.ndarray) -> np.ndarray:
    # splitmix64 finaliser: spreads every input bit over the whole word, so the
    # cheap multiply-add permutations below see well-distributed values.
    x = x ^ (x >> _U64(30))
    x = x * _MIX1
    x = x ^ (x >> _U64(27))
    x = x * _MIX2
    return x ^ (x >> _U64(31))


def shingle_hashes(text: str, k: int) -> np.ndarray:
    """64-bit hashes of every character ``k``-gram of ``text``, in text order.

    Parameters
    ----------
    text : str
        Usually the output of :func:`matching_text`.
    k : int
        Shingle length in characters.

    Returns
    -------
    numpy.ndarray of uint64
        ``max(0, len(text) - k + 1)`` values; entry ``i`` hashes ``text[i:i + k]``.
    """
    n = len(text) - k + 1
    if n <= 0:
        return np.empty(0, dtype=_U64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    h = np.zeros(n, dtype=_U64)
    for t in range(k):
        h = h * _BASE + codes[t : t + n]
    return _mix(h)


@dataclass(frozen=True)
class WindowIndex:
    """MinHash signatures of every window of every document.

    Attributes
    ----------
    doc : numpy.ndarray of int64
        Position of each window's document in the corpus.
    start, end : numpy.ndarray of int64
        Character span of each window in its document.
    signature : numpy.ndarray of uint32, shape (n_windows, num_perm)
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    signature: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**63, size=num_perm, dtype=np.int64).astype(_U64) * _U64(2) + _U64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.int64).astype(_U64)
    return a, b


def build_windows(
    hashes: list[np.ndarray],
    *,
    k: int,
    stride: int,
    num_perm: int,
    seed: int,
    progress_bar: Any = None,
) -> WindowIndex:
    """Sign windows of ``2 * stride`` shingles that start every ``stride`` shingles.

    A window's signature is the element-wise minimum of its two blocks'
    signatures, so each shingle is permuted once, not once per window it sits in.

    Parameters
    ----------
    hashes : list of numpy.ndarray
        :func:`shingle_hashes` of each document.
    k : int
        The shingle length the hashes were made with (for character spans).
    stride : int
        Shingles per block; windows are two consecutive blocks.
    num_perm : int
        Signature length.
    seed : int
        Seeds the permutations.
    progress_bar : tqdm, optional
        Advanced by one per document.
    """
    a, b = _permutations(num_perm, seed)
    pieces: list[WindowIndex] = []
    for d, h in enumerate(hashes):
        if progress_bar is not None:
            progress_bar.update(1)
        n = len(h)
        if n == 0:
            continue
        block_starts = np.arange(0, n, stride, dtype=np.int64)
        # Chunk rows so a 30,000-character report never needs more than ~16 MB.
        blocks = np.empty((len(block_starts), num_perm), dtype=np.uint32)
        per_chunk = max(1, 16_000 // stride)
        for c in range(0, len(block_starts), per_chunk):
            lo = block_starts[c]
            hi = block_starts[min(c + per_chunk, len(block_starts)) - 1] + stride
            # Keep the top 32 bits of each permuted hash: half the memory, and
            # a chance collision (2**-32) does not move a Jaccard estimate.
            values = ((h[lo:hi, None] * a[None, :] + b[None, :]) >> _U64(32)).astype(np.uint32)
            blocks[c : c + per_chunk] = np.minimum.reduceat(
                values, block_starts[c : c + per_chunk] - lo, axis=0
            )
        if len(blocks) == 1:
            window_sig = blocks
            window_start = np.array([0], dtype=np.int64)
            window_end = np.array([n + k - 1], dtype=np.int64)
        else:
            window_sig = np.minimum(blocks[:-1], blocks[1:])
            window_start = block_starts[:-1]
            window_end = np.minimum(block_starts[:-1] + 2 * stride, n) + k - 1
        pieces.append(
            WindowIndex(
                np.full(len(window_sig), d, dtype=np.int64), window_start, window_end, window_sig
            )
        )
    return concat_windows(pieces, num_perm=num_perm)


def concat_windows(
    indexes: Sequence[WindowIndex], *, num_perm: int, doc_offsets: Sequence[int] | None = None
) -> WindowIndex:
    """One index of the windows of several, in order.

    Parameters
    ----------
    indexes : sequence of WindowIndex
    num_perm : int
        Signature length (the width of an empty result).
    doc_offsets : sequence of int, optional
        Added to the document numbers of each index: the position of its first
        document in the whole corpus, when each was built on a part of it.

    Returns
    -------
    WindowIndex
        What :func:`build_windows` gives for all their documents at once.
    """
    if doc_offsets is not None:
        indexes = [
            WindowIndex(part.doc + offset, part.start, part.end, part.signature)
            for part, offset in zip(indexes, doc_offsets, strict=True)
        ]
    if not indexes:
        empty = np.empty(0, dtype=np.int64)
        return WindowIndex(empty, empty, empty, np.empty((0, num_perm), dtype=np.uint32))
    return WindowIndex(
        np.concatenate([part.doc for part in indexes]),
        np.concatenate([part.start for part in indexes]),
        np.concatenate([part.end for part in indexes]),
        np.concatenate([part.signature for part in indexes]),
    )


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    # Plain sort and compare: numpy's hash-based np.unique is several times
    # slower on the tens of millions of int64 pair keys a large corpus yields.
    values = np.sort(values)
    if len(values) == 0:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _pairs_within_groups(order: np.ndarray, group_start: np.ndarray, sizes: np.ndarray):
    """All index pairs (i < j in ``order``) inside each group of a sorted array."""
    firsts, seconds = [], []
    small = sizes <= 64
    # Small groups: one vectorised pass per offset d pairs member s with s + d.
    if small.any():
        starts = group_start[small]
        lens = sizes[small]
        for d in range(1, int(lens.max())):
            ok = lens > d
            if not ok.any():
                break
            s, m = starts[ok], lens[ok]
            # Every member position p with p + d still inside the group.
            counts = m - d
            base = np.repeat(s, counts)
            offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            firsts.append(order[base + offset])
            seconds.append(order[base + offset + d])
    # Large groups (boilerplate windows seen in many documents): triangle indices.
    for s, m in zip(group_start[~small], sizes[~small], strict=True):
        i, j = np.triu_indices(int(m), k=1)
        firsts.append(order[s + i])
        seconds.append(order[s + j])
    if not firsts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(firsts), np.concatenate(seconds)


def lsh_candidates(
    index: WindowIndex, *, bands: int, min_jaccard: float, seed: int, progress_bar: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Window pairs from different documents that collide in a band and look similar.

    Parameters
    ----------
    index : WindowIndex
    bands : int
        Number of LSH bands; ``num_perm // bands`` rows each.
    min_jaccard : float
        Keep a colliding pair only if the share of equal signature positions
        (the MinHash estimate of their Jaccard similarity) reaches this. Bands
        of two rows let edited copies through; this check drops the many
        windows that merely share one stock phrase.
    seed : int
        Seeds the band-key hash.
    progress_bar : tqdm, optional
        Advanced by one per band.

    Returns
    -------
    first, second : numpy.ndarray of int64
        Window numbers, ``index.doc[first] < index.doc[second]``, without repeats.
    agreement : numpy.ndarray of float64
        Share of equal signature positions. Rows are sorted by document of
        ``first``, document of ``second``, then agreement (highest first),
        ``first`` and ``second``.
    """
    n, num_perm = index.signature.shape
    rows = num_perm // bands
    empty = np.empty(0, dtype=np.int64)
    if n < 2:
        return empty, empty, np.empty(0, dtype=np.float64)
    raw = np.random.default_rng(seed + 1).integers(0, 2**63, size=rows, dtype=np.int64)
    mult = raw.astype(_U64) * _U64(2) + _U64(1)
    keys_seen: list[np.ndarray] = []
    held = 0
    for band in range(bands):
        if progress_bar is not None:
            progress_bar.update(1)
        block = index.signature[:, band * rows : (band + 1) * rows]
        key = _mix((block.astype(_U64) * mult[None, :]).sum(axis=1, dtype=_U64) + _U64(band))
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        boundary = np.flatnonzero(np.diff(sorted_key)) + 1
        group_start = np.concatenate(([0], boundary))
        sizes = np.diff(np.concatenate((group_start, [n])))
        multi = sizes > 1
        first, second = _pairs_within_groups(order, group_start[multi], sizes[multi])
        if len(first) == 0:
            continue
        keep = index.doc[first] != index.doc[second]
        first, second = first[keep], second[keep]
        lo, hi = np.minimum(first, second), np.maximum(first, second)
        keys_seen.append(_sorted_unique(lo * n + hi))
        held += len(keys_seen[-1])
        # Copies of one passage collide in most bands: collapse the repeats
        # only when memory calls for it, since each collapse re-sorts them all.
        if held > 50_000_000:
            keys_seen = [_sorted_unique(np.concatenate(keys_seen))]
            held = len(keys_seen[0])
    if not keys_seen:
        return empty, empty, np.empty(0, dtype=np.float64)
    pair_keys = _sorted_unique(np.concatenate(keys_seen))
    first, second = pair_keys // n, pair_keys % n
    # Windows are numbered document by document, so first < second already
    # puts the lower document first.
    agree = np.empty(len(first), dtype=np.float64)
    for c in range(0, len(first), 50_000):
        sl = slice(c, c + 50_000)
        agree[sl] = (index.signature[first[sl]] == index.signature[second[sl]]).mean(axis=1)
    keep = agree >= min_jaccard
    first, second, agree = first[keep], second[keep], agree[keep]
    order = np.lexsort((second, first, -agree, index.doc[second], index.doc[first]))
    return first[order], second[order], agree[order]


def shingle_df(hashes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Document frequency of every shingle hash in the corpus.

    Returns
    -------
    values, counts : numpy.ndarray
        Sorted distinct hashes and the number of documents holding each.
    """
    if not hashes:
        return np.empty(0, dtype=_U64), np.empty(0, dtype=np.int64)
    distinct = np.concatenate([np.unique(h) for h in hashes])
    values, counts = np.unique(distinct, return_counts=True)
    return values, counts.astype(np.int64)


def merge_shingle_df(
    parts: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """Add up the :func:`shingle_df` of disjoint sets of documents.

    Parameters
    ----------
    parts : sequence of (values, counts)
        Each set's sorted distinct hashes and document counts.

    Returns
    -------
    values, counts : numpy.ndarray
        What :func:`shingle_df` gives for all the documents at once.

    Examples
    --------
    >>> import numpy as np
    >>> one = shingle_df([np.array([3, 1], dtype=np.uint64)])
    >>> two = shingle_df([np.array([3], dtype=np.uint64), np.array([2, 3], dtype=np.uint64)])
    >>> [a.tolist() for a in merge_shingle_df([one, two])]
    [[1, 2, 3], [1, 1, 3]]
    """
    if not parts:
        return np.empty(0, dtype=_U64), np.empty(0, dtype=np.int64)
    values = np.concatenate([np.asarray(v, dtype=_U64) for v, _ in parts])
    counts = np.concatenate([np.asarray(c, dtype=np.int64) for _, c in parts])
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    if len(values) == 0:
        return values, counts
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.add.reduceat(counts, starts).astype(np.int64)
