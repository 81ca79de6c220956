"""mkdocs hook: the tutorials are the executed copies of ``notebooks/*.ipynb``.

The notebooks are stored without outputs in ``notebooks/``;
``docs/hooks/execute_notebooks.py`` (``make notebooks``) executes them into
``build/notebooks/``. This hook

- fills the ``Tutorials`` section of the nav with every ``notebooks/*.ipynb``, in
  file-name order and titled by the notebook's first heading, so a new notebook
  appears without editing ``mkdocs.yml``;
- adds each executed copy to the site as ``notebooks/<name>.ipynb``, which
  mkdocs-jupyter renders with its outputs and figures (``execute: false``).

A notebook without an executed copy, or whose copy is older than the notebook,
stops the build and says to run ``make notebooks``: the site never shows a
tutorial without its outputs, or the outputs of an older version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "notebooks"
EXECUTED = ROOT / "build" / "notebooks"
SECTION = "Tutorials"
# The executed copies are added from build/ as they lie, so their pages are notebooks/<name>/.
FOLDER = EXECUTED.name


def _sources() -> list[Path]:
    return sorted(SOURCE.glob("*.ipynb"))


def _title(path: Path) -> str:
    """The notebook's first markdown heading, else its file name."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return path.stem


def on_config(config: Any, **kwargs: Any) -> Any:
    entries = [{_title(p): f"{FOLDER}/{p.name}"} for p in _sources()]
    for item in config.nav or []:
        if isinstance(item, dict) and SECTION in item:
            item[SECTION] = entries
            return config
    raise PluginError(f"mkdocs.yml has no nav section {SECTION!r} for the notebooks")


# Before mkdocs-jupyter's own on_files (priority 0), which turns .ipynb files into pages.
@event_priority(50)
def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    for source in _sources():
        executed = EXECUTED / source.name
        if not executed.is_file():
            raise PluginError(
                f"{executed.relative_to(ROOT)} is missing: run `make notebooks` "
                f"(or `make docs`, which runs it) to execute {source.relative_to(ROOT)}"
            )
        if executed.stat().st_mtime < source.stat().st_mtime:
            raise PluginError(
                f"{executed.relative_to(ROOT)} is older than {source.relative_to(ROOT)}: "
                "run `make notebooks` to execute it again"
            )
        # A File read from its own folder (not File.generated): mkdocs-jupyter wraps it
        # in a NotebookFile that finds the path through src_dir.
        files.append(
            File(
                f"{FOLDER}/{source.name}",
                src_dir=str(EXECUTED.parent),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files
