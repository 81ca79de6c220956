"""Choosing the number of topics by evidence: a grid of K with four diagnostics."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

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


def select_k(
    dtm: DocTermMatrix,
    ks: Iterable[int],
    *,
    texts: Any,
    seed: int = 0,
    held_out: float = 0.1,
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
    **params
        Passed to :class:`TopicModel`.

    Returns
    -------
    pandas.DataFrame
        One row per K. ``attrs["recommended"]`` is the chosen K and
        ``attrs["rule"]`` says how it was chosen: the highest mean c_npmi
        among the K whose topic diversity is at least 0.7 (all K if none is).
    """
    if not 0.0 < held_out < 1.0:
        raise ValueError(f"held_out must be between 0 and 1, exclusive (got {held_out})")
    ks = sorted(set(ks))
    if not ks:
        raise ValueError("ks must name at least one number of topics (got none)")
    rng = np.random.default_rng(seed)
    test = np.zeros(len(dtm), dtype=bool)
    test[rng.choice(len(dtm), size=max(1, round(held_out * len(dtm))), replace=False)] = True
    train = dtm.rows(~test)
    held = dtm.rows(test)
    rows = []
    for k in ks:
        model = TopicModel(k=k, seed=seed, **params).fit(train)
        log_likelihood = model.log_likelihood(held)
        rows.append(
            {
                "k": k,
                "coherence_npmi": float(np.mean(model.coherence(texts=texts, measure="c_npmi"))),
                "exclusivity": exclusivity(model),
                "perplexity": float(np.exp(-log_likelihood)),
                "diversity": topic_diversity(model),
            }
        )
    table = pd.DataFrame(rows)
    diverse = table[table["diversity"] >= 0.7]
    pool = diverse if len(diverse) else table
    table.attrs["recommended"] = int(pool.loc[pool["coherence_npmi"].idxmax(), "k"])
    table.attrs["rule"] = (
        "highest mean c_npmi among K with topic diversity >= 0.7"
        if len(diverse)
        else "highest mean c_npmi (no K reached topic diversity 0.7)"
    )
    return table
