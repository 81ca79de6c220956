"""Keyness: which terms one group of documents uses more than another.

The statistics follow quanteda's ``textstat_keyness``: for each feature a 2×2
table of (this feature, every other feature) × (target, reference) gives a
*signed* statistic, positive when the feature is over-used in the target and
negative when it is over-used in the reference. Two things differ, on purpose:

- ``chi2`` always carries Yates' continuity correction, capped as in
  ``scipy.stats.chi2_contingency(correction=True)`` and R's
  ``chisq.test(correct=TRUE)``, so it can be checked against either.
  quanteda.textstats applies the correction only when an expected cell is
  below 5, so for frequent features its chi2 is slightly larger.
- ``g2`` is Dunning's log-likelihood without correction (the figure Rayson's
  log-likelihood calculator gives). quanteda's default ``lr`` applies the same
  small-sample Yates shift as its chi2.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from toolkit._validation import check_choice
from toolkit.corpus.corpus import docvar_mask
from toolkit.segment.tokens import Tokens
from toolkit.terms.detector import COLUMNS as DETECT_COLUMNS

__all__ = ["KEYNESS_COLUMNS", "MEASURES", "keyness"]

#: Statistics :func:`keyness` can sort by.
MEASURES: tuple[str, ...] = ("chi2", "g2")

#: Columns of the table :func:`keyness` returns, in order.
KEYNESS_COLUMNS: tuple[str, ...] = (
    "feature",
    "target_count",
    "reference_count",
    "target_per_10k",
    "reference_per_10k",
    "chi2",
    "g2",
    "p",
    "log_ratio",
)

# Hardie's Log Ratio is infinite when a side has zero hits; half a hit on both
# sides keeps it finite and ranks 0-vs-9 above 0-vs-1.
_SMOOTHING = 0.5

Selection = Mapping[str, Any] | Sequence[str] | pd.Series | np.ndarray


def _token_counts(tokens: Tokens) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A long ``doc_id, feature, count`` table and the docvars, from segmented text."""
    rows = [
        (doc_id, token, n)
        for doc_id, toks in tokens.items()
        for token, n in sorted(Counter(toks).items())
    ]
    long = pd.DataFrame(rows, columns=["doc_id", "feature", "count"])
    long = long.astype({"count": "int64"})
    return long, tokens.docvars


def _table_counts(
    counts: pd.DataFrame, feature: str, count: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a long table into ``doc_id, feature, count`` and one docvars row per document."""
    check_choice("feature", feature, list(counts.columns))
    check_choice("count", count, list(counts.columns))
    if "doc_id" not in counts.columns:
        raise ValueError(
            f"counts must have a 'doc_id' column (one row per document and feature); "
            f"columns: {list(counts.columns)}"
        )
    values = pd.to_numeric(counts[count], errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        raise ValueError(
            f"count column {count!r} must hold numbers >= 0; "
            f"{int(bad.sum())} rows do not (e.g. {counts.loc[bad, count].tolist()[:3]})"
        )
    long = pd.DataFrame(
        {"doc_id": counts["doc_id"].to_numpy(), "feature": counts[feature].to_numpy()},
        index=counts.index,
    )
    long["count"] = values.to_numpy()
    # The detector's per-term columns (rank, kind, score...) vary within a document.
    not_docvars = {"doc_id", feature, count, *DETECT_COLUMNS}
    fields = [c for c in counts.columns if c not in not_docvars]
    docvars = counts[["doc_id", *fields]].drop_duplicates("doc_id").set_index("doc_id")
    return long, docvars


def _select(
    name: str,
    selection: Selection,
    *,
    long: pd.DataFrame,
    docvars: pd.DataFrame,
    rows_are_documents: bool,
) -> set[str]:
    """The doc_ids a target/reference selection names."""
    if isinstance(selection, Mapping):
        return set(docvars.index[docvar_mask(docvars, selection, who=name)])
    if isinstance(selection, (pd.Series, np.ndarray)):
        # A mask over the rows of the counts table, or over the documents of a Tokens.
        frame = docvars if rows_are_documents else long
        unit = "documents" if rows_are_documents else "rows of counts"
        if isinstance(selection, pd.Series) and not selection.index.equals(frame.index):
            raise ValueError(
                f"{name} must be a boolean Series aligned with the {unit}: same index, "
                f"{len(frame)} entries"
            )
        if selection.shape != (len(frame),) or not pd.api.types.is_bool_dtype(selection.dtype):
            raise ValueError(
                f"{name} must give one boolean per entry of the {unit} ({len(frame)}); "
                f"got shape {selection.shape} and dtype {selection.dtype}"
            )
        arr = np.asarray(selection, dtype=bool)
        if rows_are_documents:
            return set(frame.index[arr])
        chosen = set(long.loc[arr, "doc_id"])
        # A row mask that splits a document's rows (by term, say) does not name
        # documents: half a document on each side would compare nothing.
        split = sorted(chosen & set(long.loc[~arr, "doc_id"]))
        if split:
            raise ValueError(
                f"{name} must select whole documents, but it takes some rows and leaves "
                f"others of {len(split)} documents (e.g. {split[:5]})"
            )
        return chosen
    if isinstance(selection, (str, bytes)):
        raise TypeError(
            f"{name} must be a dict of docvars, a list of doc_ids or a boolean Series, "
            f"not a single str; pass [{selection!r}]"
        )
    if isinstance(selection, (Sequence, pd.Index, set, frozenset)):
        return {str(doc_id) for doc_id in selection}
    raise TypeError(
        f"{name} must be a dict of docvars, a list of doc_ids or a boolean Series "
        f"(got {type(selection).__name__})"
    )


def _chi2_yates(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    n = a + b + c + d
    # Every cell of a 2×2 table is |ad - bc| / N off its expected count. Yates takes
    # 0.5 off that distance but, as in scipy and R, never more than all of it.
    diff = np.maximum(np.abs(a * d - b * c) - n / 2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = n * diff**2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return np.nan_to_num(stat)


def _g2(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    n = a + b + c + d
    total = np.zeros_like(a, dtype=float)
    cells = ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d))
    for observed, row, col in cells:
        expected = row * col / n
        # 0 · log 0 = 0: a feature absent from one side adds nothing from that cell.
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        total += term
    return 2 * total


def _p_one_df(stat: np.ndarray) -> np.ndarray:
    # Upper tail of chi-square with 1 df: P(X > x) = erfc(sqrt(x / 2)); math.erfc
    # avoids a scipy import for one special function.
    return np.array([math.erfc(math.sqrt(abs(x) / 2)) for x in stat], dtype=float)


def keyness(
    counts: pd.DataFrame | Tokens,
    *,
    target: Selection,
    reference: Selection | None = None,
    feature: str = "term",
    count: str = "count",
    measure: str = "g2",
) -> pd.DataFrame:
    """Compare how often each feature is used in target and reference documents.

    Parameters
    ----------
    counts : pandas.DataFrame or Tokens
        A long table with one row per (document, feature): a ``doc_id``
        column, the ``feature`` and ``count`` columns, and any document-level
        docvars (``town``, ``year``...). This is the table
        ``TermDetector.detect(corpus)`` returns; its per-term columns
        (``toolkit.terms.detector.COLUMNS``: ``rank``, ``kind``, ``score``...)
        are never taken for docvars.
        A :class:`~toolkit.segment.Tokens` is counted token by token: each
        distinct token is a feature, and ``feature`` and ``count`` (which
        name table columns) are not used. Filter it first
        (``tokens.remove(stopwords)``, ``tokens.keep(terms)``) to compare
        only the words that matter.
    target : dict, list of str, or boolean Series
        The documents to characterise. A dict of docvars, ``{"county": "苇川县"}``
        or ``{"year": [2022, 2023]}`` (several keys must all match); a list of
        doc_ids (ids with no rows add nothing); or a boolean mask aligned with
        the rows of the table (it must take or leave all rows of a document)
        or, for Tokens, with its documents.
    reference : dict, list of str, or boolean Series, optional
        The documents to compare against, selected the same way. By default
        every document not in ``target``.
    feature : str
        Column of ``counts`` holding the feature (the term).
    count : str
        Column of ``counts`` holding how often the document uses it.
    measure : {'g2', 'chi2'}
        The statistic to sort by and to report ``p`` for.

    Returns
    -------
    pandas.DataFrame
        One row per feature used on either side, columns :data:`KEYNESS_COLUMNS`:

        - ``target_count``, ``reference_count``: summed counts on each side.
        - ``target_per_10k``, ``reference_per_10k``: counts per 10,000 of all
          feature counts on that side (for a ``detect()`` table that is per
          10,000 term occurrences, not per 10,000 characters).
        - ``chi2``: Pearson's chi-square of the 2×2 table with Yates' correction,
          signed: positive means over-used in the target.
        - ``g2``: log-likelihood G², signed the same way, uncorrected.
        - ``p``: p-value of ``measure`` (chi-square distribution, 1 df).
        - ``log_ratio``: ``log2(((target_count + 0.5) / target_total) /
          ((reference_count + 0.5) / reference_total))``, an effect size: +1
          means twice as frequent in the target.

        Sorted by ``measure`` descending, then by feature. ``table.attrs``
        records ``measure``, ``target_docs`` and ``reference_docs``.

    Raises
    ------
    ValueError
        If ``measure``, ``feature`` or ``count`` is not allowed, if target or
        reference selects no documents (or only documents without counts), or
        if they share documents.
    KeyError
        If a dict selection names a docvar the table does not have.

    Examples
    --------
    >>> counts = pd.DataFrame({
    ...     "doc_id": ["a", "a", "b", "b"],
    ...     "term": ["共建共治共享", "一岗双责", "共建共治共享", "一岗双责"],
    ...     "count": [9, 1, 1, 9],
    ...     "county": ["苇川县", "苇川县", "砚溪县", "砚溪县"],
    ... })
    >>> table = keyness(counts, target={"county": "苇川县"})
    >>> table[["feature", "target_count", "reference_count"]].values.tolist()
    [['共建共治共享', 9, 1], ['一岗双责', 1, 9]]
    >>> bool(table["g2"].iloc[0] > 0 > table["g2"].iloc[1])
    True
    """
    for label, value in (("feature", feature), ("count", count)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a column name (got {value!r})")
    check_choice("measure", measure, MEASURES)
    if isinstance(counts, Tokens):
        long, docvars = _token_counts(counts)
        rows_are_documents = True
    elif isinstance(counts, pd.DataFrame):
        long, docvars = _table_counts(counts, feature, count)
        rows_are_documents = False
    else:
        raise TypeError(
            f"counts must be a pandas.DataFrame (long: doc_id, feature, count) or a "
            f"toolkit.Tokens (got {type(counts).__name__})"
        )
    target_ids = _select(
        "target", target, long=long, docvars=docvars, rows_are_documents=rows_are_documents
    )
    if reference is None:
        reference_ids = set(docvars.index) - target_ids
    else:
        reference_ids = _select(
            "reference",
            reference,
            long=long,
            docvars=docvars,
            rows_are_documents=rows_are_documents,
        )
        shared = sorted(target_ids & reference_ids)
        if shared:
            raise ValueError(
                f"target and reference must not share documents; {len(shared)} in both, "
                f"e.g. {shared[:5]}"
            )

    in_target = long["doc_id"].isin(target_ids).to_numpy()
    in_reference = long["doc_id"].isin(reference_ids).to_numpy()
    side = np.where(in_target, "target", np.where(in_reference, "reference", ""))
    present = set(long["doc_id"])
    totals = {}
    for name, ids in (("target", target_ids), ("reference", reference_ids)):
        totals[name] = float(long.loc[side == name, "count"].sum())
        if totals[name] <= 0:
            raise ValueError(
                f"{name} selects no documents with counts > 0 "
                f"({len(ids & present)} of the {len(present)} documents in counts matched)"
            )

    kept = long[side != ""].assign(side=side[side != ""])
    wide = kept.pivot_table(
        index="feature", columns="side", values="count", aggfunc="sum", fill_value=0
    ).reindex(columns=["target", "reference"], fill_value=0)
    wide = wide[(wide["target"] > 0) | (wide["reference"] > 0)]

    a = wide["target"].to_numpy(dtype=float)
    b = wide["reference"].to_numpy(dtype=float)
    c = totals["target"] - a
    d = totals["reference"] - b
    # Sign as quanteda: + when the target has more than its expected share.
    sign = np.sign(a - (a + b) * (a + c) / (a + b + c + d))
    chi2 = sign * _chi2_yates(a, b, c, d)
    g2 = sign * _g2(a, b, c, d)
    stat = chi2 if measure == "chi2" else g2
    table = pd.DataFrame(
        {
            "feature": wide.index.to_numpy(),
            "target_count": a,
            "reference_count": b,
            "target_per_10k": a / totals["target"] * 10_000,
            "reference_per_10k": b / totals["reference"] * 10_000,
            "chi2": chi2,
            "g2": g2,
            "p": _p_one_df(stat),
            "log_ratio": np.log2(
                ((a + _SMOOTHING) / totals["target"]) / ((b + _SMOOTHING) / totals["reference"])
            ),
        }
    )
    if np.all(np.mod(a, 1) == 0) and np.all(np.mod(b, 1) == 0):
        table = table.astype({"target_count": "int64", "reference_count": "int64"})
    table = table.sort_values([measure, "feature"], ascending=[False, True], kind="mergesort")
    table = table.reset_index(drop=True)
    table.attrs.update(
        measure=measure,
        target_docs=len(target_ids & present),
        reference_docs=len(reference_ids & present),
    )
    return table
