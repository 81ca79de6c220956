"""What :meth:`TermDetector.fit <toolkit.terms.TermDetector.fit>` counts in each document.

The first pass of ``fit`` reads every document for its candidates (in how many
documents each key is one, how often, under which forms, found by a rule or
quoted), the formulas it spells out, and the n-gram statistics of discovery.
:class:`FitCounts` holds those counts. The counts of consecutive parts of a
corpus, merged in order (:meth:`FitCounts.merge`), are those of one pass over
it, key order included, so the pass can run per partition on a cluster
(:func:`toolkit.distributed.fit_detector`); what needs the whole corpus
(discovery's selection, the vocabulary, abbreviations) runs once, on the merge.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from toolkit.terms.discovery import Discovery
from toolkit.terms.scoring import _Candidate
from toolkit.terms.table import _MARKS, _MATCHED

__all__ = ["FitCounts"]


def _forms() -> defaultdict[str, Counter[str]]:
    return defaultdict(Counter)


def _expansions() -> defaultdict[str, Counter[tuple[str, ...]]]:
    return defaultdict(Counter)


@dataclass
class FitCounts:
    """Per-document counts of a term detector's fit, summed over documents.

    Attributes
    ----------
    discovery : Discovery or None
        N-gram statistics, when the detector discovers terms.
    df, cf : Counter
        Documents in which each canonical key is a candidate, and its uses.
    forms : dict of str to Counter
        Each key's surface forms.
    ruled, quoted_df : Counter
        Documents in which a rule found the key, and in which it was quoted or annotated.
    expansions : dict of str to Counter
        Each numbered key's spelled-out parts, counted per distinct list of parts.
    places : set of str
        Place names from the docvars.
    n_docs, n_chars : int
    """

    discovery: Discovery | None = None
    df: Counter[str] = field(default_factory=Counter)
    cf: Counter[str] = field(default_factory=Counter)
    forms: defaultdict[str, Counter[str]] = field(default_factory=_forms)
    ruled: Counter[str] = field(default_factory=Counter)
    quoted_df: Counter[str] = field(default_factory=Counter)
    expansions: defaultdict[str, Counter[tuple[str, ...]]] = field(default_factory=_expansions)
    places: set[str] = field(default_factory=set)
    n_docs: int = 0
    n_chars: int = 0

    def add(
        self,
        text: str,
        tokens: list[str],
        candidates: dict[str, _Candidate],
        expansions: dict[str, list[str]],
    ) -> None:
        """Count one document: its text, tokens, candidates and spelled-out formulas."""
        if self.discovery is not None:
            self.discovery.add(tokens)
        for key, cand in candidates.items():
            self.df[key] += 1
            self.cf[key] += len(cand.starts)
            self.forms[key].update(cand.forms)
            if cand.sources - _MATCHED:
                self.ruled[key] += 1
            if cand.sources & _MARKS:
                self.quoted_df[key] += 1
        for key, parts in expansions.items():
            self.expansions[key][tuple(parts)] += 1
        self.n_docs += 1
        self.n_chars += len(text)

    def merge(self, other: FitCounts) -> None:
        """Add the counts of the documents that follow these ones (see :meth:`Discovery.merge`).

        Raises
        ------
        ValueError
            If one of the two counts discovery's statistics and the other does not.
        """
        if (self.discovery is None) != (other.discovery is None):
            raise ValueError(
                "cannot merge counts with discovery statistics and counts without "
                "(fit with the same sources)"
            )
        if self.discovery is not None and other.discovery is not None:
            self.discovery.merge(other.discovery)
        # Counter.update keeps first-seen order, so keys (and forms) stay in the
        # order of one pass: pick_canonical and most_common break ties by it.
        self.df.update(other.df)
        self.cf.update(other.cf)
        for key, forms in other.forms.items():
            self.forms[key].update(forms)
        self.ruled.update(other.ruled)
        self.quoted_df.update(other.quoted_df)
        for key, counts in other.expansions.items():
            self.expansions[key].update(counts)
        self.places |= other.places
        self.n_docs += other.n_docs
        self.n_chars += other.n_chars
