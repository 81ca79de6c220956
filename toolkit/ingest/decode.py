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

Two damages keep the text that is there when the caller collects rejections
(``rejected=[]``): a file cut off in the middle of a multi-byte character keeps
everything before the cut, and a UTF-8 file with some lines in another encoding
(pages pasted together) keeps its UTF-8 lines. Each damage is one
:class:`~toolkit.corpus.errors.Rejection` naming the bytes or lines dropped;
without ``rejected`` they raise, as any other undecodable file.
"""

from __future__ import annotations

import codecs
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from toolkit._validation import check_rejected
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

# How the codecs say that the data ended inside a character (UTF-8, UTF-16, GB18030/Big5).
_CUT_REASONS = frozenset(
    {"unexpected end of data", "truncated data", "incomplete multibyte sequence"}
)
# What a damaged file loses: (location, what is wrong, what was kept instead).
_Damage = tuple[str, str, str]


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


def decode_bytes(
    data: bytes, *, source: str = "<bytes>", rejected: list[Rejection] | None = None
) -> tuple[str, str]:
    """Decode the bytes of a text file.

    Parameters
    ----------
    data : bytes
        Raw file content (``bytearray`` and ``memoryview`` are accepted too).
    source : str, optional
        Name used in error messages, usually the file path.
    rejected : list, optional
        When given, a file cut off inside its last character keeps the text
        before the cut, and a UTF-8 file with lines in another encoding keeps its
        UTF-8 lines; what was dropped is appended as a
        :class:`~toolkit.corpus.errors.Rejection` (location ``"end"`` or
        ``"line N"``). Without it, such a file raises :class:`DecodeError`.

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
    if not isinstance(source, str):
        raise TypeError(f"source must be a str naming where the bytes came from (got {source!r})")
    check_rejected(rejected)
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(
            f"{source}: data must be bytes (got {type(data).__name__}); "
            "open the file in binary mode or call read_text_file(path)"
        )
    damage: list[_Damage] = []
    text, encoding = _decode(data, source, damage)
    if damage and rejected is None:
        where, what, _ = damage[0]
        more = f" (and {len(damage) - 1} more lines)" if len(damage) > 1 else ""
        raise DecodeError(
            source,
            f"{'' if where == 'end' else f'{where}: '}{what}{more}; pass rejected=[] to keep "
            "the rest and collect what is dropped",
        )
    text = _NEWLINES.sub("\n", text)
    if not text.strip():
        raise DecodeError(source, _EMPTY)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError(source, _BINARY_CONTROL)
    if rejected is not None:
        rejected.extend(Rejection(source, f"{what}; {kept}", where) for where, what, kept in damage)
    return text, encoding


def read_text_file(
    path: str | os.PathLike[str], *, rejected: list[Rejection] | None = None
) -> tuple[str, str]:
    """Read a text file in any supported encoding.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.
    rejected : list, optional
        Collects what a damaged file loses, as in :func:`decode_bytes`.

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
    check_rejected(rejected)
    return decode_bytes(Path(path).read_bytes(), source=os.fspath(path), rejected=rejected)


def _decode(data: bytes, source: str, damage: list[_Damage]) -> tuple[str, str]:
    if not data:
        raise DecodeError(source, _EMPTY)
    # A UTF-32 LE mark starts with the UTF-16 LE mark, so it must be tested first.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise DecodeError(source, f"{_UNDECODABLE} (UTF-32 byte-order mark)")
    if data.startswith(codecs.BOM_UTF8):
        # Decoded without the mark, so that error offsets count from the file's start.
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", source, damage), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source, damage), "utf-16"
    if b"\x00" in data:
        raise DecodeError(source, _BINARY_NUL)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if (text := _cut(data, "utf-8", utf8_error, source, damage)) is not None:
        return text, "utf-8"
    if (text := _utf8_lines(data, source, damage)) is not None:
        return text, "utf-8"
    return _decode_chinese_legacy(data, source, utf8_error, damage)


def _cut(
    data: bytes, encoding: str, error: UnicodeDecodeError, source: str, damage: list[_Damage]
) -> str | None:
    """The text before an incomplete last character, or None if the error is elsewhere."""
    # The longest character is 4 bytes (UTF-8, GB18030), so a cut leaves at most 3.
    if error.reason not in _CUT_REASONS or error.end != len(data) or len(data) - error.start > 3:
        return None
    try:
        text = data[: error.start].decode(encoding)
    except UnicodeDecodeError:
        return None
    tail = " ".join(f"0x{b:02X}" for b in data[error.start :])
    n = len(data) - error.start
    damage.append(
        (
            "end",
            f"the file ends inside a {_NAMES.get(encoding, encoding)} character "
            f"(its last {n} byte{'s' if n > 1 else ''}: {tail}), as if cut off",
            f"{'those bytes were' if n > 1 else 'that byte was'} dropped and the text before kept",
        )
    )
    return text


def _utf8_lines(data: bytes, source: str, damage: list[_Damage]) -> str | None:
    """A UTF-8 file with some lines in another encoding: its UTF-8 lines, or None.

    The file counts as UTF-8 when more of its non-ASCII lines are UTF-8 than not;
    otherwise it is left to the legacy decoders.
    """
    kept: list[str] = []
    bad: list[tuple[int, UnicodeDecodeError, bytes]] = []
    n_utf8 = 0
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad.append((lineno, error, raw))
            continue
        n_utf8 += not line.isascii()
        kept.append(line)
    if n_utf8 <= len(bad):
        return None
    for lineno, failure, raw in bad:
        damage.append(
            (
                f"line {lineno}",
                f"not UTF-8 like the rest of the file (byte 0x{raw[failure.start]:02X} at byte "
                f"{failure.start + 1} of the line)",
                "the line was dropped and the others kept; re-save the file in one encoding",
            )
        )
    return "\n".join(kept)


_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030"}
_NAMES["big5"] = "Big5"


def _strict(data: bytes, encoding: str, source: str, damage: list[_Damage]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if (text := _cut(data, encoding, exc, source, damage)) is not None:
            return text
        raise DecodeError(
            source,
            f"{_UNDECODABLE} (byte-order mark says {encoding} but byte {exc.start} is invalid)",
        ) from None


def _decode_chinese_legacy(
    data: bytes, source: str, utf8_error: UnicodeDecodeError, damage: list[_Damage]
) -> tuple[str, str]:
    # A line of Chinese in GB18030 or Big5 is almost never valid UTF-8, while a
    # UTF-8 line read as GB18030 becomes other characters without any error: a
    # non-ASCII line that decodes as UTF-8 is UTF-8. Such lines are left out of
    # the legacy decoding (blanked: no GB18030 or Big5 character holds the byte
    # 0x0A, so the line feeds stay where they are) and put back decoded as UTF-8.
    raws = data.split(b"\n")
    foreign = [i for i, raw in enumerate(raws) if not raw.isascii() and _is_utf8(raw)]
    legacy = b"\n".join(b"" if i in set(foreign) else raw for i, raw in enumerate(raws))
    candidates: dict[str, str] = {}
    cuts: dict[str, list[_Damage]] = {}
    for encoding in ("gb18030", "big5"):
        try:
            candidates[encoding] = legacy.decode(encoding)
        except UnicodeDecodeError as exc:
            cuts[encoding] = []
            if (text := _cut(legacy, encoding, exc, source, cuts[encoding])) is not None:
                candidates[encoding] = text
    scores = {encoding: _common_share(text) for encoding, text in candidates.items()}
    if not scores or max(scores.values()) < _MIN_SCORE:
        # Name the first bad UTF-8 byte: most such files are UTF-8 with one corrupt byte.
        bad = data[utf8_error.start]
        raise DecodeError(
            source, f"{_UNDECODABLE} (invalid UTF-8 byte 0x{bad:02X} at offset {utf8_error.start})"
        )
    if len(scores) == 2 and abs(scores["gb18030"] - scores["big5"]) < _TIE:
        encoding = _tie_break(legacy)
    else:
        encoding = max(scores, key=lambda enc: scores[enc])
    damage.extend(cuts.get(encoding, []))
    return _restore_utf8_lines(raws, foreign, encoding, candidates[encoding], damage), encoding


# Non-ASCII characters a line needs before its being valid UTF-8 says it is UTF-8:
# GBK characters can form valid UTF-8 by chance (lead 0xC2-0xDF, trail 0x80-0xBF).
# Of random lines of common characters in GBK, 15% of one-character lines are
# valid UTF-8, 0.06% of four-character ones.
_MIN_UTF8_CHARS = 4


def _is_utf8(raw: bytes) -> bool:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(not ch.isascii() for ch in line) >= _MIN_UTF8_CHARS


def _restore_utf8_lines(
    raws: list[bytes], foreign: list[int], encoding: str, text: str, damage: list[_Damage]
) -> str:
    """Put back the UTF-8 lines of a GB18030 or Big5 file, decoded as UTF-8, and report them."""
    if not foreign:
        return text
    lines = text.split("\n")
    if len(lines) != len(raws):  # pragma: no cover - blanked lines keep every line feed
        return text
    for index in foreign:
        lines[index] = raws[index].decode("utf-8")
        damage.append(
            (
                f"line {index + 1}",
                f"UTF-8, unlike the rest of the file ({_NAMES.get(encoding, encoding)})",
                "the line was decoded as UTF-8; re-save the file in one encoding",
            )
        )
    return "\n".join(lines)


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
