"""The backend registry, optional backends and replacement dictionaries."""

from __future__ import annotations

import builtins

import pytest

from toolkit.segment import BACKENDS, Segmenter, load_dictionary, make_backend


def test_registry_names():
    assert {"jieba-rs", "jieba", "char", "pkuseg"} <= set(BACKENDS)


def test_unknown_backend_lists_the_choices():
    with pytest.raises(ValueError, match=r"backend must be one of \{.*\} \(got 'hanlp'\)"):
        make_backend("hanlp")


def test_missing_optional_backend_gives_the_install_command(monkeypatch):
    real_import = builtins.__import__

    def no_pkuseg(name, *args, **kwargs):
        if name == "spacy_pkuseg":
            raise ImportError("No module named 'spacy_pkuseg'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pkuseg)
    with pytest.raises(ImportError, match="pip install spacy-pkuseg"):
        make_backend("pkuseg")


def test_load_dictionary_borrows_jieba_counts_for_bare_words(tmp_path):
    import math

    from toolkit.segment.backends import jieba_frequencies

    path = tmp_path / "words.txt"
    path.write_text("发展\n田坎工作法\n河长 7\n", encoding="utf-8")
    pairs = dict(load_dictionary(path))
    # jieba's general count, damped by a square root (see load_dictionary's notes).
    assert pairs["发展"] == round(math.sqrt(jieba_frequencies()["发展"] + 1)) > 100
    assert pairs["田坎工作法"] == 1  # unknown to jieba
    assert pairs["河长"] == 7  # explicit frequency wins


def test_empty_dictionary_is_refused():
    with pytest.raises(ValueError, match="dictionary is empty"):
        load_dictionary([])


@pytest.mark.parametrize("backend", ["jieba", "jieba-rs"])
def test_replacement_dictionary_changes_segmentation(backend):
    text = "工作法推广"
    default = Segmenter(backend=backend, lexicons=[]).segment_text(text)
    custom = Segmenter(backend=backend, lexicons=[], dictionary=["工作法", "推广"])
    assert custom.segment_text(text) == ["工作法", "推广"]
    assert default != ["工作法", "推广"]
