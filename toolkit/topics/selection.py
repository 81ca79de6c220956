"""Choosing the number of topics by evidence: a grid of K with four diagnostics."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import as_completed
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from toolkit._parallel import process_pool, worker_state
from toolkit._validation import check_flag, check_fraction, check_positive_int, check_seed
from toolkit.dtm import DocTermMatrix
from toolkit.topics.model import TopicModel

__all__ = ["exclusivity", "select_k", "topic_diversity"]


def exclusivity(model: TopicModel, n: int = 10) -> float:
    """Mean share of each top term's probability that belongs to its own topic (0–1)."""
    phi = model.topic_term_
    share = phi / np.maximum(phi.sum(axis=0, keepdims=True), 1e-12)
    column = {name: j for j, name in enumerate(model.feature_names_)}
    values = [
        share[t, column[term]] for t, terms in enumerate(model.top_terms(n)) for term in terms
    ]
    return float(np.mean(values))


def topic_diversity(model: TopicModel, n: int = 25) -> float:
    """Share of distinct terms among all topics' top ``n`` (1 = no topic repeats another)."""
    tops = model.top_terms(n)
    return len({t for terms in tops for t in terms}) / max(1, sum(len(t) for t in tops))


def _diagnostics(
    k: int, train: DocTermMatrix, held: DocTermMatrix, texts: Any, seed: int, params: dict
) -> dict[str, Any]:
    model = TopicModel(k=k, seed=seed, **params).fit(train)
    return {
        "k": k,
        "coherence_npmi": float(np.mean(model.coherence(texts=texts, measure="c_npmi"))),
        "exclusivity": exclusivity(model),
        "perplexity": float(np.exp(-model.log_likelihood(held))),
        "diversity": topic_diversity(model),
    }


def _diagnostics_in_worker(k: int) -> dict[str, Any]:
    # The data reach each worker once, not with every K.
    return _diagnostics(k, **worker_state())


def select_k(
    dtm: DocTermMatrix,
    ks: Iterable[int],
    *,
    texts: Any,
    seed: int = 0,
    held_out: float = 0.1,
    n_jobs: int = 1,
    progress: bool = True,
    **params: Any,
) -> pd.DataFrame:
    """Fit one model per K and report coherence, exclusivity, perplexity and diversity.

    Parameters
    ----------
    dtm : DocTermMatrix
    ks : iterable of int
    texts : token lists
        The reference for c_npmi coherence (the same for every K).
    seed : int
        Seeds the models and the held-out split.
    held_out : float
        Share of documents kept out of fitting to measure perplexity.
    n_jobs : int
        Models fitted at once, one process each. Every model is fitted
        single-threaded with its seed, so the table does not depend on ``n_jobs``.
    progress : bool
        Show a progress bar over the K.
    **params
        Passed to :class:`TopicModel`.

    Returns
    -------
    pandas.DataFrame
        One row per K: ``k``, ``coherence_npmi`` (mean over topics, top 10
        terms, on ``texts``), ``exclusivity``, ``perplexity`` (held-out,
        ``exp`` of minus the log-likelihood per word) and ``diversity``.
        ``attrs["recommended"]`` is the chosen K and ``attrs["rule"]`` says how
        it was chosen: the highest mean c_npmi among the K whose topic
        diversity is at least 0.5 (all K if none is). The threshold only
        rules out K whose topics mostly repeat each other: on the provincial
        reports every K from 10 to 40 has a diversity of 0.64–0.69, and a
        threshold of 0.7 left K = 5, the least coherent.
    """
    check_fraction("held_out", held_out)
    check_seed("seed", seed)
    check_flag("progress", progress)
    check_positive_int("n_jobs", n_jobs)
    if texts is None or isinstance(texts, str):
        raise TypeError(
            "texts must be token lists, the reference for coherence "
            f"(got {type(texts).__name__}); pass prepare_topics(...).texts"
        )
    ks = sorted(set(ks))
    if not ks:
        raise ValueError("ks must name at least one number of topics (got none)")
    for k in ks:
        check_positive_int("ks", k)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(dtm), dtype=bool)
    test[rng.choice(len(dtm), size=max(1, round(held_out * len(dtm))), replace=False)] = True
    # The keyword arguments of _diagnostics besides k, for this process or each worker.
    shared: dict[str, Any] = {
        "train": dtm.rows(~test),
        "held": dtm.rows(test),
        "texts": [list(t) for t in texts],
        "seed": seed,
        "params": params,
    }
    bar = tqdm(total=len(ks), desc="select_k", unit="K", disable=not progress)
    if n_jobs == 1 or len(ks) == 1:
        rows = []
        for k in ks:
            rows.append(_diagnostics(k, **shared))
            bar.update()
    else:
        with process_pool(n_jobs, state=shared) as pool:
            # Largest K first: they take longest, so the pool ends together.
            futures = [pool.submit(_diagnostics_in_worker, k) for k in reversed(ks)]
            for _ in as_completed(futures):
                bar.update()
            rows = [f.result() for f in futures]
    bar.close()
    # Sorted apart from the DataFrame call: inside it, mypy infers the rows from
    # pandas-stubs' wide type of DataFrame data instead of list[dict[str, Any]].
    rows.sort(key=lambda row: row["k"])
    table = pd.DataFrame(rows)
    diverse = table[table["diversity"] >= 0.5]
    pool_ = diverse if len(diverse) else table
    table.attrs["recommended"] = int(pool_.loc[pool_["coherence_npmi"].idxmax(), "k"])
    table.attrs["rule"] = (
        "highest mean c_npmi among K with topic diversity >= 0.5"
        if len(diverse)
        else "highest mean c_npmi (no K reached topic diversity 0.5)"
    )
    return table
