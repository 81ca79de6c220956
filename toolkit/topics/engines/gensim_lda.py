"""gensim's ``LdaModel`` (online variational Bayes), single-threaded and seeded.

``LdaMulticore`` is not used: its workers update the model in an order the
operating system decides, so the same seed can give different topics.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from toolkit._persist import ModelFileError, ModelReader, ModelWriter
from toolkit.dtm import DocTermMatrix

__all__ = ["GensimLDA", "dictionary_from_json", "dictionary_to_json"]

# LdaModel settings that a rebuilt model takes from the file, as they were.
_SETTINGS = (
    "chunksize",
    "decay",
    "offset",
    "eval_every",
    "update_every",
    "gamma_threshold",
    "minimum_probability",
    "minimum_phi_value",
    "per_word_topics",
    "num_updates",
    "optimize_alpha",
    "optimize_eta",
    "iterations",
    "passes",
)


def dictionary_to_json(dictionary: Any) -> dict[str, Any]:
    """A gensim ``Dictionary`` as JSON: its words in id order and its counts."""
    n = len(dictionary.token2id)
    return {
        "id2token": [dictionary[j] for j in range(n)],
        "dfs": [[int(j), int(v)] for j, v in sorted(dictionary.dfs.items())],
        "cfs": [[int(j), int(v)] for j, v in sorted(dictionary.cfs.items())],
        "num_docs": int(dictionary.num_docs),
        "num_pos": int(dictionary.num_pos),
        "num_nnz": int(dictionary.num_nnz),
    }


def dictionary_from_json(data: dict[str, Any]) -> Any:
    """The inverse of :func:`dictionary_to_json`, built without gensim's pickle-based ``load``."""
    from gensim.corpora import Dictionary

    dictionary = Dictionary()
    dictionary.token2id = {name: j for j, name in enumerate(data["id2token"])}
    dictionary.id2token = dict(enumerate(data["id2token"]))
    dictionary.dfs = {int(j): int(v) for j, v in data["dfs"]}
    dictionary.cfs = {int(j): int(v) for j, v in data["cfs"]}
    dictionary.num_docs = data["num_docs"]
    dictionary.num_pos = data["num_pos"]
    dictionary.num_nnz = data["num_nnz"]
    return dictionary


class GensimLDA:
    """LDA by gensim; ``passes`` over the corpus, ``iterations`` per document per pass."""

    def __init__(self, *, k: int, seed: int, iterations: int, passes: int, alpha: Any, eta: Any):
        self.k, self.seed = k, seed
        self.iterations, self.passes = iterations, passes
        self.alpha, self.eta = alpha, eta

    def fit(self, dtm: DocTermMatrix) -> None:
        from gensim.models import LdaModel

        bows, dictionary = dtm.to_gensim()
        self.native = LdaModel(
            bows,
            id2word=dictionary,
            num_topics=self.k,
            random_state=self.seed,
            iterations=self.iterations,
            passes=self.passes,
            alpha=self.alpha,
            eta=self.eta,
        )
        self.topic_term = self.native.get_topics()
        self.doc_topic = self.infer(dtm)

    # ------------------------------------------------------------------ online
    def start(self, feature_names: list[str]) -> None:
        """An untrained model over these features, seeded, for :meth:`update`."""
        from gensim.corpora import Dictionary
        from gensim.models import LdaModel

        dictionary = Dictionary()
        dictionary.token2id = {name: j for j, name in enumerate(feature_names)}
        dictionary.id2token = dict(enumerate(feature_names))
        # One pass per update: the caller decides how often a chunk comes back.
        self.native = LdaModel(
            None,
            id2word=dictionary,
            num_topics=self.k,
            random_state=self.seed,
            iterations=self.iterations,
            passes=1,
            alpha=self.alpha,
            eta=self.eta,
        )
        self.topic_term = self.native.get_topics()

    def update(self, dtm: DocTermMatrix) -> None:
        """Online variational Bayes on one chunk: gensim's ``LdaModel.update``, one mini-batch."""
        bows = list(dtm._bows())
        self.native.update(bows, chunksize=max(len(bows), 1))
        self.topic_term = self.native.get_topics()

    # ------------------------------------------------------------------ model files
    def save_state(self, writer: ModelWriter) -> None:
        """The model's arrays and settings, never gensim's pickle (``LdaModel.save``)."""
        import gensim

        native = self.native
        kind, keys, pos, has_gauss, cached = native.random_state.get_state()
        writer.json(
            "gensim",
            {
                "gensim_version": gensim.__version__,
                "num_topics": native.num_topics,
                "numdocs": int(native.state.numdocs),
                "dtype": np.dtype(native.dtype).name,
                "settings": {name: getattr(native, name) for name in _SETTINGS},
                "random_state": [kind, int(pos), int(has_gauss), float(cached)],
            },
        )
        writer.array("alpha", native.alpha)
        writer.array("eta", native.eta)
        writer.array("sstats", native.state.sstats)
        writer.array("state_eta", native.state.eta)
        writer.array("expElogbeta", native.expElogbeta)
        writer.array("random_keys", keys)

    def load_state(self, reader: ModelReader, dictionary: Any) -> None:
        """Rebuild the ``LdaModel`` from :meth:`save_state`'s arrays over ``dictionary``."""
        from gensim.models import LdaModel

        meta = reader.json("gensim")
        if meta["num_topics"] != self.k:
            raise ModelFileError(
                f"{reader.path.name}: the gensim model has {meta['num_topics']} topics but "
                f"k={self.k}: the file was changed"
            )
        native = LdaModel(
            None,
            id2word=dictionary,
            num_topics=self.k,
            random_state=self.seed,
            dtype=np.dtype(meta["dtype"]).type,
        )
        for name, value in meta["settings"].items():
            setattr(native, name, value)
        native.alpha = reader.array("alpha")
        native.eta = reader.array("eta")
        native.state.sstats = reader.array("sstats")
        native.state.eta = reader.array("state_eta")
        native.state.numdocs = meta["numdocs"]
        native.expElogbeta = reader.array("expElogbeta")
        kind, pos, has_gauss, cached = meta["random_state"]
        native.random_state.set_state((kind, reader.array("random_keys"), pos, has_gauss, cached))
        self.native = native

    def infer(self, dtm: DocTermMatrix) -> np.ndarray:
        bows, _ = dtm.to_gensim()
        # Inference draws from the model's random state: reset it, so that the
        # same documents always get the same shares.
        self.native.random_state = np.random.RandomState(self.seed)
        shares = np.zeros((len(dtm), self.k))
        for i, bow in enumerate(bows):
            for topic, p in self.native.get_document_topics(bow, minimum_probability=0.0):
                shares[i, topic] = p
        return shares
