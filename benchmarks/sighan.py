"""Word-segmentation scoring in the sense of the SIGHAN 2005 bakeoff's ``score`` script.

A word is a span of character offsets. Precision is the share of system spans
that are gold spans, recall the share of gold spans the system found, and
F1 = 2PR/(P+R), all counted over the whole test set at once (not averaged by
line). Offsets run over the non-whitespace characters of the whole file, so a
gold file whose line breaks drift from the input's (MSR moves some quotation
marks to the previous line) still scores correctly, as with the official
script, which diffs the two word sequences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Score", "gold_words", "score_words", "segment_file", "test_lines"]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    n_gold: int
    n_system: int
    n_correct: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_gold": self.n_gold,
            "n_system": self.n_system,
            "n_correct": self.n_correct,
        }


def _spans(words: Iterable[str]) -> tuple[set[tuple[int, int]], str]:
    spans: set[tuple[int, int]] = set()
    chars: list[str] = []
    pos = 0
    for word in words:
        # Whitespace is not part of any word (raw-mode tokens keep it).
        word = "".join(word.split())
        if not word:
            continue
        spans.add((pos, pos + len(word)))
        chars.append(word)
        pos += len(word)
    return spans, "".join(chars)


def score_words(gold: Iterable[str], system: Iterable[str]) -> Score:
    """Score a system's word sequence against the gold word sequence of the same text."""
    gold_spans, gold_text = _spans(gold)
    sys_spans, sys_text = _spans(system)
    if gold_text != sys_text:
        at = next(
            (i for i, (a, b) in enumerate(zip(gold_text, sys_text, strict=False)) if a != b),
            min(len(gold_text), len(sys_text)),
        )
        raise ValueError(
            f"system output does not spell the gold text: they differ at character {at} "
            f"(gold {gold_text[at : at + 20]!r}, system {sys_text[at : at + 20]!r})"
        )
    correct = len(gold_spans & sys_spans)
    p = correct / len(sys_spans) if sys_spans else 0.0
    r = correct / len(gold_spans) if gold_spans else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f1, len(gold_spans), len(sys_spans), correct)


def test_lines(path: Path) -> list[str]:
    """The lines of an unsegmented test file (trailing newline dropped)."""
    return path.read_text(encoding="utf-8").splitlines()


def gold_words(path: Path) -> list[str]:
    """The gold words of a segmented file, in order."""
    return path.read_text(encoding="utf-8").split()


def segment_file(lines: Iterable[str], cut: Callable[[str], list[str]]) -> list[str]:
    """Segment each line on its own and concatenate the words."""
    words: list[str] = []
    for line in lines:
        words.extend(cut(line))
    return words
