"""spaCy integration: the Segmenter as a spaCy tokenizer, lexicon terms as spans.

:func:`spacy_pipeline` builds a blank Chinese (``zh``) pipeline whose tokenizer
is a :class:`~toolkit.segment.Segmenter` in raw mode, so ``doc.text`` is the
input text exactly and lexicon terms are single tokens, and whose component
``"tifa_terms"`` puts every term occurrence into ``doc.spans["tifa"]``,
labelled with the term's category (``method``, ``numbered``, ``learned`` …).

Both parts are registered with spaCy: the tokenizer as ``"tifa.Segmenter.v1"``
(``@tokenizers``) and the component as the factory ``"tifa_terms"``, so a
pipeline saved with ``nlp.to_disk`` loads again with ``spacy.load``. The
tokenizer saves its whole state (backend, HMM, every term with its category,
learned ones included, and the replacement dictionary if any): a loaded
pipeline segments exactly as the saved one did, whatever lexicon files or
built-in lexicon version the loading machine has.

Nothing here touches jieba's global dictionary (``jieba.dt``): each backend
owns its dictionary.

Examples
--------
>>> nlp = spacy_pipeline(lexicons=[["一线工作法", "扫黑除恶"]])
>>> doc = nlp("该镇坚持一线工作法，推进扫黑除恶")
>>> [t.text for t in doc]
['该镇', '坚持', '一线工作法', '，', '推进', '扫黑除恶']
>>> [(s.text, s.label_) for s in doc.spans["tifa"]]
[('一线工作法', 'user'), ('扫黑除恶', 'user')]
"""

# No ``from __future__ import annotations`` here: spaCy validates the arguments
# of registered functions from their (evaluated) annotations.

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.lang.zh import Chinese
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

from toolkit._validation import check_choice
from toolkit.segment.backends import BACKENDS, load_dictionary
from toolkit.segment.lexicon import Lexicon, TermMatcher, fold_ascii
from toolkit.segment.segmenter import Segmenter

__all__ = [
    "ALIGNMENT_MODES",
    "DISPLACY_COLORS",
    "FACTORY_NAME",
    "SPANS_KEY",
    "TOKENIZER_NAME",
    "SegmenterTokenizer",
    "TermSpans",
    "create_segmenter_tokenizer",
    "make_term_spans",
    "spacy_pipeline",
]

#: Name of the tokenizer in spaCy's ``tokenizers`` registry.
TOKENIZER_NAME = "tifa.Segmenter.v1"
#: Name of the term-span component factory.
FACTORY_NAME = "tifa_terms"
#: Default ``doc.spans`` key of the term spans.
SPANS_KEY = "tifa"
#: Values accepted by ``alignment_mode`` (those of ``Doc.char_span``).
ALIGNMENT_MODES = ("strict", "contract", "expand")
#: Colours for ``displacy.render(doc, style="span", options={"spans_key": "tifa"})``.
DISPLACY_COLORS = {
    "method": "#a6cee3",
    "institution": "#b2df8a",
    "campaign": "#fb9a99",
    "numbered": "#fdbf6f",
    "parallel": "#cab2d6",
    "slogan": "#ffff99",
    "learned": "#e5d8bd",
    "user": "#d9d9d9",
}

_STATE_FORMAT = "tifa.Segmenter.v1"
_STATE_FILE = "segmenter.json"
# Every Segmenter parameter is accepted (read from its signature, not a hand list);
# only backend, lexicons, dictionary and hmm shape a spaCy tokenizer.
_SEGMENTER_PARAMS = tuple(Segmenter._get_param_names())


# ---------------------------------------------------------------------- state
def _segmenter_state(segmenter: Segmenter) -> dict[str, Any]:
    """Everything that decides a raw-mode segmentation, as JSON-ready data."""
    segmenter._validate_params()
    lexicon = segmenter.lexicon
    dictionary = None if segmenter.dictionary is None else load_dictionary(segmenter.dictionary)
    return {
        "format": _STATE_FORMAT,
        "backend": segmenter.backend,
        # "guarded" is kept as it is: bool() made it True, another segmentation.
        "hmm": segmenter.hmm,
        "lexicon_name": lexicon.name,
        "lexicon_sha256": lexicon.sha256(),
        "terms": [[term, category] for term, category in lexicon.items()],
        "dictionary": None if dictionary is None else [[w, f] for w, f in dictionary],
    }


def _segmenter_from_state(state: Any) -> Segmenter:
    """Rebuild a raw-mode Segmenter from :func:`_segmenter_state` data, checking it."""
    if not isinstance(state, dict) or state.get("format") != _STATE_FORMAT:
        found = state.get("format") if isinstance(state, dict) else type(state).__name__
        raise ValueError(
            f"tokenizer data must have format {_STATE_FORMAT!r} (got {found!r}); "
            "was it saved by toolkit.segment.spacy_bridge?"
        )
    check_choice("backend", state["backend"], BACKENDS)
    lexicon = Lexicon({t: c for t, c in state["terms"]}, name=state["lexicon_name"])
    if lexicon.sha256() != state["lexicon_sha256"]:
        raise ValueError(
            "tokenizer data is corrupt: lexicon_sha256 does not match its terms "
            f"(stored {state['lexicon_sha256'][:12]}…, computed {lexicon.sha256()[:12]}…)"
        )
    pairs = state["dictionary"]
    return Segmenter(
        backend=state["backend"],
        lexicons=[lexicon],
        dictionary=None if pairs is None else [f"{w} {f}" for w, f in pairs],
        hmm=state["hmm"],
        mode="raw",
        pos=False,
        n_jobs=1,
        progress=False,
    )


def _words_and_spaces(tokens: Iterable[str]) -> tuple[list[str], list[bool]]:
    """spaCy's whitespace convention for raw-mode tokens.

    One ASCII space after a non-space token becomes that token's trailing
    whitespace; any other whitespace (newlines, runs of spaces, U+3000) stays
    a token of its own, as spaCy's own tokenizers do it.
    """
    words: list[str] = []
    spaces: list[bool] = []
    for token in tokens:
        if token.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            token = token[1:]
            if not token:
                continue
        words.append(token)
        spaces.append(False)
    return words, spaces


# ---------------------------------------------------------------------- tokenizer
class SegmenterTokenizer(DummyTokenizer):
    """A spaCy tokenizer that segments with a :class:`~toolkit.segment.Segmenter`.

    The Segmenter runs in raw mode, so ``doc.text`` is always the input text:
    a single space after a token becomes its ``whitespace_``, other
    whitespace (newlines, several spaces, full-width spaces) becomes a token
    with ``is_space`` true.

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
        The pipeline's vocabulary.
    segmenter : Segmenter
        Where the segmentation settings come from: backend, HMM, dictionary and
        every lexicon term, learned ones included when it was fitted. They are
        copied: fitting the segmenter again later does not change this
        tokenizer. Its mode, stopwords, pos and n_jobs are not used.

    Notes
    -----
    ``to_bytes``/``to_disk`` save the whole state (all terms with categories);
    ``from_bytes``/``from_disk`` restore it in place.
    """

    def __init__(self, vocab: Vocab, segmenter: Segmenter) -> None:
        if not isinstance(segmenter, Segmenter):
            raise TypeError(
                f"segmenter must be a toolkit.segment.Segmenter (got {type(segmenter).__name__})"
            )
        self.vocab = vocab
        self._set_segmenter(_raw_copy(segmenter))

    def _set_segmenter(self, segmenter: Segmenter) -> None:
        self._segmenter = segmenter
        self._categories: tuple[TermMatcher, dict[str, str]] | None = None

    @property
    def segmenter(self) -> Segmenter:
        """The raw-mode Segmenter this tokenizer runs (treat it as read-only)."""
        return self._segmenter

    @property
    def lexicon(self) -> Lexicon:
        """Every term kept whole, with its category."""
        return self._segmenter.matcher.lexicon

    def provenance(self) -> dict[str, Any]:
        """Backend and version, lexicon name, hash and size: see ``Segmenter.provenance``."""
        return self._segmenter.provenance()

    def __call__(self, text: str) -> Doc:
        """Segment ``text`` into a Doc whose ``text`` is ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str (got {type(text).__name__})")
        words, spaces = _words_and_spaces(self._segmenter.segment_text(text))
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Doc]:
        """Tokenize a stream of texts; ``batch_size`` and the like are accepted for spaCy's API."""
        for text in texts:
            yield self(text)

    def term_spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, category)`` of every lexicon term in ``text``.

        The same matches that made the tokens, so they align with them.
        """
        matcher = self._segmenter.matcher
        if self._categories is None or self._categories[0] is not matcher:
            folded: dict[str, str] = {}
            for term, category in matcher.lexicon.items():
                folded.setdefault(fold_ascii(term), category)
            self._categories = (matcher, folded)
        folded = self._categories[1]
        return [
            (start, end, folded.get(fold_ascii(text[start:end]), "term"))
            for start, end in matcher.find(text)
        ]

    # Serialization -------------------------------------------------------
    def to_bytes(self, *, exclude: Iterable[str] = (), **kwargs: Any) -> bytes:
        """The tokenizer state as UTF-8 JSON bytes (``exclude`` is accepted and unused)."""
        state = _segmenter_state(self._segmenter)
        return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def from_bytes(
        self, data: bytes, *, exclude: Iterable[str] = (), **kwargs: Any
    ) -> "SegmenterTokenizer":
        """Restore the state written by :meth:`to_bytes`, in place; returns ``self``."""
        try:
            state = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(
                f"tokenizer data must be JSON written by {TOKENIZER_NAME!r}: {exc}"
            ) from exc
        self._set_segmenter(_segmenter_from_state(state))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = (), **kwargs: Any) -> None:
        """Write the state to ``path/segmenter.json`` (``path`` is a directory)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _STATE_FILE).write_bytes(self.to_bytes())

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = (), **kwargs: Any
    ) -> "SegmenterTokenizer":
        """Restore the state written by :meth:`to_disk`, in place; returns ``self``."""
        file = Path(path) / _STATE_FILE
        if not file.is_file():
            raise FileNotFoundError(
                f"tokenizer data not found: {str(file)!r} (expected a directory written by "
                f"{TOKENIZER_NAME!r} to_disk)"
            )
        return self.from_bytes(file.read_bytes())

    def __reduce__(self) -> tuple[Any, ...]:
        # The backend (a compiled jieba-rs object) does not pickle; its state does.
        return (_unpickle_tokenizer, (self.vocab, self.to_bytes()))


def _unpickle_tokenizer(vocab: Vocab, data: bytes) -> SegmenterTokenizer:
    tokenizer = SegmenterTokenizer.__new__(SegmenterTokenizer)
    tokenizer.vocab = vocab
    return tokenizer.from_bytes(data)


def _raw_copy(segmenter: Segmenter) -> Segmenter:
    """A raw-mode Segmenter with the same terms, learned ones included."""
    params = {**segmenter.get_params(), "mode": "raw", "pos": False, "n_jobs": 1}
    copy = Segmenter(**{**params, "progress": False})
    for name in ("learned_", "lexicon_", "n_learned_"):
        if hasattr(segmenter, name):
            setattr(copy, name, getattr(segmenter, name))
    return copy


@registry.tokenizers(TOKENIZER_NAME)
def create_segmenter_tokenizer(
    backend: str = "jieba-rs",
    lexicons: list[str | list[str]] = ["builtin"],  # noqa: B006 - spaCy config default
    dictionary: str | list[str] | None = None,
    hmm: bool | str = True,
) -> Callable[[Language], SegmenterTokenizer]:
    """Registered as ``"tifa.Segmenter.v1"`` in spaCy's ``tokenizers`` registry.

    In a config::

        [nlp.tokenizer]
        @tokenizers = "tifa.Segmenter.v1"
        backend = "jieba-rs"
        lexicons = ["builtin", "my_terms.txt", ["河长制", "一岗双责"]]
        hmm = true

    Parameters
    ----------
    backend : {'jieba-rs', 'jieba', 'char', 'pkuseg'}
        Segmentation backend for runs of Chinese text.
    lexicons : list of str or list of list of str
        ``'builtin'``, paths of lexicon files, or lists of terms.
    dictionary : str or list of str, optional
        Path of a replacement word list, or the words.
    hmm : bool
        Let the backend guess unknown words.

    Returns
    -------
    callable
        Takes the ``nlp`` object, returns a :class:`SegmenterTokenizer`.

    Notes
    -----
    These values are the recipe; a saved pipeline's tokenizer data overrides
    them with the exact state (learned terms, categories) on ``spacy.load``.
    """
    check_choice("backend", backend, BACKENDS)
    check_choice("hmm", hmm, (True, False, "guarded"))
    segmenter = Segmenter(
        backend=backend, lexicons=list(lexicons), dictionary=dictionary, hmm=hmm, progress=False
    )

    def make_tokenizer(nlp: Language) -> SegmenterTokenizer:
        return SegmenterTokenizer(nlp.vocab, segmenter)

    return make_tokenizer


# ---------------------------------------------------------------------- component
class TermSpans:
    """Pipeline component: lexicon terms as labelled spans in ``doc.spans[spans_key]``.

    Parameters
    ----------
    tokenizer : SegmenterTokenizer
        The pipeline's tokenizer; its lexicon (learned terms included) is the
        one searched, so spans and tokens always agree.
    spans_key : str
        Key of the span group in ``doc.spans``.
    alignment_mode : {'strict', 'contract', 'expand'}
        How ``Doc.char_span`` aligns a term with tokens. Under the Segmenter
        tokenizer every term is one token, so ``'strict'`` always aligns.
    """

    def __init__(
        self,
        tokenizer: object,  # a pipeline's tokenizer, checked below
        *,
        spans_key: str = SPANS_KEY,
        alignment_mode: str = "strict",
    ) -> None:
        if not isinstance(tokenizer, SegmenterTokenizer):
            raise ValueError(
                f"component {FACTORY_NAME!r} needs the tokenizer {TOKENIZER_NAME!r} "
                f"(got {type(tokenizer).__name__}); build the pipeline with spacy_pipeline()"
            )
        if not isinstance(spans_key, str) or not spans_key:
            raise ValueError(f"spans_key must be a non-empty str (got {spans_key!r})")
        check_choice("alignment_mode", alignment_mode, ALIGNMENT_MODES)
        self.tokenizer = tokenizer
        self.spans_key = spans_key
        self.alignment_mode = alignment_mode

    @property
    def labels(self) -> tuple[str, ...]:
        """The categories of the lexicon, sorted: every label a span can have."""
        return tuple(sorted(set(self.tokenizer.lexicon.values())))

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.spans[spans_key]`` to the term spans of ``doc``."""
        spans = []
        for start, end, category in self.tokenizer.term_spans(doc.text):
            span = doc.char_span(start, end, label=category, alignment_mode=self.alignment_mode)
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    FACTORY_NAME,
    default_config={"spans_key": SPANS_KEY, "alignment_mode": "strict"},
    assigns=["doc.spans"],
)
def make_term_spans(nlp: Language, name: str, spans_key: str, alignment_mode: str) -> TermSpans:
    """Factory of the ``"tifa_terms"`` component: ``nlp.add_pipe("tifa_terms")``.

    Parameters
    ----------
    nlp : Language
        A pipeline whose tokenizer is ``"tifa.Segmenter.v1"``.
    name : str
        Component name in the pipeline.
    spans_key : str
        Key of the span group in ``doc.spans`` (default ``"tifa"``).
    alignment_mode : {'strict', 'contract', 'expand'}
        Passed to ``Doc.char_span``.

    Returns
    -------
    TermSpans
    """
    return TermSpans(nlp.tokenizer, spans_key=spans_key, alignment_mode=alignment_mode)


@registry.displacy_colors("tifa.term_colors.v1")
def _term_colors() -> dict[str, str]:
    return dict(DISPLACY_COLORS)


# ---------------------------------------------------------------------- pipeline
def _config_value(source: Any) -> str | list[str]:
    """How a lexicon or dictionary source is written in the spaCy config."""
    if isinstance(source, (str, Path)):
        return str(source)
    if isinstance(source, Lexicon):
        # Categories and learned terms live in the tokenizer data, not the config.
        return "builtin" if source.name == "builtin" else list(source)
    return [str(term) for term in source]


def spacy_pipeline(*, segmenter: Segmenter | None = None, **segmenter_params: Any) -> Language:
    """A blank Chinese spaCy pipeline that segments with the toolkit.

    Parameters
    ----------
    segmenter : Segmenter, optional
        Take backend, HMM, dictionary and terms from this Segmenter, including
        the terms it learned if it was fitted. Its mode, stopwords, pos and
        n_jobs are not used: spaCy tokens are always raw (parallelism is
        ``nlp.pipe(texts, n_process=...)``).
    **segmenter_params
        Or build the Segmenter from these parameters (``backend``,
        ``lexicons``, ``dictionary``, ``hmm`` …), as ``Segmenter(**params)``.
        ``mode`` must be ``'raw'`` if given.

    Returns
    -------
    spacy.language.Language
        ``lang="zh"``, tokenizer ``"tifa.Segmenter.v1"`` and one component,
        ``"tifa_terms"``, which fills ``doc.spans["tifa"]``.

    Raises
    ------
    TypeError
        If both ``segmenter`` and parameters are given, a parameter is unknown,
        or ``segmenter`` is not a Segmenter.
    ValueError
        If a parameter value is invalid (the message names it and the allowed values).

    Examples
    --------
    >>> seg = Segmenter(lexicons=[["河长制"]]).fit(["推行“一岗双责”"])
    >>> nlp = spacy_pipeline(segmenter=seg)
    >>> doc = nlp("落实一岗双责和河长制")
    >>> [(s.text, s.label_) for s in doc.spans["tifa"]]
    [('一岗双责', 'learned'), ('河长制', 'user')]
    """
    if segmenter is not None:
        if segmenter_params:
            raise TypeError(
                "give either segmenter or Segmenter parameters, not both "
                f"(got segmenter and {sorted(segmenter_params)})"
            )
        if not isinstance(segmenter, Segmenter):
            raise TypeError(
                f"segmenter must be a toolkit.segment.Segmenter (got {type(segmenter).__name__})"
            )
    else:
        unknown = sorted(set(segmenter_params) - set(_SEGMENTER_PARAMS))
        if unknown:
            raise TypeError(
                f"unknown Segmenter parameter(s) {unknown}; allowed: {list(_SEGMENTER_PARAMS)}"
            )
        if segmenter_params.get("mode", "raw") != "raw":
            raise ValueError(
                "mode must be one of {'raw'} for a spaCy tokenizer "
                f"(got {segmenter_params['mode']!r}); spaCy keeps every character"
            )
        segmenter = Segmenter(**segmenter_params)
    segmenter._validate_params()
    lexicons = segmenter.lexicons
    dictionary = segmenter.dictionary
    tokenizer_config = {
        "@tokenizers": TOKENIZER_NAME,
        "backend": segmenter.backend,
        "lexicons": [_config_value(source) for source in lexicons],
        "dictionary": None if dictionary is None else _config_value(dictionary),
        # "guarded" is kept as it is: bool() made it True, another segmentation.
        "hmm": segmenter.hmm,
    }
    config = Chinese.default_config.copy()
    config["nlp"]["tokenizer"] = tokenizer_config
    # spaCy's zh defaults hold pkuseg settings for its own tokenizer, which ours does not take.
    config["initialize"]["tokenizer"] = {}
    # The config is complete (the defaults, copied): filling it again would bring pkuseg back.
    nlp = Chinese.from_config(config, auto_fill=False)
    # A snapshot: what the tokenizer will save, so a loaded copy is identical.
    snapshot = _segmenter_from_state(_segmenter_state(segmenter))
    nlp.tokenizer = SegmenterTokenizer(nlp.vocab, snapshot)
    nlp.add_pipe(FACTORY_NAME)
    return nlp
