"""Analysis ``corpus_overview``: documents and characters per town, county or any docvar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from toolkit.corpus import Corpus
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.plot import FULL_WIDTH, OKABE_ITO, figure_style, plot_group_counts

__all__ = ["corpus_overview"]


@analysis_options(by=["town", "county"])
def corpus_overview(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Count documents and characters in total and per value of each ``by`` field.

    Writes, for every field in ``options["by"]``:

    - ``tables/counts_by_<field>.csv``: one row per value, sorted by value, with
      columns ``documents`` and ``characters`` (characters are ``len(text)``,
      as in ``tifa info``); documents without the field are counted under ``<missing>``;
    - ``figures/counts_by_<field>.png`` and ``.svg``: the two counts as bar charts.

    Metrics: ``n_documents``, ``n_characters``, ``n_rejected``, and per field
    ``n_groups_by_<field>`` (values, not counting ``<missing>``) and
    ``n_missing_by_<field>`` (documents without the field).

    Parameters
    ----------
    corpus : Corpus
        The ingested corpus.
    options : mapping
        ``by``: list of docvar names.
    ctx : RunContext
        Where outputs go.
    """
    by = list(options["by"])
    available = sorted(corpus.docvars.columns)
    for field in by:
        if field not in available:
            raise KeyError(
                f"corpus_overview: by field {field!r} is not a docvar of this corpus; "
                f"available: {available}"
            )
    ctx.add_metric("n_documents", len(corpus))
    ctx.add_metric("n_characters", sum(len(t) for t in corpus.texts))
    ctx.add_metric("n_rejected", len(ctx.rejected))
    for field in by:
        table = corpus.summary(by=field)
        n_missing = sum(1 for doc in corpus if field not in doc.meta)
        ctx.save_table(table, f"counts_by_{field}")
        ctx.add_metric(f"n_groups_by_{field}", len(table) - (1 if n_missing else 0))
        ctx.add_metric(f"n_missing_by_{field}", n_missing)
        ctx.save_figure(_counts_figure(table, field), f"counts_by_{field}")


def _counts_figure(table: pd.DataFrame, field: str) -> Figure:
    with figure_style():
        # As tall as plot_group_counts draws the same rows (0.16 in per bar).
        height = min(1.0 + 0.16 * len(table), 40.0)
        fig, (left, right) = plt.subplots(
            1, 2, figsize=(FULL_WIDTH, height), sharey=True, layout="constrained"
        )
        plot_group_counts(table, ax=left, value="documents", title=f"documents by {field}")
        plot_group_counts(
            table,
            ax=right,
            value="characters",
            title=f"characters by {field}",
            color=OKABE_ITO[4],  # vermillion: not the documents' blue
        )
        right.set_ylabel("")
    return fig


# What each output shows, for report.html (toolkit.experiment.report): patterns of
# the files this analysis writes, placeholders filled from the file's name.
CAPTIONS = {
    "figures/counts_by_{field}": (
        "How much text each {field} contributes: documents (left) and characters "
        "(right) per {field}; a short bar is a {field} whose results rest on little text."
    ),
    "tables/counts_by_{field}": (
        "Documents and characters per {field}, sorted by {field}; documents without "
        "the field are counted under <missing>."
    ),
}
