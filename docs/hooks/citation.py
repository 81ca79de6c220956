"""mkdocs hook: the BibTeX entry of ``docs/cite.md``, generated from ``CITATION.cff``.

The page holds the marker ``<!-- tifa-bibtex -->``; this hook replaces it with a
``@software`` entry built from the title, authors, version, release date, licence and
URL (when given) of ``CITATION.cff``, so the citation is kept in one file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- tifa-bibtex -->"
PAGE = "cite.md"


def _author(person: dict[str, Any]) -> str:
    if "name" in person:  # an entity: braces keep BibTeX from splitting the name
        return "{" + str(person["name"]) + "}"
    given, family = person.get("given-names", ""), person.get("family-names", "")
    return f"{family}, {given}".strip(", ")


def bibtex(cff: dict[str, Any]) -> str:
    """A BibTeX ``@software`` entry for the citation ``cff`` (a parsed CITATION.cff)."""
    fields = {
        "author": " and ".join(_author(p) for p in cff.get("authors", [])),
        "title": "{" + str(cff["title"]) + "}",
        "version": cff.get("version"),
        "year": str(cff["date-released"])[:4] if cff.get("date-released") else None,
        "license": cff.get("license"),
        "url": cff.get("repository-code") or cff.get("url"),
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    return "@software{tifa_toolkit,\n" + body + "\n}"


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise RuntimeError(f"{PAGE} lost its marker {MARKER}; the BibTeX entry goes there")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return markdown.replace(MARKER, "```bibtex\n" + bibtex(cff) + "\n```")
