"""Helpers for the bad-input matrix (issue 16): run ``tifa`` and read what it wrote."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from toolkit.cli.main import main

Run = Callable[..., tuple[int, str, list[str]]]


@pytest.fixture
def tifa(capsys: pytest.CaptureFixture[str]) -> Run:
    """``tifa(*argv)`` -> exit status, stdout, stderr lines."""

    def run(*argv: object) -> tuple[int, str, list[str]]:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err.splitlines()

    return run
