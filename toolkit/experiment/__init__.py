"""Experiments: a TOML config in, reproducible figures, tables and metrics out.

>>> from toolkit.experiment import run
>>> result = run("experiments/flagship", progress=False)  # doctest: +SKIP
>>> result.run_dir  # doctest: +SKIP
PosixPath('experiments/flagship/outputs/20261126T061500Z-1a2b3c4d')
"""

from toolkit.experiment.analyses import ANALYSES, Analysis
from toolkit.experiment.config import (
    AnalysisConfig,
    ConfigError,
    CorpusConfig,
    ExperimentConfig,
    load_config,
)
from toolkit.experiment.context import RunContext
from toolkit.experiment.options import analysis_options
from toolkit.experiment.runner import RunResult, run

__all__ = [
    "ANALYSES",
    "Analysis",
    "AnalysisConfig",
    "ConfigError",
    "CorpusConfig",
    "ExperimentConfig",
    "RunContext",
    "RunResult",
    "analysis_options",
    "load_config",
    "run",
]
