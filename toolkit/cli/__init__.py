"""The ``tifa`` command: a thin layer over the public API."""

from toolkit.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
