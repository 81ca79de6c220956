"""The one base of every estimator in the toolkit: scikit-learn's, plus a fitted check.

``Segmenter``, ``TermDetector``, ``TopicModel`` and ``SimilarityIndex``
inherit :class:`sklearn.base.BaseEstimator`, which reads ``__init__`` for
``get_params(deep=True)``, ``set_params``, :func:`sklearn.base.clone` and the
text and HTML reprs that Jupyter shows. Hand-kept parameter lists drift; the
signature does not.

The rules that make ``clone`` work: ``__init__`` takes keyword-only parameters
and stores each one unchanged under its own name. It may check a value (and
raise), but never converts it; conversions happen where the value is used.
``set_params`` runs the same checks again, so a bad value is refused however
it arrives.

Every estimator saves to one model file and loads from it (:meth:`Estimator.save`,
:meth:`Estimator.load`; the format is :mod:`toolkit._persist`): JSON, arrays and
tables, never a pickle. A subclass writes what ``fit`` learned in
``_save_state`` and sets it again, rebuilding what it compiles, in ``_load_state``.

"Fitted?" has one public answer: :func:`sklearn.utils.validation.check_is_fitted`,
which calls ``__sklearn_is_fitted__`` below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, TypeVar

from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from toolkit._persist import (
    ModelFileError,
    ModelReader,
    ModelWriter,
    decode_param,
    encode_param,
    read_model,
    write_model,
)

__all__ = ["Estimator", "NotFittedError", "check_fitted"]

E = TypeVar("E", bound="Estimator")


class NotFittedError(_SklearnNotFittedError, RuntimeError):
    """A method that needs a fitted estimator was called before ``fit``.

    It is scikit-learn's ``NotFittedError`` (so ``check_is_fitted`` callers
    catch it) and a ``RuntimeError``, which the toolkit raised before it
    inherited from scikit-learn.
    """


class Estimator(BaseEstimator):
    """Base class: scikit-learn's estimator API plus the toolkit's fitted check.

    Subclasses name the attribute that ``fit`` sets (``_fitted_attribute``)
    and how to fit them (``_fit_hint``, shown in the error), and may define
    ``_validate_params`` to check their parameters; it runs after
    ``set_params``.
    """

    _fitted_attribute: ClassVar[str]
    _fit_hint: ClassVar[str] = "fit(corpus)"

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, self._fitted_attribute)

    def _check_fitted(self) -> None:
        check_fitted(self)

    def _validate_params(self) -> None:
        """Check every parameter; subclasses that check theirs override this."""

    def set_params(self, **params: Any) -> Estimator:
        """Set parameters (``name=value``, or ``component__name=value``) and check them.

        Returns
        -------
        Estimator
            ``self``.
        """
        super().set_params(**params)
        self._validate_params()
        return self

    # ------------------------------------------------------------------ model files
    def save(self, path: str | Path) -> Path:
        """Write the fitted estimator to one model file at ``path``; returns the path.

        The file is a zip of JSON, ``.npy`` arrays and Parquet tables (no
        pickle), with the toolkit version, a format version and a checksum of
        every member; it is written to a temporary file in the same folder and
        renamed, so ``path`` never holds half a model. What each estimator
        stores is said by its own ``save``; ``docs/models.md`` describes the format.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        FileNotFoundError, PermissionError
            If the folder of ``path`` is missing or not writable.
        """
        self._check_fitted()
        writer = ModelWriter()
        self._save_state(writer)
        return write_model(
            path, cls=type(self).__name__, params=self._encoded_params(), members=writer.members
        )

    @classmethod
    def load(cls: type[E], path: str | Path) -> E:
        """Read an estimator written by :meth:`save`: the same results as the one saved.

        Raises
        ------
        FileNotFoundError
            If there is no file at ``path``.
        ModelFileError
            If the file is not a model file (a pickle, other bytes), is truncated,
            was changed or damaged (a checksum differs), comes from a newer format
            version, or holds another class; the message says which and what to do.
        """
        reader = read_model(path, expected=cls.__name__)
        try:
            return cls._restore(reader, reader.manifest["params"])
        finally:
            reader.archive.close()

    def _encoded_params(self) -> dict[str, Any]:
        return {name: encode_param(value, name) for name, value in self._saved_params().items()}

    def _saved_params(self) -> dict[str, Any]:
        """The constructor's parameters as written to a model file."""
        return self.get_params(deep=False)

    @classmethod
    def _restore(cls: type[E], reader: ModelReader, encoded: dict[str, Any]) -> E:
        estimator = cls._construct(reader, encoded)
        estimator._load_state(reader)
        return estimator

    @classmethod
    def _construct(cls: type[E], reader: ModelReader, encoded: dict[str, Any]) -> E:
        """An unfitted estimator with the parameters written to the file."""
        params = cls._decode_params(encoded, reader)
        known = set(cls._get_param_names())
        unknown = sorted(set(params) - known)
        if unknown:
            raise ModelFileError(
                f"{reader.path.name}: parameters {unknown} are not parameters of "
                f"{cls.__name__} in this toolkit; load it with the version that wrote it "
                f"({reader.manifest.get('toolkit_version')})"
            )
        return cls(**params)

    @classmethod
    def _decode_params(cls, encoded: dict[str, Any], reader: ModelReader) -> dict[str, Any]:
        """The inverse of :meth:`_encoded_params` (which a subclass may extend)."""
        return {name: decode_param(value) for name, value in encoded.items()}

    def _save_state(self, writer: ModelWriter) -> None:
        """Write what ``fit`` learned; each estimator that can be saved defines this."""
        raise NotImplementedError(f"{type(self).__name__} cannot be saved to a model file")

    def _load_state(self, reader: ModelReader) -> None:
        """Set what ``fit`` learned from ``reader`` and rebuild what it compiles."""
        raise NotImplementedError(f"{type(self).__name__} cannot be loaded from a model file")

    def _save_nested(self, writer: ModelWriter) -> None:
        """Write this estimator inside another's file: ``model.json`` (class, params), state."""
        writer.json("model", {"class": type(self).__name__, "params": self._encoded_params()})
        self._save_state(writer)

    @classmethod
    def _load_nested(cls: type[E], reader: ModelReader) -> E:
        header = reader.json("model")
        if header.get("class") != cls.__name__:
            raise ModelFileError(
                f"{reader.path.name}: {reader.prefix!r} holds a {header.get('class')}, "
                f"not a {cls.__name__}: the file was changed"
            )
        return cls._restore(reader, header["params"])


def check_fitted(estimator: Any) -> None:
    """Raise :class:`NotFittedError` unless ``estimator`` is fitted.

    The same answer as :func:`sklearn.utils.validation.check_is_fitted`, with
    the toolkit's message, which says how to fit that estimator. Code that
    receives a model from the user (``prevalence``, the plots) asks this.
    """
    if isinstance(estimator, Estimator):
        fitted = estimator.__sklearn_is_fitted__()
    else:
        fitted = _is_fitted(estimator)
    if not fitted:
        hint = getattr(estimator, "_fit_hint", "fit")
        raise NotFittedError(
            f"this {type(estimator).__name__} is not fitted yet; call {hint} first"
        )


def _is_fitted(model: Any) -> bool:
    """scikit-learn's answer for any model, duck-typed ones included."""
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except _SklearnNotFittedError:
        return False
    except AttributeError:
        # scikit-learn >= 1.6 asks for __sklearn_tags__, which only its BaseEstimator
        # defines; a model with fit but without that base is judged by the rule
        # check_is_fitted applies: fit sets attributes whose names end in "_".
        return any(k.endswith("_") and not k.startswith("__") for k in vars(model))
    return True
