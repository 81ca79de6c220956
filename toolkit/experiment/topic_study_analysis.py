"""Analysis ``topic_study``: choose K, fit, read the topics by group, beside the naive pipeline.

What ``experiments/provincial_topics`` asks of the provincial government work
reports, for any corpus with a time docvar: keep the documents of a span of
years (and every ``every``-th of them for a quick run), count their
paragraphs with :func:`~toolkit.topics.prepare_topics`, score the numbers of
topics of a grid with :func:`~toolkit.topics.select_k`, fit
:class:`~toolkit.topics.TopicModel` at ``k``, read its prevalence per value
of each ``by`` docvar, compare its coherence with the pipeline researchers
write today (``jieba.lcut``, no stopwords, gensim's ``LdaModel`` defaults) on a
common reference, and fit a covariate (DMR) model on ``covariates``.

The steps and settings are those of ``benchmarks/topics.py``, so with the
same corpus, ``k`` and seed the tables hold the benchmark's figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from toolkit._validation import check_choice, check_positive_int
from toolkit.corpus import Corpus
from toolkit.dtm import split_units
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.plot import plot_k_selection, plot_prevalence, plot_topics
from toolkit.topics import (
    BACKENDS,
    TopicModel,
    prepare_topics,
    prevalence,
    reference_coherence,
    select_k,
)

__all__ = ["naive_pipeline", "study_corpus", "top_terms_table", "topic_study"]

# tomotopy's expected topic mix can differ in the 9th digit between processes.
_PRIOR_DECIMALS = 6
# select_k fits its grid in this many worker processes (the machine's two cores).
_N_JOBS = 2


def study_corpus(corpus: Corpus, *, time: str, years: Sequence[int], every: int) -> Corpus:
    """The documents whose ``time`` lies in ``years`` (inclusive), every ``every``-th of them.

    Parameters
    ----------
    corpus : Corpus
    time : str
        A docvar holding years (ints); documents without one are left out.
    years : sequence of two ints
        First and last year kept; ``[]`` keeps every document.
    every : int
        Keep documents 0, ``every``, 2 × ``every`` … of those (1: all), in
        corpus order: a quick run of the same study.

    Raises
    ------
    ValueError
        If ``years`` is not ``[]`` or two years in order, or no document is left.
    """
    if years and (len(years) != 2 or years[0] > years[1]):
        raise ValueError(
            f"topic_study: years must be [first, last] with first <= last, or [] (got {years!r})"
        )
    docs = [
        d
        for d in corpus
        if not years or (isinstance(d.meta.get(time), int) and years[0] <= d.meta[time] <= years[1])
    ]
    kept = docs[::every]
    if not kept:
        raise ValueError(
            f"topic_study: no document has a {time!r} within years {list(years)!r} "
            f"({len(corpus)} documents read); widen years or set years = []"
        )
    return Corpus(kept)


def top_terms_table(model: TopicModel, *, n: int) -> pd.DataFrame:
    """Each topic's ``n`` most probable terms, with the ranking by relevance λ = 0.6 beside them.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic``, ``label``, ``rank``, ``term``, ``probability``
        (φ, unrounded), ``term_relevance_0_6`` (the term at that rank by
        relevance λ = 0.6).
    """
    column = {name: j for j, name in enumerate(model.feature_names_)}
    labels = model.labels()
    exclusive = model.top_terms(n, relevance=0.6)
    rows = [
        {
            "topic": f"topic_{t}",
            "label": labels[t],
            "rank": rank,
            "term": term,
            "probability": float(model.topic_term_[t, column[term]]),
            "term_relevance_0_6": exclusive[t][rank - 1],
        }
        for t, terms in enumerate(model.top_terms(n))
        for rank, term in enumerate(terms, start=1)
    ]
    return pd.DataFrame(rows)


def naive_pipeline(paragraphs: list[str], *, k: int, n: int, seed: int) -> dict[str, Any]:
    """The pipeline researchers write today: ``jieba.lcut``, no stopwords, gensim defaults.

    Parameters
    ----------
    paragraphs : list of str
        The same paragraphs the toolkit's model learns from.
    k, n, seed : int
        Topics, top terms per topic, ``random_state`` of ``LdaModel``.

    Returns
    -------
    dict
        ``top_terms`` (``k`` lists of ``n`` terms), ``reference`` (c_npmi of
        each topic on :func:`~toolkit.topics.reference_coherence`'s common
        reference) and ``own`` (c_npmi on its own tokens).
    """
    import jieba
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel

    # A private tokenizer: jieba's global one is left as the user set it.
    tokenizer = jieba.Tokenizer()
    tokens = [tokenizer.lcut(p) for p in paragraphs]
    dictionary = Dictionary(tokens)
    lda = LdaModel(
        [dictionary.doc2bow(t) for t in tokens], id2word=dictionary, num_topics=k, random_state=seed
    )
    tops = [[w for w, _ in lda.show_topic(t, topn=n)] for t in range(k)]
    own = CoherenceModel(
        topics=tops, texts=tokens, dictionary=dictionary, coherence="c_npmi", processes=1
    ).get_coherence_per_topic()
    return {
        "top_terms": tops,
        "reference": reference_coherence(tops, paragraphs),
        "own": [float(c) for c in own],
    }


def _mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values))


@analysis_options(
    time="year",
    years=[2016, 2026],
    every=1,
    ks=[5, 10, 15, 20, 25, 30, 35, 40],
    k=20,
    n=10,
    by=["province", "year"],
    backend="gensim",
    naive=True,
    covariates=["province", "year"],
    label="",
)
def topic_study(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Choose K, fit a topic model, read it by group, and compare it with the naive pipeline.

    Writes (``<k>`` is the option ``k``):

    - ``tables/select_k.csv`` and ``figures/k_selection.png``: every K of
      ``ks`` scored by :func:`~toolkit.topics.select_k` (coherence,
      exclusivity, perplexity, diversity) and the K its rule recommends
      (skipped when ``ks`` is ``[]``).
    - ``tables/top_terms_k<k>.csv``: :func:`top_terms_table` of the model;
      ``figures/topics_k<k>.png`` its top ``n`` terms per topic.
    - ``tables/coherence_k<k>.csv``: each topic's c_npmi on the common
      reference (:func:`~toolkit.topics.reference_coherence`) and on its own tokens.
    - ``tables/doc_topic_k<k>.csv``: every paragraph's topic shares (``doc_id``
      is ``<document>#p<n>``), unrounded.
    - ``tables/prevalence_by_<field>.csv`` and ``figures/prevalence_by_<field>.png``
      for each field of ``by``: :func:`~toolkit.topics.prevalence` (mean
      share, 95 % bootstrap interval); a heatmap for the first field, lines
      for the others.
    - with ``naive``: ``tables/coherence_comparison.csv`` (mean c_npmi of both
      pipelines on the common reference and on their own tokens) and
      ``tables/naive_top_terms_k<k>.csv``.
    - with ``covariates``: a tomotopy DMR model on them,
      ``tables/dmr_effects.csv`` (each covariate level's weight on each
      topic), ``tables/dmr_top_terms_k<k>.csv``, and, for the first
      covariate, ``tables/dmr_prior_by_<field>.csv`` and its heatmap (the
      topic mix the model expects for each value, rounded to 6 decimals).

    Metrics (all prefixed ``topics_``): ``n_reports``, ``n_paragraphs``,
    ``n_units``, ``n_features``, ``n_tokens``, ``n_dropped``, ``k``,
    ``recommended_k`` and ``k_rule`` (with ``ks``),
    ``coherence_reference_toolkit`` / ``_naive`` / ``_dmr`` and
    ``coherence_own_toolkit`` / ``_naive``.

    Parameters
    ----------
    corpus : Corpus
        The ingested corpus.
    options : mapping
        ``time``: the docvar of years; ``years``: ``[first, last]`` kept
        (``[]``: all); ``every``: keep every n-th document (a quick run);
        ``ks``: the grid of :func:`~toolkit.topics.select_k` (``[]``: skip);
        ``k``: topics of the model drawn; ``n``: top terms per topic; ``by``:
        docvars to read prevalence by; ``backend``: of the model at ``k``;
        ``naive``: run the naive pipeline; ``covariates``: docvars of the DMR
        model (``[]``: skip); ``label``: words put in the figure titles
        (the corpus, e.g. ``"省级政府工作报告 2016–2026"``).
    ctx : RunContext
        Where outputs go; ``ctx.seed`` seeds every model and the bootstrap.

    Raises
    ------
    KeyError
        If ``time``, a ``by`` field or a covariate is not a docvar of the corpus.
    ValueError
        On a bad option value, or when no document is left after ``years``.
    """
    time = options["time"]
    years = list(options["years"])
    every = check_positive_int("topic_study: every", options["every"])
    ks = [check_positive_int("topic_study: ks", v) for v in options["ks"]]
    k = check_positive_int("topic_study: k", options["k"])
    n = check_positive_int("topic_study: n", options["n"])
    backend = check_choice("topic_study: backend", options["backend"], BACKENDS)
    by, covariates, label = list(options["by"]), list(options["covariates"]), options["label"]
    available = sorted(corpus.docvars.columns)
    for name, fields in (("time", [time]), ("by", by), ("covariates", covariates)):
        for field in fields:
            if field not in available:
                raise KeyError(
                    f"topic_study: {name} field {field!r} is not a docvar of this corpus; "
                    f"available: {available}"
                )
    seed = ctx.seed
    where = f" {label}" if label else ""

    study = study_corpus(corpus, time=time, years=years, every=every)
    paragraphs = [d.text for d in split_units(study, "paragraph")]
    data = prepare_topics(study, unit="paragraph", progress=False)
    ctx.add_metric("topics_n_reports", len(study))
    ctx.add_metric("topics_n_paragraphs", len(paragraphs))
    ctx.add_metric("topics_n_units", data.dtm.shape[0])
    ctx.add_metric("topics_n_features", data.dtm.shape[1])
    ctx.add_metric("topics_n_tokens", int(data.dtm.counts.sum()))
    ctx.add_metric("topics_n_dropped", len(data.dropped))
    ctx.add_metric("topics_k", k)

    if ks:
        table = select_k(data.dtm, ks, texts=data.texts, seed=seed, n_jobs=_N_JOBS)
        ctx.save_table(table, "select_k", index=False)
        ctx.save_figure(plot_k_selection(table, title=f"主题数的选择{where}"), "k_selection")
        ctx.add_metric("topics_recommended_k", table.attrs["recommended"])
        ctx.add_metric("topics_k_rule", table.attrs["rule"])

    model = TopicModel(k=k, backend=backend, seed=seed).fit(data.dtm)
    on_reference = reference_coherence(model.top_terms(n), paragraphs)
    on_tokens = model.coherence(texts=data.texts, measure="c_npmi", n=n)
    ctx.save_table(top_terms_table(model, n=n), f"top_terms_k{k}", index=False)
    coherence = pd.DataFrame(
        {
            "topic": [f"topic_{t}" for t in range(k)],
            "label": model.labels(),
            "c_npmi_reference": on_reference,
            "c_npmi_own_tokens": on_tokens,
        }
    )
    ctx.save_table(coherence, f"coherence_k{k}", index=False)
    ctx.save_table(model.doc_topic_, f"doc_topic_k{k}")
    ctx.save_figure(plot_topics(model, n=n, title=f"K={k} 个主题 (top {n}){where}"), f"topics_k{k}")
    labels = model.labels()
    for i, field in enumerate(by):
        shares = prevalence(model, by=field, seed=seed)
        ctx.save_table(shares, f"prevalence_by_{field}", index=False)
        if i == 0:
            fig = plot_prevalence(shares, by=field, kind="heatmap", labels=labels)
            fig.set_size_inches(14, 9)
        else:
            fig = plot_prevalence(shares, by=field, kind="lines", labels=labels)
        ctx.save_figure(fig, f"prevalence_by_{field}")
    ctx.add_metric("topics_coherence_reference_toolkit", _mean(on_reference))
    ctx.add_metric("topics_coherence_own_toolkit", _mean(on_tokens))

    if options["naive"]:
        naive = naive_pipeline(paragraphs, k=k, n=n, seed=seed)
        comparison = pd.DataFrame(
            [
                {
                    "pipeline": "naive: jieba.lcut + LdaModel",
                    "c_npmi_reference": _mean(naive["reference"]),
                    "c_npmi_own_tokens": _mean(naive["own"]),
                },
                {
                    "pipeline": "toolkit: prepare_topics + TopicModel",
                    "c_npmi_reference": _mean(on_reference),
                    "c_npmi_own_tokens": _mean(on_tokens),
                },
            ]
        )
        ctx.save_table(comparison, "coherence_comparison", index=False)
        naive_terms = pd.DataFrame(
            [
                {"topic": f"topic_{t}", "rank": i, "term": w}
                for t, terms in enumerate(naive["top_terms"])
                for i, w in enumerate(terms, start=1)
            ]
        )
        ctx.save_table(naive_terms, f"naive_top_terms_k{k}", index=False)
        ctx.add_metric("topics_coherence_reference_naive", _mean(naive["reference"]))
        ctx.add_metric("topics_coherence_own_naive", _mean(naive["own"]))

    if covariates:
        _covariate_model(data, paragraphs, covariates=covariates, k=k, n=n, ctx=ctx)


def _covariate_model(
    data: Any, paragraphs: list[str], *, covariates: list[str], k: int, n: int, ctx: RunContext
) -> None:
    """The DMR model on ``covariates``: effects, top terms, expected mix per first covariate."""
    cov = TopicModel(k=k, seed=ctx.seed, backend="tomotopy", covariates=covariates)
    cov.fit(data.dtm)
    ctx.save_table(cov.covariate_effects_, "dmr_effects")
    ctx.save_table(top_terms_table(cov, n=n), f"dmr_top_terms_k{k}", index=False)
    field = covariates[0]
    values = sorted(data.dtm.docvars[field].astype(str).unique())
    prior = pd.DataFrame(
        [
            {field: v, "topic": topic, "share": round(float(share), _PRIOR_DECIMALS)}
            for v in values
            for topic, share in cov.topic_prior(**{field: v}).items()
        ]
    )
    ctx.save_table(prior, f"dmr_prior_by_{field}", index=False)
    fig = plot_prevalence(prior, by=field, kind="heatmap", labels=cov.labels())
    fig.set_size_inches(14, 9)
    ctx.save_figure(fig, f"dmr_prior_by_{field}")
    ctx.add_metric(
        "topics_coherence_reference_dmr",
        _mean(reference_coherence(cov.top_terms(n), paragraphs)),
    )


# What each output shows, for the run's report.html (toolkit.experiment.report).
CAPTIONS = {
    "figures/k_selection": (
        "How the number of topics was chosen: coherence, exclusivity, held-out perplexity "
        "and topic diversity for every K tried; the recommended K is marked."
    ),
    "tables/select_k": (
        "Every K tried with its four diagnostics; the rule's choice is in the metrics."
    ),
    "figures/topics_k{k}": (
        "What each of the K topics is about: its top terms, the bar their probability in the topic."
    ),
    "tables/top_terms_k{k}": "Each topic's top terms by rank, with their probability in the topic.",
    "tables/coherence_k{k}": (
        "Each topic's c_npmi coherence on the common reference (raw paragraphs, so pipelines "
        "that segment differently compare) and on the model's own tokens."
    ),
    "tables/doc_topic_k{k}": "Every paragraph's share of each topic (a row sums to 1).",
    "figures/prevalence_by_{field}": (
        "How much of each {field} every topic takes: mean topic shares with bootstrap 95% "
        "intervals (a heatmap for the first field, lines for the others)."
    ),
    "tables/prevalence_by_{field}": (
        "The mean share of every topic per {field}, with a bootstrap 95% interval and the "
        "number of documents behind it."
    ),
    "tables/coherence_comparison": (
        "Mean c_npmi of the toolkit's pipeline (terms kept whole, filler dropped) against the "
        "naive jieba + gensim pipeline, on the common reference and on each one's own tokens."
    ),
    "tables/naive_top_terms_k{k}": (
        "The naive pipeline's topics, for comparison: top terms per topic."
    ),
    "tables/dmr_effects": (
        "The covariate (DMR) model: each covariate level's weight on each topic; positive "
        "weights make a topic more expected for that level."
    ),
    "tables/dmr_top_terms_k{k}": "The covariate model's topics: top terms per topic.",
    "tables/dmr_prior_by_{field}": "The topic mix the covariate model expects for each {field}.",
    "figures/dmr_prior_by_{field}": (
        "The topic mix the covariate model expects for each {field}, as a heatmap."
    ),
}
