"""Run an experiment config: ingest, analyse, and write outputs with a manifest.

A run folder holds::

    figures/        PNG and SVG of every figure
    tables/         CSV of every table
    metrics.json    flat metrics (sorted keys)
    rejected.csv    every input ingestion refused (header only when none)
    report.html     one self-contained page: every figure embedded, every table's
                    head, each with its caption, the rejects, metrics and manifest
    manifest.json   config, git commit, package versions, seed, corpus hash,
                    timestamps and the SHA-256 of every other file
    INCOMPLETE      only while the run works, or after it failed or was stopped

Every file is written under a temporary name and renamed when complete, so a
run stopped by Ctrl-C or SIGTERM leaves no half-written file. ``manifest.json``
is written last, with ``"status": "completed"``, and ``INCOMPLETE`` removed
after it: a folder that still holds ``INCOMPLETE`` (its manifest, if any, says
``"failed"`` or ``"interrupted"``) did not finish.

Tables, metrics, figures and the report depend only on the config and the
inputs: two runs give byte-identical files. Only ``manifest.json`` (run id and
timestamps) differs.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from toolkit._atomic import atomic_open
from toolkit.corpus import Corpus, Document, Rejection
from toolkit.experiment.analyses import ANALYSES
from toolkit.experiment.config import DATA_PLACEHOLDER, ExperimentConfig, load_config
from toolkit.experiment.context import RunContext
from toolkit.experiment.provenance import blas_info, file_sha256, git_state, package_versions
from toolkit.experiment.report import AnalysisOutputs, captions_of, write_report
from toolkit.ingest import ingest

__all__ = ["RunResult", "run"]

_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: The marker of a run folder whose run has not completed.
INCOMPLETE = "INCOMPLETE"


@dataclass
class RunResult:
    """Where a run wrote its outputs.

    Attributes
    ----------
    run_dir : Path
        The run folder.
    figures, tables : list of Path
        Files written, in the order the analyses wrote them.
    metrics : dict
        The contents of ``metrics.json``.
    manifest_path : Path
        ``manifest.json``.
    rejected : list of Rejection
        Inputs the ingestion refused (also in ``rejected.csv``).
    analyses : list of AnalysisOutputs
        What each analysis wrote, in config order.
    report_path : Path
        ``report.html``.
    """

    run_dir: Path
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    manifest_path: Path | None = None
    rejected: list[Rejection] = field(default_factory=list)
    analyses: list[AnalysisOutputs] = field(default_factory=list)
    report_path: Path | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check_run_id(run_id: Any) -> str:
    if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
        raise ValueError(
            "run_id must be a folder name of letters, digits, '.', '_' or '-', "
            f"starting with a letter or digit (got {run_id!r})"
        )
    return run_id


def _make_run_dir(root: Path, run_id: str) -> Path:
    n = 1
    while True:
        candidate = root / (run_id if n == 1 else f"{run_id}-{n}")
        try:
            # exist_ok=False makes the check and the creation one step, so two
            # runs started together cannot share a folder.
            candidate.mkdir(parents=True)
            return candidate
        except FileExistsError:
            n += 1


def _portable(source: str, inputs: Sequence[Path], folder: Path, data: Path | None = None) -> str:
    """Rewrite a path under one of ``inputs`` relative to the config's folder.

    Ingestion records absolute paths; relative ones keep the corpus hash and
    ``rejected.csv`` the same wherever the checkout lives. A path under the
    data root becomes ``{data}/...``, the same wherever the data lives.
    """
    path = Path(source)
    if not path.is_absolute() or not any(path.is_relative_to(p) for p in inputs):
        return source
    if data is not None and path == data:  # the data root is the input file itself
        return DATA_PLACEHOLDER
    if data is not None and path.is_relative_to(data):
        return f"{DATA_PLACEHOLDER}/{path.relative_to(data).as_posix()}"
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return source


def _portable_corpus(
    corpus: Corpus, inputs: Sequence[Path], folder: Path, data: Path | None
) -> Corpus:
    docs = []
    for doc in corpus:
        source = doc.meta.get("source")
        if isinstance(source, str):
            new = _portable(source, inputs, folder, data)
            if new != source:
                doc = Document(doc.doc_id, doc.text, {**doc.meta, "source": new})
        docs.append(doc)
    return Corpus(docs)


def _write_rejected(path: Path, rejected: Sequence[Rejection]) -> Path:
    # UTF-8 with a byte-order mark, as every CSV table: Excel then opens it as UTF-8.
    with atomic_open(path, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["source", "location", "reason"])
        for r in rejected:
            writer.writerow([r.source, r.location or "", r.reason])
    return path


def _write_json(path: Path, data: Any) -> Path:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    with atomic_open(path) as fh:
        fh.write(text + "\n")
    return path


def _outputs(run_dir: Path, *, exclude: Path) -> list[dict[str, Any]]:
    skip = {exclude, run_dir / INCOMPLETE}
    files = sorted(p for p in run_dir.rglob("*") if p.is_file() and p not in skip)
    return [
        {
            "path": p.relative_to(run_dir).as_posix(),
            "sha256": file_sha256(p),
            "bytes": p.stat().st_size,
        }
        for p in files
    ]


def _reproducible(
    *,
    config: ExperimentConfig,
    config_sha256: str,
    git: dict[str, Any],
    corpus: Corpus,
    rejected: Sequence[Rejection],
) -> dict[str, Any]:
    """The manifest's fields that a rerun of the config on the same inputs repeats."""
    return {
        "config": config.to_dict(),
        "config_sha256": config_sha256,
        "git_commit": git["commit"],
        "git_dirty": git["dirty"],
        "packages": package_versions(),
        "blas": blas_info(),
        "seed": config.seed,
        "corpus_sha256": corpus.sha256(),
        "n_documents": len(corpus),
        "n_rejected": len(rejected),
    }


def _write_manifest(
    run_dir: Path,
    *,
    config: ExperimentConfig,
    config_sha256: str,
    git: dict[str, Any],
    corpus: Corpus,
    rejected: Sequence[Rejection],
    data: Path | None,
    started: datetime,
    status: str,
    error: str | None,
) -> Path:
    path = run_dir / "manifest.json"
    manifest = {
        "run_id": run_dir.name,
        "status": status,
        "error": error,
        "config_path": str(config.path),
        "data_root": str(data) if data is not None else None,
        **_reproducible(
            config=config, config_sha256=config_sha256, git=git, corpus=corpus, rejected=rejected
        ),
        "started_at": started.isoformat(timespec="milliseconds"),
        "finished_at": _now().isoformat(timespec="milliseconds"),
        "outputs": _outputs(run_dir, exclude=path),
    }
    return _write_json(path, manifest)


def run(
    config_path: str | Path,
    *,
    output_root: str | Path | None = None,
    run_id: str | None = None,
    progress: bool = True,
    data: str | Path | None = None,
) -> RunResult:
    """Run the experiment described by a TOML config.

    Parameters
    ----------
    config_path : str or Path
        The config file, or a folder holding ``config.toml``.
    output_root : str or Path, optional
        Folder that receives the run folder; default ``outputs/`` beside the config.
    run_id : str, optional
        Name of the run folder; default a UTC timestamp and a short hash of the
        config, e.g. ``20261126T061500Z-1a2b3c4d``. If the folder exists,
        ``-2``, ``-3``... is appended: a run never overwrites another.
    progress : bool
        Show progress bars.
    data : str or Path, optional
        The data root: corpus inputs written ``{data}/...`` in the config are
        read from under it (``tifa run --data PATH``). The manifest records it;
        sources under it are recorded as ``{data}/...``, so the corpus hash does
        not depend on where the data lives. A lone ``{data}`` input is the
        path itself, which may then be one file (a newspaper page); analysis
        options written ``{data}...`` are read through :meth:`RunContext.resolve`.

    Returns
    -------
    RunResult

    Raises
    ------
    FileNotFoundError
        If the config, one of its corpus inputs or the data root does not exist.
    ConfigError
        If the config is invalid (see :func:`load_config`), or an input needs
        a data root and ``data`` is None.
    ValueError
        If no document could be read; ``rejected.csv`` and a manifest with
        ``"status": "failed"`` are still written.

    Examples
    --------
    >>> result = run("experiments/flagship", progress=False)  # doctest: +SKIP
    >>> result.metrics["n_documents"]  # doctest: +SKIP
    """
    started = _now()
    config = load_config(config_path)
    if run_id is not None:
        _check_run_id(run_id)
    data_root = config.data_root(data)
    inputs = config.input_paths(data_root)
    for raw, path in zip(config.corpus.inputs, inputs, strict=True):
        if not path.exists():
            where = (
                f"{DATA_PLACEHOLDER} is the data root --data {str(data_root)!r}"
                if raw.startswith(DATA_PLACEHOLDER)
                else "inputs are relative to the config's folder"
            )
            raise FileNotFoundError(
                f"{config.path}: [corpus] input {raw!r} not found (resolved to {str(path)!r}); "
                f"{where}"
            )
    config_sha256 = file_sha256(config.path)
    git = git_state(config.folder)  # before writing outputs, so they cannot make it dirty

    corpus, rejected = Corpus([]), []
    if inputs:  # a config without [corpus] runs analyses that read files of their own
        ingested = ingest(
            inputs, format=config.corpus.format, t2s=config.corpus.t2s, progress=progress
        )
        corpus = _portable_corpus(ingested.corpus, inputs, config.folder, data_root)
        rejected = [
            Rejection(_portable(r.source, inputs, config.folder, data_root), r.reason, r.location)
            for r in ingested.rejected
        ]

    root = Path(output_root) if output_root is not None else config.folder / "outputs"
    default_id = f"{started.strftime('%Y%m%dT%H%M%SZ')}-{config_sha256[:8]}"
    run_dir = _make_run_dir(root, run_id or default_id)
    ctx = RunContext(run_dir, config.seed, rejected, progress, config.folder, data_root)
    manifest_args: dict[str, Any] = {
        "config": config,
        "config_sha256": config_sha256,
        "git": git,
        "corpus": corpus,
        "rejected": rejected,
        "data": data_root,
        "started": started,
    }
    marker = run_dir / INCOMPLETE
    marker.write_text(
        "This run has not completed: it is working, or it failed or was stopped.\n"
        "manifest.json is written last; this file is removed after it.\n",
        encoding="utf-8",
    )
    try:
        _write_rejected(run_dir / "rejected.csv", rejected)
        if inputs and not len(corpus):
            shown = "; ".join(str(r) for r in rejected[:3])
            raise ValueError(
                f"{config.path}: no documents were read from [corpus] inputs "
                f"({len(rejected)} rejected: {shown or 'the inputs are empty'}); "
                f"see {run_dir / 'rejected.csv'}"
            )
        ctx.add_metric("n_documents", len(corpus))
        ctx.add_metric("n_rejected", len(rejected))
        analyses = []
        for analysis in config.analyses:
            ctx.reset_rng()
            function = ANALYSES[analysis.kind]
            n_figures, n_tables, known = len(ctx.figures), len(ctx.tables), set(ctx.metrics)
            function(corpus, copy.deepcopy(analysis.options), ctx)
            # What this analysis wrote, for the report's section on it.
            analyses.append(
                AnalysisOutputs(
                    kind=analysis.kind,
                    options=copy.deepcopy(analysis.options),
                    figures=tuple(ctx.figures[n_figures:]),
                    tables=tuple(ctx.tables[n_tables:]),
                    metrics=tuple(k for k in ctx.metrics if k not in known),
                    captions=captions_of(function),
                )
            )
        _write_json(run_dir / "metrics.json", ctx.metrics)
        # Before the manifest, so that it lists the report and its hash; the report
        # holds only what a rerun repeats (no run id, no timestamps).
        report_path = write_report(
            run_dir,
            analyses=analyses,
            metrics=ctx.metrics,
            rejected=rejected,
            manifest={
                **_reproducible(
                    config=config,
                    config_sha256=config_sha256,
                    git=git,
                    corpus=corpus,
                    rejected=rejected,
                ),
                "outputs": _outputs(run_dir, exclude=run_dir / "manifest.json"),
            },
        )
    except Exception as exc:
        _write_manifest(
            run_dir, **manifest_args, status="failed", error=f"{type(exc).__name__}: {exc}"
        )
        raise
    except (KeyboardInterrupt, SystemExit) as exc:
        # Ctrl-C, or SIGTERM under tifa: say so, quickly, and keep the marker.
        _write_manifest(run_dir, **manifest_args, status="interrupted", error=type(exc).__name__)
        raise
    manifest_path = _write_manifest(run_dir, **manifest_args, status="completed", error=None)
    marker.unlink()
    return RunResult(
        run_dir=run_dir,
        figures=list(ctx.figures),
        tables=list(ctx.tables),
        metrics=dict(ctx.metrics),
        manifest_path=manifest_path,
        rejected=rejected,
        analyses=analyses,
        report_path=report_path,
    )
