"""The modules index.py was split into, tested on their own: units, build, explain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit import Corpus
from toolkit.similarity.explain import embedding_contributions
from toolkit.similarity.representations import build
from toolkit.similarity.units import group_labels, membership, names, unit_table


@pytest.fixture
def docvars():
    return pd.DataFrame(
        {"town": ["乙镇", "甲镇", "乙镇", 2022], "county": ["东县", "西县", "东县", "南县"]},
        index=pd.Index(["a", "b", "c", "d"], name="doc_id"),
    )


def test_membership_sorts_units_as_strings(docvars):
    member, labels = membership(docvars, "town")
    assert labels == ["2022", "乙镇", "甲镇"]
    np.testing.assert_array_equal(member.toarray(), [[0, 0, 0, 1], [1, 0, 1, 0], [0, 1, 0, 0]])


def test_unit_table_keeps_unit_level_docvars(docvars):
    member, labels = membership(docvars, "town")
    table = unit_table(docvars, "town", labels, np.asarray(member.sum(axis=1)).ravel())
    assert table.index.name == "town"
    assert table.loc["乙镇"].to_dict() == {"n_pieces": 2, "county": "东县"}
    np.testing.assert_array_equal(group_labels(docvars, table, "town", "county"), table["county"])


def test_names_shortens_long_lists():
    assert names(["a", "b"]) == "['a', 'b']"
    assert names(range(25)).endswith(", 19 … and 5 more]")


def test_embedding_contributions_add_up_to_the_cosine_of_the_means():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(6, 4))
    counts_a, counts_b = rng.integers(0, 5, size=6).astype(float), np.arange(6.0)
    contribution, shares_a, shares_b = embedding_contributions(vectors, counts_a, counts_b)
    mean_a, mean_b = shares_a @ vectors, shares_b @ vectors
    cosine = mean_a @ mean_b / np.linalg.norm(mean_a) / np.linalg.norm(mean_b)
    assert contribution.sum() == pytest.approx(cosine)
    assert shares_a.sum() == pytest.approx(1.0)


def test_build_names_the_representation_it_does_not_know():
    docs = Corpus.from_records([{"doc_id": "a", "town": "甲镇", "text": "河长制。"}])
    with pytest.raises(ValueError, match=r"^representation must be one of \{'embedding', "):
        build("bert", docs, by="town")
