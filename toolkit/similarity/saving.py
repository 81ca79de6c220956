"""What a fitted :class:`~toolkit.similarity.SimilarityIndex` writes to its model file.

The units, their vectors and how pieces add up to units (arrays and Parquet
tables), the representation's pieces and counts (used by ``explain``,
``distinctive`` and ``confidence``), and the models fitted for it: the term
detector and the topic model as models nested in the same file, word2vec as
its arrays (never gensim's pickle). The metric's prepared rows are rebuilt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit._estimator import Estimator
from toolkit._persist import ModelFileError, ModelReader, ModelWriter
from toolkit.dtm import DocTermMatrix
from toolkit.similarity import metrics
from toolkit.similarity.representations import Representation
from toolkit.terms.detector import TermDetector
from toolkit.topics.model import TopicModel

if TYPE_CHECKING:
    from toolkit.similarity.index import SimilarityIndex

__all__ = ["load_index", "save_index"]

# The models behind a representation: attribute of the index, class, key of Representation.extra.
NESTED: dict[str, type[Estimator]] = {"detector_": TermDetector, "topic_model_": TopicModel}
# word2vec settings a rebuilt model takes (gensim's Word2Vec constructor arguments).
_W2V_SETTINGS = (
    "vector_size",
    "alpha",
    "window",
    "min_count",
    "max_vocab_size",
    "sample",
    "seed",
    "min_alpha",
    "sg",
    "hs",
    "negative",
    "ns_exponent",
    "cbow_mean",
    "epochs",
    "null_word",
    "sorted_vocab",
    "batch_words",
    "max_final_vocab",
    "shrink_windows",
)
_W2V_COUNTS = ("corpus_count", "corpus_total_words", "effective_min_count", "train_count")


def save_index(index: SimilarityIndex, writer: ModelWriter) -> None:
    """Write the fitted state of ``index`` (the parameters are written by the caller)."""
    rep = index.representation_
    writer.json(
        "state",
        {
            "feature_names": index.feature_names_,
            "dropped": index.dropped_,
            "representation": {
                "name": rep.name,
                "piece_ids": rep.piece_ids,
                "feature_names": rep.feature_names,
                "dropped": rep.dropped,
                "counts": None
                if rep.counts is None
                else {"doc_ids": rep.counts.doc_ids, "feature_names": rep.counts.feature_names},
            },
        },
    )
    writer.frame("units", index.units_)
    writer.matrix("vectors", index.vectors_)
    writer.sparse("member", index._member)
    writer.matrix("sums", index._sums)
    writer.matrix("pieces", rep.pieces)
    writer.frame("docvars", rep.docvars)
    if rep.idf is not None:
        writer.array("idf", rep.idf)
    if rep.embeddings is not None:
        writer.array("embeddings", rep.embeddings)
    if rep.counts is not None:
        writer.sparse("counts", rep.counts.counts)
        writer.frame("counts_docvars", rep.counts.docvars)
    for name in NESTED:
        if hasattr(index, name):
            getattr(index, name)._save_nested(writer.child(name))
    if hasattr(index, "word2vec_"):
        save_word2vec(index.word2vec_, writer.child("word2vec_"))


def load_index(index: SimilarityIndex, reader: ModelReader) -> None:
    """Set the fitted state of ``index`` from :func:`save_index`'s members."""
    state = reader.json("state")
    meta = state["representation"]
    extra: dict[str, Any] = {}
    for name, cls in NESTED.items():
        if not reader.has(f"{name}/model.json"):
            continue
        given = getattr(index, name.rstrip("_"))
        # A fitted detector or topic model given as a parameter is the one fit used.
        model = given if given is not None and given.__sklearn_is_fitted__() else None
        if model is None:
            model = cls._load_nested(reader.child(name))
        setattr(index, name, model)
        extra[name.rstrip("_")] = model
    if reader.has("word2vec_/word2vec.json"):
        index.word2vec_ = load_word2vec(reader.child("word2vec_"))
        extra["word2vec"] = index.word2vec_
    counts = None
    if meta["counts"] is not None:
        counts = DocTermMatrix(
            reader.sparse("counts"),
            doc_ids=meta["counts"]["doc_ids"],
            feature_names=meta["counts"]["feature_names"],
            docvars=reader.frame("counts_docvars"),
        )
    rep = Representation(
        meta["name"],
        reader.matrix("pieces"),
        list(meta["piece_ids"]),
        reader.frame("docvars"),
        list(meta["feature_names"]),
        idf=reader.array("idf") if reader.has("idf.npy") else None,
        embeddings=reader.array("embeddings") if reader.has("embeddings.npy") else None,
        extra=extra,
        counts=counts,
        dropped=list(meta["dropped"]),
    )
    if rep.name != index.representation:
        raise ModelFileError(
            f"{reader.path.name}: the index was fitted with representation {rep.name!r} but "
            f"its parameters say {index.representation!r}: the file was changed"
        )
    index.representation_ = rep
    index.dropped_ = list(state["dropped"])
    index.feature_names_ = list(state["feature_names"])
    index.units_ = reader.frame("units")
    index.vectors_ = reader.matrix("vectors")
    index._member = reader.sparse("member")
    index._sums = reader.matrix("sums")
    index._position = {label: i for i, label in enumerate(index.units_.index)}
    index._prepared = metrics.prepare(index.vectors_, index.metric)
    index._matrix = None


def save_word2vec(model: Any, writer: ModelWriter) -> None:
    """A gensim ``Word2Vec`` as arrays: word vectors, their counts, the output weights."""
    import gensim

    wv = model.wv
    writer.json(
        "word2vec",
        {
            "gensim_version": gensim.__version__,
            "settings": {name: getattr(model, name) for name in _W2V_SETTINGS},
            "counts": {name: getattr(model, name) for name in _W2V_COUNTS},
            "index_to_key": list(wv.index_to_key),
            "expandos": sorted(wv.expandos),
        },
    )
    writer.array("vectors", wv.vectors)
    for name, values in wv.expandos.items():
        writer.array(f"vecattr_{name}", values)
    for name in ("syn1neg", "syn1"):
        if hasattr(model, name):
            writer.array(name, getattr(model, name))


def load_word2vec(reader: ModelReader) -> Any:
    """The inverse of :func:`save_word2vec`, without gensim's pickle-based ``load``."""
    from gensim.models import Word2Vec

    meta = reader.json("word2vec")
    model = Word2Vec(workers=1, **meta["settings"])
    wv = model.wv
    keys = list(meta["index_to_key"])
    wv.index_to_key = keys
    wv.key_to_index = {key: i for i, key in enumerate(keys)}
    wv.vectors = reader.array("vectors")
    wv.norms = None
    wv.expandos = {name: reader.array(f"vecattr_{name}") for name in meta["expandos"]}
    for name, value in meta["counts"].items():
        setattr(model, name, value)
    for name in ("syn1neg", "syn1"):
        if reader.has(f"{name}.npy"):
            setattr(model, name, reader.array(name))
    if model.negative and "count" in wv.expandos:
        model.make_cum_table()
    model.layer1_size = int(np.asarray(wv.vectors).shape[1])
    return model
