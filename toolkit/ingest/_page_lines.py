"""The shapes of a newspaper page's lines: headline, byline, caption, furniture, subhead.

Each function looks at one line and says what it is; :mod:`toolkit.ingest.newspaper`
decides from these shapes, and their neighbours, how the page splits into articles.
"""

from __future__ import annotations

import re

__all__ = [
    "BRIEF_ACTOR",
    "BYLINE_LABEL",
    "BYLINE_VERB",
    "CAPTION_START",
    "CJK",
    "CLOSERS",
    "CORRESPONDENT_LABELS",
    "CREDIT",
    "DATE",
    "DATELINE",
    "EDITOR_NOTE",
    "ENUMERATOR",
    "FINAL",
    "HAS_CJK",
    "HEADLINE",
    "JUMP",
    "JUMP_PREFIX",
    "MAX_BYLINE",
    "MAX_CAPTION",
    "MAX_CREDIT",
    "MAX_FURNITURE",
    "MAX_HEADLINE",
    "MAX_KICKER",
    "MAX_SUBHEAD",
    "NAME",
    "NAME_SEPARATORS",
    "NEWS_TIME",
    "OPENERS",
    "PAGE_HEADER",
    "PAGE_NUMBER",
    "REPORTER_LABELS",
    "SENTENCE_PUNCTUATION",
    "STAFF",
    "SUBTITLE_DASHES",
    "TITLE_FORBIDDEN",
    "caption_names",
    "credit_names",
    "dateline",
    "enumerated",
    "is_apart",
    "is_bracketed",
    "is_complete_paragraph",
    "is_editor_note",
    "is_furniture",
    "is_heading_shaped",
    "is_kicker_line",
    "is_lead",
    "is_subhead",
    "is_two_phrase",
    "may_continue_title",
    "merge_padded_names",
    "parse_byline",
    "parse_headline",
]

# Lines longer than these are prose, whatever their shape.
MAX_HEADLINE = 40
MAX_SUBHEAD = 30
MAX_KICKER = 20
MAX_BYLINE = 60
MAX_FURNITURE = 60

CJK = r"[\u4e00-\u9fff]"
# Non-greedy county and town, anchored by the colon, so that 市中区 or 金乡县
# (a 区/乡 inside the name) still split where the colon says.
HEADLINE = re.compile(
    rf"^(?P<county>{CJK}{{1,6}}?[县区市])"
    rf"(?P<town>{CJK}{{1,8}}?(?:街道|镇|乡))"
    r"\s*[：:]\s*(?P<title>\S.*)$"
)
# A title is a phrase, not a sentence: a full stop or semicolon makes the line body.
TITLE_FORBIDDEN = re.compile(r"[。；;]|[.]$")

# Longest labels first so that 本报记者 is not read as 本报 + 记者.
# Interns (实习生) write as reporters do, and are listed with them.
REPORTER_LABELS = (
    "本报特约记者",
    "本报见习记者",
    "本报实习生",
    "本报记者",
    "特约记者",
    "见习记者",
    "实习生",
    "记者",
)
CORRESPONDENT_LABELS = ("本报特约通讯员", "本报通讯员", "特约通讯员", "通讯员")
BYLINE_LABEL = re.compile(
    "(" + "|".join(sorted(REPORTER_LABELS + CORRESPONDENT_LABELS, key=len, reverse=True)) + ")"
)
NAME = re.compile(rf"^(?:{CJK}|[·•]){{2,8}}$")
# What a byline may end with after the names: 记者 A 报道, 记者 A 摄影报道.
BYLINE_VERB = re.compile(r"\s+(?:摄影报道|报道|采写|撰文|文)$")
NAME_SEPARATORS = re.compile(r"[\s、，,]+")
HAS_CJK = re.compile(CJK)
# 本报讯（记者 A 通讯员 B）, 本报青禾讯, 本报3月5日讯: the lead of a news item.
DATELINE = re.compile(
    r"^(?P<lead>本报(?:[^\s（(）)，。]{1,8})?讯"
    r"(?:\s*[（(](?P<inside>[^（()）]{1,60})[）)])?)\s*(?P<rest>.*)$"
)
EDITOR_NOTE = re.compile(r"^[【\[]?编者按[】\]]?\s*[：:]?")

# Captions: 图为… or 上图/下图/左图…, or a credit line ending in 摄.
CAPTION_START = re.compile(r"^(?:图为|图片为|[上下左右中]图[：:]?|图[：:])")
CREDIT = re.compile(
    rf"(?:^|(?<=[\s。！？）)”]))(?P<label>(?:本报)?(?:特约|见习)?(?:记者|通讯员)?)\s*"
    rf"(?P<names>(?:{CJK}|[·•]){{2,8}}(?:[\s、]+(?:{CJK}|[·•]){{1,8}})*?)\s*摄\s*[）)]?$"
)
MAX_CAPTION = 150
MAX_CREDIT = 30

# Page furniture: a dated page header, a staff line, a jump note.
DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
PAGE_NUMBER = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版")
STAFF = re.compile(r"^(?:责任编辑|责编|编辑|美编|美术编辑|校对|审核|审校|组版|版式)\s*[：:]")
# A brief's title opens with the county, town or city that acts (云岭县召开…, 石桥镇举办…)
# and its paragraph with when it happened (7月12日，近日，). Villages are left out: a town
# profile's subheads often open with one of its villages (果香村…).
BRIEF_ACTOR = re.compile(r"^[\u3400-\u9fff]{1,8}?(?:市|县|区|镇|乡|街道)")
NEWS_TIME = re.compile(
    r"^(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*日|近日|日前|近期|连日来|本周|上周)"
    r"(?:[上下]午|晚)?[，,]"
)
# A jump note that opens the paragraph it continues: （上接第1版）全镇上下….
JUMP_PREFIX = re.compile(
    r"^[（(]\s*(?:上接|接|紧接|续)\s*(?:第\s*)?[0-9０-９一二三四五六七八九十A-Z]{1,3}\s*版"
    r"[^（()）]{0,10}[）)]"
)
JUMP = re.compile(
    r"^[（(]\s*(?:下转|上接|转|接|紧接|续)\s*(?:第\s*)?[0-9０-９一二三四五六七八九十A-Z]{1,3}\s*版"
    r"[^（()）]{0,10}[）)]$"
)

# Punctuation that only occurs inside sentences (or ends them): a line holding
# any of it is prose, never a subhead or kicker.
SENTENCE_PUNCTUATION = frozenset("，。；！？、,;!?：:…")
# A kicker with a date, a page number or newspaper furniture words is a page header
# (``2021年8月5日 第3版 县区新闻``, ``A3``), not a kicker; other digits are a
# kicker's own (``聚焦2021 乡村振兴进行时``).
PAGE_HEADER = re.compile(
    r"\d{4}\s*[年.\-/]|\d{1,2}\s*月|第.{1,3}版|^[A-Z]?\d{1,2}$|日报|晚报|周刊|编辑|责编|美编|校对|星期"
)

FINAL = frozenset("。！？；!?;…．")
CLOSERS = "”’」』）)》】〕\"'"
OPENERS = "（(【〔["
SUBTITLE_DASHES = ("——", "—", "--")
# A numbered subhead: 一、… （二）… 3.… (not 3.5, a number).
ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十0-9]{1,3}[）)]"
    r"|[0-9]{1,2}[、.．](?![0-9]))\s*"
)


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
    if not text or is_bracketed(text):
        return True
    core = text.rstrip(CLOSERS)
    if not core:
        return False
    last = core[-1]
    if last in FINAL:
        return True
    # An ASCII full stop ends a sentence after Chinese, not inside a number ("3.").
    return last == "." and len(core) > 1 and not core[-2].isascii()


# Fields that hold the page's characters as printed; the others (county, town, title,
# subtitle, reporters, ...) are parsed views of them and are not counted again.
def parse_headline(line: str) -> dict[str, str] | None:
    if len(line) > MAX_HEADLINE:
        return None
    match = HEADLINE.match(line)
    if match is None:
        return None
    title = match["title"].strip()
    if TITLE_FORBIDDEN.search(title):
        return None
    return {"county": match["county"], "town": match["town"], "title": title}


def parse_byline(line: str) -> dict[str, list[str]] | None:
    if len(line) > MAX_BYLINE:
        return None
    parts = BYLINE_LABEL.split(BYLINE_VERB.sub("", line))
    # parts = [before, label, names, label, names, ...]; a byline starts with a label.
    if parts[0].strip():
        return None
    reporters: list[str] = []
    correspondents: list[str] = []
    for label, names_text in zip(parts[1::2], parts[2::2], strict=True):
        names = merge_padded_names([name for name in NAME_SEPARATORS.split(names_text) if name])
        if not all(NAME.match(name) for name in names):
            return None
        (reporters if label in REPORTER_LABELS else correspondents).extend(names)
    if not reporters and not correspondents:
        return None
    return {"reporters": reporters, "correspondents": correspondents}


def merge_padded_names(tokens: list[str]) -> list[str]:
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


def is_heading_shaped(line: str, max_length: int) -> bool:
    """Short, with Chinese in it, no sentence punctuation, and not a bracketed note."""
    return (
        len(line) <= max_length
        and HAS_CJK.search(line) is not None
        and not SENTENCE_PUNCTUATION.intersection(line)
        and not line.startswith(tuple(OPENERS))
    )


def is_apart(line: str) -> bool:
    """Furniture, a caption, a byline or an editor's note: never a paragraph or heading."""
    return (
        is_furniture(line)
        or caption_names(line) is not None
        or parse_byline(line) is not None
        or is_editor_note(line)
    )


def enumerated(line: str) -> str | None:
    """The subhead after an enumerator (一、 （二） 3.), or None without one."""
    match = ENUMERATOR.match(line)
    return line[match.end() :] if match and match.end() < len(line) else None


def is_subhead(line: str) -> bool:
    # 一、强化党建引领: the enumerator's 、 is no sentence punctuation.
    core = enumerated(line)
    return (
        is_heading_shaped(line if core is None else core, MAX_SUBHEAD)
        and parse_headline(line) is None
        and not is_apart(line)
    )


def is_kicker_line(line: str) -> bool:
    return (
        is_heading_shaped(line, MAX_KICKER)
        and not PAGE_HEADER.search(line)
        and parse_headline(line) is None
        and not is_apart(line)
    )


def is_two_phrase(line: str) -> bool:
    # 对仗 subheads print two phrases apart (治水先行 沿湖变清了); running text cut by a
    # column break has no such gap.
    return re.search(rf"{CJK}[”’」』》]?\s+[“‘「『《]?{CJK}", line) is not None


def is_bracketed(text: str) -> bool:
    # Editorial notes such as （完） or （下转第3版） close a paragraph of their own.
    return len(text) >= 2 and text[0] in OPENERS and text[-1] in CLOSERS


def is_furniture(line: str) -> bool:
    if len(line) > MAX_FURNITURE:
        return False
    if STAFF.match(line) or JUMP.match(line):
        return True
    # A page header: a page number, or a date with its weekday, and no sentence.
    if FINAL.intersection(line) or "，" in line:
        return False
    return PAGE_NUMBER.search(line) is not None or (
        DATE.search(line) is not None and "星期" in line
    )


def is_editor_note(line: str) -> bool:
    return EDITOR_NOTE.match(line) is not None


def credit_names(credit: str) -> list[str] | None:
    names = merge_padded_names(
        [name for name in NAME_SEPARATORS.split(BYLINE_LABEL.sub(" ", credit)) if name]
    )
    return names if names and all(NAME.match(name) for name in names) else None


def caption_names(line: str) -> list[str] | None:
    """The photographers of a caption or credit line (possibly none), or None for other lines."""
    if len(line) > MAX_CAPTION:
        return None
    # A credit may stand in brackets of its own: （本报记者 A 摄）.
    inner = line[1:-1].strip() if is_bracketed(line) else line
    match = CREDIT.search(inner)
    names = credit_names(match["names"]) if match else None
    if CAPTION_START.match(line):
        return names or []
    if match is None or names is None:
        return None
    before = inner[: match.start()].rstrip()
    # A bare credit (记者 A 摄), or a caption sentence closed before its credit.
    if (not before and len(line) <= MAX_CREDIT) or (before and before[-1] in "。！？”"):
        return names
    return None


def dateline(line: str) -> tuple[str, str, dict[str, list[str]] | None] | None:
    """``(lead, rest, byline)`` of a ``本报讯（记者 A）…`` paragraph, else None."""
    match = DATELINE.match(line)
    if match is None:
        return None
    inside = match["inside"]
    return match["lead"], match["rest"], parse_byline(inside) if inside else None


def is_lead(line: str) -> bool:
    """A byline, or a paragraph opening with a 本报讯 lead: what follows a headline."""
    return parse_byline(line) is not None or DATELINE.match(line) is not None


def may_continue_title(line: str) -> bool:
    return (
        is_heading_shaped(line, MAX_SUBHEAD)
        and not line.startswith(SUBTITLE_DASHES)
        and parse_headline(line) is None
        and not is_apart(line)
    )
