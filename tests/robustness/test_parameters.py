"""Every keyword parameter of the public API, given a wrong value, names itself.

The parameters are not listed here: they are read off each public callable's
signature, so a parameter added later is checked too. Only how to call each
callable with good positional inputs is written by hand (``CALLS``); a public
name without an entry fails ``test_every_public_callable_is_walked``.

A wrong value is an object of a type no parameter takes. The call must raise
``TypeError``, ``ValueError`` or ``KeyError`` whose message names the parameter
(``lexicons must be a list of lexicons, e.g. [...] (got <wrong value>)``).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import toolkit
from tests.conftest import REPO
from toolkit.diffusion import observations

SAMPLE = REPO / "corpora" / "sample"


class _Wrong:
    """No parameter takes this: not a str, number, bool, path, sequence or mapping."""

    def __repr__(self) -> str:
        return "<wrong value>"


WRONG = _Wrong()


@cache
def _inputs() -> dict[str, Any]:
    corpus = toolkit.read_jsonl(SAMPLE / "towns.jsonl")
    small = toolkit.Corpus(list(corpus)[:8])
    tokens = toolkit.Segmenter(progress=False).segment(small)
    prep = toolkit.prepare_topics(small, progress=False, min_df=1)
    model = toolkit.TopicModel(k=2).fit(prep.dtm)
    both = toolkit.Corpus(list(corpus) + list(toolkit.read_jsonl(SAMPLE / "counties.jsonl")))
    found = toolkit.adoptions(
        both, terms=["河长制", "乡村振兴"], unit="town", reference={"level": "county"}
    )
    seen = observations(both, unit="town", reference={"level": "county"})
    return {
        "observations": seen,
        "small": small,
        "tokens": tokens,
        "prep": prep,
        "model": model,
        "both": both,
        "adoptions": found,
        "page": (SAMPLE / "pages" / "page_2022-06-15.txt").read_text(encoding="utf-8"),
    }


def _towns() -> Path:
    return SAMPLE / "towns.jsonl"


# How to call each public callable with good inputs; ``kw`` is the parameter under test.
CALLS: dict[str, Callable[..., Any]] = {
    "Segmenter": lambda i, tmp, **kw: toolkit.Segmenter(**kw).segment(i["small"]),
    "TermDetector": lambda i, tmp, **kw: toolkit.TermDetector(**kw).fit(i["small"]),
    "TopicModel": lambda i, tmp, **kw: toolkit.TopicModel(**{"k": 2, **kw}).fit(i["prep"].dtm),
    "SimilarityIndex": lambda i, tmp, **kw: toolkit.SimilarityIndex(**{"by": "town", **kw}).fit(
        i["small"]
    ),
    "AdoptionHazard": lambda i, tmp, **kw: toolkit.AdoptionHazard(**kw).fit(
        i["adoptions"], i["observations"]
    ),
    "find_reuse": lambda i, tmp, **kw: toolkit.find_reuse(i["small"], **kw),
    "keyness": lambda i, tmp, **kw: toolkit.keyness(
        i["tokens"], **{"target": {"town": "沙棠镇"}, **kw}
    ),
    "kwic": lambda i, tmp, **kw: toolkit.kwic(i["small"], "河长制", **kw),
    "prepare_topics": lambda i, tmp, **kw: toolkit.prepare_topics(i["small"], **kw),
    "prevalence": lambda i, tmp, **kw: toolkit.prevalence(i["model"], **{"by": "town", **kw}),
    "select_k": lambda i, tmp, **kw: toolkit.select_k(
        i["prep"].dtm, [2, 3], **{"texts": i["prep"].texts, **kw}
    ),
    "adoptions": lambda i, tmp, **kw: toolkit.adoptions(
        i["both"],
        **{"terms": ["河长制"], "unit": "town", "reference": {"level": "county"}, **kw},
    ),
    "diffusion_table": lambda i, tmp, **kw: toolkit.diffusion_table(i["adoptions"], **kw),
    "parse_page": lambda i, tmp, **kw: toolkit.parse_page(i["page"], **kw),
    "ingest": lambda i, tmp, **kw: toolkit.ingest([_towns()], **kw),
    "read_corpus": lambda i, tmp, **kw: toolkit.read_corpus(_towns(), **kw),
    "read_jsonl": lambda i, tmp, **kw: toolkit.read_jsonl(_towns(), **kw),
    "read_parquet": lambda i, tmp, **kw: toolkit.read_parquet(_parquet(i, tmp), **kw),
    "read_csv": lambda i, tmp, **kw: toolkit.read_csv(_csv(i, tmp), **kw),
    "read_gov_reports": lambda i, tmp, **kw: toolkit.read_gov_reports(_reports(tmp), **kw),
    "CorpusStream": lambda i, tmp, **kw: list(toolkit.CorpusStream(_towns(), **kw)),
    "read_text_file": lambda i, tmp, **kw: toolkit.read_text_file(
        SAMPLE / "pages" / "page_2022-06-15.txt", **kw
    ),
    "read_text_folder": lambda i, tmp, **kw: toolkit.read_text_folder(SAMPLE / "pages", **kw),
    "decode_bytes": lambda i, tmp, **kw: toolkit.decode_bytes("推进河长制".encode(), **kw),
    "write_corpus": lambda i, tmp, **kw: toolkit.write_corpus(i["small"], tmp / "o.jsonl", **kw),
    "Lexicon": lambda i, tmp, **kw: toolkit.Lexicon(["河长制"], **kw),
}
# Public names that are data or exceptions, or take no keyword parameter of their own.
NOT_WALKED = {
    "__version__",
    "Corpus",  # built from documents or records: Corpus.from_records checks them
    "Document",
    "DocTermMatrix",  # built from a matrix by the toolkit; from_tokens/from_corpus check theirs
    "Tokens",
    "IngestResult",
    "Rejection",
    "CorpusFormatError",
    "DecodeError",
    "DuplicateDocIdError",
    "ModelFileError",
    "write_csv",
    "write_jsonl",
    "write_parquet",  # like write_corpus, which is walked
}


def _parquet(i: dict[str, Any], tmp: Path) -> Path:
    path = tmp / "s.parquet"
    if not path.exists():
        toolkit.write_parquet(i["small"], path)
    return path


def _csv(i: dict[str, Any], tmp: Path) -> Path:
    path = tmp / "s.csv"
    if not path.exists():
        toolkit.write_csv(i["small"], path)
    return path


def _reports(tmp: Path) -> Path:
    path = tmp / "reports.jsonl"
    if not path.exists():
        path.write_text(
            '{"id": "r1", "text": "推进河长制。", "year": 2020, "level": "national"}\n',
            encoding="utf-8",
        )
    return path


def _keyword_parameters(obj: Any) -> list[str]:
    signature = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    return [
        p.name
        for p in signature.parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.default is not p.empty
    ]


CASES = [
    (name, parameter)
    for name in sorted(CALLS)
    for parameter in _keyword_parameters(getattr(toolkit, name))
]


def test_every_public_callable_is_walked():
    callables = {n for n in toolkit.__all__ if callable(getattr(toolkit, n))}
    assert callables - NOT_WALKED == set(CALLS)
    assert len(CASES) > 80


@pytest.mark.parametrize(("name", "parameter"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_a_wrong_value_is_refused_naming_the_parameter(name, parameter, tmp_path):
    inputs = _inputs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((TypeError, ValueError, KeyError)) as info:
            CALLS[name](inputs, tmp_path, **{parameter: WRONG})
    message = str(info.value)
    assert parameter in message, message
    assert "<wrong value>" in message or type(WRONG).__name__ in message, message
