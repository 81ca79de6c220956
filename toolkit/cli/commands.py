"""Which ``tifa`` commands exist, where each lives, and its one-line help.

``tifa --help`` lists every command from this table without importing any
command module: those import pandas and the analysis code, about a second
that a user who asks for help should not wait.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "help_of"]

#: command -> (module under toolkit.cli, one-line help), in the order ``tifa --help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": (
        "ingest_command",
        "read newspaper pages, report files, tables or text folders into a corpus",
    ),
    "info": ("info_command", "count documents and characters by docvar"),
    "segment": ("segment_command", "segment a corpus, keeping official terms whole"),
    "terms": ("terms_command", "detect the official terms (提法) of every document"),
    "kwic": ("terms_command", "show every occurrence of a term in its context"),
    "dtm": (
        "dtm_command",
        "count tokens into a document-term matrix (.npz) with its vocabulary and rows",
    ),
    "topics": (
        "topics_command",
        "fit a topic model and write its topics, shares, prevalence and figures",
    ),
    "similarity": (
        "similarity_command",
        "compare units (towns, counties ...): similarity matrix, neighbours, figures",
    ),
    "reuse": (
        "similarity_command",
        "find passages documents share despite small edits (text reuse)",
    ),
    "diffusion": (
        "diffusion_command",
        "date each unit's first use of each term: diffusion table, curves, hazard, leaders",
    ),
    "corpora": (
        "corpora_command",
        "list public-corpus recipes; download one (pooch, sha256) and convert it to JSONL",
    ),
    "run": ("run_command", "run an experiment: experiments/<name> or its config.toml"),
    "demo": ("run_command", "run the flagship analysis on the bundled sample corpus"),
}


def help_of(command: str) -> str:
    """The one-line help of ``command``."""
    return COMMANDS[command][1]
