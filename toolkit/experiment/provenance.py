"""What a manifest records about where a run came from: git state, versions, hashes."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "file_sha256", "git_state", "package_versions"]

#: Distributions whose versions every manifest records (``None`` when not installed).
PACKAGES: tuple[str, ...] = (
    "tifa-toolkit",
    "jieba",
    "spacy",
    "scikit-learn",
    "gensim",
    "matplotlib",
    "mplfonts",
    "opencc",
    "pandas",
    "pyarrow",
    "numpy",
)


def _git(folder: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # git missing or hung: provenance is best effort, never a crash
    return out.stdout if out.returncode == 0 else None


def git_state(folder: str | Path) -> dict[str, str | bool | None]:
    """Commit and dirty flag of the git checkout holding ``folder``.

    Parameters
    ----------
    folder : str or Path
        Any folder inside the checkout (the config's folder, typically).

    Returns
    -------
    dict
        ``{"commit": sha or None, "dirty": bool or None}``; ``None`` when
        ``folder`` is not in a git checkout, git is not installed, or the
        repository has no commit yet.
    """
    folder = Path(folder)
    head = _git(folder, "rev-parse", "--verify", "HEAD")
    status = _git(folder, "status", "--porcelain")
    return {
        "commit": head.strip() if head else None,
        "dirty": None if status is None else bool(status.strip()),
    }


def package_versions() -> dict[str, str | None]:
    """Versions of Python and of :data:`PACKAGES`."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
