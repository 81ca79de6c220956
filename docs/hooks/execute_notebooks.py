"""Execute every tutorial notebook once, for the tests and the documentation alike.

``python docs/hooks/execute_notebooks.py`` (what ``make notebooks`` runs) executes
every ``notebooks/*.ipynb`` with its own folder as the working directory, as
``pytest --nbmake`` does, two at a time, and writes the executed copies, outputs and
figures included, to ``build/notebooks/``. mkdocs-jupyter renders those copies
without executing them again: executing the notebooks twice (tests, then docs)
would not fit in the ten minutes ``make test`` may take.

A notebook that raises stops the build: the script exits with status 1 and names
the notebook, the failing cell (its number and first line) and the error. Its
stale executed copy is removed, so the site can never show the output of an older
run. The stored notebooks stay without outputs; nothing here writes to them.

Options: ``--jobs N`` (default 2), ``--timeout S`` per cell (default 600), and
notebook paths to run only those (default: every ``notebooks/*.ipynb``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "notebooks"
TARGET = ROOT / "build" / "notebooks"
# IPython colours its tracebacks; a log file or CI wants the plain text.
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip()[:100] if lines else "(empty)"


def execute(path: Path, target: Path, timeout: int) -> tuple[str, float, str | None]:
    """Execute one notebook; write the executed copy to ``target``.

    Returns the notebook's name, the seconds it took and ``None``, or the error
    message (naming the failing cell) instead of ``None`` when a cell raised.
    """
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    out = target / path.name
    # The kernel talks over Unix sockets in a private temporary folder: no TCP port to
    # pick or expose (ipykernel warns on every start over TCP without encryption).
    sockets = tempfile.TemporaryDirectory(prefix="tifa-kernel-")
    # "python3" is the kernel of the interpreter running this script (the .venv's),
    # whatever kernels Jupyter knows elsewhere on the machine.
    km = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets.name}/kernel")
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute(cwd=str(path.parent))
    except (CellExecutionError, CellTimeoutError) as exc:
        out.unlink(missing_ok=True)
        failing = _failing_cell(nb)
        where = "a cell" if failing is None else failing
        first = ANSI.sub("", str(exc)).strip().splitlines()
        summary = next(
            (line for line in reversed(first) if line.strip() and not line.startswith(" ")),
            type(exc).__name__,
        )
        return path.name, time.perf_counter() - start, f"{where} raised: {summary}"
    except Exception as exc:  # a kernel that died or would not start
        out.unlink(missing_ok=True)
        return path.name, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    finally:
        # nbclient shuts down only the kernels it started itself, not one given as km=.
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        sockets.cleanup()
    nbformat.write(nb, out)
    return path.name, time.perf_counter() - start, None


def _failing_cell(nb: object) -> str | None:
    """``cell N (first line)`` of the first code cell whose output is an error."""
    number = 0
    for cell in nb.cells:  # type: ignore[attr-defined]
        if cell.cell_type != "code":
            continue
        number += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"code cell {number} ({_first_line(cell.source)!r})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks at a time (default 2)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    paths = [p.resolve() for p in args.notebooks] or sorted(SOURCE.glob("*.ipynb"))
    if not paths:
        print(f"error: no notebook in {SOURCE}", file=sys.stderr)
        return 1
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    failures = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(execute, p, TARGET, args.timeout) for p in paths]
        for future in futures:
            name, seconds, error = future.result()
            if error is None:
                print(f"executed {name} in {seconds:.1f} s", flush=True)
            else:
                print(f"FAILED {name} after {seconds:.1f} s: {error}", file=sys.stderr, flush=True)
                failures.append(name)
    total = time.perf_counter() - start
    if failures:
        print(
            f"error: {len(failures)} of {len(paths)} notebooks failed: {', '.join(failures)}",
            file=sys.stderr,
        )
        return 1
    print(f"executed {len(paths)} notebook(s) into {TARGET.relative_to(ROOT)} in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
