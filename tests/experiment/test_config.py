"""load_config: defaults filled in, and every mistake named with file, key and options."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.experiment import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = 'name = "x"\n[corpus]\ninputs = ["a.jsonl"]\n'


def test_defaults_are_filled_in(tmp_path):
    config = load_config(write(tmp_path, MINIMAL + '[[analysis]]\nkind = "corpus_overview"\n'))
    assert config.name == "x"
    assert config.seed == 0
    assert config.description == ""
    assert config.corpus.format == "auto"
    assert config.corpus.t2s is False
    assert config.analyses[0].options == {"by": ["town", "county"]}
    assert config.input_paths() == [(tmp_path / "a.jsonl").resolve()]


def test_a_folder_means_its_config_toml(tmp_path):
    write(tmp_path, MINIMAL)
    assert load_config(tmp_path).path == (tmp_path / "config.toml").resolve()


def test_to_dict_is_the_parsed_config(experiment):
    config = load_config(experiment)
    assert config.to_dict() == {
        "name": "tiny",
        "seed": 7,
        "description": "A tiny test experiment.",
        "corpus": {
            "inputs": ["data/towns.jsonl", "data/pages"],
            "format": "auto",
            "t2s": False,
        },
        "analysis": [{"kind": "corpus_overview", "by": ["town", "county"]}],
    }


def test_flagship_config_is_valid():
    config = load_config(REPO / "experiments" / "flagship")
    assert config.name == "flagship"
    assert config.seed == 2021
    assert config.corpus.inputs == (
        "../../corpora/sample/towns.jsonl",
        "../../corpora/sample/pages",
    )
    assert [a.kind for a in config.analyses] == [
        "corpus_overview",
        "town_terms",
        "town_similarity",
        "town_topics",
    ]
    assert config.analyses[0].options == {"by": ["town", "county"]}


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (
            "sed = 3\n" + MINIMAL,
            r"config\.toml: unknown key 'sed'; allowed keys are "
            r"\{'analysis', 'corpus', 'description', 'name', 'seed'\}",
        ),
        (
            MINIMAL.replace("[corpus]\n", "[corpus]\nencoding = 'gbk'\n"),
            r"config\.toml: \[corpus\]: unknown key 'encoding'; allowed keys are "
            r"\{'format', 'inputs', 't2s'\}",
        ),
        (
            MINIMAL + '[[analysis]]\nkind = "topics2"\n',
            r"config\.toml: analysis\[1\]: kind must be one of "
            r"\{'benchmarks_summary', 'corpus_overview', 'diffusion', 'topic_study', "
            r"'town_similarity', 'town_terms', 'town_topics'\} "
            r"\(got 'topics2'\)",
        ),
        (
            MINIMAL + "[[analysis]]\nby = ['town']\n",
            r"analysis\[1\]: kind must be one of .* \(got None\)",
        ),
        (
            MINIMAL + '[[analysis]]\nkind = "corpus_overview"\ngroup_by = ["town"]\n',
            r"analysis\[1\] \(corpus_overview\): unknown option 'group_by'; "
            r"allowed options are \{'by'\}",
        ),
        (
            MINIMAL + '[[analysis]]\nkind = "town_terms"\ntop = 5\n',
            r"analysis\[1\] \(town_terms\): unknown option 'top' \('top' is now 'n'\); "
            r"allowed options are \{'by', 'group', 'n', 'time', 'timeline_n'\}",
        ),
        (
            MINIMAL + '[[analysis]]\nkind = "corpus_overview"\nby = "town"\n',
            r"option 'by' must be a list of str \(got 'town'\)",
        ),
        (
            MINIMAL + '[analysis]\nkind = "corpus_overview"\n',
            r"write each as \[\[analysis\]\]",
        ),
        ('seed = 1\n[corpus]\ninputs = ["a"]\n', r"name must be a non-empty string \(got None\)"),
        ("seed = -1\n" + MINIMAL, r"seed must be an integer >= 0 \(got -1\)"),
        ("seed = true\n" + MINIMAL, r"seed must be an integer >= 0 \(got True\)"),
        ('name = "x"\n', r"a \[corpus\] table with inputs = \[\.\.\.\] is required"),
        ('name = "x"\n[corpus]\ninputs = []\n', r"inputs must be a non-empty list of paths"),
        (MINIMAL.replace("]\n", "]\nt2s = 'yes'\n", 1), r"t2s must be true or false"),
        ('name = "x\n', r"config\.toml: not valid TOML"),
    ],
)
def test_mistakes_are_named(tmp_path, text, pattern):
    with pytest.raises(ConfigError, match=pattern):
        load_config(write(tmp_path, text))


def test_top_level_key_inside_a_table_gets_a_hint(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown key 'seed'.*before the first \[table\]"):
        load_config(write(tmp_path, MINIMAL + "seed = 3\n"))


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


def test_missing_config_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"experiment config not found: .*config\.toml"):
        load_config(tmp_path)
