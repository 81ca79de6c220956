"""Declare the options an analysis kind accepts, and check a config's options against them.

An analysis declares its options once, with their defaults, through
:func:`analysis_options`; the config loader then refuses unknown options and
values of the wrong type before any input is read.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["READS_CORPUS", "analysis_options", "fill_options", "option_defaults"]

F = TypeVar("F", bound=Callable[..., Any])

# Options renamed so that "how many" is n for rows everywhere; an old config names them.
_RENAMED = {"top": "n", "timeline_top": "timeline_n"}

_ATTRIBUTE = "__analysis_options__"

#: The attribute an analysis function sets to False when it reads no corpus, only
#: files of its own; a config of only such analyses needs no ``[corpus]``.
READS_CORPUS = "__reads_corpus__"


def analysis_options(**defaults: Any) -> Callable[[F], F]:
    """Decorate an analysis function with its options and their defaults.

    Parameters
    ----------
    **defaults
        One keyword per option. The default's type is the option's type:
        a list of str accepts only lists of str, an int only ints, and so on;
        a default of ``None`` accepts any value.

    Examples
    --------
    >>> @analysis_options(by=["town", "county"])
    ... def corpus_overview(corpus, options, ctx): ...
    >>> option_defaults(corpus_overview)
    {'by': ['town', 'county']}
    """

    def decorate(function: F) -> F:
        setattr(function, _ATTRIBUTE, dict(defaults))
        return function

    return decorate


def option_defaults(function: Callable[..., Any]) -> dict[str, Any]:
    """Return a fresh copy of the defaults declared with :func:`analysis_options`."""
    return copy.deepcopy(getattr(function, _ATTRIBUTE, {}))


def _type_name(default: Any) -> str:
    if isinstance(default, list):
        inner = {type(v).__name__ for v in default}
        return f"a list of {inner.pop()}" if len(inner) == 1 else "a list"
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, float):
        return "a number"
    return f"a {type(default).__name__}"


def _matches(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, list):
        if not isinstance(value, list):
            return False
        kinds = {type(v) for v in default}
        return len(kinds) != 1 or all(_matches(v, default[0]) for v in value)
    return isinstance(value, type(default))


def fill_options(
    function: Callable[..., Any], given: Mapping[str, Any], *, where: str
) -> dict[str, Any]:
    """Check ``given`` against the options ``function`` declares and fill in defaults.

    Parameters
    ----------
    function : callable
        An analysis decorated with :func:`analysis_options`.
    given : mapping
        The options written in the config.
    where : str
        Prefix for error messages, e.g. ``"flagship/config.toml: analysis[1] (corpus_overview)"``.

    Returns
    -------
    dict
        Every declared option, with the given value or its default.

    Raises
    ------
    ValueError
        On an unknown option (naming the allowed ones) or a value of the wrong type.
    """
    defaults = option_defaults(function)
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        allowed = ", ".join(repr(k) for k in sorted(defaults)) or "none"
        new = _RENAMED.get(unknown[0])
        hint = f" ({unknown[0]!r} is now {new!r})" if new in defaults else ""
        raise ValueError(
            f"{where}: unknown option {unknown[0]!r}{hint}; allowed options are {{{allowed}}}"
        )
    filled = dict(defaults)
    for key, value in given.items():
        if not _matches(value, defaults[key]):
            raise ValueError(
                f"{where}: option {key!r} must be {_type_name(defaults[key])} (got {value!r})"
            )
        filled[key] = copy.deepcopy(value)
    return filled
