"""The normalisation steps composed into one function, in an idempotent order."""

from __future__ import annotations

from collections.abc import Callable

from toolkit._validation import check_flag, require_text
from toolkit.normalize.controls import remove_control_characters
from toolkit.normalize.punctuation import ascii_punctuation_to_fullwidth
from toolkit.normalize.quotes import unify_quotes
from toolkit.normalize.script import to_simplified
from toolkit.normalize.whitespace import collapse_whitespace
from toolkit.normalize.width import fullwidth_to_halfwidth

__all__ = ["compose", "normalize"]


def compose(*functions: Callable[[str], str]) -> Callable[[str], str]:
    """Chain ``str -> str`` functions into one, applied left to right.

    ``compose(f, g)(text)`` is ``g(f(text))``: the functions run in the order
    they are written, like the stages of a pipeline. With no functions the
    result returns its input unchanged.

    Parameters
    ----------
    *functions : callable
        Functions taking and returning a ``str``. To pass options, bind them
        first, e.g. ``functools.partial(to_simplified, config="tw2s")``.

    Returns
    -------
    callable
        A function ``str -> str`` that raises ``TypeError`` for non-str input.

    Raises
    ------
    TypeError
        If any argument is not callable.

    Examples
    --------
    >>> clean = compose(remove_control_characters, collapse_whitespace)
    >>> clean("\\u200b乡村振兴 \\t 共同富裕\\r\\n")
    '乡村振兴 共同富裕'
    """
    for position, function in enumerate(functions):
        if not callable(function):
            raise TypeError(
                f"functions[{position}] must be callable (got {type(function).__name__})"
            )
    steps = tuple(functions)

    def composed(text: str) -> str:
        result = require_text(text)
        for step in steps:
            result = step(result)
        return result

    names = ", ".join(getattr(step, "__name__", repr(step)) for step in steps)
    composed.__name__ = composed.__qualname__ = f"compose({names})"
    return composed


def normalize(
    text: str,
    *,
    width: bool = True,
    punctuation: bool = True,
    quotes: bool = True,
    controls: bool = True,
    whitespace: bool = True,
    t2s: bool = False,
) -> str:
    """Normalise Chinese text: controls, width, quotes, punctuation, whitespace, script.

    Steps run in this order, each only when its switch is on:

    1. ``controls`` -- :func:`~toolkit.normalize.remove_control_characters`.
       First, because a zero-width space between ``群众`` and ``,`` would hide
       the Chinese context every later rule looks for.
    2. ``width`` -- :func:`~toolkit.normalize.fullwidth_to_halfwidth`. Before
       the context rules, so ``ＡＰＰ,`` and ``＂…＂`` are seen as ``APP,`` and
       ``"…"``.
    3. ``quotes`` -- :func:`~toolkit.normalize.unify_quotes`. Before
       punctuation, because ``坚持,"民生幸福"`` only shows its Chinese context
       once the quote has become ``“``.
    4. ``punctuation`` -- :func:`~toolkit.normalize.ascii_punctuation_to_fullwidth`.
    5. ``whitespace`` -- :func:`~toolkit.normalize.collapse_whitespace`. Its
       place does not matter for the result: the context rules treat "line
       start/end" as "only whitespace before/after", so stripping lines cannot
       change a decision.
    6. ``t2s`` -- :func:`~toolkit.normalize.to_simplified` with ``config="t2s"``.
       Last, so OpenCC's phrase dictionaries see words already freed of
       zero-width characters and full-width letters. It only swaps one Chinese
       character for another, and the other steps only ask *whether* a
       character is Chinese, so their decisions are the same before and after.

    No step ever changes or drops a Chinese character except step 6, and no
    step undoes or creates work for an earlier one, so with ``t2s=False``
    ``normalize(normalize(text)) == normalize(text)`` for every input and every
    combination of switches. With ``t2s=True`` the same holds except for the
    rare OpenCC phrase cases described in :func:`~toolkit.normalize.to_simplified`.

    Parameters
    ----------
    text : str
        Text to normalise.
    width, punctuation, quotes, controls, whitespace : bool, default True
        Switch the corresponding step on or off.
    t2s : bool, default False
        Also convert traditional to simplified characters. For another OpenCC
        configuration, use :func:`compose` with
        ``functools.partial(to_simplified, config=...)``.

    Returns
    -------
    str
        The normalised text.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    ValueError
        If a switch is not a bool.

    Examples
    --------
    >>> normalize("\\ufeff２０２１年,全县「１２３４５」热线办结率达９８．５％\\n\\n\\n\\n(完)")
    '2021年，全县“12345”热线办结率达98.5%\\n\\n（完）'
    """
    require_text(text)
    switches = {
        "controls": controls,
        "width": width,
        "quotes": quotes,
        "punctuation": punctuation,
        "whitespace": whitespace,
        "t2s": t2s,
    }
    for name, value in switches.items():
        check_flag(name, value)
    for name, step in _STEPS:
        if switches[name]:
            text = step(text)
    return text


# The order argued for in normalize's docstring; tests pin it.
_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("controls", remove_control_characters),
    ("width", fullwidth_to_halfwidth),
    ("quotes", unify_quotes),
    ("punctuation", ascii_punctuation_to_fullwidth),
    ("whitespace", collapse_whitespace),
    ("t2s", to_simplified),
)
