"""Every Python example of the README and of the docs pages runs as written.

One case per page (its id is the page's path). The ```python blocks of a page run in
order in one namespace, in a fresh temporary folder that looks like the repository's
root: ``corpora``, ``experiments``, ``notebooks`` and ``benchmarks`` are symlinks to the
checkout's folders, ``../shared`` is a symlink to the shared data when the checkout has
it beside it, and whatever an example writes lands in the temporary folder.

A block whose first line starts with ``>>>`` is a doctest: it runs in the same
namespace and what it prints must be what the page shows.

Markers, on the line just before a fence:

- ``<!-- example: skip (reason) -->`` skips that block; the reason is required;
- ``<!-- example: shared -->`` runs the block only when ``../shared`` exists; without
  it the page's case is skipped from that block on.

Blocks of any other language (```bash, ```text ...) are never run. The convention is
described in CONTRIBUTING.md.
"""

from __future__ import annotations

import doctest
import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The folders an example may read by a path relative to the repository's root.
LINKED = ("corpora", "experiments", "notebooks", "benchmarks")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_MARKER = re.compile(r"^\s*<!--\s*example:(?P<body>.*?)-->\s*$")
_SKIP = re.compile(r"^skip\s*\((?P<reason>.*)\)$", re.S)


@dataclass(frozen=True)
class Block:
    """One fenced Python block of a page.

    Attributes
    ----------
    number : int
        1-based position among the page's Python blocks.
    line : int
        1-based line of the opening fence in the page.
    code : str
        The block's text, dedented by the fence's indentation.
    marker : str or None
        ``"skip"``, ``"shared"`` or ``None``.
    reason : str
        The reason a ``skip`` marker gives.
    """

    number: int
    line: int
    code: str
    marker: str | None = None
    reason: str = ""

    @property
    def first_line(self) -> str:
        """The block's first non-blank line, to name it in a failure."""
        return next((ln.strip() for ln in self.code.splitlines() if ln.strip()), "")

    @property
    def is_doctest(self) -> bool:
        """Whether the block is an interactive session (``>>>`` prompts)."""
        return self.first_line.startswith(">>>")


def pages() -> list[Path]:
    """The README and every Markdown page under docs/, found by a glob.

    Returns
    -------
    list of Path
        README.md first, then the docs pages in sorted order.
    """
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def _parse_marker(line: str, where: str) -> tuple[str, str] | None:
    match = _MARKER.match(line)
    if match is None:
        return None
    body = match["body"].strip()
    if body == "shared":
        return "shared", ""
    skip = _SKIP.match(body)
    if skip is not None and skip["reason"].strip():
        return "skip", skip["reason"].strip()
    raise ValueError(
        f"{where}: marker {line.strip()!r} is not one of "
        "'<!-- example: skip (reason) -->' (with a reason) or '<!-- example: shared -->'"
    )


def python_blocks(text: str, name: str) -> list[Block]:
    """The ```python blocks of a Markdown page, with the marker before each.

    Parameters
    ----------
    text : str
        The page's Markdown.
    name : str
        The page's name, for error messages.

    Returns
    -------
    list of Block
        In page order; blocks of other languages are left out.

    Raises
    ------
    ValueError
        If a marker is malformed (a ``skip`` without a reason, an unknown word), stands
        before something that is not a Python block, or a fence is never closed.
    """
    lines = text.splitlines()
    blocks: list[Block] = []
    pending: tuple[str, str] | None = None
    pending_line = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = _parse_marker(line, f"{name}, line {i + 1}")
        if marker is not None:
            pending, pending_line = marker, i + 1
            i += 1
            continue
        fence = _FENCE.match(line)
        if fence is None:
            if pending is not None:
                raise ValueError(
                    f"{name}, line {pending_line}: an example marker must stand on the "
                    "line just before a ```python fence"
                )
            i += 1
            continue
        indent, opener = fence["indent"], fence["fence"]
        language = fence["info"].strip().split(" ")[0].lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = _FENCE.match(lines[j])
            if (
                close is not None
                and close["fence"][0] == opener[0]
                and len(close["fence"]) >= len(opener)
                and not close["info"].strip()
            ):
                break
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        else:
            raise ValueError(f"{name}, line {i + 1}: the fence {opener} is never closed")
        if language == "python":
            kind, reason = pending if pending is not None else (None, "")
            blocks.append(Block(len(blocks) + 1, i + 1, "\n".join(body) + "\n", kind, reason))
        elif pending is not None:
            raise ValueError(
                f"{name}, line {pending_line}: an example marker stands before a "
                f"```{language or '(no language)'} block, which is never run"
            )
        pending = None
        i = j + 1
    return blocks


@pytest.fixture
def checkout_like(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder that looks like the repository's root, as the working directory."""
    work = tmp_path / "checkout"
    work.mkdir()
    for name in LINKED:
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    shared = Path(os.environ["TIFA_SHARED"]) if os.environ.get("TIFA_SHARED") else None
    shared = shared or ROOT.parent / "shared"
    if shared.is_dir():
        (tmp_path / "shared").symlink_to(shared.resolve(), target_is_directory=True)
    monkeypatch.chdir(work)
    # A newcomer's `python` in the repository's root imports from it.
    monkeypatch.syspath_prepend(str(work))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return work


def _describe(page: str, block: Block) -> str:
    return f"{page}: block {block.number} (line {block.line}, `{block.first_line}`)"


def _run_doctest(block: Block, namespace: dict, page: str) -> None:
    test = doctest.DocTestParser().get_doctest(
        block.code, namespace, f"{page} block {block.number}", page, block.line
    )
    report: list[str] = []
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    runner.run(test, out=report.append, clear_globs=False)
    if runner.failures:
        pytest.fail(f"{_describe(page, block)} printed otherwise:\n{''.join(report)}", False)


def run_page(path: Path, name: str | None = None, namespace: dict | None = None) -> dict:
    """Run a page's Python blocks in order, in one namespace, from the working directory.

    Parameters
    ----------
    path : Path
        A Markdown page.
    name : str, optional
        The page's name in failures; by default its path in the checkout.
    namespace : dict, optional
        The namespace to run in, filled as the blocks run (also when one fails).

    Returns
    -------
    dict
        The namespace after the last block.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    page = name or path.relative_to(ROOT).as_posix()
    namespace = {} if namespace is None else namespace
    namespace.setdefault("__name__", "__main__")
    try:
        for block in python_blocks(path.read_text(encoding="utf-8"), page):
            if block.marker == "skip":
                continue
            if block.marker == "shared" and not Path("../shared").is_dir():
                pytest.skip(f"{_describe(page, block)} and what follows need ../shared")
            if block.is_doctest:
                _run_doctest(block, namespace, page)
                continue
            failure = ""
            try:
                exec(compile(block.code, f"{page}, block {block.number}", "exec"), namespace)
            except Exception as error:  # any failure is reported, naming its page and block
                # The runner's own frame is noise; the page's frames come first.
                lines = traceback.format_exception(error)
                failure = "".join(lines[:1] + lines[2:])
            if failure:
                pytest.fail(f"{_describe(page, block)} raised\n{failure}", False)
    finally:
        plt.close("all")
    return namespace


_NAMESPACES: dict[str, dict] = {}


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_examples_run(path: Path, checkout_like: Path) -> None:
    run_page(path, namespace=_NAMESPACES.setdefault(path.relative_to(ROOT).as_posix(), {}))


def test_readme_quick_start(checkout_like: Path) -> None:
    # The quick start's own results, from the page's case when it ran (even if a later
    # block failed there: its failure is reported once, by that case).
    namespace = _NAMESPACES.get("README.md") or run_page(ROOT / "README.md")
    terms = namespace["detector"].terms_
    # The table opens with official terms, not with a time phrase every town writes.
    assert "今年以来" not in set(terms["term"])
    # ... and the first row is one of the sample's own terms (corpora/sample/terms.tsv).
    gold = (ROOT / "corpora" / "sample" / "terms.tsv").read_text(encoding="utf-8").splitlines()
    assert terms["term"].iloc[0] in {line.split("\t")[0] for line in gold[1:]}
    assert len(namespace["tokens"]) == len(namespace["corpus"])
    # The keyness example compares a town with the other towns: no shared documents.
    assert set(namespace["found"]["town"]) > {"沙棠镇"}


# --- the runner's own rules, on small pages -------------------------------------------


def test_markers_and_languages() -> None:
    page = "\n".join(
        [
            "```python",
            "a = 1",
            "```",
            "<!-- example: skip (needs a cluster) -->",
            "```python",
            "b = 2",
            "```",
            "```bash",
            "make test",
            "```",
            "<!-- example: shared -->",
            "   ```python",
            "   c = 3",
            "   ```",
        ]
    )
    blocks = python_blocks(page, "p.md")
    assert [(b.number, b.line, b.marker, b.reason) for b in blocks] == [
        (1, 1, None, ""),
        (2, 5, "skip", "needs a cluster"),
        (3, 12, "shared", ""),
    ]
    assert blocks[2].code == "c = 3\n"


@pytest.mark.parametrize(
    "marker",
    ["<!-- example: skip -->", "<!-- example: skip () -->", "<!-- example: later -->"],
)
def test_marker_without_reason_fails(marker: str) -> None:
    with pytest.raises(ValueError, match=r"p\.md, line 2: marker .* is not one of"):
        python_blocks(f"text\n{marker}\n```python\nx = 1\n```\n", "p.md")


def test_marker_must_touch_a_python_fence() -> None:
    with pytest.raises(ValueError, match="just before a ```python fence"):
        python_blocks("<!-- example: shared -->\n\n```python\nx = 1\n```\n", "p.md")
    with pytest.raises(ValueError, match="before a ```bash block"):
        python_blocks("<!-- example: skip (why) -->\n```bash\nls\n```\n", "p.md")


def test_failure_names_page_block_and_first_line(checkout_like: Path) -> None:
    docs = checkout_like / "page.md"
    docs.write_text(
        "```python\nx = 1\n```\n\n```python\n\nimport nothing_of_that_name\n```\n",
        encoding="utf-8",
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        run_page(docs, "page.md")
    message = str(failure.value)
    assert "page.md: block 2 (line 5, `import nothing_of_that_name`) raised" in message
    assert "ModuleNotFoundError" in message


def test_blocks_share_one_namespace_and_doctests_compare(checkout_like: Path) -> None:
    docs = checkout_like / "page.md"
    docs.write_text(
        "```python\nx = 20\n```\n\n```python\n>>> x + 1\n21\n```\n\n"
        "```python\n>>> x * 2\n41\n```\n",
        encoding="utf-8",
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        run_page(docs, "page.md")
    message = str(failure.value)
    assert "page.md: block 3 (line 10, `>>> x * 2`) printed otherwise" in message
    assert "Expected:\n    41\nGot:\n    40" in message


def test_shared_marker_skips_the_rest_without_shared(checkout_like: Path) -> None:
    docs = checkout_like / "page.md"
    docs.write_text(
        "```python\nopen('ran.txt', 'w').close()\n```\n"
        "<!-- example: shared -->\n```python\nopen('../shared/x').close()\n```\n",
        encoding="utf-8",
    )
    if Path("../shared").is_dir():
        # With the data beside the checkout the block runs (and fails: no such file).
        with pytest.raises(pytest.fail.Exception, match="FileNotFoundError"):
            run_page(docs, "page.md")
    else:
        with pytest.raises(pytest.skip.Exception, match=r"page.md: block 2 .* need ../shared"):
            run_page(docs, "page.md")
    # Files an example writes land in the temporary folder, not in the checkout.
    assert (checkout_like / "ran.txt").is_file()
    assert not (ROOT / "ran.txt").exists()
