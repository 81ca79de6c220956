"""Corpus inputs relative to a data root: ``{data}/...`` and ``tifa run --data PATH``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.experiment.conftest import TOWNS, write_jsonl
from toolkit.cli.main import main
from toolkit.experiment import ConfigError, load_config, run

CONFIG = """\
name = "outside"
seed = 7

[corpus]
inputs = ["{data}/towns.jsonl", "local.jsonl"]

[[analysis]]
kind = "corpus_overview"
by = ["town", "county"]
"""


@pytest.fixture()
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A config in experiments/outside/ and a data root elsewhere; returns (config, data)."""
    folder = tmp_path / "repo" / "experiments" / "outside"
    write_jsonl(folder / "local.jsonl", TOWNS[3:])
    data = tmp_path / "shared" / "data"
    write_jsonl(data / "towns.jsonl", TOWNS[:3])
    config = folder / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return config, data


def test_inputs_resolve_against_the_data_root(layout):
    config_path, data = layout
    config = load_config(config_path)
    assert config.needs_data
    assert config.input_paths(data) == [
        (data / "towns.jsonl").resolve(),
        (config_path.parent / "local.jsonl").resolve(),
    ]


def test_run_reads_the_data_root_and_records_it(layout, tmp_path):
    config, data = layout
    result = run(config, output_root=tmp_path / "out", run_id="r", progress=False, data=data)
    assert result.metrics["n_documents"] == 4
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["data_root"] == str(data.resolve())
    assert manifest["config"]["corpus"]["inputs"] == ["{data}/towns.jsonl", "local.jsonl"]


def test_corpus_hash_does_not_depend_on_where_the_data_lives(layout, tmp_path):
    config, data = layout
    moved = tmp_path / "elsewhere" / "data"
    shutil.copytree(data, moved)
    hashes = [
        json.loads(
            run(
                config, output_root=tmp_path / name, progress=False, data=root
            ).manifest_path.read_text(encoding="utf-8")
        )["corpus_sha256"]
        for name, root in (("o1", data), ("o2", moved))
    ]
    assert hashes[0] == hashes[1]


def test_a_config_without_data_inputs_ignores_the_data_root(experiment, tmp_path):
    config = load_config(experiment)
    assert not config.needs_data
    assert config.input_paths(tmp_path / "does-not-matter") == config.input_paths()
    manifest = json.loads(
        run(experiment, output_root=tmp_path, run_id="r", progress=False).manifest_path.read_text(
            encoding="utf-8"
        )
    )
    assert manifest["data_root"] is None


def test_missing_data_root_names_the_config_field_and_the_option(layout, tmp_path):
    config, _ = layout
    message = (
        f"{re.escape(str(config.resolve()))}: \\[corpus\\] inputs: '{{data}}/towns.jsonl' is "
        "relative to the data root {data}, but no data root was given; pass --data PATH"
    )
    with pytest.raises(ConfigError, match=message):
        run(config, output_root=tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_data_root_that_does_not_exist_is_named(layout, tmp_path):
    config, _ = layout
    with pytest.raises(
        FileNotFoundError,
        match=r"\[corpus\] inputs: the data root \{data\} must be an existing folder "
        r"\(got --data '.*nowhere'",
    ):
        run(config, output_root=tmp_path / "out", progress=False, data=tmp_path / "nowhere")
    assert not (tmp_path / "out").exists()


def test_missing_input_under_the_data_root_is_named(layout, tmp_path):
    config, data = layout
    (data / "towns.jsonl").unlink()
    with pytest.raises(
        FileNotFoundError,
        match=r"input '\{data\}/towns\.jsonl' not found .*; \{data\} is the data root --data",
    ):
        run(config, output_root=tmp_path / "out", progress=False, data=data)


@pytest.mark.parametrize("bad", ["data/{year}.jsonl", "{root}/towns.jsonl", "{data}/{x}.jsonl"])
def test_other_braces_are_refused(tmp_path, bad):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.replace("{data}/towns.jsonl", bad), encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=rf"\[corpus\] inputs: {re.escape(repr(bad))} may use braces only as a leading "
        r"\{data\}/ \(the data root given with --data\)",
    ):
        load_config(path)


def test_tifa_run_data_option(layout, tmp_path, capsys):
    config, data = layout
    code = main(
        ["run", str(config.parent), "--data", str(data), "--output-root", str(tmp_path / "o"),
         "--run-id", "cli", "--quiet"]
    )  # fmt: skip
    assert code == 0
    assert "run folder:" in capsys.readouterr().out
    assert (tmp_path / "o" / "cli" / "tables" / "counts_by_town.csv").is_file()


def test_tifa_run_without_data_is_an_error(layout, tmp_path, capsys):
    config, _ = layout
    code = main(["run", str(config.parent), "--output-root", str(tmp_path / "o"), "--quiet"])
    assert code != 0
    assert "pass --data PATH" in capsys.readouterr().err
