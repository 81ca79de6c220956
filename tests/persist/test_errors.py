"""Issue 16 §5: a model file that cannot be trusted is refused, with what is wrong and what to do.

Newer format versions, edited members, edited manifests, truncated files,
pickles, other bytes and models of another class each get their own message;
the messages are pinned here. Saving is atomic: a failed save leaves the old
file as it was and no temporary file behind.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import zipfile
from pathlib import Path

import pytest

from toolkit import ModelFileError, Segmenter, TermDetector, TopicModel, __version__
from toolkit._estimator import NotFittedError
from toolkit._persist import FORMAT_VERSION, _manifest_checksum

TEXTS = ["推行“一线工作法”，坚持共建、共治、共享。", "坚持一线工作法，推进“河长制”。"]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(progress=False).fit(TEXTS)


@pytest.fixture
def saved(segmenter: Segmenter, tmp_path: Path) -> Path:
    return segmenter.save(tmp_path / "model.tifa")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rewrite(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _edit_manifest(path: Path, **changes: object) -> None:
    members = _members(path)
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    manifest["checksum"] = _manifest_checksum(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    _rewrite(path, members)


def test_the_manifest_records_versions_class_params_and_checksums(saved: Path):
    manifest = json.loads(_members(saved)["manifest.json"])
    assert manifest["format"] == "tifa-model"
    assert manifest["format_version"] == FORMAT_VERSION == 1
    assert manifest["toolkit_version"] == __version__
    assert manifest["class"] == "Segmenter"
    assert manifest["params"]["backend"] == "jieba-rs"
    assert manifest["params"]["lexicons"] == {"$tuple": ["builtin"]}
    assert set(manifest["members"]) == {"state.json"}
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["members"]["state.json"]["sha256"])


def test_a_newer_format_version_is_refused(saved: Path):
    _edit_manifest(saved, format_version=3, toolkit_version="9.0")
    message = (
        "model.tifa: written by format version 3 (tifa-toolkit 9.0), this toolkit reads up "
        "to 1; upgrade tifa-toolkit"
    )
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        Segmenter.load(saved)


def test_a_changed_member_is_refused(saved: Path):
    members = _members(saved)
    state = json.loads(members["state.json"])
    state["n_learned"] += 1
    members["state.json"] = json.dumps(state).encode()
    _rewrite(saved, members)
    message = (
        "model.tifa: member 'state.json' does not match its checksum: "
        "the file was changed or damaged"
    )
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        Segmenter.load(saved)


def test_a_changed_manifest_is_refused(saved: Path):
    members = _members(saved)
    members["manifest.json"] = members["manifest.json"].replace(b'"hmm": true', b'"hmm": false')
    _rewrite(saved, members)
    message = (
        "model.tifa: manifest.json does not match its checksum: the file was changed or damaged"
    )
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        Segmenter.load(saved)


def test_an_added_or_removed_member_is_refused(saved: Path, tmp_path: Path):
    members = _members(saved)
    _rewrite(saved, {**members, "extra.npy": b"\x93NUMPY"})
    with pytest.raises(
        ModelFileError,
        match=r"^model\.tifa: member 'extra\.npy' is not listed in manifest\.json: "
        r"the file was changed$",
    ):
        Segmenter.load(saved)
    _rewrite(saved, {"manifest.json": members["manifest.json"]})
    with pytest.raises(
        ModelFileError,
        match=r"^model\.tifa: member 'state\.json' is listed but absent: "
        r"the file was changed or damaged$",
    ):
        Segmenter.load(saved)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, -1])
def test_a_truncated_file_is_refused(saved: Path, keep: float):
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep)] if keep > 0 else data[:-1])
    message = "model.tifa: not a complete tifa model file (truncated zip); copy or save it again"
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        Segmenter.load(saved)


def test_a_truncated_tomotopy_model_never_reaches_tomotopy(tmp_path: Path):
    # tomotopy hangs or crashes on a cut model: the checksum refuses it first.
    from toolkit import Tokens
    from toolkit.dtm import DocTermMatrix

    docs = [["河长制", "河湖", "治理"], ["招商", "项目", "投资"]] * 5
    dtm = DocTermMatrix.from_tokens(Tokens(docs, doc_ids=[str(i) for i in range(10)]))
    path = (
        TopicModel(k=2, backend="tomotopy", iterations=5, passes=1)
        .fit(dtm)
        .save(tmp_path / "m.tifa")
    )
    members = _members(path)
    members["engine/tomotopy.bin"] = members["engine/tomotopy.bin"][:200]
    _rewrite(path, members)
    with pytest.raises(
        ModelFileError, match=r"member 'engine/tomotopy\.bin' does not match its checksum"
    ):
        TopicModel.load(path)


def test_a_pickle_is_refused_and_never_unpickled(segmenter: Segmenter, tmp_path: Path):
    path = tmp_path / "old.pkl"
    path.write_bytes(pickle.dumps(segmenter))
    message = (
        "old.pkl: not a tifa model file; it looks like a pickle (TopicModel.save wrote one "
        "before format version 1); pickles are never loaded, as they can run code: fit the "
        "model again and save it"
    )
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        Segmenter.load(path)


def test_other_bytes_are_refused(tmp_path: Path):
    path = tmp_path / "noise.tifa"
    path.write_bytes(os.urandom(64).replace(b"\x80", b"\x00").replace(b"PK", b"pk"))
    message = "noise.tifa: not a tifa model file; save a fitted model with its save(path) method"
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        Segmenter.load(path)
    _rewrite(path, {"data.json": b"{}"})
    with pytest.raises(
        ModelFileError,
        match=r"^noise\.tifa: not a tifa model file \(a zip without manifest\.json\)",
    ):
        Segmenter.load(path)


def test_a_model_of_another_class_names_the_class_it_holds(saved: Path):
    message = "model.tifa: holds a Segmenter, not a TermDetector; load it with Segmenter.load(path)"
    with pytest.raises(ModelFileError, match=f"^{re.escape(message)}$"):
        TermDetector.load(saved)


def test_a_missing_file(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"^model file not found: '.*nowhere\.tifa'$"):
        Segmenter.load(tmp_path / "nowhere.tifa")


def test_an_unfitted_model_is_not_saved(tmp_path: Path):
    with pytest.raises(
        NotFittedError, match=r"this TermDetector is not fitted yet; call fit\(corpus\) first"
    ):
        TermDetector().save(tmp_path / "m.tifa")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(segmenter: Segmenter, tmp_path: Path):
    target = tmp_path / "no" / "m.tifa"
    with pytest.raises(
        FileNotFoundError,
        match=f"^cannot write the model file {re.escape(repr(str(target)))}: folder "
        f"{re.escape(repr(str(target.parent)))} does not exist$",
    ):
        segmenter.save(target)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_is_named(segmenter: Segmenter, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(
            PermissionError,
            match=r"no permission to write in .*; save it to a folder you can write to$",
        ):
            segmenter.save(folder / "m.tifa")
    finally:
        folder.chmod(0o700)


def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(
    segmenter: Segmenter, saved: Path, monkeypatch: pytest.MonkeyPatch
):
    before = saved.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    with pytest.raises(OSError, match="disk full"):
        segmenter.save(saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_a_folder_without_write_permission_is_named(
    segmenter: Segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # The same message as the chmod test above, which root (CI containers) cannot run:
    # opening the temporary file beside the target is refused.
    import toolkit._atomic

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(toolkit._atomic, "open", denied, raising=False)
    target = tmp_path / "m.tifa"
    message = (
        f"cannot write the model file {str(target)!r}: no permission to write in "
        f"{str(tmp_path)!r}; save it to a folder you can write to"
    )
    with pytest.raises(PermissionError, match=f"^{re.escape(message)}$"):
        segmenter.save(target)


def test_a_detector_file_written_before_rank_existed_loads_with_the_glossary_ranking(
    tmp_path: Path,
):
    # The default is now rank="reader"; a file without the parameter ranked as a glossary.
    path = TermDetector(progress=False).fit(TEXTS).save(tmp_path / "terms.tifa")
    assert TermDetector.load(path).rank == "reader"
    members = _members(path)
    manifest = json.loads(members["manifest.json"])
    del manifest["params"]["rank"]
    _edit_manifest(path, params=manifest["params"])
    assert TermDetector.load(path).rank == "glossary"
