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

"Fitted?" has one public answer: :func:`sklearn.utils.validation.check_is_fitted`,
which calls ``__sklearn_is_fitted__`` below.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = ["Estimator", "NotFittedError", "check_fitted"]


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
