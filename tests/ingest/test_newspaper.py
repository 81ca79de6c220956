"""Tests for toolkit.ingest.newspaper: splitting a county-newspaper page into articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.corpus.document import Document
from toolkit.ingest.decode import read_text_file
from toolkit.ingest.newspaper import is_complete_paragraph, parse_page

DATA = Path(__file__).resolve().parent / "data"
FICTIONAL = DATA / "page_fictional.txt"

# Independent of the parser's own rule: sentence-final punctuation, optionally
# followed by closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[。！？；…][”’」』）)]*$")


@pytest.fixture(scope="module")
def seed_docs(seed_page: Path) -> list[Document]:
    # seed_page (tests/conftest.py) is ../shared/seeds/...; skipped when shared is absent.
    text, _ = read_text_file(seed_page)
    return parse_page(text, source=str(seed_page))


@pytest.fixture(scope="module")
def fictional_docs() -> list[Document]:
    return parse_page(FICTIONAL.read_text(encoding="utf-8"), source=str(FICTIONAL))


def _titles(doc: Document) -> list[str | None]:
    return [section["title"] for section in doc.meta["sections"]]


def _check_common_invariants(docs: list[Document]) -> None:
    for doc in docs:
        paragraphs = doc.text.split("\n")
        sections = doc.meta["sections"]
        # text is exactly the section paragraphs, in order.
        assert paragraphs == [p for section in sections for p in section["paragraphs"]]
        # Furniture never leaks into the body.
        titled = {t for t in _titles(doc) if t is not None}
        assert titled.isdisjoint(paragraphs)
        assert "本报记者" not in doc.text
        assert "本报通讯员" not in doc.text
        assert doc.meta["title"] not in doc.text
        if "kicker" in doc.meta:
            assert doc.meta["kicker"] not in paragraphs
        assert doc.meta["layout"] == "newspaper"
        assert doc.meta["repairs"] >= 0
    # No word left broken in two: only the cut-off end of the page may lack a full stop.
    for doc in docs:
        for section in doc.meta["sections"]:
            for paragraph in section["paragraphs"]:
                is_page_end = doc is docs[-1] and paragraph == doc.text.split("\n")[-1]
                if not is_page_end:
                    assert _ENDS_SENTENCE.search(paragraph), paragraph[-20:]
    assert [d.meta["article_index"] for d in docs] == list(range(1, len(docs) + 1))
    assert len({d.doc_id for d in docs}) == len(docs)


def _check_nothing_lost(page: str, docs: list[Document]) -> None:
    pieces: list[str] = []
    for doc in docs:
        meta = doc.meta
        pieces += [meta.get("preamble", ""), meta.get("kicker", ""), meta.get("byline", "")]
        pieces.append(f"{meta['county']}{meta['town']}：{meta['title']}")
        pieces += [t for t in _titles(doc) if t is not None]
        pieces.append(doc.text)
    haystack = "\n".join(pieces)
    for line in page.splitlines():
        assert line.strip() in haystack


# --- (a) the real seed page from ../shared ---------------------------------------------


@pytest.mark.shared
def test_seed_page_articles(seed_docs: list[Document], seed_page: Path) -> None:
    assert len(seed_docs) == 2
    first, second = seed_docs
    assert [d.doc_id for d in seed_docs] == [f"{seed_page.stem}-01", f"{seed_page.stem}-02"]

    assert (first.meta["county"], first.meta["town"]) == ("微山县", "两城镇")
    assert first.meta["title"] == "俯身一线 担当作为谋发展"
    assert first.meta["reporters"] == ["汤伟"]
    assert first.meta["correspondents"] == ["孙庆越"]
    assert "kicker" not in first.meta
    assert "preamble" not in first.meta
    assert _titles(first) == [
        None,
        "下沉一线摸底 落实工作在基层",
        "重点工作在一线推进 经济指标亮眼",
        "一线解决百姓事 培养鱼水情怀",
        "笃定实干 基层一线狠下苦功",
    ]
    assert first.meta["sections"][0]["paragraphs"] == ["社会发展不断取得新成效。"]
    assert first.meta["truncated"] is False
    assert first.meta["repairs"] == 1

    assert (second.meta["county"], second.meta["town"]) == ("梁山县", "水泊街道")
    assert second.meta["title"] == "幸福美景入画来"
    assert second.meta["kicker"] == "共建 共治 共享"
    assert second.meta["reporters"] == ["汤伟"]
    assert second.meta["correspondents"] == ["张远望"]
    # The page prints four subheads in this article, after an untitled lead.
    titles = _titles(second)
    assert titles[0] is None
    assert len(titles) == 5
    assert all(isinstance(t, str) and len(t) <= 30 for t in titles[1:])
    assert second.meta["truncated"] is True
    assert second.meta["repairs"] == 2
    assert second.text.endswith("盘活整")

    for doc in seed_docs:
        assert doc.meta["source"] == str(seed_page)
        assert doc.meta["layout"] == "newspaper"


@pytest.mark.shared
def test_seed_page_column_breaks_repaired(seed_docs: list[Document]) -> None:
    first, second = seed_docs
    assert "投产运营" in first.text
    assert "道德模范" in second.text
    assert "“忠义水浒”APP小程序" in second.text
    for doc in seed_docs:
        assert "投\n产" not in doc.text
        assert "模\n范" not in doc.text
        assert "”\nAPP" not in doc.text
    # A paragraph with ASCII commas is body text, and the commas are left alone.
    assert any(p.startswith("一线工作法硕果,") for p in first.text.split("\n"))
    assert "," in first.text


@pytest.mark.shared
def test_seed_page_invariants(seed_docs: list[Document], seed_page: Path) -> None:
    _check_common_invariants(seed_docs)
    _check_nothing_lost(seed_page.read_text(encoding="utf-8"), seed_docs)


# --- (b) our own fictional page --------------------------------------------------------


def test_fictional_page_articles(fictional_docs: list[Document]) -> None:
    assert [d.doc_id for d in fictional_docs] == [
        "page_fictional-01",
        "page_fictional-02",
        "page_fictional-03",
    ]
    first, second, third = fictional_docs

    assert (first.meta["county"], first.meta["town"]) == ("青禾县", "柳溪镇")
    assert first.meta["title"] == "小茶叶撑起富民大产业"
    assert first.meta["reporters"] == ["林晓舟"]
    assert first.meta["correspondents"] == ["韩松", "陈一鸣"]
    assert first.meta["preamble"] == "青禾日报 2023年6月12日 星期一 第3版 乡镇新闻"
    assert "kicker" not in first.meta
    assert _titles(first) == [
        None,
        "做优品牌 打响“柳溪云雾”",
        "联农带农 共享产业红利",
        "数字赋能 茶香飘出大山",
    ]
    assert first.meta["truncated"] is False
    assert first.meta["repairs"] == 1
    assert first.meta["line"] == 3

    assert (second.meta["county"], second.meta["town"]) == ("青禾县", "石桥乡")
    assert second.meta["title"] == "古村落焕发新活力"
    assert second.meta["kicker"] == "乡村振兴进行时"
    assert second.meta["reporters"] == ["周雨桐"]
    assert second.meta["correspondents"] == []
    assert _titles(second) == [None, "修旧如旧 留住乡愁记忆", "文旅融合 点亮乡村经济"]
    assert second.meta["truncated"] is False
    assert second.meta["repairs"] == 1
    assert "preamble" not in second.meta

    assert (third.meta["county"], third.meta["town"]) == ("云岭区", "东湖街道")
    assert third.meta["title"] == "“微服务”温暖千万家"
    assert third.meta["reporters"] == []
    assert third.meta["correspondents"] == ["吴静怡", "何志远"]
    assert "kicker" not in third.meta
    assert _titles(third) == [None, "服务下沉 小事不出社区"]
    assert third.meta["truncated"] is True
    assert third.meta["repairs"] == 0
    assert third.text.endswith("便捷、贴心的")


def test_fictional_page_column_breaks_and_body(fictional_docs: list[Document]) -> None:
    first, second, third = fictional_docs
    assert "返乡创办了茶叶加工作坊。" in first.text
    assert "“古道寻踪”研学线路" in second.text
    # A body line that starts like a headline but is a sentence stays in the body.
    assert any(p.startswith("青禾县柳溪镇：新茶上市季，") for p in first.text.split("\n"))
    # A short line with (ASCII) punctuation is body, not a subhead; commas are untouched.
    assert "网格服务见实效,居民满意度稳步提升。" in third.text.split("\n")
    assert "商标,组织" in first.text
    # A quotation closed after its full stop ends the paragraph.
    assert second.meta["sections"][1]["paragraphs"][0].endswith("。”")


def test_fictional_page_invariants(fictional_docs: list[Document]) -> None:
    _check_common_invariants(fictional_docs)
    _check_nothing_lost(FICTIONAL.read_text(encoding="utf-8"), fictional_docs)


# --- (c) unparsed text, (d) headline look-alikes, and other rules ------------------------


def test_text_without_headline_is_one_unparsed_document() -> None:
    text = "\n\n今年以来，全县经济运行平稳。\n\n下一步，将继续抓好项目建设，推动"
    [doc] = parse_page(text, source="notes/report.txt")
    assert doc.doc_id == "report-01"
    assert doc.text == "今年以来，全县经济运行平稳。\n下一步，将继续抓好项目建设，推动"
    assert dict(doc.meta) == {
        "layout": "unparsed",
        "source": "notes/report.txt",
        "truncated": True,
    }


def test_headline_inside_a_paragraph_is_body() -> None:
    text = "据介绍，甲县乙镇：今年新建道路12公里。\n\n甲县乙镇：全年完成税收3000万元。"
    [doc] = parse_page(text)
    assert doc.meta["layout"] == "unparsed"
    assert doc.text.split("\n") == [
        "据介绍，甲县乙镇：今年新建道路12公里。",
        "甲县乙镇：全年完成税收3000万元。",
    ]


def test_long_line_starting_with_county_and_town_is_body() -> None:
    text = "甲县乙镇：好日子\n\n甲县乙镇：" + "镇里组织志愿者走访群众" * 4 + "。"
    [doc] = parse_page(text)
    assert doc.meta["title"] == "好日子"
    assert doc.text.startswith("甲县乙镇：镇里")


def test_default_doc_id_prefix_and_override() -> None:
    text = "甲县乙镇：好日子\n\n今年以来，乙镇稳步发展。"
    assert parse_page(text)[0].doc_id == "page-01"
    assert parse_page(text, source="a/b/p7.txt")[0].doc_id == "p7-01"
    assert parse_page(text, source="a/b/p7.txt", doc_id_prefix="x")[0].doc_id == "x-01"
    with pytest.raises(
        ValueError, match=r"doc_id_prefix must be a non-empty str or None \(got ''\)"
    ):
        parse_page(text, doc_id_prefix="")


@pytest.mark.parametrize("text", ["", "   \n\n\u3000\n"])
def test_empty_page_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"^p3\.txt: empty page"):
        parse_page(text, source="p3.txt")


def test_non_str_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"p3\.txt: text must be a str \(got bytes\)"):
        parse_page(b"abc", source="p3.txt")  # type: ignore[arg-type]


def test_ascii_colon_headline_and_byline_variants() -> None:
    text = (
        "甲县乙镇:好日子\n\n记者 张三 李四 通讯员 王五\n\n乙镇稳步发展。\n\n"
        "丙区丁街道：新气象\n\n本报记者张六\n\n丁街道面貌一新。"
    )
    first, second = parse_page(text)
    assert (first.meta["county"], first.meta["town"], first.meta["title"]) == (
        "甲县",
        "乙镇",
        "好日子",
    )
    assert first.meta["reporters"] == ["张三", "李四"]
    assert first.meta["correspondents"] == ["王五"]
    assert second.meta["reporters"] == ["张六"]
    assert second.meta["town"] == "丁街道"


def test_intern_label_and_reporting_verb_in_bylines() -> None:
    text = (
        "甲县乙镇：好日子\n\n本报记者 张三 实习生 李小四\n\n乙镇稳步发展。\n\n"
        "丙县丁镇：新气象\n\n记者 王五 摄影报道\n\n丁镇面貌一新。"
    )
    first, second = parse_page(text)
    assert first.meta["reporters"] == ["张三", "李小四"]
    assert second.meta["reporters"] == ["王五"]
    assert second.meta["byline"] == "记者 王五 摄影报道"


def test_padded_two_character_names() -> None:
    text = "甲县乙镇：好日子\n\n本报记者 王\u3000强 林晓舟 通讯员 李　四\n\n乙镇稳步发展。"
    [doc] = parse_page(text)
    assert doc.meta["reporters"] == ["王强", "林晓舟"]
    assert doc.meta["correspondents"] == ["李四"]


def test_body_starting_with_label_is_not_a_byline() -> None:
    text = "甲县乙镇：好日子\n\n记者从乙镇获悉，今年全镇粮食再获丰收。"
    [doc] = parse_page(text)
    assert doc.meta["reporters"] == []
    assert doc.text == "记者从乙镇获悉，今年全镇粮食再获丰收。"


def test_page_header_and_kicker_above_first_headline() -> None:
    text = "第2版 要闻\n\n乡村振兴进行时\n\n甲县乙镇：好日子\n\n乙镇稳步发展。"
    [doc] = parse_page(text)
    assert doc.meta["kicker"] == "乡村振兴进行时"
    assert doc.meta["preamble"] == "第2版 要闻"


def test_page_header_alone_is_not_a_kicker() -> None:
    text = "青禾日报 2023年6月12日\n\n甲县乙镇：好日子\n\n乙镇稳步发展。"
    [doc] = parse_page(text)
    assert "kicker" not in doc.meta
    assert doc.meta["preamble"] == "青禾日报 2023年6月12日"


def test_short_line_after_broken_paragraph_is_not_a_kicker() -> None:
    # The line above the second headline follows a paragraph cut mid-word, so it belongs
    # to the first article, not to the second as its kicker. It is subhead-shaped, but
    # 广 + 场 makes a word across the break (广场), so it continues the paragraph
    # (issue 13: a column fragment is not a subhead).
    text = (
        "甲县乙镇：好日子\n\n今年以来，乙镇新建了文化广\n\n场和图书室\n\n"
        "丙县丁镇：新气象\n\n丁镇面貌一新。"
    )
    first, second = parse_page(text)
    assert "kicker" not in second.meta
    assert first.meta["sections"] == [
        {"title": None, "paragraphs": ["今年以来，乙镇新建了文化广场和图书室"]}
    ]
    assert first.meta["repairs"] == 1


def test_subhead_is_never_joined_and_notes_stand_alone() -> None:
    text = (
        "甲县乙镇：好日子\n\n今年以来，乙镇新建了文化广\n\n做强产业 促进增收\n\n"
        "今年，全镇新增合作社5家\n\n（下转第2版）"
    )
    [doc] = parse_page(text)
    assert doc.meta["sections"] == [
        {"title": None, "paragraphs": ["今年以来，乙镇新建了文化广"]},
        {"title": "做强产业 促进增收", "paragraphs": ["今年，全镇新增合作社5家"]},
    ]
    # The jump note is page furniture, and the article goes on on page 2: cut off here.
    assert doc.meta["furniture"] == ["（下转第2版）"]
    assert doc.meta["repairs"] == 0
    assert doc.meta["truncated"] is True


def test_subtitle_under_headline() -> None:
    text = "甲县乙镇：好日子\n\n——乙镇推进乡村振兴纪实\n\n本报记者 张三\n\n乙镇稳步发展。"
    [doc] = parse_page(text)
    assert doc.meta["subtitle"] == "乙镇推进乡村振兴纪实"
    assert doc.meta["reporters"] == ["张三"]
    assert doc.text == "乙镇稳步发展。"


def test_several_column_breaks_chain() -> None:
    text = "甲县乙镇：好日子\n\n今年以来，乙镇新\n\n建了文化广场、图书\n\n室和健身步道。"
    [doc] = parse_page(text)
    assert doc.text == "今年以来，乙镇新建了文化广场、图书室和健身步道。"
    assert doc.meta["repairs"] == 2


def test_crlf_page_parses_like_lf() -> None:
    text = FICTIONAL.read_text(encoding="utf-8")
    assert parse_page(text.replace("\n", "\r\n")) == parse_page(text)


@pytest.mark.parametrize(
    ("paragraph", "complete"),
    [
        ("全镇经济稳中有进。", True),
        ("这是为什么？", True),
        ("一定要干好！", True),
        ("一是抓党建；", True),
        ("等等……", True),
        ("他说：“我们的根也留住了。”", True),
        ("（完）", True),
        ("（下转第3版）", True),
        ("完成产值3.", False),
        ("中文后的句点.", True),
        ("一批青年返乡创办了茶", False),
        ("开设了“柳溪茶仓”", False),
        ("推出APP", False),
        ("完成1800", False),
        ("今年以来，", False),
        ("主要有：", False),
        ("养老、", False),
        ("", True),
    ],
)
def test_is_complete_paragraph(paragraph: str, complete: bool) -> None:
    assert is_complete_paragraph(paragraph) is complete
