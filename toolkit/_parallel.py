"""The one way the toolkit runs work in worker processes.

Every parallel step (segmenting, detecting terms, choosing K, top-k
neighbours, aligning reuse candidates) needs the same thing: a pool whose
workers each hold one read-only object (a fitted estimator, a matrix, the
texts) and receive only small tasks. On Linux the pool forks, so that object
reaches the workers by copy-on-write memory, and the parent's loaded modules
come for free; elsewhere it is pickled once per worker, never once per task.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

__all__ = ["process_pool", "worker_state"]

_STATE: dict[str, Any] = {}


def _install(state: Any, setup: Callable[[Any], Any] | None) -> None:
    _STATE["value"] = setup(state) if setup is not None else state


@contextmanager
def process_pool(
    n_jobs: int, *, state: Any = None, setup: Callable[[Any], Any] | None = None
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``n_jobs`` processes whose workers each hold ``state``.

    Parameters
    ----------
    n_jobs : int
        Worker processes.
    state : object, optional
        What every worker reads through :func:`worker_state`. With fork it is
        not pickled at all; with spawn it must pickle.
    setup : callable, optional
        Run once in each worker on ``state``; :func:`worker_state` then returns
        its result. For what cannot cross a process boundary (a compiled
        segmentation engine), ``state`` is a small recipe and ``setup`` builds
        the real thing on the other side.
    """
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    with ProcessPoolExecutor(
        max_workers=n_jobs, mp_context=context, initializer=_install, initargs=(state, setup)
    ) as pool:
        yield pool


def worker_state() -> Any:
    """The object :func:`process_pool` gave this worker (call it inside a task)."""
    try:
        return _STATE["value"]
    except KeyError:
        raise RuntimeError("worker_state() called outside a process_pool worker") from None
