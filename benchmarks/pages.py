"""Newspaper page parsing: constructed pages parse as written, and no page loses text.

1. Every constructed page under ``tests/ingest/data/pages`` (the project's own
   text, one layout class each: broken headlines, column breaks, glued bylines,
   datelines, editor's notes, subtitles, captions, furniture, briefs, stacked
   and orphan kickers) is parsed with :func:`toolkit.ingest.parse_page` and
   compared, article by article and field by field, with the parse written by
   hand beside it (``pNN_*.json``).
2. The lossless-parse invariant (:func:`toolkit.ingest.newspaper.lossless_violation`)
   on every page: the constructed ones, the two sample pages in
   ``corpora/sample/pages`` and the seed page of ``--shared``.

Target (issue 13): all pages parse as expected; the invariant holds on all.
``python -m benchmarks.pages``; part of ``python -m benchmarks``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.cli import shared_data, suite_parser, write_json

REPO = Path(__file__).resolve().parents[1]
CONSTRUCTED = sorted((REPO / "tests" / "ingest" / "data" / "pages").glob("p*.txt"))
SAMPLE = sorted((REPO / "corpora" / "sample" / "pages").glob("*.txt"))
SEED = Path("seeds") / "000_06ec6037ffd34e66.txt"
# The fields the hand-written parses give; a list field they leave out must be empty.
_FIELDS = ("title", "county", "town", "headline", "kicker", "subtitle", "byline")
_FIELDS += ("editor_note", "preamble")
_LISTS = ("reporters", "correspondents", "photographers", "captions", "furniture")


def _differences(expected: list[dict[str, Any]], docs: list[Any]) -> list[str]:
    """What the parse gets wrong, field by field (empty when it is right)."""
    if len(docs) != len(expected):
        return [f"{len(docs)} articles (expected {len(expected)})"]
    wrong = []
    for i, (want, doc) in enumerate(zip(expected, docs, strict=True), 1):
        meta = doc.meta
        for key in _FIELDS:
            if want.get(key) != meta.get(key):
                wrong.append(f"article {i} {key}: {meta.get(key)!r} (expected {want.get(key)!r})")
        for key in _LISTS:
            if list(want.get(key, [])) != list(meta.get(key, [])):
                wrong.append(f"article {i} {key}: {meta.get(key)!r}")
        sections = [[s["title"], list(s["paragraphs"])] for s in meta.get("sections", [])]
        if sections != want["sections"]:
            wrong.append(f"article {i} sections differ")
    return wrong


def main(shared: Path | None) -> dict[str, Any]:
    from toolkit.ingest import parse_page, read_text_file
    from toolkit.ingest.newspaper import lossless_violation

    constructed: dict[str, list[str]] = {}
    for page in CONSTRUCTED:
        expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["articles"]
        docs = parse_page(page.read_text(encoding="utf-8"), source=str(page))
        constructed[page.stem] = _differences(expected, docs)
    right = [name for name, wrong in constructed.items() if not wrong]
    print(f"  constructed pages parsed as written by hand: {len(right)} / {len(constructed)}")
    for name, wrong in constructed.items():
        for line in wrong[:5]:
            print(f"    {name}: {line}")

    pages = [*CONSTRUCTED, *SAMPLE]
    if shared is not None and (shared / SEED).is_file():
        pages.append(shared / SEED)
    else:
        print(f"  (seed page not found under {shared}; the invariant is checked without it)")
    violations: dict[str, str] = {}
    for page in pages:
        text, _ = read_text_file(page)
        reason = lossless_violation(text, parse_page(text, source=str(page)))
        if reason is not None:
            violations[page.name] = reason
    print(f"  lossless parse: {len(pages) - len(violations)} / {len(pages)} pages")
    for name, reason in violations.items():
        print(f"    {name}: {reason}")
    met = len(right) == len(constructed) and not violations
    print(f"  target: every page parsed as expected and lossless: {'met' if met else 'NOT met'}")
    return {
        "constructed": {"pages": len(constructed), "right": len(right), "wrong": constructed},
        "lossless": {"pages": len(pages), "violations": violations},
        "met": met,
    }


def _cli(argv: list[str] | None = None) -> int:
    parser = suite_parser("python -m benchmarks.pages", __doc__.split("\n\n")[0])
    args = parser.parse_args(argv)
    result = main(shared_data(args))
    write_json(args, result)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(_cli())
