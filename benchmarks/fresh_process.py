"""Run one benchmark function in a new interpreter, so its time and peak memory are its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["in_fresh_process", "peak_rss_mb", "proc_mb"]

ROOT = Path(__file__).resolve().parents[1]


def proc_mb(field: str, *, pid: int | str = "self", file: str = "status") -> float | None:
    """``field`` of ``/proc/<pid>/<file>`` in MB: ``VmRSS``, ``VmHWM``, ``Pss`` …

    ``None`` where ``/proc`` has no such file or field (not Linux, process gone).
    """
    try:
        with open(f"/proc/{pid}/{file}") as fh:
            for line in fh:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak RSS in MB of process ``pid``, by default this one, from its VmHWM.

    Not ``ru_maxrss``: on Linux it survives exec, so a child reports its parent's peak.
    """
    return proc_mb("VmHWM", pid=pid)


def in_fresh_process(
    module: str, name: str, *args: Any, timeout: float | None = None
) -> dict[str, Any]:
    """Run ``benchmarks.<module>.<name>(*args)`` in a new interpreter; echo its output.

    The arguments travel as JSON, so paths go as str. The function returns a
    JSON-able dict, which comes back. A failure (an exception, a timeout)
    comes back as ``{"error": ...}``, with the peak RSS reached by then on a
    timeout, so that the other figures are still reported.
    """
    code = (
        "import json, sys; "
        f"from benchmarks.{module} import {name}; "
        f"r = {name}(*json.loads(sys.argv[1])); print(json.dumps(r, default=str))"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            peak = peak_rss_mb(proc.pid)
            proc.kill()
            proc.communicate()
            so_far = "" if peak is None else f", peak RSS {peak:.0f} MB by then"
            print(f"  {name}: stopped after {timeout:.0f} s{so_far}")
            return {"error": f"stopped after {timeout:.0f} s{so_far}", "peak_rss_mb": peak}
    if proc.returncode != 0:
        if stdout.strip():
            print(stdout.rstrip("\n"))
        tail = stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        print(f"  {name} failed: {tail[0]}")
        return {"error": tail[0]}
    *shown, last = stdout.rstrip("\n").split("\n")
    if shown:
        print("\n".join(shown))
    return json.loads(last)
