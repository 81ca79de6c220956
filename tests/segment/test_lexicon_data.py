"""Validate the built-in data files: the policy lexicon and the two stopword lists."""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib.resources import files

import pytest

DATA = files("toolkit") / "data"
HEADER = ["term", "category", "level", "note"]
CATEGORIES = {"method", "institution", "campaign", "numbered", "parallel", "slogan"}
LEVELS = {"national", "local"}
NUMERAL = re.compile(r"[一二两三四五六七八九十百千万0-9双]")
FORBIDDEN_IN_TERM = re.compile(r"[\s“”‘’\"'「」『』、，,。；;：:]")

MUST_HAVE = {
    "一岗双责": "numbered",
    "两委": "numbered",
    "共建共治共享": "parallel",
    "最后一公里": "slogan",
    "河长制": "institution",
    "扫黑除恶": "campaign",
    "四个意识": "numbered",
    "六稳": "numbered",
    "放管服": "parallel",
    "枫桥经验": "method",
    "乡村振兴": "slogan",
    "党史学习教育": "campaign",
}

# Ordinary words that must never be entries on their own: the lexicon is for 提法, not vocabulary.
GENERIC_WORDS = {
    "发展", "工作", "经济", "改革", "建设", "群众", "政府", "社会", "管理", "服务",
    "政策", "治理", "安全", "创新", "文化", "教育", "医疗", "环境", "生态", "农村",
    "农业", "城市", "企业", "产业", "项目", "人民", "国家", "领导", "干部", "党员",
    "组织", "制度", "体系", "机制", "乡村", "社区", "村民", "居民", "扶贫", "脱贫",
    "振兴", "民生", "就业", "法治", "稳定", "开放", "合作", "市场", "科技", "人才",
    "基层", "党建", "保障", "监督", "执法", "乡镇", "街道", "协调", "绿色", "共享",
    "质量", "会议", "文件", "精神", "思想", "理论", "实践", "目标", "任务", "问题",
    "工程", "行动", "活动", "战略", "规划", "中国", "党", "村", "镇", "县",
}  # fmt: skip


def _read_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def raw_lines() -> list[str]:
    return _read_text("policy_lexicon.tsv").splitlines()


@pytest.fixture(scope="module")
def rows(raw_lines: list[str]) -> list[list[str]]:
    return [line.split("\t") for line in raw_lines[1:]]


@pytest.fixture(scope="module")
def terms(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows]


def _stopwords(name: str) -> list[str]:
    lines = _read_text(f"stopwords_{name}.txt").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


# The lexicon


def test_lexicon_header(raw_lines: list[str]) -> None:
    assert raw_lines[0].split("\t") == HEADER


def test_lexicon_no_blank_lines_or_carriage_returns(raw_lines: list[str]) -> None:
    assert all(line.strip() for line in raw_lines)
    assert "\r" not in _read_text("policy_lexicon.tsv")


def test_lexicon_readable_by_csv(rows: list[list[str]]) -> None:
    with (DATA / "policy_lexicon.tsv").open(encoding="utf-8") as fh:
        read = list(csv.DictReader(fh, delimiter="\t"))
    assert [r["term"] for r in read] == [row[0] for row in rows]


def test_every_row_has_four_fields(rows: list[list[str]]) -> None:
    bad = [row for row in rows if len(row) != 4]
    assert not bad, bad[:5]


def test_categories_and_levels_valid(rows: list[list[str]]) -> None:
    assert {row[1] for row in rows} == CATEGORIES
    assert {row[2] for row in rows} <= LEVELS


def test_at_least_1000_unique_terms(terms: list[str]) -> None:
    assert len(set(terms)) >= 1000


def test_each_category_has_at_least_50_terms(rows: list[list[str]]) -> None:
    counts = Counter(row[1] for row in rows)
    thin = {cat: counts[cat] for cat in CATEGORIES if counts[cat] < 50}
    assert not thin, thin


def test_both_levels_used(rows: list[list[str]]) -> None:
    counts = Counter(row[2] for row in rows)
    assert counts["national"] > 0
    assert counts["local"] > 0


def test_no_duplicate_terms(terms: list[str]) -> None:
    dups = [t for t, n in Counter(terms).items() if n > 1]
    assert not dups, dups


def test_terms_are_clean(terms: list[str]) -> None:
    bad = [t for t in terms if not t or t != t.strip() or FORBIDDEN_IN_TERM.search(t)]
    assert not bad, bad


def test_term_lengths(terms: list[str]) -> None:
    bad = [t for t in terms if not 2 <= len(t) <= 20]
    assert not bad, bad


def test_rows_sorted_by_category_then_term(rows: list[list[str]]) -> None:
    keys = [(row[1], row[0]) for row in rows]
    assert keys == sorted(keys)


def test_numbered_terms_contain_a_numeral(rows: list[list[str]]) -> None:
    bad = [row[0] for row in rows if row[1] == "numbered" and not NUMERAL.search(row[0])]
    assert not bad, bad


def test_numbered_notes_have_at_least_two_parts(rows: list[list[str]]) -> None:
    bad = []
    for term, category, _, note in rows:
        if category != "numbered" or not note:
            continue
        parts = note.split("|")
        if len(parts) < 2 or any(not p.strip() or p != p.strip() for p in parts):
            bad.append((term, note))
    assert not bad, bad


def test_notes_have_no_tabs_or_quotes(rows: list[list[str]]) -> None:
    bad = [(row[0], row[3]) for row in rows if re.search(r"[\t\"“”]", row[3])]
    assert not bad, bad


@pytest.mark.parametrize(("term", "category"), sorted(MUST_HAVE.items()))
def test_must_have_terms_present(rows: list[list[str]], term: str, category: str) -> None:
    table = {row[0]: row[1] for row in rows}
    assert term in table
    assert table[term] == category


def test_expansion_of_four_consciousnesses(rows: list[list[str]]) -> None:
    notes = {row[0]: row[3] for row in rows}
    assert notes["四个意识"].split("|") == ["政治意识", "大局意识", "核心意识", "看齐意识"]


def test_no_ordinary_words(terms: list[str]) -> None:
    bad = [t for t in terms if len(t) <= 2 and t in GENERIC_WORDS]
    assert not bad, bad


def test_loads_as_builtin_lexicon(terms: list[str]) -> None:
    lexicon = pytest.importorskip("toolkit.segment.lexicon")
    builtin = lexicon.Lexicon.builtin()
    assert set(builtin) == set(terms)


# The stopword lists


@pytest.mark.parametrize("name", ["general", "filler"])
def test_stopword_file_has_comment_header(name: str) -> None:
    first = _read_text(f"stopwords_{name}.txt").splitlines()[0]
    assert first.startswith("#")


@pytest.mark.parametrize(("name", "low", "high"), [("general", 400, 900), ("filler", 150, 400)])
def test_stopword_counts(name: str, low: int, high: int) -> None:
    assert low <= len(_stopwords(name)) <= high


@pytest.mark.parametrize("name", ["general", "filler"])
def test_stopwords_unique_and_clean(name: str) -> None:
    words = _stopwords(name)
    dups = [w for w, n in Counter(words).items() if n > 1]
    assert not dups, dups
    bad = [w for w in words if w != w.strip() or re.search(r"\s", w)]
    assert not bad, bad


def test_stopword_lists_do_not_overlap() -> None:
    overlap = set(_stopwords("general")) & set(_stopwords("filler"))
    assert not overlap, sorted(overlap)


@pytest.mark.parametrize("name", ["general", "filler"])
def test_stopwords_never_drop_a_lexicon_term(name: str, terms: list[str]) -> None:
    overlap = set(_stopwords(name)) & set(terms)
    assert not overlap, sorted(overlap)


def test_filler_has_the_core_words() -> None:
    filler = set(_stopwords("filler"))
    core = {"进一步", "切实", "不断", "扎实", "全面", "深入", "持续", "积极", "大力", "着力"}
    assert core <= filler


def test_general_has_the_core_words() -> None:
    general = set(_stopwords("general"))
    assert {"的", "了", "和", "在", "是", "我们", "因此", "但是", "可以"} <= general
