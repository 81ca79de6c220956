"""The build code of the documentation site (docs/hooks/): what `make docs` relies on."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "docs" / "hooks"


def _hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}", HOOKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # the notebook runner's worker processes import it by name
    spec.loader.exec_module(module)
    return module


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("tifa has no subcommands")


def test_cli_reference_lists_every_command_and_option_of_the_parser():
    from toolkit.cli.commands import COMMANDS
    from toolkit.cli.main import build_parser

    cli = _hook("cli_reference")
    text = cli.render()
    commands = _subcommands(build_parser())
    assert list(commands) == list(COMMANDS)
    for name, parser in commands.items():
        assert f"## `tifa {name}` {{#tifa-{name}}}" in text
        section = text.split(f"## `tifa {name}` ")[1].split("\n## ")[0]
        assert f"usage: tifa {name} " in section
        for action in parser._actions:
            if action.help is argparse.SUPPRESS:
                continue
            for option in action.option_strings:
                assert option in section, (name, option)
    # a metavar holding | (local:N|tcp://HOST:PORT) must not split its table row
    dtm = text.split("## `tifa dtm` ")[1].split("\n## ")[0]
    row = next(line for line in dtm.splitlines() if "--scheduler" in line and line.startswith("|"))
    assert row.count(" | ") == 1 and "local:N&#124;tcp://HOST:PORT" in row


def test_cli_reference_needs_its_marker():
    cli = _hook("cli_reference")

    class Page:
        class file:
            src_uri = "reference/cli.md"

    assert "## `tifa ingest`" in cli.on_page_markdown(f"# CLI\n\n{cli.MARKER}\n", Page())
    with pytest.raises(RuntimeError, match="lost its marker"):
        cli.on_page_markdown("# CLI\n", Page())


def test_bibtex_comes_from_citation_cff():
    import yaml

    citation = _hook("citation")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    entry = citation.bibtex(cff)
    assert entry.startswith("@software{tifa_toolkit,\n")
    assert f"  title = {{{{{cff['title']}}}}}" in entry
    assert f"  version = {{{cff['version']}}}" in entry
    assert "  author = {{tifa-toolkit developers}}" in entry


def test_sphinx_roles_become_code_spans():
    roles = _hook("griffe_sphinx_roles")
    text = ":class:`TermDetector` and :func:`~toolkit.ingest.parse_page`, :data:`SOURCES`"
    assert roles.plain_roles(text) == "`TermDetector` and `parse_page()`, `SOURCES`"


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# a test notebook")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


def test_notebook_runner_executes_in_the_notebook_folder_and_keeps_outputs(tmp_path):
    runner = _hook("execute_notebooks")
    source = tmp_path / "src"
    source.mkdir()
    (source / "data.txt").write_text("沙棠镇", encoding="utf-8")
    path = _notebook(source / "ok.ipynb", "print(open('data.txt', encoding='utf-8').read())")
    target = tmp_path / "out"
    target.mkdir()
    name, _, error = runner.execute(path, target, 120)
    assert (name, error) == ("ok.ipynb", None)
    executed = nbformat.read(target / "ok.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"] == "沙棠镇\n"
    assert nbformat.read(path, as_version=4).cells[1].outputs == []  # the source stays clean


def test_notebook_runner_names_the_failing_cell_and_leaves_no_copy(tmp_path):
    runner = _hook("execute_notebooks")
    path = _notebook(tmp_path / "bad.ipynb", "x = 1", "import math\nmath.sqrt(-1)")
    target = tmp_path / "out"
    target.mkdir()
    (target / "bad.ipynb").write_text("stale", encoding="utf-8")
    name, _, error = runner.execute(path, target, 120)
    assert name == "bad.ipynb"
    assert error == "code cell 2 ('import math') raised: ValueError: math domain error"
    assert not (target / "bad.ipynb").exists()
