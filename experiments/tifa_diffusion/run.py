"""How official terms spread from Beijing to the provinces, and back.

    python experiments/tifa_diffusion/run.py --data ../shared/data/gov_work_reports --out DIR

Reads ``national.jsonl`` and ``provincial.jsonl`` under ``--data`` (never
copied into the repository), fits a TermDetector on them, dates each
province's first use of each term (on token boundaries) against the national
report's, and writes under DIR (default ``outputs/<UTC stamp>/`` beside this
file, which git ignores): the tables and figures of ``tifa diffusion``, the
validity sample (50 seeded first-adoption events with their KWIC lines), the
``min_mentions=2`` comparison and ``summary.json`` with the figures the README
quotes and the run time. See README.md beside this file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED = 14
MIN_UNITS = 5  # a term is "widely used" when at least 5 provinces adopted it
SAMPLE = 50
SHOWN = ["六稳", "放管服", "河长制", "乡村振兴", "精准扶贫"]
TIME = "delivered_year"


# The delivery date a report states in its heading: （2018年1月26日在……会议上）.
_HEADING_DATE = re.compile(r"(\d{4})年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def delivered_year(meta: dict, text: str) -> int:
    """The year a report was delivered: its ``delivered_date``, else the date in its heading.

    The ``year`` field is the year a report is filed under. For Sichuan 2006-2018 it
    is the year the report reviews, one year before it was delivered (the "2017"
    report was delivered on 26 January 2018 and speaks of the 19th Party Congress);
    dating those by ``year`` would put Sichuan a year ahead of everyone.
    """
    if meta.get("delivered_date"):
        return int(str(meta["delivered_date"])[:4])
    match = _HEADING_DATE.search(text[:120])
    if match and 0 <= int(match.group(1)) - int(meta["year"]) <= 1:
        return int(match.group(1))
    return int(meta["year"])


def pooled_lag(diffusion: pd.DataFrame, table: pd.DataFrame, seed: int) -> dict:
    """Median lag of provinces behind the national report, pooled over terms, bootstrap by term."""
    import numpy as np

    ref = diffusion.dropna(subset=["reference_first"]).set_index("term")["reference_first"]
    units = table[~table["reference"] & table["first_time"].notna() & table["term"].isin(ref.index)]
    first = units["term"].map(ref).astype(int)
    later = units[(units["first_time"] >= first) & (units["entry"] <= first)]
    lags = (later["first_time"] - later["term"].map(ref)).astype(float)
    by_term = [g.to_numpy() for _, g in lags.groupby(later["term"])]
    rng = np.random.default_rng(seed)
    draws = [
        np.median(np.concatenate([by_term[i] for i in rng.integers(0, len(by_term), len(by_term))]))
        for _ in range(1000)
    ]
    return {
        "n_adoptions": len(lags),
        "n_terms": len(by_term),
        "median": float(np.median(lags)),
        "mean": round(float(lags.mean()), 3),
        "share_same_year": round(float((lags == 0).mean()), 3),
        "low": float(np.percentile(draws, 2.5)),
        "high": float(np.percentile(draws, 97.5)),
    }


def _default_data() -> str:
    shared = os.environ.get("TIFA_SHARED") or str(REPO.parent / "shared")
    return str(Path(shared) / "data" / "gov_work_reports")


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=_default_data(), help="the gov_work_reports folder")
    parser.add_argument("--out", default=None, help="output folder")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from toolkit.diffusion import (
        AdoptionHazard,
        adoption_curves,
        adoptions,
        diffusion_table,
        leaders,
        observations,
    )
    from toolkit.ingest import read_gov_reports
    from toolkit.plot import (
        plot_adoption_curves,
        plot_first_use,
        plot_lags,
        plot_leaders,
        save_figure,
    )
    from toolkit.terms import TermDetector

    data = Path(args.data)
    out = (
        Path(args.out)
        if args.out
        else HERE / "outputs" / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    )
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    clock: dict[str, float] = {}

    from toolkit import Corpus

    read = read_gov_reports([data / "national.jsonl", data / "provincial.jsonl"])
    reports = Corpus(
        [d.with_meta(delivered_year=delivered_year(dict(d.meta), d.text)) for d in read]
    )
    n_redated = sum(d.meta["delivered_year"] != d.meta["year"] for d in reports)
    obs = observations(reports, unit="province", time=TIME)
    _csv(obs, out / "observations.csv")

    tick = time.perf_counter()
    detector = TermDetector(by=["province"], time=TIME, progress=not args.quiet).fit(reports)
    clock["detector_fit_s"] = time.perf_counter() - tick

    tick = time.perf_counter()
    table = adoptions(reports, terms=detector, unit="province", time=TIME)
    clock["adoptions_s"] = time.perf_counter() - tick
    diffusion = diffusion_table(table, min_units=MIN_UNITS, seed=SEED)
    kept = table[table["term"].isin(set(diffusion["term"]))].reset_index(drop=True)
    curves = adoption_curves(kept)
    board = leaders(kept, seed=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        hazard = AdoptionHazard(adjacency="province").fit(kept, obs)
    for name, frame in (
        ("diffusion", diffusion),
        ("adoptions", kept),
        ("curves", curves),
        ("leaders", board),
        ("hazard", hazard.coef_),
    ):
        _csv(frame, out / f"{name}.csv")

    # Validity: a seeded sample of first-adoption events (provinces), to read by hand.
    events = kept[~kept["reference"] & kept["first_time"].notna()]
    sample = events.sample(n=min(SAMPLE, len(events)), random_state=SEED)
    _csv(
        sample[["term", "unit", "first_time", "first_doc", "evidence"]].reset_index(drop=True),
        out / "validity_sample.csv",
    )

    # Robustness: an adoption needs two uses in one year.
    table2 = adoptions(reports, terms=detector, unit="province", time=TIME, min_mentions=2)
    diffusion2 = diffusion_table(table2, min_units=MIN_UNITS, seed=SEED)
    _csv(diffusion2, out / "diffusion_min_mentions_2.csv")

    shown = [t for t in SHOWN if t in set(curves["term"])]
    figures = {
        "curves": plot_adoption_curves(curves, terms=shown).figure,
        "lags": plot_lags(kept).figure,
        "first_use": plot_first_use(kept, obs, terms=shown),
        "leaders": plot_leaders(board).figure,
    }
    for name, fig in figures.items():
        save_figure(fig, out / name, formats=("png",))
        plt.close(fig)

    lags = diffusion.dropna(subset=["median_lag"])
    with_ref = diffusion[diffusion["reference_first"].notna()]
    recent = with_ref[with_ref["reference_first"] >= 2003]
    named = diffusion[diffusion["term"].isin(SHOWN)].set_index("term")
    summary = {
        "n_reports": len(reports),
        "n_redated": n_redated,
        "n_with_national_use_since_2003": len(recent),
        "n_bottom_up_since_2003": int((recent["direction"] == "bottom-up").sum()),
        "pooled_lag": pooled_lag(diffusion, kept, SEED),
        "shown_terms": json.loads(named.to_json(orient="index", force_ascii=False)),
        "n_terms_detected": len(detector.terms_),
        "n_terms_widely_used": len(diffusion),
        "min_units": MIN_UNITS,
        "n_with_national_use": len(with_ref),
        "n_bottom_up": int((diffusion["direction"] == "bottom-up").sum()),
        "n_top_down": int((diffusion["direction"] == "top-down").sum()),
        "n_local": int((diffusion["direction"] == "local").sum()),
        "median_of_median_lags": float(lags["median_lag"].median()) if len(lags) else None,
        "hazard": hazard.coef_.set_index("variable")[["coef", "low", "high", "ratio", "p"]]
        .round(4)
        .to_dict(orient="index"),
        "hazard_rows": hazard.n_rows_,
        "hazard_events": hazard.n_events_,
        "leaders_top5": board.head(5).round(3).to_dict(orient="records"),
        "leaders_bottom5": board.tail(5).round(3).to_dict(orient="records"),
        "min_mentions_2": {
            "n_terms_widely_used": len(diffusion2),
            "n_bottom_up": int((diffusion2["direction"] == "bottom-up").sum()),
            "n_top_down": int((diffusion2["direction"] == "top-down").sum()),
        },
        "clock": {k: round(v, 1) for k, v in clock.items()},
        "run_time_s": round(time.perf_counter() - started, 1),
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"outputs: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
