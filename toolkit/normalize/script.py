"""Traditional to simplified Chinese with OpenCC.

OpenCC is imported on first use, not when :mod:`toolkit` is imported, and one
converter per configuration is kept for the life of the process because
building one loads its dictionaries from disk.
"""

from __future__ import annotations

import functools
from typing import Any

from toolkit._validation import check_choice, require_text

__all__ = ["SIMPLIFIED_CONFIGS", "to_simplified"]

#: OpenCC configurations accepted by :func:`to_simplified`.
SIMPLIFIED_CONFIGS = frozenset({"t2s", "tw2s", "hk2s", "tw2sp"})


def to_simplified(text: str, *, config: str = "t2s") -> str:
    """Convert traditional Chinese to simplified Chinese with OpenCC.

    Parameters
    ----------
    text : str
        Text to convert. Only Chinese characters change (and, with ``tw2sp``,
        whole Taiwanese phrases); punctuation, Latin letters and whitespace are
        left as they are.
    config : {'t2s', 'tw2s', 'hk2s', 'tw2sp'}, default 't2s'
        OpenCC configuration: ``t2s`` for OpenCC-standard traditional,
        ``tw2s``/``hk2s`` for Taiwan/Hong Kong character variants, and ``tw2sp``
        which also replaces Taiwanese vocabulary with mainland terms
        (``隨身碟`` → ``U盘``).

    Returns
    -------
    str
        The simplified text.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    ValueError
        If ``config`` is not one of the allowed names.

    Notes
    -----
    OpenCC converts by phrase, so the function is not strictly idempotent:
    ``畢昇`` (a name) becomes ``毕昇``, but ``毕昇`` is not in the phrase list
    and a second pass turns it into ``毕升``. Convert once, on the original
    text. Simplified text without such phrase exceptions is returned unchanged.

    Examples
    --------
    >>> to_simplified("關於深入推進鄉村振興戰略的實施意見")
    '关于深入推进乡村振兴战略的实施意见'
    """
    require_text(text)
    check_choice("config", config, SIMPLIFIED_CONFIGS)
    return _converter(config).convert(text)


@functools.lru_cache(maxsize=len(SIMPLIFIED_CONFIGS))
def _converter(config: str) -> Any:
    # Imported here so that `import toolkit` does not load OpenCC's C library.
    import opencc

    return opencc.OpenCC(config)
