"""keyness: signed chi2 and G2 per term, checked against scipy and by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2 as chi2_dist
from scipy.stats import chi2_contingency

import toolkit
from toolkit import Corpus, Tokens
from toolkit.terms.detector import COLUMNS, TermDetector
from toolkit.terms.keyness import KEYNESS_COLUMNS, keyness
from toolkit.terms.kwic import kwic

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"

TERMS = ["共建共治共享", "两委", "一线工作法", "网格化管理", "河长制"]

# Two invented counties. 苇川县 towns write 共建共治共享 (run together or
# enumerated) and 村“两委”; 砚溪县 towns write 一线工作法 and 网格化管理.
RECORDS = [
    {
        "doc_id": "hetang-2022",
        "county": "苇川县",
        "town": "河塘镇",
        "year": 2022,
        "text": "河塘镇坚持共建共治共享，村“两委”班子带头，共建、共治、共享的格局初步形成。"
        "全镇推行河长制，共建共治共享的理念深入人心。",
    },
    {
        "doc_id": "hetang-2023",
        "county": "苇川县",
        "town": "河塘镇",
        "year": 2023,
        "text": "河塘镇深化共建共治共享，村“两委”干部包片联户，“两委”成员每月走访。",
    },
    {
        "doc_id": "liuwan-2023",
        "county": "苇川县",
        "town": "柳湾乡",
        "year": 2023,
        "text": "柳湾乡推动共建、共治、共享，落实网格化管理，村两委换届平稳有序。",
    },
    {
        "doc_id": "shiqiao-2022",
        "county": "砚溪县",
        "town": "石桥街道",
        "year": 2022,
        "text": "石桥街道推行“一线工作法”，网格化管理全覆盖，一线工作法让干部沉到一线。"
        "街道落实河长制，网格化管理员每日巡河。",
    },
    {
        "doc_id": "songlin-2022",
        "county": "砚溪县",
        "town": "松林镇",
        "year": 2022,
        "text": "松林镇总结一线工作法经验，村“两委”和网格员一起化解矛盾，一线工作法见实效。",
    },
    {
        "doc_id": "songlin-2023",
        "county": "砚溪县",
        "town": "松林镇",
        "year": 2023,
        "text": "松林镇推广一线工作法，完善网格化管理，推动共建共治共享。",
    },
]


def detect_like(corpus: Corpus, terms: list[str]) -> pd.DataFrame:
    """A table shaped like TermDetector.detect(): one row per (document, term), known counts."""
    rows = []
    docvars = corpus.docvars
    for rank, term in enumerate(terms, start=1):
        hits = kwic(corpus, term)
        for doc_id, found in hits.groupby("doc_id", sort=False):
            rows.append(
                {
                    "doc_id": doc_id,
                    "rank": rank,
                    "term": term,
                    "forms": sorted(set(found["match"])),
                    "kind": "quoted",
                    "count": len(found),
                    "score": 1.0 / rank,
                    "expansion": [],
                    "sources": ["quoted"],
                    "first": int(found["start"].min()),
                    **docvars.loc[doc_id].to_dict(),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture()
def detections() -> pd.DataFrame:
    return detect_like(Corpus.from_records(RECORDS), TERMS)


def scipy_2x2(a: int, b: int, target_total: int, reference_total: int) -> np.ndarray:
    return np.array([[a, b], [target_total - a, reference_total - b]])


def hand_g2(a: float, b: float, c: float, d: float) -> float:
    n = a + b + c + d
    cells = [(a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d)]
    return 2 * sum(o * math.log(o / (r * k / n)) for o, r, k in cells if o > 0)


def test_counts_per_side(detections):
    table = keyness(detections, target={"county": "苇川县"}).set_index("feature")
    assert list(table.reset_index().columns) == list(KEYNESS_COLUMNS)
    assert table.loc["共建共治共享", "target_count"] == 5  # 3 + 1 + 1, two written 共建、共治、共享
    assert table.loc["共建共治共享", "reference_count"] == 1
    assert table.loc["一线工作法", "target_count"] == 0
    assert table.loc["一线工作法", "reference_count"] == 5
    assert (
        table["target_count"].sum()
        == detections.loc[detections["county"] == "苇川县", "count"].sum()
    )
    assert table["target_count"].dtype == "int64"


def test_signs_point_to_the_side_that_overuses(detections):
    table = keyness(detections, target={"county": "苇川县"}).set_index("feature")
    assert table.loc["共建共治共享", "g2"] > 0
    assert table.loc["共建共治共享", "chi2"] > 0
    assert table.loc["两委", "g2"] > 0
    assert table.loc["一线工作法", "g2"] < 0
    assert table.loc["网格化管理", "chi2"] < 0
    # Swapping the sides flips every sign and keeps every size.
    swapped = keyness(detections, target={"county": "砚溪县"}).set_index("feature")
    assert np.allclose(swapped.loc[table.index, "g2"], -table["g2"])
    assert np.allclose(swapped.loc[table.index, "chi2"], -table["chi2"])


def test_chi2_matches_scipy_with_yates_and_g2_matches_hand_computation(detections):
    table = keyness(detections, target={"county": "苇川县"})
    t_total = int(table["target_count"].sum())
    r_total = int(table["reference_count"].sum())
    for row in table.itertuples():
        observed = scipy_2x2(row.target_count, row.reference_count, t_total, r_total)
        expected_chi2 = chi2_contingency(observed, correction=True)[0]
        assert abs(row.chi2) == pytest.approx(expected_chi2, rel=1e-12, abs=1e-12)
        a, b = row.target_count, row.reference_count
        g2 = hand_g2(a, b, t_total - a, r_total - b)
        assert abs(row.g2) == pytest.approx(g2, rel=1e-12)
        lr = chi2_contingency(observed, correction=False, lambda_="log-likelihood")[0]
        assert abs(row.g2) == pytest.approx(lr, rel=1e-12)


def test_p_rates_and_log_ratio(detections):
    table = keyness(detections, target={"county": "苇川县"})
    t_total = table["target_count"].sum()
    r_total = table["reference_count"].sum()
    assert np.allclose(table["p"], chi2_dist.sf(table["g2"].abs(), 1))
    chi2_table = keyness(detections, target={"county": "苇川县"}, measure="chi2")
    assert np.allclose(chi2_table["p"], chi2_dist.sf(chi2_table["chi2"].abs(), 1))
    assert np.allclose(table["target_per_10k"], table["target_count"] / t_total * 10_000)
    assert np.allclose(table["reference_per_10k"], table["reference_count"] / r_total * 10_000)
    row = table.set_index("feature").loc["一线工作法"]
    assert row["log_ratio"] == pytest.approx(math.log2((0.5 / t_total) / (5.5 / r_total)))


@pytest.mark.parametrize("measure", ["g2", "chi2"])
def test_sorted_by_the_measure(detections, measure):
    table = keyness(detections, target={"county": "苇川县"}, measure=measure)
    assert table[measure].is_monotonic_decreasing
    assert table.attrs["measure"] == measure
    assert table["feature"].iloc[-1] == "一线工作法"


def test_small_differences_are_not_overcorrected():
    # |ad - bc| < N/2: Yates would overshoot; scipy (and we) report 0.
    counts = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b"],
            "term": ["河长制", "林长制", "河长制", "林长制"],
            "count": [10, 10, 10, 11],
        }
    )
    table = keyness(counts, target=["a"]).set_index("feature")
    assert chi2_contingency(np.array([[10, 10], [10, 11]]), correction=True)[0] == 0
    assert table.loc["河长制", "chi2"] == 0
    assert table.loc["河长制", "g2"] > 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda ab: sum(ab) > 0),
        min_size=2,
        max_size=6,
    )
)
def test_property_chi2_and_g2_agree_with_scipy(pairs):
    terms = ["共建共治共享", "两委", "一线工作法", "网格化管理", "河长制", "林长制"]
    rows = []
    for term, (a, b) in zip(terms, pairs, strict=False):
        rows += [
            {"doc_id": "t", "term": term, "count": a},
            {"doc_id": "r", "term": term, "count": b},
        ]
    counts = pd.DataFrame(rows)
    t_total = counts.loc[counts["doc_id"] == "t", "count"].sum()
    r_total = counts.loc[counts["doc_id"] == "r", "count"].sum()
    if t_total == 0 or r_total == 0:
        return
    table = keyness(counts, target=["t"])
    for row in table.itertuples():
        observed = scipy_2x2(row.target_count, row.reference_count, t_total, r_total)
        if (observed.sum(axis=0) == 0).any() or (observed.sum(axis=1) == 0).any():
            continue  # scipy refuses tables with an empty margin
        assert abs(row.chi2) == pytest.approx(
            chi2_contingency(observed, correction=True)[0], rel=1e-9, abs=1e-9
        )
        lr = chi2_contingency(observed, correction=False, lambda_="log-likelihood")[0]
        assert abs(row.g2) == pytest.approx(lr, rel=1e-9, abs=1e-9)
        expected_a = (row.target_count + row.reference_count) * t_total / (t_total + r_total)
        if row.target_count > expected_a + 1e-9:
            assert row.g2 > 0
        elif row.target_count < expected_a - 1e-9:
            assert row.g2 < 0


def test_default_reference_is_everything_else(detections):
    default = keyness(detections, target={"county": "苇川县"})
    explicit = keyness(detections, target={"county": "苇川县"}, reference={"county": "砚溪县"})
    pd.testing.assert_frame_equal(default, explicit)
    assert default.attrs["target_docs"] == 3
    assert default.attrs["reference_docs"] == 3


def test_doc_ids_dict_and_row_mask_select_the_same(detections):
    by_dict = keyness(detections, target={"county": "苇川县"})
    by_ids = keyness(detections, target=["hetang-2022", "hetang-2023", "liuwan-2023"])
    by_mask = keyness(detections, target=detections["county"] == "苇川县")
    pd.testing.assert_frame_equal(by_dict, by_ids)
    pd.testing.assert_frame_equal(by_dict, by_mask)


def test_dict_with_lists_and_several_keys(detections):
    table = keyness(
        detections,
        target={"county": "苇川县", "year": [2023]},
        reference={"town": ["石桥街道", "松林镇"], "year": 2023},
    )
    assert table.attrs["target_docs"] == 2  # hetang-2023, liuwan-2023
    assert table.attrs["reference_docs"] == 1  # songlin-2023
    features = set(table["feature"])
    # 河长制 is only used in documents on neither side: it is not a row.
    assert "河长制" not in features
    assert table.set_index("feature").loc["一线工作法", "reference_count"] == 1


def test_tokens_are_counted_token_by_token():
    docvars = pd.DataFrame(
        {"county": ["苇川县", "苇川县", "砚溪县"]},
        index=pd.Index(["hetang", "liuwan", "shiqiao"], name="doc_id"),
    )
    tokens = Tokens(
        [
            ["坚持", "共建共治共享", "村", "两委", "共建共治共享"],
            ["推动", "共建共治共享", "两委"],
            ["推行", "一线工作法", "网格化管理", "一线工作法"],
        ],
        doc_ids=["hetang", "liuwan", "shiqiao"],
        docvars=docvars,
    )
    table = keyness(tokens, target={"county": "苇川县"}).set_index("feature")
    assert table.loc["共建共治共享", ["target_count", "reference_count"]].tolist() == [3, 0]
    assert table.loc["一线工作法", ["target_count", "reference_count"]].tolist() == [0, 2]
    assert table.loc["共建共治共享", "g2"] > 0 > table.loc["一线工作法", "g2"]
    long = (
        pd.DataFrame(
            [(d, tok, 1) for d, toks in tokens.items() for tok in toks],
            columns=["doc_id", "w", "n"],
        )
        .groupby(["doc_id", "w"], as_index=False)["n"]
        .sum()
    )
    from_table = keyness(long, target=["hetang", "liuwan"], feature="w", count="n")
    pd.testing.assert_frame_equal(
        keyness(tokens, target={"county": "苇川县"}), from_table, check_like=False
    )
    # For Tokens a mask runs over documents.
    by_mask = keyness(tokens, target=tokens.docvars["county"] == "苇川县")
    pd.testing.assert_frame_equal(by_mask, from_table)


def test_sample_corpus_county_keyness():
    corpus = toolkit.read_jsonl(SAMPLE)
    terms = ["共建共治共享", "两委", "一岗双责", "乡村振兴", "党建引领", "接诉即办", "河长制"]
    detections = detect_like(corpus, terms)
    table = keyness(detections, target={"county": "苇川县"})
    assert set(table["feature"]) == set(terms)
    # 接诉即办 is written only outside 苇川县 in the sample.
    last = table.iloc[-1]
    assert last["feature"] == "接诉即办"
    assert last["target_count"] == 0
    assert last["g2"] < 0
    assert (
        table.attrs["target_docs"] + table.attrs["reference_docs"] == detections["doc_id"].nunique()
    )


def test_detect_like_mirrors_the_detector_columns(detections):
    assert list(detections.columns[: 1 + len(COLUMNS)]) == ["doc_id", *COLUMNS]


def test_real_detector_output():
    corpus = toolkit.read_jsonl(SAMPLE)
    detections = TermDetector(progress=False).fit(corpus).detect(corpus)
    table = keyness(detections, target={"county": "苇川县"})
    assert list(table.columns) == list(KEYNESS_COLUMNS)
    in_target = detections["county"] == "苇川县"
    assert table["target_count"].sum() == detections.loc[in_target, "count"].sum()
    assert table["reference_count"].sum() == detections.loc[~in_target, "count"].sum()
    # Used only in the target: over-used there; only in the reference: over-used there.
    only_target = table[(table["reference_count"] == 0) & (table["target_count"] > 2)]
    only_reference = table[(table["target_count"] == 0) & (table["reference_count"] > 2)]
    assert len(only_target) and (only_target["g2"] > 0).all()
    assert len(only_reference) and (only_reference["g2"] < 0).all()
    # The detector's per-term columns are not offered as docvars.
    with pytest.raises(KeyError, match=r"no docvar named 'kind'; available: \[.*'county'"):
        keyness(detections, target={"kind": "quoted"})


# ----------------------------------------------------------------------------- errors


def test_empty_target(detections):
    with pytest.raises(
        ValueError,
        match=r"target selects no documents with counts > 0 \(0 of the 6 documents in counts",
    ):
        keyness(detections, target={"county": "萤湖县"})


def test_target_taking_everything_leaves_an_empty_reference(detections):
    with pytest.raises(ValueError, match="reference selects no documents with counts > 0"):
        keyness(detections, target={"county": ["苇川县", "砚溪县"]})


def test_overlapping_target_and_reference(detections):
    with pytest.raises(
        ValueError,
        match=r"target and reference must not share documents; 1 in both, e.g. \['hetang-2023'\]",
    ):
        keyness(detections, target={"town": "河塘镇"}, reference={"year": 2023})


def test_unknown_docvar_names_the_available_ones(detections):
    with pytest.raises(
        KeyError,
        match=r"target: no docvar named 'province'; available: \['county', 'town', 'year'\]",
    ):
        keyness(detections, target={"province": "沄江省"})
    with pytest.raises(KeyError, match="reference: no docvar named 'kind'"):
        keyness(detections, target={"county": "苇川县"}, reference={"kind": "quoted"})


def test_unknown_measure(detections):
    with pytest.raises(ValueError, match=r"measure must be one of \{'chi2', 'g2'\} \(got 'lr'\)"):
        keyness(detections, target={"county": "苇川县"}, measure="lr")


def test_unknown_feature_column(detections):
    with pytest.raises(ValueError, match=r"feature must be one of \{.*\} \(got 'token'\)"):
        keyness(detections, target={"county": "苇川县"}, feature="token")


def test_row_mask_must_take_whole_documents(detections):
    with pytest.raises(ValueError, match="target must select whole documents"):
        keyness(detections, target=detections["term"] == "两委")


def test_misaligned_mask(detections):
    with pytest.raises(ValueError, match="target must be a boolean Series aligned with the rows"):
        keyness(detections, target=(detections["county"] == "苇川县").iloc[:3])


def test_bare_str_target(detections):
    with pytest.raises(TypeError, match=r"not a single str; pass \['hetang-2022'\]"):
        keyness(detections, target="hetang-2022")


def test_negative_counts(detections):
    broken = detections.assign(count=detections["count"] * -1)
    with pytest.raises(ValueError, match="count column 'count' must hold numbers >= 0"):
        keyness(broken, target={"county": "苇川县"})


def test_counts_must_be_a_table_or_tokens():
    with pytest.raises(TypeError, match=r"counts must be a pandas\.DataFrame"):
        keyness([("a", "两委", 1)], target=["a"])


def test_options_are_keyword_only(detections):
    with pytest.raises(TypeError):
        keyness(detections, {"county": "苇川县"})
