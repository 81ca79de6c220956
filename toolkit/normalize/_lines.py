"""Apply a per-line rewrite while keeping every line break exactly as it was."""

from __future__ import annotations

import re
from collections.abc import Callable

from toolkit.normalize.chars import LINE_BREAK_PATTERN

__all__ = ["map_lines"]

_SPLIT_KEEPING_BREAKS = re.compile(f"({LINE_BREAK_PATTERN})")


def map_lines(rewrite: Callable[[str], str], text: str) -> str:
    """Return ``text`` with ``rewrite`` applied to each line; breaks are untouched.

    Lines are delimited by :data:`~toolkit.normalize.chars.LINE_BREAK_PATTERN`, the
    same definition :func:`~toolkit.normalize.collapse_whitespace` uses, so a rule
    that looks at "end of line" decides the same way before and after line breaks
    are normalised.
    """
    parts = _SPLIT_KEEPING_BREAKS.split(text)
    # re.split with one capturing group alternates line, break, line, ...
    parts[::2] = [rewrite(line) for line in parts[::2]]
    return "".join(parts)
