"""Text normalisation for Chinese policy prose.

Every public function maps ``str -> str``, takes options as keyword-only
arguments, and leaves Chinese characters untouched (except
:func:`to_simplified`). :func:`normalize` runs them all in an idempotent order;
:func:`compose` chains any selection.

Examples
--------
>>> from toolkit.normalize import normalize
>>> normalize("深入基层、深入群众,全面了解「民生幸福」指标\\u3000\\u3000")
'深入基层、深入群众，全面了解“民生幸福”指标'
"""

from toolkit.normalize.chars import contains_chinese, is_chinese_char
from toolkit.normalize.controls import remove_control_characters
from toolkit.normalize.pipeline import compose, normalize
from toolkit.normalize.punctuation import ascii_punctuation_to_fullwidth
from toolkit.normalize.quotes import unify_quotes
from toolkit.normalize.script import to_simplified
from toolkit.normalize.whitespace import collapse_whitespace
from toolkit.normalize.width import fullwidth_to_halfwidth

__all__ = [
    "ascii_punctuation_to_fullwidth",
    "collapse_whitespace",
    "compose",
    "contains_chinese",
    "fullwidth_to_halfwidth",
    "is_chinese_char",
    "normalize",
    "remove_control_characters",
    "to_simplified",
    "unify_quotes",
]
