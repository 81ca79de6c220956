"""SimilarityIndex on the sample corpus: towns of a county write alike."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from toolkit import Corpus, TermDetector, TopicModel, read_jsonl
from toolkit.similarity import (
    BootstrapInterval,
    PermutationResult,
    SimilarityIndex,
    pairwise,
    similarity,
)
from toolkit.topics import prepare_topics

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"


@pytest.fixture(scope="module")
def corpus():
    return read_jsonl(SAMPLE / "towns.jsonl")


@pytest.fixture(scope="module")
def tfidf(corpus):
    return SimilarityIndex(by="town", progress=False).fit(corpus)


@pytest.fixture(scope="module")
def detector(corpus):
    return TermDetector(progress=False).fit(corpus)


@pytest.fixture(scope="module")
def terms(corpus, detector):
    return SimilarityIndex(representation="terms", detector=detector, progress=False).fit(corpus)


@pytest.fixture(scope="module")
def topics(corpus):
    return SimilarityIndex(representation="topics", k_topics=6, progress=False).fit(corpus)


@pytest.fixture(scope="module")
def embedding(corpus):
    return SimilarityIndex(representation="embedding", epochs=5, progress=False).fit(corpus)


def town_terms() -> dict[str, set[str]]:
    """Each town's own terms (scope ``town``) from the ground truth."""
    out: dict[str, set[str]] = {}
    with open(SAMPLE / "terms.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["scope"] == "town":
                for town in row["towns"].split("|"):
                    out.setdefault(town, set()).add(row["term"].replace("“", "").replace("”", ""))
    return out


# ---------------------------------------------------------------------- fitting
def test_units_are_the_towns_with_their_county(tfidf, corpus):
    units = tfidf.units_
    assert units.index.name == "town"
    assert list(units.index) == sorted(set(corpus.docvars["town"]))
    assert units["n_pieces"].sum() == len(corpus)
    # County is constant within towns, so it is a unit-level docvar; year is not.
    assert units.loc["沙棠镇", "county"] == "苇川县"
    assert "year" not in units.columns
    assert tfidf.vectors_.shape == (13, len(tfidf.feature_names_))


def test_tfidf_vectors_are_sublinear_counts_times_idf(tfidf, corpus):
    dtm = prepare_topics(corpus, unit="document", min_df=2, max_df=0.5, progress=False).dtm
    grouped = dtm.group("town")
    assert grouped.doc_ids == list(tfidf.units_.index)
    assert grouped.feature_names == tfidf.feature_names_
    counts = grouped.counts.toarray().astype(float)
    idf = np.log(len(grouped) / np.maximum((counts > 0).sum(axis=0), 1))
    np.testing.assert_allclose(tfidf.vectors_.toarray(), np.log1p(counts) * idf)
    # The same matrix given directly gives the same index.
    from_matrix = SimilarityIndex(progress=False).fit(dtm)
    np.testing.assert_allclose(from_matrix.matrix().to_numpy(), tfidf.matrix().to_numpy())


def test_init_only_stores(corpus):
    index = SimilarityIndex(representation="nope", metric=3, by=None)
    assert index.get_params()["representation"] == "nope"
    assert not hasattr(index, "vectors_")
    with pytest.raises(RuntimeError, match="not fitted yet; call fit"):
        index.matrix()


# ---------------------------------------------------------------------- county signal
@pytest.mark.parametrize(("name", "threshold"), [("terms", 0.01), ("tfidf", 0.05)])
def test_towns_of_a_county_are_more_alike(request, name, threshold):
    index = request.getfixturevalue(name)
    result = index.permutation_test("county", n_perm=199, seed=1)
    assert isinstance(result, PermutationResult)
    assert result.observed == pytest.approx(result.within - result.across)
    assert result.observed > 0
    assert result.p_value < threshold
    # 13 towns in counties of 4, 3, 3 and 3: 6 + 3 × 3 pairs within, 78 in all.
    assert (result.n_units, result.n_groups) == (13, 4)
    assert (result.n_within, result.n_across) == (15, 63)
    assert result.null.shape == (199,)


def test_topic_similarity_separates_counties_over_seeds(corpus):
    """Six topics over 13 towns is a weak signal: one seed's p-value is noise.

    Over five model seeds the county signal must hold in the median; a single
    seed's p-value moved across 0.2 when the segmenter's quoted-term rule changed.
    """
    results = [
        SimilarityIndex(representation="topics", k_topics=6, seed=seed, progress=False)
        .fit(corpus)
        .permutation_test("county", n_perm=199, seed=1)
        for seed in range(5)
    ]
    assert np.median([r.observed for r in results]) > 0
    assert np.median([r.p_value for r in results]) < 0.2


def test_terms_give_the_smallest_possible_p_value(terms):
    result = terms.permutation_test("county", n_perm=499)
    assert result.p_value == pytest.approx(1 / 500)


def test_permutation_test_is_deterministic(tfidf):
    a = tfidf.permutation_test("county", n_perm=99, seed=3)
    b = tfidf.permutation_test("county", n_perm=99, seed=3)
    assert a.p_value == b.p_value
    np.testing.assert_array_equal(a.null, b.null)


def test_permutation_groups_must_be_unit_level(tfidf):
    with pytest.raises(ValueError) as err:
        tfidf.permutation_test("year")
    assert str(err.value).startswith("groups: docvar 'year' is not constant within units of 'town'")
    assert "pick a docvar at the level of the units or above" in str(err.value)
    assert "'county'" in str(err.value)
    with pytest.raises(KeyError, match=r"groups: no docvar named 'district'; available: \["):
        tfidf.permutation_test("district")
    with pytest.raises(ValueError, match="pairs of units in the same group"):
        tfidf.permutation_test("province")


# ---------------------------------------------------------------------- matrix, neighbours
def test_matrix_is_labelled_symmetric_with_ones_on_the_diagonal(tfidf):
    S = tfidf.matrix()
    assert list(S.index) == list(S.columns) == list(tfidf.units_.index)
    assert S.index.name == "town"
    np.testing.assert_array_equal(np.diag(S), 1.0)
    np.testing.assert_array_equal(S.to_numpy(), S.to_numpy().T)
    assert ((S.to_numpy() >= 0) & (S.to_numpy() <= 1 + 1e-12)).all()
    assert tfidf.similarity("沙棠镇", "菱角乡") == pytest.approx(S.loc["沙棠镇", "菱角乡"])


def test_neighbors_are_sorted_and_exclude_the_unit(tfidf):
    table = tfidf.neighbors("沙棠镇", k=5)
    assert list(table.columns) == ["neighbor", "similarity", "rank"]
    assert list(table["rank"]) == [1, 2, 3, 4, 5]
    assert "沙棠镇" not in set(table["neighbor"])
    assert table["similarity"].is_monotonic_decreasing
    row = tfidf.matrix().loc["沙棠镇"].drop("沙棠镇").sort_values(ascending=False)
    assert list(table["neighbor"]) == list(row.index[:5])
    np.testing.assert_allclose(table["similarity"], row.to_numpy()[:5], atol=1e-12)
    # More than the other units: all of them.
    assert len(tfidf.neighbors("沙棠镇", k=50)) == 12


def test_top_neighbors_table_agrees_with_neighbors(tfidf):
    table = tfidf.top_neighbors(k=3)
    assert list(table.columns) == ["unit", "neighbor", "similarity", "rank"]
    assert len(table) == 13 * 3
    one = table[table["unit"] == "松霭镇"].reset_index(drop=True)
    expected = tfidf.neighbors("松霭镇", k=3)
    assert list(one["neighbor"]) == list(expected["neighbor"])
    np.testing.assert_allclose(one["similarity"], expected["similarity"], atol=1e-12)


# ---------------------------------------------------------------------- explain, distinctive
def test_explain_cosine_adds_up_to_the_similarity(tfidf):
    table = tfidf.explain("沙棠镇", "菱角乡", n=10_000)
    sim = tfidf.similarity("沙棠镇", "菱角乡")
    assert table.attrs["similarity"] == pytest.approx(sim)
    assert table["contribution"].sum() == pytest.approx(sim, abs=1e-12)
    np.testing.assert_allclose(table["contribution"], table["weight_a"] * table["weight_b"])
    # The weights are the unit-length vectors.
    assert np.linalg.norm(table["weight_a"]) == pytest.approx(1.0)
    assert table["share"].sum() == pytest.approx(1.0)
    top = tfidf.explain("沙棠镇", "菱角乡", n=5)
    assert list(top.columns) == ["feature", "contribution", "share", "weight_a", "weight_b"]
    assert len(top) == 5 and top["contribution"].is_monotonic_decreasing
    assert list(top["feature"]) == list(table["feature"][:5])


@pytest.mark.parametrize("metric", ["jensen_shannon", "hellinger", "jaccard"])
def test_explain_adds_up_for_other_metrics(corpus, detector, metric):
    index = SimilarityIndex(
        representation="terms", metric=metric, detector=detector, progress=False
    ).fit(corpus)
    table = index.explain("渔火镇", "菰米乡", n=10_000)
    assert table["contribution"].sum() == pytest.approx(
        index.similarity("渔火镇", "菰米乡"), abs=1e-9
    )
    # The county's campaign is among what the two towns share.
    assert "护萤行动" in set(table.loc[table["contribution"] > 0, "feature"])


def test_explain_embedding_by_words_adds_up(embedding):
    table = embedding.explain("沙棠镇", "菱角乡", n=100_000)
    sim = embedding.similarity("沙棠镇", "菱角乡")
    assert table.attrs["total"] == pytest.approx(sim, abs=1e-9)
    assert table["contribution"].sum() == pytest.approx(sim, abs=1e-9)
    assert table["weight_a"].sum() == pytest.approx(1.0)
    assert set(table["feature"]) <= set(embedding.representation_.feature_names)


def test_distinctive_finds_the_towns_own_terms(terms, tfidf):
    own = town_terms()
    for town in ("沙棠镇", "菱角乡", "松霭镇", "墨池镇"):
        top = set(terms.distinctive(town, n=5)["feature"])
        assert top & own[town], (town, top)
    table = tfidf.distinctive("沙棠镇", n=3)
    assert list(table.columns[:3]) == ["feature", "target_count", "reference_count"]
    assert table["feature"].iloc[0] in own["沙棠镇"]
    assert table.attrs["target_docs"] == 3


# ---------------------------------------------------------------------- bootstrap
def test_confidence_is_a_seeded_bootstrap(tfidf):
    ci = tfidf.confidence("沙棠镇", "渡口铺镇", n_boot=200, seed=4)
    assert isinstance(ci, BootstrapInterval)
    assert ci.similarity == pytest.approx(tfidf.similarity("沙棠镇", "渡口铺镇"))
    assert 0 <= ci.low <= ci.high <= 1
    assert (ci.n_a, ci.n_b, ci.n_boot) == (3, 3, 200)
    assert ci.replicates.shape == (200,) and ci.std_error > 0
    again = tfidf.confidence("沙棠镇", "渡口铺镇", n_boot=200, seed=4)
    np.testing.assert_array_equal(ci.replicates, again.replicates)
    other = tfidf.confidence("沙棠镇", "渡口铺镇", n_boot=200, seed=5)
    assert not np.array_equal(ci.replicates, other.replicates)
    narrow = tfidf.confidence("沙棠镇", "渡口铺镇", n_boot=200, seed=4, level=0.5)
    assert ci.low <= narrow.low <= narrow.high <= ci.high


def test_confidence_replicates_rebuild_the_units(tfidf):
    # A replicate that drew each piece once is the fitted pair: check via the
    # metric on rebuilt vectors.
    rep = tfidf.representation_
    member = tfidf._member
    i, j = tfidf._position["沙棠镇"], tfidf._position["渡口铺镇"]
    rebuilt = rep.vectors(rep.sums(member[[i, j]]), np.asarray(member[[i, j]].sum(axis=1)).ravel())
    assert similarity(rebuilt[0].toarray(), rebuilt[1].toarray()) == pytest.approx(
        tfidf.similarity("沙棠镇", "渡口铺镇")
    )


def test_confidence_on_paragraphs_resamples_paragraphs(corpus):
    index = SimilarityIndex(split="paragraph", progress=False).fit(corpus)
    ci = index.confidence("沙棠镇", "菱角乡", n_boot=100)
    assert ci.n_a == index.units_.loc["沙棠镇", "n_pieces"] > 3
    assert ci.low <= ci.high


def test_confidence_warns_about_single_piece_units():
    docs = Corpus.from_records(
        [
            {"doc_id": "a1", "town": "甲镇", "text": "推进河长制，落实河长制巡河。"},
            {"doc_id": "a2", "town": "甲镇", "text": "河长制巡河，开展清河行动。"},
            {"doc_id": "b1", "town": "乙镇", "text": "落实河长制，开展招商引资。"},
        ]
    )
    index = SimilarityIndex(min_df=1, max_df=1.0, progress=False).fit(docs)
    with pytest.warns(UserWarning, match="'乙镇' is built from one piece"):
        index.confidence("甲镇", "乙镇", n_boot=20)


# ---------------------------------------------------------------------- other representations
def test_topic_units_are_mean_doc_topic(corpus):
    dtm = prepare_topics(corpus, unit="document", min_df=2, max_df=0.5, progress=False).dtm
    model = TopicModel(k=4, seed=2, backend="tomotopy", iterations=20, passes=5).fit(dtm)
    index = SimilarityIndex(
        representation="topics", metric="jensen_shannon", topic_model=model, progress=False
    ).fit(corpus)
    assert index.topic_model_ is model
    expected = model.doc_topic_.groupby(model.docvars_["town"].to_numpy()).mean()
    np.testing.assert_allclose(index.vectors_, expected.loc[index.units_.index].to_numpy())
    assert index.feature_names_ == ["topic_0", "topic_1", "topic_2", "topic_3"]
    np.testing.assert_allclose(
        index.matrix().to_numpy(), pairwise(expected.to_numpy(), "jensen_shannon")
    )


def test_results_are_deterministic_given_the_seed(corpus, topics, embedding):
    again = SimilarityIndex(representation="topics", k_topics=6, progress=False).fit(corpus)
    np.testing.assert_array_equal(again.matrix().to_numpy(), topics.matrix().to_numpy())
    again = SimilarityIndex(representation="embedding", epochs=5, progress=False).fit(corpus)
    np.testing.assert_array_equal(again.vectors_, embedding.vectors_)
    other = SimilarityIndex(representation="embedding", epochs=5, seed=1, progress=False)
    assert not np.array_equal(other.fit(corpus).vectors_, embedding.vectors_)


def test_embedding_units_are_mean_word_vectors(embedding):
    assert embedding.vectors_.shape == (13, 50)
    assert embedding.feature_names_[:2] == ["dim_0", "dim_1"]
    assert embedding.word2vec_.wv.vector_size == 50
    S = embedding.matrix().to_numpy()
    assert (S <= 1 + 1e-12).all() and (S > 0.5).all()


def test_by_any_docvar(corpus):
    index = SimilarityIndex(by="county", progress=False).fit(corpus)
    assert list(index.units_.index) == ["檀岭区", "砚溪县", "苇川县", "萤湖县"]
    assert index.units_["n_pieces"].sum() == len(corpus)
    years = SimilarityIndex(by="year", min_df=1, progress=False).fit(corpus)
    assert list(years.units_.index) == ["2022", "2023"]
    assert years.neighbors(2022, k=1)["neighbor"].tolist() == ["2023"]


# ---------------------------------------------------------------------- errors
def test_invalid_pairing_names_the_valid_metrics(corpus):
    with pytest.raises(ValueError) as err:
        SimilarityIndex(representation="topics", metric="jaccard").fit(corpus)
    assert str(err.value) == (
        "metric 'jaccard' does not apply to representation 'topics'; "
        "valid: {'cosine', 'hellinger', 'jensen_shannon'}"
    )
    with pytest.raises(ValueError) as err:
        SimilarityIndex(representation="embedding", metric="hellinger").fit(corpus)
    assert str(err.value) == (
        "metric 'hellinger' does not apply to representation 'embedding'; valid: {'cosine'}"
    )


def test_unknown_choices_are_named(corpus):
    with pytest.raises(ValueError) as err:
        SimilarityIndex(metric="l2").fit(corpus)
    assert str(err.value) == (
        "metric must be one of {'cosine', 'hellinger', 'jaccard', 'jensen_shannon'} (got 'l2')"
    )
    with pytest.raises(ValueError) as err:
        SimilarityIndex(representation="bert").fit(corpus)
    assert str(err.value) == (
        "representation must be one of {'embedding', 'terms', 'tfidf', 'topics'} (got 'bert')"
    )
    with pytest.raises(ValueError, match=r"^split must be one of \{'document', 'paragraph'\}"):
        SimilarityIndex(split="sentence").fit(corpus)
    with pytest.raises(ValueError, match=r"^k_topics must be an integer >= 1 \(got 0\)$"):
        SimilarityIndex(representation="topics", k_topics=0).fit(corpus)


def test_unknown_by_lists_the_docvars(corpus):
    with pytest.raises(KeyError) as err:
        SimilarityIndex(by="village").fit(corpus)
    message = err.value.args[0]
    assert message.startswith("by: no docvar named 'village' in the corpus; available: [")
    assert "'county'" in message and "'town'" in message


def test_one_unit_is_not_enough(corpus):
    with pytest.raises(ValueError) as err:
        SimilarityIndex(by="province", progress=False).fit(corpus)
    assert str(err.value) == (
        "by='province' gives 1 unit (['沄江省']); similarity needs at least two; "
        "group by a finer docvar"
    )


def test_unknown_unit_names_the_available_ones(tfidf):
    with pytest.raises(KeyError) as err:
        tfidf.neighbors("沙棠")
    message = err.value.args[0]
    assert message.startswith("unit '沙棠' is not in the index (by='town'); available: [")
    assert "'沙棠镇'" in message
    with pytest.raises(KeyError, match="b '无名镇' is not in the index"):
        tfidf.explain("沙棠镇", "无名镇")


def test_parameters_that_do_not_belong_are_refused(corpus, detector, tfidf):
    with pytest.raises(ValueError, match=r"^detector is only used with representation='terms'"):
        SimilarityIndex(detector=detector).fit(corpus)
    with pytest.raises(ValueError, match=r"^topic_model is only used with representation="):
        SimilarityIndex(topic_model=TopicModel()).fit(corpus)
    dtm = prepare_topics(corpus, unit="document", progress=False).dtm
    with pytest.raises(TypeError, match="representation 'terms' needs the texts; pass a Corpus"):
        SimilarityIndex(representation="terms").fit(dtm)
    with pytest.raises(TypeError, match=r"X\[0\] is a dict"):
        SimilarityIndex().fit([{"text": "x"}])
    with pytest.raises(ValueError, match=r"^level must be between 0 and 1"):
        tfidf.confidence("沙棠镇", "菱角乡", level=95)
    with pytest.raises(ValueError, match=r"^k must be an integer >= 1 \(got 0\)$"):
        tfidf.neighbors("沙棠镇", k=0)


def test_missing_unit_values_are_named():
    docs = Corpus.from_records(
        [
            {"doc_id": "a", "town": "甲镇", "text": "推进河长制。"},
            {"doc_id": "b", "text": "落实河长制。"},
        ]
    )
    with pytest.raises(ValueError, match=r"by: docvar 'town' is missing for 1 documents \(e.g\."):
        SimilarityIndex(min_df=1, max_df=1.0, progress=False).fit(docs)


def test_units_without_features_are_flagged():
    # 乙镇 only writes 河长制, which every town writes: its tf-idf vector is empty.
    docs = Corpus.from_records(
        [
            {"doc_id": "a", "town": "甲镇", "text": "河长制，湖泊治理。"},
            {"doc_id": "b", "town": "乙镇", "text": "河长制。"},
            {"doc_id": "c", "town": "丙镇", "text": "河长制，招商引资。"},
        ]
    )
    with pytest.warns(UserWarning) as caught:
        index = SimilarityIndex(min_df=1, max_df=1.0, progress=False).fit(docs)
    assert str(caught[0].message) == (
        "1 units have no features in representation 'tfidf': ['乙镇']; "
        "they are similar to no other unit (0)"
    )
    S = index.matrix()
    assert S.loc["乙镇", "乙镇"] == 1.0
    assert (S.loc["乙镇"].drop("乙镇") == 0).all()
