"""Split the text of a county-newspaper page into one Document per article.

A page extracted from a newspaper PDF or website is a run of paragraphs separated
by blank lines. Its parts are recognised by shape, not by position alone:

- **headline**: ``<county ending 县/区/市><town ending 镇/乡/街道>：<title>`` on a
  short line of its own (full-width or ASCII colon); or, for ordinary news items,
  any short line without sentence punctuation directly above a byline or a
  ``本报讯`` lead; for briefs (短讯), a title that opens with the place that acts
  (``云岭县召开防汛工作会议``) over a paragraph that opens with its date (``7月12日，``,
  ``近日，``). A headline broken across columns is rejoined when the next
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
- **continuation**: body paragraphs above the first headline end an article begun
  on another page (``（上接第1版）全镇上下…``); they make an article of their own;
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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from toolkit._validation import check_flag
from toolkit.corpus.document import Document
from toolkit.ingest._column_joins import continues
from toolkit.ingest._page_lines import (
    BRIEF_ACTOR,
    JUMP,
    JUMP_PREFIX,
    MAX_HEADLINE,
    MAX_SUBHEAD,
    NEWS_TIME,
    SUBTITLE_DASHES,
    caption_names,
    dateline,
    enumerated,
    is_apart,
    is_bracketed,
    is_complete_paragraph,
    is_editor_note,
    is_furniture,
    is_heading_shaped,
    is_kicker_line,
    is_lead,
    is_subhead,
    is_two_phrase,
    may_continue_title,
    parse_byline,
    parse_headline,
)
from toolkit.ingest.headings import headed_text

__all__ = ["is_complete_paragraph", "lossless_violation", "page_fields", "parse_page"]

_MAX_KICKERS = 3


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

        Body paragraphs above the first headline (the end of an article continued
        from another page) come first, as ``f"{prefix}-00"``: no title,
        ``continued`` true, its jump note in ``furniture``.

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
    if not isinstance(source, (str, PurePath)):
        raise TypeError(f"source must be a str or a path (got {source!r})")
    check_flag("headings", headings)
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
    continued = _continuation(texts, heads[0].start)
    if continued is not None:
        kept, meta = continued
        meta.update(line=lines[0][0], source=source, article_index=0)
        body = "\n".join(meta["sections"][0]["paragraphs"])
        documents.append(Document(f"{prefix}-00", body, meta))
    else:
        kept = list(range(heads[0].start))
    for j, head in enumerate(heads):
        end = heads[j + 1].start if j + 1 < len(heads) else len(texts)
        meta = _article_meta(texts, head, end)
        meta["line"] = lines[head.index][0]
        meta["source"] = source
        meta["article_index"] = j + 1
        if j == 0 and kept:
            meta["preamble"] = "\n".join(texts[i] for i in kept)
        if headings:
            body = headed_text(meta) or ""
        else:
            body = "\n".join(p for section in meta["sections"] for p in section["paragraphs"])
        documents.append(Document(f"{prefix}-{j + 1:02d}", body, meta))
    return documents


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


def _headline_end(texts: list[str], index: int, title: str) -> tuple[int, str]:
    """Where a headline ends, and its title rejoined when columns broke it."""
    end = index + 1
    if end < len(texts) and may_continue_title(texts[end]):
        nxt = texts[end]
        # The line between a headline and its byline is the headline's end.
        before_lead = end + 1 < len(texts) and is_lead(texts[end + 1])
        if before_lead or continues(title, nxt):
            return end + 1, title + nxt
    return end, title


def _zone_end(texts: list[str], index: int) -> int:
    """Skip the subtitle and byline lines under a headline."""
    seen_subtitle = seen_byline = False
    while index < len(texts):
        line = texts[index]
        if not seen_subtitle and line.startswith(SUBTITLE_DASHES) and len(line) <= MAX_HEADLINE:
            seen_subtitle = True
        elif not seen_byline and parse_byline(line) is not None:
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
        if i in taken or (parsed := parse_headline(line)) is None:
            continue
        end, title = _headline_end(texts, i, parsed["title"])
        heads[i] = _Head(i, end, {**parsed, "title": title})
        taken.update(range(i, _zone_end(texts, end)))
    # 2. Ordinary news items: a heading-shaped line (or two, broken) over a byline or a
    # 本报讯 lead, possibly with a subtitle between.
    for b, line in enumerate(texts):
        if b in taken or not is_lead(line):
            continue
        h = b - 1
        if h >= 0 and texts[h].startswith(SUBTITLE_DASHES):
            h -= 1
        if h < 0 or h in taken or not may_continue_title(texts[h]):
            continue
        first = h
        if (
            h - 1 >= 0
            and h - 1 not in taken
            and may_continue_title(texts[h - 1])
            and continues(texts[h - 1], texts[h])
        ):
            first = h - 1
        title = "".join(texts[first : h + 1])
        heads[first] = _Head(first, h + 1, {"title": title})
        taken.update(range(first, _zone_end(texts, h + 1)))
    # 3. Briefs (短讯): no byline, but a title that names its actor (云岭县召开防汛
    # 工作会议) over a paragraph that opens with when it happened (7月12日，近日，).
    # A town report's subheads are slogans, and never open with a place.
    for h in range(len(texts) - 1):
        line = texts[h]
        if (
            h in taken
            or h + 1 in taken
            or not may_continue_title(line)
            or is_two_phrase(line)
            or not BRIEF_ACTOR.match(line)
            or not NEWS_TIME.match(texts[h + 1])
        ):
            continue
        heads[h] = _Head(h, h + 1, {"title": line})
        taken.add(h)
    return [heads[i] for i in sorted(heads)]


def _attach_kickers_and_note(texts: list[str], head: _Head, floor: int) -> None:
    kickers: list[int] = []
    k = head.index - 1
    while k >= floor and len(kickers) < _MAX_KICKERS and is_kicker_line(texts[k]):
        kickers.insert(0, k)
        k -= 1
    # After a paragraph cut mid-word the short line is its continuation, not a kicker.
    while kickers:
        above = kickers[0] - 1
        line = texts[above] if above >= floor else ""
        if (
            line
            and not is_heading_shaped(line, MAX_SUBHEAD)
            and not is_apart(line)
            and not is_complete_paragraph(line)
        ):
            kickers.pop(0)
            continue
        break
    head.kickers = kickers
    above = (kickers[0] if kickers else head.index) - 1
    if above >= floor and is_editor_note(texts[above]):
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
        complete = is_complete_paragraph(line) or is_bracketed(line)
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
            and line.startswith(SUBTITLE_DASHES)
            and len(line) <= MAX_HEADLINE
        ):
            meta["subtitle"] = line.lstrip("—-").strip()
            meta["subtitle_line"] = line
        elif not bylines and (parsed_byline := parse_byline(line)) is not None:
            add_byline(line, parsed_byline)
        elif is_editor_note(line):
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
                if not is_furniture(texts[k]) and caption_names(texts[k]) is None
            ),
            None,
        )
        if is_furniture(line):
            furniture.append(line)
            continue
        if (names := caption_names(line)) is not None:
            captions.append(line)
            photographers.extend(name for name in names if name not in photographers)
            continue
        if (parsed_byline := parse_byline(line)) is not None:
            add_byline(line, parsed_byline)  # never joined to anything
            continue
        if not body.has_text():
            if is_editor_note(line):
                notes.append(line)
                continue
            if (lead_match := dateline(line)) is not None:
                lead, line, parsed_lead = lead_match
                add_byline(lead, parsed_lead)
                if not line:
                    continue
        open_text = body.open_text()
        if is_subhead(line):
            if is_two_phrase(line) or enumerated(line) is not None:
                body.subhead(line)
            elif open_text is not None and continues(open_text, line):
                body.join(line)
            elif following is not None and not is_apart(following) and continues(line, following):
                body.add(line)  # the first half of a paragraph broken across columns
            else:
                body.subhead(line)
        elif open_text is not None and not is_bracketed(line):
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


def _continuation(texts: list[str], start: int) -> tuple[list[int], dict[str, Any]] | None:
    """The end of an article continued from another page, printed above the first headline.

    ``（上接第1版）全镇上下…``: body paragraphs before the first article belong to
    none of this page's articles. They become an article of their own (``-00``,
    no title, ``continued`` true), with the jump note in its ``furniture``; the
    other lines above the first article (page header, section label) stay the
    first article's ``preamble``. Returns the indexes of those other lines and
    the continuation's meta, or ``None`` when no body paragraph is there.
    """
    body = [
        i
        for i in range(start)
        if not is_furniture(texts[i]) and not is_heading_shaped(texts[i], MAX_SUBHEAD)
    ]
    if not body:
        return None
    # The paragraphs run from the first body line to the last, whatever lies between
    # (a jump note printed on its own line belongs to them).
    first, last = body[0], body[-1]
    while first > 0 and JUMP.match(texts[first - 1]):
        first -= 1  # （上接第1版） on a line of its own, over the paragraphs it continues
    furniture: list[str] = []
    paragraphs: list[str] = []
    for i in range(first, last + 1):
        line = texts[i]
        jump = JUMP_PREFIX.match(line)
        if is_furniture(line):
            furniture.append(line)
        elif jump is not None:
            furniture.append(jump.group())
            paragraphs.append(line[jump.end() :].strip())
        else:
            paragraphs.append(line)
    kept = [i for i in range(start) if not first <= i <= last]
    meta: dict[str, Any] = {
        "title": None,
        "continued": True,
        "reporters": [],
        "correspondents": [],
        "captions": [],
        "photographers": [],
        "furniture": furniture,
        "sections": [{"title": None, "paragraphs": paragraphs}],
        "truncated": not is_complete_paragraph(paragraphs[-1]),
        "repairs": 0,
        "layout": "newspaper",
    }
    return kept, meta


def _unparsed(lines: list[tuple[int, str]], source: str, prefix: str) -> Document:
    meta = {
        "layout": "unparsed",
        "source": source,
        "truncated": not is_complete_paragraph(lines[-1][1]),
    }
    return Document(f"{prefix}-01", "\n".join(line for _, line in lines), meta)
