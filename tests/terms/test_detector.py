"""TermDetector: an estimator that finds, canonicalises, expands and ranks official terms."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from toolkit import Corpus, Document, Segmenter, TermDetector, parse_page, read_jsonl
from toolkit.terms import COLUMNS, KINDS, canonical_key

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl"

# Three towns of an invented county; they share terms and write them differently.
TEXTS = [
    {
        "doc_id": "hetang-1",
        "town": "河塘镇",
        "county": "柳溪县",
        "date": "2022-03-01",
        "text": "河塘镇坚持共建共治共享，推行“一线工作法”，村“两委”班子每月走访农户。"
        "镇里深入实施“三色台账”管理，红色台账记急事、黄色台账记难事、绿色台账记好事。"
        "全面推行林长制，深入实施旅游振兴十大行动。",
    },
    {
        "doc_id": "liuwan-1",
        "town": "柳湾乡",
        "county": "柳溪县",
        "date": "2022-09-12",
        "text": "柳湾乡把村两委换届作为头等大事，“两委”成员全部到村坐班，坚持共建、共治、共享，"
        "一线工作法落地见效。"
        "深入实施旅游振兴十大行动，打造“柳湾人家”品牌。",
    },
    {
        "doc_id": "shiqiao-1",
        "town": "石桥街道",
        "county": "柳溪县",
        "date": "2023-01-05",
        "text": "石桥街道推进老旧小区改造，坚持“两抓三促”工作思路，抓党建、抓产业，"
        "促振兴、促增收、促和谐，新增停车位三百个。",
    },
]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_records(TEXTS)


@pytest.fixture(scope="module")
def fitted(corpus) -> TermDetector:
    return TermDetector(progress=False).fit(corpus)


def terms_of(table: pd.DataFrame, doc_id: str) -> dict[str, pd.Series]:
    return {row.term: row for row in table[table["doc_id"] == doc_id].itertuples()}


# ---------------------------------------------------------------- estimator contract
def test_init_stores_parameters_and_fit_returns_self(corpus):
    det = TermDetector(min_count=2, progress=False)
    assert det.get_params()["min_count"] == 2
    assert not hasattr(det, "terms_")
    assert det.fit(corpus) is det
    assert {"discovered_", "vocabulary_", "expansions_", "places_", "terms_"} <= set(vars(det))
    assert det.n_documents_ == 3


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        (
            {"sources": ["quoted", "slogans"]},
            ValueError,
            r"sources must be one of \{.*'quoted'.*\} \(got 'slogans'\)",
        ),
        ({"sources": "quoted"}, TypeError, r"sources must be a sequence of source names"),
        ({"min_count": 0}, ValueError, r"min_count must be an integer >= 1 \(got 0\)"),
        ({"n_jobs": -1}, ValueError, r"n_jobs must be an integer >= 1 \(got -1\)"),
        ({"lexicons": "builtin"}, TypeError, r"lexicons must be a sequence of lexicons"),
        ({"min_score": "high"}, TypeError, r"min_score must be a number or None \(got str"),
        ({"rank": "x"}, ValueError, r"rank must be one of \{'glossary', 'reader'\} \(got 'x'\)"),
    ],
)
def test_bad_parameters_are_named(corpus, params, error, message):
    # __init__ checks (and never converts); so do set_params and fit, for a
    # value assigned to the attribute directly.
    with pytest.raises(error, match=message):
        TermDetector(progress=False, **params)
    det = TermDetector(progress=False)
    with pytest.raises(error, match=message):
        det.set_params(**params)
    det = TermDetector(progress=False)
    for name, value in params.items():
        setattr(det, name, value)
    with pytest.raises(error, match=message):
        det.fit(corpus)


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"progress": 1}, ValueError, r"progress must be one of \{False, True\} \(got 1\)"),
        ({"min_score": True}, TypeError, r"min_score must be a number or None \(got bool"),
        ({"by": "town"}, TypeError, r"by must be a sequence of docvar names.*got a single str"),
        ({"time": 2022}, TypeError, r"time must be a docvar name or None \(got int: 2022\)"),
    ],
)
def test_switches_and_docvar_names_are_checked(params, error, message):
    with pytest.raises(error, match=message):
        TermDetector(**params)


def test_clone_gives_an_unfitted_detector_with_the_same_parameters(fitted):
    det = TermDetector(min_count=2, sources=("quoted", "numbered"), by=["town"], progress=False)
    copy = clone(det)
    assert copy is not det and copy.get_params() == det.get_params()
    # clone checks that __init__ stored each parameter as passed: the tuple stays a tuple.
    assert copy.sources == ("quoted", "numbered")
    unfitted = clone(fitted)
    assert unfitted.get_params() == fitted.get_params()
    assert not hasattr(unfitted, "vocabulary_")


def test_set_params_round_trips():
    det = TermDetector(progress=False)
    assert det.set_params(min_count=5, min_score=None) is det
    assert det.get_params()["min_count"] == 5 and det.get_params()["min_score"] is None
    assert TermDetector(**det.get_params()).get_params() == det.get_params()


def test_repr_shows_only_what_differs_from_the_defaults():
    assert repr(TermDetector(min_count=5)) == "TermDetector(min_count=5)"
    # 3 is the default.
    assert repr(TermDetector(min_count=3)) == "TermDetector()"


def test_a_clone_fitted_on_the_sample_corpus_gives_the_same_table():
    corpus = read_jsonl(SAMPLE)
    original = TermDetector(progress=False)
    copy = clone(original)
    pd.testing.assert_frame_equal(copy.fit(corpus).terms_, original.fit(corpus).terms_)


def test_detect_before_fit_says_what_to_do():
    with pytest.raises(RuntimeError, match=r"not fitted yet; call fit\(corpus\) first"):
        TermDetector().detect("坚持一线工作法")
    # The error is also scikit-learn's, and check_is_fitted knows the detector is unfitted.
    with pytest.raises(NotFittedError, match=r"this TermDetector is not fitted yet"):
        TermDetector().forms_of("一线工作法")
    with pytest.raises(NotFittedError):
        check_is_fitted(TermDetector())


def test_fit_refuses_a_one_shot_iterator(corpus):
    with pytest.raises(TypeError, match="one-shot iterator"):
        TermDetector(progress=False).fit(iter(corpus))


# ---------------------------------------------------------------- detection
def test_detect_one_text_ranks_candidates_best_first(fitted):
    table = fitted.detect("柳湾乡坚持一线工作法，落实共建共治共享。")
    assert list(table.columns) == list(COLUMNS)
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["score"].is_monotonic_decreasing
    assert {"一线工作法", "共建共治共享"} <= set(table["term"])
    assert set(table["kind"]) <= set(KINDS)
    assert fitted.detect(Document("x", "柳湾乡坚持一线工作法，落实共建共治共享。")).equals(table)


def test_detect_a_corpus_keeps_doc_ids_and_docvars(fitted, corpus):
    table = fitted.detect(corpus)
    assert list(table.columns[: len(COLUMNS) + 1]) == ["doc_id", *COLUMNS]
    assert {"town", "county", "date"} <= set(table.columns)
    assert table["doc_id"].unique().tolist() == corpus.doc_ids
    top = fitted.detect(corpus, n=2)
    assert top.groupby("doc_id").size().max() == 2
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 \(got 0\)"):
        fitted.detect(corpus, n=0)
    # top is the old name of n: same rows, with a warning; both at once is an error.
    with pytest.warns(FutureWarning, match=r"detect\(top=\.\.\.\) is renamed detect\(n=\.\.\.\)"):
        old = fitted.detect(corpus, top=2)
    assert old.equals(top)
    with pytest.raises(TypeError, match=r"pass n only; top is its old name \(got n=2, top=2\)"):
        fitted.detect(corpus, n=2, top=2)


def test_variants_are_one_canonical_term_with_every_form(fitted, corpus):
    table = fitted.detect(corpus)
    hetang, liuwan = terms_of(table, "hetang-1"), terms_of(table, "liuwan-1")
    # 共建共治共享 and 共建、共治、共享 are one term in both towns.
    [shared] = {t for t in hetang if canonical_key(t) == "共建共治共享"}
    assert shared in liuwan
    assert liuwan[shared].forms == ["共建、共治、共享"]
    # 村“两委” is 两委 at the village level, not a term of its own.
    assert "两委" in hetang and "两委" in liuwan
    assert "村两委" not in hetang and "村两委" not in liuwan


def test_kinds_and_expansions(fitted, corpus):
    table = fitted.detect(corpus)
    hetang, shiqiao = terms_of(table, "hetang-1"), terms_of(table, "shiqiao-1")
    assert hetang["三色台账"].kind == "numbered"
    assert hetang["三色台账"].expansion == ["红色台账", "黄色台账", "绿色台账"]
    assert hetang["林长制"].kind == "institution"
    assert shiqiao["两抓三促"].expansion == ["抓党建", "抓产业", "促振兴", "促增收", "促和谐"]


def test_place_names_from_the_docvars_are_never_terms(fitted, corpus):
    places = {"河塘镇", "柳湾乡", "石桥街道", "河塘", "柳湾"}
    assert places.isdisjoint(fitted.detect(corpus)["term"])
    assert "河塘" in fitted.places_


def test_corpus_table_lists_groups_and_first_and_last_use(fitted):
    table = fitted.terms_.set_index("term")
    row = table.loc["旅游振兴十大行动"]
    assert row["doc_freq"] == 2 and row["n_town"] == 2
    assert row["town"] == "柳湾乡|河塘镇"
    assert (row["first"], row["last"]) == ("2022-03-01", "2022-09-12")
    assert row["examples"][0].startswith("hetang-1: ")
    assert fitted.forms_of("共建共治共享") == ["共建、共治、共享", "共建共治共享"]


def test_results_are_deterministic_and_do_not_depend_on_n_jobs(corpus, fitted):
    again = TermDetector(progress=False).fit(corpus)
    pd.testing.assert_frame_equal(again.detect(corpus), fitted.detect(corpus))
    pd.testing.assert_frame_equal(again.terms_, fitted.terms_)
    parallel = TermDetector(progress=False, n_jobs=2).fit(corpus)
    pd.testing.assert_frame_equal(parallel.detect(corpus), fitted.detect(corpus))
    pd.testing.assert_frame_equal(parallel.terms_, fitted.terms_)


def test_a_fitted_detector_pickles(fitted, corpus):
    clone = pickle.loads(pickle.dumps(fitted))
    pd.testing.assert_frame_equal(clone.detect(corpus), fitted.detect(corpus))


def test_segmenter_learns_detected_terms_nobody_quoted(corpus, fitted):
    text = "深入实施旅游振兴十大行动"
    assert "旅游振兴十大行动" not in Segmenter(progress=False).fit(corpus).segment_text(text)
    seg = Segmenter(progress=False).fit(corpus, terms=fitted)
    assert seg.segment_text(text)[-1] == "旅游振兴十大行动"
    with pytest.raises(TypeError, match=r"terms must be a fitted TermDetector or a list of terms"):
        Segmenter(progress=False).fit(corpus, terms=3)


# ---------------------------------------------------------------- the sample corpus
def test_county_formulas_are_found_in_every_town_of_their_county():
    corpus = read_jsonl(SAMPLE)
    det = TermDetector(progress=False).fit(corpus)
    row = det.terms_.set_index("term").loc["一核两翼四联"]
    assert row["kind"] == "numbered"
    assert row["county"] == "苇川县" and row["n_town"] == 4


# ---------------------------------------------------------------- the seed page
def test_seed_page_formula_expands_into_the_parts_named_in_its_subheads(seed_page):
    articles = parse_page(seed_page.read_text(encoding="utf-8"), headings=True)
    det = TermDetector(progress=False).fit(articles)
    shuibo = terms_of(det.detect(articles), articles[1].doc_id)
    assert shuibo["123工作法"].expansion == ["一张网", "两个引领", "三个平台"]
    keys = {canonical_key(t) for t in shuibo}
    assert {"1+x课堂", "共建共治共享", "民事民议民决"} <= keys
    liangcheng = terms_of(det.detect(articles), articles[0].doc_id)
    assert {"一线工作法", "两委", "一岗双责", "十强产业"} <= set(liangcheng)


def test_a_stream_gives_what_the_corpus_in_memory_gives():
    # gensim-style: fit reads a re-iterable stream twice, never a list in memory.
    stream = read_jsonl(SAMPLE, stream=True)
    from_stream = TermDetector(progress=False).fit(stream)
    in_memory = TermDetector(progress=False).fit(read_jsonl(SAMPLE))
    pd.testing.assert_frame_equal(from_stream.terms_, in_memory.terms_)
    pd.testing.assert_frame_equal(from_stream.detect(stream), in_memory.detect(read_jsonl(SAMPLE)))


def test_a_text_gets_the_corpus_parts_only_when_every_text_that_spells_them_agrees():
    """四个意识 means the same everywhere; each city's 三大平台 names its own platforms."""
    national = "增强“四个意识”，即政治意识、大局意识、核心意识、看齐意识。"
    corpus = [
        Document(
            "a",
            national + "建成交易平台、信息平台、担保平台“三大平台”。",
            {"city": "甲市", "year": 2020},
        ),
        Document(
            "b",
            national + "建成物流平台、人才平台、金融平台“三大平台”。",
            {"city": "乙市", "year": 2020},
        ),
        Document("c", "牢固树立“四个意识”，用好“三大平台”。", {"city": "丙市", "year": 2021}),
    ]
    det = TermDetector(progress=False).fit(corpus)
    table = det.detect(corpus)
    expansion = {(r.doc_id, r.term): list(r.expansion) for r in table.itertuples()}
    assert expansion[("a", "三大平台")] == ["交易平台", "信息平台", "担保平台"]
    assert expansion[("b", "三大平台")] == ["物流平台", "人才平台", "金融平台"]
    assert expansion[("c", "三大平台")] == []
    assert expansion[("c", "四个意识")] == ["政治意识", "大局意识", "核心意识", "看齐意识"]


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # A listed term inside a list (生态文明建设) does not cut the list.
        (
            "统筹推进经济建设、政治建设、文化建设、社会建设、生态文明建设，实现全面发展。",
            ["经济建设、政治建设、文化建设、社会建设、生态文明建设"],
            ["经济建设、政治建设、文化建设、社会建设、生态文明"],
        ),
        # A term followed by a generic head is the term in use.
        (
            "全面准确贯彻“一国两制”方针，坚持和完善一国两制制度体系。",
            ["一国两制"],
            ["一国两制制度", "一国两制制"],
        ),
        (
            "坚决反对外国长臂管辖，健全反制裁、反干涉、反“长臂管辖”机制。",
            ["长臂管辖"],
            ["长臂管辖机制"],
        ),
    ],
)
def test_boundaries_of_terms_in_use(text, present, absent):
    det = TermDetector(progress=False, time=None).fit([Document("a", text, {"year": 2020})] * 1)
    terms = det.detect(text)
    assert set(present) <= set(terms["term"])
    assert not set(absent) & set(terms["term"])
    assert terms["term"].is_unique


def test_an_abbreviation_and_its_long_form_are_one_term():
    """台独 is the initials of 台湾独立's words; both quoted, they count as one term."""
    texts = [
        Document("a", "坚决反对“台独”分裂行径。", {"year": 2005}),
        Document("b", "坚决反对制造“台湾独立”的图谋。", {"year": 1995}),
        Document("c", "反对“台独”，绝不允许“台湾独立”。", {"year": 2000}),
        Document("d", "遏制“台独”分裂活动。", {"year": 2010}),
    ]
    det = TermDetector(progress=False).fit(texts)
    assert det.abbreviations_ == {"台湾独立": "台独"}
    row = det.terms_.set_index("term").loc["台独"]
    assert sorted(row["forms"]) == ["台湾独立", "台独"]
    assert (row["count"], row["doc_freq"], row["first"]) == (5, 4, "1995")
    assert "台湾独立" not in set(det.terms_["term"])
    [found] = det.detect(texts[2].text).itertuples()
    assert (found.term, found.count) == ("台独", 2)
