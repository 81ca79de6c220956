"""Candidate gathering: the term candidates of one text, from every source.

Each source (quoted, note-marked, numbered, parallel, acronym, institution) and
the matcher of known forms (lexicons, discovered terms, the fitted corpus's
vocabulary) report spans; spans with one canonical key are one candidate. A
quoted core joins its compound (“十强”产业), a level prefix its term (村“两委”).
``Gathering`` is the part of :class:`~toolkit.terms.TermDetector` that does
this; it holds no state of its own.
"""

from __future__ import annotations

import math
import re
import weakref
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate

from toolkit.segment.lexicon import Lexicon, TermMatcher
from toolkit.segment.segmenter import Segmenter
from toolkit.terms.canonical import canonical_key
from toolkit.terms.scoring import _WEIGHTS, _Candidate
from toolkit.terms.sources import (
    Span,
    find_acronyms,
    find_annotated,
    find_institutions,
    find_numbered,
    find_parallel,
    find_quoted,
)

__all__ = ["GENERIC_HEADS", "Gathering"]

#: Heads that class a named thing without naming a new one: 一国两制制度 is
#: 一国两制 in use, 长臂管辖机制 is 长臂管辖 in use, where the core stands alone.
GENERIC_HEADS = ("制度", "机制", "体系")

# One character before a term that names the level it applies at: 村“两委” is 两委.
_LEVEL_PREFIXES = "村镇乡县市省区街"
# Matcher sources whose terms the reader's ranking may report whatever their
# glossary score (listed terms; discovered ones would add 30 candidates a report).
_READER_KNOWN = frozenset({"lexicon"})
_OPENS = re.compile(r"^(?:.?[。；！？\n]|[。；！？\n]?[“「])$|^$")
# A verb that introduces a named initiative just before a term: 推行“河长制”,
# 探索“积分制”, 打造红色引擎工程. Glossaries explain what a text introduces so.
_INTRODUCED = re.compile(
    r"(?:实施|推行|开展|实行|启动|创建|打造|探索|推广|推出|首创|创新|建立|构建|形成|总结|提炼)"
    r"[“「]?$"
)
# A term the text explains: “四个三”（…）, X，即…, X是指…
_EXPLAINED = re.compile(r"[”」』]?(?:（|\(|，即|,即|即|是指|指的是)")


# What each matched form is for the detector that owns the matcher: its key,
# source and whether it can be a candidate at all. Keyed weakly by the matcher,
# which fit and unpickling rebuild with every attribute the entries depend on
# (sources, places, lexicon), so an entry never outlives them and none is pickled.
_FORMS: weakref.WeakKeyDictionary[TermMatcher, dict[str, tuple[str, str, bool]]] = (
    weakref.WeakKeyDictionary()
)


def _known_forms(matcher: TermMatcher) -> dict[str, tuple[str, str, bool]]:
    forms = _FORMS.get(matcher)
    if forms is None:
        forms = _FORMS[matcher] = {}
    return forms


class Gathering:
    """The candidate-gathering part of :class:`~toolkit.terms.TermDetector` (a mixin:
    it reads the detector's parameters, fitted attributes and matcher)."""

    # Set by the detector; declared for the type checker.
    sources: Sequence[str]
    rank: str
    min_score: float | None
    lexicon_: Lexicon
    vocabulary_: dict[str, str]
    _segmenter: Segmenter
    _matcher: TermMatcher
    _origin: dict[str, str]
    _places: frozenset[str]
    _bounds: dict[str, float]

    def _candidates(
        self, text: str, tokens: list[str] | None = None, *, keep_known: bool = False
    ) -> dict[str, _Candidate]:
        """The candidates of one text, by canonical key.

        ``keep_known``: the score bound skips no match of a listed term or of
        the corpus vocabulary (the corpus table counts their every use; the
        reader's ranking may report them).
        """
        if tokens is None:
            tokens = self._segmenter.segment_text(text)
        cuts = frozenset(accumulate(map(len, tokens), initial=0))
        sources = set(self.sources)
        spans: list[tuple[Span, str]] = []
        if "quoted" in sources:
            spans += [(s, "quoted") for s in find_quoted(text)]
        if "annotated" in sources:
            spans += [(s, "annotated") for s in find_annotated(text, cuts=cuts)]
        if "numbered" in sources:
            spans += [(s, "numbered") for s in find_numbered(text, cuts=cuts)]
        if "parallel" in sources:
            spans += [(s, "parallel") for s in find_parallel(text, cuts=cuts)]
        if "acronym" in sources:
            spans += [(s, "acronym") for s in find_acronyms(text)]
        # Matches of known forms are most spans of a text and half of them are
        # skipped below: they stay (start, end, form) until one is kept.
        origin = self._origin
        matched = [(a, b, text[a:b]) for a, b in self._matcher.find(text)]
        if "institution" in sources:
            fixed = {s.end: s.start for s, src in spans if src == "quoted"}
            fixed.update((b, a) for a, b, _ in matched)
            named = {(s.start, s.end) for s, src in spans if src in ("quoted", "numbered")}
            named.update((a, b) for a, b, form in matched if origin.get(form) == "lexicon")
            institutions = [
                span
                for span in find_institutions(text, cuts=cuts)
                # A listed or quoted term with the same end knows where the name starts.
                if not (span.end in fixed and fixed[span.end] != span.start)
                # 一国两制制度: a term of its own followed by a generic head is that
                # term in use, not a new institution.
                and not any((span.start, span.end - len(h)) in named for h in GENERIC_HEADS)
            ]
        else:
            institutions = []

        out: dict[str, _Candidate] = {}
        lexicon = self.lexicon_
        # The reader's ranking also reports known terms the text uses often,
        # whatever their glossary score: the bound may skip none of them.
        known = (
            _READER_KNOWN
            if getattr(self, "rank", "glossary") == "reader"
            else frozenset({"lexicon"})
            if keep_known
            else frozenset()
        )
        bounds: dict[str, float] = {}
        ruled: set[str] = set()
        floor = -math.inf
        if self.min_score is not None and self._bounds:
            bounds = self._bounds
            # A key is bounded by its patterns alone: skip none that a rule also
            # finds, or that the text writes another way (1+X for the pattern 1+x).
            ruled = {canonical_key(s.form) for s, _ in spans}
            ruled.update(canonical_key(s.form) for s in institutions)
            ruled.update(canonical_key(form) for _, _, form in matched if form not in origin)
            floor = self.min_score - _WEIGHTS["log_length"] * math.log(max(len(text), 1) / 10000)

        def keep(key: str, form: str, source: str) -> bool:
            if len(key) < 2 or key in self._places:
                return False
            # A number alone (10, 532) is a term only where the text quotes it (“4433”).
            if key.isdigit() and source not in ("quoted", "annotated"):
                return False
            # 河长制、湖长制 lists two listed terms; it is not one formula.
            return not ("、" in form and all(u in lexicon for u in form.split("、")))

        def add(span: Span, key: str, source: str) -> None:
            cand = out.get(key)
            if cand is None:
                cand = out[key] = _Candidate(key)
            cand.add(span, source)

        # 台湾独立 counts as 台独 (TermDetector.abbreviations_).
        aliases: dict[str, str] = getattr(self, "_aliases", {})
        for span, source in spans:
            key = canonical_key(span.form)
            key = aliases.get(key, key)
            if keep(key, span.form, source):
                add(span, key, source)
        # What is known of each matched form does not depend on the text: its key,
        # its source, and whether it is ever a candidate (see _known_forms).
        forms = _known_forms(self._matcher)
        skip_known = bool(known)
        infos: list[tuple[str, str, bool]] = []
        for _, _, form in matched:
            info = forms.get(form)
            if info is None:
                key = canonical_key(form)
                key = aliases.get(key, key)
                source = origin.get(form, "corpus")
                info = forms[form] = (key, source, keep(key, form, source))
            infos.append(info)
        # The reader's lead takes a known term only if the text writes it twice:
        # one written once is as hopeless as any other (the table keeps them all).
        twice: set[str] | None = None
        if skip_known and not keep_known and bounds:
            uses = Counter(info[0] for info in infos if info[2])
            twice = {key for key, n in uses.items() if n >= 2}
        for (a, b, form), (key, source, kept) in zip(matched, infos, strict=True):
            if not kept:
                continue
            if (
                bounds
                and bounds.get(key, math.inf) < floor
                and key not in ruled
                and key[1:] not in ruled
                and not (
                    skip_known
                    and (source in known or key in self.vocabulary_)
                    and (twice is None or key in twice)
                )
            ):
                continue
            add(Span(a, b, form, source), key, source)
        for span in institutions:
            key = canonical_key(span.form)
            key = aliases.get(key, key)
            if keep(key, span.form, "institution"):
                add(span, key, "institution")
        # “十强”产业 is one term written with its head noun: the core and the
        # compound are one candidate, named by the compound unless the core
        # also stands alone.
        quoted = sorted((s for s, source in spans if source == "quoted"), key=lambda s: s.start)
        quoted_keys = [aliases.get(k, k) for k in map(canonical_key, (s.form for s in quoted))]
        quoted_starts = [s.start for s in quoted]
        for index in sorted(range(len(quoted)), key=lambda i: quoted[i].start - quoted[i].end):
            span, key = quoted[index], quoted_keys[index]
            whole = out.get(key)
            if whole is None:
                continue
            # The quoted parts inside this span: its core, or its parallel units.
            for i in range(bisect_left(quoted_starts, span.start), len(quoted)):
                part, part_key = quoted[i], quoted_keys[i]
                if part.start >= span.end:
                    break
                if part.end > span.end or part_key == key:
                    continue
                alone = out.get(part_key)
                if alone is None or key not in out:
                    continue
                if (
                    key.startswith(part_key)
                    and key[len(part_key) :] in GENERIC_HEADS
                    and text.count(part.form) > len(whole.starts)
                ):
                    # 反“长臂管辖”机制 where 长臂管辖 also stands alone: the core is
                    # the term; a generic head after it does not make another.
                    for s in out.pop(key).spans:
                        alone.add(s, "quoted")
                    break
                if len(alone.starts) <= len(whole.starts):
                    for s in out.pop(part_key).spans:
                        whole.add(s, "quoted")
                    whole.preferred = span.form
        # Candidates share offsets (nested terms start or end together): each
        # offset is looked at once.
        explained_at: dict[int, bool] = {}
        opens_at: dict[int, bool] = {}
        introduced_at: dict[int, bool] = {}

        def before(
            cache: dict[int, bool], start: int, width: int, pattern: re.Pattern[str]
        ) -> bool:
            # Whether the ``width`` characters before ``start`` match ``pattern``.
            found = cache.get(start)
            if found is None:
                window = text[max(0, start - width) : start]
                found = cache[start] = pattern.search(window) is not None
            return found

        for cand in out.values():
            for s in cand.spans:
                found = explained_at.get(s.end)
                if found is None:
                    found = explained_at[s.end] = _EXPLAINED.match(text, s.end) is not None
                if found:
                    cand.explained = True
                    break
            cand.introduced = len(
                {s.start for s in cand.spans if before(introduced_at, s.start, 3, _INTRODUCED)}
            )
            cand.opens = any(before(opens_at, s.start, 2, _OPENS) for s in cand.spans)
        # 村“两委” and 村两委 are 两委 at the village level.
        for key in sorted(out, key=len, reverse=True):
            target = out.get(key[1:]) if key[0] in _LEVEL_PREFIXES else None
            # Only a short quoted term takes its level prefix: 村“两委”, not 市重点项目.
            if target is None or "quoted" not in target.sources or len(target.key) > 4:
                continue
            for span in out.pop(key).spans:
                target.add(span, "quoted" if "quoted" in target.sources else span.kind)
        return out
