"""The one order of docvar values: numbers as numbers, then text.

Docvars arrive as strings as often as numbers (CSV, JSONL written by other
tools), and a plain string sort puts congress 10 before congress 3. Every
table, matrix and figure that lists groups orders them with :func:`label_order`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["label_key", "label_order"]


def label_key(label: object) -> tuple[int, float, str]:
    """Sort key: numeric labels (3, "10", "2021", "1.5") by value, before all others by text."""
    text = str(label)
    try:
        number = float(text)
    except ValueError:
        return (1, 0.0, text)
    if math.isnan(number):
        return (1, 0.0, text)
    return (0, number, text)


def label_order(labels: Iterable[object]) -> list[str]:
    """The distinct labels as strings, in :func:`label_key` order.

    >>> label_order(["10", "3", "20", "9"])
    ['3', '9', '10', '20']
    >>> label_order(["乙", "2", "甲", "11"])
    ['2', '11', '乙', '甲']
    """
    return sorted({str(v) for v in labels}, key=label_key)
