"""``tifa topics``: a topic model of a corpus, its topics, shares, prevalence and figures.

The corpus is loaded into memory so that records that cannot be read are
counted and reported, one line each on stderr, instead of stopping the run:
the exit status is then 1, with the outputs of the good documents written.

Everything written depends only on the corpus, the options and ``--seed``: two
runs with the same arguments give byte-identical ``topics.json`` and
``doc_topics.csv``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from toolkit._atomic import atomic_open
from toolkit.cli import common
from toolkit.cli.commands import help_of

__all__ = ["add_parser", "run"]

#: λ of Sievert & Shirley's relevance for the second term ranking and the labels.
RELEVANCE = 0.6
#: Files a run writes only with some options; removed when a run does not write them,
#: so that the folder never mixes the outputs of two runs.
OPTIONAL_OUTPUTS = (
    "k_selection.csv",
    "prevalence.csv",
    "covariate_effects.csv",
    "figures/k_selection.png",
    "figures/k_selection.svg",
    "figures/prevalence.png",
    "figures/prevalence.svg",
)
#: Files every run writes; with OPTIONAL_OUTPUTS, what makes an output folder refused
#: without --force.
OUTPUTS = ("topics.json", "doc_topics.csv", "figures/topics.png", "figures/topics.svg")
K_RANGE_FORM = "START:STOP:STEP"


# ---------------------------------------------------------------------- argument types
def _k_range(value: str) -> tuple[int, int, int]:
    """``START:STOP:STEP`` → (start, stop, step); STOP is included when the steps reach it."""
    parts = value.split(":")
    try:
        start, stop, step = (int(p) for p in parts)
    except ValueError:
        start = stop = step = 0
    if not (1 <= start <= stop and step >= 1):
        raise argparse.ArgumentTypeError(
            f"expected {K_RANGE_FORM}: three integers with 1 <= START <= STOP and STEP >= 1, "
            f"e.g. 5:40:5 for K = 5, 10, ..., 40 (got {value!r})"
        )
    return start, stop, step


def _fields(value: str) -> list[str]:
    fields = [f.strip() for f in value.split(",")]
    if not all(fields):
        raise argparse.ArgumentTypeError(
            f"expected FIELD or FIELD,FIELD,... with no empty names (got {value!r})"
        )
    return list(dict.fromkeys(fields))


def add_parser(sub: argparse._SubParsersAction, name: str = "topics") -> None:
    from toolkit.dtm.units import UNITS
    from toolkit.topics import BACKENDS, TopicModel, prepare_topics

    def default(name: str) -> object:
        return common.api_default(TopicModel, name)

    p = sub.add_parser(
        name,
        help=help_of(name),
        description=(
            "Segment the corpus into units (paragraphs or documents), keeping official "
            "terms whole, and fit an LDA topic model. Writes into DIR: topics.json (each "
            "topic's label, top terms with their probabilities ranked by probability and by "
            f"relevance λ={RELEVANCE}, and its c_npmi coherence on the units' own tokens; "
            "the parameters, sizes, seed and the units dropped as empty), doc_topics.csv "
            "(one row per unit: doc_id, document, the --by field, one share column per "
            "topic), figures/topics.png, and with --by prevalence.csv and "
            "figures/prevalence.png. With --k-range the K are compared first "
            "(k_selection.csv, figures/k_selection.png) and the model is fitted at the "
            "recommended K. With --covariates, covariate_effects.csv. The same arguments "
            "and --seed give the same files. A folder that already holds one of these files "
            "is refused unless --force. Exit status is 0 when every record was read; "
            "otherwise 1, with the outputs of the good documents still written and one line "
            "per rejected record on stderr."
        ),
    )
    p.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    ks = p.add_mutually_exclusive_group()
    ks.add_argument(
        "--k", type=common.positive_int, default=None, metavar="N",
        help=f"number of topics (default: {default('k')})",
    )  # fmt: skip
    ks.add_argument(
        "--k-range", type=_k_range, default=None, metavar=K_RANGE_FORM,
        help="compare K = START, START+STEP, ... up to STOP (included) and fit the "
        "recommended one, e.g. 5:40:5",
    )  # fmt: skip
    p.add_argument(
        "--backend", default=default("backend"), choices=BACKENDS,
        help="gensim (variational Bayes) or tomotopy (Gibbs sampling) (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--unit", default=common.api_default(prepare_topics, "unit"), choices=UNITS,
        help="what a row of the model is (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--by", default=None, metavar="FIELD",
        help="docvar to compare topic prevalence by (town, county, year ...); "
        "without it no prevalence is written",
    )  # fmt: skip
    p.add_argument(
        "--covariates", type=_fields, default=None, metavar="FIELD[,FIELD]",
        help="docvars that shift each unit's topic prior (Dirichlet-multinomial "
        "regression; needs --backend tomotopy); writes covariate_effects.csv",
    )  # fmt: skip
    p.add_argument(
        "--seed", type=common.integer, default=default("seed"), metavar="S",
        help="random seed (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--n", "--top", dest="n", type=common.positive_int,
        default=common.api_default(TopicModel.top_terms, "n"), metavar="N",
        help="terms listed per topic (default: %(default)s; --top is the old name)",
    )  # fmt: skip
    p.add_argument(
        "--passes", type=common.positive_int, default=default("passes"), metavar="N",
        help="passes over the corpus (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--iterations", type=common.positive_int, default=default("iterations"), metavar="N",
        help="iterations per pass (default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--min-df", type=common.count_or_share, metavar="DF",
        default=common.api_default(prepare_topics, "min_df"),
        help="drop features in fewer units: a count, or a share with a point "
        "(default: %(default)s)",
    )  # fmt: skip
    p.add_argument(
        "--max-df", type=common.count_or_share, metavar="DF",
        default=common.api_default(prepare_topics, "max_df"),
        help="drop features in more units: a count, or a share with a point "
        "(default: %(default)s)",
    )  # fmt: skip
    common.add_input_fields(p)
    p.add_argument(
        "--n-jobs", type=common.positive_int, default=1, metavar="N",
        help="with --k-range, models fitted at once (the results do not change; default: 1)",
    )  # fmt: skip
    common.add_force(p)
    common.add_quiet(p)
    p.set_defaults(func=run)


# ---------------------------------------------------------------------- helpers
def _number(value: float) -> float | None:
    # JSON has no NaN: a coherence gensim cannot compute is written as null.
    return round(float(value), 6) if math.isfinite(value) else None


def _ks(spec: tuple[int, int, int]) -> list[int]:
    start, stop, step = spec
    return list(range(start, stop + 1, step))


# ---------------------------------------------------------------------- tifa topics
def run(args: argparse.Namespace) -> int:
    from toolkit.topics import TopicModel, prepare_topics, prevalence, select_k

    out = common.output_dir(args.output)
    common.check_folder(args, out, OUTPUTS + OPTIONAL_OUTPUTS)
    if args.covariates is not None and args.backend != "tomotopy":
        raise ValueError(
            f"--covariates needs --backend tomotopy (got --backend {args.backend}); "
            "only tomotopy fits the covariate model (DMR)"
        )
    corpus, rejected = common.read_input(args)
    if not len(corpus):
        raise ValueError(
            f"no documents to model in {args.corpus!r} ({len(rejected)} records rejected)"
        )
    common.check_docvars(corpus, args.unit, "--by", [args.by] if args.by else [])
    common.check_docvars(corpus, args.unit, "--covariates", args.covariates or [])
    progress = common.progress(args)
    print(f"read {len(corpus)} documents from {args.corpus}; {len(rejected)} rejected")

    data = prepare_topics(
        corpus, unit=args.unit, min_df=args.min_df, max_df=args.max_df, progress=progress
    )
    n_units, n_features = data.dtm.shape
    if n_features == 0:
        raise ValueError(
            f"no features left after --min-df {args.min_df} and --max-df {args.max_df} "
            f"over {n_units} units; lower --min-df or raise --max-df"
        )
    print(
        f"{n_units + len(data.dropped)} {args.unit} units: {n_units} modelled, "
        f"{len(data.dropped)} dropped as empty; {n_features} features"
    )
    params = {
        "backend": args.backend,
        "passes": args.passes,
        "iterations": args.iterations,
        "covariates": args.covariates,
    }

    written: list[tuple[Path, str]] = []
    selection = None
    if args.k_range is not None:
        ks = _ks(args.k_range)
        table = select_k(
            data.dtm,
            ks,
            texts=data.texts,
            seed=args.seed,
            n_jobs=args.n_jobs,
            progress=progress,
            **params,
        )
        k = int(table.attrs["recommended"])
        selection = {
            "range": ":".join(str(n) for n in args.k_range),
            "k": ks,
            "rule": table.attrs["rule"],
            "recommended": k,
        }
        print(f"K selection over {ks}: {table.attrs['rule']}: K = {k}")
        from toolkit.plot import plot_k_selection

        path = common.write_csv(table, out / "k_selection.csv")
        written.append((path, f"one row per K ({len(table)}), recommended K = {k}"))
        fig = plot_k_selection(table, title=f"主题数的选择 choosing K: recommended K = {k}")
        figure = common.save_png(fig, out / "figures" / "k_selection")
        written.append((figure, "diagnostics against K"))
    else:
        k = args.k if args.k is not None else common.api_default(TopicModel, "k")

    model = TopicModel(k=k, seed=args.seed, **params).fit(data.dtm)
    written.extend(_write_model(model, data, args, out, selection))
    if args.by is None:
        note = (
            "no --by: prevalence.csv and figures/prevalence.png not written "
            "(pass --by FIELD, e.g. --by year, to compare topics across groups)"
        )
    else:
        from toolkit.plot import plot_prevalence

        table = prevalence(model, by=args.by, seed=args.seed)
        path = common.write_csv(table, out / "prevalence.csv")
        n_groups = table[args.by].nunique()
        written.append((path, f"{len(table)} rows: {n_groups} {args.by} x {k} topics"))
        fig = plot_prevalence(
            table,
            by=args.by,
            labels=model.labels(),
            title=f"各主题份额 topic share by {args.by} (95% bootstrap)",
        )
        written.append(
            (common.save_png(fig, out / "figures" / "prevalence"), f"topic shares by {args.by}")
        )
        note = None

    # Each figure's SVG was written beside its PNG.
    kept = {p.resolve() for path, _ in written for p in (path, path.with_suffix(".svg"))}
    for name in OPTIONAL_OUTPUTS:
        stale = out / name
        if stale.is_file() and stale.resolve() not in kept:
            stale.unlink()
            print(f"removed {stale}: left by an earlier run, not written by this one")
    for path, what in written:
        print(f"wrote {path}: {what}")
    if note:
        print(note)
    return common.report_rejected(rejected)


def _write_model(
    model, data, args: argparse.Namespace, out: Path, selection: dict[str, Any] | None
) -> list[tuple[Path, str]]:
    """topics.json, doc_topics.csv, covariate_effects.csv and the topics figure."""
    from toolkit.experiment.topics_analysis import doc_topic_table, topic_table
    from toolkit.plot import plot_topics

    k = model.k
    labels = model.labels(relevance=RELEVANCE)
    # c_npmi needs two terms at least; with --top 1 the top two are scored.
    n_coherence = max(2, args.n)
    coherence = model.coherence(texts=data.texts, measure="c_npmi", n=n_coherence)

    def listed(relevance: float) -> dict[str, list[dict[str, Any]]]:
        # The experiment's topics table, as one list of {term, probability} per topic.
        table = topic_table(model, n=args.n, relevance=relevance)
        return {
            str(topic): rows[["term", "probability"]].to_dict(orient="records")
            for topic, rows in table.groupby("topic", sort=False)
        }

    by_probability, by_relevance = listed(1.0), listed(RELEVANCE)
    topics = [
        {
            "id": f"topic_{t}",
            "label": labels[t],
            "terms": by_probability[f"topic_{t}"],
            "relevant_terms": by_relevance[f"topic_{t}"],
            "coherence_npmi": _number(coherence[t]),
        }
        for t in range(k)
    ]
    n_units, n_features = data.dtm.shape
    report = {
        "corpus": str(args.corpus),
        "unit": args.unit,
        "n_units": n_units,
        "n_features": n_features,
        "dropped": {"count": len(data.dropped), "ids": list(data.dropped)},
        "seed": args.seed,
        "model": model.get_params(),
        "preprocessing": {
            "text_field": args.text_field,
            "id_field": args.id_field,
            "min_df": args.min_df,
            "max_df": args.max_df,
        },
        "terms": {
            "top": args.n,
            "terms": "ranked by probability in the topic",
            "relevant_terms": f"ranked by relevance, lambda = {RELEVANCE}",
            "label": f"T<n> and the topic's three most relevant terms (lambda = {RELEVANCE})",
            "coherence_npmi": (
                f"c_npmi of the topic's top {n_coherence} terms by probability, "
                "on the modelled units' own tokens"
            ),
        },
        "k_selection": selection,
        "topics": topics,
    }
    path = out / "topics.json"
    with atomic_open(path) as fh:
        fh.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    written = [(path, f"{k} topics, {args.n} terms each")]

    frame = doc_topic_table(model, fields=[args.by, *(model.get_params()["covariates"] or [])])
    path = common.write_csv(frame, out / "doc_topics.csv")
    written.append((path, f"{len(frame)} units x {k} topic shares"))

    if args.covariates is not None:
        effects = model.covariate_effects_.reset_index()
        path = common.write_csv(effects, out / "covariate_effects.csv")
        written.append((path, f"{len(effects)} covariate values x {k} topics (log prior)"))

    fig = plot_topics(
        model,
        n=args.n,
        relevance=RELEVANCE,
        title=f"{model.k} 个主题 topics: top {args.n} terms (relevance λ = {RELEVANCE:g})",
    )
    written.append(
        (common.save_png(fig, out / "figures" / "topics"), f"top {args.n} terms per topic")
    )
    return written
