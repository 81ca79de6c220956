"""Place names a document's docvars give it (town, county, province …), and their stems.

Term detection must never report them as terms, and topic models should not
learn "this town" as a topic, so both read them from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["PLACE_SUFFIXES", "place_names"]

#: Last characters of an administrative place name.
PLACE_SUFFIXES = "省市县区镇乡村街道旗盟州"


def place_names(metas: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> set[str]:
    """Docvar values that name places, plus each name without its level (沙棠镇 → 沙棠).

    Parameters
    ----------
    metas : mapping or iterable of mappings
        One document's docvars, or several documents'.

    Examples
    --------
    >>> sorted(place_names({"town": "沙棠镇", "county": "苇川县", "year": 2022}))
    ['沙棠', '沙棠镇', '苇川', '苇川县']
    """
    if isinstance(metas, Mapping):
        metas = [metas]
    names: set[str] = set()
    for meta in metas:
        for value in meta.values():
            if isinstance(value, str) and 2 <= len(value) <= 12 and value[-1] in PLACE_SUFFIXES:
                names.add(value)
                stem = value[:-2] if value.endswith("街道") else value[:-1]
                if len(stem) >= 2:
                    names.add(stem)
    return names
