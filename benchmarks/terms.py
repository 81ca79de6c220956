"""Official-term (提法) detection: recall, precision, expansions, speed, memory, integrity.

1. Recall on the 74 ``dev`` reports: the gold of a report is the set of its
   glossary ``core_terms`` that occur in its body. A gold term is found when
   some candidate's ``term`` or one of its ``forms`` has the same
   :func:`~toolkit.terms.canonical_key`. Recall at top 20, top 50 and over all
   candidates (micro-averaged over report × term pairs), the median number of
   candidates per report, and the same for numbered formulations and for
   "never-listed" terms (neither in the built-in lexicon nor in the silver list
   of central numbered formulations). ``TermDetector()`` is fitted on the dev
   reports themselves; jieba TF-IDF and TextRank (top 50) and every quoted
   string ranked by frequency are scored the same way as baselines.
2. The seed page through the CLI, as a user runs it: ``tifa ingest`` writes its
   two articles (body text; kicker, title, subtitle and subheads as docvars),
   ``tifa terms`` fits on them and reports each article's terms (the detector
   reads a parsed article with its headings: 123工作法's parts 一张网 / 两个引领
   / 三个平台 are written only in the subheads). Recall of ``seed_terms.tsv``
   over all candidates, precision of each article's top 20, and whether the
   ``123工作法`` candidate expands to its three parts.
3. In fresh interpreters: ``detect`` throughput (UTF-8 MB/s) on provincial.jsonl
   after ``fit`` on it, with ``n_jobs=1`` (the default) and ``n_jobs=2`` (the
   two tables must be equal); time and peak RSS of ``fit`` on every report,
   with the default and with ``n_jobs=2``.
4. Term integrity: the share of the dev glossary terms' body occurrences that
   ``Segmenter`` keeps as one token after ``fit`` on the dev reports, with
   quoted terms only and with ``fit(corpus, terms=TermDetector().fit(corpus))``.

``python -m benchmarks --only terms`` runs it all; ``python -m benchmarks.terms
--quick`` skips part 3, ``--misses 20`` lists the worst-missed dev terms (see
:func:`misses`), and ``--tune`` refits the ranking weights on the dev split
(see :func:`tune`). Until ``toolkit.terms.TermDetector`` exists, only the
baselines are measured and the detector's rows say why they are empty.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import random
import re
import statistics
import sys
import threading
import time
import traceback
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.cli import shared_data, suite_parser, write_json
from benchmarks.fresh_process import in_fresh_process, peak_rss_mb, proc_mb
from benchmarks.segmentation import (
    SEED_PAGE,
    TARGET_TERMS_FITTED,
    _boundaries,
    _dev_reports,
    _jieba,
    _read_jsonl,
    _row,
    _segmenter,
    dev_occurrences,
)

# Targets (issue text).
TARGET_RECALL_AT_50 = 0.75
TARGET_RECALL_ALL = 0.92
TARGET_MEDIAN_CANDIDATES = 150
TARGET_NEVER_LISTED_AT_50 = 0.65
TARGET_SEED_RECALL = 0.9
TARGET_SEED_PRECISION_AT_20 = 0.85
TARGET_DETECT_MB_S = 2.0
TARGET_FIT_SECONDS = 600.0
TARGET_FIT_RSS_MB = 4096.0
# Reference figures of the baselines at top 50 (issue text); quoted strings unranked.
REFERENCE_AT_50 = {"jieba TF-IDF": 0.001, "jieba TextRank": 0.000, "quoted by frequency": 0.41}
REFERENCE_QUOTED_ALL = (0.85, 109)
EXPANDED_TERM = "123工作法"
EXPANDED_PARTS = ("一张网", "两个引领", "三个平台")
DETECTOR = "TermDetector()"
SUBSETS = ("all", "numbered", "never-listed")
_COLUMNS = ("doc_id", "rank", "term", "forms", "kind", "count", "score", "expansion")
# A fit on every report that runs longer than this is stopped and reported as missed.
FIT_TIMEOUT_SECONDS = 3 * TARGET_FIT_SECONDS
# Worker processes of the parallel speed and memory measurements.
PARALLEL_JOBS = 2
# Term integrity after Segmenter().fit with quoted terms only (segmentation issue).
REFERENCE_INTACT_QUOTED = 0.826
# --tune: logistic regression and cross-validation.
TUNE_C = 1.0
TUNE_MAX_ITER = 2000
TUNE_SEED = 0
TUNE_FOLDS = 2


# ---------------------------------------------------------------------------- helpers
def _key(form: str) -> str:
    from toolkit.terms import canonical_key

    return canonical_key(form)


SKIPPED = "skipped: no toolkit.terms.TermDetector yet"


def _detector_class() -> tuple[Any, str]:
    """``(TermDetector, "")``, or ``(None, the import error)`` while it does not exist yet."""
    try:
        from toolkit.terms import TermDetector
    except ImportError as exc:
        return None, str(exc)
    return TermDetector, ""


def _as_list(value: Any) -> list[str]:
    if value is None or isinstance(value, float):  # None / NaN: no forms
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


#: The ranking part 1 measures (``--rank``); None: the detector's default.
RANK: str | None = None


def _new_detector(detector_cls: Any) -> Any:
    """``TermDetector()`` with its defaults, only without progress bars when it has them
    (and with ``rank=RANK`` when ``--rank`` names one)."""
    params = inspect.signature(detector_cls).parameters
    kwargs: dict[str, Any] = {"progress": False} if "progress" in params else {}
    if RANK is not None:
        kwargs["rank"] = RANK
    return detector_cls(**kwargs)


@dataclass(frozen=True)
class Candidate:
    """One row of a candidate list: its term, forms and expansion, and their keys."""

    term: str
    forms: tuple[str, ...] = ()
    expansion: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(_key(f) for f in (self.term, *self.forms))


def _candidates(table: Any, doc_ids: Sequence[str] | None = None) -> dict[str, list[Candidate]]:
    """A detector's table as ranked candidate lists by document (every doc id present)."""
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"TermDetector.detect returned no column(s) {missing}")
    out: dict[str, list[Candidate]] = {d: [] for d in doc_ids or ()}
    rows = table.sort_values(["doc_id", "rank"], kind="stable")[
        ["doc_id", "term", "forms", "expansion"]
    ]
    for doc_id, term, forms, expansion in rows.itertuples(index=False):
        out.setdefault(str(doc_id), []).append(
            Candidate(str(term), tuple(_as_list(forms)), tuple(_as_list(expansion)))
        )
    return out


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


# ---------------------------------------------------------------------------- gold
@dataclass(frozen=True)
class Gold:
    """One gold term of one dev report."""

    doc_id: str
    term: str
    key: str
    numbered: bool
    listed: str  # "lexicon:<kind>", "silver" or "" (never listed)

    @property
    def never_listed(self) -> bool:
        return not self.listed

    def subsets(self) -> tuple[str, ...]:
        return ("all",) + ("numbered",) * self.numbered + ("never-listed",) * self.never_listed


def _listed(shared: Path) -> dict[str, str]:
    """Canonical keys of the built-in lexicon's terms (with their kind) and of the silver list."""
    from toolkit import Lexicon

    listed: dict[str, str] = {}
    silver = shared / "data" / "term_gold" / "central_numbered_formulations_silver.tsv"
    with silver.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        col = header.index("term")
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > col and fields[col].strip():
                listed[_key(fields[col].strip())] = "silver"
    for term, kind in Lexicon.builtin().items():
        listed[_key(term)] = f"lexicon:{kind}"
    return listed


def dev_gold(shared: Path) -> list[Gold]:
    """Gold terms of the dev reports: core terms in the body, one per report and key."""
    listed = _listed(shared)
    found: dict[tuple[str, str], Gold] = {}
    for entry in _read_jsonl(shared / "data" / "term_gold" / "glossary_dev.jsonl"):
        numbered = bool(entry.get("is_numbered_formulation"))
        for term, in_body in zip(entry["core_terms"], entry["core_terms_in_body"], strict=True):
            term = term.strip()
            if not (in_body and term):
                continue
            key = _key(term)
            old = found.get((entry["doc_id"], key))
            found[(entry["doc_id"], key)] = Gold(
                entry["doc_id"],
                old.term if old else term,
                key,
                numbered or (old is not None and old.numbered),
                listed.get(key, ""),
            )
    return list(found.values())


# ---------------------------------------------------------------------------- systems
_QUOTED = re.compile(r"“([^“”]+)”|「([^「」]+)」")


def quoted_by_frequency(text: str) -> list[str]:
    """Inner text of every “…” / 「…」 span, most frequent first (ties: first seen first)."""
    counts = Counter(m.group(1) or m.group(2) for m in _QUOTED.finditer(text))
    return [s for s, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


def _jieba_extractors() -> tuple[Any, Any]:
    """TF-IDF and TextRank extractors on a private tokenizer (jieba's globals untouched)."""
    import jieba.analyse
    import jieba.posseg

    tokenizer = _jieba()
    tagger = jieba.posseg.POSTokenizer(tokenizer)
    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer, tfidf.postokenizer = tokenizer, tagger
    textrank = jieba.analyse.TextRank()
    textrank.tokenizer = textrank.postokenizer = tagger
    return tfidf, textrank


def _baselines(reports: list[dict[str, Any]]) -> dict[str, dict[str, list[Candidate]]]:
    tfidf, textrank = _jieba_extractors()
    systems: dict[str, dict[str, list[Candidate]]] = {}
    for name, extract in (
        ("jieba TF-IDF", lambda t: tfidf.extract_tags(t, topK=50)),
        ("jieba TextRank", lambda t: textrank.extract_tags(t, topK=50)),
        ("quoted by frequency", quoted_by_frequency),
    ):
        start = time.perf_counter()
        systems[name] = {r["id"]: [Candidate(w) for w in extract(r["text"])] for r in reports}
        print(f"  {name}: {time.perf_counter() - start:.1f} s")
    return systems


def _dev_corpus(reports: list[dict[str, Any]]) -> Any:
    from toolkit import Corpus

    return Corpus.from_records(reports, id_field="id", source="gov_work_reports (dev)")


def _detector_run(reports: list[dict[str, Any]]) -> tuple[dict[str, list[Candidate]], dict]:
    """Fit ``TermDetector()`` on the dev reports and detect in them."""
    detector_cls, _ = _detector_class()
    corpus = _dev_corpus(reports)
    start = time.perf_counter()
    det = _new_detector(detector_cls).fit(corpus)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    table = det.detect(corpus, top=None)
    detect_seconds = time.perf_counter() - start
    print(
        f"  {DETECTOR}: fit {fit_seconds:.1f} s, detect {detect_seconds:.1f} s, "
        f"{len(table)} candidate rows"
    )
    timing = {"fit_seconds": fit_seconds, "detect_seconds": detect_seconds}
    return _candidates(table, [r["id"] for r in reports]), timing


# ---------------------------------------------------------------------------- scoring
def first_hits(gold: Iterable[Gold], cands: dict[str, list[Candidate]]) -> dict[Gold, int | None]:
    """For each gold term, the 1-based rank of the first candidate matching it, or None."""
    index: dict[str, dict[str, int]] = {}
    for doc_id, ranked in cands.items():
        first: dict[str, int] = {}
        for rank, cand in enumerate(ranked, 1):
            for key in cand.keys:
                first.setdefault(key, rank)
        index[doc_id] = first
    return {g: index.get(g.doc_id, {}).get(g.key) for g in gold}


def recall_table(
    gold: Sequence[Gold], cands: dict[str, list[Candidate]], doc_ids: Sequence[str]
) -> dict[str, Any]:
    """Recall at 20, 50 and over all candidates, by subset, and candidates per report."""
    hits = first_hits(gold, cands)
    out: dict[str, Any] = {}
    for subset in SUBSETS:
        ranks = [hits[g] for g in gold if subset in g.subsets()]
        n = len(ranks)
        out[subset] = {
            "n": n,
            "at20": sum(1 for r in ranks if r is not None and r <= 20) / n if n else None,
            "at50": sum(1 for r in ranks if r is not None and r <= 50) / n if n else None,
            "all": sum(1 for r in ranks if r is not None) / n if n else None,
        }
    sizes = [len(cands.get(d, [])) for d in doc_ids]
    out["median_candidates"] = statistics.median(sizes) if sizes else 0
    out["mean_candidates"] = statistics.fmean(sizes) if sizes else 0
    return out


def _worst_misses(
    gold: Sequence[Gold],
    hits: dict[Gold, int | None],
    texts: dict[str, str],
    n: int,
    k: int,
) -> list[dict[str, Any]]:
    """Gold terms missed in the top ``k`` of the most reports (ties: most body occurrences)."""
    from toolkit.terms import variant_pattern

    by_term: dict[str, dict[str, Any]] = {}
    for g in gold:
        rank = hits[g]
        row = by_term.setdefault(
            g.key,
            {
                "term": g.term,
                "kind": ("numbered " if g.numbered else "") + (g.listed or "never-listed"),
                "reports": 0,
                "missed": 0,
                "absent": 0,
                "missed_occurrences": 0,
                "ranks": [],
            },
        )
        row["reports"] += 1
        if rank is not None and rank <= k:
            continue
        row["missed"] += 1
        row["missed_occurrences"] += len(variant_pattern(g.term).findall(texts[g.doc_id]))
        if rank is None:
            row["absent"] += 1
        else:
            row["ranks"].append(rank)
    for row in by_term.values():
        row["ranks"].sort()
    worst = [r for r in by_term.values() if r["missed"]]
    worst.sort(key=lambda r: (-r["missed"], -r["missed_occurrences"], r["term"]))
    return worst[:n]


def _print_misses(worst: list[dict[str, Any]], k: int) -> None:
    print(f"  worst-missed dev terms (not in the top {k}):")
    print(
        f"    {_pad('term', 24)}{_pad('kind', 28)}{'missed':>9}{'absent':>8}"
        f"{'body occ.':>10}  ranks"
    )
    for r in worst:
        ranks = ", ".join(str(x) for x in r["ranks"][:5]) or "—"
        print(
            f"    {_pad(r['term'], 24)}{_pad(r['kind'], 28)}{r['missed']:>4} / {r['reports']:<2}"
            f"{r['absent']:>8}{r['missed_occurrences']:>10}  {ranks}"
        )


# ---------------------------------------------------------------------------- 1. dev recall
def dev_recall(
    shared: Path, *, baselines: bool = True, n_misses: int = 0, k_misses: int = 50
) -> dict[str, Any]:
    """Part 1: recall of the dev glossaries for the detector and the baselines."""
    reports = _dev_reports(shared)
    gold = dev_gold(shared)
    doc_ids = [r["id"] for r in reports]
    counts = {s: sum(1 for g in gold if s in g.subsets()) for s in SUBSETS}
    print(
        f"{len(reports)} dev reports, {counts['all']} gold report × term pairs "
        f"({counts['numbered']} numbered, {counts['never-listed']} never listed)"
    )
    systems: dict[str, dict[str, list[Candidate]]] = {}
    out: dict[str, Any] = {"reports": len(reports), "gold": counts, "systems": {}}
    detector_cls, why = _detector_class()
    if detector_cls is None:
        print(f"  {DETECTOR}: {SKIPPED} ({why})")
        out["detector_note"] = SKIPPED
    else:
        try:
            systems[DETECTOR], out["detector_timing"] = _detector_run(reports)
        except Exception as exc:  # a detector under construction: report, keep the baselines
            traceback.print_exc()
            out["systems"][DETECTOR] = {"error": f"{type(exc).__name__}: {exc}"}
    if baselines:
        systems.update(_baselines(reports))
    print(
        f"  {'system':<22}{'subset':<14}{'n':>6}{'@20':>8}{'@50':>8}{'all':>8}{'median cand.':>14}"
    )
    for name, cands in systems.items():
        table = recall_table(gold, cands, doc_ids)
        out["systems"][name] = table
        for subset in SUBSETS:
            s = table[subset]
            median = f"{table['median_candidates']:>14g}" if subset == "all" else ""
            print(
                f"  {name:<22}{subset:<14}{s['n']:>6}{s['at20']:>8.3f}{s['at50']:>8.3f}"
                f"{s['all']:>8.3f}{median}"
            )
    if DETECTOR in systems:
        out["expansions"] = expansion_agreement(shared, systems[DETECTOR])
    if n_misses and DETECTOR in systems:
        texts = {r["id"]: r["text"] for r in reports}
        worst = _worst_misses(gold, first_hits(gold, systems[DETECTOR]), texts, n_misses, k_misses)
        _print_misses(worst, k_misses)
        out["misses"] = worst
    return out


def expansion_agreement(shared: Path, cands: dict[str, list[Candidate]]) -> dict[str, Any]:
    """Expansions the detector reports, checked against the report's own glossary.

    For every numbered glossary term of a dev report that the detector lists in
    that report with an expansion, the expansion agrees with the glossary when
    every part is written in the glossary's definition (a part written with a
    head the definition leaves out, 产业振兴 for 产业, counts when its first two
    characters are). Also: how many of the report's numbered glossary terms get
    an expansion at all (most reports define them only in the glossary, so this
    share is low by nature).
    """
    defined: dict[tuple[str, str], str] = {}
    for entry in _read_jsonl(shared / "data" / "term_gold" / "glossary_dev.jsonl"):
        if not entry.get("is_numbered_formulation"):
            continue
        for term, in_body in zip(entry["core_terms"], entry["core_terms_in_body"], strict=True):
            if in_body and term.strip():
                defined[(entry["doc_id"], _key(term))] = entry["definition"]
    expanded = agree = 0
    disagree: list[str] = []
    for (doc_id, key), definition in sorted(defined.items()):
        cand = next((c for c in cands.get(doc_id, ()) if key in c.keys and c.expansion), None)
        if cand is None:
            continue
        expanded += 1
        if all(p in definition or p[:2] in definition for p in cand.expansion):
            agree += 1
        else:
            disagree.append(f"{cand.term} = {'、'.join(cand.expansion)}")
    share = agree / expanded if expanded else None
    print(
        f"  expansions: {expanded} of {len(defined)} numbered glossary terms expanded; "
        f"{agree} agree with the glossary's definition"
        + (f" ({share:.2f})" if share is not None else "")
    )
    for line in disagree[:10]:
        print(f"    disagrees: {line}")
    return {"terms": len(defined), "expanded": expanded, "agree": agree, "precision": share}


def misses(shared: Path, n: int = 20, k: int = 50) -> list[dict[str, Any]]:
    """Print and return the ``n`` dev gold terms the detector misses in the top ``k`` most often.

    Each row: the term, its gold kind (numbered formulation or not; in the
    built-in lexicon with its kind, in the silver list, or never listed), in how
    many reports it is missed out of those whose gold holds it, in how many it
    is no candidate at all, its body occurrences in the reports that miss it,
    and its ranks where it is a candidate below ``k``.
    """
    detector_cls, why = _detector_class()
    if detector_cls is None:
        print(f"{SKIPPED} ({why})")
        return []
    reports = _dev_reports(shared)
    gold = dev_gold(shared)
    cands, _ = _detector_run(reports)
    texts = {r["id"]: r["text"] for r in reports}
    worst = _worst_misses(gold, first_hits(gold, cands), texts, n, k)
    _print_misses(worst, k)
    return worst


# ---------------------------------------------------------------------------- 2. seed page
def _seed_gold(shared: Path) -> list[dict[str, Any]]:
    rows = []
    with (shared / "data" / "term_gold" / "seed_terms.tsv").open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t"), strict=False))
            if not row.get("term"):
                continue
            forms = [f for f in row.get("surface_forms", "").split("|") if f.strip()]
            row["keys"] = {_key(row["term"])} | {_key(f) for f in forms}
            rows.append(row)
    return rows


def seed_page(shared: Path) -> dict[str, Any]:
    """Part 2: the seed page's two articles through ``tifa ingest`` and ``tifa terms``.

    The articles' text is their body; their kicker, title, subtitle and subheads
    travel as docvars, and the detector reads them as evidence. 123工作法's parts
    (一张网, 两个引领, 三个平台) are written only in the subheads.
    """
    try:
        return _seed_page(shared)
    except Exception as exc:  # a detector under construction: report, keep the other figures
        traceback.print_exc()
        return {"error": f"{type(exc).__name__}: {exc}"}


def _seed_page(shared: Path) -> dict[str, Any]:
    import json
    import tempfile

    from toolkit.cli import main as tifa
    from toolkit.corpus import read_jsonl

    detector_cls, why = _detector_class()
    if detector_cls is None:
        print(f"  {DETECTOR}: {SKIPPED} ({why})")
        return {"note": SKIPPED}
    path = shared / "seeds" / SEED_PAGE
    # What a user runs: tifa ingest, then tifa terms on its output.
    with tempfile.TemporaryDirectory() as tmp:
        articles_file, terms_file = Path(tmp) / "seed.jsonl", Path(tmp) / "terms.jsonl"
        argv = ["terms", str(articles_file), "-o", str(terms_file), "--quiet"]
        if RANK is not None:
            argv += ["--rank", RANK]
        for command in (["ingest", str(path), "-o", str(articles_file), "--quiet"], argv):
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the page has no date: first/last stay empty
                status = tifa(command)
            if status != 0:
                raise RuntimeError(f"tifa {' '.join(command)} exited {status}")
        corpus = read_jsonl(articles_file)
        cands: dict[str, list[Candidate]] = {d: [] for d in corpus.doc_ids}
        with terms_file.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                cands[record["doc_id"]] = [
                    Candidate(t["term"], tuple(t["forms"]), tuple(t["expansion"] or ()))
                    for t in record["terms"]
                ]
    print(f"  {SEED_PAGE}: {len(corpus)} articles, through the CLI: tifa ingest, then tifa terms")
    article_of = {f"{d.meta.get('county', '')}{d.meta.get('town', '')}": d.doc_id for d in corpus}
    gold = _seed_gold(shared)
    unknown = sorted({g["article"] for g in gold} - set(article_of))
    if unknown:
        raise ValueError(f"seed_terms.tsv names articles not on the page: {unknown}")
    page_keys = set().union(*(g["keys"] for g in gold))
    articles: dict[str, Any] = {}
    for article, doc_id in article_of.items():
        ranked = cands[doc_id]
        own = [g for g in gold if g["article"] == article]
        keys = set().union(*(c.keys for c in ranked)) if ranked else set()
        missed = [g["term"] for g in own if not g["keys"] & keys]
        top = ranked[:20]
        hits = [c for c in top if c.keys & page_keys]
        articles[article] = {
            "doc_id": doc_id,
            "gold": len(own),
            "found": len(own) - len(missed),
            "missed": missed,
            "candidates": len(ranked),
            "precision_at_20": len(hits) / len(top) if top else 0.0,
            "top20_not_gold": [c.term for c in top if not c.keys & page_keys],
        }
    n_gold = sum(a["gold"] for a in articles.values())
    n_found = sum(a["found"] for a in articles.values())
    expanded = next(
        (c for ranked in cands.values() for c in ranked if _key(EXPANDED_TERM) in c.keys), None
    )
    parts = {_key(e) for e in expanded.expansion} if expanded else set()
    in_expansion = {p: _key(p) in parts for p in EXPANDED_PARTS}
    for article, a in articles.items():
        print(
            f"  {article} ({a['doc_id']}): {a['found']} / {a['gold']} gold terms found among "
            f"{a['candidates']} candidates; precision@20 {a['precision_at_20']:.2f}"
        )
        if a["missed"]:
            print(f"    missed: {', '.join(a['missed'])}")
        if a["top20_not_gold"]:
            print(f"    top 20, not gold: {', '.join(a['top20_not_gold'])}")
    shown = "no candidate" if expanded is None else f"expansion {list(expanded.expansion)}"
    print(f"  {EXPANDED_TERM}: {shown}")
    return {
        "articles": articles,
        "recall": n_found / n_gold if n_gold else None,
        "gold": n_gold,
        "found": n_found,
        "expansion_found": expanded is not None,
        "expansion": in_expansion,
    }


# ---------------------------------------------------------------------------- 4. term integrity
QUOTED_FIT = "Segmenter().fit(dev)"
DETECTOR_FIT = "Segmenter().fit(dev, terms=TermDetector().fit(dev))"


def term_integrity(shared: Path) -> dict[str, Any]:
    """Part 4: glossary-term occurrences in the dev reports that come out as one token.

    Scored as :func:`benchmarks.segmentation.term_integrity` scores them (its
    helpers, same occurrences): the glossary's core terms found in each dev
    report's body, an occurrence inside a longer term's occurrence left out.
    Two segmenters, both fitted on the 74 dev reports: ``Segmenter().fit(corpus)``
    learns the quoted terms only; ``Segmenter().fit(corpus, terms=det)``
    also learns every term of ``det.terms_`` in every surface form, ``det``
    being ``TermDetector()`` fitted on the same reports.
    """
    try:
        return _term_integrity(shared)
    except Exception as exc:  # a detector or segmenter under construction
        traceback.print_exc()
        return {"error": f"{type(exc).__name__}: {exc}"}


def _term_integrity(shared: Path) -> dict[str, Any]:
    reports, occurrences, n_occ, n_terms = dev_occurrences(shared)
    print(f"  {len(reports)} dev reports, {n_terms} distinct terms, {n_occ} body occurrences")
    corpus = _dev_corpus(reports)
    out: dict[str, Any] = {"reports": len(reports), "terms": n_terms, "occurrences": n_occ}
    systems: dict[str, dict[str, Any]] = {}
    start = time.perf_counter()
    quoted = _segmenter().fit(corpus)
    systems[QUOTED_FIT] = {"segmenter": quoted, "fit_seconds": time.perf_counter() - start}
    detector_cls, why = _detector_class()
    if detector_cls is None:
        print(f"  {DETECTOR_FIT}: {SKIPPED} ({why})")
        systems[DETECTOR_FIT] = {"note": SKIPPED}
    elif "terms" not in inspect.signature(quoted.fit).parameters:
        note = "skipped: Segmenter.fit takes no terms= yet"
        print(f"  {DETECTOR_FIT}: {note}")
        systems[DETECTOR_FIT] = {"note": note}
    else:
        start = time.perf_counter()
        det = _new_detector(detector_cls).fit(corpus)
        detector_seconds = time.perf_counter() - start
        start = time.perf_counter()
        seg = _segmenter().fit(corpus, terms=det)
        systems[DETECTOR_FIT] = {
            "segmenter": seg,
            "fit_seconds": time.perf_counter() - start,
            "detector_fit_seconds": detector_seconds,
            "detector_terms": len(det.terms_),
        }
    for name, row in systems.items():
        seg = row.pop("segmenter", None)
        if seg is None:
            continue
        intact = 0
        broken: Counter[str] = Counter()
        for r in reports:
            tokens = seg.segment_text(r["text"])
            if "".join(tokens) != r["text"]:
                raise AssertionError(f"{name} lost characters in {r['id']}")
            spans = _boundaries(tokens)
            for term, s, e in occurrences[r["id"]]:
                if (s, e) in spans:
                    intact += 1
                else:
                    broken[term] += 1
        row.update(
            intact=intact,
            share=intact / n_occ if n_occ else None,
            n_learned=seg.n_learned_,
            most_broken=broken.most_common(10),
            broken=dict(broken),
        )
        print(
            f"  {name}: {intact} / {n_occ} = {_f(row['share'], '.1%')} whole; "
            f"{seg.n_learned_} terms learned, fit {row['fit_seconds']:.1f} s"
        )
    done = systems[DETECTOR_FIT]
    if "most_broken" in done:
        print(
            f"    TermDetector().fit(dev): {done['detector_terms']} terms in terms_, "
            f"{done['detector_fit_seconds']:.1f} s"
        )
        print(
            "    most often broken:",
            ", ".join(f"{t}×{n}" for t, n in done["most_broken"]) or "none",
        )
    out["systems"] = systems
    return out


# ---------------------------------------------------------------------------- 3. speed, memory
def detect_speed(shared: str | Path) -> dict[str, Any]:
    """``detect`` throughput on provincial.jsonl after ``fit`` on it (run in a fresh process).

    One fit with the defaults (``n_jobs=1``); ``detect`` once as fitted, then
    again after ``det.n_jobs = 2``. Both tables must be equal: ``identical``
    is False, and ``difference`` says how they differ, when they are not.
    """
    from toolkit import read_gov_reports

    detector_cls, _ = _detector_class()
    if detector_cls is None:
        return {"note": SKIPPED}
    corpus = read_gov_reports(Path(shared) / "data" / "gov_work_reports" / "provincial.jsonl")
    mb = sum(len(t.encode("utf-8")) for t in corpus.texts) / 1e6
    start = time.perf_counter()
    det = _new_detector(detector_cls).fit(corpus)
    fit_seconds = time.perf_counter() - start
    out: dict[str, Any] = {"documents": len(corpus), "mb": mb, "fit_seconds": fit_seconds}
    print(f"  provincial.jsonl: {len(corpus)} reports, {mb:.1f} MB; fit {fit_seconds:.1f} s")
    tables = {}
    for n_jobs in (1, PARALLEL_JOBS):
        det.n_jobs = n_jobs
        start = time.perf_counter()
        tables[n_jobs] = table = det.detect(corpus)
        seconds = time.perf_counter() - start
        suffix = "" if n_jobs == 1 else f"_n_jobs{n_jobs}"
        out[f"detect_seconds{suffix}"] = seconds
        out[f"mb_per_s{suffix}"] = mb / seconds
        out[f"rows{suffix}"] = len(table)
        print(
            f"  detect, n_jobs={n_jobs}: {seconds:.1f} s = {mb / seconds:.2f} MB/s, "
            f"{len(table)} rows"
        )
    out["n_jobs"] = PARALLEL_JOBS
    out["identical"], out["difference"] = _same_table(tables[1], tables[PARALLEL_JOBS])
    shown = "equal" if out["identical"] else f"DIFFERENT: {out['difference']}"
    print(f"  detect tables, n_jobs=1 and n_jobs={PARALLEL_JOBS}: {shown}")
    return out


def _same_table(a: Any, b: Any) -> tuple[bool, str]:
    """``(True, "")`` when ``pandas.testing.assert_frame_equal`` passes, else its message."""
    from pandas.testing import assert_frame_equal

    try:
        assert_frame_equal(a, b)
    except AssertionError as exc:
        return False, " ".join(str(exc).split())[:500]
    return True, ""


def _children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (every thread's), from /proc."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError, ValueError):
            out += [int(c) for c in task.read_text().split()]
    return out


class _TreeMemory:
    """Peak PSS of this process and its children together, sampled every ``interval`` s.

    With ``n_jobs > 1`` the workers are forked: their RSS counts the pages they
    share with the parent again, their PSS does not.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import os

        me = os.getpid()
        while True:
            pids = [me, *_children(me)]
            total = sum(proc_mb("Pss", pid=p, file="smaps_rollup") or 0.0 for p in pids)
            if total > self.peak_mb:
                self.peak_mb, self.peak_processes = total, len(pids)
            if self._stop.wait(self.interval):
                return


def fit_memory(shared: str | Path) -> dict[str, Any]:
    """Time and peak RSS of ``fit`` on every report, default ``n_jobs`` (run in a fresh process).

    The reports are loaded as a :class:`~toolkit.Corpus` first (not timed, but
    inside the peak: RSS after loading is reported beside it).
    """
    return _fit_memory(shared, n_jobs=None)


def fit_memory_parallel(shared: str | Path) -> dict[str, Any]:
    """As :func:`fit_memory`, with ``TermDetector(n_jobs=2)``.

    Besides this process's peak RSS: the largest worker's peak RSS
    (``RUSAGE_CHILDREN``; it counts the pages shared with the parent at fork)
    and the peak PSS of the parent and its workers together, sampled twice a
    second (shared pages counted once).
    """
    return _fit_memory(shared, n_jobs=PARALLEL_JOBS)


def _fit_memory(shared: str | Path, n_jobs: int | None) -> dict[str, Any]:
    import resource

    from toolkit import read_gov_reports

    detector_cls, _ = _detector_class()
    if detector_cls is None:
        return {"note": SKIPPED}
    start = time.perf_counter()
    corpus = read_gov_reports(Path(shared) / "data" / "gov_work_reports")
    load_seconds = time.perf_counter() - start
    loaded_mb = proc_mb("VmRSS")
    chars = sum(len(t) for t in corpus.texts)
    det = _new_detector(detector_cls)
    if n_jobs is not None:
        det.n_jobs = n_jobs
    with _TreeMemory() as tree:
        start = time.perf_counter()
        det.fit(corpus)
        fit_seconds = time.perf_counter() - start
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {
        "n_jobs": det.n_jobs,
        "documents": len(corpus),
        "characters": chars,
        "load_seconds": load_seconds,
        "loaded_rss_mb": loaded_mb,
        "fit_seconds": fit_seconds,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": children_kb / 1024 if children_kb else None,
        "tree_peak_pss_mb": tree.peak_mb or None,
        "tree_peak_processes": tree.peak_processes,
    }
    peak = "?" if out["peak_rss_mb"] is None else f"{out['peak_rss_mb']:.0f}"
    workers = ""
    if det.n_jobs > 1:
        workers = (
            f"; largest worker peak RSS {_f(out['worker_peak_rss_mb'], '.0f')} MB; "
            f"all processes together peak PSS {_f(out['tree_peak_pss_mb'], '.0f')} MB"
        )
    print(
        f"  all reports, n_jobs={det.n_jobs}: {len(corpus)} documents, "
        f"{chars / 1e6:.1f} M characters; fit {fit_seconds:.1f} s; peak RSS {peak} MB "
        f"({loaded_mb or 0:.0f} MB after loading){workers}"
    )
    return out


# ---------------------------------------------------------------------------- --tune
def tune(shared: Path) -> dict[str, Any]:
    """How the ranking weights ``_WEIGHTS`` of ``toolkit/terms/scoring.py`` are obtained.

    ``TermDetector(progress=False)`` is fitted on the 74 dev reports. For every
    report and every candidate it finds there, the features are computed
    exactly as ``TermDetector._rank`` computes them, and the label says whether
    the candidate is one of the report's gold terms (as in part 1: the
    canonical key of its term or of one of its forms is a gold key). A
    logistic regression (``C=1.0``, ``max_iter=2000``) on every candidate of
    every report gives the weights, printed rounded to 2 decimals as the
    ``_WEIGHTS`` literal (``bias`` is the bias feature's weight plus the
    intercept). The score being their weighted sum, a candidate's score is the
    log-odds that its report's glossary explains it.

    Checks, each ranking every candidate by score (no ``min_score`` cut):
    2-fold cross-validation by report (report ids shuffled with seed 0, halved;
    weights fitted on one half, rounded, scored on the other) and the current
    ``_WEIGHTS`` on every dev report. The ``test`` split is never read:
    ``_dev_reports`` keeps ``term_gold_split == "dev"`` only. Deterministic.
    """
    import numpy as np

    from toolkit.terms.scoring import _WEIGHTS

    reports = _dev_reports(shared)
    gold = dev_gold(shared)
    start = time.perf_counter()
    data = _tuning_data(reports, gold)
    names = data["names"]
    print(
        f"  {len(reports)} dev reports: {len(data['y'])} candidates, {int(data['y'].sum())} "
        f"match a gold term; {len(names)} features; {time.perf_counter() - start:.1f} s"
    )
    if set(names) != set(_WEIGHTS):
        print(f"  features and _WEIGHTS differ: {sorted(set(names) ^ set(_WEIGHTS))}")
    doc_ids = [r["id"] for r in reports]
    weights = _fit_weights(data, doc_ids)
    order = [k for k in _WEIGHTS if k in weights] + [k for k in weights if k not in _WEIGHTS]
    literal = "_WEIGHTS = {\n" + "".join(f'    "{k}": {weights[k]!r},\n' for k in order) + "}"
    print(f"  logistic regression (C={TUNE_C}, max_iter={TUNE_MAX_ITER}) on all dev candidates:")
    print("\n".join("    " + line for line in literal.splitlines()))

    shuffled = sorted(doc_ids)
    random.Random(TUNE_SEED).shuffle(shuffled)
    half = (len(shuffled) + 1) // 2
    folds = [sorted(shuffled[:half]), sorted(shuffled[half:])]
    current = {k: float(v) for k, v in _WEIGHTS.items()}
    rows: list[dict[str, Any]] = []
    print(
        f"  {TUNE_FOLDS}-fold cross-validation by report (seed {TUNE_SEED}), all candidates ranked:"
    )
    print(
        f"    {'fold':<6}{'reports':>8}{'pairs':>7}{'@20':>8}{'@50':>8}{'current @50':>13}"
        f"{'nl@50':>8}{'all':>7}{'reader @50':>12}{'nl@50':>8}{'all':>7}"
    )
    for i, held_out in enumerate(folds, 1):
        train = [d for d in doc_ids if d not in set(held_out)]
        fold_weights = _fit_weights(data, train)
        fitted = _tuned_recall(data, gold, held_out, fold_weights)
        base = _tuned_recall(data, gold, held_out, current)
        read = _tuned_recall(data, gold, held_out, fold_weights, reader=True)
        rows.append(
            {
                "fold": i,
                "reports": len(held_out),
                "pairs": fitted["all"]["n"],
                "at20": fitted["all"]["at20"],
                "at50": fitted["all"]["at50"],
                "current_at20": base["all"]["at20"],
                "current_at50": base["all"]["at50"],
                "reader_at50": read["all"]["at50"],
                "reader_all": read["all"]["all"],
                "reader_never_listed_at50": read["never-listed"]["at50"],
                "glossary_all": fitted["all"]["all"],
                "glossary_never_listed_at50": fitted["never-listed"]["at50"],
                "weights": fold_weights,
            }
        )
        print(
            f"    {i:<6}{len(held_out):>8}{fitted['all']['n']:>7}{_f(fitted['all']['at20']):>8}"
            f"{_f(fitted['all']['at50']):>8}{_f(base['all']['at50']):>13}"
            f"{_f(fitted['never-listed']['at50']):>8}{_f(fitted['all']['all']):>7}"
            f"{_f(read['all']['at50']):>12}{_f(read['never-listed']['at50']):>8}"
            f"{_f(read['all']['all']):>7}"
        )
    mean20 = float(np.mean([r["at20"] for r in rows]))
    mean50 = float(np.mean([r["at50"] for r in rows]))
    means = {
        k: float(np.mean([r[k] for r in rows]))
        for k in (
            "glossary_never_listed_at50",
            "glossary_all",
            "reader_at50",
            "reader_never_listed_at50",
            "reader_all",
        )
    }
    print(
        f"    {'mean':<6}{'':>8}{'':>7}{mean20:>8.3f}{mean50:>8.3f}{'':>13}"
        f"{means['glossary_never_listed_at50']:>8.3f}{means['glossary_all']:>7.3f}"
        f"{means['reader_at50']:>12.3f}{means['reader_never_listed_at50']:>8.3f}"
        f"{means['reader_all']:>7.3f}"
    )
    print(
        "    (every candidate ranked, no min_score cut; nl = never-listed; reader = rank='reader')"
    )
    on_all = _tuned_recall(data, gold, doc_ids, current)
    refit = _tuned_recall(data, gold, doc_ids, weights)
    print(
        f"  all {len(doc_ids)} dev reports: current _WEIGHTS recall@20 "
        f"{_f(on_all['all']['at20'])}, recall@50 {_f(on_all['all']['at50'])}; "
        f"the weights above (in-sample) @20 {_f(refit['all']['at20'])}, "
        f"@50 {_f(refit['all']['at50'])}"
    )
    return {
        "reports": len(reports),
        "candidates": len(data["y"]),
        "positives": int(data["y"].sum()),
        "weights": {k: weights[k] for k in order},
        "literal": literal,
        "folds": rows,
        "cv_mean_at20": mean20,
        "cv_mean_at50": mean50,
        "cv_means": means,
        "current": {"at20": on_all["all"]["at20"], "at50": on_all["all"]["at50"]},
        "refit_in_sample": {"at20": refit["all"]["at20"], "at50": refit["all"]["at50"]},
    }


def _tuning_data(reports: list[dict[str, Any]], gold: Sequence[Gold]) -> dict[str, Any]:
    """Features, labels and ranking keys of every candidate, as ``TermDetector._rank`` has them."""
    import numpy as np

    from toolkit.terms import TermDetector, strip_quotes
    from toolkit.terms.canonical import pick_canonical
    from toolkit.terms.scoring import _headings

    corpus = _dev_corpus(reports)
    start = time.perf_counter()
    # The glossary's candidates: the reader's ranking lets the matcher's score
    # bound skip no listed term, which adds candidates no glossary weight sees.
    det = TermDetector(progress=False, rank="glossary").fit(corpus)
    print(
        f"  TermDetector(progress=False, rank='glossary').fit(dev): "
        f"{time.perf_counter() - start:.1f} s"
    )
    gold_keys: dict[str, set[str]] = {}
    for g in gold:
        gold_keys.setdefault(g.doc_id, set()).add(g.key)
    n = det.n_documents_
    names: list[str] = []
    features: list[list[float]] = []
    labels: list[int] = []
    docs: list[str] = []
    cands: list[tuple[int, str, Candidate]] = []  # (first, term, candidate) for ranking ties
    salience: list[float] = []
    for doc in corpus:
        keys = gold_keys.get(doc.doc_id, set())
        headings = _headings(doc.text)
        for key, c in det._candidates(doc.text).items():
            canonical = c.preferred or det.vocabulary_.get(key) or pick_canonical(c.forms)
            kind = det._kind(c, canonical)
            f = det._features(
                c, canonical, kind, len(c.starts), det.df_.get(key, 1), n, max(len(doc.text), 1)
            )
            if not names:
                names = list(f)
            cand = Candidate(canonical, tuple(sorted({strip_quotes(x) for x in c.forms})))
            features.append([f[name] for name in names])
            labels.append(int(bool(cand.keys & keys)))
            docs.append(doc.doc_id)
            cands.append((c.first, canonical, cand))
            salience.append(det._salience(key, c, len(c.starts), doc.text, headings)[0])
    return {
        "salience": np.array(salience, dtype=float),
        "names": names,
        "X": np.array(features, dtype=float),
        "y": np.array(labels, dtype=int),
        "docs": np.array(docs, dtype=object),
        "cands": cands,
    }


def _fit_weights(data: dict[str, Any], doc_ids: Sequence[str]) -> dict[str, float]:
    """Logistic-regression weights on the candidates of ``doc_ids``, rounded to 2 decimals."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows = np.isin(data["docs"], list(doc_ids))
    model = LogisticRegression(C=TUNE_C, max_iter=TUNE_MAX_ITER)
    model.fit(data["X"][rows], data["y"][rows])
    coef = dict(zip(data["names"], model.coef_[0].tolist(), strict=True))
    coef["bias"] = coef.get("bias", 0.0) + float(model.intercept_[0])
    return {k: round(v, 2) + 0.0 for k, v in coef.items()}  # + 0.0: no -0.0


def _tuned_recall(
    data: dict[str, Any],
    gold: Sequence[Gold],
    doc_ids: Sequence[str],
    weights: dict[str, float],
    *,
    reader: bool = False,
) -> dict[str, Any]:
    """Recall of the gold of ``doc_ids``, every candidate ranked by ``weights`` as in ``_rank``.

    ``reader``: ranked as ``rank="reader"`` ranks: the candidates whose
    prominence (officialness from ``weights`` too) reaches ``_READER_STRESS``,
    at most ``_READER_LEAD``, lead (a general word only if listed); the others
    follow by the glossary scores of ``weights``.
    """
    import numpy as np

    from toolkit.terms.scoring import (
        _FAMILIARITY,
        _GENERAL_WORD,
        _READER_LEAD,
        _READER_STRESS,
    )

    w = np.array([weights.get(name, 0.0) for name in data["names"]])
    scores = data["X"] @ w
    if reader:
        official_w = dict(weights, lexicon=max(weights["lexicon"], weights["quoted"]))
        wo = np.array([0.0 if n in _FAMILIARITY else official_w.get(n, 0.0) for n in data["names"]])
        prominence = data["salience"] + np.minimum(0.0, data["X"] @ wo)
        column = {name: i for i, name in enumerate(data["names"])}
        general_word = (data["X"][:, column["general"]] >= _GENERAL_WORD) & (
            data["X"][:, column["lexicon"]] == 0
        )
        lead_scores = np.array(scores, dtype=float)
        for doc in set(doc_ids):
            rows = np.flatnonzero(data["docs"] == doc)
            order = sorted(
                (r for r in rows if prominence[r] >= _READER_STRESS and not general_word[r]),
                key=lambda r: (-round(float(prominence[r]), 6), data["cands"][r][:2]),
            )
            # The lead sorts above every glossary log-odds, in prominence order.
            for i, r in enumerate(order[:_READER_LEAD]):
                lead_scores[r] = 1000.0 - i
        scores = lead_scores
    wanted = set(doc_ids)
    ranked: dict[str, list[tuple[float, int, str, Candidate]]] = {d: [] for d in doc_ids}
    for doc, score, (first, term, cand) in zip(data["docs"], scores, data["cands"], strict=True):
        if doc in wanted:
            ranked[doc].append((-round(float(score), 6), first, term, cand))
    cands = {d: [c for *_, c in sorted(rows, key=lambda r: r[:3])] for d, rows in ranked.items()}
    return recall_table([g for g in gold if g.doc_id in wanted], cands, list(doc_ids))


# ---------------------------------------------------------------------------- summary
def _f(x: float | None, fmt: str = ".3f") -> str:
    return "—" if x is None else format(x, fmt)


def _summary(
    dev: dict[str, Any],
    seed: dict[str, Any] | None,
    spd: dict | None,
    mem: dict | None,
    mem_parallel: dict | None = None,
    integrity: dict | None = None,
) -> list[tuple[str, str, str, str]]:
    """The summary rows: every figure with its target, also when it could not be measured."""
    det = dev["systems"].get(DETECTOR) or {"note": dev.get("detector_note", "not run")}
    quoted = dev["systems"].get("quoted by frequency")
    rows: list[tuple[str, str, str, str]] = []

    def add(figure: str, res: dict | None, measured: Any, target: str, met: Any = None) -> None:
        """One row; ``measured`` and ``met`` are called on ``res`` unless it holds no figures."""
        if res is None:  # part not run (--quick, --no-baselines)
            return
        if "note" in res:
            rows.append(_row(figure, res["note"], target, None))
        elif "error" in res:
            rows.append(
                _row(figure, f"failed: {res['error']}", target, None if met is None else False)
            )
        else:
            rows.append(_row(figure, measured(res), target, None if met is None else met(res)))

    add("dev recall@20", det, lambda r: _f(r["all"]["at20"]), "(none)")
    add(
        "dev recall@50",
        det,
        lambda r: _f(r["all"]["at50"]),
        f">= {TARGET_RECALL_AT_50}",
        lambda r: r["all"]["at50"] >= TARGET_RECALL_AT_50,
    )
    add(
        "dev recall, all candidates",
        det,
        lambda r: f"{_f(r['all']['all'])} at median {r['median_candidates']:g} / report",
        f">= {TARGET_RECALL_ALL} at median <= {TARGET_MEDIAN_CANDIDATES}",
        lambda r: (
            r["all"]["all"] >= TARGET_RECALL_ALL
            and r["median_candidates"] <= TARGET_MEDIAN_CANDIDATES
        ),
    )
    for subset in ("numbered", "never-listed"):
        add(f"dev {subset} recall@20", det, lambda r, s=subset: _f(r[s]["at20"]), "(none)")
        target = f">= {TARGET_NEVER_LISTED_AT_50}" if subset == "never-listed" else "(none)"
        add(
            f"dev {subset} recall@50",
            det,
            lambda r, s=subset: _f(r[s]["at50"]),
            target,
            (lambda r: r["never-listed"]["at50"] >= TARGET_NEVER_LISTED_AT_50)
            if subset == "never-listed"
            else None,
        )
        add(f"dev {subset} recall, all", det, lambda r, s=subset: _f(r[s]["all"]), "(none)")
    add(
        "dev expansions agreeing with the glossary",
        dev.get("expansions"),
        lambda r: (
            f"{_f(r['precision'], '.2f')} ({r['agree']} / {r['expanded']} expanded, "
            f"of {r['terms']} numbered glossary terms)"
        ),
        "(none)",
    )
    for name, ref in REFERENCE_AT_50.items():
        add(
            f"baseline {name}: recall@50 (never-listed)",
            dev["systems"].get(name),
            lambda r: f"{_f(r['all']['at50'])} ({_f(r['never-listed']['at50'])})",
            f"reference {ref:.3f}",
        )
    ref_recall, ref_median = REFERENCE_QUOTED_ALL
    add(
        "baseline quoted strings, all",
        quoted,
        lambda r: f"{_f(r['all']['all'])} at median {r['median_candidates']:g} / report",
        f"reference {ref_recall} at ~{ref_median}",
    )
    add(
        "seed recall, all candidates (through the CLI)",
        seed,
        lambda r: f"{_f(r['recall'])} ({r['found']} / {r['gold']})",
        f">= {TARGET_SEED_RECALL}",
        lambda r: r["recall"] >= TARGET_SEED_RECALL,
    )
    if seed is not None and "articles" in seed:
        for article, art in seed["articles"].items():
            add(
                f"seed precision@20 {article}",
                art,
                lambda r: _f(r["precision_at_20"], ".2f"),
                f">= {TARGET_SEED_PRECISION_AT_20}",
                lambda r: r["precision_at_20"] >= TARGET_SEED_PRECISION_AT_20,
            )
    else:
        add(
            "seed precision@20 per article",
            seed,
            str,
            f">= {TARGET_SEED_PRECISION_AT_20}",
            lambda r: False,
        )
    add(
        f"seed {EXPANDED_TERM} expansion",
        seed,
        lambda r: (
            f"{sum(r['expansion'].values())} / {len(EXPANDED_PARTS)}"
            f" ({'、'.join(p for p, ok in r['expansion'].items() if ok) or 'none'})"
            + ("" if r["expansion_found"] else f"; no {EXPANDED_TERM} candidate")
        ),
        f"all {len(EXPANDED_PARTS)} ({'、'.join(EXPANDED_PARTS)})",
        lambda r: all(r["expansion"].values()),
    )
    for n_jobs, suffix in ((1, ""), (PARALLEL_JOBS, f"_n_jobs{PARALLEL_JOBS}")):
        add(
            f"speed: detect, provincial, n_jobs={n_jobs}",
            spd,
            lambda r, x=suffix: (
                f"{r['mb_per_s' + x]:.2f} MB/s "
                f"({r['mb']:.0f} MB in {r['detect_seconds' + x]:.1f} s)"
            ),
            f">= {TARGET_DETECT_MB_S} MB/s",
            lambda r, x=suffix: r["mb_per_s" + x] >= TARGET_DETECT_MB_S,
        )
    add(
        f"speed: detect n_jobs={PARALLEL_JOBS} table",
        spd,
        lambda r: "equal to n_jobs=1" if r["identical"] else f"differs: {r['difference'][:60]}",
        "equal to n_jobs=1",
        lambda r: r["identical"],
    )
    add("speed: fit, provincial", spd, lambda r: f"{r['fit_seconds']:.1f} s", "(none)")
    for res, label in ((mem, ""), (mem_parallel, f", n_jobs={PARALLEL_JOBS}")):
        add(
            f"time: fit on all reports{label}",
            res,
            lambda r: f"{r['fit_seconds']:.1f} s ({r['characters'] / 1e6:.1f} M chars)",
            f"< {TARGET_FIT_SECONDS:.0f} s",
            lambda r: r["fit_seconds"] < TARGET_FIT_SECONDS,
        )
    add(
        "memory: fit on all reports",
        mem,
        lambda r: (
            f"{_f(r['peak_rss_mb'], '.0f')} MB peak "
            f"({_f(r['loaded_rss_mb'], '.0f')} MB after loading)"
        ),
        f"< {TARGET_FIT_RSS_MB:.0f} MB",
        lambda r: r["peak_rss_mb"] is not None and r["peak_rss_mb"] < TARGET_FIT_RSS_MB,
    )
    add(
        f"memory: fit on all reports, n_jobs={PARALLEL_JOBS}",
        mem_parallel,
        lambda r: (
            f"{_f(r['peak_rss_mb'], '.0f')} MB peak, all processes "
            f"{_f(r['tree_peak_pss_mb'], '.0f')} MB PSS (worker RSS "
            f"{_f(r['worker_peak_rss_mb'], '.0f')} MB)"
        ),
        f"< {TARGET_FIT_RSS_MB:.0f} MB",
        lambda r: (
            r["peak_rss_mb"] is not None
            and max(r["peak_rss_mb"], r["tree_peak_pss_mb"] or 0.0) < TARGET_FIT_RSS_MB
        ),
    )
    systems = (integrity or {}).get("systems", {})
    add(
        "terms whole: Segmenter fit, quoted only",
        systems.get(QUOTED_FIT, integrity),
        lambda r: f"{_f(r['share'], '.1%')} ({r['intact']} / {integrity['occurrences']})",
        f"reference {REFERENCE_INTACT_QUOTED:.1%}",
    )
    add(
        "terms whole: Segmenter fit, terms=detector",
        systems.get(DETECTOR_FIT, integrity),
        lambda r: (
            f"{_f(r['share'], '.1%')} ({r['intact']} / {integrity['occurrences']}; "
            f"{r['n_learned']} learned)"
        ),
        f">= {TARGET_TERMS_FITTED:.0%} after fit with the detector",
        lambda r: r["share"] is not None and r["share"] >= TARGET_TERMS_FITTED,
    )
    return rows


def _print_table(rows: list[tuple[str, str, str, str]], seconds: float) -> None:
    header = ("figure", "measured", "target", "met?")
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"-- summary ({seconds:.0f} s)")
    for r in (header, *rows):
        print("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())


def main(
    shared: Path, *, quick: bool = False, baselines: bool = True, n_misses: int = 0
) -> dict[str, Any]:
    """Every figure beside its target; ``quick`` skips part 3 (speed and memory)."""
    start = time.perf_counter()
    print("-- 1. recall on the dev glossaries")
    dev = dev_recall(shared, baselines=baselines, n_misses=n_misses)
    print("-- 2. seed page")
    seed = seed_page(shared)
    spd = mem = mem_parallel = None
    if not quick:
        # Fresh interpreters: what parts 1 and 2 loaded neither slows nor inflates these.
        print("-- 3. speed and memory (fresh interpreters)")
        spd = in_fresh_process("terms", "detect_speed", str(shared))
        mem = in_fresh_process("terms", "fit_memory", str(shared), timeout=FIT_TIMEOUT_SECONDS)
        mem_parallel = in_fresh_process(
            "terms", "fit_memory_parallel", str(shared), timeout=FIT_TIMEOUT_SECONDS
        )
    print("-- 4. term integrity (Segmenter.fit on the dev reports)")
    integrity = term_integrity(shared)
    rows = _summary(dev, seed, spd, mem, mem_parallel, integrity)
    _print_table(rows, time.perf_counter() - start)
    header = ("figure", "measured", "target", "met?")
    return {
        "dev": dev,
        "seed": seed,
        "speed": spd,
        "memory": mem,
        "memory_parallel": mem_parallel,
        "term_integrity": integrity,
        "summary": [dict(zip(header, r, strict=True)) for r in rows],
    }


def _cli(argv: list[str] | None = None) -> int:
    parser = suite_parser("python -m benchmarks.terms", __doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip part 3 (speed and memory)")
    parser.add_argument("--no-baselines", action="store_true", help="skip the jieba baselines")
    parser.add_argument(
        "--misses", type=int, default=0, metavar="N", help="also list the N worst-missed terms"
    )
    parser.add_argument(
        "--tune",
        action="store_true",
        help="only refit the ranking weights (_WEIGHTS) on the dev reports, see tune()",
    )
    parser.add_argument(
        "--rank",
        choices=("reader", "glossary"),
        default=None,
        help="the ranking parts 1 and 2 measure (default: the detector's default, reader)",
    )
    args = parser.parse_args(argv)
    global RANK
    RANK = args.rank
    shared = shared_data(args)
    if shared is None:
        return 2
    if args.tune:
        print("-- tune: ranking weights on the dev reports")
        result = tune(shared)
    else:
        result = main(
            shared, quick=args.quick, baselines=not args.no_baselines, n_misses=args.misses
        )
    write_json(args, result)
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
