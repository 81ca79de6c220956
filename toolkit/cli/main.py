"""Entry point of the ``tifa`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from toolkit.cli import (
    info_command,
    ingest_command,
    run_command,
    segment_command,
    similarity_command,
    terms_command,
    topics_command,
)

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
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
    ingest_command.add_parser(sub)
    info_command.add_parser(sub)
    segment_command.add_parser(sub)
    terms_command.add_parsers(sub)
    topics_command.add_parser(sub)
    similarity_command.add_parsers(sub)
    run_command.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tifa``; returns the exit status. User errors print one line, not a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, NotADirectoryError, ValueError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"tifa {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
