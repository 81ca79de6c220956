"""The ``diffusion`` analysis kind: the tables and figures of ``tifa diffusion`` in a run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.diffusion.conftest import planted_corpus
from toolkit.cli.main import main
from toolkit.diffusion import delivered_year, redate
from toolkit.experiment import ConfigError, load_config, run

CONFIG = """\
name = "planted"
seed = 3

[corpus]
inputs = ["{data}/corpus.jsonl"]

[[analysis]]
kind = "diffusion"
unit = "province"
time = "year"
reference = { level = "national" }
terms = ["河长制", "六稳", "强基工程", "强基", "气质"]
adjacency = "none"
"""


def _records(extra: list[dict] | None = None) -> list[dict]:
    return [*planted_corpus().to_records(), *(extra or [])]


def _setup(tmp_path: Path, extra: str = "", records: list[dict] | None = None):
    data = tmp_path / "data"
    data.mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in (records or _records())]
    (data / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "exp" / "config.toml"
    config.parent.mkdir()
    lines = CONFIG.splitlines()
    for line in extra.splitlines():  # an option given again replaces the base config's
        key = line.split("=")[0].strip()
        lines = [old for old in lines if old.split("=")[0].strip() != key] + [line]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config, data


def test_writes_the_tables_and_figures_of_tifa_diffusion(tmp_path):
    extra = "validity_sample = 3\ncompare_min_mentions = 2\nsince = 2004"
    config, data = _setup(tmp_path, extra)
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False, data=data)
    tables = sorted(p.name for p in result.tables)
    assert tables == sorted(
        f"{n}.csv"
        for n in (
            "diffusion", "adoptions", "curves", "leaders", "hazard", "observations",
            "validity_sample", "diffusion_min_mentions_2",
        )
    )  # fmt: skip
    figures = sorted(p.name for p in result.figures)
    assert figures == sorted(
        f"{n}.{x}" for n in ("curves", "first_use", "lags", "leaders") for x in ("png", "svg")
    )
    # The same tables as the command line, for the same settings.
    cli = tmp_path / "cli"
    code = main(
        ["diffusion", str(data / "corpus.jsonl"), "-o", str(cli), "--seed", "3",
         "--terms", str(_terms(tmp_path)), "--quiet"]
    )  # fmt: skip
    assert code == 0
    for name in ("diffusion", "adoptions", "curves", "leaders"):
        ours = (result.run_dir / "tables" / f"{name}.csv").read_bytes()
        assert ours == (cli / f"{name}.csv").read_bytes(), name

    table = pd.read_csv(result.run_dir / "tables" / "diffusion.csv").set_index("term")
    assert table.loc["河长制", "direction"] == "bottom-up"
    assert table.loc["六稳", "direction"] == "top-down"
    assert table.loc["强基工程", "direction"] == "local"
    assert "气质" not in table.index  # only inside 空气质量: never a use
    m = result.metrics
    assert m["diffusion_n_terms"] == len(table)
    assert m["diffusion_n_bottom_up"] == 1
    assert m["diffusion_n_top_down"] == 1
    assert m["diffusion_since_2004_n_with_reference"] == 2  # 六稳 2004, 河长制 2005
    assert m["diffusion_n_units"] == 4
    assert m["diffusion_pooled_lag_n_terms"] == 2
    sample = pd.read_csv(result.run_dir / "tables" / "validity_sample.csv")
    assert list(sample.columns) == ["term", "unit", "first_time", "first_doc", "evidence"]
    assert len(sample) == 3
    assert "diffusion_n_terms_detected" not in m  # terms were listed, no detector


def _terms(tmp_path: Path) -> Path:
    path = tmp_path / "terms.txt"
    path.write_text("河长制\n六稳\n强基工程\n强基\n气质\n", encoding="utf-8")
    return path


def test_two_runs_are_byte_identical(tmp_path):
    config, data = _setup(tmp_path)
    a, b = (
        run(config, output_root=tmp_path / "out", run_id=n, progress=False, data=data)
        for n in ("a", "b")
    )
    for path in [*a.tables, *a.figures]:
        other = b.run_dir / path.relative_to(a.run_dir)
        assert path.read_bytes() == other.read_bytes(), path.name


def test_redate_moves_a_report_filed_a_year_early(tmp_path):
    # 甲省's "2002" report was delivered in 2003 and is its first use of 河长制:
    # by the filed year it leads the nation by 3 years, by delivery by 2.
    records = [r for r in _records() if r["doc_id"] != "甲省/2002"]
    early = next(r for r in records if r["doc_id"] == "甲省/2003")
    records = [r for r in records if r["doc_id"] != "甲省/2003"]
    records.append({**early, "doc_id": "甲省/2002", "year": 2002, "delivered_date": "2003-01-20"})
    config, data = _setup(tmp_path, 'redate = "delivered_date"', records)
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False, data=data)
    adoptions = pd.read_csv(result.run_dir / "tables" / "adoptions.csv")
    row = adoptions[(adoptions["term"] == "河长制") & (adoptions["unit"] == "甲省")].iloc[0]
    assert row["first_time"] == 2003
    assert row["first_doc"] == "甲省/2002"
    assert result.metrics["diffusion_n_redated"] == 1


def test_delivered_year_reads_the_date_docvar_then_the_heading():
    assert delivered_year({"year": 2017, "delivered_date": "2018-01-26"}, "") == 2018
    assert delivered_year({"year": 2017}, "（2018年1月26日在省人大会议上）\n各位代表") == 2018
    # A heading date more than a year away is not the delivery: the filed year stands.
    assert delivered_year({"year": 2017}, "（2010年1月26日）") == 2017
    corpus = redate(planted_corpus(), to="delivered")
    assert all(d.meta["delivered"] == d.meta["year"] for d in corpus)


def test_redate_names_a_missing_time_docvar():
    with pytest.raises(KeyError, match=r"redate: time='yr' is not a docvar of document"):
        redate(planted_corpus(), time="yr")


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        ("min_units = 0", r"diffusion: min_units must be an integer >= 1 \(got 0\)"),
        ("min_mentions = 1.5", r"option 'min_mentions' must be a int \(got 1\.5\)"),
        ("validity_sample = -1", r"diffusion: validity_sample must be an integer >= 0 \(got -1\)"),
        (
            'adjacency = "ring.tsv"',
            r"diffusion: adjacency must be 'auto', 'province', 'none' or a TSV file of "
            r"neighbours \(columns unit, neighbor\) \(got 'ring.tsv'\)",
        ),
        (
            "reference = {}",
            r"diffusion: reference must be a table of docvar values, e.g. "
            r"\{ level = \"national\" \} \(got \{\}\)",
        ),
        ("cutoff = 3", r"unknown option 'cutoff'; allowed options are \{'adjacency', "),
    ],
)
def test_bad_options_are_named(tmp_path, extra, pattern):
    config, data = _setup(tmp_path, extra)
    with pytest.raises((ValueError, ConfigError), match=pattern):
        run(config, output_root=tmp_path / "out", progress=False, data=data)


def test_the_study_config_is_valid():
    config = load_config(Path(__file__).resolve().parents[2] / "experiments" / "tifa_diffusion")
    assert config.needs_data
    (analysis,) = config.analyses
    assert analysis.kind == "diffusion"
    assert analysis.options["redate"] == "delivered_date"
    assert analysis.options["reference"] == {"level": "national"}
