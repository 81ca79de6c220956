"""``tifa run`` and ``tifa demo``: run an experiment config and say where its outputs are."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.cli import common
from toolkit.cli.commands import help_of

__all__ = ["add_parser", "find_flagship", "run_demo", "run_experiment"]

FLAGSHIP = Path("experiments") / "flagship" / "config.toml"


def add_parser(sub: argparse._SubParsersAction, name: str) -> None:
    """Add ``tifa run`` or ``tifa demo`` (``name``) to ``sub``."""
    {"run": _add_run, "demo": _add_demo}[name](sub)


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help=help_of("run"),
        description=(
            "Run an experiment config into a new run folder (outputs/<run id> beside the "
            "config). Every file is renamed into place when complete; manifest.json is "
            "written last and the INCOMPLETE marker removed after it, so a folder that still "
            "holds INCOMPLETE is from a run that failed or was stopped (Ctrl-C, SIGTERM)."
        ),
    )
    p.add_argument("experiment", help="experiment folder or TOML config")
    p.add_argument(
        "--data", default=None, metavar="PATH",
        help="data root: config inputs written {data}/... are read from under PATH",
    )  # fmt: skip
    p.add_argument("--output-root", default=None, help="folder for run outputs")
    p.add_argument(
        "--run-id", default=None,
        help="name of the run folder; if it exists, -2, -3 ... is appended: a run never "
        "overwrites another, so tifa run takes no --force",
    )  # fmt: skip
    common.add_quiet(p)
    p.set_defaults(func=run_experiment)


def _add_demo(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("demo", help=help_of("demo"))
    d.add_argument("--root", default=None, help="project checkout (default: search upward)")
    common.add_quiet(d)
    d.set_defaults(func=run_demo)


def _config_path(target: str | Path) -> Path:
    p = Path(target)
    if p.is_dir():
        p = p / "config.toml"
    if not p.is_file():
        raise FileNotFoundError(
            f"experiment config not found: {str(p)!r}; pass experiments/<name> or its config.toml"
        )
    return p


def find_flagship(root: str | Path | None = None) -> Path:
    """Locate ``experiments/flagship/config.toml`` in ``root``, the cwd or its parents."""
    starts = [Path(root)] if root else [Path.cwd(), Path(__file__).resolve().parents[2]]
    for start in starts:
        for folder in [start, *start.resolve().parents]:
            candidate = folder / FLAGSHIP
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(
        f"cannot find {FLAGSHIP} from {starts[0]}; run `tifa demo` inside a tifa-toolkit "
        "checkout or pass --root"
    )


# The numbers the summary shows first for each kind; other kinds show their first
# scalar metrics, so a new analysis needs no line here.
_KEY_METRICS = {
    "corpus_overview": ("n_characters", "n_groups_by_town", "n_groups_by_county"),
    "town_terms": ("n_terms",),
    "town_similarity": (
        "similarity_n_units",
        "similarity_within",
        "similarity_across",
        "similarity_permutation_p",
        "reuse_n_passages",
        "reuse_n_pairs",
    ),
    "town_topics": (
        "topics_k",
        "topics_n_units",
        "topics_n_features",
        "topics_coherence_npmi_mean",
    ),
    "diffusion": ("diffusion_n_terms", "diffusion_n_units"),
}
_N_SHOWN = 6


def _key_numbers(kind: str, names: list[str], metrics: dict) -> str:
    scalar = [n for n in names if isinstance(metrics.get(n), (int, float, str))]
    preferred = [n for n in _KEY_METRICS.get(kind, ()) if n in scalar]
    chosen = preferred or scalar[:_N_SHOWN]
    return "\n".join(f"{n} = {metrics[n]}" for n in chosen)


def _summary(result) -> None:
    """A table of the analyses and their key numbers, on stdout."""
    from rich.console import Console
    from rich.table import Table

    metrics = result.metrics
    table = Table(title=f"tifa run {result.run_dir.name}", title_justify="left")
    table.add_column("analysis", style="bold")
    table.add_column("key numbers")
    table.add_column("figures", justify="right")
    table.add_column("tables", justify="right")
    table.add_row(
        "corpus",
        f"n_documents = {metrics.get('n_documents')}\nn_rejected = {len(result.rejected)}",
        "",
        "",
    )
    for analysis in result.analyses:
        n_figures = len({p.with_suffix("") for p in analysis.figures})
        table.add_row(
            analysis.kind,
            _key_numbers(analysis.kind, list(analysis.metrics), metrics),
            str(n_figures),
            str(len(analysis.tables)),
        )
    Console(highlight=False).print(table)


def _report(result, *, quiet: bool = False) -> None:
    # Paths are printed whole (never wrapped), so they can be copied from the terminal.
    if not quiet:
        _summary(result)
    print(f"run folder: {result.run_dir}")
    if not quiet:
        print(f"  figures:  {result.run_dir / 'figures'}")
        print(f"  tables:   {result.run_dir / 'tables'}")
        print(f"  metrics:  {result.run_dir / 'metrics.json'}")
        print(f"  manifest: {result.manifest_path}")
        if result.rejected:
            print(
                f"  rejected inputs: {len(result.rejected)} (see {result.run_dir / 'rejected.csv'})"
            )
    print(f"report: {result.report_path}")


def run_experiment(args: argparse.Namespace) -> int:
    from toolkit.experiment import run

    result = run(
        _config_path(args.experiment),
        output_root=args.output_root,
        run_id=args.run_id,
        progress=common.progress(args),
        data=args.data,
    )
    _report(result, quiet=args.quiet)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from toolkit.experiment import run

    config = find_flagship(args.root)
    print(f"tifa demo: flagship analysis of the sample corpus ({config})")
    result = run(config, progress=common.progress(args))
    # The summary even under --quiet (which silences progress bars): it is what the
    # demo shows; the last line is always the path of report.html.
    _report(result)
    return 0
