"""Issue 17's experiments: a page by path, topic_study, cities, benchmarks_summary."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.experiment.conftest import PAGE, TOWNS, write_jsonl
from toolkit.corpus import Corpus, Document
from toolkit.experiment import ConfigError, load_config, run
from toolkit.experiment.benchmarks_analysis import benchmark_rows, latest_results
from toolkit.experiment.topic_study_analysis import study_corpus

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "corpora" / "sample" / "towns.jsonl"

PAGE_CONFIG = """\
name = "one-page"
seed = 7

[corpus]
inputs = ["{data}"]
format = "newspaper"

[[analysis]]
kind = "corpus_overview"
by = ["town", "county"]

[[analysis]]
kind = "town_terms"
time = ""
"""


# ------------------------------------------------------------------ one page by path
def test_a_lone_data_input_reads_the_page_given_by_path(tmp_path):
    config = tmp_path / "exp" / "config.toml"
    config.parent.mkdir()
    config.write_text(PAGE_CONFIG, encoding="utf-8")
    page = tmp_path / "elsewhere" / "2021-03-05_02.txt"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False, data=page)
    assert result.metrics["n_documents"] == 1
    assert result.metrics["n_groups_by_town"] == 1
    # time = "": the page has a date, but no timeline was asked for.
    assert not (result.run_dir / "figures" / "term_timeline.png").exists()
    top = pd.read_csv(result.run_dir / "tables" / "town_top_terms.csv")
    assert set(top["town"]) == {"河塘镇"}
    assert "一线工作法" in set(top["term"])
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["data_root"] == str(page.resolve())


def test_the_corpus_hash_does_not_depend_on_where_the_page_lives(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(PAGE_CONFIG.replace('time = ""', 'time = ""\nn = 3'), encoding="utf-8")
    hashes = []
    for where in ("one", "two/deeper"):
        page = tmp_path / where / "2021-03-05_02.txt"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE, encoding="utf-8")
        result = run(config, output_root=tmp_path / "out", progress=False, data=page)
        manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
        hashes.append(manifest["corpus_sha256"])
    assert hashes[0] == hashes[1]


def test_a_file_data_root_is_refused_for_paths_under_it(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(PAGE_CONFIG.replace('["{data}"]', '["{data}/page.txt"]'), encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"must be an existing folder \(got --data"):
        run(config, output_root=tmp_path / "out", progress=False, data=page)


@pytest.mark.shared
@pytest.mark.filterwarnings("ignore:terms_ 'first' and 'last'")  # the page has no date
def test_seed_page_experiment_runs_on_the_seed_page(seed_page, tmp_path):
    result = run(
        REPO / "experiments" / "seed_page",
        output_root=tmp_path,
        run_id="seed",
        progress=False,
        data=seed_page,
    )
    assert result.metrics["n_documents"] == 2
    assert result.metrics["n_rejected"] == 0
    top = pd.read_csv(result.run_dir / "tables" / "town_top_terms.csv")
    assert "123工作法" in set(top.loc[top["town"] == "水泊街道", "term"])


# ------------------------------------------------------------------ topic_study
def _docs(years: list[int]) -> Corpus:
    return Corpus([Document(f"d{i}", "文本。", {"year": y}) for i, y in enumerate(years)])


def test_study_corpus_keeps_the_years_then_every_nth():
    corpus = _docs([2015, 2016, 2017, 2018, 2026, 2027, 2020])
    kept = study_corpus(corpus, time="year", years=[2016, 2026], every=1)
    assert kept.doc_ids == ["d1", "d2", "d3", "d4", "d6"]
    every = study_corpus(corpus, time="year", years=[2016, 2026], every=2)
    assert every.doc_ids == ["d1", "d3", "d6"]
    assert len(study_corpus(corpus, time="year", years=[], every=1)) == 7


@pytest.mark.parametrize(
    ("years", "pattern"),
    [([2020], r"years must be \[first, last\]"), ([2030, 2031], r"no document has a 'year'")],
)
def test_study_corpus_names_bad_years(years, pattern):
    with pytest.raises(ValueError, match=pattern):
        study_corpus(_docs([2020, 2021]), time="year", years=years, every=1)


def test_topic_study_on_the_sample_corpus(tmp_path):
    if not SAMPLE.is_file():
        pytest.skip("sample corpus not present")
    config = tmp_path / "config.toml"
    config.write_text(
        f"""name = "study"
seed = 3
[corpus]
inputs = [{json.dumps(SAMPLE.as_posix())}]
[[analysis]]
kind = "topic_study"
years = [2023, 2023]
ks = [2, 3]
k = 3
n = 5
by = ["county", "year"]
covariates = ["county"]
""",
        encoding="utf-8",
    )
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False)
    tables = result.run_dir / "tables"
    towns = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert result.metrics["topics_n_reports"] == sum(t["year"] == 2023 for t in towns)
    assert pd.read_csv(tables / "select_k.csv")["k"].tolist() == [2, 3]
    assert result.metrics["topics_recommended_k"] in (2, 3)
    top = pd.read_csv(tables / "top_terms_k3.csv")
    assert top.groupby("topic").size().tolist() == [5, 5, 5]
    shares = pd.read_csv(tables / "doc_topic_k3.csv", index_col=0)
    assert shares.sum(axis=1).round(6).eq(1.0).all()
    assert set(pd.read_csv(tables / "prevalence_by_year.csv")["year"]) == {2023}
    comparison = pd.read_csv(tables / "coherence_comparison.csv")
    assert comparison["pipeline"].str.startswith(("naive", "toolkit")).all()
    prior = pd.read_csv(tables / "dmr_prior_by_county.csv")
    assert prior.groupby("county")["share"].sum().round(3).eq(1.0).all()
    for name in ("k_selection", "topics_k3", "prevalence_by_county", "dmr_prior_by_county"):
        assert (result.run_dir / "figures" / f"{name}.png").is_file()


# ------------------------------------------------------------------ town_similarity by city
def test_similarity_tables_are_named_after_the_units(tmp_path):
    cities = [
        {**t, "city": t["town"], "doc_id": f"{t['doc_id']}-{n}"} for n in range(2) for t in TOWNS
    ]
    write_jsonl(tmp_path / "cities.jsonl", cities)
    config = tmp_path / "config.toml"
    config.write_text(
        'name = "cities"\nseed = 1\n[corpus]\ninputs = ["cities.jsonl"]\n'
        '[[analysis]]\nkind = "town_similarity"\nby = "city"\ngroup = "province"\n'
        "n_perm = 9\n",
        encoding="utf-8",
    )
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False)
    tables = result.run_dir / "tables"
    matrix = pd.read_csv(tables / "city_similarity.csv", index_col=0)
    assert sorted(matrix.index) == sorted({t["town"] for t in TOWNS})
    assert (tables / "city_neighbors.csv").is_file()
    assert not (tables / "town_similarity.csv").exists()
    assert (result.run_dir / "figures" / "city_similarity.png").is_file()


# ------------------------------------------------------------------ benchmarks_summary
BENCH = {
    "segmentation": {
        "summary": [
            {"figure": "PKU F1 jieba lcut (HMM)", "measured": "0.8130", "target": "anchor 0.815",
             "met?": True},
            {"figure": "PKU F1 Segmenter() default", "measured": "0.8200",
             "target": ">= jieba 0.8130", "met?": True},
            {"figure": "speed: fit alone", "measured": "1.2 s", "target": "(none)", "met?": None},
        ]
    },
    "signature": {"n": 20, "share": 0.559, "hits": 38, "gold": 68, "reports": {}},
    "pages": {
        "constructed": {"pages": 12, "right": 12, "wrong": {}},
        "lossless": {"pages": 15, "violations": {"x.txt": "lost text"}},
        "met": False,
    },
    "scale": {"met": True},
}  # fmt: skip

BENCH_CONFIG = """\
name = "bench"
[[analysis]]
kind = "benchmarks_summary"
"""


def test_benchmark_rows_put_the_anchor_beside_each_figure():
    rows = benchmark_rows(BENCH).set_index("figure")
    assert list(benchmark_rows(BENCH)["suite"].unique()) == [
        "pages", "scale", "segmentation", "signature"
    ]  # fmt: skip
    jieba = rows.loc["PKU F1 jieba lcut (HMM)"]
    assert (jieba["anchor"], jieba["target"], jieba["met"]) == ("0.815", "", "yes")
    ours = rows.loc["PKU F1 Segmenter() default"]
    assert (ours["anchor"], ours["target"]) == ("jieba 0.8130", ">= jieba 0.8130")
    assert rows.loc["speed: fit alone", "met"] == ""
    signature = rows.loc["gold formulations in their report's top 20"]
    assert (signature["measured"], signature["target"], signature["met"]) == (
        "0.559 (38 of 68)", ">= 0.85", "no"
    )  # fmt: skip
    assert rows.loc["pages parsed losslessly", "measured"] == "14 of 15"
    assert rows.loc["pages parsed losslessly", "met"] == "no"


def test_benchmark_rows_refuse_what_is_not_bench_json():
    with pytest.raises(ValueError, match=r"object of suite name -> results object"):
        benchmark_rows({"share": 0.5})


def test_benchmarks_summary_reads_the_newest_file_and_needs_no_corpus(tmp_path):
    config = tmp_path / "exp" / "config.toml"
    config.parent.mkdir()
    config.write_text(BENCH_CONFIG, encoding="utf-8")
    assert load_config(config).corpus.inputs == ()
    results = tmp_path / "results"
    results.mkdir()
    (results / "bench-20261201T000000Z.json").write_text(json.dumps({"scale": {"met": False}}))
    (results / "bench-20261207T000000Z.json").write_text(json.dumps(BENCH))
    assert latest_results(results).name == "bench-20261207T000000Z.json"
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False, data=results)
    table = pd.read_csv(result.run_dir / "tables" / "benchmarks_summary.csv", keep_default_na=False)
    assert list(table.columns) == ["suite", "figure", "measured", "anchor", "target", "met"]
    assert len(table) == 7
    assert result.metrics["bench_file"] == "bench-20261207T000000Z.json"
    assert (result.metrics["bench_n_met"], result.metrics["bench_n_missed"]) == (4, 2)
    assert result.metrics["n_documents"] == 0


def test_benchmarks_summary_without_data_names_the_fix(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(BENCH_CONFIG, encoding="utf-8")
    pattern = r"\[\[analysis\]\] option: '\{data\}' is relative to the data root.*--data"
    with pytest.raises(ConfigError, match=pattern):
        run(config, output_root=tmp_path / "out", progress=False)


def test_a_corpus_analysis_still_needs_a_corpus(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(BENCH_CONFIG + '[[analysis]]\nkind = "corpus_overview"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"a \[corpus\] table with inputs"):
        load_config(config)
