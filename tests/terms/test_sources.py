"""Candidate sources: each finds one kind of official term by its written form."""

from __future__ import annotations

import pytest

from toolkit.terms.canonical import canonical_key, pick_canonical, strip_quotes
from toolkit.terms.expansion import chinese_numeral_value, find_expansion
from toolkit.terms.sources import (
    Span,
    find_annotated,
    find_institutions,
    find_numbered,
    find_parallel,
    find_quoted,
    is_numbered,
    is_parallel,
)


def forms(spans: list[Span]) -> list[str]:
    return [s.form for s in spans]


# ---------------------------------------------------------------- canonical forms
def test_variants_share_one_key():
    assert canonical_key("共建、共治、共享") == canonical_key("共建共治共享") == "共建共治共享"
    assert canonical_key("“1＋X”") == canonical_key("1+x") == "1+x"
    assert canonical_key("村“两委”") == "村两委"


def test_canonical_form_is_the_most_frequent_without_quotes():
    assert pick_canonical(["“两委”", "两委", "“两委”"]) == "两委"
    # Ties go to the shorter form, whatever the input order.
    assert pick_canonical(["共建、共治、共享", "共建共治共享"]) == "共建共治共享"
    assert pick_canonical(["共建共治共享", "共建、共治、共享"]) == "共建共治共享"
    with pytest.raises(ValueError, match=r"forms must hold at least one surface form \(got none\)"):
        pick_canonical([])
    assert strip_quotes("村“两委”") == "村两委"


# ---------------------------------------------------------------- quoted
def test_quoted_terms_with_their_head_noun():
    text = "推出“1+x”课堂，村“两委”换届，培育“十强”产业，开展“回头看”活动。"
    assert forms(find_quoted(text)) == ["1+x", "1+x课堂", "两委", "十强", "十强产业", "回头看"]
    # 活动 is a generic head: “回头看”活动 is the term 回头看 plus a word.


def test_quoted_speech_is_not_a_term_but_quoted_parallel_clauses_are():
    text = "他说：“我们要干。”坚持“小事不出社区，大事不出街道，矛盾不上交”。"
    assert forms(find_quoted(text)) == ["小事不出社区，大事不出街道，矛盾不上交"]


def test_head_noun_that_starts_a_longer_word_is_left_out():
    # 网格 in “1+4+N”网格化 begins the word 网格化.
    assert forms(find_quoted("依托“1+4+N”网格化服务管理体系")) == ["1+4+N"]


def test_parallel_quoted_units_spread_over_a_sentence_form_one_candidate():
    text = (
        "让文化站成为理论宣讲的“主讲台”、邻里议事的“主客厅”、志愿服务的“主舞台”。"
        "他说要建好“示范村”，明年再建“样板村”。"
    )
    spans = forms(find_quoted(text))
    assert "主讲台、主客厅、主舞台" in spans
    # Two quoted units apart are too little to call a formula.
    assert "示范村、样板村" not in spans


def test_a_unit_quoted_twice_is_not_two_parts_of_a_formula():
    text = "全面推行“河长”“河长”“湖长”制度，落实“路长”、“街长”、“巷长”、“路长”责任。"
    spans = forms(find_quoted(text))
    assert not [s for s in spans if "河长、河长" in s or "路长、街长、巷长、路长" in s]
    assert "路长、街长、巷长" in spans


def test_a_term_and_its_institution_are_not_parts_of_one_formula():
    # 河长制 and 河长 are one term and its institution, not two parts beside 湖长.
    text = "全面推行“河长制”，落实“河长”“河长”“湖长”责任。"
    spans = forms(find_quoted(text))
    assert "河长、湖长" in spans
    assert not [s for s in spans if "河长制、" in s]


def test_quoted_units_in_a_row_form_one_parallel_candidate():
    spans = find_quoted("围绕“建好”和“用好”新时代文明实践站，落实“六稳”“六保”")
    assert "建好、用好" in forms(spans)
    # Numbered formulas side by side are two formulas, not one.
    assert "六稳、六保" not in forms(spans)


# ---------------------------------------------------------------- numbered
def test_numbered_formulas_in_their_three_shapes():
    text = (
        "落实一岗双责，开展两学一做，增强四个意识，实施十大创新工程，推出1+x课堂和1+N+X模式，"
        "抓住青溪航道三改二的时机，建设一区多园。"
    )
    assert sorted(forms(find_numbered(text))) == sorted(
        ["一岗双责", "两学一做", "四个意识", "十大创新工程", "1+x", "1+N+X", "三改二", "一区多园"]
    )


@pytest.mark.parametrize(
    "text",
    [
        "三个月内完成30个村的改造，一年来成效明显",
        "建成6个板块和4个片区，形成11个重点产业",
        "组建一个指挥中心，覆盖三分之一以上的村",
        "河塘镇党委书记坚守一线",
    ],
)
def test_quantities_places_and_ordinary_words_are_not_formulas(text):
    assert find_numbered(text) == []


def test_is_numbered_classifies_candidates_from_any_source():
    assert is_numbered("六稳") and is_numbered("123工作法") and is_numbered("三个平台")
    assert not is_numbered("一线") and not is_numbered("一手资料")
    # Quotation marks are evidence enough for a numeral with a short word.
    assert is_numbered("四个到户", quoted=True) and is_numbered("三色台账", quoted=True)
    assert not is_numbered("三色台账")


# ---------------------------------------------------------------- parallel
def test_parallel_formulas_separated_or_written_together():
    text = (
        "坚持共建共治共享，做到共建、共治、共享，落实民事、民议、民决，掀起比、学、赶、超热潮，"
        "开展学党史、悟思想、办实事、开新局，推进矛盾纠纷大排查大化解"
    )
    assert forms(find_parallel(text)) == [
        "共建、共治、共享",
        "民事、民议、民决",
        "比、学、赶、超",
        "学党史、悟思想、办实事、开新局",
        "共建共治共享",
        "大排查大化解",
    ]


def test_ordinary_lists_are_not_parallel_formulas():
    assert find_parallel("北京、上海、广州的企业，发展电动汽车、物联网") == []
    assert not is_parallel("北京、上海、广州")
    assert is_parallel("外防输入、内防扩散") and is_parallel("支部引领，典型引领")


def test_token_boundaries_keep_enumerations_whole():
    text = "省委、省政府高度重视"
    cuts = frozenset({0, 2, 3, 6, 8, 10})  # 省委|、|省政府|高度|重视
    assert find_parallel(text, cuts=cuts) == []


# ---------------------------------------------------------------- institutions, annotations
def _cuts(text: str) -> frozenset[int]:
    from itertools import accumulate

    from toolkit import Segmenter

    return frozenset(accumulate(map(len, Segmenter().segment_text(text)), initial=0))


def test_a_head_read_first_inside_a_name_does_not_hide_the_real_head():
    # 包保制 is read first; the head is 制度.
    text = "水泊街道创新将包保制度与网格化管理相结合。"
    assert forms(find_institutions(text, cuts=_cuts(text))) == ["包保制度"]


@pytest.mark.parametrize(
    "text",
    [
        "开展专项行动，深化改革，完善机制。",
        "实施重点工程，推进重大改革，健全长效机制，打造发展模式。",
    ],
)
def test_words_that_describe_or_govern_name_no_institution(text):
    assert forms(find_institutions(text, cuts=_cuts(text))) == []


def test_named_institutions_stay():
    text = "全面推行河长制，实施安全生产专项行动，建设雪亮工程，推进放管服改革。"
    assert forms(find_institutions(text, cuts=_cuts(text))) == [
        "河长制",
        "安全生产专项行动",
        "雪亮工程",
        "放管服改革",
    ]


def test_institutions_are_bounded_by_the_verb_that_governs_them():
    text = "全面推行林长制，深入实施旅游振兴十大行动，大力推进“雪亮工程”，坚持一线工作法"
    expected = ["林长制", "旅游振兴十大行动", "雪亮工程", "一线工作法"]
    assert forms(find_institutions(text)) == expected


def test_note_markers_mark_the_terms_a_glossary_explains():
    text = "建设金宿银宿[36]15家，新增海关AEO[1]认证企业，全面落实“1+5+3”[9]集中整治"
    assert forms(find_annotated(text)) == ["金宿银宿", "海关AEO", "1+5+3"]


# ---------------------------------------------------------------- expansions
def _expand(text: str, formula: str, numbered: list[Span] = ()) -> list[str]:
    i = text.index(formula)
    return find_expansion(text, Span(i, i + len(formula), formula, "numbered"), list(numbered))


@pytest.mark.parametrize(
    ("text", "formula", "parts"),
    [
        (
            "增强“四个意识”，即政治意识、大局意识、核心意识、看齐意识。",
            "四个意识",
            ["政治意识", "大局意识", "核心意识", "看齐意识"],
        ),
        (
            "做好“六稳”工作：稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。",
            "六稳",
            ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"],
        ),
        (
            "坚持“两抓三促”工作思路，抓党建、抓产业，促振兴、促增收、促和谐。",
            "两抓三促",
            ["抓党建", "抓产业", "促振兴", "促增收", "促和谐"],
        ),
        (
            "推行“三色台账”管理，红色台账记急事、黄色台账记难事、绿色台账记好事。",
            "三色台账",
            ["红色台账", "黄色台账", "绿色台账"],
        ),
        ("认真开展“两学一做”学习教育。", "两学一做", []),
        (
            "坚持政治、德治、法治、自治、智治“五治”融合。",
            "五治",
            ["政治", "德治", "法治", "自治", "智治"],
        ),
        (
            "推行“三个一”工作法：建好一张表，用好一个群，办好一件事。",
            "三个一",
            ["一张表", "一个群", "一件事"],
        ),
        (
            "大力弘扬“四下基层”优良作风，坚持宣传下基层、调研下基层、信访下基层、现场办公下基层。",
            "四下基层",
            ["宣传下基层", "调研下基层", "信访下基层", "现场办公下基层"],
        ),
        # Two groups of one are two groups, not parts written out: 一老一小 = the old and the young.
        ("办好“一老一小”民生实事，老有所养、小有所育。", "一老一小", []),
    ],
)
def test_expansions_spelled_out_in_the_text(text, formula, parts):
    assert _expand(text, formula) == parts


@pytest.mark.parametrize(
    ("text", "formula", "parts"),
    [
        (
            "坚持产业、人才、文化、生态、组织“五个振兴”统筹推进。",
            "五个振兴",
            ["产业振兴", "人才振兴", "文化振兴", "生态振兴", "组织振兴"],
        ),
        # A lexicon term inside the list (生态文明建设) does not cut it.
        (
            "统筹推进经济建设、政治建设、文化建设、社会建设、生态文明建设五位一体总体布局。",
            "五位一体",
            ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"],
        ),
        # Named with its head noun (as the lexicon lists it), the formula has its core's parts.
        (
            "统筹推进经济建设、政治建设、文化建设、社会建设、生态文明建设五位一体总体布局。",
            "五位一体总体布局",
            ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"],
        ),
        (
            "全体党员坚持学党章党规、学系列讲话、做合格党员，“两学一做”常态化制度化。",
            "两学一做",
            ["学党章党规", "学系列讲话", "做合格党员"],
        ),
        # The items carry the formula's character: they are the parts as written.
        (
            "统筹外贸、外资、外包、外经、外智“五外联动”。",
            "五外联动",
            ["外贸", "外资", "外包", "外经", "外智"],
        ),
        # A list followed by the verb that governs the formula is that verb's object.
        ("围绕提质、扩量、增效实施“三大工程”。", "三大工程", []),
        # Wrong count: three items do not spell out a formula of four.
        ("推进产业、人才、文化“四个振兴”。", "四个振兴", []),
    ],
)
def test_parts_written_before_the_formula_in_its_clause(text, formula, parts):
    assert _expand(text, formula) == parts


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        # Quantities, not sequences of numbered parts.
        ("出台“12条”措施：一是降低成本，二是优化服务。一张网，两个平台。", "12条"),
        ("打造15分钟生活圈，一个中心、两个平台。", "15分钟"),
        ("落实33项改革，三个攻坚战。", "33项改革"),
        # Twelve far more often than one-two, unless the text quotes it.
        ("实现12连调，一条创新引领，两山一湖。", "12连调"),
    ],
)
def test_quantities_are_not_digit_sequences(text, formula):
    numbered = [
        Span(text.index(f), text.index(f) + len(f), f, "numbered")
        for f in ("一条创新引领", "两山一湖", "一张网", "两个平台", "一个中心")
        if f in text
    ]
    assert _expand(text, formula, numbered) == []


def test_a_digit_formula_expands_to_its_numbered_parts_in_order():
    text = "推出“123工作法”。\n密织“一张网”\n……\n发挥“两个引领”\n……\n搭建“三个平台”"
    numbered = [s for s in find_quoted(text) if is_numbered(s.form, quoted=True)]
    assert _expand(text, "123工作法", numbered) == ["一张网", "两个引领", "三个平台"]


def test_chinese_numeral_values():
    assert [chinese_numeral_value(x) for x in ("三", "两", "十", "十二", "二十", "九十九")] == [
        3,
        2,
        10,
        12,
        20,
        99,
    ]
    assert chinese_numeral_value("多") is None
