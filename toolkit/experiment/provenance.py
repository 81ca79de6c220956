"""What a manifest records about where a run came from: git state, versions, hashes."""

from __future__ import annotations

import hashlib
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "blas_info", "file_sha256", "git_state", "package_versions"]

#: The distribution whose dependencies every manifest records.
DISTRIBUTION = "tifa-toolkit"


def _requirement_name(requirement: str) -> str | None:
    # "pandas>=2.0", "tomli>=2.0; python_version<'3.11'"; extras (the test tools) are
    # not what a run uses.
    if "extra ==" in requirement.replace('"', "").replace("'", ""):
        return None
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    return match.group(0) if match else None


def _packages() -> tuple[str, ...]:
    """tifa-toolkit and every direct dependency it declares, read from its metadata.

    Read, not listed by hand: a hand list missed six packages a run imports.
    """
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return (DISTRIBUTION,)
    names = (_requirement_name(r) for r in requires)
    return (DISTRIBUTION, *sorted({n for n in names if n}, key=str.lower))


#: Distributions whose versions every manifest records (``None`` when not installed).
PACKAGES: tuple[str, ...] = _packages()


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


def blas_info() -> list[dict[str, str | int | None]]:
    """The BLAS and OpenMP libraries loaded in this process, as threadpoolctl sees them.

    Sums of many floating-point products (topic models, similarities) can
    differ in their last bits between OpenBLAS, MKL and their versions or
    thread counts, so a manifest says which one ran.
    """
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "version", "num_threads", "threading_layer", "architecture")
    return [{key: info.get(key) for key in keys} for info in threadpool_info()]


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
