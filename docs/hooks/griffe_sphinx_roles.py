"""Griffe extension: Sphinx roles in the docstrings become code spans.

The docstrings are numpydoc and cross-reference with Sphinx roles
(``:class:`TermDetector```, ``:func:`~toolkit.ingest.parse_page```), which
mkdocstrings would print as they are. This extension, loaded by mkdocstrings
(``extensions:`` in ``mkdocs.yml``), rewrites each as a code span in the site, as
Sphinx would show it: ``~`` keeps the last component, functions and methods get
``()``. The docstrings in the source are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(class|func|meth|mod|data|attr|obj|exc|const):`(~|!)?([^`]+)`")


def _replace(match: re.Match[str]) -> str:
    role, prefix, target = match.groups()
    shown = target.rsplit(".", 1)[-1] if prefix == "~" else target
    if role in ("func", "meth") and not shown.endswith(")"):
        shown += "()"
    return f"`{shown}`"


def plain_roles(text: str) -> str:
    """``text`` with every Sphinx role written as a code span."""
    return ROLE.sub(_replace, text)


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles as code spans in every docstring of a loaded package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        seen: set[int] = set()
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.docstring is not None:
                obj.docstring.value = plain_roles(obj.docstring.value)
            stack.extend(m for m in obj.members.values() if not m.is_alias)
