"""Every public function that reads a corpus more than once refuses a one-shot iterator.

Issue 15 (and habit 5 of the style guide): a generator passed where several
passes are needed would be silently exhausted after the first, so such a
function raises a ``TypeError`` that says what to pass instead. A function
that reads its corpus once may take a generator. This test counts the passes
each function makes over a re-iterable and holds it to that rule; a walk over
the public API makes sure no function taking a corpus is left out.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import toolkit
from toolkit.corpus import Corpus, read_corpus

SAMPLE = Path(__file__).parents[1] / "corpora" / "sample" / "towns.jsonl"
ONE_SHOT = (
    r"is a one-shot iterator \(generator\) but several passes are needed; "
    r"pass a list, a Corpus, or a re-iterable stream"
)


class Passes:
    """A re-iterable that counts how often it is read."""

    def __init__(self, items: list[Any]) -> None:
        self.items, self.passes = items, 0

    def __iter__(self) -> Iterator[Any]:
        self.passes += 1
        return iter(self.items)


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return read_corpus(SAMPLE)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from toolkit.distributed import dask_client

    with dask_client(n_workers=2, processes=False) as c:
        yield c


@pytest.fixture(scope="module")
def fitted(sample: Corpus, client: Any) -> dict[str, Any]:
    from toolkit.dtm import DocTermMatrix, build_vocabulary
    from toolkit.segment import Segmenter
    from toolkit.terms import TermDetector

    segmenter = Segmenter(progress=False)
    vocabulary = build_vocabulary(sample, segmenter=segmenter, min_df=2)
    dtm = DocTermMatrix.from_corpus(sample, segmenter=segmenter, vocabulary=vocabulary)
    return {
        "client": client,
        "segmenter": segmenter,
        "detector": TermDetector(progress=False).fit(sample),
        "vocabulary": vocabulary,
        "chunks": [dtm.rows(range(0, 18)), dtm.rows(range(18, 36))],
    }


def _cases() -> dict[str, tuple[Callable[[Any, dict[str, Any]], Any], str]]:
    """name -> (call with the corpus and the fitted objects, what the corpus holds)."""
    from toolkit.corpus import write_jsonl
    from toolkit.diffusion import adoptions
    from toolkit.diffusion.adoption import observations
    from toolkit.diffusion.uses import count_uses
    from toolkit.distributed import detect_corpus, fit_detector, iter_detect_corpus
    from toolkit.dtm import DocTermChunks, DocTermMatrix, build_vocabulary, split_units
    from toolkit.segment import Segmenter
    from toolkit.similarity import SimilarityIndex
    from toolkit.similarity.reuse import find_reuse
    from toolkit.terms import TermDetector, kwic
    from toolkit.topics import TopicModel, prepare_topics

    ref = {"county": "苇川县"}
    return {
        "Segmenter.fit": (lambda x, f: Segmenter(progress=False).fit(x), "docs"),
        "Segmenter.segment": (lambda x, f: f["segmenter"].segment(x), "docs"),
        "Segmenter.iter_segment": (lambda x, f: list(f["segmenter"].iter_segment(x)), "docs"),
        "TermDetector.fit": (lambda x, f: TermDetector(progress=False).fit(x), "docs"),
        "TermDetector.detect": (lambda x, f: f["detector"].detect(x), "docs"),
        "fit_detector": (
            lambda x, f: fit_detector(x, detector=TermDetector(progress=False), client=f["client"]),
            "docs",
        ),
        "detect_corpus": (
            lambda x, f: detect_corpus(x, detector=f["detector"], client=f["client"]),
            "docs",
        ),
        "iter_detect_corpus": (
            lambda x, f: list(iter_detect_corpus(x, detector=f["detector"], client=f["client"])),
            "docs",
        ),
        "kwic": (lambda x, f: kwic(x, "河长制"), "docs"),
        "count_uses": (lambda x, f: count_uses(x, ["河长制"]), "docs"),
        "adoptions": (
            lambda x, f: adoptions(x, terms=["河长制"], unit="town", reference=ref),
            "docs",
        ),
        "observations": (lambda x, f: observations(x, unit="town", reference=ref), "docs"),
        "split_units": (lambda x, f: split_units(x), "docs"),
        "prepare_topics": (lambda x, f: prepare_topics(x, min_df=1, progress=False), "docs"),
        "DocTermMatrix.from_corpus": (
            lambda x, f: DocTermMatrix.from_corpus(x, segmenter=f["segmenter"], min_df=2),
            "docs",
        ),
        "DocTermMatrix.from_corpus(vocabulary=)": (
            lambda x, f: DocTermMatrix.from_corpus(
                x, segmenter=f["segmenter"], vocabulary=f["vocabulary"]
            ),
            "docs",
        ),
        "DocTermMatrix.from_corpus(n_features=)": (
            lambda x, f: DocTermMatrix.from_corpus(x, segmenter=f["segmenter"], n_features=64),
            "docs",
        ),
        "build_vocabulary": (lambda x, f: build_vocabulary(x, segmenter=f["segmenter"]), "docs"),
        "DocTermChunks.__init__": (
            lambda x, f: [
                len(c) for c in DocTermChunks(x, segmenter=f["segmenter"], n_features=8, size=9)
            ],
            "docs",
        ),
        "TopicModel.fit_stream(passes=1)": (
            lambda x, f: TopicModel(k=2, seed=0, passes=1, iterations=5).fit_stream(x),
            "chunks",
        ),
        "TopicModel.fit_stream(passes=2)": (
            lambda x, f: TopicModel(k=2, seed=0, passes=2, iterations=5).fit_stream(x),
            "chunks",
        ),
        "SimilarityIndex.fit": (lambda x, f: SimilarityIndex().fit(x), "docs"),
        "find_reuse": (lambda x, f: find_reuse(x, progress=False), "docs"),
        "write_jsonl": (lambda x, f: write_jsonl(x, f["tmp"] / "out.jsonl"), "docs"),
    }


# Public callables with a corpus parameter that are not in the table, and why.
EXEMPT = {
    "Corpus.__init__": "lists its documents: it is the in-memory corpus",
    "write_corpus": "one pass, as write_jsonl",
    "write_csv": "one pass (lists the rows, as pandas needs them)",
    "write_parquet": "one pass, in batches",
    "count_corpus": "what DocTermMatrix.from_corpus calls",
    "reuse_network": "corpus= is an optional Corpus to look docvars up in",
    "ExperimentConfig.__init__": "corpus is a path",
    "IngestResult.__init__": "a result holder",
    "corpus_overview": "an experiment step, given a Corpus by the runner",
    "town_terms": "an experiment step, given a Corpus by the runner",
    "town_topics": "an experiment step, given a Corpus by the runner",
    "town_similarity": "an experiment step, given a Corpus by the runner",
    "compare_units": "an experiment step, given a Corpus by the runner",
    "diffusion": "an experiment step, given a Corpus by the runner",
    "topic_study": "an experiment step, given a Corpus by the runner",
    "study_corpus": "one pass: builds a new Corpus from the documents it keeps",
    "benchmarks_summary": "an experiment step; reads a results file, not the corpus",
    "diffusion_outputs": "given a Corpus by tifa diffusion and the diffusion step",
    "redate": "one pass: builds a new Corpus from the documents",
    "CorpusDownload.__init__": "a result holder: corpus is the path of the JSONL written",
    "iter_partitions": "one pass: yields partitions as it reads",
    "rows_docvars": "reads no documents: the docvars of what segment_corpus read",
    "iter_segment_corpus": "one pass: partitions go to the workers as they are read",
    "segment_corpus": "one pass, as iter_segment_corpus",
    "find_reuse_distributed": "lists the corpus once and refuses a generator, as find_reuse; "
    "needs a Dask client, so tests/distributed/test_reuse.py checks both",
}


# Read their corpus once, yet refuse a generator, and why: a decision, not an accident.
STRICT = {
    "DocTermChunks.__init__": "a re-iterable of chunks: each of its passes reads the corpus again",
    "SimilarityIndex.fit": "lists X once; refuses as the other estimators' fit do",
    "find_reuse": "lists the corpus once, after ensure_reiterable",
    "adoptions": "lists the corpus once, after ensure_reiterable",
    "observations": "lists the corpus once, after ensure_reiterable",
}


def _public_corpus_callables() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if ".cli" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            members = (
                [(f"{name}.{a}", m) for a, m in vars(obj).items() if not a.startswith("_")]
                + [(f"{name}.__init__", obj.__init__)]
                if inspect.isclass(obj)
                else [(name, obj)]
            )
            for qualname, member in members:
                func = getattr(member, "__func__", member)
                if not callable(func):
                    continue
                try:
                    params = inspect.signature(func).parameters
                except (TypeError, ValueError):
                    continue
                if {"corpus", "chunks"} & set(params) or (
                    "X" in params and "fit" in qualname.split(".")[-1]
                ):
                    names.add(qualname)
    return names


def test_every_public_function_taking_a_corpus_is_checked() -> None:
    covered = {name.split("(")[0] for name in _cases()} | set(EXEMPT)
    missing = sorted(_public_corpus_callables() - covered)
    assert missing == [], f"add these to _cases() or EXEMPT in {__file__}: {missing}"


@pytest.mark.parametrize("name", sorted(_cases()))
def test_several_passes_refuse_a_generator(
    name: str, sample: Corpus, fitted: dict[str, Any], tmp_path: Path
) -> None:
    call, holds = _cases()[name]
    context = {**fitted, "tmp": tmp_path}
    items = list(sample) if holds == "docs" else fitted["chunks"]
    counted = Passes(items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(counted, context)
        if counted.passes > 1 or name in STRICT:
            with pytest.raises(TypeError, match=ONE_SHOT):
                call((x for x in items), context)
        else:
            assert counted.passes == 1
            call((x for x in items), context)  # one pass: a generator is fine


def test_strict_ones_do_read_once(sample: Corpus, fitted: dict[str, Any], tmp_path: Path) -> None:
    # If one of them comes to read twice, it moves out of STRICT: the rule covers it.
    for name in STRICT:
        call, _ = _cases()[name]
        counted = Passes(list(sample))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(counted, {**fitted, "tmp": tmp_path})
        assert counted.passes == 1, name
