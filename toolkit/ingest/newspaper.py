"""Split the text of a county-newspaper page into one Document per article.

A page extracted from a newspaper PDF or website is a run of paragraphs separated
by blank lines. Its parts are recognised by shape, not by position alone:

- **headline**: ``<county ending 县/区/市><town ending 镇/乡/街道>：<title>`` on a
  short line of its own (full-width or ASCII colon); or, for ordinary news items,
  any short line without sentence punctuation directly above a byline or a
  ``本报讯`` lead. A headline broken across columns is rejoined when the next
  line continues it (see *column joins*) or stands between it and the byline;
- **kicker**: up to three short, punctuation-free lines directly above a headline
  (e.g. ``共建 共治 共享``); they belong to the article below them;
- **editor's note**: a paragraph opening with ``编者按``; above a headline it
  belongs to the article below it;
- **byline**: ``本报记者 A 本报通讯员 B C`` under the headline (a ``——`` subtitle
  may come between), or the ``本报讯（记者 A 通讯员 B）`` lead of the first
  paragraph; interns (``实习生``) are listed with the reporters, and a closing
  ``报道`` is not a name. A byline is never joined to anything;
- **caption**: ``图为…。 记者 A 摄``, or a bare credit ``记者 A 摄`` (also in brackets);
- **furniture**: page headers (``2021年7月15日 星期四 第3版``), staff lines
  (``责任编辑：A 美编：B``), jump notes (``（下转第2版）``, ``（上接第1版）``), and
  a kicker with no article under it at the end of the page;
- **subhead**: a short line without sentence punctuation inside an article; it
  opens a section, and is never joined to body text;
- **body**: everything else.

*Column joins.* Page layout breaks paragraphs across columns, which leaves a line
ending mid-word (``…按时间节点投`` / ``产运营。``). A body line that does not end a
sentence is joined to the next body line without a separator (captions and
furniture printed in between are skipped over). A short line that *looks* like a
subhead or a headline's end is joined only on evidence: the two sides make a
dictionary word across the break (``改`` + ``厕`` → 改厕, jieba's dictionary through
``rjieba``), the left side ends inside a quote or bracket, or the right side starts
with a character that cannot start a sentence (``”``, ``，``, ``的``; a unit after a
number). Joins are counted in ``meta["repairs"]``. Nothing is normalised here
(ASCII commas stay): that is :mod:`toolkit.normalize`'s job.

*Lossless.* Every non-space character of the page lands in exactly one printed
field (see :func:`page_fields`); :func:`lossless_violation` checks it, and
:func:`toolkit.ingest.ingest` rejects a page that breaks it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from toolkit.corpus.document import Document

__all__ = ["is_complete_paragraph", "lossless_violation", "page_fields", "parse_page"]

# Lines longer than these are prose, whatever their shape.
_MAX_HEADLINE = 40
_MAX_SUBHEAD = 30
_MAX_KICKER = 20
_MAX_BYLINE = 60
_MAX_KICKERS = 3
_MAX_FURNITURE = 60

_CJK = r"[\u4e00-\u9fff]"
# Non-greedy county and town, anchored by the colon, so that 市中区 or 金乡县
# (a 区/乡 inside the name) still split where the colon says.
_HEADLINE = re.compile(
    rf"^(?P<county>{_CJK}{{1,6}}?[县区市])"
    rf"(?P<town>{_CJK}{{1,8}}?(?:街道|镇|乡))"
    r"\s*[：:]\s*(?P<title>\S.*)$"
)
# A title is a phrase, not a sentence: a full stop or semicolon makes the line body.
_TITLE_FORBIDDEN = re.compile(r"[。；;]|[.]$")

# Longest labels first so that 本报记者 is not read as 本报 + 记者.
# Interns (实习生) write as reporters do, and are listed with them.
_REPORTER_LABELS = (
    "本报特约记者",
    "本报见习记者",
    "本报实习生",
    "本报记者",
    "特约记者",
    "见习记者",
    "实习生",
    "记者",
)
_CORRESPONDENT_LABELS = ("本报特约通讯员", "本报通讯员", "特约通讯员", "通讯员")
_BYLINE_LABEL = re.compile(
    "(" + "|".join(sorted(_REPORTER_LABELS + _CORRESPONDENT_LABELS, key=len, reverse=True)) + ")"
)
_NAME = re.compile(rf"^(?:{_CJK}|[·•]){{2,8}}$")
# What a byline may end with after the names: 记者 A 报道, 记者 A 摄影报道.
_BYLINE_VERB = re.compile(r"\s+(?:摄影报道|报道|采写|撰文|文)$")
_NAME_SEPARATORS = re.compile(r"[\s、，,]+")
_HAS_CJK = re.compile(_CJK)
# 本报讯（记者 A 通讯员 B）, 本报青禾讯, 本报3月5日讯: the lead of a news item.
_DATELINE = re.compile(
    r"^(?P<lead>本报(?:[^\s（(）)，。]{1,8})?讯"
    r"(?:\s*[（(](?P<inside>[^（()）]{1,60})[）)])?)\s*(?P<rest>.*)$"
)
_EDITOR_NOTE = re.compile(r"^[【\[]?编者按[】\]]?\s*[：:]?")

# Captions: 图为… or 上图/下图/左图…, or a credit line ending in 摄.
_CAPTION_START = re.compile(r"^(?:图为|图片为|[上下左右中]图[：:]?|图[：:])")
_CREDIT = re.compile(
    rf"(?:^|(?<=[\s。！？）)”]))(?P<label>(?:本报)?(?:特约|见习)?(?:记者|通讯员)?)\s*"
    rf"(?P<names>(?:{_CJK}|[·•]){{2,8}}(?:[\s、]+(?:{_CJK}|[·•]){{1,8}})*?)\s*摄\s*[）)]?$"
)
_MAX_CAPTION = 150
_MAX_CREDIT = 30

# Page furniture: a dated page header, a staff line, a jump note.
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_PAGE_NUMBER = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版")
_STAFF = re.compile(r"^(?:责任编辑|责编|编辑|美编|美术编辑|校对|审核|审校|组版|版式)\s*[：:]")
_JUMP = re.compile(
    r"^[（(]\s*(?:下转|上接|转|接|紧接|续)\s*(?:第\s*)?[0-9０-９一二三四五六七八九十A-Z]{1,3}\s*版"
    r"[^（()）]{0,10}[）)]$"
)

# Punctuation that only occurs inside sentences (or ends them): a line holding
# any of it is prose, never a subhead or kicker.
_SENTENCE_PUNCTUATION = frozenset("，。；！？、,;!?：:…")
# A kicker with digits or newspaper furniture words is a page header
# (``2021年8月5日 第3版 县区新闻``), not a kicker.
_PAGE_HEADER = re.compile(r"\d|第.{1,3}版|日报|晚报|周刊|编辑|责编|美编|校对|星期")

_FINAL = frozenset("。！？；!?;…．")
_CLOSERS = "”’」』）)》】〕\"'"
_OPENERS = "（(【〔["
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}
_SUBTITLE_DASHES = ("——", "—", "--")
# Characters that cannot start a sentence: closing and inner punctuation, and
# particles that only follow a word.
_NON_STARTERS = frozenset("，。、；：？！…）)」』”’》】%‰,.;:?!的了着们")
# After a number, a unit or an approximation continues it (1800 / 余户, 1 / 20亩).
_AFTER_NUMBER = re.compile(r"^[0-9０-９.．%‰万亿千百余多个名人户家项次元吨亩米斤倍年月日号]")
_WINDOW = 4  # characters on each side of a break given to the segmenter
# A numbered subhead: 一、… （二）… 3.… (not 3.5, a number).
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十0-9]{1,3}[）)]"
    r"|[0-9]{1,2}[、.．](?![0-9]))\s*"
)


@dataclass
class _Head:
    """Where an article's headline sits: ``lines[index:end]`` (a broken one spans two)."""

    index: int
    end: int
    parsed: dict[str, str]
    kickers: list[int] = field(default_factory=list)
    note: int | None = None

    @property
    def start(self) -> int:
        firsts = [self.index, *self.kickers] + ([self.note] if self.note is not None else [])
        return min(firsts)


def parse_page(
    text: str,
    *,
    source: str = "<page>",
    doc_id_prefix: str | None = None,
    headings: bool = False,
) -> list[Document]:
    """Split a newspaper page into articles.

    Parameters
    ----------
    text : str
        The page: paragraphs on their own lines, usually separated by blank lines.
    source : str, optional
        Where the page came from (a file path); stored in ``meta["source"]`` and
        used in error messages.
    doc_id_prefix : str, optional
        Prefix of the document ids. Defaults to the file stem of ``source``, or
        ``"page"`` when ``source`` is not a path (``"<page>"``).
    headings : bool, optional
        Also put the kicker, the headline's title, the subtitle and each
        subhead into ``text``, each on its own line where it stands on the
        page. Term detection wants them: a town's formulas are often named
        only in its subheads (密织“一张网”, 发挥“两个引领”). Default ``False``:
        ``text`` is the body only.

    Returns
    -------
    list of Document
        One Document per article, in page order, with ``doc_id``
        ``f"{prefix}-{i:02d}"`` (``i`` counts from 1) and ``text`` the body
        paragraphs, column breaks repaired, joined by ``"\\n"``. Headline,
        kicker, byline, subheads, captions and furniture are not in ``text``;
        ``meta`` holds them:

        - ``headline``: the headline as printed (two lines joined by ``"\\n"``
          when it was broken across columns); ``title``: its title, rejoined;
          ``county`` and ``town``: for ``县镇：`` headlines only;
        - ``reporters``, ``correspondents``: lists of names (empty without a
          byline); ``byline``: the byline as printed, when present (a ``本报讯
          （记者 A）`` lead is a byline, and leaves the first paragraph);
        - ``kicker`` (stacked kickers joined by ``"\\n"``), ``subtitle`` and
          ``editor_note`` (the ``编者按`` paragraph): only when present;
          ``subtitle_line``: the subtitle as printed (with its dashes);
        - ``captions``: photo captions and credits as printed; ``photographers``:
          the names credited with ``摄``; ``furniture``: page headers, staff
          lines, jump notes and orphan kickers met inside the article's span
          (all three lists always present, possibly empty);
        - ``sections``: list of ``{"title": str | None, "paragraphs": list[str]}``;
          paragraphs before the first subhead form a section titled ``None``;
        - ``truncated``: the article's last paragraph ends without sentence-final
          punctuation (for the last article: the page cuts it off);
        - ``repairs``: number of column-break joins;
        - ``layout`` (``"newspaper"``), ``source``, ``article_index`` (from 1)
          and ``line`` (1-based line of the headline in ``text``);
        - ``preamble`` (first article only, when present): lines above the first
          article (its editor's note, kickers and headline), e.g. a page header,
          joined by ``"\\n"``.

        A page without a recognisable headline gives one Document holding all
        its paragraphs, with ``meta`` ``layout="unparsed"``, ``source`` and
        ``truncated``.

    Raises
    ------
    ValueError
        If ``text`` is empty or whitespace only, or ``doc_id_prefix`` is empty.
    TypeError
        If ``text`` is not a str.

    Examples
    --------
    >>> page = "甲县乙镇：好日子\\n\\n本报记者 张三\\n\\n今年以来，乙镇稳步发展。"
    >>> [doc] = parse_page(page, source="p1.txt")
    >>> doc.doc_id, doc.text, doc.meta["reporters"]
    ('p1-01', '今年以来，乙镇稳步发展。', ['张三'])
    """
    if not isinstance(text, str):
        raise TypeError(
            f"{source}: text must be a str (got {type(text).__name__}); "
            "decode the file first with toolkit.ingest.read_text_file"
        )
    prefix = _doc_id_prefix(source, doc_id_prefix)
    lines = [
        (number, stripped)
        for number, raw in enumerate(text.splitlines(), 1)
        if (stripped := raw.strip())
    ]
    if not lines:
        raise ValueError(f"{source}: empty page (no text to parse); check the file was decoded")

    texts = [line for _, line in lines]
    heads = _find_heads(texts)
    if not heads:
        return [_unparsed(lines, source, prefix)]
    floor = 0
    for head in heads:
        _attach_kickers_and_note(texts, head, floor)
        floor = head.end

    documents = []
    for j, head in enumerate(heads):
        end = heads[j + 1].start if j + 1 < len(heads) else len(texts)
        meta = _article_meta(texts, head, end)
        meta["line"] = lines[head.index][0]
        meta["source"] = source
        meta["article_index"] = j + 1
        if j == 0 and head.start > 0:
            meta["preamble"] = "\n".join(texts[: head.start])
        if headings:
            lines_out = [meta[k] for k in ("kicker", "title", "subtitle") if meta.get(k)]
            for section in meta["sections"]:
                lines_out += [section["title"]] if section["title"] else []
                lines_out += section["paragraphs"]
            body = "\n".join(lines_out)
        else:
            body = "\n".join(p for section in meta["sections"] for p in section["paragraphs"])
        documents.append(Document(f"{prefix}-{j + 1:02d}", body, meta))
    return documents


def is_complete_paragraph(paragraph: str) -> bool:
    """Whether a paragraph ends a sentence, i.e. was not cut by a column break.

    Complete: ends with ``。！？；…`` (or ASCII ``!?;``, or ``.`` after a
    non-ASCII character), optionally followed by closing quotes or brackets
    (``。”``); or is wholly bracketed, like ``（完）`` or ``（下转第3版）``.
    Incomplete: ends with a character, letter or digit, with ``，、：``, or with a
    closing quote directly after a word (``开设了“柳溪茶仓”`` continued by ``网店``).

    Parameters
    ----------
    paragraph : str

    Returns
    -------
    bool
    """
    text = paragraph.rstrip()
    if not text or _is_bracketed(text):
        return True
    core = text.rstrip(_CLOSERS)
    if not core:
        return False
    last = core[-1]
    if last in _FINAL:
        return True
    # An ASCII full stop ends a sentence after Chinese, not inside a number ("3.").
    return last == "." and len(core) > 1 and not core[-2].isascii()


# Fields that hold the page's characters as printed; the others (county, town, title,
# subtitle, reporters, ...) are parsed views of them and are not counted again.
_PRINTED_FIELDS = ("preamble", "editor_note", "kicker", "headline", "subtitle_line", "byline")
_PRINTED_LISTS = ("captions", "furniture")


def page_fields(documents: Sequence[Document]) -> list[tuple[str, str]]:
    """Every printed field of a parsed page, as ``(doc_id:field, value)`` pairs.

    The fields are those that hold the page's characters as printed: ``preamble``,
    ``editor_note``, ``kicker``, ``headline``, ``subtitle_line``, ``byline``, each
    caption, each piece of ``furniture``, each section title and each paragraph of
    ``sections``; for an unparsed page, ``text``. ``title``, ``county``, ``town``,
    ``subtitle`` and the name lists are parsed views of these and are not listed.
    """
    fields: list[tuple[str, str]] = []
    for doc in documents:
        meta = doc.meta
        if meta.get("layout") != "newspaper":
            fields.append((f"{doc.doc_id}:text", doc.text))
            continue
        fields += [(f"{doc.doc_id}:{k}", meta[k]) for k in _PRINTED_FIELDS if meta.get(k)]
        for key in _PRINTED_LISTS:
            fields += [(f"{doc.doc_id}:{key}", value) for value in meta.get(key, ())]
        for i, section in enumerate(meta.get("sections", ()), 1):
            if section["title"]:
                fields.append((f"{doc.doc_id}:section {i} title", section["title"]))
            fields += [(f"{doc.doc_id}:section {i}", p) for p in section["paragraphs"]]
    return fields


def lossless_violation(text: str, documents: Sequence[Document]) -> str | None:
    """Why the parse of ``text`` is not lossless, or ``None`` when it is.

    Lossless: every non-space character of the page lands in exactly one printed field
    of exactly one article (see :func:`page_fields`), so the fields' non-space
    characters are the page's, each as many times as on the page. A parse that drops
    or repeats characters is wrong somewhere, and :func:`toolkit.ingest.ingest`
    rejects the page with this reason.

    Returns
    -------
    str or None
        E.g. ``"lossless parse failed: 3 characters dropped ('一' x2, '版' x1)"``.
    """
    page = Counter(ch for ch in text if not ch.isspace())
    parsed = Counter(ch for _, value in page_fields(documents) for ch in value if not ch.isspace())
    if page == parsed:
        return None
    problems = []
    for what, diff in (("dropped", page - parsed), ("duplicated or invented", parsed - page)):
        if diff:
            shown = ", ".join(f"{ch!r} x{n}" for ch, n in sorted(diff.items())[:5])
            more = ", ..." if len(diff) > 5 else ""
            problems.append(f"{sum(diff.values())} characters {what} ({shown}{more})")
    return "lossless parse failed: " + "; ".join(problems)


def _doc_id_prefix(source: str, doc_id_prefix: str | None) -> str:
    if doc_id_prefix is not None:
        if not isinstance(doc_id_prefix, str) or not doc_id_prefix:
            raise ValueError(
                f"doc_id_prefix must be a non-empty str or None (got {doc_id_prefix!r})"
            )
        return doc_id_prefix
    if source.startswith("<") and source.endswith(">"):
        return "page"
    return PurePath(source).stem or "page"


def _parse_headline(line: str) -> dict[str, str] | None:
    if len(line) > _MAX_HEADLINE:
        return None
    match = _HEADLINE.match(line)
    if match is None:
        return None
    title = match["title"].strip()
    if _TITLE_FORBIDDEN.search(title):
        return None
    return {"county": match["county"], "town": match["town"], "title": title}


def _parse_byline(line: str) -> dict[str, list[str]] | None:
    if len(line) > _MAX_BYLINE:
        return None
    parts = _BYLINE_LABEL.split(_BYLINE_VERB.sub("", line))
    # parts = [before, label, names, label, names, ...]; a byline starts with a label.
    if parts[0].strip():
        return None
    reporters: list[str] = []
    correspondents: list[str] = []
    for label, names_text in zip(parts[1::2], parts[2::2], strict=True):
        names = _merge_padded_names([name for name in _NAME_SEPARATORS.split(names_text) if name])
        if not all(_NAME.match(name) for name in names):
            return None
        (reporters if label in _REPORTER_LABELS else correspondents).extend(names)
    if not reporters and not correspondents:
        return None
    return {"reporters": reporters, "correspondents": correspondents}


def _merge_padded_names(tokens: list[str]) -> list[str]:
    # Two-character names are often padded to the width of three (王　强): rejoin
    # two single characters in a row.
    names: list[str] = []
    i = 0
    while i < len(tokens):
        if len(tokens[i]) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            names.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            names.append(tokens[i])
            i += 1
    return names


def _is_heading_shaped(line: str, max_length: int) -> bool:
    """Short, with Chinese in it, no sentence punctuation, and not a bracketed note."""
    return (
        len(line) <= max_length
        and _HAS_CJK.search(line) is not None
        and not _SENTENCE_PUNCTUATION.intersection(line)
        and not line.startswith(tuple(_OPENERS))
    )


def _is_apart(line: str) -> bool:
    """Furniture, a caption, a byline or an editor's note: never a paragraph or heading."""
    return (
        _is_furniture(line)
        or _caption_names(line) is not None
        or _parse_byline(line) is not None
        or _is_editor_note(line)
    )


def _enumerated(line: str) -> str | None:
    """The subhead after an enumerator (一、 （二） 3.), or None without one."""
    match = _ENUMERATOR.match(line)
    return line[match.end() :] if match and match.end() < len(line) else None


def _is_subhead(line: str) -> bool:
    # 一、强化党建引领: the enumerator's 、 is no sentence punctuation.
    core = _enumerated(line)
    return (
        _is_heading_shaped(line if core is None else core, _MAX_SUBHEAD)
        and _parse_headline(line) is None
        and not _is_apart(line)
    )


def _is_kicker_line(line: str) -> bool:
    return (
        _is_heading_shaped(line, _MAX_KICKER)
        and not _PAGE_HEADER.search(line)
        and _parse_headline(line) is None
        and not _is_apart(line)
    )


def _is_two_phrase(line: str) -> bool:
    # 对仗 subheads print two phrases apart (治水先行 沿湖变清了); running text cut by a
    # column break has no such gap.
    return re.search(rf"{_CJK}[”’」』》]?\s+[“‘「『《]?{_CJK}", line) is not None


def _is_bracketed(text: str) -> bool:
    # Editorial notes such as （完） or （下转第3版） close a paragraph of their own.
    return len(text) >= 2 and text[0] in _OPENERS and text[-1] in _CLOSERS


def _is_furniture(line: str) -> bool:
    if len(line) > _MAX_FURNITURE:
        return False
    if _STAFF.match(line) or _JUMP.match(line):
        return True
    # A page header: a page number, or a date with its weekday, and no sentence.
    if _FINAL.intersection(line) or "，" in line:
        return False
    return _PAGE_NUMBER.search(line) is not None or (
        _DATE.search(line) is not None and "星期" in line
    )


def _is_editor_note(line: str) -> bool:
    return _EDITOR_NOTE.match(line) is not None


def _credit_names(credit: str) -> list[str] | None:
    names = _merge_padded_names(
        [name for name in _NAME_SEPARATORS.split(_BYLINE_LABEL.sub(" ", credit)) if name]
    )
    return names if names and all(_NAME.match(name) for name in names) else None


def _caption_names(line: str) -> list[str] | None:
    """The photographers of a caption or credit line (possibly none), or None for other lines."""
    if len(line) > _MAX_CAPTION:
        return None
    # A credit may stand in brackets of its own: （本报记者 A 摄）.
    inner = line[1:-1].strip() if _is_bracketed(line) else line
    match = _CREDIT.search(inner)
    names = _credit_names(match["names"]) if match else None
    if _CAPTION_START.match(line):
        return names or []
    if match is None or names is None:
        return None
    before = inner[: match.start()].rstrip()
    # A bare credit (记者 A 摄), or a caption sentence closed before its credit.
    if (not before and len(line) <= _MAX_CREDIT) or (before and before[-1] in "。！？”"):
        return names
    return None


def _dateline(line: str) -> tuple[str, str, dict[str, list[str]] | None] | None:
    """``(lead, rest, byline)`` of a ``本报讯（记者 A）…`` paragraph, else None."""
    match = _DATELINE.match(line)
    if match is None:
        return None
    inside = match["inside"]
    return match["lead"], match["rest"], _parse_byline(inside) if inside else None


def _unclosed(text: str) -> bool:
    """Whether ``text`` ends inside a quotation or bracket it opened."""
    depth: list[str] = []
    for ch in text:
        if ch in _PAIRS:
            depth.append(_PAIRS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
    return bool(depth)


@lru_cache(maxsize=4096)
def _word_across(left: str, right: str) -> bool:
    """Whether jieba's dictionary segments a word across the break between the two."""
    import rjieba  # jieba's dictionary, read-only; imported when a break needs it

    position = 0
    for token in rjieba.cut(left + right, False):
        if position < len(left) < position + len(token):
            return True
        position += len(token)
    return False


def _continues(left: str, right: str) -> bool:
    """Evidence that ``right`` continues ``left`` across a column break."""
    if not left or not right or _is_bracketed(right):
        return False
    if _unclosed(left) or right[0] in _NON_STARTERS:
        return True
    if left[-1].isdigit() and _AFTER_NUMBER.match(right):
        return True
    if _HAS_CJK.fullmatch(left[-1]) and _HAS_CJK.fullmatch(right[0]):
        return _word_across(left[-_WINDOW:], right[:_WINDOW])
    return False


def _is_lead(line: str) -> bool:
    """A byline, or a paragraph opening with a 本报讯 lead: what follows a headline."""
    return _parse_byline(line) is not None or _DATELINE.match(line) is not None


def _may_continue_title(line: str) -> bool:
    return (
        _is_heading_shaped(line, _MAX_SUBHEAD)
        and not line.startswith(_SUBTITLE_DASHES)
        and _parse_headline(line) is None
        and not _is_apart(line)
    )


def _headline_end(texts: list[str], index: int, title: str) -> tuple[int, str]:
    """Where a headline ends, and its title rejoined when columns broke it."""
    end = index + 1
    if end < len(texts) and _may_continue_title(texts[end]):
        nxt = texts[end]
        # The line between a headline and its byline is the headline's end.
        before_lead = end + 1 < len(texts) and _is_lead(texts[end + 1])
        if before_lead or _continues(title, nxt):
            return end + 1, title + nxt
    return end, title


def _zone_end(texts: list[str], index: int) -> int:
    """Skip the subtitle and byline lines under a headline."""
    seen_subtitle = seen_byline = False
    while index < len(texts):
        line = texts[index]
        if not seen_subtitle and line.startswith(_SUBTITLE_DASHES) and len(line) <= _MAX_HEADLINE:
            seen_subtitle = True
        elif not seen_byline and _parse_byline(line) is not None:
            seen_byline = True
        else:
            break
        index += 1
    return index


def _find_heads(texts: list[str]) -> list[_Head]:
    heads: dict[int, _Head] = {}
    taken: set[int] = set()
    # 1. 县镇：title headlines, the shape county papers print for town reports.
    for i, line in enumerate(texts):
        if i in taken or (parsed := _parse_headline(line)) is None:
            continue
        end, title = _headline_end(texts, i, parsed["title"])
        heads[i] = _Head(i, end, {**parsed, "title": title})
        taken.update(range(i, _zone_end(texts, end)))
    # 2. Ordinary news items: a heading-shaped line (or two, broken) over a byline or a
    # 本报讯 lead, possibly with a subtitle between.
    for b, line in enumerate(texts):
        if b in taken or not _is_lead(line):
            continue
        h = b - 1
        if h >= 0 and texts[h].startswith(_SUBTITLE_DASHES):
            h -= 1
        if h < 0 or h in taken or not _may_continue_title(texts[h]):
            continue
        first = h
        if (
            h - 1 >= 0
            and h - 1 not in taken
            and _may_continue_title(texts[h - 1])
            and _continues(texts[h - 1], texts[h])
        ):
            first = h - 1
        title = "".join(texts[first : h + 1])
        heads[first] = _Head(first, h + 1, {"title": title})
        taken.update(range(first, _zone_end(texts, h + 1)))
    return [heads[i] for i in sorted(heads)]


def _attach_kickers_and_note(texts: list[str], head: _Head, floor: int) -> None:
    kickers: list[int] = []
    k = head.index - 1
    while k >= floor and len(kickers) < _MAX_KICKERS and _is_kicker_line(texts[k]):
        kickers.insert(0, k)
        k -= 1
    # After a paragraph cut mid-word the short line is its continuation, not a kicker.
    while kickers:
        above = kickers[0] - 1
        line = texts[above] if above >= floor else ""
        if (
            line
            and not _is_heading_shaped(line, _MAX_SUBHEAD)
            and not _is_apart(line)
            and not is_complete_paragraph(line)
        ):
            kickers.pop(0)
            continue
        break
    head.kickers = kickers
    above = (kickers[0] if kickers else head.index) - 1
    if above >= floor and _is_editor_note(texts[above]):
        head.note = above


@dataclass
class _Body:
    """The body of one article as it is read, line by line."""

    sections: list[dict[str, Any]] = field(
        default_factory=lambda: [{"title": None, "paragraphs": []}]
    )
    # (section, paragraph) of the last paragraph while it is cut mid-sentence.
    open: tuple[int, int] | None = None
    repairs: int = 0

    def has_text(self) -> bool:
        return any(section["paragraphs"] for section in self.sections)

    def open_text(self) -> str | None:
        if self.open is None:
            return None
        s, p = self.open
        paragraph: str = self.sections[s]["paragraphs"][p]
        return paragraph

    def join(self, line: str) -> None:
        assert self.open is not None
        s, p = self.open
        self.sections[s]["paragraphs"][p] += line
        self.repairs += 1
        if is_complete_paragraph(self.sections[s]["paragraphs"][p]):
            self.open = None

    def add(self, line: str) -> None:
        paragraphs = self.sections[-1]["paragraphs"]
        paragraphs.append(line)
        complete = is_complete_paragraph(line) or _is_bracketed(line)
        self.open = None if complete else (len(self.sections) - 1, len(paragraphs) - 1)

    def subhead(self, line: str) -> None:
        self.sections.append({"title": line, "paragraphs": []})
        self.open = None


def _article_meta(texts: list[str], head: _Head, end: int) -> dict[str, Any]:
    meta: dict[str, Any] = {**head.parsed, "headline": "\n".join(texts[head.index : head.end])}
    if head.kickers:
        meta["kicker"] = "\n".join(texts[k] for k in head.kickers)
    notes = [texts[head.note]] if head.note is not None else []
    bylines: list[str] = []
    reporters: list[str] = []
    correspondents: list[str] = []

    def add_byline(printed: str, parsed: dict[str, list[str]] | None) -> None:
        bylines.append(printed)
        if parsed:
            reporters.extend(parsed["reporters"])
            correspondents.extend(parsed["correspondents"])

    index = head.end
    # Subtitle, byline and an editor's note sit right under the headline, in any order.
    while index < end:
        line = texts[index]
        if (
            "subtitle" not in meta
            and line.startswith(_SUBTITLE_DASHES)
            and len(line) <= _MAX_HEADLINE
        ):
            meta["subtitle"] = line.lstrip("—-").strip()
            meta["subtitle_line"] = line
        elif not bylines and (parsed_byline := _parse_byline(line)) is not None:
            add_byline(line, parsed_byline)
        elif _is_editor_note(line):
            notes.append(line)
        else:
            break
        index += 1

    body = _Body()
    captions: list[str] = []
    photographers: list[str] = []
    furniture: list[str] = []
    for position in range(index, end):
        line = texts[position]
        # The next line of text; captions and furniture may stand inside a column break.
        following = next(
            (
                texts[k]
                for k in range(position + 1, end)
                if not _is_furniture(texts[k]) and _caption_names(texts[k]) is None
            ),
            None,
        )
        if _is_furniture(line):
            furniture.append(line)
            continue
        if (names := _caption_names(line)) is not None:
            captions.append(line)
            photographers.extend(name for name in names if name not in photographers)
            continue
        if (parsed_byline := _parse_byline(line)) is not None:
            add_byline(line, parsed_byline)  # never joined to anything
            continue
        if not body.has_text():
            if _is_editor_note(line):
                notes.append(line)
                continue
            if (dateline := _dateline(line)) is not None:
                lead, line, parsed_lead = dateline
                add_byline(lead, parsed_lead)
                if not line:
                    continue
        open_text = body.open_text()
        if _is_subhead(line):
            if _is_two_phrase(line) or _enumerated(line) is not None:
                body.subhead(line)
            elif open_text is not None and _continues(open_text, line):
                body.join(line)
            elif following is not None and not _is_apart(following) and _continues(line, following):
                body.add(line)  # the first half of a paragraph broken across columns
            else:
                body.subhead(line)
        elif open_text is not None and not _is_bracketed(line):
            body.join(line)  # a word broken across columns: rejoin without a separator
        else:
            body.add(line)

    sections = body.sections
    # A heading with nothing under it at the article's end is a kicker without its
    # article (that one is on another page): furniture.
    while sections and sections[-1]["title"] is not None and not sections[-1]["paragraphs"]:
        furniture.append(sections.pop()["title"])
    if sections and sections[0]["title"] is None and not sections[0]["paragraphs"]:
        sections.pop(0)
    paragraphs = [p for section in sections for p in section["paragraphs"]]
    if notes:
        meta["editor_note"] = "\n".join(notes)
    meta["reporters"] = reporters
    meta["correspondents"] = correspondents
    if bylines:
        meta["byline"] = "\n".join(bylines)
    meta.update(
        captions=captions,
        photographers=photographers,
        furniture=furniture,
        sections=sections,
        truncated=bool(paragraphs) and not is_complete_paragraph(paragraphs[-1]),
        repairs=body.repairs,
        layout="newspaper",
    )
    return meta


def _unparsed(lines: list[tuple[int, str]], source: str, prefix: str) -> Document:
    meta = {
        "layout": "unparsed",
        "source": source,
        "truncated": not is_complete_paragraph(lines[-1][1]),
    }
    return Document(f"{prefix}-01", "\n".join(line for _, line in lines), meta)
