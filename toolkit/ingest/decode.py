"""Turn the bytes of a text file into ``str``, whatever encoding a county office used.

Local-government texts arrive as UTF-8, UTF-8 with a byte-order mark (Windows
Notepad), UTF-16 (Word's "Unicode text"), GB18030/GBK (mainland Windows) or Big5
(Hong Kong and Taiwan sources). The rules are deterministic and applied in order:

1. a byte-order mark decides UTF-8-with-BOM or UTF-16;
2. NUL bytes without a UTF-16 BOM mean the file is not text;
3. strict UTF-8;
4. GB18030 versus Big5: both codecs accept many of the same byte strings, so
   both decodings are scored by the share of characters that are common
   Chinese characters (simplified or traditional) and the higher one wins;
   charset-normalizer breaks near-ties.

Anything else is rejected with a :class:`DecodeError` that names the file and
says how to fix it.
"""

from __future__ import annotations

import codecs
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from toolkit.corpus.errors import Rejection

__all__ = ["DecodeError", "decode_bytes", "read_text_file"]

_EMPTY = "empty file"
_BINARY_NUL = (
    "binary file (NUL bytes); if this is UTF-16 text without a byte-order mark, re-save it as UTF-8"
)
_BINARY_CONTROL = "binary file (control characters)"
_UNDECODABLE = "undecodable: not UTF-8, UTF-16, GB18030 or Big5; re-save the file as UTF-8"

# Size of the common-character set drawn from jieba's word frequencies: the
# ~3,000 most frequent characters cover about 99% of running Chinese text, while a
# wrong decoding scatters over the whole code page (measured on a county
# newspaper page: right codec >= 0.99, wrong codec <= 0.25).
_N_COMMON = 3000
# Below this share neither decoding reads as Chinese: the file is in some other
# legacy encoding (Latin-1, Shift-JIS, ...) that GB18030 happens to accept.
_MIN_SCORE = 0.5
# Scores closer than this are a tie; charset-normalizer decides, then GB18030.
_TIE = 0.05
# Control characters beyond this share mean binary data, not text with a stray byte.
_MAX_CONTROL_SHARE = 0.02
# C0/C1 control characters except \t \n \v \f \r, which text files legitimately
# contain (\f: pdftotext page breaks).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Full-width punctuation and symbols normal in Chinese prose; they count as
# "expected" so that punctuation-heavy text is not scored down.
_CJK_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·～％　")
_NEWLINES = re.compile(r"\r\n?")


class DecodeError(ValueError):
    """A file's bytes are not text in a supported encoding.

    Parameters
    ----------
    path : str
        The file (or source name) that could not be decoded.
    reason : str
        What is wrong and how to fix it, e.g. ``"empty file"``.

    Attributes
    ----------
    path : str
    reason : str
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str, str]]:
        # Keep the two-argument constructor picklable (multiprocessing readers).
        return (type(self), (self.path, self.reason))

    def to_rejection(self) -> Rejection:
        """Return the error as a :class:`~toolkit.corpus.errors.Rejection` for reporting."""
        return Rejection(source=self.path, reason=self.reason)


def decode_bytes(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of a text file.

    Parameters
    ----------
    data : bytes
        Raw file content (``bytearray`` and ``memoryview`` are accepted too).
    source : str, optional
        Name used in error messages, usually the file path.

    Returns
    -------
    text : str
        The decoded text with newlines normalised to ``"\\n"`` and no
        byte-order mark.
    encoding : str
        One of ``"utf-8-sig"``, ``"utf-8"``, ``"utf-16"``, ``"gb18030"``
        (also for GBK and GB2312 files, which GB18030 contains) or ``"big5"``.

    Raises
    ------
    DecodeError
        With ``reason`` ``"empty file"``, ``"binary file (NUL bytes)..."``,
        ``"binary file (control characters)"`` or ``"undecodable: ..."``.
    TypeError
        If ``data`` is not bytes-like.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(
            f"{source}: data must be bytes (got {type(data).__name__}); "
            "open the file in binary mode or call read_text_file(path)"
        )
    text, encoding = _decode(data, source)
    text = _NEWLINES.sub("\n", text)
    if not text.strip():
        raise DecodeError(source, _EMPTY)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError(source, _BINARY_CONTROL)
    return text, encoding


def read_text_file(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Read a text file in any supported encoding.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.

    Returns
    -------
    text : str
        Decoded text with ``"\\n"`` newlines (see :func:`decode_bytes`).
    encoding : str
        The encoding that was detected.

    Raises
    ------
    DecodeError
        If the file is empty, binary or in an unsupported encoding; the message
        starts with the path, e.g. ``"notes.txt: empty file"``.
    OSError
        If the file cannot be read.
    """
    return decode_bytes(Path(path).read_bytes(), source=os.fspath(path))


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if not data:
        raise DecodeError(source, _EMPTY)
    # A UTF-32 LE mark starts with the UTF-16 LE mark, so it must be tested first.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise DecodeError(source, f"{_UNDECODABLE} (UTF-32 byte-order mark)")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", source), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source), "utf-16"
    if b"\x00" in data:
        raise DecodeError(source, _BINARY_NUL)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    return _decode_chinese_legacy(data, source, utf8_error)


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            source,
            f"{_UNDECODABLE} (byte-order mark says {encoding} but byte {exc.start} is invalid)",
        ) from None


def _decode_chinese_legacy(
    data: bytes, source: str, utf8_error: UnicodeDecodeError
) -> tuple[str, str]:
    candidates: dict[str, str] = {}
    for encoding in ("gb18030", "big5"):
        try:
            candidates[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    scores = {encoding: _common_share(text) for encoding, text in candidates.items()}
    if not scores or max(scores.values()) < _MIN_SCORE:
        # Name the first bad UTF-8 byte: most such files are UTF-8 with one corrupt byte.
        bad = data[utf8_error.start]
        raise DecodeError(
            source, f"{_UNDECODABLE} (invalid UTF-8 byte 0x{bad:02X} at offset {utf8_error.start})"
        )
    if len(scores) == 2 and abs(scores["gb18030"] - scores["big5"]) < _TIE:
        encoding = _tie_break(data)
    else:
        encoding = max(scores, key=lambda enc: scores[enc])
    return candidates[encoding], encoding


def _tie_break(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency, kept optional here
        return "gb18030"
    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    # Mainland county texts are the common case, so an undecided detector means GB18030.
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


def _common_share(text: str) -> float:
    """Share of the non-ASCII, non-space characters of ``text`` that are common Chinese.

    "Common" means one of the most frequent characters in jieba's dictionary,
    in simplified or traditional form, or full-width Chinese punctuation. A right
    decoding of Chinese text scores near 1; a wrong one (Big5 bytes read as
    GB18030 or the reverse) scores far lower.

    Parameters
    ----------
    text : str

    Returns
    -------
    float
        Between 0 and 1; 1.0 when there are no non-ASCII characters.
    """
    common = _common_characters()
    counted = [ch for ch in text if ord(ch) > 127 and not ch.isspace()]
    if not counted:
        return 1.0
    return sum(ch in common for ch in counted) / len(counted)


@lru_cache(maxsize=1)
def _common_characters() -> frozenset[str]:
    frequency: Counter[str] = Counter()
    for word, count in _jieba_frequencies():
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                frequency[ch] += count
    simplified = [ch for ch, _ in frequency.most_common(_N_COMMON)]
    return frozenset(simplified) | _traditional_forms(simplified) | _CJK_PUNCTUATION


def _jieba_frequencies() -> list[tuple[str, int]]:
    import jieba  # a core dependency; imported here to keep `import toolkit` fast

    dict_path = Path(jieba.__file__).with_name("dict.txt")
    pairs: list[tuple[str, int]] = []
    with open(dict_path, encoding="utf-8") as handle:
        for line in handle:
            word, count, *_ = line.split(" ")
            pairs.append((word, int(count)))
    return pairs


def _traditional_forms(simplified: list[str]) -> frozenset[str]:
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        return frozenset()
    forms: set[str] = set()
    joined = "\n".join(simplified)
    # OpenCC's standard forms (爲, 羣) are not in Big5; the Taiwan and Hong Kong
    # forms (為, 群) are, so all three are included.
    for config in ("s2t", "s2tw", "s2hk"):
        try:
            converter = opencc.OpenCC(config)
        except Exception:
            # Config names differ across opencc builds ("s2t" vs "s2t.json").
            try:
                converter = opencc.OpenCC(f"{config}.json")
            except Exception:
                continue
        forms.update(converter.convert(joined).replace("\n", ""))
    return frozenset(forms)


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / len(text)
