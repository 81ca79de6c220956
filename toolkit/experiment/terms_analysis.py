"""Analysis ``town_terms``: each town's official terms (提法), the term table, a timeline.

A :class:`~toolkit.terms.TermDetector` is fitted on the whole corpus and ranks
the terms of every document; this analysis sums those rankings per town, lists
every term of the corpus with where and when it is used, and draws the terms
that most towns rank highly on a timeline coloured by county: the diffusion
view of which formulas stay inside one county and which are used everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd

from toolkit._validation import check_choice, check_positive_int
from toolkit.corpus import Corpus
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.plot import plot_term_timeline
from toolkit.terms import TermDetector

__all__ = ["TOP_TERMS_COLUMNS", "flat_terms", "group_top_terms", "town_terms"]

#: Columns of ``tables/<group>_top_terms.csv`` after the ``group`` and ``by`` columns.
TOP_TERMS_COLUMNS = ("rank", "term", "kind", "documents", "count", "score")

# "" draws no timeline: a corpus without dates (one newspaper page) has none to draw.
_TIMES = ("year", "month", "")


@analysis_options(group="town", by="county", n=10, time="month", timeline_n=12)
def town_terms(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Detect official terms and write each town's top terms, the term table and a timeline.

    Writes:

    - ``tables/<group>_top_terms.csv``: for each value of ``group`` (a town),
      its ``n`` terms, columns ``<group>, <by>, rank, term, kind, documents,
      count, score``. ``score`` is the detector's score (a log-odds) summed
      over the group's documents that report the term, so a term a town uses
      in several articles ranks above one it mentions once; ``documents`` is
      how many of its documents report the term, ``count`` how often they use
      it, ``kind`` the kind most of them give it. Ranked by score, then
      count, then term; groups sorted by ``by`` then ``group``. Documents
      without a ``group`` or ``by`` value are left out of this table only.
    - ``tables/terms.csv``: the detector's corpus table ``terms_`` (term,
      key, kind, count, doc_freq, forms, expansion, for each place docvar
      ``n_<field>`` and the ``|``-joined values that use the term, first and
      last date, examples); list columns are ``|``-joined.
    - ``figures/term_timeline.png`` and ``.svg`` (unless ``time`` is ``""``):
      documents using each term per ``time`` period, coloured by ``by``. The
      rows are the ``timeline_n`` terms found in the most groups' top lists
      (ties: best rank, then term).

    Metrics: ``n_terms`` (rows of ``terms.csv``), ``n_terms_by_kind``
    (kind → terms) and ``n_terms_by_<group>`` (group → distinct terms its
    documents report).

    Parameters
    ----------
    corpus : Corpus
        The ingested corpus.
    options : mapping
        ``group`` and ``by``: docvar names; ``n`` and ``timeline_n``:
        positive ints; ``time``: ``"year"`` or ``"month"``, or ``""`` for no
        timeline (a corpus without dates).
    ctx : RunContext
        Where outputs go.

    Raises
    ------
    KeyError
        If ``group`` or ``by`` is not a docvar of the corpus.
    ValueError
        If ``n`` or ``timeline_n`` is not a positive integer, or ``time``
        is not one of ``'year'``, ``'month'``, ``''``.
    """
    group, by = options["group"], options["by"]
    n = check_positive_int("town_terms: n", options["n"])
    timeline_n = check_positive_int("town_terms: timeline_n", options["timeline_n"])
    time = check_choice("town_terms: time", options["time"], _TIMES)
    available = sorted(corpus.docvars.columns)
    for name, field in (("group", group), ("by", by)):
        if field not in available:
            raise KeyError(
                f"town_terms: {name} field {field!r} is not a docvar of this corpus; "
                f"available: {available}"
            )

    # Which formulas towns share is the question: the glossary's ranking keeps
    # them in view; the reader's puts each article's own first.
    detector = TermDetector(progress=ctx.progress, rank="glossary").fit(corpus)
    detections = detector.detect(corpus)
    top_terms = group_top_terms(detections, group=group, by=by, n=n)

    ctx.save_table(top_terms, f"{group}_top_terms", index=False)
    ctx.save_table(flat_terms(detector.terms_), "terms", index=False)
    if time:
        rows = _timeline_terms(top_terms, group=group, n=timeline_n)
        fig = plot_term_timeline(
            detections,
            time=time,
            terms=rows,
            by=by,
            title=f"Terms in the most {group} top-{n} lists, coloured by {by}",
        )
        ctx.save_figure(fig, "term_timeline")

    ctx.add_metric("n_terms", len(detector.terms_))
    kinds = Counter(detector.terms_["kind"])
    ctx.add_metric("n_terms_by_kind", {k: kinds[k] for k in sorted(kinds)})
    per_group = detections.dropna(subset=[group]).groupby(group)["term"].nunique()
    ctx.add_metric(f"n_terms_by_{group}", {str(g): int(n) for g, n in per_group.items()})


def group_top_terms(
    detections: pd.DataFrame, *, group: str = "town", by: str = "county", n: int = 10
) -> pd.DataFrame:
    """Sum ``TermDetector.detect(corpus)`` over each group's documents and keep its ``n`` terms.

    Parameters
    ----------
    detections : pandas.DataFrame
        One row per (document, term): ``doc_id``, ``term``, ``kind``,
        ``count``, ``score`` and the docvars ``group`` and ``by``.
    group, by : str
        The docvar whose values get a list (``town``) and the one that
        contains them (``county``), kept as a column.
    n : int
        Terms per group.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``by`` (once if they are the same) and
        :data:`TOP_TERMS_COLUMNS`; see :func:`town_terms`.
    """
    keys = list(dict.fromkeys([by, group]))
    uses = detections.dropna(subset=keys)
    grouped = uses.groupby([*keys, "term"], sort=True)
    table = grouped.agg(
        documents=("doc_id", "nunique"),
        count=("count", "sum"),
        score=("score", "sum"),
    ).reset_index()
    # The kind most of the group's documents give the term; ties by name.
    table["kind"] = grouped["kind"].agg(_mode).to_numpy()
    table["score"] = table["score"].round(6)
    table = table.sort_values(
        [*keys, "score", "count", "term"],
        ascending=[*([True] * len(keys)), False, False, True],
        kind="mergesort",
    )
    table["rank"] = table.groupby(keys).cumcount() + 1
    table = table[table["rank"] <= n]
    columns = [group, *(k for k in keys if k != group), *TOP_TERMS_COLUMNS]
    return table[columns].reset_index(drop=True)


def _mode(values: pd.Series) -> str:
    counts = Counter(values)
    return min(counts, key=lambda kind: (-counts[kind], kind))


def _timeline_terms(top_terms: pd.DataFrame, *, group: str, n: int) -> list[str]:
    """The ``n`` terms in the most groups' top lists; ties by best rank, then term."""
    spread = top_terms.groupby("term").agg(groups=(group, "nunique"), best=("rank", "min"))
    spread = spread.reset_index().sort_values(
        ["groups", "best", "term"], ascending=[False, True, True], kind="mergesort"
    )
    return spread["term"].head(n).tolist()


def flat_terms(terms: pd.DataFrame) -> pd.DataFrame:
    """A terms table with every list cell joined by ``|``, ready for CSV.

    The one CSV form of :attr:`TermDetector.terms_` (and of any table with
    list cells), written by ``tifa terms --table`` and by :func:`town_terms`.
    """
    flat = terms.copy()
    for column in flat.columns:
        if flat[column].dtype == object:
            flat[column] = flat[column].map(_joined)
    return flat


def _joined(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return value


# What each output shows, for report.html (toolkit.experiment.report): patterns of
# the files this analysis writes, placeholders filled from the file's name.
CAPTIONS = {
    "figures/term_timeline": (
        "When the most widely shared official terms (提法) appear: one row per term "
        "(those in the most groups' top lists), a mark per period in which it is used, "
        "coloured by the grouping kept beside each unit (the county in the flagship)."
    ),
    "tables/{group}_top_terms": (
        "Each {group}'s top official terms, ranked by score (summed over its documents), "
        "with their kind (quoted, numbered, parallel…), the documents using them and "
        "their count."
    ),
    "tables/terms": (
        "The corpus term table: every term the detector found, its kind and frequency, "
        "the surface forms it takes, which towns, counties, prefectures and provinces "
        "use it, its first and last use and example contexts."
    ),
}
