"""Checks and per-term splits shared by the analyses of an adoptions table."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check_adoptions", "per_term", "term_rng"]


def check_adoptions(adoptions: Any, who: str) -> pd.DataFrame:
    """Raise unless ``adoptions`` is a table as :func:`adoptions` returns it."""
    from toolkit.diffusion.adoption import ADOPTION_COLUMNS

    if not isinstance(adoptions, pd.DataFrame):
        raise TypeError(
            f"{who}: adoptions must be a pandas.DataFrame, as toolkit.diffusion.adoptions "
            f"returns (got {type(adoptions).__name__})"
        )
    missing = [c for c in ADOPTION_COLUMNS if c not in adoptions.columns]
    if missing:
        raise ValueError(
            f"{who}: adoptions is missing column(s) {missing}, which "
            f"toolkit.diffusion.adoptions returns; columns present: {list(adoptions.columns)}"
        )
    return adoptions


Term = tuple[str, pd.DataFrame, pd.DataFrame, "int | None"]


def per_term(adoptions: pd.DataFrame) -> Iterator[Term]:
    """Each term's key, its reference rows, its unit rows and the reference's first use."""
    for key, group in adoptions.groupby("key", sort=False):
        ref = group[group["reference"]]
        units = group[~group["reference"]]
        firsts = ref["first_time"].dropna()
        reference_first = int(firsts.min()) if len(firsts) else None
        yield str(key), ref, units, reference_first


def term_rng(seed: int, key: str) -> np.random.Generator:
    """A generator for one term: the same draws whatever the other terms are."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])
