"""A parsed article's headings reach readers that want them, whichever path the article took."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import Corpus, Document, parse_page
from toolkit.corpus import read_jsonl, write_jsonl
from toolkit.ingest.headings import headed_text, reading_text

PAGE = Path(__file__).parent / "data" / "headed_formula_page.txt"


@pytest.fixture(scope="module")
def article() -> Document:
    [doc] = parse_page(PAGE.read_text(encoding="utf-8"), source=str(PAGE))
    return doc


def test_body_text_holds_no_heading(article):
    assert "织密“一张网”" not in article.text
    assert article.text.startswith("今年以来，柳湾镇推行")


def test_reading_text_is_the_parse_with_headings(article):
    [headed] = parse_page(PAGE.read_text(encoding="utf-8"), source=str(PAGE), headings=True)
    assert reading_text(article) == headed.text
    # Already headed: read as it is, no heading twice.
    assert reading_text(headed) == headed.text
    assert headed.text.count("织密“一张网”") == 1


def test_subheads_stand_above_their_paragraphs(article):
    lines = reading_text(article).split("\n")
    assert lines[0] == "“123”工作法凝聚民心"
    at = lines.index("发挥“两个作用”")
    assert lines[at + 1].startswith("各村发挥党员先锋作用")


def test_headings_survive_a_jsonl_round_trip(article, tmp_path):
    path = tmp_path / "articles.jsonl"
    write_jsonl(Corpus([article]), path)
    [back] = read_jsonl(path)
    assert back.text == article.text
    assert reading_text(back) == reading_text(article)


def test_a_changed_text_keeps_the_change_and_gets_every_heading(article):
    changed = Document(article.doc_id, article.text.replace("，", ","), dict(article.meta))
    lines = reading_text(changed).split("\n")
    assert lines[:5] == [
        "“123”工作法凝聚民心",
        "织密“一张网”",
        "发挥“两个作用”",
        "建好“三个中心”",
        changed.text.split("\n")[0],
    ]
    assert reading_text(changed).endswith(changed.text)


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"layout": "unparsed", "sections": []},
        {"layout": "newspaper"},
        {"layout": "newspaper", "sections": "一张网"},
        {"layout": "newspaper", "sections": [{"title": 3, "paragraphs": []}]},
        {"layout": "newspaper", "sections": [{"title": None, "paragraphs": [1]}]},
    ],
)
def test_other_documents_are_read_as_they_are(meta):
    doc = Document("d", "乡村振兴。", meta)
    assert headed_text(meta) is None
    assert reading_text(doc) == "乡村振兴。"
