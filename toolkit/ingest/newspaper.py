"""Split the text of a county-newspaper page into one Document per article.

A page extracted from a newspaper PDF or website is a run of paragraphs separated
by blank lines. Its furniture is recognised by shape, not by position alone:

- **headline**: ``<county ending 县/区/市><town ending 镇/乡/街道>：<title>`` on a
  short line of its own (full-width or ASCII colon);
- **kicker**: a short, punctuation-free line directly above a headline (e.g.
  ``共建 共治 共享``); it belongs to the article below it;
- **byline**: ``本报记者 A 本报通讯员 B C`` right after the headline (a
  ``——`` subtitle may come between);
- **subhead**: a short line without sentence punctuation inside an article; it
  opens a section;
- **body**: everything else.

Page layout breaks words across columns, which leaves a paragraph ending
mid-word (``…按时间节点投`` / ``产运营。``). Such a paragraph is joined to the
next body paragraph without a separator, and the joins are counted in
``meta["repairs"]``. Nothing is normalised here (ASCII commas stay): that is
:mod:`toolkit.normalize`'s job.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from toolkit.corpus.document import Document

__all__ = ["is_complete_paragraph", "lossless_violation", "page_fields", "parse_page"]

# Lines longer than these are prose, whatever their shape.
_MAX_HEADLINE = 40
_MAX_SUBHEAD = 30
_MAX_KICKER = 20
_MAX_BYLINE = 60

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
_REPORTER_LABELS = ("本报特约记者", "本报见习记者", "本报记者", "特约记者", "见习记者", "记者")
_CORRESPONDENT_LABELS = ("本报特约通讯员", "本报通讯员", "特约通讯员", "通讯员")
_BYLINE_LABEL = re.compile(
    "(" + "|".join(sorted(_REPORTER_LABELS + _CORRESPONDENT_LABELS, key=len, reverse=True)) + ")"
)
_NAME = re.compile(rf"^(?:{_CJK}|[·•]){{2,8}}$")
_NAME_SEPARATORS = re.compile(r"[\s、，,]+")
_HAS_CJK = re.compile(_CJK)

# Punctuation that only occurs inside sentences (or ends them): a line holding
# any of it is prose, never a subhead or kicker.
_SENTENCE_PUNCTUATION = frozenset("，。；！？、,;!?：:…")
# A kicker with digits or newspaper furniture words is a page header
# (``2021年8月5日 第3版 县区新闻``), not a kicker.
_PAGE_HEADER = re.compile(r"\d|第.{1,3}版|日报|晚报|周刊|编辑|责编|美编|校对|星期")

_FINAL = frozenset("。！？；!?;…．")
_CLOSERS = "”’」』）)》】〕\"'"
_OPENERS = "（(【〔["
_SUBTITLE_DASHES = ("——", "—", "--")


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
        kicker, byline and subheads are not in ``text``; ``meta`` holds them:

        - ``county``, ``town``, ``title``: from the headline;
        - ``reporters``, ``correspondents``: lists of names (empty without a
          byline); ``byline``: the byline line as printed, when present;
        - ``headline``: the headline as printed;
        - ``kicker`` and ``subtitle``: only when present; ``subtitle_line``: the
          subtitle as printed (with its dashes);
        - ``sections``: list of ``{"title": str | None, "paragraphs": list[str]}``;
          paragraphs before the first subhead form a section titled ``None``;
        - ``truncated``: the article's last line ends without sentence-final
          punctuation (for the last article: the page cuts it off);
        - ``repairs``: number of column-break joins;
        - ``layout`` (``"newspaper"``), ``source``, ``article_index`` (from 1)
          and ``line`` (1-based line of the headline in ``text``);
        - ``preamble`` (first article only, when present): lines above the first
          headline that are not its kicker, e.g. a page header, joined by
          ``"\\n"``.

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

    heads = [i for i, (_, line) in enumerate(lines) if _parse_headline(line) is not None]
    if not heads:
        return [_unparsed(lines, source, prefix)]

    kickers: list[int | None] = []
    for j, head in enumerate(heads):
        # A kicker can only come after the previous headline, never be that headline.
        floor = heads[j - 1] + 1 if j else 0
        candidate = head - 1
        kickers.append(
            candidate if candidate >= floor and _is_kicker(lines, candidate, floor) else None
        )
    starts = [kick if kick is not None else head for kick, head in zip(kickers, heads, strict=True)]

    documents = []
    for j, head in enumerate(heads):
        end = starts[j + 1] if j + 1 < len(heads) else len(lines)
        meta = _article_meta(lines, head, end, kickers[j])
        meta["source"] = source
        meta["article_index"] = j + 1
        if j == 0 and starts[0] > 0:
            meta["preamble"] = "\n".join(line for _, line in lines[: starts[0]])
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
    parts = _BYLINE_LABEL.split(line)
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


def _is_subhead(line: str) -> bool:
    return (
        _is_heading_shaped(line, _MAX_SUBHEAD)
        and _parse_headline(line) is None
        and _parse_byline(line) is None
    )


def _is_kicker(lines: list[tuple[int, str]], index: int, floor: int) -> bool:
    line = lines[index][1]
    if not _is_heading_shaped(line, _MAX_KICKER) or _PAGE_HEADER.search(line):
        return False
    if _parse_byline(line) is not None:
        return False
    if index - 1 >= floor:
        previous = lines[index - 1][1]
        # After a paragraph cut mid-word the short line is its continuation.
        if not _is_heading_shaped(previous, _MAX_SUBHEAD) and not is_complete_paragraph(previous):
            return False
    return True


def _is_bracketed(text: str) -> bool:
    # Editorial notes such as （完） or （下转第3版） close a paragraph of their own.
    return len(text) >= 2 and text[0] in _OPENERS and text[-1] in _CLOSERS


def _article_meta(
    lines: list[tuple[int, str]], head: int, end: int, kicker: int | None
) -> dict[str, Any]:
    line_number, headline = lines[head]
    parsed = _parse_headline(headline)
    assert parsed is not None  # heads were selected by _parse_headline
    meta: dict[str, Any] = {**parsed, "headline": headline}
    if kicker is not None:
        meta["kicker"] = lines[kicker][1]

    index = head + 1
    subtitle: str | None = None
    subtitle_line: str | None = None
    byline: dict[str, list[str]] | None = None
    byline_text: str | None = None
    # Subtitle and byline sit right under the headline, in either order.
    while index < end:
        line = lines[index][1]
        if subtitle is None and line.startswith(_SUBTITLE_DASHES) and len(line) <= _MAX_HEADLINE:
            subtitle, subtitle_line = line.lstrip("—-").strip(), line
        elif byline is None and (parsed_byline := _parse_byline(line)) is not None:
            byline, byline_text = parsed_byline, line
        else:
            break
        index += 1
    if subtitle is not None:
        meta["subtitle"] = subtitle
        meta["subtitle_line"] = subtitle_line
    meta["reporters"] = byline["reporters"] if byline else []
    meta["correspondents"] = byline["correspondents"] if byline else []
    if byline_text is not None:
        meta["byline"] = byline_text

    sections: list[dict[str, Any]] = [{"title": None, "paragraphs": []}]
    repairs = 0
    for _, line in lines[index:end]:
        if _is_subhead(line):
            sections.append({"title": line, "paragraphs": []})
            continue
        paragraphs = sections[-1]["paragraphs"]
        if paragraphs and not is_complete_paragraph(paragraphs[-1]) and not _is_bracketed(line):
            # A word broken across columns: rejoin without a separator.
            paragraphs[-1] += line
            repairs += 1
        else:
            paragraphs.append(line)
    if not sections[0]["paragraphs"]:
        sections.pop(0)

    last_line = lines[end - 1][1]
    meta.update(
        sections=sections,
        truncated=not is_complete_paragraph(last_line),
        repairs=repairs,
        layout="newspaper",
        line=line_number,
    )
    return meta


def _unparsed(lines: list[tuple[int, str]], source: str, prefix: str) -> Document:
    meta = {
        "layout": "unparsed",
        "source": source,
        "truncated": not is_complete_paragraph(lines[-1][1]),
    }
    return Document(f"{prefix}-01", "\n".join(line for _, line in lines), meta)
