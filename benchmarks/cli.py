"""What every benchmark command line shares: ``--shared``, ``--json`` and their checks."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["shared_data", "suite_parser", "write_json"]

# ../shared beside the checkout, as CI lays it out.
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def suite_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A parser with ``--shared PATH`` and ``--json FILE``; a suite adds its own options."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(
        "--shared",
        default=str(DEFAULT_SHARED),
        help="path to the shared folder holding data/ (default: ../shared)",
    )
    parser.add_argument("--json", default=None, help="also write the results to this file")
    return parser


def shared_data(args: argparse.Namespace) -> Path | None:
    """``--shared`` as a Path, or None (with the reason printed) when it has no ``data/``."""
    shared = Path(args.shared)
    if not (shared / "data").is_dir():
        print(f"benchmarks need the shared data: {shared / 'data'} not found; pass --shared PATH")
        return None
    return shared


def write_json(args: argparse.Namespace, result: Any) -> None:
    """Write ``result`` to ``--json`` when it was given."""
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
