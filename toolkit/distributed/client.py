"""Where the work runs: a Dask client on a local cluster or on an existing scheduler.

``--scheduler local:N`` starts a :class:`distributed.LocalCluster` of ``N``
worker processes on this machine; ``--scheduler tcp://HOST:PORT`` connects to a
scheduler that is already running (a SLURM or Kubernetes cluster, say). Dask
is imported only when a client is made, so ``import toolkit`` stays light.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit._validation import check_positive_int

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["SCHEDULER_FORMS", "SchedulerSpec", "dask_client", "parse_scheduler"]

#: Dask keeps each connection's last ``low-level-log-length`` messages under 1 MB for
#: debugging (1,000 by default). A task carries its partition's texts, so the client
#: and a local scheduler kept the texts of the last 1,000 partitions: 2.8 GB of client
#: on a 1 GB corpus. A few are enough to debug with.
MESSAGE_LOG_LENGTH = 10

# What a local worker process imports as it starts (see toolkit.distributed.preload).
_WORKER_MODULE = "toolkit.distributed.preload"

#: The forms ``--scheduler`` accepts.
SCHEDULER_FORMS = ("local:N", "tcp://HOST:PORT")

_LOCAL = re.compile(r"local:(?P<n>.*)")
_TCP = re.compile(r"tcp://(?P<host>\[[0-9A-Fa-f:]+\]|[^:/\s\[\]]+):(?P<port>[^:/\s]*)")


@dataclass(frozen=True)
class SchedulerSpec:
    """A parsed ``--scheduler`` value.

    Attributes
    ----------
    address : str or None
        ``tcp://HOST:PORT`` of an existing scheduler, or None for a local cluster.
    n_workers : int or None
        Worker processes of the local cluster (None when ``address`` is set).
    """

    address: str | None = None
    n_workers: int | None = None


def _forms() -> str:
    return ", ".join(repr(f) for f in SCHEDULER_FORMS)


def parse_scheduler(value: str) -> SchedulerSpec:
    """Parse ``'local:N'`` or ``'tcp://HOST:PORT'``.

    Parameters
    ----------
    value : str

    Returns
    -------
    SchedulerSpec

    Raises
    ------
    ValueError
        Naming the value and the accepted forms.

    Examples
    --------
    >>> parse_scheduler("local:2")
    SchedulerSpec(address=None, n_workers=2)
    >>> parse_scheduler("tcp://10.0.0.5:8786").address
    'tcp://10.0.0.5:8786'
    """
    if not isinstance(value, str):
        raise TypeError(
            f"scheduler must be a str, one of {_forms()} (got {type(value).__name__}: {value!r})"
        )
    local = _LOCAL.fullmatch(value)
    if local is not None:
        n = local["n"]
        if not n.isdigit() or int(n) < 1:
            raise ValueError(
                f"scheduler {value!r}: N in 'local:N' must be a whole number >= 1 (got {n!r})"
            )
        return SchedulerSpec(n_workers=int(n))
    tcp = _TCP.fullmatch(value)
    if tcp is not None:
        port = tcp["port"]
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(
                f"scheduler {value!r}: PORT in 'tcp://HOST:PORT' must be a number "
                f"from 1 to 65535 (got {port!r})"
            )
        return SchedulerSpec(address=value)
    raise ValueError(f"scheduler must be one of {_forms()} (got {value!r})")


@contextmanager
def dask_client(
    scheduler: str | Client | None = None,
    *,
    n_workers: int = 2,
    processes: bool = True,
    threads_per_worker: int = 1,
) -> Iterator[Client]:
    """A Dask client for the length of a ``with`` block.

    Parameters
    ----------
    scheduler : str, distributed.Client or None
        None starts a local cluster of ``n_workers``; ``'local:N'`` starts one
        of ``N`` workers; ``'tcp://HOST:PORT'`` connects to that scheduler; a
        client is used as it is (and left open).
    n_workers : int
        Workers of the local cluster when ``scheduler`` is None.
    processes : bool
        Local workers are processes (True: segmentation runs in parallel) or
        threads of this process (False: quick to start, for tests and notebooks).
    threads_per_worker : int
        Threads of each local worker.

    Yields
    ------
    distributed.Client
        Closed on exit, with the local cluster it started.
    """
    check_positive_int("n_workers", n_workers)
    check_positive_int("threads_per_worker", threads_per_worker)
    import dask
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    spec = SchedulerSpec(n_workers=n_workers) if scheduler is None else parse_scheduler(scheduler)
    short_log = {"distributed.admin.low-level-log-length": MESSAGE_LOG_LENGTH}
    if spec.address is not None:
        with dask.config.set(short_log), Client(spec.address) as client:
            yield client
        return
    options: dict[str, Any] = {
        "n_workers": spec.n_workers,
        "threads_per_worker": threads_per_worker,
        "processes": processes,
        "dashboard_address": None,
    }
    if processes:
        # Each worker process imports the task module (numpy, pandas, scipy,
        # the segmenter: 1.5 s) as it starts, not inside the first task of a run;
        # a worker that replaces a dead one does the same.
        options["preload"] = [_WORKER_MODULE]
    # The cluster has no dashboard, so nothing reads the profile each worker
    # would otherwise sample every 10 ms of every task.
    local = {**short_log, "distributed.worker.profile.enabled": False}
    with dask.config.set(local), LocalCluster(**options) as cluster, Client(cluster) as client:
        yield client
