"""Convert the markdown files of the lawtext/gov collection into report Documents.

The upstream repository (https://github.com/lawtext/gov) keeps one markdown
file per report: ``政府工作报告-国务院/<year>.md``, ``政府工作报告-省自治区/<province>/<year>.md``,
``政府工作报告-主要城市/<city>/<year>.md``, ``政府工作报告-其他地市/<city>/<year>.md``,
``五年规划/<year>-<name>.md`` and ``国务院机构改革/<year>.md``. A file may open
with a front matter block (``---`` lines around ``source:`` and ``title:``)
before its body. The Documents carry the docvars :func:`read_gov_reports`
expects (``level``, ``gov_level``, ``province``, ``city``, ``year`` ...).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.corpus import Document

__all__ = [
    "LAWTEXT_FOLDERS",
    "iter_lawtext_archive",
    "lawtext_report",
    "markdown_text",
    "split_front_matter",
]

#: upstream top folder -> (level, gov_level); files under other folders are skipped.
LAWTEXT_FOLDERS: dict[str, tuple[str, str]] = {
    "政府工作报告-国务院": ("national", "central"),
    "政府工作报告-省自治区": ("provincial", "province"),
    "政府工作报告-主要城市": ("major_city", "prefecture"),
    "政府工作报告-其他地市": ("other_prefecture", "prefecture"),
    "五年规划": ("five_year_plan", "central"),
    "国务院机构改革": ("state_council_restructuring_plan", "central"),
}

_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_NATIONAL_ADCODE = "000000000000"
_DELIVERED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[，,]?在(.+?会议上)")
_SPEAKER = re.compile(
    r"(?:总理|省长|市长|主席|州长|盟长)[\s\u3000]+([\u4e00-\u9fff][\u4e00-\u9fff\s\u3000]{0,6})$"
)


def split_front_matter(markdown: str) -> tuple[dict[str, Any], str]:
    """Split a markdown file into its front matter and its body.

    Only the subset of YAML the collection uses is read: ``key: value`` lines,
    and ``key:`` followed by ``- item`` lines (a list).

    Parameters
    ----------
    markdown : str
        The whole file.

    Returns
    -------
    (dict, str)
        The front matter (empty when the file has none) and the body after it.
    """
    lines = markdown.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, markdown
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return {}, markdown
    meta: dict[str, Any] = {}
    key: str | None = None
    for line in lines[1:end]:
        item = re.match(r"\s*-\s+(.*)$", line)
        if item and key is not None:
            current = meta.get(key)
            meta[key] = [*(current if isinstance(current, list) else []), item.group(1).strip()]
            continue
        pair = re.match(r"([A-Za-z_][\w-]*):\s*(.*)$", line)
        if pair:
            key, value = pair.group(1), pair.group(2).strip()
            meta[key] = value if value else None
    return meta, "\n".join(lines[end + 1 :])


def markdown_text(body: str) -> str:
    """Plain text of a markdown body: one paragraph per line, markup removed.

    Drops HTML comments, ``<details>`` blocks (tables of contents), images and
    footnote markers; strips heading, emphasis and quote markers; removes blank lines.
    """
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"<details>.*?</details>", "", body, flags=re.S)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    body = re.sub(r"\[\^[^\]]+\](?!:)", "", body)
    paragraphs = []
    for raw in body.splitlines():
        line = raw.strip()
        if re.match(r"\[\^[^\]]+\]:", line):
            continue
        line = re.sub(r"^#{1,6}\s*", "", line)
        line = re.sub(r"^(>\s*)+", "", line)
        line = re.sub(r"</?[A-Za-z][^>]*>", "", line)
        line = line.replace("**", "").strip()
        if line:
            paragraphs.append(line)
    return "\n".join(paragraphs)


def _delivery(text: str) -> tuple[str | None, str | None, str | None]:
    head = text.split("\n")[:6]
    date = place = speaker = None
    for line in head:
        found = _DELIVERED.search(line)
        if found and date is None:
            y, m, d, place = found.groups()
            date = f"{y}-{int(m):02d}-{int(d):02d}"
        who = _SPEAKER.search(line)
        if who and speaker is None:
            speaker = re.sub(r"[\s\u3000]", "", who.group(1))
    return date, place, speaker


def lawtext_report(repo_path: str, markdown: str) -> Document | None:
    """One report Document from an upstream file, or ``None`` for a file that is not one.

    Parameters
    ----------
    repo_path : str
        The file's path inside the repository, e.g. ``政府工作报告-省自治区/辽宁省/2005.md``.
    markdown : str
        The file's content.

    Returns
    -------
    Document or None
        ``doc_id`` is ``<level>/<region>/<file tag>`` (e.g. ``provincial/辽宁省/2005``).
        ``province`` of a city outside the four municipalities, and the adcodes
        below the national level, are ``None``: the upstream files do not say them.
    """
    parts = repo_path.split("/")
    if not repo_path.endswith(".md") or parts[0] not in LAWTEXT_FOLDERS:
        return None
    level, gov_level = LAWTEXT_FOLDERS[parts[0]]
    file_tag = parts[-1][: -len(".md")]
    year_match = re.match(r"\d{4}", file_tag)
    if (
        year_match is None
        or len(parts) not in (2, 3)
        or (len(parts) == 3) != (level in ("provincial", "major_city", "other_prefecture"))
    ):
        return None
    province: str | None = "全国"
    city: str | None = None
    if level == "provincial":
        province = parts[1]
    elif len(parts) == 3:
        city = parts[1]
        province = city if city in _MUNICIPALITIES else None
        if city in _MUNICIPALITIES:
            gov_level = "province (municipality)"
    front, body = split_front_matter(markdown)
    text = markdown_text(body)
    date, place, speaker = _delivery(text)
    source = front.get("source")
    region = city or province
    meta: dict[str, Any] = {
        "level": level,
        "gov_level": gov_level,
        "province": province,
        "province_adcode": _NATIONAL_ADCODE if province == "全国" else None,
        "city": city,
        "city_adcode": None,
        "year": int(year_match.group()),
        "file_tag": file_tag,
        "title": front.get("title"),
        "delivered_date": date,
        "delivered_at": place,
        "speaker": speaker,
        "source_url": source[0] if isinstance(source, list) else source,
        "repo_path": repo_path,
        "n_chars": len(text),
    }
    return Document(f"{level}/{region}/{file_tag}", text, meta)


def iter_lawtext_archive(path: str | Path) -> Iterator[Document]:
    """Report Documents from a zip of the repository (GitHub's ``archive/<commit>.zip``).

    Parameters
    ----------
    path : str or Path
        The zip. Its members sit under one top folder (``gov-<commit>/``), which is dropped.

    Yields
    ------
    Document
        One per report file, in the order of their repository paths.
    """
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".md") and "/" in n)
        for name in names:
            repo_path = name.split("/", 1)[1]
            markdown = archive.read(name).decode("utf-8")
            doc = lawtext_report(repo_path, markdown)
            if doc is not None:
                yield doc
