"""spaCy bridge: Segmenter tokens in spaCy, term spans, serialization, multiprocessing."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from functools import cache
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.segment import CATEGORIES, Lexicon, Segmenter
from toolkit.segment.spacy_bridge import (
    DISPLACY_COLORS,
    FACTORY_NAME,
    TOKENIZER_NAME,
    SegmenterTokenizer,
    spacy_pipeline,
)

TERMS = Lexicon(
    {
        "一线工作法": "method",
        "扫黑除恶": "campaign",
        "河长制": "institution",
        "一岗双责": "institution",
        "1+X": "numbered",
        "两学一做": "numbered",
        "共建共治共享": "parallel",
    },
    name="test-terms",
)
SENTENCE = "该镇坚持一线工作法，推进扫黑除恶，完成3720万元"
TEXTS = [
    "该镇坚持一线工作法，推进扫黑除恶，完成财政税收3720万元。",
    "全面落实河长制，镇村两级河长巡河2100余次，水质达标率100%。",
    "村“两委”落实一岗双责，推动共建共治共享的社会治理格局。",
    "深入开展两学一做学习教育，党员干部受教育面达98.5%。",
    "推出基层治理“1+X”课堂，2021年累计培训网格员360人次。",
    "持续开展扫黑除恶专项斗争，打掉涉恶团伙3个，群众安全感明显提升。",
    "工业总产值3.96亿元，同比增长12.5%，新增规上企业5家。",
    "开通APP小程序和12345热线，办结群众诉求1.2万件。",
    "坚持一线工作法，镇领导班子下沉村组，化解矛盾纠纷86起。",
    "全镇共建共治共享，创建“枫桥式”派出所，社会大局和谐稳定。",
]
# Quoted terms the Segmenter learns with fit(); none is in TERMS.
CORPUS = [
    "推行“网格化管理”，实施“田长制”。",
    "打造“红色物业”，落实“田长制”。",
]
LEARNED_TEXT = "全面推行田长制和网格化管理，建设红色物业。"

HAS_BUILTIN = (files("toolkit") / "data" / "policy_lexicon.tsv").is_file()
needs_builtin = pytest.mark.skipif(
    not HAS_BUILTIN, reason="toolkit/data/policy_lexicon.tsv not written yet"
)


def _entry_points_installed() -> bool:
    tokenizers = entry_points(group="spacy_tokenizers", name=TOKENIZER_NAME)
    factories = entry_points(group="spacy_factories", name=FACTORY_NAME)
    return bool(tokenizers) and bool(factories)


def snapshot(doc: spacy.tokens.Doc, key: str = "tifa") -> dict:
    """What must survive a round trip: tokens, whitespace and term spans."""
    return {
        "text": doc.text,
        "tokens": [(t.text, t.whitespace_) for t in doc],
        "spans": [(s.start_char, s.end_char, s.text, s.label_) for s in doc.spans[key]],
    }


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy_pipeline(lexicons=[TERMS])


@pytest.fixture(scope="module")
def fitted() -> Segmenter:
    return Segmenter(lexicons=[TERMS]).fit(CORPUS)


# ---------------------------------------------------------------------- tokens and spans
def test_tokens_equal_segmenter_tokens_and_terms_become_spans(nlp):
    doc = nlp(SENTENCE)
    expected = Segmenter(lexicons=[TERMS]).segment_text(SENTENCE)
    assert [t.text for t in doc] == expected
    assert "3720万元" in expected and "一线工作法" in expected
    spans = {(s.text, s.label_) for s in doc.spans["tifa"]}
    assert spans == {("一线工作法", "method"), ("扫黑除恶", "campaign")}
    for span in doc.spans["tifa"]:
        assert len(span) == 1  # a term is one token


def test_pipeline_shape(nlp):
    assert nlp.lang == "zh"
    assert nlp.pipe_names == [FACTORY_NAME]
    assert isinstance(nlp.tokenizer, SegmenterTokenizer)
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == TOKENIZER_NAME
    assert "pkuseg_model" not in nlp.config["initialize"]["tokenizer"]
    assert set(nlp.get_pipe(FACTORY_NAME).labels) == set(TERMS.values())
    nlp.initialize()  # no trainable parts; must not trip on the zh defaults


@pytest.mark.parametrize("backend", ["jieba-rs", "jieba", "char"])
def test_every_text_tokens_match_segmenter(backend):
    nlp = spacy_pipeline(backend=backend, lexicons=[TERMS])
    seg = Segmenter(backend=backend, lexicons=[TERMS])
    for text in TEXTS:
        doc = nlp(text)
        assert [t.text for t in doc] == seg.segment_text(text)
        assert doc.text == text


def test_ascii_case_variant_gets_the_category(nlp):
    doc = nlp("推出1+x课堂")
    assert [(s.text, s.label_) for s in doc.spans["tifa"]] == [("1+x", "numbered")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "  该镇 坚持一线工作法\n\n推进 APP 3720万元 ",
        "A  B\tC\r\nD",
        "扫黑除恶\u3000一岗双责 \n 河长制",
        "\n开头换行，结尾空格 ",
        "https://www.gov.cn/zhengce 和 12345热线",
    ],
)
def test_doc_text_is_the_text_exactly(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert "".join(t.text_with_ws for t in doc) == text
    raw = Segmenter(lexicons=[TERMS]).segment_text(text)
    assert [t.text for t in doc if not t.is_space] == [t for t in raw if not t.isspace()]
    for span in doc.spans["tifa"]:
        assert text[span.start_char : span.end_char] == span.text


def test_single_space_becomes_whitespace_other_space_a_token(nlp):
    doc = nlp("坚持 一线工作法\n推进  扫黑除恶")
    assert [(t.text, t.whitespace_) for t in doc] == [
        ("坚持", " "),
        ("一线工作法", ""),
        ("\n", ""),
        ("推进", " "),
        (" ", ""),
        ("扫黑除恶", ""),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="该镇坚持一线工作法扫黑除恶河长制1+xAPP3720万元，。“” \n\t\u3000"))
def test_doc_text_round_trips_for_any_text(text):
    doc = _property_nlp()(text)
    assert doc.text == text
    for span in doc.spans["tifa"]:
        assert span.text in TERMS or span.text.upper() in TERMS


@cache
def _property_nlp() -> spacy.Language:
    # Hypothesis runs a test many times; fixtures are not reset between examples.
    return spacy_pipeline(lexicons=[TERMS])


# ---------------------------------------------------------------------- fit / learned terms
def test_learned_terms_are_tokens_and_spans(fitted):
    nlp = spacy_pipeline(segmenter=fitted)
    doc = nlp(LEARNED_TEXT)
    assert [t.text for t in doc] == fitted.segment_text(LEARNED_TEXT)
    spans = {(s.text, s.label_) for s in doc.spans["tifa"]}
    assert spans == {("田长制", "learned"), ("网格化管理", "learned"), ("红色物业", "learned")}


def test_pipeline_is_a_snapshot_of_the_segmenter():
    seg = Segmenter(lexicons=[TERMS])
    nlp = spacy_pipeline(segmenter=seg)
    seg.fit(CORPUS)  # learning afterwards does not reach the pipeline
    assert "田长制" not in nlp.tokenizer.lexicon
    assert len(nlp(LEARNED_TEXT).spans["tifa"]) == 0


def test_analysis_mode_segmenter_still_gives_raw_tokens():
    seg = Segmenter(lexicons=[TERMS], mode="analysis", stopwords=["filler"])
    doc = spacy_pipeline(segmenter=seg)("进一步 推进扫黑除恶，。")
    assert doc.text == "进一步 推进扫黑除恶，。"
    assert "，" in [t.text for t in doc]


# ---------------------------------------------------------------------- nlp.pipe
def test_pipe_with_two_processes_equals_one(nlp):
    single = [snapshot(d) for d in nlp.pipe(TEXTS)]
    multi = [snapshot(d) for d in nlp.pipe(TEXTS, n_process=2, batch_size=3)]
    assert multi == single
    assert single == [snapshot(nlp(t)) for t in TEXTS]
    with_terms = [s for s, t in zip(single, TEXTS, strict=True) if any(x in t for x in TERMS)]
    assert len(with_terms) == 8 and all(s["spans"] for s in with_terms)


def test_pickle_round_trip(fitted):
    # What spawn/forkserver start methods need for nlp.pipe(n_process>1).
    nlp = spacy_pipeline(segmenter=fitted)
    copy = pickle.loads(pickle.dumps(nlp))
    for text in [*TEXTS, LEARNED_TEXT]:
        assert snapshot(copy(text)) == snapshot(nlp(text))


# ---------------------------------------------------------------------- displacy
def test_displacy_span_style_shows_terms_and_labels(nlp):
    doc = nlp(SENTENCE)
    from spacy import displacy  # not an attribute of spacy until imported (spacy 3.7)

    html = displacy.render(doc, style="span", options={"spans_key": "tifa"})
    for text, label in [("一线工作法", "method"), ("扫黑除恶", "campaign")]:
        assert text in html
        assert label in html
    assert DISPLACY_COLORS["method"] in html  # our colours are registered with displacy
    assert set(CATEGORIES) <= set(DISPLACY_COLORS)


# ---------------------------------------------------------------------- serialization
def test_to_disk_and_load_round_trip(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == [FACTORY_NAME]
    for text in TEXTS:
        assert snapshot(loaded(text)) == snapshot(nlp(text))


def test_learned_terms_survive_to_disk_and_to_bytes(fitted, tmp_path):
    nlp = spacy_pipeline(segmenter=fitted)
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert snapshot(loaded(LEARNED_TEXT)) == snapshot(nlp(LEARNED_TEXT))
    assert "田长制" in [t.text for t in loaded(LEARNED_TEXT)]
    assert loaded.tokenizer.lexicon.sha256() == fitted.lexicon_.sha256()

    rebuilt = spacy.blank("zh", config=nlp.config).from_bytes(nlp.to_bytes())
    assert snapshot(rebuilt(LEARNED_TEXT)) == snapshot(nlp(LEARNED_TEXT))


def test_dictionary_and_options_survive(tmp_path):
    words = ["该镇", "坚持", "推进", "完成", "一线", "工作法"]
    nlp = spacy_pipeline(backend="jieba", hmm=False, dictionary=words, lexicons=[["扫黑除恶"]])
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    seg = loaded.tokenizer.segmenter
    assert (seg.backend, seg.hmm) == ("jieba", False)
    assert snapshot(loaded(SENTENCE)) == snapshot(nlp(SENTENCE))
    assert "一线" in [t.text for t in loaded(SENTENCE)]  # the replacement dictionary is used


def test_tokenizer_data_is_checked(nlp):
    with pytest.raises(ValueError, match=r"format 'tifa.Segmenter.v1'"):
        SegmenterTokenizer(nlp.vocab, Segmenter(lexicons=[])).from_bytes(b'{"format": "x"}')
    data = json.loads(nlp.tokenizer.to_bytes())
    data["terms"].append(["伪造", "method"])
    with pytest.raises(ValueError, match="lexicon_sha256 does not match"):
        SegmenterTokenizer(nlp.vocab, Segmenter(lexicons=[])).from_bytes(json.dumps(data).encode())


def test_config_alone_builds_the_pipeline():
    config = {
        "nlp": {
            "tokenizer": {"@tokenizers": TOKENIZER_NAME, "lexicons": [["一线工作法", "扫黑除恶"]]}
        }
    }
    nlp = spacy.blank("zh", config=config)
    nlp.add_pipe(FACTORY_NAME, config={"spans_key": "terms"})
    doc = nlp(SENTENCE)
    assert [s.text for s in doc.spans["terms"]] == ["一线工作法", "扫黑除恶"]


# A fresh interpreter: spacy.load must find our registered functions on its own.
_LOAD_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import spacy
    assert "toolkit" not in sys.modules, "the test must not import toolkit itself"
    nlp = spacy.load(sys.argv[1])
    out = []
    for text in json.loads(sys.argv[2]):
        doc = nlp(text)
        out.append({
            "text": doc.text,
            "tokens": [[t.text, t.whitespace_] for t in doc],
            "spans": [[s.start_char, s.end_char, s.text, s.label_] for s in doc.spans["tifa"]],
        })
    print(json.dumps(out, ensure_ascii=False))
    """
)
# The lines pyproject.toml needs, in the form pip writes them to entry_points.txt.
_ENTRY_POINTS_TXT = textwrap.dedent(
    """\
    [spacy_factories]
    tifa_terms = toolkit.segment.spacy_bridge:make_term_spans

    [spacy_tokenizers]
    tifa.Segmenter.v1 = toolkit.segment.spacy_bridge:create_segmenter_tokenizer
    """
)


def _load_in_fresh_process(path: Path, texts: list[str], extra_path: Path | None = None) -> list:
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, str(path), json.dumps(texts, ensure_ascii=False)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [
        {k: [tuple(x) for x in v] if isinstance(v, list) else v for k, v in doc.items()}
        for doc in json.loads(result.stdout)
    ]


@pytest.fixture(scope="module")
def saved_fitted(fitted, tmp_path_factory) -> tuple[Path, list[dict]]:
    nlp = spacy_pipeline(segmenter=fitted)
    path = tmp_path_factory.mktemp("fitted") / "pipe"
    nlp.to_disk(path)
    texts = [*TEXTS[:3], LEARNED_TEXT]
    return path, texts, [snapshot(nlp(t)) for t in texts]


def test_entry_point_lines_load_in_fresh_process(saved_fitted, tmp_path):
    # Installs the proposed entry points as a stand-alone distribution, so this
    # checks the lines themselves whether or not pyproject.toml has them yet.
    dist = tmp_path / "site" / "tifa_spacy_entry_points-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: tifa-spacy-entry-points\nVersion: 0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(_ENTRY_POINTS_TXT, encoding="utf-8")
    path, texts, expected = saved_fitted
    assert _load_in_fresh_process(path, texts, extra_path=tmp_path / "site") == expected


def test_installed_package_loads_in_fresh_process(saved_fitted):
    # The entry points are declared in pyproject.toml; a saved pipeline loads without toolkit.
    assert _entry_points_installed()
    path, texts, expected = saved_fitted
    assert _load_in_fresh_process(path, texts) == expected


# ---------------------------------------------------------------------- jieba stays untouched
def test_jieba_global_dictionary_untouched_in_process(tmp_path):
    import jieba

    before = (jieba.dt.initialized, dict(jieba.dt.FREQ), jieba.dt.total)
    for backend in ("jieba-rs", "jieba"):
        nlp = spacy_pipeline(backend=backend, lexicons=[TERMS], dictionary=["该镇", "坚持"])
        nlp(SENTENCE)
        nlp.to_disk(tmp_path / backend)
        spacy.load(tmp_path / backend)(SENTENCE)
    assert (jieba.dt.initialized, dict(jieba.dt.FREQ), jieba.dt.total) == before


def test_jieba_global_dictionary_untouched_in_fresh_process():
    script = textwrap.dedent(
        """
        import jieba
        before = (jieba.dt.initialized, dict(jieba.dt.FREQ), jieba.dt.total)
        import toolkit.segment.spacy_bridge as bridge
        assert (jieba.dt.initialized, dict(jieba.dt.FREQ)) == (False, {}), "import touched jieba"
        for backend in ("jieba-rs", "jieba"):
            nlp = bridge.spacy_pipeline(backend=backend, lexicons=[["一线工作法"]])
            list(nlp.pipe(["该镇坚持一线工作法", "推进扫黑除恶"]))
            nlp.to_bytes()
        after = (jieba.dt.initialized, dict(jieba.dt.FREQ), jieba.dt.total)
        assert after == before, (before[0], after[0], len(after[1]))
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


# ---------------------------------------------------------------------- built-in lexicon
@needs_builtin
def test_builtin_lexicon_terms_become_spans(tmp_path):
    builtin = Lexicon.builtin()
    nlp = spacy_pipeline()
    doc = nlp(SENTENCE)
    assert [t.text for t in doc] == Segmenter().segment_text(SENTENCE)
    found = {s.text: s.label_ for s in doc.spans["tifa"]}
    assert found, "the built-in lexicon finds no term in the sentence"
    for term, label in found.items():
        assert builtin[term] == label
    for term in ("一线工作法", "扫黑除恶"):
        if term in builtin:
            assert found[term] == builtin[term]
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.tokenizer.lexicon.sha256() == builtin.sha256()
    assert [snapshot(loaded(t)) for t in TEXTS] == [snapshot(nlp(t)) for t in TEXTS]


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"backend": "jeiba"},
            ValueError,
            r"backend must be one of \{.*'jieba'.*\} \(got 'jeiba'\)",
        ),
        ({"mode": "analysis"}, ValueError, r"mode must be one of \{'raw'\}.*\(got 'analysis'\)"),
        (
            {"hmm": "yes"},
            ValueError,
            r"hmm must be one of \{False, True, 'guarded'\} \(got 'yes'\)",
        ),
        ({"lexicon": ["x"]}, TypeError, r"unknown Segmenter parameter\(s\) \['lexicon'\]; allowed"),
        ({"segmenter": "jieba"}, TypeError, r"segmenter must be a toolkit.segment.Segmenter"),
        (
            {"segmenter": Segmenter(), "backend": "char"},
            TypeError,
            r"either segmenter or Segmenter parameters.*\['backend'\]",
        ),
    ],
)
def test_invalid_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        spacy_pipeline(**kwargs)


def test_component_needs_our_tokenizer():
    with pytest.raises(ValueError, match=r"needs the tokenizer 'tifa.Segmenter.v1'"):
        spacy.blank("zh").add_pipe(FACTORY_NAME)
    nlp = spacy_pipeline(lexicons=[TERMS])
    with pytest.raises(ValueError, match=r"alignment_mode must be one of .* \(got 'loose'\)"):
        nlp.add_pipe(FACTORY_NAME, name="t2", config={"alignment_mode": "loose"})


def test_tokenizer_rejects_non_str(nlp):
    with pytest.raises(TypeError, match=r"text must be a str \(got bytes\)"):
        nlp.tokenizer(b"abc")


def test_guarded_hmm_pipeline_segments_like_the_segmenter():
    # spacy_pipeline(hmm="guarded") once built its tokenizer with hmm=True.
    from toolkit import read_jsonl

    corpus = read_jsonl(Path(__file__).resolve().parents[2] / "corpora" / "sample" / "towns.jsonl")
    for hmm in ("guarded", True, False):
        nlp = spacy_pipeline(hmm=hmm)
        seg = Segmenter(hmm=hmm, progress=False)
        for doc in corpus:
            assert [t.text for t in nlp(doc.text)] == seg.segment_text(doc.text), (hmm, doc.doc_id)
