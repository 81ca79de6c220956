"""The prevalence bootstrap: multinomial weights in blocks, the ordinary bootstrap's spread."""

import importlib

import numpy as np

prevalence_module = importlib.import_module("toolkit.topics.prevalence")


def _shares(n: int, k: int = 5) -> np.ndarray:
    return np.random.default_rng(1).dirichlet(np.ones(k), size=n)


def test_bootstrap_spread_is_the_standard_error_of_the_mean():
    members = _shares(400)
    boot = prevalence_module._bootstrap_means(members, 4000, np.random.default_rng(0))
    assert boot.shape == (4000, 5)
    # The bootstrap distribution of a mean centres on the mean, with spread sd / sqrt(n).
    np.testing.assert_allclose(boot.mean(axis=0), members.mean(axis=0), atol=0.002)
    ratio = boot.std(axis=0) / (members.std(axis=0) / np.sqrt(len(members)))
    assert np.all((ratio > 0.9) & (ratio < 1.1)), ratio


def test_block_size_does_not_change_the_draws(monkeypatch):
    members = _shares(300)
    whole = prevalence_module._bootstrap_means(members, 100, np.random.default_rng(7))
    monkeypatch.setattr(prevalence_module, "_BLOCK", 300 * 7)  # blocks of 7 resamples
    blocked = prevalence_module._bootstrap_means(members, 100, np.random.default_rng(7))
    np.testing.assert_array_equal(whole, blocked)


def test_a_group_of_one_document_has_a_zero_width_interval():
    members = _shares(1)
    boot = prevalence_module._bootstrap_means(members, 50, np.random.default_rng(0))
    np.testing.assert_allclose(boot, np.repeat(members, 50, axis=0))
