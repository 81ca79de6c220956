"""``report.html``: one self-contained page gathering a run's figures, tables, rejects and manifest.

The runner writes it into every run folder, after the analyses and before
``manifest.json`` (so the manifest lists it and its hash). Each figure is
embedded as a PNG data URI, each table shown as a readable head with its row
count, each with the sentence its analysis gives in its module's ``CAPTIONS``
mapping (a new analysis brings its own captions). The page holds no script and
no timestamp: the run id and the start and finish times stay in
``manifest.json``, so a rerun of the same config on the same inputs gives a
byte-identical ``report.html``, as it does for the tables and figures.
"""

from __future__ import annotations

import base64
import csv
import inspect
import json
import re
import struct
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._atomic import atomic_open
from toolkit.corpus import Rejection

__all__ = [
    "REPORT_NAME",
    "AnalysisOutputs",
    "caption_for",
    "captions_of",
    "render_report",
    "write_report",
]

#: The report's file name in the run folder.
REPORT_NAME = "report.html"
#: Rows of each table shown in the report; the file holds them all.
HEAD_ROWS = 8
#: Columns of each table shown; wide tables say how many are left out.
HEAD_COLUMNS = 12
#: Characters of a cell shown; reused passages and long terms are cut with an ellipsis.
CELL_CHARS = 48
#: Rejected inputs listed one by one; the counts by reason cover them all.
REJECT_ROWS = 20
#: CSS pixels per inch: a figure is shown at the size it was drawn (3.5 or 7 in).
_CSS_DPI = 96
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MANIFEST_FIELDS = (
    "config", "seed", "config_sha256", "corpus_sha256", "git_commit", "git_dirty",
    "n_documents", "n_rejected",
)  # fmt: skip


@dataclass(frozen=True)
class AnalysisOutputs:
    """What one ``[[analysis]]`` of a run wrote, in the order it wrote it.

    Attributes
    ----------
    kind : str
        The analysis kind (a key of :data:`~toolkit.experiment.ANALYSES`).
    options : dict
        Its options, defaults filled in.
    figures, tables : tuple of Path
        The files it wrote.
    metrics : tuple of str
        The metric names it recorded first (a metric another analysis set
        before belongs to that one).
    captions : dict
        Its module's ``CAPTIONS``: output patterns (``"figures/counts_by_{field}"``)
        to the sentence that says what the output shows.
    """

    kind: str
    options: dict[str, Any]
    figures: tuple[Path, ...] = ()
    tables: tuple[Path, ...] = ()
    metrics: tuple[str, ...] = ()
    captions: dict[str, str] = field(default_factory=dict)


def captions_of(analysis: Callable[..., Any]) -> dict[str, str]:
    """Return the ``CAPTIONS`` mapping of the module that defines ``analysis``.

    Parameters
    ----------
    analysis : callable
        An analysis function.

    Returns
    -------
    dict
        Output pattern to caption; empty when the module declares none.
    """
    module = inspect.getmodule(analysis)
    captions = getattr(module, "CAPTIONS", None)
    return dict(captions) if isinstance(captions, Mapping) else {}


def _pattern(key: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", key)
    # Even parts are literal text, odd parts placeholder names.
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(regex)


def caption_for(relative: str, captions: Mapping[str, str]) -> str | None:
    """The caption of an output, its placeholders filled from its name.

    Parameters
    ----------
    relative : str
        The output's path in the run folder without its suffix, e.g.
        ``"figures/counts_by_town"``.
    captions : mapping
        Patterns to captions, as an analysis module's ``CAPTIONS``.

    Returns
    -------
    str or None
        None when no pattern matches.

    Examples
    --------
    >>> caption_for("tables/counts_by_town", {"tables/counts_by_{field}": "Per {field}."})
    'Per town.'
    """
    # Exact keys first, then the longest pattern: the most specific wins.
    for key in sorted(captions, key=lambda k: ("{" in k, -len(k), k)):
        match = _pattern(key).fullmatch(relative)
        if match:
            return captions[key].format(**match.groupdict())
    return None


# ---------------------------------------------------------------- reading the outputs
def _png_size(data: bytes) -> tuple[int, int, float]:
    """Width and height in pixels and the dots per inch of a PNG (300 when unsaid)."""
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file (no PNG signature and IHDR chunk)")
    width, height = struct.unpack(">II", data[16:24])
    dpi = 300.0
    at = data.find(b"pHYs")
    if at > 0:
        x, _, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
        if unit == 1 and x:  # pixels per metre
            dpi = x * 0.0254
    return width, height, dpi


def _figure_entry(run_dir: Path, png: Path, svg: Path | None, captions: Mapping[str, str]):
    data = png.read_bytes()
    width, height, dpi = _png_size(data)
    relative = png.relative_to(run_dir).with_suffix("").as_posix()
    return {
        "name": png.relative_to(run_dir).as_posix(),
        "svg": svg.relative_to(run_dir).as_posix() if svg is not None else None,
        "anchor": _anchor(relative),
        "caption": caption_for(relative, captions),
        "width": width,
        "height": height,
        "css_width": round(width / dpi * _CSS_DPI),
        "uri": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
    }


def _svg_entry(run_dir: Path, svg: Path, captions: Mapping[str, str]):
    # A figure saved as SVG only: embedded as a data URI too, so that the ids
    # inside two SVGs (matplotlib's clip paths) cannot collide in one page.
    data = svg.read_bytes()
    relative = svg.relative_to(run_dir).with_suffix("").as_posix()
    return {
        "name": svg.relative_to(run_dir).as_posix(),
        "svg": None,
        "anchor": _anchor(relative),
        "caption": caption_for(relative, captions),
        "width": None,
        "height": None,
        "css_width": None,
        "uri": "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"),
    }


def _anchor(relative: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]", "-", relative)


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _numeric_columns(rows: Sequence[Sequence[str]], n: int) -> list[bool]:
    """Whether each column holds only numbers (empty cells aside): set right-aligned.

    Decided per column, so a term that happens to be a number ("246") stays
    aligned with the other terms.
    """
    flags = []
    for j in range(n):
        cells = [row[j].strip() for row in rows if j < len(row) and row[j].strip()]
        flags.append(bool(cells) and all(_NUMBER.fullmatch(c) for c in cells))
    return flags


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def _table_entry(run_dir: Path, path: Path, captions: Mapping[str, str]):
    # Read as text with the csv module: the page shows what the file holds, with
    # no float reformatting, and counts the rows without loading a large table.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        head: list[list[str]] = []
        n_rows = 0
        for row in reader:
            if n_rows < HEAD_ROWS:
                head.append(row)
            n_rows += 1
    relative = path.relative_to(run_dir).with_suffix("").as_posix()
    shown = min(len(header), HEAD_COLUMNS)
    numeric = _numeric_columns(head, shown)
    return {
        "name": path.relative_to(run_dir).as_posix(),
        "anchor": _anchor(relative),
        "caption": caption_for(relative, captions),
        "n_rows": n_rows,
        "n_columns": len(header),
        "header": [_cut(h) for h in header[:shown]],
        "rows": [list(zip([_cut(c) for c in row[:shown]], numeric, strict=False)) for row in head],
        "hidden_columns": len(header) - shown,
    }


def _figures(run_dir: Path, paths: Sequence[Path], captions: Mapping[str, str]):
    """One entry per figure: its PNG embedded, its SVG linked; an SVG alone embedded."""
    by_stem: dict[Path, dict[str, Path]] = {}
    for path in paths:
        by_stem.setdefault(path.with_suffix(""), {})[path.suffix.lower()] = path
    entries = []
    for files in by_stem.values():
        if ".png" in files:
            entries.append(_figure_entry(run_dir, files[".png"], files.get(".svg"), captions))
        elif ".svg" in files:
            entries.append(_svg_entry(run_dir, files[".svg"], captions))
    return entries


def _value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _rejects(rejected: Sequence[Rejection]):
    # A reason often ends with the detail of its case ("...: byte 0xff at 12");
    # the part before the first colon names the kind of fault.
    kinds = Counter(r.reason.split(":", 1)[0].strip() for r in rejected)
    return {
        "n": len(rejected),
        "by_reason": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        "rows": [
            {"source": r.source, "location": r.location or "", "reason": r.reason}
            for r in rejected[:REJECT_ROWS]
        ],
    }


# ---------------------------------------------------------------- rendering
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("toolkit.experiment", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(
    run_dir: str | Path,
    *,
    analyses: Sequence[AnalysisOutputs],
    metrics: Mapping[str, Any],
    rejected: Sequence[Rejection],
    manifest: Mapping[str, Any],
) -> str:
    """Render the report page of a run folder as a string.

    Parameters
    ----------
    run_dir : str or Path
        The run folder; figures and tables are read from it.
    analyses : sequence of AnalysisOutputs
        What each analysis wrote, in config order.
    metrics : mapping
        The run's metrics (``metrics.json``).
    rejected : sequence of Rejection
        The inputs ingestion refused (``rejected.csv``).
    manifest : mapping
        The reproducible part of the manifest: ``config``, ``seed``,
        ``config_sha256``, ``corpus_sha256``, ``git_commit``, ``git_dirty``,
        ``packages``, ``blas``, ``n_documents``, ``n_rejected`` and ``outputs``
        (path, bytes and sha256 of every other file). Keys not listed are ignored.

    Returns
    -------
    str
        The HTML page.
    """
    run_dir = Path(run_dir)
    sections = []
    for number, analysis in enumerate(analyses, start=1):
        sections.append(
            {
                "number": number,
                "kind": analysis.kind,
                "anchor": f"analysis-{number}-{_anchor(analysis.kind)}",
                "options": [(k, _value(v)) for k, v in analysis.options.items()],
                "metrics": [(k, _value(metrics[k])) for k in analysis.metrics if k in metrics],
                "figures": _figures(run_dir, analysis.figures, analysis.captions),
                "tables": [_table_entry(run_dir, t, analysis.captions) for t in analysis.tables],
            }
        )
    # Fields a caller may leave out show as empty, rather than failing the run.
    manifest = {**dict.fromkeys(_MANIFEST_FIELDS), "packages": {}, "blas": [], **manifest}
    manifest["outputs"] = manifest.get("outputs") or []
    # threadpoolctl lists libraries in the order they were loaded, which depends on
    # what was imported first; sorted, the page does not.
    manifest["blas"] = sorted(
        manifest.get("blas") or [], key=lambda lib: json.dumps(lib, sort_keys=True, default=str)
    )
    config = dict(manifest.get("config") or {})
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            name=config.get("name") or run_dir.name,
            description=" ".join(str(config.get("description") or "").split()),
            sections=sections,
            metrics=[(k, _value(metrics[k])) for k in sorted(metrics)],
            rejects=_rejects(rejected),
            manifest=manifest,
            config_json=json.dumps(config, ensure_ascii=False, sort_keys=True, indent=2),
            n_figures=sum(len(s["figures"]) for s in sections),
            n_tables=sum(len(s["tables"]) for s in sections),
        )
    )
    return page


def write_report(
    run_dir: str | Path,
    *,
    analyses: Sequence[AnalysisOutputs],
    metrics: Mapping[str, Any],
    rejected: Sequence[Rejection],
    manifest: Mapping[str, Any],
) -> Path:
    """Write ``report.html`` into the run folder (renamed into place when complete).

    Parameters are those of :func:`render_report`.

    Returns
    -------
    Path
        ``run_dir / "report.html"``.
    """
    text = render_report(
        run_dir, analyses=analyses, metrics=metrics, rejected=rejected, manifest=manifest
    )
    path = Path(run_dir) / REPORT_NAME
    with atomic_open(path) as fh:
        fh.write(text)
    return path
