"""toolkit.distributed.client: parsing --scheduler and making a client (issue 15)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit.distributed import SchedulerSpec, dask_client, parse_scheduler


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("local:1", SchedulerSpec(n_workers=1)),
        ("local:16", SchedulerSpec(n_workers=16)),
        ("tcp://127.0.0.1:8786", SchedulerSpec(address="tcp://127.0.0.1:8786")),
        ("tcp://scheduler.cluster:8786", SchedulerSpec(address="tcp://scheduler.cluster:8786")),
        ("tcp://[::1]:8786", SchedulerSpec(address="tcp://[::1]:8786")),
    ],
)
def test_parse_scheduler_accepts_both_forms(value: str, expected: SchedulerSpec) -> None:
    assert parse_scheduler(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("local:0", r"scheduler 'local:0': N in 'local:N' must be a whole number >= 1 \(got '0'\)"),
        ("local:", r"scheduler 'local:': N in 'local:N' must be a whole number >= 1 \(got ''\)"),
        ("local:two", r"N in 'local:N' must be a whole number >= 1 \(got 'two'\)"),
        ("local:-1", r"N in 'local:N' must be a whole number >= 1 \(got '-1'\)"),
        (
            "tcp://host:99999",
            r"scheduler 'tcp://host:99999': PORT in 'tcp://HOST:PORT' must be a number "
            r"from 1 to 65535 \(got '99999'\)",
        ),
        ("tcp://host:", r"PORT in 'tcp://HOST:PORT' must be a number from 1 to 65535 \(got ''\)"),
        (
            "tcp://host",
            r"scheduler must be one of 'local:N', 'tcp://HOST:PORT' \(got 'tcp://host'\)",
        ),
        ("127.0.0.1:8786", r"scheduler must be one of 'local:N', 'tcp://HOST:PORT'"),
        ("", r"scheduler must be one of 'local:N', 'tcp://HOST:PORT' \(got ''\)"),
    ],
)
def test_parse_scheduler_names_the_value_and_the_forms(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_scheduler(value)


def test_parse_scheduler_refuses_a_number() -> None:
    with pytest.raises(
        TypeError, match=r"scheduler must be a str, one of 'local:N'.*\(got int: 2\)"
    ):
        parse_scheduler(2)  # type: ignore[arg-type]


def test_dask_client_checks_n_workers_before_starting_anything() -> None:
    with (
        pytest.raises(ValueError, match=r"n_workers must be an integer >= 1 \(got 0\)"),
        dask_client(n_workers=0),
    ):
        pass


def test_local_scheduler_starts_that_many_workers_and_closes_them() -> None:
    with dask_client("local:2", processes=False) as client:
        assert len(client.scheduler_info()["workers"]) == 2
    assert client.status == "closed"


def test_an_open_client_is_used_as_it_is_and_left_open() -> None:
    with dask_client(n_workers=1, processes=False) as outer:
        with dask_client(outer) as inner:
            assert inner is outer
        assert outer.status == "running"


def test_tcp_scheduler_connects_to_a_running_scheduler() -> None:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, processes=False, protocol="tcp", dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        with dask_client(address) as client:
            assert client.scheduler.address == address
            assert client.submit(sum, [1, 2]).result() == 3


def test_importing_the_package_does_not_import_dask() -> None:
    code = (
        "import sys, toolkit, toolkit.distributed;"
        "print('dask' in sys.modules, 'distributed' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# Evaluated on the worker: a function of this module would be unpickled by
# importing this module, and so toolkit.distributed, which would prove nothing.
_STATE = (
    "('toolkit.distributed._worker' in __import__('sys').modules,"
    " __import__('dask').config.get('distributed.worker.profile.enabled'))"
)


def test_local_worker_processes_start_with_the_task_module_and_no_profiler() -> None:
    # No task has run: the import happened as each worker started (its preload).
    with dask_client(n_workers=1, processes=True) as client:
        assert list(client.run(eval, _STATE).values()) == [(True, False)]
