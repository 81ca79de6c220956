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

    reports = read_gov_reports([data / "national.jsonl", data / "provincial.jsonl"])
    obs = observations(reports, unit="province", time="year")
    _csv(obs, out / "observations.csv")

    tick = time.perf_counter()
    detector = TermDetector(by=["province"], time="year", progress=not args.quiet).fit(reports)
    clock["detector_fit_s"] = time.perf_counter() - tick

    tick = time.perf_counter()
    table = adoptions(reports, terms=detector, unit="province", time="year")
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
    table2 = adoptions(reports, terms=detector, unit="province", time="year", min_mentions=2)
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
    summary = {
        "n_reports": len(reports),
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
