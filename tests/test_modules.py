"""Every module of the package declares what it exports, found by walking the package."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import toolkit


def _modules() -> list[str]:
    names = ["toolkit"]
    for info in pkgutil.walk_packages(toolkit.__path__, prefix="toolkit."):
        # __main__ runs the command line on import; it is an entry point, not a module.
        if not info.name.endswith("__main__"):
            names.append(info.name)
    return names


MODULES = _modules()


def test_the_walk_finds_every_layer():
    # A walk that silently found nothing would make the test below vacuous.
    layers = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    assert {"corpus", "ingest", "normalize", "segment", "terms", "dtm", "topics"} <= layers
    assert {"similarity", "plot", "experiment", "cli"} <= layers
    assert "toolkit.similarity.reuse.find" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_all(name: str) -> None:
    module = importlib.import_module(name)
    assert isinstance(module.__all__, list), f"{name}.__all__ must be a list"
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.__all__ names missing {public}"
