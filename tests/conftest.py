"""Shared fixtures: the path to ../shared (real corpora), skipped cleanly when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_root() -> Path:
    """``$TIFA_SHARED`` if set, else ``../shared`` beside the checkout."""
    env = os.environ.get("TIFA_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    root = shared_root()
    if not (root / "data").is_dir():
        pytest.skip(f"shared data not found at {root} (set TIFA_SHARED to point at it)")
    return root


@pytest.fixture(scope="session")
def seed_page(shared: Path) -> Path:
    page = shared / "seeds" / "000_06ec6037ffd34e66.txt"
    if not page.is_file():
        pytest.skip(f"seed page not found at {page}")
    return page


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
