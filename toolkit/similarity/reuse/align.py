"""Local alignment of candidate regions: compiled edit paths, scored and trimmed.

A Smith–Waterman written in Python manages a handful of pairs a second, far
too few for a corpus. Instead the edit path between two short regions comes
from rapidfuzz's compiled Levenshtein (:func:`rapidfuzz.distance.Levenshtein.opcodes`),
and only its few opcode *blocks* are walked in Python: matches score +1,
substitutions -1, a gap costs :data:`GAP_OPEN` plus :data:`GAP_EXTEND` per
character. The best-scoring stretches of that path (Kadane's maximum-sum
segments, closed when the score falls :data:`X_DROP` below its best, as in
BLAST) are the shared passages. Inserted clauses and swapped place names cost
a little and are bridged; unrelated text on either side drives the score down
and is trimmed. A passage that runs into the edge of its region makes the
region grow, so the window size of the candidate step does not cap the
passage length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from rapidfuzz.distance import Levenshtein

__all__ = ["GAP_EXTEND", "GAP_OPEN", "X_DROP", "Segment", "align_regions", "local_segments"]

#: Score of opening a gap (an inserted or deleted run of characters).
GAP_OPEN = -1.0
#: Score per inserted or deleted character; an inserted 20-character clause costs 11.
GAP_EXTEND = -0.5
#: A passage is closed once its running score is this far below its best.
X_DROP = 25.0

# Shorter stretches are chance matches of a character or two; longer ones, even
# when too short to report, mark their seeds as examined.
_EXAMINED = 8.0

# Marks that end a sentence: a passage does not start with one.
_LEADING = frozenset("。！？；，、.!?;,")

#: ``(start_a, end_a, start_b, end_b)`` in document offsets.
Segment = tuple[int, int, int, int]


def local_segments(a: str, b: str, *, x_drop: float = X_DROP) -> list[tuple[Segment, float]]:
    """Best-scoring stretches of the Levenshtein path between ``a`` and ``b``.

    Parameters
    ----------
    a, b : str
        The two regions.
    x_drop : float
        Close a stretch once its score falls this far below its best.

    Returns
    -------
    list of (segment, score)
        Offsets relative to ``a`` and ``b``. Every stretch starts and ends on
        matching characters.
    """
    found: list[tuple[Segment, float]] = []
    start: tuple[int, int] | None = None
    end = (0, 0)
    score = best = 0.0
    # rapidfuzz types the rows loosely; they are (tag, i1, i2, j1, j2).
    ops = cast("list[tuple[str, int, int, int, int]]", Levenshtein.opcodes(a, b).as_list())
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            if start is None:
                start, score, best = (i1, j1), 0.0, 0.0
            score += i2 - i1
            if score > best:
                best, end = score, (i2, j2)
            continue
        if start is None:
            continue
        la, lb = i2 - i1, j2 - j1
        gap = abs(la - lb)
        score -= min(la, lb)
        if gap:
            score += GAP_OPEN + GAP_EXTEND * gap
        if score <= 0 or best - score > x_drop:
            found.append(((start[0], end[0], start[1], end[1]), best))
            start = None
    if start is not None:
        found.append(((start[0], end[0], start[1], end[1]), best))
    return found


def _trim(a: str, b: str, segment: Segment) -> Segment:
    """Drop the end of the previous sentence and surrounding whitespace from a passage.

    Both copies usually share the ``。`` and line break before a reused
    sentence; they belong to the sentence before it.
    """
    a0, a1, b0, b1 = segment
    while a0 < a1 and b0 < b1 and a[a0] == b[b0] and (a[a0] in _LEADING or a[a0].isspace()):
        a0, b0 = a0 + 1, b0 + 1
    while a1 > a0 and b1 > b0 and a[a1 - 1] == b[b1 - 1] and a[a1 - 1].isspace():
        a1, b1 = a1 - 1, b1 - 1
    return a0, a1, b0, b1


def _overlaps(x: Segment, y: Segment) -> bool:
    return x[0] < y[1] and y[0] < x[1] and x[2] < y[3] and y[2] < x[3]


def _grow_and_align(
    a: str, b: str, box: Segment, *, reach: int, min_score: float
) -> tuple[list[tuple[Segment, float]], list[Segment]]:
    """Align ``box``, widening it while a passage ends within ``reach`` of one of its edges.

    The edit path is global over the box, so a passage must end well inside it
    for the rest of the path (unrelated text forced into alignment) not to
    distort it; in particular, a clause inserted into one copy needs room in
    that copy's box alone. Hence "near the edge" means within ``reach``, not
    touching it.

    Returns the stretches scoring at least ``min_score``, and every stretch
    worth remembering as already examined (see :meth:`_Examined.covers`).
    """
    a0, a1, b0, b1 = box
    step = reach
    while True:
        stretches = [
            ((s[0] + a0, s[1] + a0, s[2] + b0, s[3] + b0), score)
            for s, score in local_segments(a[a0:a1], b[b0:b1])
            if score >= _EXAMINED
        ]
        found = [(s, score) for s, score in stretches if score >= min_score]
        left = any(
            (s[0] - a0 < reach and a0 > 0) or (s[2] - b0 < reach and b0 > 0) for s, _ in found
        )
        right = any(
            (a1 - s[1] < reach and a1 < len(a)) or (b1 - s[3] < reach and b1 < len(b))
            for s, _ in found
        )
        if not (left or right):
            return found, [s for s, _ in stretches]
        if left:
            a0, b0 = max(0, a0 - step), max(0, b0 - step)
        if right:
            a1, b1 = min(len(a), a1 + step), min(len(b), b1 + step)
        # Doubling keeps a long passage to a logarithmic number of re-alignments.
        step *= 2


def _union_overlapping(segments: list[Segment]) -> list[list[Segment]]:
    """Group segments that overlap in both documents (transitively)."""
    groups: list[list[Segment]] = []
    for seg in sorted(segments):
        touching = [g for g in groups if any(_overlaps(seg, other) for other in g)]
        merged = [seg]
        for g in touching:
            merged.extend(g)
            groups.remove(g)
        groups.append(merged)
    return groups


class _Examined:
    """Aligned stretches, binned by position in ``a`` so a seed checks only its neighbours."""

    def __init__(self, width: int) -> None:
        self.width = max(1, width)
        self.bins: dict[int, list[Segment]] = {}

    def add(self, stretch: Segment) -> None:
        for k in range(stretch[0] // self.width, (stretch[1] - 1) // self.width + 1):
            self.bins.setdefault(k, []).append(stretch)

    def covers(self, seed: Segment) -> bool:
        """Whether an aligned stretch explains ``seed``, so aligning it again is wasted.

        It does when the stretch fills half of both windows of the seed or, if
        it is shorter than that, lies at least half inside both of them: a
        stock phrase too short to report makes every window pair that holds it
        a candidate, and only the first of them needs aligning.
        """
        half_a, half_b = (seed[1] - seed[0]) / 2, (seed[3] - seed[2]) / 2
        for k in range(seed[0] // self.width, (seed[1] - 1) // self.width + 1):
            for s in self.bins.get(k, ()):
                if min(seed[1], s[1]) - max(seed[0], s[0]) >= min(
                    half_a, (s[1] - s[0]) / 2
                ) and min(seed[3], s[3]) - max(seed[2], s[2]) >= min(half_b, (s[3] - s[2]) / 2):
                    return True
        return False


def align_regions(
    a: str, b: str, seeds: Sequence[Segment], *, pad: int, min_chars: int
) -> list[Segment]:
    """Shared passages of ``a`` and ``b`` grown from candidate ``seeds``.

    Parameters
    ----------
    a, b : str
        The two (matching-normalised) document texts.
    seeds : sequence of segment
        Candidate regions, e.g. windows whose MinHash signatures collided,
        strongest first: a seed that an earlier alignment already explains
        (see :meth:`_Examined.covers`) is skipped, so the best seeds decide.
    pad : int
        Scale of the search, normally the seed (window) length. A seed is
        aligned with ``pad // 2`` characters of context on each side; a
        passage must then end more than ``pad`` plus the longest gap the
        scoring bridges (:data:`X_DROP` over :data:`GAP_EXTEND`) inside its
        region, or the region grows.
    min_chars : int
        Shortest passage kept, in characters, counting the longer copy.

    Returns
    -------
    list of segment
        Passages sorted by position in ``a``; no two overlap in both documents.
    """
    # Half the minimum length in score is a cheap first filter; length and
    # edit share are checked on the final passages.
    min_score = min_chars / 2
    reach = pad + int(X_DROP / -GAP_EXTEND)
    # Seeds start small: most share only a stock phrase, shown up as such by a
    # cheap alignment; a real passage then grows its region to ``reach``.
    margin = max(1, pad // 2)
    found: list[Segment] = []
    examined = _Examined(pad)
    for a0, a1, b0, b1 in seeds:
        seed = (a0, a1, b0, b1)
        if examined.covers(seed):
            continue
        # Each seed is aligned on its own: one region spanning seeds on
        # different diagonals would force a global path through unrelated text.
        box = (
            max(0, a0 - margin),
            min(len(a), a1 + margin),
            max(0, b0 - margin),
            min(len(b), b1 + margin),
        )
        passages, stretches = _grow_and_align(a, b, box, reach=reach, min_score=min_score)
        found.extend(s for s, _ in passages)
        for stretch in stretches:
            examined.add(stretch)
    # Seeds inside one passage but on either side of an edit can each report
    # part of it: align the union of overlapping parts once more.
    segments: set[Segment] = set()
    for group in _union_overlapping(found):
        if len(group) == 1:
            segments.add(group[0])
            continue
        box = (
            min(s[0] for s in group),
            max(s[1] for s in group),
            min(s[2] for s in group),
            max(s[3] for s in group),
        )
        passages, _ = _grow_and_align(a, b, box, reach=reach, min_score=min_score)
        segments.update(s for s, _ in passages)
    trimmed = {_trim(a, b, s) for s in segments}
    return sorted(s for s in trimmed if max(s[1] - s[0], s[3] - s[2]) >= min_chars)
