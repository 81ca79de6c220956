"""Write a file under a temporary name in its folder and rename it into place.

Every writer of the toolkit goes through :func:`atomic_path`, so a write that
fails, or a run stopped by Ctrl-C (``KeyboardInterrupt``) or ``SIGTERM``
(``tifa`` turns it into ``SystemExit``), leaves the old file or the complete
new one, never a truncated file. The temporary file is named
``.<name>.<random>.partial`` beside the target; a process killed with
``SIGKILL`` can leave one behind, and nothing else does.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["PARTIAL_SUFFIX", "atomic_open", "atomic_path", "partial_path"]

#: How the temporary file's name ends.
PARTIAL_SUFFIX = ".partial"


def partial_path(path: str | os.PathLike[str]) -> Path:
    """A fresh temporary name for ``path``: hidden, beside it, ending in ``.partial``."""
    p = Path(path)
    return p.with_name(f".{p.name}.{secrets.token_hex(4)}{PARTIAL_SUFFIX}")


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    Missing parent folders are created. On any exception, ``KeyboardInterrupt``
    or ``SystemExit`` the temporary file is removed and ``path`` is left as it
    was. A block that leaves no file at the temporary path (it decided there
    was nothing to write) leaves ``path`` as it was too.

    Examples
    --------
    >>> with atomic_path(tmp / "table.csv") as partial:  # doctest: +SKIP
    ...     frame.to_csv(partial)
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # Say which path, why, and what to do, not only errno's words.
        why = (
            "a file stands where a folder is needed"
            if isinstance(exc, (FileExistsError, NotADirectoryError))
            else exc.strerror or str(exc)
        )
        raise type(exc)(
            f"cannot write {str(target)!r}: its folder {str(target.parent)!r} cannot be "
            f"created ({why}); write to another folder"
        ) from exc
    partial = partial_path(target)
    # Everything after the name is chosen sits inside the try, so that a signal
    # arriving at any point (SIGTERM is a SystemExit under tifa) removes the file.
    try:
        try:
            # A probe: a folder that refuses files is named here with the target, not
            # with the temporary name the writer would fail on. Removed at once, so a
            # block that writes nothing still leaves nothing.
            partial.touch(exist_ok=False)
            partial.unlink()
        except OSError as exc:
            raise type(exc)(
                f"cannot write {str(target)!r}: its folder {str(target.parent)!r} refuses "
                f"new files ({exc.strerror or exc}); write to another folder"
            ) from exc
        yield partial
        if partial.exists():
            os.replace(partial, target)
    finally:
        # After os.replace the name is gone; otherwise this removes the half-written file.
        partial.unlink(missing_ok=True)


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """``open`` a temporary file beside ``path``; closed and renamed to ``path`` on success.

    Text modes default to UTF-8 with ``"\\n"`` line ends.
    """
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "\n")
    with atomic_path(path) as partial, open(partial, mode, **kwargs) as fh:
        yield fh
