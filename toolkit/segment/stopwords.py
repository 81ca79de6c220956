"""Stopword lists written by the project: general Chinese, and bureaucratic filler."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path

from toolkit._validation import check_choice

__all__ = ["STOPWORD_LISTS", "load_stopwords"]

#: Built-in lists: ``general`` (function words) and ``filler`` (进一步, 切实, 扎实 …).
STOPWORD_LISTS = ("general", "filler")


@cache
def _builtin(name: str) -> frozenset[str]:
    path = files("toolkit") / "data" / f"stopwords_{name}.txt"
    with path.open(encoding="utf-8") as fh:
        return frozenset(
            line.strip() for line in fh if line.strip() and not line.lstrip().startswith("#")
        )


def load_stopwords(lists: Iterable[str | Path] = STOPWORD_LISTS) -> frozenset[str]:
    """Union of stopword lists.

    Parameters
    ----------
    lists : iterable of str or Path
        Built-in names (``'general'``, ``'filler'``) or paths to files with one
        word per line. An empty iterable gives no stopwords.
    """
    if isinstance(lists, (str, Path)):
        lists = [lists]
    words: set[str] = set()
    for item in lists:
        if isinstance(item, str) and item in STOPWORD_LISTS:
            words |= _builtin(item)
        elif isinstance(item, Path) or (isinstance(item, str) and ("/" in item or "." in item)):
            path = Path(item)
            if not path.is_file():
                raise FileNotFoundError(f"stopword file not found: {str(path)!r}")
            words |= {
                w.strip()
                for w in path.read_text(encoding="utf-8-sig").splitlines()
                if w.strip() and not w.startswith("#")
            }
        else:
            check_choice("stopwords", item, STOPWORD_LISTS)
    return frozenset(words)
