"""An output whose folder cannot be made is refused with the path, the reason and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from toolkit.cli.main import main

TOWNS = str(REPO / "corpora" / "sample" / "towns.jsonl")


def test_a_missing_parent_folder_is_made(tmp_path):
    out = tmp_path / "new" / "sub" / "tokens.jsonl"
    assert main(["segment", TOWNS, "-o", str(out), "--quiet"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 36


def test_a_file_where_the_folder_should_be_is_named(tmp_path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "tokens.jsonl"
    assert main(["segment", TOWNS, "-o", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"tifa segment: error: cannot write {str(out)!r}: its folder "
        f"{str(tmp_path / 'file')!r} cannot be created (a file stands where a folder is "
        "needed); write to another folder"
    )


@pytest.mark.skipif(
    not Path("/proc").is_dir(), reason="needs Linux's /proc, where no folder can be made"
)
def test_a_folder_that_cannot_be_made_is_named(capsys):
    out = "/proc/no-such-folder/tokens.jsonl"
    assert main(["segment", TOWNS, "-o", out, "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"tifa segment: error: cannot write {out!r}: its folder '/proc/no-such-folder' "
        "cannot be created (No such file or directory); write to another folder"
    )


@pytest.mark.skipif(
    not Path("/sys").is_dir(), reason="needs Linux's /sys, where no file can be made"
)
def test_a_folder_that_refuses_files_is_named(capsys):
    # /sys takes no new files, even from root (a chmod'ed folder does not stop root).
    out = "/sys/tokens.jsonl"
    assert main(["segment", TOWNS, "-o", out, "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(
        f"tifa segment: error: cannot write {out!r}: its folder '/sys' refuses new files ("
    ), err
    assert err.endswith("); write to another folder")
    assert "Traceback" not in err
