"""Entry point of the ``tifa`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tifa``; returns the exit status. User errors print one line, not a traceback."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader closed the pipe (tifa kwic ... | head): what it wanted was written.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (FileNotFoundError, NotADirectoryError, ValueError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"tifa {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
