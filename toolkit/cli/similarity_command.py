"""``tifa similarity`` and ``tifa reuse``: how alike units write, and the text they share.

``tifa similarity`` groups the documents into units by a docvar (towns,
counties …), compares them with :class:`toolkit.similarity.SimilarityIndex` and
writes the labelled matrix, each unit's nearest neighbours with the terms behind
each pair, and two figures. ``tifa reuse`` finds the passages two documents
share despite small edits (:func:`toolkit.similarity.reuse.find_reuse`, or with
``--scheduler`` :func:`toolkit.distributed.find_reuse_distributed` on a Dask
cluster, the same passages) and, with ``--by``, sums them into a unit-to-unit table.

As ``tifa topics``: records that cannot be read are reported one line each on
stderr and the exit status is then 1, with the outputs of the good documents
written; the same arguments and ``--seed`` give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolkit.cli import common
from toolkit.cli.commands import help_of

__all__ = ["add_parser", "run_reuse", "run_similarity"]

#: Terms listed per pair in neighbors.csv (explain(a, b, n=...)).
EXPLAIN_TERMS = 5
#: Decimals of the similarities written to the CSV files and passages.
DECIMALS = 6


# ---------------------------------------------------------------------- argument types
def _share(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number < 1.0:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1) (got {value!r})")
    return number


def _positive_number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0.0:
        raise argparse.ArgumentTypeError(f"must be a number > 0 (got {value!r})")
    return number


def add_parser(sub: argparse._SubParsersAction, name: str) -> None:
    """Add ``tifa similarity`` or ``tifa reuse`` (``name``) to ``sub``."""
    {"similarity": _add_similarity, "reuse": _add_reuse}[name](sub)


#: Files ``tifa similarity`` writes into its folder; a folder holding one is refused
#: without --force.
SIMILARITY_OUTPUTS = (
    "similarity.csv",
    "neighbors.csv",
    "figures/similarity.png",
    "figures/similarity.svg",
    "figures/neighbors.png",
    "figures/neighbors.svg",
)


def _common(p: argparse.ArgumentParser) -> None:
    common.add_input_fields(p)
    common.add_force(p)
    common.add_quiet(p)


def _add_similarity(sub: argparse._SubParsersAction) -> None:
    from toolkit.similarity import SimilarityIndex
    from toolkit.similarity.metrics import METRICS
    from toolkit.similarity.representations import REPRESENTATIONS, VALID_METRICS

    def default(name: str) -> object:
        return common.api_default(SimilarityIndex, name)

    pairs = "; ".join(f"{r}: {', '.join(m)}" for r, m in VALID_METRICS.items())
    p = sub.add_parser(
        "similarity",
        help=help_of("similarity"),
        description=(
            "Group the documents into units by the docvar --by and compare every pair of "
            "units. Writes into DIR: similarity.csv (units x units, labelled, 1 on the "
            "diagonal), neighbors.csv (each unit's --k most similar other units: unit, "
            "neighbor, rank, similarity, and the terms that contribute most to the pair's "
            f"similarity, {EXPLAIN_TERMS} at most, joined with '|'), figures/similarity.png "
            "(heatmap clustered by a dendrogram) and figures/neighbors.png (nearest-neighbour "
            "network), coloured by --group when given. Metrics valid for each representation: "
            f"{pairs}. The same arguments and --seed give the same files. Exit status is 0 "
            "when every record was read; otherwise 1, with the outputs of the good documents "
            "still written and one line per rejected record on stderr."
        ),
    )
    p.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    p.add_argument(
        "--by", required=True, metavar="FIELD",
        help="docvar whose values are the units (town, county, year ...)",
    )  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.add_argument(
        "--representation", default=default("representation"), choices=REPRESENTATIONS,
        help="how a unit becomes a vector (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--metric", default=default("metric"), choices=METRICS,
        help="how two units are compared (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--k", type=common.positive_int, metavar="K",
        default=common.api_default(SimilarityIndex.top_neighbors, "k"),
        help="neighbours listed per unit (default: %(default)s; fewer when there are fewer units)",
    )  # fmt: skip
    p.add_argument(
        "--group", default=None, metavar="FIELD",
        help="docvar constant within each unit (county for towns ...) that colours the "
        "figures (default: no colours)",
    )  # fmt: skip
    p.add_argument(
        "--min-df", type=common.count_or_share, default=default("min_df"), metavar="DF",
        help="drop token features in fewer documents: a count, or a share with a point "
        "(default: %(default)s; not used by --representation terms)",
    )  # fmt: skip
    p.add_argument(
        "--max-df", type=common.count_or_share, default=default("max_df"), metavar="DF",
        help="drop token features in more documents: a count, or a share with a point "
        "(default: %(default)s; not used by --representation terms)",
    )  # fmt: skip
    p.add_argument(
        "--seed", type=common.integer, default=default("seed"), metavar="S",
        help="random seed (default: %(default)s)",
    )  # fmt: skip
    _common(p)
    p.set_defaults(func=run_similarity)


def _add_reuse(sub: argparse._SubParsersAction) -> None:
    from toolkit.similarity.reuse import find_reuse

    def default(name: str) -> object:
        return common.api_default(find_reuse, name)

    p = sub.add_parser(
        "reuse",
        help=help_of("reuse"),
        description=(
            "Find the passages that two documents share despite small edits (swapped place "
            "names, changed numbers, inserted clauses): MinHash/LSH candidates, then local "
            "alignment. Writes one JSON object per passage and pair of documents to FILE "
            "(doc_a, doc_b, start_a, end_a, start_b, end_b, text_a, text_b, similarity, "
            "edit, df, boilerplate, earlier, and with --by <FIELD>_a and <FIELD>_b). With "
            "--by also <FILE stem>_network.csv next to it: one row per pair of units sharing "
            "text (passages, chars, distinctive, boilerplate, earlier_a, earlier_b, "
            "undated), and <FILE stem>_network.png, the units linked by the distinctive "
            "passages they share. A passage carried by more documents than --max-df is "
            "boilerplate. "
            "The same arguments and --seed give the same files, with or without --scheduler. "
            "Exit status is 0 when every record was read; otherwise 1, with the passages of "
            "the good documents still written and one line per rejected record on stderr."
        ),
    )
    p.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE",
        help="passages file (.jsonl), or - for standard output (not with --by)",
    )  # fmt: skip
    p.add_argument(
        "--min-chars", type=common.positive_int, default=default("min_chars"), metavar="N",
        help="shortest passage reported, in characters (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--max-edit", type=_share, default=default("max_edit"), metavar="X",
        help="largest share of edited characters in a passage, in [0, 1) (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--max-df", type=_positive_number, default=default("max_df"), metavar="DF",
        help="a passage in more documents than this is boilerplate: a share of the corpus "
        "below 1, else a count; never below 2 documents (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--by", default=None, metavar="FIELD",
        help="docvar of the units (town, county ...) or doc_id: copies it into the "
        "passages and writes the unit network",
    )  # fmt: skip
    p.add_argument(
        "--drop-boilerplate", action="store_true",
        help="leave boilerplate passages out (default: keep them, flagged)",
    )  # fmt: skip
    p.add_argument(
        "--background", action="append", default=[], metavar="FILE",
        help="more documents of the genre (.jsonl, .csv, .parquet), read only to count how "
        "common a passage is, so formulas every report carries are flagged as boilerplate "
        "even when the corpus is small; repeatable",
    )  # fmt: skip
    p.add_argument(
        "--seed", type=common.integer, default=default("seed"), metavar="S",
        help="random seed (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--n-jobs", type=common.positive_int, default=default("n_jobs"), metavar="N",
        help="worker processes for the alignment (the results do not change; "
        "default: %(default)s; not used with --scheduler)",
    )  # fmt: skip
    common.add_scheduler(p, "sign windows and align candidate pairs")
    _common(p)
    p.set_defaults(func=run_reuse)


# ---------------------------------------------------------------------- tifa similarity
def run_similarity(args: argparse.Namespace) -> int:
    import warnings

    from toolkit.experiment.similarity_analysis import compare_units

    out = common.output_dir(args.output)
    common.check_folder(args, out, SIMILARITY_OUTPUTS)
    corpus, rejected = common.read_input(args)
    if not len(corpus):
        raise ValueError(
            f"no documents to compare in {args.corpus!r} ({len(rejected)} records rejected)"
        )
    common.check_docvars(corpus, "document", "--by", [args.by])
    if args.group is not None:
        common.check_docvars(corpus, "document", "--group", [args.group])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        comparison = compare_units(
            corpus,
            group=args.group,
            where="--group",
            by=args.by,
            representation=args.representation,
            metric=args.metric,
            min_df=args.min_df,
            max_df=args.max_df,
            seed=args.seed,
            progress=common.progress(args),
        )
    index = comparison.index
    units = index.units_.index
    print(f"read {len(corpus)} documents from {args.corpus}; {len(rejected)} rejected")
    print(
        f"{len(units)} units by {args.by}; representation {args.representation}, "
        f"metric {args.metric}, {len(index.feature_names_)} features"
    )
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            print(f"note: {warning.message}")
        else:
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )

    matrix = comparison.matrix
    neighbors = index.top_neighbors(args.k)
    terms = [
        "|".join(index.explain(a, b, n=EXPLAIN_TERMS)["feature"].astype(str))
        for a, b in zip(neighbors["unit"], neighbors["neighbor"], strict=True)
    ]
    table = neighbors[["unit", "neighbor", "rank", "similarity"]].assign(terms=terms)
    table["similarity"] = table["similarity"].round(DECIMALS)
    k = int(neighbors["rank"].max()) if len(neighbors) else 0

    written: list[tuple[Path, str]] = []
    path = common.write_csv(matrix.round(DECIMALS), out / "similarity.csv", index=True)
    written.append((path, f"{len(units)} x {len(units)} {args.by}, {args.metric} similarity"))
    path = common.write_csv(table, out / "neighbors.csv")
    written.append((path, f"{len(table)} rows: {len(units)} {args.by} x {k} neighbours"))
    fig = comparison.heatmap(
        title=f"相似度 similarity of {len(units)} {args.by} ({args.representation}, {args.metric})"
    )
    written.append(
        (common.save_png(fig, out / "figures" / "similarity"), "clustered similarity heatmap")
    )
    fig = comparison.neighbors_network(
        args.k, seed=args.seed, title=f"最相似的 {k} 个 the {k} nearest {args.by} of each"
    )
    written.append(
        (common.save_png(fig, out / "figures" / "neighbors"), f"{k}-nearest-neighbour network")
    )
    for path, what in written:
        print(f"wrote {path}: {what}")
    return common.report_rejected(rejected)


# ---------------------------------------------------------------------- tifa reuse
def run_reuse(args: argparse.Namespace) -> int:
    from toolkit.similarity.reuse import reuse_network

    output = Path(args.output)
    if output.is_dir():
        raise ValueError(f"-o/--output must be a file (got the folder {args.output!r})")
    to_stdout = args.output == common.STDIO
    if to_stdout and args.by is not None:
        raise ValueError(
            "-o - writes the passages to standard output; --by also writes the unit network "
            "next to -o, so it needs a file (got -o - with --by)"
        )
    network_path = output.with_name(f"{output.stem}_network.csv")
    figure_path = output.with_name(f"{output.stem}_network.png")
    common.check_new(
        args,
        args.output,
        *(
            (network_path, figure_path, figure_path.with_suffix(".svg"))
            if args.by is not None
            else ()
        ),
    )
    say = common.messages(args)
    corpus, rejected = common.read_input(args)
    if not len(corpus):
        raise ValueError(
            f"no documents to search in {args.corpus!r} ({len(rejected)} records rejected)"
        )
    by = args.by
    if by is not None and by != "doc_id":
        common.check_docvars(corpus, "document", "--by", [by])
    background: list[Any] = []
    for path in args.background:
        more, more_rejected = common.read_input(
            argparse.Namespace(**{**vars(args), "corpus": path})
        )
        background.extend(more)
        rejected.extend(more_rejected)
    passages = _find_reuse(
        corpus,
        args,
        min_chars=args.min_chars,
        max_edit=args.max_edit,
        max_df=args.max_df,
        boilerplate="drop" if args.drop_boilerplate else "flag",
        background=background or None,
        docvars=by if by not in (None, "doc_id") else None,
        seed=args.seed,
        progress=common.progress(args),
    )
    print(f"read {len(corpus)} documents from {args.corpus}; {len(rejected)} rejected", file=say)
    if background:
        print(
            f"read {len(background)} background documents to count how common passages are",
            file=say,
        )
    n_boilerplate = int(passages["boilerplate"].sum())
    print(
        f"{len(passages)} passages: {len(passages) - n_boilerplate} distinctive, "
        f"{n_boilerplate} boilerplate"
        + (" (boilerplate dropped)" if args.drop_boilerplate else ""),
        file=say,
    )

    written: list[tuple[Path | str, str]] = []
    with common.open_output(output) as f:
        for record in passages.to_dict(orient="records"):
            f.write(json.dumps(_plain(record), ensure_ascii=False) + "\n")
    shown = "standard output" if to_stdout else output
    written.append((shown, f"{len(passages)} passages, one JSON object a line"))
    if by is not None:
        from toolkit.experiment.similarity_analysis import reuse_network_figure

        network = reuse_network(passages, by=by, corpus=corpus)
        path = common.write_csv(network, network_path)
        written.append((path, f"{len(network)} pairs of {by} sharing text"))
        fig = reuse_network_figure(network, by=by, seed=args.seed)
        path = common.save_png(fig, figure_path.with_suffix(""))
        written.append((path, f"{by} linked by the distinctive passages they share"))
    for path, what in written:
        print(f"wrote {path}: {what}", file=say)
    return common.report_rejected(rejected)


def _find_reuse(corpus: Any, args: argparse.Namespace, **options: Any) -> Any:
    """``find_reuse`` in this process, or on the Dask cluster of ``--scheduler``."""
    if args.scheduler is None:
        from toolkit.similarity.reuse import find_reuse

        return find_reuse(corpus, n_jobs=args.n_jobs, **options)
    from toolkit.distributed import dask_client, find_reuse_distributed

    with dask_client(args.scheduler) as client:
        return find_reuse_distributed(corpus, client=client, **options)


def _plain(record: Mapping[Any, Any]) -> dict[str, Any]:
    """numpy scalars as Python ones, floats rounded, missing values as null."""
    plain: dict[str, Any] = {}
    for key, value in record.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float):
            value = None if value != value else round(value, DECIMALS)
        plain[str(key)] = value
    return plain
