"""Analysis ``benchmarks_summary``: the latest ``make bench`` JSON as one table.

``make bench`` writes every suite's results to one JSON file,
``benchmarks/results/bench-<UTC time>.json`` (``python -m benchmarks --json
FILE``): an object with one key per suite. This analysis reads the newest such
file (or the one file it is given) and writes one row per figure, with the
anchor it is measured against (jieba, the quoted-string baseline, gensim's
defaults, a published figure) and its target beside it.

The suites ``segmentation``, ``terms`` and ``topics`` list their figures
themselves (``summary``: figure, measured, target, met?); an anchor is read
from the target where it names one (``>= jieba 0.9123``, ``anchor 0.95``).
For ``signature``, ``table``, ``determinism`` and ``pages`` the figure is
read from their results, with the target ``benchmarks/README.md`` states; any
other suite gives the ``met`` it reports, or one row saying it has no summary.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from toolkit.corpus import Corpus
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import READS_CORPUS, analysis_options
from toolkit.plot import use_cjk_font

__all__ = ["SUMMARY_COLUMNS", "benchmark_rows", "benchmarks_summary", "latest_results"]

#: Columns of ``tables/benchmarks_summary.csv``.
SUMMARY_COLUMNS = ("suite", "figure", "measured", "anchor", "target", "met")

# The baselines the issue names as anchors, as the suites write them in a target.
_ANCHOR = re.compile(
    r"(?:anchor\s+|(?:jieba|naive|quoted|TextRank|TF-?IDF|gensim)\b)[^;,)]*", re.IGNORECASE
)

# Targets the suites print but do not store in their JSON (benchmarks/README.md).
_SIGNATURE_TARGET = 0.85
_TABLE_TARGET = 95


def latest_results(path: Path) -> Path:
    """``path`` itself if a file, else the last ``*.json`` in it by name.

    ``make bench`` names its files ``bench-<UTC time>.json``, so the last by
    name is the newest, whatever the files' modification times say.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist, or is a folder without ``*.json``.
    """
    if path.is_file():
        return path
    if not path.is_dir():
        raise FileNotFoundError(
            f"benchmarks_summary: results {str(path)!r} is neither a JSON file nor a folder; "
            "pass --data PATH (a `make bench` JSON file, or benchmarks/results)"
        )
    found = sorted(path.glob("*.json"))
    if not found:
        raise FileNotFoundError(
            f"benchmarks_summary: no *.json in {str(path)!r}; run `make bench` (it writes "
            "benchmarks/results/bench-<UTC time>.json) or pass the JSON file with --data"
        )
    return found[-1]


def _met(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else ""


def _from_summary(suite: str, result: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for row in result["summary"]:
        target = str(row.get("target", "")).strip()
        if target in ("(none)", ""):
            target = ""
        anchor = ""
        match = _ANCHOR.search(target)
        if match:
            anchor = match.group(0).strip()
            if anchor.lower().startswith("anchor"):
                # A published figure this row reproduces: the anchor, not a target.
                anchor, target = anchor[len("anchor") :].strip(), ""
        rows.append(
            {
                "suite": suite,
                "figure": str(row.get("figure", "")).strip(),
                "measured": str(row.get("measured", "")),
                "anchor": anchor,
                "target": target,
                "met": _met(row.get("met?")),
            }
        )
    return rows


def _signature(result: Mapping[str, Any]) -> list[dict[str, str]]:
    share = float(result["share"])
    return [
        {
            "figure": f"gold formulations in their report's top {result['n']}",
            "measured": f"{share:.3f} ({result['hits']} of {result['gold']})",
            "anchor": "",
            "target": f">= {_SIGNATURE_TARGET}",
            "met": _met(share >= _SIGNATURE_TARGET),
        }
    ]


def _table(result: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "figure": f"official terms in the table's top {result['top']}",
            "measured": str(result["official"]),
            "anchor": "",
            "target": f">= {_TABLE_TARGET}",
            "met": _met(result.get("met")),
        }
    ]


def _determinism(result: Mapping[str, Any]) -> list[dict[str, str]]:
    differ = [*result.get("differ", []), *result.get("only_in_one", [])]
    return [
        {
            "figure": "files differing between two fresh runs",
            "measured": f"{len(differ)} of {result['files']}",
            "anchor": "",
            "target": "0",
            "met": _met(not differ),
        }
    ]


def _pages(result: Mapping[str, Any]) -> list[dict[str, str]]:
    constructed, lossless = result["constructed"], result["lossless"]
    return [
        {
            "figure": "constructed pages parsed as written by hand",
            "measured": f"{constructed['right']} of {constructed['pages']}",
            "anchor": "",
            "target": "all",
            "met": _met(constructed["right"] == constructed["pages"]),
        },
        {
            "figure": "pages parsed losslessly",
            "measured": f"{lossless['pages'] - len(lossless['violations'])} of {lossless['pages']}",
            "anchor": "",
            "target": "all",
            "met": _met(not lossless["violations"]),
        },
    ]


_READERS: dict[str, Callable[[Mapping[str, Any]], list[dict[str, str]]]] = {
    "signature": _signature,
    "table": _table,
    "determinism": _determinism,
    "pages": _pages,
}


def benchmark_rows(results: Mapping[str, Any]) -> pd.DataFrame:
    """One row per benchmark figure, suites in name order, figures in the suite's order.

    Parameters
    ----------
    results : mapping
        ``make bench``'s JSON: suite name → that suite's results.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`, all strings; ``met`` is ``yes``,
        ``no`` or empty (no target).

    Raises
    ------
    ValueError
        If ``results`` is not an object of suites.
    """
    if not isinstance(results, Mapping) or not all(
        isinstance(v, Mapping) for v in results.values()
    ):
        raise ValueError(
            "benchmarks_summary: results must be `make bench` JSON, an object of suite name "
            f"-> results object (got {type(results).__name__})"
        )
    rows: list[dict[str, str]] = []
    for suite in sorted(results):
        result = results[suite]
        if isinstance(result.get("summary"), list):
            rows.extend(_from_summary(suite, result))
        elif suite in _READERS:
            rows.extend({"suite": suite, **r} for r in _READERS[suite](result))
        else:
            rows.append(
                {
                    "suite": suite,
                    "figure": "target met (no summary in its JSON; see benchmarks/README.md)",
                    "measured": "",
                    "anchor": "",
                    "target": "",
                    "met": _met(result.get("met")),
                }
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


@analysis_options(results="{data}")
def benchmarks_summary(corpus: Corpus, options: Mapping[str, Any], ctx: RunContext) -> None:
    """Gather the latest ``make bench`` JSON into one table with the anchors beside each figure.

    Writes ``tables/benchmarks_summary.csv`` (:func:`benchmark_rows`:
    suite, figure, measured, anchor, target, met) and
    ``figures/benchmarks_summary.png``: the number of figures per suite that
    meet their target, miss it, or have none.

    Metrics: ``bench_file`` (the JSON file's name), ``bench_suites``,
    ``bench_n_figures``, ``bench_n_met``, ``bench_n_missed``.

    Parameters
    ----------
    corpus : Corpus
        Not read (the config needs no ``[corpus]``).
    options : mapping
        ``results``: the JSON file, or a folder whose last ``*.json`` by name
        is read; ``{data}`` (the default) is ``tifa run --data PATH``, else
        relative to the config's folder.
    ctx : RunContext
        Where outputs go.

    Raises
    ------
    FileNotFoundError
        If there is no results file.
    ValueError
        If the file is not ``make bench`` JSON.
    """
    path = latest_results(ctx.resolve(options["results"], where="benchmarks_summary: results"))
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"benchmarks_summary: {str(path)!r} is not JSON ({exc})") from None
    table = benchmark_rows(results)
    ctx.save_table(table, "benchmarks_summary", index=False)
    ctx.save_figure(_figure(table, name=path.name), "benchmarks_summary")
    ctx.add_metric("bench_file", path.name)
    ctx.add_metric("bench_suites", sorted(results))
    ctx.add_metric("bench_n_figures", len(table))
    ctx.add_metric("bench_n_met", int((table["met"] == "yes").sum()))
    ctx.add_metric("bench_n_missed", int((table["met"] == "no").sum()))


# Okabe–Ito: met, missed, no target.
_COLOURS = {"yes": "#009E73", "no": "#D55E00", "": "#999999"}
_LABELS = {"yes": "met", "no": "missed", "": "no target"}


def _figure(table: pd.DataFrame, *, name: str) -> plt.Figure:
    """Stacked bars: figures per suite that meet, miss or have no target."""
    use_cjk_font()
    counts = (
        table.groupby(["suite", "met"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=["yes", "no", ""], fill_value=0)
    )
    fig, ax = plt.subplots(figsize=(7.0, 1.6 + 0.35 * max(len(counts), 1)), layout="constrained")
    left = pd.Series(0, index=counts.index)
    for met in ("yes", "no", ""):
        ax.barh(counts.index, counts[met], left=left, color=_COLOURS[met], label=_LABELS[met])
        left = left + counts[met]
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # figures are counted
    ax.set_xlabel("benchmark figures")
    # Beside the bars, never over them.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(f"Benchmark figures against their targets ({name})")
    return fig


# It reads the results file, not a corpus: its config needs no [corpus].
setattr(benchmarks_summary, READS_CORPUS, False)


# What each output shows, for the run's report.html (toolkit.experiment.report).
CAPTIONS = {
    "tables/benchmarks_summary": (
        "Every figure of the latest make bench run: the suite, what is measured, the measured "
        "value, the anchor it is compared with (jieba, quoted strings, gensim defaults) where "
        "the suite has one, the target, and whether it is met."
    ),
    "figures/benchmarks_summary": (
        "How many figures of each benchmark suite meet their target, miss it, or have none."
    ),
}
