"""The run context: where an analysis writes its figures, tables and metrics."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from toolkit._atomic import atomic_path
from toolkit.corpus import Rejection
from toolkit.plot import save_figure

__all__ = ["RunContext"]


def _plain(value: Any) -> Any:
    """Turn numpy scalars and containers into JSON-ready Python values."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"metric values must be finite numbers (got {value!r})")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"metric values must be JSON numbers, strings or lists (got {value!r})")


@dataclass
class RunContext:
    """Handed to every analysis: output folders, seed, random generator, rejects.

    Analyses write only through :meth:`save_table`, :meth:`save_figure` and
    :meth:`add_metric`, so the runner knows every output and no two analyses
    overwrite each other's files.

    Attributes
    ----------
    run_dir : Path
        The run folder; tables go to ``tables/``, figures to ``figures/``.
    seed : int
        The config's seed.
    rng : numpy.random.Generator
        Reset to ``default_rng(seed)`` before each analysis, so an analysis'
        results do not depend on which analyses ran before it.
    rejected : list of Rejection
        Inputs the ingestion refused.
    progress : bool
        Whether analyses may show progress bars.
    folder : Path or None
        The config's folder, against which :meth:`resolve` reads relative paths.
    data_root : Path or None
        The data root (``tifa run --data``), which ``{data}`` stands for in
        :meth:`resolve`.
    figures, tables : list of Path
        Files written so far, in order.
    metrics : dict
        Metrics recorded so far.
    """

    run_dir: Path
    seed: int
    rejected: list[Rejection] = field(default_factory=list)
    progress: bool = True
    folder: Path | None = None
    data_root: Path | None = None
    rng: np.random.Generator = field(init=False)
    figures: list[Path] = field(default_factory=list, init=False)
    tables: list[Path] = field(default_factory=list, init=False)
    metrics: dict[str, Any] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir)
        self.reset_rng()

    def resolve(self, path: str, *, where: str) -> Path:
        """A path option as written in the config: ``{data}``-relative, else config-relative.

        Parameters
        ----------
        path : str
            ``{data}``, ``{data}/...``, or a path relative to the config's folder.
        where : str
            The option's name, at the start of the error.

        Raises
        ------
        ValueError
            If ``path`` starts with ``{data}`` and the run has no data root.
        """
        # "{data}" is config.DATA_PLACEHOLDER, written out: config imports this module.
        if path == "{data}" or path.startswith("{data}/"):
            if self.data_root is None:
                raise ValueError(f"{where}: {path!r} needs a data root; pass --data PATH")
            rest = path[len("{data}/") :]
            return (self.data_root / rest).resolve() if rest else self.data_root
        return ((self.folder or Path.cwd()) / path).resolve()

    def reset_rng(self) -> np.random.Generator:
        """Start a fresh generator from the seed; the runner calls this per analysis."""
        self.rng = np.random.default_rng(self.seed)
        return self.rng

    def _claim(self, path: Path, kind: str) -> None:
        if path.exists():
            raise FileExistsError(
                f"{kind} {path.relative_to(self.run_dir).as_posix()!r} was already written "
                "in this run; two analyses produce the same output (check the config for a "
                "repeated analysis or 'by' field)"
            )

    def save_table(self, table: pd.DataFrame, name: str, *, index: bool = True) -> Path:
        """Write ``tables/<name>.csv`` (UTF-8 with a BOM, ``\\n`` line ends); return its path."""
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"table must be a pandas.DataFrame (got {type(table).__name__})")
        path = self.run_dir / "tables" / f"{name}.csv"
        self._claim(path, "table")
        # UTF-8 with a byte-order mark, so Excel opens it as UTF-8 (pandas skips the mark);
        # written under a temporary name and renamed when complete.
        with atomic_path(path) as partial:
            table.to_csv(partial, index=index, encoding="utf-8-sig", lineterminator="\n")
        self.tables.append(path)
        return path

    def save_figure(self, fig: Figure, name: str) -> list[Path]:
        """Write ``figures/<name>.png`` and ``.svg``, close the figure, return the paths."""
        import matplotlib.pyplot as plt

        base = self.run_dir / "figures" / name
        for suffix in (".png", ".svg"):
            self._claim(base.with_name(base.name + suffix), "figure")
        paths = save_figure(fig, base)
        # Figures made through pyplot stay alive until closed; a long run would pile them up.
        plt.close(fig)
        self.figures.extend(paths)
        return paths

    def add_metric(self, name: str, value: Any) -> None:
        """Record one metric for ``metrics.json``.

        Setting a metric again to the same value is allowed (two analyses may
        both count documents); a different value raises ``ValueError``.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"metric name must be a non-empty str (got {name!r})")
        plain = _plain(value)
        if name in self.metrics and self.metrics[name] != plain:
            raise ValueError(
                f"metric {name!r} is already {self.metrics[name]!r}; "
                f"an analysis tried to set it to {plain!r}"
            )
        self.metrics[name] = plain
