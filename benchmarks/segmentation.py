"""Segmentation: accuracy, term integrity, speed and memory, each beside its target.

1. Accuracy: word F1 on the SIGHAN 2005 PKU and MSR test sets (scored as the
   bakeoff's ``score`` script does, see :mod:`benchmarks.sighan`), each line
   segmented on its own, for jieba (the anchor), the toolkit's default and the
   adaptation mode (the training word list as the dictionary).
2. Term integrity: the share of body occurrences of the official glossary terms
   of the 74 ``dev`` reports that come out as exactly one token; and, on the
   seed page, the seed terms that do not.
3. Speed on the provincial reports from 2016 on, as a ratio to jieba in the same run.
4. Peak memory and time of streaming every government work report through
   ``Segmenter.iter_segment``, in a fresh process.

``python -m benchmarks --only segmentation`` runs it all (a few minutes).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.fresh_process import in_fresh_process
from benchmarks.sighan import gold_words, score_words, segment_file, test_lines

# Targets (issue text) and anchors measured on this machine before the toolkit existed.
TARGET_ADAPTED_PKU = 0.93  # above THULAC's published 0.923
TARGET_TERMS_FITTED = 0.95
TARGET_SPEEDUP = 10.0
TARGET_RSS_MB = 1024
ANCHOR_JIEBA_F1 = {"pku": 0.818, "msr": 0.814}
ANCHOR_JIEBA_TERMS = 0.22
SEED_PAGE = "000_06ec6037ffd34e66.txt"


# ---------------------------------------------------------------------------- helpers
def _jieba() -> Any:
    """A private, initialized ``jieba.Tokenizer`` (jieba's global one is left alone)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    log = logging.getLogger("jieba")
    old = log.disabled
    log.disabled = True
    try:
        tokenizer.initialize()
    finally:
        log.disabled = old
    return tokenizer


def _segmenter(**params: Any) -> Any:
    from toolkit.segment import Segmenter

    seg = Segmenter(progress=False, **params)
    seg.segment_text("预热")  # build the engine (dictionary, lexicon automaton) now
    return seg


def _boundaries(tokens: Iterable[str]) -> set[tuple[int, int]]:
    spans = set()
    pos = 0
    for tok in tokens:
        spans.add((pos, pos + len(tok)))
        pos += len(tok)
    return spans


def _occurrences(text: str, term: str) -> list[tuple[int, int]]:
    """Non-overlapping occurrences, left to right (as ``str.count`` counts them).

    As in the toolkit's term matching, an occurrence whose edge continues a
    run of letters or digits is not one: ``18`` is not in ``2018``, nor
    ``1+4`` in ``11+4``.
    """
    out = []
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        if not (_alnum(text, start - 1) and _alnum(text, start)) and not (
            _alnum(text, end - 1) and _alnum(text, end)
        ):
            out.append((start, end))
            start = text.find(term, end)
        else:
            start = text.find(term, start + 1)
    return out


def _alnum(text: str, i: int) -> bool:
    """A Latin letter or a digit, ASCII or full-width."""
    return 0 <= i < len(text) and text[i] in _ALNUM


_ALNUM = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ---------------------------------------------------------------------------- 1. accuracy
def accuracy(shared: Path) -> dict[str, Any]:
    """Word F1 on SIGHAN 2005 PKU and MSR for jieba, the default and the adaptation mode."""
    root = shared / "data" / "sighan2005"
    jieba = _jieba()
    systems: dict[str, Callable[[str], Callable[[str], list[str]]]] = {
        "jieba lcut (HMM)": lambda c: jieba.lcut,
        "jieba lcut (no HMM)": lambda c: lambda s: jieba.lcut(s, HMM=False),
        "Segmenter() default": lambda c: _segmenter().segment_text,
        "Segmenter(hmm=False)": lambda c: _segmenter(hmm=False).segment_text,
        "Segmenter(hmm='guarded')": lambda c: _segmenter(hmm="guarded").segment_text,
    }
    for lexicons in ([], ["builtin"]):
        for hmm in (True, False, "guarded"):
            name = f"adapted lexicons={lexicons} hmm={hmm}"

            def make(c: str, lexicons: list[str] = lexicons, hmm: bool | str = hmm) -> Any:
                words = root / "gold" / f"{c}_training_words.utf8"
                return _segmenter(dictionary=words, lexicons=lexicons, hmm=hmm).segment_text

            systems[name] = make
    rows: dict[str, dict[str, Any]] = {}
    for corpus in ("pku", "msr"):
        lines = test_lines(root / "testing" / f"{corpus}_test.utf8")
        gold = gold_words(root / "gold" / f"{corpus}_test_gold.utf8")
        for name, make in systems.items():
            cut = make(corpus)
            start = time.perf_counter()
            score = score_words(gold, segment_file(lines, cut))
            row = rows.setdefault(name, {})
            row[corpus] = score.as_dict() | {"seconds": round(time.perf_counter() - start, 2)}
    print(
        f"{'system':<40}{'PKU P':>8}{'PKU R':>8}{'PKU F1':>8}{'MSR P':>8}{'MSR R':>8}{'MSR F1':>8}"
    )
    for name, row in rows.items():
        p, m = row["pku"], row["msr"]
        print(
            f"{name:<40}{p['precision']:>8.4f}{p['recall']:>8.4f}{p['f1']:>8.4f}"
            f"{m['precision']:>8.4f}{m['recall']:>8.4f}{m['f1']:>8.4f}"
        )
    adapted = {k: v for k, v in rows.items() if k.startswith("adapted")}
    best = max(adapted, key=lambda k: adapted[k]["pku"]["f1"])
    return {"systems": rows, "best_adapted": best}


# ---------------------------------------------------------------------------- 2. terms
def _dev_reports(shared: Path) -> list[dict[str, Any]]:
    folder = shared / "data" / "gov_work_reports"
    return [
        r
        for f in sorted(folder.glob("*.jsonl"))
        for r in _read_jsonl(f)
        if r.get("term_gold_split") == "dev"
    ]


def _glossary(shared: Path) -> dict[str, list[str]]:
    """Core terms that occur in the body, by report, longest first."""
    terms: dict[str, set[str]] = {}
    for entry in _read_jsonl(shared / "data" / "term_gold" / "glossary_dev.jsonl"):
        for term, in_body in zip(entry["core_terms"], entry["core_terms_in_body"], strict=True):
            if in_body and term.strip():
                terms.setdefault(entry["doc_id"], set()).add(term.strip())
    return {d: sorted(t, key=lambda s: (-len(s), s)) for d, t in terms.items()}


def _term_occurrences(text: str, terms: Sequence[str]) -> list[tuple[str, int, int]]:
    """Occurrences of the terms, except those inside an occurrence of a longer term.

    A report that defines both 乡村振兴 and 乡村振兴战略 wants the longer one
    whole where it is written; the shorter one is scored where it stands alone.
    """
    found: list[tuple[str, int, int]] = []
    for term in terms:  # longest first
        for start, end in _occurrences(text, term):
            nested = any(s <= start and end <= e and e - s > end - start for _, s, e in found)
            if not nested:
                found.append((term, start, end))
    return found


def dev_occurrences(
    shared: Path,
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, int, int]]], int, int]:
    """Dev reports, their glossary-term body occurrences, and the counts of both."""
    reports = _dev_reports(shared)
    glossary = _glossary(shared)
    occurrences = {
        r["id"]: _term_occurrences(r["text"], glossary.get(r["id"], [])) for r in reports
    }
    n_occ = sum(len(v) for v in occurrences.values())
    n_terms = len({t for v in occurrences.values() for t, _, _ in v})
    return reports, occurrences, n_occ, n_terms


def term_integrity(shared: Path) -> dict[str, Any]:
    """Share of glossary-term occurrences in the dev reports that are exactly one token."""
    from toolkit import Corpus

    reports, occurrences, n_occ, n_terms = dev_occurrences(shared)
    corpus = Corpus.from_records(
        [{"doc_id": r["id"], "text": r["text"]} for r in reports], id_field="doc_id"
    )
    jieba = _jieba()
    systems: dict[str, Callable[[str], list[str]]] = {
        "jieba lcut": jieba.lcut,
        "Segmenter() builtin lexicon": _segmenter().segment_text,
        "Segmenter(hmm=False) builtin lexicon": _segmenter(hmm=False).segment_text,
        "Segmenter(hmm='guarded') builtin lexicon": _segmenter(hmm="guarded").segment_text,
    }
    start = time.perf_counter()
    fitted = _segmenter().fit(corpus)
    fit_seconds = time.perf_counter() - start
    systems["Segmenter().fit(dev)"] = fitted.segment_text
    rows: dict[str, dict[str, Any]] = {}
    for name, cut in systems.items():
        intact = 0
        broken: dict[str, int] = {}
        for r in reports:
            tokens = cut(r["text"])
            if "".join(tokens) != r["text"]:
                raise AssertionError(f"{name} lost characters in {r['id']}")
            spans = _boundaries(tokens)
            for term, s, e in occurrences[r["id"]]:
                if (s, e) in spans:
                    intact += 1
                else:
                    broken[term] = broken.get(term, 0) + 1
        worst = sorted(broken.items(), key=lambda kv: -kv[1])[:10]
        rows[name] = {"intact": intact, "share": intact / n_occ, "most_broken": worst}
        rows[name]["broken"] = broken
    print(f"{len(reports)} dev reports, {n_terms} distinct terms, {n_occ} body occurrences")
    for name, row in rows.items():
        print(f"  {name:<42}{row['intact']:>6} / {n_occ}  {row['share']:.1%}")
    print(f"  fit learned {fitted.n_learned_} terms in {fit_seconds:.2f} s")
    # Why the remaining occurrences break: the term is not in the lexicon (not
    # learned: unquoted in the report, or quoted with 、/， inside, which fit
    # skips), or it is but a longer overlapping term won.
    lexicon = fitted.lexicon_
    why: dict[str, int] = {}
    for term, n in rows["Segmenter().fit(dev)"]["broken"].items():
        if term in lexicon:
            reason = "in lexicon, a longer overlapping term won"
        elif "、" in term or "，" in term:
            reason = "not learned, has 、 or ，"
        else:
            reason = "not learned"
        why[reason] = why.get(reason, 0) + n
    rows["Segmenter().fit(dev)"]["broken_by_reason"] = why
    print("  broken after fit, by reason:", "; ".join(f"{k}: {v}" for k, v in why.items()))
    print(
        "  most often broken after fit:",
        ", ".join(f"{t}×{n}" for t, n in rows["Segmenter().fit(dev)"]["most_broken"]),
    )
    return {
        "reports": len(reports),
        "terms": n_terms,
        "occurrences": n_occ,
        "systems": rows,
        "n_learned": fitted.n_learned_,
    }


def seed_terms(shared: Path) -> dict[str, Any]:
    """On the seed page, after fit: the seed terms (without 、 or ，) not kept as one token."""
    from toolkit import ingest

    corpus = ingest([shared / "seeds" / SEED_PAGE], progress=False).corpus
    seg = _segmenter().fit(corpus)
    terms = []
    with (shared / "data" / "term_gold" / "seed_terms.tsv").open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t"), strict=False))
            if row.get("term") and "、" not in row["term"] and "，" not in row["term"]:
                terms.append(row["term"])
    failures: list[dict[str, Any]] = []
    absent: list[str] = []
    n_occ = intact = 0
    for term in terms:
        found = False
        for doc in corpus:
            tokens = seg.segment_text(doc.text)
            spans = _boundaries(tokens)
            for s, e in _occurrences(doc.text, term):
                found = True
                n_occ += 1
                if (s, e) in spans:
                    intact += 1
                else:
                    pieces = [t for (a, b), t in _token_spans(tokens) if a < e and b > s]
                    failures.append({"term": term, "doc": doc.doc_id, "tokens": pieces})
        if not found:
            absent.append(term)
    print(
        f"seed page: {len(corpus)} articles, {len(terms)} terms, {n_occ} occurrences, "
        f"{intact} intact, {len(failures)} broken"
    )
    for f in failures:
        print(f"  broken: {f['term']} -> {' | '.join(f['tokens'])}")
    if absent:
        print(f"  not in the text as written (quoted apart): {', '.join(absent)}")
    return {
        "articles": len(corpus),
        "terms": len(terms),
        "occurrences": n_occ,
        "intact": intact,
        "failures": failures,
        "absent": absent,
    }


def _token_spans(tokens: list[str]) -> list[tuple[tuple[int, int], str]]:
    out = []
    pos = 0
    for tok in tokens:
        out.append(((pos, pos + len(tok)), tok))
        pos += len(tok)
    return out


# ---------------------------------------------------------------------------- 3. speed
def speed(shared: str | Path) -> dict[str, Any]:
    """Characters per second on provincial reports from 2016 on, against jieba."""
    from toolkit import Corpus, read_gov_reports

    full = read_gov_reports(Path(shared) / "data" / "gov_work_reports" / "provincial.jsonl")
    corpus = Corpus([d for d in full if (d.meta.get("year") or 0) >= 2016])
    texts = [d.text for d in corpus]
    chars = sum(len(t) for t in texts)

    def rate(seconds: float) -> float:
        return chars / seconds

    out: dict[str, Any] = {"documents": len(texts), "characters": chars}
    jieba = _jieba()
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    out["jieba_seconds"] = time.perf_counter() - start

    # "With the built-in lexicon loaded": building the engine (reading the
    # lexicon, compiling the automaton, loading the dictionary) is done first.
    seg = _segmenter()
    seg.segment_text("预热")
    start = time.perf_counter()
    seg.segment(corpus)
    out["default_seconds"] = time.perf_counter() - start

    fitted = _segmenter()
    start = time.perf_counter()
    fitted.fit(corpus)
    out["fit_seconds"] = time.perf_counter() - start
    out["fit_learned"] = fitted.n_learned_

    parallel = _segmenter(n_jobs=2)
    parallel.segment_text("预热")
    start = time.perf_counter()
    parallel.segment(corpus)
    out["n_jobs2_seconds"] = time.perf_counter() - start

    try:
        from toolkit.segment.spacy_bridge import spacy_pipeline
    except ImportError as exc:
        out["spacy_seconds"] = None
        out["spacy_note"] = f"not measured: pipeline missing ({exc})"
    else:
        nlp = spacy_pipeline()
        nlp("预热")
        start = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        out["spacy_seconds"] = time.perf_counter() - start

    base = rate(out["jieba_seconds"])
    print(f"{len(texts)} provincial reports 2016-, {chars / 1e6:.1f} M characters")
    print(f"  {'what':<34}{'seconds':>9}{'M chars/s':>11}{'× jieba':>9}")
    for key, label in [
        ("jieba_seconds", "jieba.Tokenizer().lcut"),
        ("default_seconds", "Segmenter() builtin, segment()"),
        ("fit_seconds", "Segmenter().fit() alone"),
        ("n_jobs2_seconds", "Segmenter(n_jobs=2).segment()"),
        ("spacy_seconds", "spacy_pipeline() nlp.pipe"),
    ]:
        if out.get(key) is None:
            print(f"  {label:<34}{out.get('spacy_note', 'not measured')}")
            continue
        r = rate(out[key])
        out[key.replace("_seconds", "_chars_per_s")] = r
        out[key.replace("_seconds", "_ratio")] = r / base
        print(f"  {label:<34}{out[key]:>9.2f}{r / 1e6:>11.2f}{r / base:>8.1f}×")
    return out


# ---------------------------------------------------------------------------- 4. memory
_STREAM = r"""
import json, resource, sys, time
from toolkit import read_gov_reports
from toolkit.segment import Segmenter
start = time.perf_counter()
docs = tokens = chars = 0
for doc, toks in Segmenter(progress=False).iter_segment(read_gov_reports(sys.argv[1], stream=True)):
    docs += 1
    tokens += len(toks)
    chars += len(doc.text)
seconds = time.perf_counter() - start
# On Linux ru_maxrss survives exec: a child started by a big parent reports the
# parent's peak. VmHWM is this process's own peak, which is what we want.
hwm = None
try:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
except OSError:
    pass
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"documents": docs, "tokens": tokens, "characters": chars, "seconds": seconds,
                  "peak_rss_mb": hwm if hwm is not None else maxrss, "ru_maxrss_mb": maxrss}))
"""


def memory(shared: Path) -> dict[str, Any]:
    """Peak RSS and time of streaming all government work reports, in a fresh process."""
    folder = shared / "data" / "gov_work_reports"
    out = subprocess.run(
        [sys.executable, "-c", _STREAM, str(folder)], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"stream of all reports: {result['documents']} documents, "
        f"{result['characters'] / 1e6:.1f} M characters, {result['tokens'] / 1e6:.1f} M tokens, "
        f"{result['seconds']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB "
        f"(ru_maxrss {result['ru_maxrss_mb']:.0f} MB, which includes the parent's peak)"
    )
    return result


# ---------------------------------------------------------------------------- summary
def _row(figure: str, measured: str, target: str, met: bool | None) -> tuple[str, str, str, str]:
    return figure, measured, target, "—" if met is None else ("yes" if met else "NO")


def main(shared: Path) -> dict[str, Any]:
    start = time.perf_counter()
    print("-- 1. accuracy (SIGHAN 2005 word F1)")
    acc = accuracy(shared)
    print("-- 2. term integrity")
    terms = term_integrity(shared)
    seeds = seed_terms(shared)
    print("-- 3. speed")
    # A fresh interpreter: after the accuracy runs this process holds millions
    # of objects, and the garbage collector's passes over them would be timed too.
    spd = in_fresh_process("segmentation", "speed", str(shared))
    print("-- 4. memory")
    mem = memory(shared)

    s = acc["systems"]
    rows = []
    for c in ("pku", "msr"):
        j = s["jieba lcut (HMM)"][c]["f1"]
        d = s["Segmenter() default"][c]["f1"]
        rows.append(
            _row(
                f"{c.upper()} F1 jieba lcut (HMM)",
                f"{j:.4f}",
                f"anchor {ANCHOR_JIEBA_F1[c]:.3f}",
                None,
            )
        )
        rows.append(
            _row(f"{c.upper()} F1 Segmenter() default", f"{d:.4f}", f">= jieba {j:.4f}", d >= j)
        )
    best = acc["best_adapted"]
    for c in ("pku", "msr"):
        for hmm in (True, False, "guarded"):
            name = f"adapted lexicons=[] hmm={hmm}"
            f1 = s[name][c]["f1"]
            target = f">= {TARGET_ADAPTED_PKU}" if c == "pku" else "(none)"
            met = f1 >= TARGET_ADAPTED_PKU if c == "pku" else None
            label = {True: "on", False: "off", "guarded": "guarded"}[hmm]
            rows.append(
                _row(
                    f"{c.upper()} F1 word list, HMM {label}",
                    f"{f1:.4f}",
                    target,
                    met,
                )
            )
    rows.append(_row("  best adaptation setting", best.removeprefix("adapted "), "", None))
    t = terms["systems"]
    share = {k: v["share"] for k, v in t.items()}
    rows.append(
        _row(
            "terms intact: jieba lcut",
            f"{share['jieba lcut']:.1%}",
            f"anchor {ANCHOR_JIEBA_TERMS:.0%}",
            None,
        )
    )
    rows.append(
        _row(
            "terms intact: builtin, no fit",
            f"{share['Segmenter() builtin lexicon']:.1%}",
            "(none)",
            None,
        )
    )
    fitted = share["Segmenter().fit(dev)"]
    rows.append(
        _row(
            "terms intact: fit on dev",
            f"{fitted:.1%}",
            f">= {TARGET_TERMS_FITTED:.0%}",
            fitted >= TARGET_TERMS_FITTED,
        )
    )
    rows.append(
        _row(
            "seed terms broken after fit",
            f"{len(seeds['failures'])} of {seeds['occurrences']}",
            "0",
            not seeds["failures"],
        )
    )
    ratio = spd["default_ratio"]
    rows.append(
        _row(
            "speed: default vs jieba",
            f"{ratio:.1f}× ({spd['default_chars_per_s'] / 1e6:.2f} M/s)",
            f">= {TARGET_SPEEDUP:.0f}×",
            ratio >= TARGET_SPEEDUP,
        )
    )
    rows.append(
        _row(
            "speed: fit alone",
            f"{spd['fit_seconds']:.2f} s ({spd['fit_ratio']:.1f}× jieba)",
            "(none)",
            None,
        )
    )
    rows.append(
        _row("speed: segment n_jobs=2", f"{spd['n_jobs2_ratio']:.1f}× jieba", "(none)", None)
    )
    if spd.get("spacy_seconds") is None:
        rows.append(_row("speed: spaCy pipeline", spd["spacy_note"], "(none)", None))
    else:
        rows.append(
            _row("speed: spaCy pipeline", f"{spd['spacy_ratio']:.1f}× jieba", "(none)", None)
        )
    rows.append(
        _row(
            "memory: stream all reports",
            f"{mem['peak_rss_mb']:.0f} MB",
            f"< {TARGET_RSS_MB} MB",
            mem["peak_rss_mb"] < TARGET_RSS_MB,
        )
    )
    rows.append(
        _row(
            "time: stream all reports",
            f"{mem['seconds']:.1f} s ({mem['characters'] / mem['seconds'] / 1e6:.2f} M/s)",
            "(none)",
            None,
        )
    )

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = ("figure", "measured", "target", "met?")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print(f"-- summary ({time.perf_counter() - start:.0f} s)")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return {
        "accuracy": acc,
        "terms": terms,
        "seed_terms": seeds,
        "speed": spd,
        "memory": mem,
        "summary": [dict(zip(header, r, strict=True)) for r in rows],
    }
