"""Similarity and text reuse: validity, planted reuse, real reuse, scale.

``python -m benchmarks.similarity [--shared PATH] [--quick] [--only PART ...]``

1. **validity**: ``other_prefecture.jsonl`` (2021–2023): for every report, the
   nearest report once every other report of the same city is excluded; the
   share from the same province, for ``tfidf`` and for ``terms``.
2. **planted**: 1,000 real paragraphs of provincial reports, 300 passages of
   50–300 characters planted into other documents with 0–15 % character
   edits; passage-level recall and precision (same document pair, overlap ≥ 50 %
   of the planted passage in both documents).
3. **real**: the national report and the provincial reports of the same year,
   five years: passages each province shares with the national report, timed.
5. **genre**: 1,000 random paragraphs (seeded) of the provincial reports of
   2016–2026, one document each; ``find_reuse`` without and with the 1,527
   city and prefecture reports as ``background``: how many passages joining
   paragraphs of different reports are flagged boilerplate, and examples of
   what the background flags.
4. **scale**: top-10 neighbours of 40,000 synthetic units (200,000 features,
   about 300 non-zeros each); ``find_reuse`` over all provincial reports of
   2016–2026. Each in a fresh interpreter, with its peak memory.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.cli import shared_data, suite_parser, write_json
from benchmarks.fresh_process import in_fresh_process, peak_rss_mb

PARTS = ("validity", "planted", "real", "genre", "scale")
SEED = 0
REPORTS = Path("data") / "gov_work_reports"


def _reports(shared: Path, name: str) -> Any:
    from toolkit import read_gov_reports

    return read_gov_reports(shared / REPORTS / name)


# ---------------------------------------------------------------------------- 1. validity
def validity_run(shared: str, quick: bool, representation: str) -> dict[str, Any]:
    """Nearest report of another city: is it from the same province?"""
    from toolkit import Corpus, Document, SimilarityIndex

    corpus = _reports(Path(shared), "other_prefecture.jsonl")
    docs = [d for d in corpus if 2021 <= int(d.meta["year"]) <= 2023]
    if quick:
        docs = docs[::4]
    # One unit per report: the report id is the grouping docvar.
    units = Corpus(Document(d.doc_id, d.text, {**d.meta, "report": d.doc_id}) for d in docs)
    start = time.perf_counter()
    index = SimilarityIndex(by="report", representation=representation, progress=False)
    matrix = index.fit(units).matrix()
    seconds = time.perf_counter() - start
    meta = {d.doc_id: d.meta for d in docs}
    ids = list(matrix.index)
    values = matrix.to_numpy(copy=True)
    city = np.array([meta[i]["city"] for i in ids])
    province = np.array([meta[i]["province"] for i in ids])
    same_city = city[:, None] == city[None, :]
    values[same_city] = -np.inf
    nearest = values.argmax(axis=1)
    hits = province[nearest] == province
    share = float(hits.mean())
    print(
        f"  {representation}: nearest other-city report from the same province "
        f"{share:.3f} ({int(hits.sum())} of {len(ids)}), {seconds:.1f} s"
    )
    return {
        "representation": representation,
        "reports": len(ids),
        "same_province": share,
        "seconds": seconds,
        "peak_mb": peak_rss_mb(),
    }


# ---------------------------------------------------------------------------- 2. planted
def _planted_corpus(shared: Path, seed: int) -> tuple[Any, list[tuple[tuple, tuple]]]:
    """100 documents of 10 real paragraphs, with 300 planted, edited copies."""
    from toolkit import Corpus, Document

    rng = random.Random(seed)
    reports = [
        d for d in _reports(shared, "provincial.jsonl") if 2016 <= int(d.meta["year"]) <= 2026
    ]
    paragraphs = [p for d in reports for p in d.text.split("\n") if len(p) >= 100]
    rng.shuffle(paragraphs)
    # Paragraphs that share no 12-character string, so the planted passages are
    # the only reuse: real reports repeat stock phrasing among themselves.
    chosen: list[str] = []
    seen: set[str] = set()
    for p in paragraphs:
        grams = {p[i : i + 12] for i in range(len(p) - 11)}
        if grams & seen:
            continue
        seen |= grams
        chosen.append(p)
        if len(chosen) == 1000:
            break
    alphabet = [ch for p in chosen for ch in p if "\u4e00" <= ch <= "\u9fff"]
    docs: list[list[list[tuple[str, Any]]]] = [
        [[(p, None)] for p in chosen[i * 10 : (i + 1) * 10]] for i in range(100)
    ]

    def edit(text: str, rate: float) -> str:
        chars = list(text)
        for _ in range(round(rate * len(text))):
            pos = rng.randrange(len(chars))
            op = rng.choice("sid")
            if op == "s":
                chars[pos] = rng.choice(alphabet)
            elif op == "i":
                chars.insert(pos, rng.choice(alphabet))
            elif len(chars) > 1:
                del chars[pos]
        return "".join(chars)

    plants = []
    sources = rng.sample([(d, p) for d in range(100) for p in range(10)], 300)
    for k, (s, p) in enumerate(sources):
        para = chosen[s * 10 + p]
        length = rng.randint(50, min(300, len(para)))
        begin = rng.randint(0, len(para) - length)
        docs[s][p] = [
            (para[:begin], None),
            (para[begin : begin + length], ("src", k)),
            (para[begin + length :], None),
        ]
        plants.append(
            {
                "id": k,
                "dst": rng.choice([d for d in range(100) if d != s]),
                "rate": rng.uniform(0, 0.15),
                "text": para[begin : begin + length],
            }
        )
    for plant in plants:
        copy = edit(plant["text"], plant["rate"])
        q = rng.randrange(10)
        pieces = docs[plant["dst"]][q]
        cuts = []
        for n, (text, tag) in enumerate(pieces):
            if tag is None:
                cuts += [(n, i + 1) for i, ch in enumerate(text) if ch == "。"]
            cuts.append((n, len(text)))
        n, i = rng.choice(cuts)
        text, tag = pieces[n]
        new = [*pieces[:n], (text[:i], tag), (copy, ("dst", plant["id"])), (text[i:], tag)]
        docs[plant["dst"]][q] = [(x, t) for x, t in [*new, *pieces[n + 1 :]] if x]
    texts, spans = [], {}
    for d, paras in enumerate(docs):
        out, pos = [], 0
        for pieces in paras:
            for text, tag in pieces:
                if tag is not None:
                    spans[tag] = (d, pos, pos + len(text))
                out.append(text)
                pos += len(text)
            out.append("\n")
            pos += 1
        texts.append("".join(out)[:-1])
    gold = []
    for plant in plants:
        a, b = spans[("src", plant["id"])], spans[("dst", plant["id"])]
        gold.append((a, b) if a[0] < b[0] else (b, a))
    corpus = Corpus(Document(f"bench-{d:03d}", t) for d, t in enumerate(texts))
    return corpus, gold


def _overlap(x0: int, x1: int, y0: int, y1: int) -> int:
    return max(0, min(x1, y1) - max(x0, y0))


def planted_run(shared: str, quick: bool, seed: int = SEED) -> dict[str, Any]:
    from toolkit import find_reuse

    corpus, gold = _planted_corpus(Path(shared), seed)
    start = time.perf_counter()
    found = find_reuse(corpus, seed=0, progress=False)
    seconds = time.perf_counter() - start
    number = {f"bench-{d:03d}": d for d in range(100)}
    rows = [
        (number[r.doc_a], r.start_a, r.end_a, number[r.doc_b], r.start_b, r.end_b)
        for r in found.itertuples()
    ]

    def match(f: tuple, g: tuple) -> bool:
        ga, gb = g
        if (f[0], f[3]) != (ga[0], gb[0]):
            return False
        return _overlap(f[1], f[2], ga[1], ga[2]) >= 0.5 * (ga[2] - ga[1]) and _overlap(
            f[4], f[5], gb[1], gb[2]
        ) >= 0.5 * (gb[2] - gb[1])

    recall = sum(any(match(f, g) for f in rows) for g in gold) / len(gold)
    good = sum(any(match(f, g) for g in gold) for f in rows)
    precision = good / max(1, len(rows))
    print(
        f"  planted seed {seed}: recall {recall:.3f}, precision {precision:.3f} "
        f"({len(rows)} passages found, 300 planted), {seconds:.2f} s"
    )
    return {
        "seed": seed,
        "recall": recall,
        "precision": precision,
        "found": len(rows),
        "seconds": seconds,
    }


# ---------------------------------------------------------------------------- 3. real
def real_run(shared: str, quick: bool) -> dict[str, Any]:
    """Passages each province's report shares with the national report of that year."""
    from toolkit import Corpus, find_reuse

    national = {int(d.meta["year"]): d for d in _reports(Path(shared), "national.jsonl")}
    provincial = list(_reports(Path(shared), "provincial.jsonl"))
    years = [2019, 2020, 2021, 2022, 2023][: 2 if quick else 5]
    out = []
    for year in years:
        docs = [national[year], *(d for d in provincial if int(d.meta["year"]) == year)]
        start = time.perf_counter()
        found = find_reuse(Corpus(docs), seed=0, progress=False, docvars=["province"])
        seconds = time.perf_counter() - start
        nat = national[year].doc_id
        shared_rows = found[(found["doc_a"] == nat) | (found["doc_b"] == nat)]
        other = np.where(
            shared_rows["doc_a"] == nat, shared_rows["province_b"], shared_rows["province_a"]
        )
        per = shared_rows.assign(province=other).groupby("province")
        table = per.agg(
            passages=("similarity", "size"), distinctive=("boilerplate", lambda b: int((~b).sum()))
        )
        # How widely each passage's wording spreads: documents (national included) carrying it.
        spread = pd.cut(shared_rows["df"], [0, 3, 9, np.inf], labels=["2-3", "4-9", "10+"])
        by_spread = spread.value_counts().reindex(["2-3", "4-9", "10+"]).astype(int).to_dict()
        print(
            f"  {year}: {len(docs) - 1} provinces, {len(shared_rows)} passages shared with the "
            f"national report ({int((~shared_rows['boilerplate']).sum())} distinctive), "
            f"median per province {float(table['passages'].median()):.0f}, "
            f"by documents carrying the wording {by_spread}, {seconds:.1f} s"
        )
        out.append(
            {
                "year": year,
                "provinces": len(docs) - 1,
                "passages": len(shared_rows),
                "seconds": seconds,
                "by_spread": by_spread,
                "per_province": table.reset_index().to_dict("records"),
            }
        )
    return {"years": out}


# ---------------------------------------------------------------------------- 4. scale
def topk_run(shared: str, quick: bool) -> dict[str, Any]:
    """Top-10 neighbours of 40,000 synthetic units over 200,000 features."""
    import scipy.sparse as sp

    from toolkit.similarity import top_k

    n, features, nnz = (8_000 if quick else 40_000), 200_000, 300
    rng = np.random.default_rng(SEED)
    rows = np.repeat(np.arange(n), nnz)
    cols = rng.integers(0, features, size=n * nnz)
    data = rng.random(n * nnz).astype(np.float64)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(n, features))
    start = time.perf_counter()
    top_k(matrix, k=10, n_jobs=2)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    print(f"  top-10 of {n:,} units × {features:,} features: {seconds:.1f} s, peak {peak:,.0f} MB")
    return {"units": n, "features": features, "seconds": seconds, "peak_mb": peak}


def reuse_all_run(shared: str, quick: bool) -> dict[str, Any]:
    from toolkit import Corpus, find_reuse

    docs = [
        d for d in _reports(Path(shared), "provincial.jsonl") if 2016 <= int(d.meta["year"]) <= 2026
    ]
    if quick:
        docs = docs[::10]
    start = time.perf_counter()
    found = find_reuse(Corpus(docs), seed=0, progress=False)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    print(
        f"  find_reuse over {len(docs)} provincial reports: {seconds:.1f} s, peak {peak:,.0f} MB, "
        f"{len(found)} passages ({int(found['boilerplate'].sum())} boilerplate)"
    )
    return {"reports": len(docs), "seconds": seconds, "peak_mb": peak, "passages": len(found)}


# ---------------------------------------------------------------------------- 5. genre
def genre_run(shared: str, quick: bool, seed: int = SEED) -> dict[str, Any]:
    """Boilerplate by genre: a small sample flags stock formulas only with a background."""
    from toolkit import Corpus, Document, find_reuse

    rng = random.Random(seed)
    reports = [
        d for d in _reports(Path(shared), "provincial.jsonl") if 2016 <= int(d.meta["year"]) <= 2026
    ]
    paragraphs = [
        Document(f"{d.doc_id}#p{i}", p, {"report": d.doc_id, "year": d.meta["year"]})
        for d in reports
        for i, p in enumerate(d.text.split("\n"))
        if len(p) >= 50
    ]
    sample = Corpus(rng.sample(paragraphs, 200 if quick else 1000))
    background = list(_reports(Path(shared), "major_city.jsonl")) + list(
        _reports(Path(shared), "other_prefecture.jsonl")
    )
    if quick:
        background = background[::5]
    out: dict[str, Any] = {"paragraphs": len(sample), "background": len(background)}
    for name, extra in (("without", None), ("with", background)):
        start = time.perf_counter()
        found = find_reuse(sample, min_chars=50, background=extra, progress=False)
        seconds = time.perf_counter() - start
        report = {d.doc_id: d.meta["report"] for d in sample}
        cross = found[
            [report[a] != report[b] for a, b in zip(found.doc_a, found.doc_b, strict=True)]
        ]
        flagged = int(cross["boilerplate"].sum())
        out[name] = {"cross_report": len(cross), "flagged": flagged, "seconds": seconds}
        print(
            f"  {name} background: {len(cross)} passages across reports, {flagged} flagged "
            f"boilerplate ({seconds:.1f} s)"
        )
        if extra is not None:
            examples = cross[cross["boilerplate"]].sort_values("df", ascending=False)
            out["examples"] = [
                f"df {row.df}: {row.text_a[:40]}" for row in examples.head(5).itertuples()
            ]
            kept = cross[~cross["boilerplate"]].sort_values("df", ascending=False)
            out["kept"] = [f"df {row.df}: {row.text_a[:40]}" for row in kept.head(5).itertuples()]
            for line in out["examples"]:
                print(f"    flagged {line}")
            for line in out["kept"]:
                print(f"    kept    {line}")
    return out


# ---------------------------------------------------------------------------- driver
def main(shared: Path, *, quick: bool = False, parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    shared = Path(shared).resolve()
    results: dict[str, Any] = {"quick": quick}
    if "validity" in parts:
        print("-- 1. validity: nearest other-city report from the same province")
        results["validity"] = [
            in_fresh_process("similarity", "validity_run", str(shared), quick, rep)
            for rep in ("tfidf", "terms")
        ]
    if "planted" in parts:
        print("-- 2. planted reuse: 300 passages in 1,000 real paragraphs")
        results["planted"] = [
            in_fresh_process("similarity", "planted_run", str(shared), quick, seed)
            for seed in ((0,) if quick else (0, 1, 2))
        ]
    if "real" in parts:
        print("-- 3. real reuse: national report vs provincial reports of the same year")
        results["real"] = in_fresh_process("similarity", "real_run", str(shared), quick)
    if "genre" in parts:
        print("-- 5. boilerplate by genre: 1,000 real paragraphs, with and without a background")
        results["genre"] = in_fresh_process("similarity", "genre_run", str(shared), quick)
    if "scale" in parts:
        print("-- 4. scale")
        results["topk"] = in_fresh_process("similarity", "topk_run", str(shared), quick)
        results["reuse_all"] = in_fresh_process("similarity", "reuse_all_run", str(shared), quick)
    return results


def _cli(argv: list[str] | None = None) -> int:
    parser = suite_parser("python -m benchmarks.similarity", __doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs: a smoke run")
    parser.add_argument("--only", choices=PARTS, action="append")
    args = parser.parse_args(argv)
    shared = shared_data(args)
    if shared is None:
        return 2
    result = main(shared, quick=args.quick, parts=tuple(args.only or PARTS))
    write_json(args, result)
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
