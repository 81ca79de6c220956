"""Topics in the provincial government work reports, 2016–2026, by province and year.

    python experiments/provincial_topics/run.py --shared ../shared --out DIR

Reads ``<shared>/data/gov_work_reports/provincial.jsonl`` (never copied into
the repository), keeps the reports of 2016–2026, models their paragraphs and
writes figures and tables under DIR. The corpus, seed and settings are those
of ``benchmarks/topics.py``, so its quality figures come out the same here.
See README.md beside this file for what each output holds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CORPUS = Path("data") / "gov_work_reports" / "provincial.jsonl"
YEARS = (2016, 2026)
SEED = 0  # the benchmark's seed
K = 20
KS = tuple(range(5, 41, 5))
TOP_N = 10
QUICK_EVERY = 10  # --quick: every tenth report
COVARIATES = ("province", "year")
PRIOR_DECIMALS = 6


def _default_shared() -> str:
    return os.environ.get("TIFA_SHARED") or str(REPO.parent / "shared")


def _default_out() -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return HERE / "outputs" / stamp


class _Run:
    """Where the outputs go, and what was written."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[Path] = []
        self.seconds: dict[str, float] = {}
        (out / "tables").mkdir(parents=True, exist_ok=True)
        (out / "figures").mkdir(parents=True, exist_ok=True)

    def table(self, frame: pd.DataFrame, name: str, *, index: bool = False) -> None:
        path = self.out / "tables" / f"{name}.csv"
        frame.to_csv(path, index=index, lineterminator="\n")
        self.written.append(path)

    def figure(self, fig: Any, name: str) -> None:
        import matplotlib.pyplot as plt

        from toolkit.plot import save_figure

        self.written.extend(save_figure(fig, self.out / "figures" / name))
        plt.close(fig)

    def json(self, data: Any, name: str) -> None:
        path = self.out / f"{name}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self.written.append(path)

    def step(self, name: str, start: float) -> None:
        self.seconds[name] = round(time.perf_counter() - start, 1)
        print(f"  {name}: {self.seconds[name]:.1f} s", flush=True)


def _corpus(shared: Path, quick: bool) -> Any:
    from toolkit import Corpus
    from toolkit.corpus import read_jsonl

    full = read_jsonl(shared / CORPUS, id_field="id")
    docs = [d for d in full if YEARS[0] <= (d.meta.get("year") or 0) <= YEARS[1]]
    return Corpus(docs[::QUICK_EVERY] if quick else docs)


def _mean(values: list[float]) -> float:
    return float(sum(values) / len(values))


def _naive(paragraphs: list[str]) -> dict[str, Any]:
    """The pipeline researchers write today: jieba.lcut, no stopwords, gensim defaults."""
    import jieba
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel, LdaModel

    from toolkit.topics import reference_coherence

    tokenizer = jieba.Tokenizer()
    tokens = [tokenizer.lcut(p) for p in paragraphs]
    dictionary = Dictionary(tokens)
    lda = LdaModel(
        [dictionary.doc2bow(t) for t in tokens], id2word=dictionary, num_topics=K, random_state=SEED
    )
    tops = [[w for w, _ in lda.show_topic(t, topn=TOP_N)] for t in range(K)]
    own = CoherenceModel(
        topics=tops, texts=tokens, dictionary=dictionary, coherence="c_npmi", processes=1
    ).get_coherence_per_topic()
    return {
        "top_terms": tops,
        "reference": reference_coherence(tops, paragraphs),
        "own": [float(c) for c in own],
    }


def _top_terms_table(model: Any) -> pd.DataFrame:
    column = {name: j for j, name in enumerate(model.feature_names_)}
    labels = model.labels()
    exclusive = model.top_terms(TOP_N, relevance=0.6)
    rows = []
    for t, terms in enumerate(model.top_terms(TOP_N)):
        for rank, term in enumerate(terms, start=1):
            rows.append(
                {
                    "topic": f"topic_{t}",
                    "label": labels[t],
                    "rank": rank,
                    "term": term,
                    "probability": float(model.topic_term_[t, column[term]]),
                    "term_relevance_0_6": exclusive[t][rank - 1],
                }
            )
    return pd.DataFrame(rows)


def run(shared: Path, out: Path, *, quick: bool = False, dmr: bool = True) -> dict[str, Any]:
    from toolkit.dtm import split_units
    from toolkit.plot import plot_k_selection, plot_prevalence, plot_topics
    from toolkit.topics import (
        TopicModel,
        prepare_topics,
        prevalence,
        reference_coherence,
        select_k,
    )

    r = _Run(out)
    metrics: dict[str, Any] = {"seed": SEED, "k": K, "years": list(YEARS), "quick": quick}

    print("-- corpus and matrix", flush=True)
    start = time.perf_counter()
    corpus = _corpus(shared, quick)
    paragraphs = [d.text for d in split_units(corpus, "paragraph")]
    data = prepare_topics(corpus, unit="paragraph", progress=False)
    r.step("prepare_topics", start)
    metrics.update(
        n_reports=len(corpus),
        n_paragraphs=len(paragraphs),
        n_units=data.dtm.shape[0],
        n_features=data.dtm.shape[1],
        n_tokens=int(data.dtm.counts.sum()),
        n_dropped=len(data.dropped),
    )

    print(f"-- choosing K: select_k over {list(KS)}", flush=True)
    start = time.perf_counter()
    table = select_k(data.dtm, KS, texts=data.texts, seed=SEED, n_jobs=2)
    r.step("select_k", start)
    r.table(table, "select_k")
    r.figure(
        plot_k_selection(table, title="主题数的选择 省级政府工作报告 2016–2026"), "k_selection"
    )
    metrics.update(recommended_k=table.attrs["recommended"], k_rule=table.attrs["rule"])

    print(f"-- topics at K={K} (gensim, the default backend)", flush=True)
    start = time.perf_counter()
    model = TopicModel(k=K, seed=SEED).fit(data.dtm)
    r.step(f"fit K={K}", start)
    tops = model.top_terms(TOP_N)
    on_reference = reference_coherence(tops, paragraphs)
    on_tokens = model.coherence(texts=data.texts, measure="c_npmi", n=TOP_N)
    r.table(_top_terms_table(model), f"top_terms_k{K}")
    r.table(
        pd.DataFrame(
            {
                "topic": [f"topic_{t}" for t in range(K)],
                "label": model.labels(),
                "c_npmi_reference": on_reference,
                "c_npmi_own_tokens": on_tokens,
            }
        ),
        f"coherence_k{K}",
    )
    r.table(model.doc_topic_, f"doc_topic_k{K}", index=True)
    r.figure(plot_topics(model, n=TOP_N, title=f"K={K} 个主题 (top {TOP_N})"), f"topics_k{K}")

    start = time.perf_counter()
    by_province = prevalence(model, by="province", seed=SEED)
    by_year = prevalence(model, by="year", seed=SEED)
    r.step("prevalence", start)
    r.table(by_province, "prevalence_by_province")
    r.table(by_year, "prevalence_by_year")
    labels = model.labels()
    fig = plot_prevalence(by_province, by="province", kind="heatmap", labels=labels)
    fig.set_size_inches(14, 9)
    r.figure(fig, "prevalence_by_province")
    r.figure(plot_prevalence(by_year, by="year", kind="lines", labels=labels), "prevalence_by_year")

    print("-- the naive pipeline on the same paragraphs (jieba.lcut + LdaModel)", flush=True)
    start = time.perf_counter()
    naive = _naive(paragraphs)
    r.step("naive pipeline", start)
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
    r.table(comparison, "coherence_comparison")
    r.table(
        pd.DataFrame(
            [
                {"topic": f"topic_{t}", "rank": i, "term": w}
                for t, terms in enumerate(naive["top_terms"])
                for i, w in enumerate(terms, start=1)
            ]
        ),
        f"naive_top_terms_k{K}",
    )
    metrics.update(
        coherence_reference_toolkit=_mean(on_reference),
        coherence_reference_naive=_mean(naive["reference"]),
        coherence_own_toolkit=_mean(on_tokens),
        coherence_own_naive=_mean(naive["own"]),
    )

    if dmr and "covariates" in TopicModel().get_params():
        print(f"-- covariate model (DMR, tomotopy): covariates {list(COVARIATES)}", flush=True)
        start = time.perf_counter()
        cov = TopicModel(k=K, seed=SEED, backend="tomotopy", covariates=list(COVARIATES))
        cov.fit(data.dtm)
        r.step("fit DMR", start)
        r.table(cov.covariate_effects_, "dmr_effects", index=True)
        r.table(_top_terms_table(cov), f"dmr_top_terms_k{K}")
        provinces = sorted(data.dtm.docvars["province"].astype(str).unique())
        prior = pd.DataFrame(
            [
                # Rounded: tomotopy's prior can differ in the 9th digit between processes.
                {"province": p, "topic": topic, "share": round(float(share), PRIOR_DECIMALS)}
                for p in provinces
                for topic, share in cov.topic_prior(province=p).items()
            ]
        )
        r.table(prior, "dmr_prior_by_province")
        fig = plot_prevalence(prior, by="province", kind="heatmap", labels=cov.labels())
        fig.set_size_inches(14, 9)
        r.figure(fig, "dmr_prior_by_province")
        metrics["coherence_reference_dmr"] = _mean(
            reference_coherence(cov.top_terms(TOP_N), paragraphs)
        )
    elif dmr:
        print("-- covariate model skipped: TopicModel has no covariates= parameter")

    r.json(metrics, "metrics")
    r.json(r.seconds, "timings")
    return {"metrics": metrics, "written": r.written, "seconds": r.seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python experiments/provincial_topics/run.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--shared",
        default=_default_shared(),
        help="the shared folder holding data/ (default: $TIFA_SHARED, else ../shared)",
    )
    parser.add_argument(
        "--out", default=None, help="output folder (default: outputs/<UTC time> beside this file)"
    )
    parser.add_argument("--quick", action="store_true", help="every tenth report: a smoke run")
    parser.add_argument("--no-dmr", action="store_true", help="skip the covariate model")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / CORPUS).is_file():
        print(f"no corpus at {shared / CORPUS}; pass --shared PATH (or set TIFA_SHARED)")
        return 2
    out = Path(args.out) if args.out else _default_out()
    start = time.perf_counter()
    result = run(shared.resolve(), out.resolve(), quick=args.quick, dmr=not args.no_dmr)
    print(f"-- done in {time.perf_counter() - start:.0f} s; outputs in {out.resolve()}")
    for path in result["written"]:
        print(f"  {path.relative_to(out.resolve())}")
    m = result["metrics"]
    print(
        f"c_npmi on the common reference: toolkit {m['coherence_reference_toolkit']:.3f}, "
        f"naive {m['coherence_reference_naive']:.3f}; recommended K {m['recommended_k']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
