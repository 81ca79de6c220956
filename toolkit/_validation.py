"""Parameter checks shared by every public entry point.

Messages follow one pattern so tests can pin them:
``<name> must be one of {'a', 'b'} (got 'x')``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

__all__ = [
    "check_choice",
    "check_flag",
    "check_fraction",
    "check_items",
    "check_optional_str",
    "check_positive_int",
    "check_rejected",
    "check_seed",
    "ensure_reiterable",
    "require_text",
]


def check_choice(name: str, value: Any, allowed: Collection[Any]) -> Any:
    """Return ``value`` if it is in ``allowed``, else raise ``ValueError`` naming all three."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in sorted(allowed, key=str))
        raise ValueError(f"{name} must be one of {{{options}}} (got {value!r})")
    return value


def check_flag(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool, else raise ``ValueError`` in the house pattern.

    ``check_choice`` would accept ``1`` and ``0`` because they compare equal to
    ``True`` and ``False``; a switch given a number is more likely a mistake.
    """
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be one of {{False, True}} (got {value!r})")
    return value


def require_text(text: Any) -> str:
    """Return ``text`` if it is a ``str``, else raise ``TypeError`` naming its type."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (got {type(text).__name__})")
    return text


def check_positive_int(name: str, value: Any, *, allow_zero: bool = False) -> int:
    """Return ``value`` if it is an int > 0 (or >= 0), else raise naming the parameter."""
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        bound = ">= 0" if allow_zero else ">= 1"
        raise ValueError(f"{name} must be an integer {bound} (got {value!r})")
    return value


def ensure_reiterable(obj: Any, name: str, *, what: str = "documents") -> Iterable[Any]:
    """Refuse one-shot iterators and bare strings where several passes are needed.

    Mirrors gensim: a generator would be silently exhausted after the first pass.
    """
    if isinstance(obj, (str, bytes)):
        raise TypeError(
            f"{name} must be a sequence of {what}, not a single {type(obj).__name__}; "
            f"wrap it in a list: [{name}]"
        )
    if isinstance(obj, Iterator):
        raise TypeError(
            f"{name} is a one-shot iterator ({type(obj).__name__}) but several passes are "
            f"needed; pass a list, a Corpus, or a re-iterable stream such as "
            f"toolkit.read_jsonl(path, stream=True)"
        )
    if not isinstance(obj, Iterable):
        raise TypeError(f"{name} must be an iterable of {what} (got {type(obj).__name__})")
    return obj


def check_items(name: str, value: Any, *, what: str, example: str) -> Any:
    """Return ``value`` if it is a list, tuple or set (not a string), else raise ``TypeError``.

    ``what`` names the items (``'lexicons'``), ``example`` shows a good value.
    A bare string would be read character by character, so it is refused too.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(f"{name} must be a list of {what}, e.g. {example} (got {value!r})")
    return value


def check_optional_str(name: str, value: Any, *, allow_none: bool = True) -> Any:
    """Return ``value`` if it is a str (or None where allowed), else raise ``TypeError``."""
    if value is None and allow_none:
        return value
    if not isinstance(value, str):
        expected = "a str or None" if allow_none else "a str"
        raise TypeError(f"{name} must be {expected} (got {value!r})")
    return value


def check_seed(name: str, value: Any) -> int:
    """Return ``value`` if it is an int >= 0 (not a bool), else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0 (got {value!r})")
    return value


def check_fraction(name: str, value: Any) -> float:
    """Return ``value`` if it is a number strictly between 0 and 1, else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be between 0 and 1, exclusive (got {value!r})")
    return float(value)


def check_rejected(rejected: Any) -> Any:
    """Return ``rejected`` if it is a list (rejects are appended to it) or None, else raise."""
    if rejected is not None and not isinstance(rejected, list):
        raise TypeError(
            f"rejected must be a list to which rejected records are appended, or None "
            f"(got {rejected!r})"
        )
    return rejected
