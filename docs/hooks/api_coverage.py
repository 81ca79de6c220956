"""mkdocs hook: the API reference shows every public name, or the build fails.

Each page of ``reference/api/`` renders subpackages with ``::: toolkit.xxx``
directives. mkdocstrings leaves out, without a word, a name it cannot resolve or
that has no docstring (``toolkit.terms.kwic`` is both a function and the module
that holds it). This hook checks the built pages: every name in the ``__all__``
of every module a directive renders must have its anchor on that page (as
``toolkit.xxx.name`` or, rendered from its own module, ``toolkit.xxx.….name``),
and every public subpackage of ``toolkit`` but ``cli`` (the CLI reference is
generated from its parser) must be rendered on some page. A gap is logged as a
warning, which ``mkdocs build --strict`` turns into a failed build.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from typing import Any

log = logging.getLogger("mkdocs.hooks.api_coverage")

DIRECTIVE = re.compile(r"^:::\s+(toolkit(?:\.\w+)*)\s*$", re.MULTILINE)
ANCHOR = re.compile(r'id="(toolkit(?:\.\w+)+)"')
# Documented elsewhere: the CLI by its generated reference.
NOT_IN_API = {"toolkit.cli"}

_rendered: dict[str, list[str]] = {}


def on_pre_build(config: Any, **kwargs: Any) -> None:
    _rendered.clear()


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri.startswith("reference/"):
        _rendered[page.file.src_uri] = DIRECTIVE.findall(markdown)
    return markdown


def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    modules = _rendered.get(page.file.src_uri)
    if not modules:
        return output
    anchors = set(ANCHOR.findall(output))
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a directive for one object, such as toolkit.terms.kwic.kwic
            continue
        for public in getattr(module, "__all__", []):
            if f"{name}.{public}" in anchors:
                continue
            if any(a.startswith(f"{name}.") and a.endswith(f".{public}") for a in anchors):
                continue
            log.warning(
                "%s: %s.%s is in __all__ but not rendered; add a docstring (a `#:` comment "
                "for a constant) or render it from its own module with ::: on this page",
                page.file.src_uri,
                name,
                public,
            )
    return output


def on_post_build(config: Any, **kwargs: Any) -> None:
    import toolkit

    rendered = {name for names in _rendered.values() for name in names}
    for info in pkgutil.iter_modules(toolkit.__path__, "toolkit."):
        if not info.ispkg or info.name.rsplit(".", 1)[1].startswith("_"):
            continue
        if info.name in NOT_IN_API or info.name in rendered:
            continue
        module = importlib.import_module(info.name)
        if getattr(module, "__all__", None):
            log.warning(
                "%s has a public __all__ but no page of the API reference renders it "
                "(add ::: %s to a page of docs/reference/api/)",
                info.name,
                info.name,
            )
