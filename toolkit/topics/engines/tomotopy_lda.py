"""tomotopy's collapsed Gibbs sampler (C++), and its DMR covariate model.

One worker by default: tomotopy warns that several workers may change the
result even with a fixed seed. Training runs ``passes × iterations`` sweeps.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from toolkit._persist import ModelFileError, ModelReader, ModelWriter
from toolkit.dtm import DocTermMatrix

__all__ = ["TomotopyDMR", "TomotopyLDA"]

# Inference sweeps for documents the model was not trained on.
_INFER_ITERATIONS = 100


def _words(dtm: DocTermMatrix) -> list[list[str]]:
    """Each row as a word list, columns in order: the same matrix always gives the same input."""
    names = dtm.feature_names
    counts = dtm.counts
    out = []
    for i in range(len(dtm)):
        start, end = counts.indptr[i], counts.indptr[i + 1]
        words: list[str] = []
        for j, v in zip(counts.indices[start:end], counts.data[start:end], strict=True):
            words.extend([names[j]] * int(v))
        out.append(words)
    return out


class TomotopyLDA:
    """LDA by tomotopy.

    ``alpha``: ``'symmetric'`` is 1/k for every topic, ``'auto'`` lets
    tomotopy re-estimate an asymmetric prior every 10 sweeps, a number is a
    symmetric prior. ``eta`` ``None`` is tomotopy's 0.01.
    """

    def __init__(
        self,
        *,
        k: int,
        seed: int,
        iterations: int,
        passes: int,
        alpha: Any,
        eta: Any,
        workers: int = 1,
    ):
        self.k, self.seed = k, seed
        self.iterations, self.passes = iterations, passes
        self.alpha, self.eta = alpha, eta
        self.workers = workers

    def _priors(self) -> dict[str, Any]:
        alpha = 1.0 / self.k if self.alpha in ("symmetric", "auto") else float(self.alpha)
        eta = 0.01 if self.eta is None else float(self.eta)
        return {"k": self.k, "alpha": alpha, "eta": eta, "seed": self.seed}

    def _new_model(self) -> Any:
        import tomotopy as tp

        return tp.LDAModel(**self._priors())

    def _add(self, model: Any, words: list[str], row: int) -> Any:
        return model.add_doc(words)

    def _make(self, words: list[str], row: int) -> Any:
        return self.native.make_doc(words)

    def fit(self, dtm: DocTermMatrix) -> None:
        model = self._new_model()
        if not isinstance(self, TomotopyDMR):
            # DMR learns its priors by this optimisation, so only plain LDA turns it off.
            model.optim_interval = 10 if self.alpha == "auto" else 0
        # Empty rows are not added (tomotopy cannot hold them); they keep the prior.
        self._rows = []
        for row, words in enumerate(_words(dtm)):
            if words:
                self._add(model, words, row)
                self._rows.append(row)
        self._dtm_docvars = dtm.docvars
        model.train(0, workers=self.workers)
        for _ in range(self.passes):
            model.train(self.iterations, workers=self.workers)
        self.native = model
        column = {name: j for j, name in enumerate(dtm.feature_names)}
        phi = np.zeros((self.k, len(dtm.feature_names)))
        vocab = [column[w] for w in model.used_vocabs]
        for t in range(self.k):
            phi[t, vocab] = model.get_topic_word_dist(t)
        self.topic_term = phi
        theta = np.tile(self._prior_shares(), (len(dtm), 1))
        for row, doc in zip(self._rows, model.docs, strict=True):
            theta[row] = doc.get_topic_dist()
        self.doc_topic = theta

    def _prior_shares(self) -> np.ndarray:
        alpha = np.asarray(self.native.alpha, dtype=float).ravel()[: self.k]
        if alpha.size != self.k:
            alpha = np.full(self.k, 1.0 / self.k)
        return alpha / alpha.sum()

    def infer(self, dtm: DocTermMatrix) -> np.ndarray:
        self._infer_docvars = dtm.docvars
        known = set(self.native.used_vocabs)
        shares = np.tile(self._prior_shares(), (len(dtm), 1))
        docs, rows = [], []
        for row, words in enumerate(_words(dtm)):
            words = [w for w in words if w in known]
            # tomotopy aborts the process on an empty document: never hand it one.
            if words:
                docs.append(self._make(words, row))
                rows.append(row)
        if docs:
            dists, _ = self.native.infer(docs, iterations=_INFER_ITERATIONS, workers=1)
            for row, dist in zip(rows, dists, strict=True):
                shares[row] = dist
        return shares

    # ------------------------------------------------------------------ model files
    # tomotopy's own save/saves/loads put the constructor's arguments in the file as a
    # pickle, and loads unpickles it. Its binary format is written here with those
    # arguments as JSON instead (the C++ methods underneath take any bytes), and read
    # back without unpickling anything.
    def save_state(self, writer: ModelWriter) -> None:
        """tomotopy's binary model (full: documents and state) and the fitted rows."""
        import tomotopy as tp

        init = {
            k: v for k, v in self.native.init_params.items() if k not in ("corpus", "transform")
        }
        writer.bytes("tomotopy", self.native._saves(json.dumps(init).encode(), True))
        writer.json("tomotopy", {"tomotopy_version": tp.__version__, "rows": self._rows})

    def load_state(self, reader: ModelReader) -> None:
        """Read :meth:`save_state`'s model (its checksum is checked before tomotopy parses it)."""
        cls = self._model_class()
        data = reader.bytes("tomotopy")
        try:
            native, extra = cls._loads(cls, data)
        except Exception as exc:
            raise ModelFileError(
                f"{reader.path.name}: tomotopy cannot read its model ({exc}); the file may "
                "come from another tomotopy version: install the one that wrote it "
                f"({reader.json('tomotopy')['tomotopy_version']})"
            ) from None
        native.init_params = json.loads(bytes(np.asarray(extra, dtype=np.uint8)).decode())
        self.native = native
        self._rows = [int(r) for r in reader.json("tomotopy")["rows"]]

    # tomotopy models do not pickle; they serialise to bytes.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if "native" in state:
            state["native"] = state["native"].saves(full=True)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        native = state.get("native")
        if isinstance(native, bytes):
            state["native"] = self._model_class().loads(native)
        self.__dict__.update(state)

    @staticmethod
    def _model_class() -> Any:
        import tomotopy as tp

        return tp.LDAModel


class TomotopyDMR(TomotopyLDA):
    """Dirichlet-multinomial regression: topic priors that depend on docvars.

    Each covariate value is an indicator feature (``"province=河北省"``); the
    model learns one weight per topic and feature (``lambdas``), so the topic
    mix a group is expected to have is read off the fitted weights rather
    than averaged after the fact.
    """

    def __init__(self, *, covariates: Sequence[str], **params: Any):
        super().__init__(**params)
        self.covariates = list(covariates)

    def _new_model(self) -> Any:
        import tomotopy as tp

        return tp.DMRModel(**self._priors())

    @staticmethod
    def _model_class() -> Any:
        import tomotopy as tp

        return tp.DMRModel

    def features(self, docvars: pd.DataFrame, row: int) -> list[str]:
        values = docvars.iloc[row]
        return [f"{field}={values[field]}" for field in self.covariates]

    def _add(self, model: Any, words: list[str], row: int) -> Any:
        return model.add_doc(words, multi_metadata=self.features(self._dtm_docvars, row))

    def _make(self, words: list[str], row: int) -> Any:
        docvars = self._infer_docvars
        return self.native.make_doc(words, multi_metadata=self.features(docvars, row))

    def fit(self, dtm: DocTermMatrix) -> None:
        self._dtm_docvars = dtm.docvars
        super().fit(dtm)

    def _prior_shares(self) -> np.ndarray:
        prior = np.asarray(self.native.get_topic_prior(""), dtype=float)
        return prior / prior.sum()

    def effects(self) -> pd.DataFrame:
        """The weights: one row per feature (the intercept first), one column per topic."""
        lambdas = np.asarray(self.native.lambdas, dtype=float)  # k × (1 + features)
        index = ["(intercept)", *self.native.multi_metadata_dict]
        columns = [f"topic_{t}" for t in range(self.k)]
        table = pd.DataFrame(lambdas.T, index=pd.Index(index, name="feature"), columns=columns)
        # tomotopy numbers features in the order documents brought them; sort for one layout.
        return table.loc[["(intercept)", *sorted(index[1:])]]

    def prior(self, features: Sequence[str]) -> np.ndarray:
        prior = np.asarray(self.native.get_topic_prior("", list(features)), dtype=float)
        return prior / prior.sum()
