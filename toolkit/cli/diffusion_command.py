"""``tifa diffusion``: when each official term reaches each unit, who leads, who follows.

Reads a corpus, takes its terms from a fitted
:class:`~toolkit.terms.TermDetector` (or from ``--terms FILE``, one term a
line), and writes to ``-o DIR``:

- ``diffusion.csv``: the per-term table (:func:`toolkit.diffusion.diffusion_table`);
- ``adoptions.csv``: one row per term × unit (:func:`toolkit.diffusion.adoptions`),
  for the terms of ``diffusion.csv``;
- ``curves.csv``: Kaplan–Meier adoption curves of those terms;
- ``hazard.csv``: the discrete-time hazard model's coefficients, clustered
  standard errors and intervals;
- ``leaders.csv``: units from leaders to followers;
- figures: ``curves``, ``lags``, ``first_use``, ``leaders``, each as .png (300 dpi) and .svg.

Exit status 1 when records were rejected (outputs still written), 2 on a user
error such as a ``--reference`` that matches no document.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.cli import common
from toolkit.cli.commands import help_of
from toolkit.cli.common import (
    add_input_fields,
    integer,
    output_dir,
    positive_int,
    read_input,
    report_rejected,
    save_png,
    write_csv,
)

__all__ = ["add_parser", "parse_reference", "run_diffusion"]

# Terms drawn in the curves and heatmap figures when --show is not given
# (toolkit.experiment.diffusion_analysis.N_SHOWN; not imported: the CLI loads lazily).
_SHOWN = 5
#: Files ``tifa diffusion`` may write into its folder; a folder holding one is refused
#: without --force.
OUTPUTS = (
    *(f"{name}.csv" for name in ("diffusion", "adoptions", "curves", "hazard", "leaders")),
    *(
        f"{name}.{fmt}"
        for name in ("curves", "lags", "first_use", "leaders")
        for fmt in ("png", "svg")
    ),
)


def add_parser(sub: argparse._SubParsersAction, name: str = "diffusion") -> None:
    """Add ``tifa diffusion`` to ``sub``."""
    d = sub.add_parser(
        name,
        help=help_of(name),
        description=(
            "Date each unit's first use of each official term (on token boundaries), compare "
            "it with the reference group's, and write diffusion.csv, adoptions.csv, curves.csv, "
            "hazard.csv, leaders.csv and figures to DIR (a folder that already holds one of "
            "these files is refused unless --force). Exit status 1 when records were "
            "rejected (outputs still written)."
        ),
    )
    d.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    d.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    add_input_fields(d)
    d.add_argument("--unit", default="province", help="docvar of the adopting unit")
    d.add_argument("--time", default="year", help="docvar of the period (whole numbers)")
    d.add_argument(
        "--reference", default="level=national", metavar="FIELD=VALUE[,FIELD=VALUE]",
        help="docvar values of the reference group (default: level=national)",
    )  # fmt: skip
    d.add_argument(
        "--terms", default=None, metavar="FILE",
        help="terms to follow, one a line (default: the terms a TermDetector finds)",
    )  # fmt: skip
    d.add_argument(
        "--min-units", type=positive_int, default=1, metavar="N",
        help="keep terms adopted by at least N units (default: 1)",
    )  # fmt: skip
    d.add_argument(
        "--min-mentions", type=positive_int, default=1, metavar="N",
        help="uses in one period that make it the adoption (default: 1)",
    )  # fmt: skip
    d.add_argument("--seed", type=integer, default=0, help="bootstrap seed (default: 0)")
    d.add_argument(
        "--adjacency", default=None, metavar="TSV",
        help="neighbour table (columns unit, neighbor) for the hazard model; default: the "
        "built-in province land borders when --unit is province, else no neighbour term",
    )  # fmt: skip
    d.add_argument(
        "--show", action="append", default=[], metavar="TERM",
        help="a term to draw in the curves and heatmap figures; repeatable (default: the "
        f"{_SHOWN} most widely adopted terms the reference used)",
    )  # fmt: skip
    common.add_force(d)
    common.add_quiet(d)
    d.set_defaults(func=run_diffusion)


def parse_reference(text: str) -> dict[str, str]:
    """``level=national,year=2020`` → ``{"level": "national", "year": "2020"}``."""
    pairs = [part.strip() for part in text.split(",") if part.strip()]
    out: dict[str, str] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise ValueError(
                f"--reference must be FIELD=VALUE[,FIELD=VALUE], e.g. level=national (got {text!r})"
            )
        out[field.strip()] = value.strip()
    if not out:
        raise ValueError(f"--reference must name at least one FIELD=VALUE (got {text!r})")
    return out


def _read_terms(path: str) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    terms = [line.split("\t")[0].strip() for line in lines]
    terms = [t for t in terms if t and not t.startswith("#")]
    if not terms:
        raise ValueError(f"--terms file {path!r} holds no terms (one term a line)")
    return terms


def run_diffusion(args: argparse.Namespace) -> int:
    import pandas as pd

    from toolkit.experiment.diffusion_analysis import diffusion_outputs

    out = output_dir(args.output)
    common.check_folder(args, out, OUTPUTS)
    reference = parse_reference(args.reference)
    listed = _read_terms(args.terms) if args.terms is not None else None
    adjacency: object = "auto"
    if args.adjacency is not None:
        adjacency = pd.read_csv(args.adjacency, sep="\t", comment="#", dtype=str)
    corpus, rejected = read_input(args)
    if listed is None:
        from toolkit.terms import TermDetector

        terms: object = TermDetector(
            by=[args.unit], time=args.time, progress=common.progress(args)
        ).fit(corpus)
    else:
        terms = listed
    result = diffusion_outputs(
        corpus,
        terms=terms,  # type: ignore[arg-type]
        unit=args.unit,
        time=args.time,
        reference=reference,
        min_units=args.min_units,
        min_mentions=args.min_mentions,
        seed=args.seed,
        adjacency=adjacency,
        show=args.show,
    )
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(frame, out / f"{name}.csv") for name, frame in result.tables().items()]
    if result.hazard_error is not None:
        print(f"hazard model not fitted: {result.hazard_error}", file=sys.stderr)
    written.extend(save_png(fig, out / name) for name, fig in result.figures().items())
    diffusion = result.diffusion
    obs = result.observations
    n_up = int((diffusion["direction"] == "bottom-up").sum())
    print(
        f"{len(diffusion)} terms adopted by >= {args.min_units} units ({n_up} bottom-up); "
        f"{obs.loc[~obs['reference'], 'unit'].nunique()} units observed; "
        f"{len(rejected)} rejected"
    )
    for path in written:
        print(f"wrote {path}")
    return report_rejected(rejected)
