"""``tifa corpora``: list the public-corpus recipes, download one and convert it."""

from __future__ import annotations

import argparse
import sys
import warnings

from toolkit.cli import common
from toolkit.cli.commands import help_of
from toolkit.ingest.recipes import UnverifiedDownloadWarning, download_corpus, load_recipes

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction, name: str = "corpora") -> None:
    p = sub.add_parser(name, help=help_of(name))
    common.add_quiet(p, "accepted as by every command; corpora shows no progress bars")
    p.add_argument(
        "--recipes", default=None, metavar="FILE", help="recipes TOML (default: built in)"
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the corpus recipes, their licence and checksum state")
    dl = actions.add_parser("download", help="download a corpus and convert it to JSONL")
    dl.add_argument("name", help="recipe name (see `tifa corpora list`)")
    dl.add_argument(
        "--dest", default=None, metavar="DIR", help="download folder (default: the user cache)"
    )
    dl.add_argument(
        "--require-hash", action="store_true", help="refuse a recipe without a pinned sha256"
    )
    dl.add_argument("--no-convert", action="store_true", help="only fetch the file")
    p.set_defaults(func=run)


def _list(args: argparse.Namespace) -> int:
    for recipe in load_recipes(args.recipes).values():
        state = f"sha256 {recipe.sha256}" if recipe.sha256 else "sha256 NOT PINNED"
        convert = f"converts ({recipe.converter})" if recipe.converter else "download only"
        print(f"{recipe.name}\t{state}\t{convert}\n  {recipe.url}\n  licence: {recipe.licence}")
    return 0


def _download(args: argparse.Namespace) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnverifiedDownloadWarning)
        result = download_corpus(
            args.name,
            dest=args.dest,
            require_hash=args.require_hash,
            convert=not args.no_convert,
            recipes=args.recipes,
        )
    for w in caught:
        if issubclass(w.category, UnverifiedDownloadWarning):
            print(f"tifa corpora: WARNING: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    print(
        f"downloaded {result.path} (sha256 {result.sha256}, "
        f"{'verified' if result.verified else 'UNVERIFIED'})"
    )
    if result.corpus is not None:
        print(f"wrote {result.n_documents} documents to {result.corpus}")
    return 0


def run(args: argparse.Namespace) -> int:
    return _list(args) if args.action == "list" else _download(args)
