"""The registry of analysis kinds an experiment config may name in ``[[analysis]]``.

Adding a kind is one function (decorated with
:func:`~toolkit.experiment.options.analysis_options`, taking
``(corpus, options, ctx)`` and writing through ``ctx``) plus one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from toolkit.corpus import Corpus
from toolkit.experiment.benchmarks_analysis import benchmarks_summary
from toolkit.experiment.context import RunContext
from toolkit.experiment.diffusion_analysis import diffusion
from toolkit.experiment.overview import corpus_overview
from toolkit.experiment.similarity_analysis import town_similarity
from toolkit.experiment.terms_analysis import town_terms
from toolkit.experiment.topic_study_analysis import topic_study
from toolkit.experiment.topics_analysis import town_topics

__all__ = ["ANALYSES", "Analysis"]

#: An analysis: reads the corpus and its options, writes tables, figures and metrics via ctx.
Analysis = Callable[[Corpus, Mapping[str, Any], RunContext], None]

#: The analyses a config's ``[[analysis]]`` tables can name, by name.
ANALYSES: dict[str, Analysis] = {
    "corpus_overview": corpus_overview,
    "town_terms": town_terms,
    "town_topics": town_topics,
    "town_similarity": town_similarity,
    "diffusion": diffusion,
    "topic_study": topic_study,
    "benchmarks_summary": benchmarks_summary,
}
