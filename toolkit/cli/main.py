"""Entry point of the ``tifa`` command."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from toolkit.cli.commands import COMMANDS, help_of

__all__ = ["build_parser", "main"]


def _chosen(argv: Sequence[str]) -> str | None:
    # The command is the first word that is not an option (tifa has no option taking a value).
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``tifa``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments about to be parsed. Only the command they name is built
        in full (its module imported); the others are listed with their help.
        Without it every command is built, as documentation and tests need.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("tifa-toolkit")
    except PackageNotFoundError:
        ver = "unknown"
    parser = argparse.ArgumentParser(
        prog="tifa", description="Computational analysis of Chinese policy language (提法)."
    )
    parser.add_argument("--version", action="version", version=f"tifa-toolkit {ver}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = None if argv is None else _chosen(argv)
    for name, (module, _) in COMMANDS.items():
        if argv is None or name == chosen:
            import_module(f"toolkit.cli.{module}").add_parser(sub, name)
        else:
            sub.add_parser(name, help=help_of(name))
    return parser


class Terminated(SystemExit):
    """Raised by the ``SIGTERM`` handler, so that ``finally`` blocks and the
    temporary files of :mod:`toolkit._atomic` are cleaned up as on Ctrl-C."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated(128 + signum)


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """``SIGTERM`` raises :class:`Terminated` while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tifa``; returns the exit status. User errors print one line, not a traceback.

    Ctrl-C and ``SIGTERM`` stop the command after removing the files it was
    writing (every output is renamed into place only when complete); the exit
    status is then 130 or 143, as a shell reports a process killed by them.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        with _sigterm_exits():
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"tifa {args.command}: interrupted; no output was left half-written", file=sys.stderr)
        return 128 + signal.SIGINT
    except Terminated as exc:
        print(f"tifa {args.command}: terminated; no output was left half-written", file=sys.stderr)
        return int(exc.code or 1)
    except BrokenPipeError:
        # The reader closed the pipe (tifa kwic ... | head): what it wanted was written.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (OSError, ValueError, KeyError) as exc:
        # OSError: a missing input, an output folder that cannot be made or refuses
        # files; its message names the path (see toolkit._atomic).
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"tifa {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
