"""The corpus table counts a use only where the term is a word of its text (issue 13).

Every false use is a false adoption in a diffusion study. The sentences are
from the government work reports in the shared data (state documents, excluded
from copyright by PRC Copyright Law art. 5): each term below is used once
properly and is also a substring of other words, which are not uses.
"""

from __future__ import annotations

import pytest

from toolkit import Corpus, TermDetector
from toolkit.terms.table import TermUses, has_term_evidence, is_number

REPORTS = [
    # 强基 in 加强基层 is 加强 + 基层; the 强基计划 is a term of its own.
    ("nat-2023", "深入实施“强基计划”和基础学科拔尖人才培养计划。"),
    ("nat-2003", "加强基层政权建设和城乡基层民主政治建设。"),
    ("nat-2011", "大力加强基层医疗卫生服务能力建设。"),
    # 气质 in 空气质量.
    ("qh-2018", "提升柯鲁柯镇、龙羊峡镇等特色小镇的“颜值”和“气质”，再建16个美丽城镇。"),
    ("nat-2013", "修订环境空气质量标准，增加细颗粒物PM2.5等监测指标。"),
    ("nat-2016", "特别是治理大气雾霾取得明显进展，地级及以上城市空气质量优良天数比率超过80%。"),
    # 全覆盖 in 健全覆盖.
    ("hn-2010", "实现设市城市和县城污水处理设施“全覆盖”；"),
    ("nat-2007", "重点发展中等职业教育，健全覆盖城乡的职业教育和培训网络。"),
    ("nat-2010", "加快健全覆盖全民的公共服务体系，全面增强基本公共服务能力。"),
    # 十一 in 第十一个五年规划.
    ("jl-2016", "旅游业总收入达到2315.2亿元，增长25.4%，“十一”黄金周期间旅游收入增幅居全国首位。"),
    ("hb-2006", "从今年开始，我省将实施第十一个五年规划。"),
    ("sx-2006", "开始进入第十一个五年规划的实施期。"),
    # 十五 quoted names the tenth five-year plan; in 十五大 and 十五届 it is an ordinal.
    (
        "nat-2001",
        "随着“九五”计划的完成，我们实现了现代化建设第二步战略目标，为实施“十五”计划、开始迈向第三步战略目标奠定了良好基础。",
    ),
    ("nat-2000", "认真贯彻党的十五大和十五届三中、四中全会精神。"),
    # Bare numbers, quoted: a hotline and an emergency number, not formulas.
    ("hi-2005", "全省农业科技服务“110”建设进展顺利，成为农业科技服务生力军。"),
    ("hl-2007", "办好“农家大院”和科技“110”，实施新型农民培训工程。"),
    ("hi-2009", "在全国率先实现“120”医疗紧急救援中心系统全省联网，防病救治能力进一步提高。"),
    ("hi-2010", "完善“120”急救网络。"),
]
TERMS = ["强基", "气质", "全覆盖", "十一", "十五"]


@pytest.fixture(scope="module")
def table():
    # The doc_ids end with the report's year.
    records = [{"doc_id": d, "text": t, "year": 2000 + int(d[-2:])} for d, t in REPORTS]
    corpus = Corpus.from_records(records)
    # Listed, so that the table counts every use of them, reported or not.
    det = TermDetector(lexicons=["builtin", TERMS], min_count=1, min_df=1, progress=False)
    return det.fit(corpus).terms_.set_index("term")


def test_a_term_only_inside_other_words_is_not_in_the_table(table):
    assert "强基" not in table.index
    assert table.loc["强基计划", "count"] == 1


@pytest.mark.parametrize(
    ("term", "used_in"),
    [
        ("气质", "qh-2018"),
        ("全覆盖", "hn-2010"),
        ("十一", "jl-2016"),
        ("十五", "nat-2001"),
    ],
)
def test_a_term_inside_other_words_is_not_used_there(table, term, used_in):
    row = table.loc[term]
    assert (row["count"], row["doc_freq"]) == (1, 1)
    assert all(example.startswith(f"{used_in}:") for example in row["examples"])


@pytest.mark.parametrize("number", ["110", "120"])
def test_a_number_alone_is_never_a_term(table, number):
    assert number not in table.index
    assert is_number(number) and is_number(f"“{number}”")


def test_chinese_numerals_and_numbered_formulas_are_not_numbers_alone():
    # “十五” is the tenth five-year plan; 211工程 and 1+X are formulas.
    assert not any(is_number(t) for t in ["十五", "十一五", "211工程", "1+X", "12345热线"])


def test_uses_are_recounted_on_the_segmenter_boundaries():
    rows = [
        {"term": "强基", "forms": ["强基"], "count": 3, "first": 0},
        {"term": "十强产业", "forms": ["“十强”产业"], "count": 1, "first": 0},
        {"term": "110", "forms": ["110"], "count": 1, "first": 0},
    ]
    text = "“强基”工程，加强基层，“十强”产业，科技“110”"
    tokens = ["“", "强基", "”", "工程", "，", "加强", "基层", "，", "“", "十强", "”", "产业"]
    tokens += ["，", "科技", "“", "110", "”"]
    assert "".join(tokens) == text
    out = TermUses(lambda _: tokens).rows(text, rows)
    # 强基 once (not in 加强基层); the quoted compound found through its quotes; no 110.
    assert [(r["term"], r["count"], r["first"]) for r in out] == [
        ("强基", 1, 1),
        ("十强产业", 1, text.index("十强")),
    ]


# Figures of the national and provincial reports since 2000 (697 reports):
# (term, documents using it, quoting or annotating it, found there by a rule, kinds).
WORDS = {"龙头", "优秀", "三个代表", "十五", "低保"}


@pytest.mark.parametrize(
    ("term", "doc_freq", "marked", "ruled", "kinds", "listed", "expected"),
    [
        # Ordinary dictionary words, quoted here and there: not terms.
        ("龙头", 552, 7, 7, ["corpus", "quoted"], False, False),
        ("优秀", 360, 7, 7, ["corpus", "quoted"], False, False),
        ("低保", 453, 46, 46, ["corpus", "quoted"], False, False),
        # Dictionary words the reports quote where they use them: terms.
        ("三个代表", 365, 365, 365, ["quoted"], False, True),
        ("十五", 220, 160, 160, ["corpus", "quoted"], False, True),
        # A head of many names, an institution in under half its reports.
        ("提升工程", 181, 1, 53, ["institution", "corpus"], False, False),
        ("文化惠民工程", 178, 3, 167, ["institution", "lexicon"], False, True),
        # Listed, or in a formula's shape: terms without more.
        ("依法行政", 578, 0, 0, ["lexicon"], True, True),
        ("两个维护", 217, 0, 0, ["numbered"], False, True),
        # A coinage quoted where it starts, then used plainly in five more reports.
        ("一线工作法", 6, 1, 1, ["quoted", "corpus"], False, True),
        # A compound quoted in 2 of 483 reports.
        ("全覆盖", 483, 2, 2, ["corpus", "quoted"], False, False),
    ],
)
def test_a_table_term_needs_evidence_that_it_is_one(
    term, doc_freq, marked, ruled, kinds, listed, expected
):
    evidence = has_term_evidence(
        term,
        doc_freq=doc_freq,
        marked=marked,
        ruled=ruled,
        kinds=kinds,
        listed=listed,
        words=WORDS,
    )
    assert evidence is expected


def test_a_form_the_segmenter_does_not_know_is_held_to_the_dictionary():
    # 乡村运输金通工程 was found by the institution rule in this report only; the
    # segmenter learned 金通工程样板 elsewhere, a token that runs across its end.
    text = "易县获评首批全省乡村运输金通工程样板县。"
    tokens = ["易县", "获评", "首批", "全省", "乡村", "运输", "金通工程样板", "县", "。"]
    rows = [{"term": "乡村运输金通工程", "forms": ["乡村运输金通工程"], "count": 1, "first": 8}]
    assert TermUses(lambda _: tokens).rows(text, rows) == []
    counted = TermUses(lambda _: tokens, known={"金通工程样板"}).rows(text, rows)
    assert [(r["term"], r["count"]) for r in counted] == [("乡村运输金通工程", 1)]
