"""Load and check an experiment config (TOML): name, seed, corpus inputs, analyses.

A config looks like::

    name = "flagship"
    seed = 2021
    description = "Documents and characters per town and county."

    [corpus]
    inputs = ["../../corpora/sample/towns.jsonl", "../../corpora/sample/pages"]
    format = "auto"
    t2s = false

    [[analysis]]
    kind = "corpus_overview"
    by = ["town", "county"]

Inputs are relative to the config's folder, or to a data root given when the
experiment is run (``tifa run EXPERIMENT --data PATH``) when they start with
``{data}/``::

    [corpus]
    inputs = ["{data}/national.jsonl", "{data}/provincial.jsonl"]

so a config can name data that lives outside the repository (and may not be
copied into it) without hard-coding where it is. An input that is ``{data}``
alone is the data root itself, which may then be a single file
(``tifa run experiments/seed_page --data PAGE.txt``).

Every mistake is reported before any input is read, naming the file, the key
and what is allowed.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from toolkit.experiment.analyses import ANALYSES
from toolkit.experiment.options import READS_CORPUS, fill_options

__all__ = [
    "CONFIG_FILENAME",
    "DATA_PLACEHOLDER",
    "AnalysisConfig",
    "ConfigError",
    "CorpusConfig",
    "ExperimentConfig",
    "load_config",
]

#: The file looked for when a folder is given instead of a config file.
CONFIG_FILENAME = "config.toml"

#: An input starting with this names a path under the data root (``tifa run --data``).
DATA_PLACEHOLDER = "{data}"

_TOP_KEYS = ("name", "seed", "description", "corpus", "analysis")
_CORPUS_KEYS = ("inputs", "format", "t2s")


class ConfigError(ValueError):
    """An experiment config is malformed; the message names the file, key and fix."""


@dataclass(frozen=True)
class CorpusConfig:
    """The ``[corpus]`` table.

    Attributes
    ----------
    inputs : tuple of str
        Files or folders as written in the config, relative to its folder, or
        to the data root when they start with ``{data}/``. Empty when the
        config has no ``[corpus]`` table: its analyses read files of their own.
    format : str
        Passed to :func:`toolkit.ingest.ingest`.
    t2s : bool
        Convert traditional to simplified characters on ingestion.
    """

    inputs: tuple[str, ...]
    format: str = "auto"
    t2s: bool = False


@dataclass(frozen=True)
class AnalysisConfig:
    """One ``[[analysis]]`` table: its ``kind`` and its options, defaults filled in."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExperimentConfig:
    """A checked experiment config.

    Attributes
    ----------
    path : Path
        The config file, resolved.
    name, description : str
        What the experiment is called and what it does.
    seed : int
        Seed for every random step.
    corpus : CorpusConfig
        What to ingest.
    analyses : tuple of AnalysisConfig
        What to run, in order.
    """

    path: Path
    name: str
    seed: int
    description: str
    corpus: CorpusConfig
    analyses: tuple[AnalysisConfig, ...]

    @property
    def folder(self) -> Path:
        """The folder holding the config; inputs are relative to it."""
        return self.path.parent

    @property
    def needs_data(self) -> bool:
        """Whether an input or an analysis option starts with ``{data}`` (needs a data root)."""
        return bool(self._data_uses())

    def _data_uses(self) -> list[str]:
        # Corpus inputs, then string options of analyses (a file an analysis reads,
        # such as benchmarks_summary's results): every value that names the data root.
        options = [v for a in self.analyses for v in a.options.values() if isinstance(v, str)]
        return [p for p in (*self.corpus.inputs, *options) if _is_data_path(p)]

    def input_paths(self, data: str | Path | None = None) -> list[Path]:
        """The corpus inputs resolved against the config's folder or the data root.

        Parameters
        ----------
        data : str or Path, optional
            The data root that ``{data}/`` in an input stands for
            (``tifa run --data PATH``). Ignored when no input uses it.

        Returns
        -------
        list of Path
            Absolute paths, in the order of ``[corpus] inputs``.

        Raises
        ------
        ConfigError
            If an input starts with ``{data}/`` and ``data`` is None.
        FileNotFoundError
            If an input needs ``data`` and ``data`` is not an existing folder (or
            an existing file, when every such input is a lone ``{data}``).
        """
        root = self.data_root(data)
        return [
            (root / p[len(DATA_PLACEHOLDER) + 1 :]).resolve()
            if root is not None and _is_data_path(p)
            else (self.folder / p).resolve()
            for p in self.corpus.inputs
        ]

    def data_root(self, data: str | Path | None) -> Path | None:
        """Check the data root for this config; None when no input uses ``{data}/``.

        Raises
        ------
        ConfigError
            If an input needs a data root and ``data`` is None.
        FileNotFoundError
            If an input needs one and ``data`` is not an existing folder (or an
            existing file, when every such input is a lone ``{data}``).
        """
        uses = self._data_uses()
        if not uses:
            return None
        first = uses[0]
        where = "[corpus] inputs" if first in self.corpus.inputs else "[[analysis]] option"
        if data is None:
            raise ConfigError(
                f"{self.path}: {where}: {first!r} is relative to the data root "
                f"{DATA_PLACEHOLDER}, but no data root was given; pass --data PATH to "
                "`tifa run` (or data=PATH to toolkit.experiment.run)"
            )
        root = Path(data).expanduser()
        # A lone {data} input stands for the data root itself, which may then be one
        # file (a newspaper page: experiments/seed_page); {data}/... needs a folder.
        whole = all(p == DATA_PLACEHOLDER for p in uses)
        if not (root.is_dir() or (whole and root.is_file())):
            what = "an existing file or folder" if whole else "an existing folder"
            raise FileNotFoundError(
                f"{self.path}: {where}: the data root {DATA_PLACEHOLDER} must be {what} "
                f"(got --data {str(data)!r}, resolved to {str(root.resolve())!r})"
            )
        return root.resolve()

    def to_dict(self) -> dict[str, Any]:
        """The config as parsed (with defaults), ready for JSON."""
        return {
            "name": self.name,
            "seed": self.seed,
            "description": self.description,
            "corpus": {
                "inputs": list(self.corpus.inputs),
                "format": self.corpus.format,
                "t2s": self.corpus.t2s,
            },
            "analysis": [{"kind": a.kind, **a.options} for a in self.analyses],
        }


def _is_data_path(path: str) -> bool:
    return path == DATA_PLACEHOLDER or path.startswith(DATA_PLACEHOLDER + "/")


def _check_keys(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [k for k in table if k not in allowed]
    if unknown:
        options = ", ".join(repr(k) for k in sorted(allowed))
        hint = ""
        if allowed is not _TOP_KEYS and unknown[0] in _TOP_KEYS:
            # TOML puts every key after a [table] header into that table.
            hint = f"; top-level keys such as {unknown[0]!r} must come before the first [table]"
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}; allowed keys are {{{options}}}{hint}"
        )


def _resolve_file(path: str | Path) -> Path:
    p = Path(path)
    if p.is_dir():
        p = p / CONFIG_FILENAME
    if not p.is_file():
        raise FileNotFoundError(
            f"experiment config not found: {str(p)!r}; pass experiments/<name> or its "
            f"{CONFIG_FILENAME}"
        )
    return p.resolve()


def _corpus(raw: Any, file: str, *, needed: bool = True) -> CorpusConfig:
    if raw is None and not needed:
        # No [corpus], and no analysis reads one (benchmarks_summary reads a JSON file).
        return CorpusConfig(())
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{file}: a [corpus] table with inputs = [...] is required "
            f"(got {type(raw).__name__ if raw is not None else 'nothing'})"
        )
    _check_keys(raw, _CORPUS_KEYS, f"{file}: [corpus]")
    inputs = raw.get("inputs")
    if (
        not isinstance(inputs, list)
        or not inputs
        or not all(isinstance(p, str) and p for p in inputs)
    ):
        raise ConfigError(
            f"{file}: [corpus] inputs must be a non-empty list of paths (strings), "
            f"relative to the config's folder or starting with {DATA_PLACEHOLDER}/ "
            f"(got {inputs!r})"
        )
    fmt = raw.get("format", "auto")
    if not isinstance(fmt, str):
        raise ConfigError(f"{file}: [corpus] format must be a string (got {fmt!r})")
    t2s = raw.get("t2s", False)
    if not isinstance(t2s, bool):
        raise ConfigError(f"{file}: [corpus] t2s must be true or false (got {t2s!r})")
    for p in inputs:
        braced = "{" in p or "}" in p
        if braced and not (_is_data_path(p) and "{" not in p[len(DATA_PLACEHOLDER) :]):
            raise ConfigError(
                f"{file}: [corpus] inputs: {p!r} may use braces only as a leading "
                f"{DATA_PLACEHOLDER}/ (the data root given with --data), e.g. "
                f"'{DATA_PLACEHOLDER}/national.jsonl'"
            )
    return CorpusConfig(tuple(inputs), fmt, t2s)


def _analyses(raw: Any, file: str) -> tuple[AnalysisConfig, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(
            f"{file}: 'analysis' must be a list of tables; write each as [[analysis]] "
            "(double brackets), not [analysis]"
        )
    kinds = ", ".join(repr(k) for k in sorted(ANALYSES))
    out = []
    for i, table in enumerate(raw, start=1):
        where = f"{file}: analysis[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table with a 'kind' key (got {table!r})")
        kind = table.get("kind")
        if kind not in ANALYSES:
            raise ConfigError(f"{where}: kind must be one of {{{kinds}}} (got {kind!r})")
        given = {k: v for k, v in table.items() if k != "kind"}
        try:
            options = fill_options(ANALYSES[kind], given, where=f"{where} ({kind})")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        out.append(AnalysisConfig(kind, options))
    return tuple(out)


def load_config(path: str | Path) -> ExperimentConfig:
    """Read and check an experiment config.

    Parameters
    ----------
    path : str or Path
        A TOML file, or a folder holding ``config.toml``.

    Returns
    -------
    ExperimentConfig

    Raises
    ------
    FileNotFoundError
        If there is no config at ``path``.
    ConfigError
        (a ``ValueError``) on invalid TOML, a missing or unknown key, an unknown
        analysis kind or option, or a value of the wrong type.
    """
    file_path = _resolve_file(path)
    file = str(file_path)
    try:
        with file_path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    _check_keys(raw, _TOP_KEYS, file)

    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{file}: name must be a non-empty string (got {name!r})")
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"{file}: seed must be an integer >= 0 (got {seed!r})")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{file}: description must be a string (got {description!r})")

    analyses = _analyses(raw.get("analysis"), file)
    # An analysis kind that reads files of its own, not the corpus, says so with
    # READS_CORPUS = False; a config of only such analyses needs no [corpus].
    needed = not analyses or any(getattr(ANALYSES[a.kind], READS_CORPUS, True) for a in analyses)
    return ExperimentConfig(
        path=file_path,
        name=name,
        seed=seed,
        description=description,
        corpus=_corpus(raw.get("corpus"), file, needed=needed),
        analyses=analyses,
    )
