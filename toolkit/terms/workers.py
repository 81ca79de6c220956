"""The term detector's work in worker processes: rank batches of texts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit._parallel import worker_state

if TYPE_CHECKING:
    from toolkit.terms.detector import TermDetector

__all__ = ["rank_texts"]


def rank_texts(texts: list[str], top: int | None, keep_known: bool) -> list[list[dict[str, Any]]]:
    detector: TermDetector = worker_state()
    return [detector._ranked_text(text, top=top, keep_known=keep_known) for text in texts]
