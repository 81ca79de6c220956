"""Analysis ``town_topics``: an LDA topic model of the corpus, and how much of each town it takes.

:func:`~toolkit.topics.prepare_topics` turns the corpus into paragraphs (by
default) counted over term-aware tokens: official terms stay whole,
stopwords, numbers and single characters go, rare and ubiquitous words are
trimmed. A :class:`~toolkit.topics.TopicModel` with the experiment's seed is
fitted on them; each topic's top terms, each paragraph's topic shares and the
mean share per town (and per year) with bootstrap intervals are written out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from toolkit._validation import check_choice, check_positive_int
from toolkit.corpus import Corpus
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.plot import FULL_WIDTH, figure_style, plot_prevalence, plot_topics
from toolkit.topics import BACKENDS, TopicModel, prepare_topics, prevalence

__all__ = ["TOPICS_COLUMNS", "doc_topic_table", "topic_table", "town_topics"]

#: Columns of ``tables/topics.csv``.
TOPICS_COLUMNS = ("topic", "rank", "term", "probability")

_UNITS = ("paragraph", "document")
# Decimals kept in the CSV tables: enough to rank and compare, short enough to read.
_DECIMALS = 6


@analysis_options(
    unit="paragraph",
    k=6,
    by="town",
    time="year",
    backend="gensim",
    n=8,
    relevance=0.6,
    min_df=2,
)
def town_topics(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Fit a topic model and write its topics, each unit's topic shares and prevalence by group.

    Writes:

    - ``tables/topics.csv``: each topic's ``n`` terms, columns ``topic``
      (``topic_0`` …), ``rank``, ``term``, ``probability`` (the term's
      probability in the topic, φ). Terms are ranked by Sievert & Shirley's
      relevance with λ = ``relevance`` (1 ranks by probability; 0.6, the
      default, lifts terms that are frequent in the topic *and* rare
      elsewhere), ties by term.
    - ``tables/doc_topics.csv``: one row per unit the model was fitted on
      (``doc_id`` is ``<article>#p<n>`` for paragraphs), with ``document``
      (the article, for paragraphs), the ``by`` and ``time`` docvars and the
      share of every topic; rows in corpus order, shares summing to 1.
    - ``tables/topic_prevalence_<by>.csv`` and, unless ``time`` is ``""``,
      ``tables/topic_prevalence_<time>.csv``: :func:`toolkit.topics.prevalence`
      of the model, one row per (group, topic): ``share`` (mean share over the
      group's units), ``lower`` and ``upper`` (95% bootstrap interval, seeded
      with the experiment's seed) and ``n_documents`` (units in the group).
    - ``figures/topics.png`` and ``.svg``: :func:`toolkit.plot.plot_topics`,
      one panel of ``n`` terms per topic.
    - ``figures/topic_prevalence.png`` and ``.svg``: the mean share of each
      topic per ``by`` value as a heatmap and, beside it, per ``time`` value
      as lines with their intervals (:func:`toolkit.plot.plot_prevalence`).

    Metrics: ``topics_k``, ``topics_n_units`` (units fitted),
    ``topics_n_dropped`` (units left empty by the filters and not fitted),
    ``topics_n_features`` (vocabulary size), ``topics_coherence_npmi`` (each
    topic's c_npmi over its 10 most probable terms, on the filtered tokens)
    and ``topics_coherence_npmi_mean``.

    Parameters
    ----------
    corpus : Corpus
        The ingested corpus.
    options : mapping
        ``unit``: ``"paragraph"`` or ``"document"``; ``k``: topics;
        ``by``: the docvar of the groups (towns); ``time``: a docvar for the
        prevalence over time (``year``), or ``""`` for none; ``backend``:
        ``"gensim"`` or ``"tomotopy"``; ``n``: terms per topic;
        ``relevance``: λ between 0 and 1; ``min_df``: units a word must occur
        in to be kept (:func:`~toolkit.topics.prepare_topics`).
    ctx : RunContext
        Where outputs go; ``ctx.seed`` seeds the model and the bootstrap.

    Raises
    ------
    KeyError
        If ``by`` or ``time`` is not a docvar of the corpus.
    ValueError
        On a bad option value, ``time`` equal to ``by``, or when some fitted
        units have no ``by`` or ``time`` value.
    """
    unit = check_choice("town_topics: unit", options["unit"], _UNITS)
    k = check_positive_int("town_topics: k", options["k"])
    n = check_positive_int("town_topics: n", options["n"])
    min_df = check_positive_int("town_topics: min_df", options["min_df"])
    backend = check_choice("town_topics: backend", options["backend"], BACKENDS)
    relevance = float(options["relevance"])
    if not 0.0 <= relevance <= 1.0:
        raise ValueError(f"town_topics: relevance must be between 0 and 1 (got {relevance})")
    by, time = options["by"], options["time"]
    if time == by:
        raise ValueError(
            f"town_topics: by and time are both {by!r}; set time to another field or ''"
        )
    fields = {"by": by, **({"time": time} if time else {})}
    available = sorted(corpus.docvars.columns)
    for name, field in fields.items():
        if field not in available:
            raise KeyError(
                f"town_topics: {name} field {field!r} is not a docvar of this corpus; "
                f"available: {available}"
            )

    data = prepare_topics(corpus, unit=unit, min_df=min_df, progress=ctx.progress)
    for field in fields.values():
        missing = data.dtm.docvars[field].isna()
        if missing.any():
            examples = [d for d, m in zip(data.dtm.doc_ids, missing, strict=True) if m][:3]
            raise ValueError(
                f"town_topics: {int(missing.sum())} units have no {field!r} value "
                f"(e.g. {examples}); fill the docvar or choose another field"
            )
    model = TopicModel(k=k, backend=backend, seed=ctx.seed).fit(data.dtm)

    ctx.save_table(topic_table(model, n=n, relevance=relevance), "topics", index=False)
    ctx.save_table(doc_topic_table(model, fields=fields.values()), "doc_topics", index=False)
    tables = {}
    for field in fields.values():
        tables[field] = prevalence(model, by=field, seed=ctx.seed)
        rounded = tables[field].round({c: _DECIMALS for c in ("share", "lower", "upper")})
        ctx.save_table(rounded, f"topic_prevalence_{field}", index=False)

    fig = plot_topics(
        model,
        n=n,
        relevance=relevance,
        ncols=min(k, 3),
        title=f"{k} 个主题 topics: top {n} terms (relevance λ = {relevance:g})",
    )
    ctx.save_figure(fig, "topics")
    ctx.save_figure(_prevalence_figure(model, tables, by=by, time=time), "topic_prevalence")

    coherence = [_finite(c) for c in model.coherence(texts=data.texts, measure="c_npmi")]
    scored = [c for c in coherence if c is not None]
    ctx.add_metric("topics_k", k)
    ctx.add_metric("topics_n_units", len(data.dtm))
    ctx.add_metric("topics_n_dropped", len(data.dropped))
    ctx.add_metric("topics_n_features", len(data.dtm.feature_names))
    ctx.add_metric("topics_coherence_npmi", coherence)
    ctx.add_metric(
        "topics_coherence_npmi_mean",
        round(sum(scored) / len(scored), _DECIMALS) if scored else None,
    )


def topic_table(model: TopicModel, *, n: int = 8, relevance: float = 0.6) -> pd.DataFrame:
    """Each topic's ``n`` top terms with their probability in the topic.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n : int
        Terms per topic.
    relevance : float
        λ of :meth:`TopicModel.top_terms`, which ranks the terms.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TOPICS_COLUMNS`: ``topic`` (``topic_0`` …), ``rank``
        (from 1), ``term``, ``probability`` (φ, rounded to 6 decimals);
        topics in order, terms by rank.
    """
    column = {name: j for j, name in enumerate(model.feature_names_)}
    rows = [
        {
            "topic": f"topic_{t}",
            "rank": rank,
            "term": term,
            "probability": round(float(model.topic_term_[t, column[term]]), _DECIMALS),
        }
        for t, terms in enumerate(model.top_terms(n, relevance=relevance))
        for rank, term in enumerate(terms, start=1)
    ]
    return pd.DataFrame(rows, columns=list(TOPICS_COLUMNS))


def doc_topic_table(model: TopicModel, *, fields: Iterable[str] = ()) -> pd.DataFrame:
    """The fitted units' topic shares, one row per unit, for ``doc_topics.csv``.

    Columns: ``doc_id``, the unit's article (``document``: for a paragraph
    unit its article, for a document unit the document itself, so shares add
    up by article the same way for both), each docvar of ``fields`` the model
    has, then one share per topic, rounded to six decimals so the file is the
    same on every platform. ``tifa topics`` and the ``town_topics`` analysis
    both write this table.
    """
    wanted = [f for f in fields if f and f != "document"]
    keep = [c for c in wanted if c in model.docvars_.columns]
    shares = model.doc_topic_.round(_DECIMALS)
    docvars = model.docvars_.set_axis(shares.index)
    document = docvars["document"] if "document" in docvars.columns else shares.index.to_series()
    table = pd.concat([document.rename("document"), docvars[keep], shares], axis=1)
    return table.reset_index()


def _prevalence_figure(
    model: TopicModel, tables: dict[str, pd.DataFrame], *, by: str, time: str
) -> Figure:
    """Heatmap of the mean shares per ``by`` value; lines per ``time`` value beside it."""
    labels = model.labels()
    n_groups = tables[by][by].nunique()
    # Full width, the lines under the heatmap: side by side neither fits 7 in.
    # The heatmap takes 0.2 in per group row (as plot_prevalence draws it alone).
    heat_height = min(max(2.0, 1.5 + 0.2 * n_groups), 30.0)
    with figure_style():
        if not time:
            fig, heat = plt.subplots(figsize=(FULL_WIDTH, heat_height), layout="constrained")
        else:
            fig = plt.figure(figsize=(FULL_WIDTH, heat_height + 3.0), layout="constrained")
            # Subfigures, so that each panel is laid out alone: in one grid the
            # heatmap's colour bar would be pushed past the lines' legend.
            grid = fig.add_gridspec(2, 1, height_ratios=[heat_height, 3.0])
            heat = fig.add_subfigure(grid[0]).subplots()
            lines = fig.add_subfigure(grid[1]).subplots()
            plot_prevalence(
                tables[time],
                by=time,
                kind="lines",
                labels=labels,
                title=f"各主题份额 topic share by {time} (95% bootstrap)",
                ax=lines,
            )
        plot_prevalence(
            tables[by], by=by, kind="heatmap", labels=labels, title=f"平均主题份额 by {by}", ax=heat
        )
    return fig


def _finite(value: float) -> float | None:
    return round(value, _DECIMALS) if math.isfinite(value) else None


# What each output shows, for report.html (toolkit.experiment.report): patterns of
# the files this analysis writes, placeholders filled from the file's name.
CAPTIONS = {
    "figures/topics": (
        "What each topic of the LDA model is about: its top terms ranked by relevance "
        "(λ in the title: lower favours terms exclusive to the topic), the bar their "
        "probability in the topic."
    ),
    "figures/topic_prevalence": (
        "How much of each unit and each period every topic takes: mean topic shares "
        "per unit (heatmap) and per period (lines with bootstrap 95% intervals)."
    ),
    "tables/topics": "Each topic's top terms by rank, with their probability in the topic.",
    "tables/doc_topics": (
        "Each modelled unit (paragraph or document) with its docvars and its share of "
        "every topic (a row sums to 1)."
    ),
    "tables/topic_prevalence_{field}": (
        "The mean share of every topic per {field}, with a bootstrap 95% interval "
        "(lower, upper) and the number of documents behind it."
    ),
}
