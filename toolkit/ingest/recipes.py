"""Download recipes for public corpora: list them, fetch them with pooch, convert them.

A recipe (one ``[[corpus]]`` entry of ``toolkit/data/recipes.toml``) names a
file, its licence and its sha256. :func:`download_corpus` fetches the file
into a cache with pooch (retries; the file is written under a temporary name
and moved into place only once its sha256 matches), then, when the recipe
names a ``converter``, writes the corpus as JSONL in the schema of the
government-report files (``id``, docvars, ``text``; read it with
:func:`toolkit.ingest.read_gov_reports`).

A recipe whose ``sha256`` is empty has not been pinned: the download works but
is reported as unverified (a :class:`UnverifiedDownloadWarning` that gives
the file's sha256 to pin), and ``require_hash=True`` refuses it.
pooch is imported only when a file is fetched.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from toolkit.corpus import Document
from toolkit.ingest.lawtext_gov import iter_lawtext_archive

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "CONVERTERS",
    "ChecksumMismatchError",
    "CorpusDownload",
    "Recipe",
    "UnverifiedDownloadWarning",
    "default_cache",
    "download_corpus",
    "load_recipes",
]

#: converter name (a recipe's ``converter``) -> function from the downloaded file to Documents.
CONVERTERS: dict[str, Callable[[Path], Iterator[Document]]] = {
    "lawtext-gov": iter_lawtext_archive,
}


class UnverifiedDownloadWarning(UserWarning):
    """A file was downloaded for a recipe that has no sha256 to check it against."""


class ChecksumMismatchError(ValueError):
    """A downloaded file's sha256 is not the recipe's; nothing was kept."""


@dataclass(frozen=True)
class Recipe:
    """One public corpus: where it is, under what terms, and its checksum.

    Parameters
    ----------
    name : str
        Short identifier (``tifa corpora download NAME``).
    url : str
        The file to download.
    licence, description : str
        As stated by the upstream source.
    sha256 : str
        Hex SHA-256 of the file at ``url``; ``""`` when not pinned yet.
    converter : str or None
        Key of :data:`CONVERTERS`, or ``None`` when the file is only fetched.
    extra : dict
        The recipe's other keys (``homepage``, ``commit``, ``notes`` ...).
    """

    name: str
    url: str
    licence: str
    description: str
    sha256: str = ""
    converter: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        """Name of the downloaded file in the cache: ``<name>-<last part of the url>``."""
        return f"{self.name}-{Path(urlparse(self.url).path).name or 'download'}"


_KNOWN = ("name", "url", "licence", "description", "sha256", "converter")


def load_recipes(path: str | Path | None = None) -> dict[str, Recipe]:
    """Read recipes from a TOML file (default: the toolkit's ``data/recipes.toml``).

    Parameters
    ----------
    path : str or Path, optional
        A TOML file of ``[[corpus]]`` entries with at least ``name``, ``url``,
        ``licence`` and ``description``.

    Returns
    -------
    dict
        Recipe name -> :class:`Recipe`, in file order.
    """
    if path is None:
        raw = (files("toolkit") / "data" / "recipes.toml").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    recipes: dict[str, Recipe] = {}
    for entry in tomllib.loads(raw).get("corpus", []):
        missing = [k for k in ("name", "url", "licence", "description") if k not in entry]
        if missing:
            raise ValueError(f"recipe {entry.get('name', '?')!r} lacks the key(s) {missing}")
        converter = entry.get("converter")
        if converter is not None and converter not in CONVERTERS:
            raise ValueError(
                f"recipe {entry['name']!r}: converter={converter!r} is not one of "
                f"{sorted(CONVERTERS)}"
            )
        sha = str(entry.get("sha256", "")).lower()
        recipes[entry["name"]] = Recipe(
            name=entry["name"],
            url=entry["url"],
            licence=entry["licence"],
            description=entry["description"],
            sha256=sha,
            converter=converter,
            extra={k: v for k, v in entry.items() if k not in _KNOWN},
        )
    return recipes


def default_cache() -> Path:
    """Default download folder: ``$TIFA_DATA_DIR``, else the user cache of ``tifa-toolkit``."""
    env = os.environ.get("TIFA_DATA_DIR")
    if env:
        return Path(env)
    import pooch

    return Path(pooch.os_cache("tifa-toolkit"))


@dataclass(frozen=True)
class CorpusDownload:
    """What :func:`download_corpus` did.

    Attributes
    ----------
    recipe : Recipe
    path : Path
        The downloaded file in the cache.
    sha256 : str
        Its SHA-256, computed here.
    verified : bool
        Whether it was checked against the recipe's pinned ``sha256``.
    corpus : Path or None
        The converted JSONL corpus, or ``None`` when the recipe has no converter.
    n_documents : int
        Documents written to ``corpus``.
    """

    recipe: Recipe
    path: Path
    sha256: str
    verified: bool
    corpus: Path | None = None
    n_documents: int = 0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_corpus(docs: Iterator[Document], target: Path) -> int:
    # The schema of the government-report JSONL files (read_gov_reports): ``id``,
    # the docvars, then ``text``. Written under a temporary name and moved into
    # place, so a failed conversion leaves no half-written corpus behind.
    tmp = target.with_name(target.name + ".part")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for doc in docs:
                record = {"id": doc.doc_id, **doc.meta, "text": doc.text}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def download_corpus(
    name: str,
    *,
    dest: str | Path | None = None,
    require_hash: bool = False,
    convert: bool = True,
    retries: int = 2,
    recipes: str | Path | dict[str, Recipe] | None = None,
) -> CorpusDownload:
    """Fetch a public corpus by recipe name and convert it to a JSONL corpus.

    Parameters
    ----------
    name : str
        A recipe name (see :func:`load_recipes`).
    dest : str or Path, optional
        Folder for the downloaded file and the converted ``<name>.jsonl``;
        default :func:`default_cache`. A file already there with the pinned
        hash is not downloaded again.
    require_hash : bool
        Refuse a recipe whose ``sha256`` is not pinned.
    convert : bool
        Write ``<name>.jsonl`` when the recipe has a converter.
    retries : int
        Extra download attempts after a failure (pooch's ``retry_if_failed``).
    recipes : str, Path or dict, optional
        A recipes TOML file, or recipes already loaded; default the toolkit's own.

    Returns
    -------
    CorpusDownload

    Raises
    ------
    KeyError
        ``name`` is not a recipe.
    ValueError
        ``require_hash`` is set and the recipe has no ``sha256``.
    ChecksumMismatchError
        The download's sha256 differs from the recipe's; no file is left in ``dest``.

    Warns
    -----
    UnverifiedDownloadWarning
        The recipe has no ``sha256``: the message gives the file's sha256 to pin.
    """
    table = recipes if isinstance(recipes, dict) else load_recipes(recipes)
    if name not in table:
        raise KeyError(f"name={name!r} is not a corpus recipe; choose one of {sorted(table)}")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be an integer >= 0 (got {retries!r})")
    recipe = table[name]
    if require_hash and not recipe.sha256:
        raise ValueError(
            f"recipe {name!r} has no pinned sha256 and require_hash=True; download it "
            "without require_hash, check the file, then pin its sha256 in the recipe"
        )
    folder = Path(dest) if dest is not None else default_cache()
    import pooch

    fetcher = pooch.create(
        path=folder,
        base_url="",
        registry={recipe.filename: f"sha256:{recipe.sha256}" if recipe.sha256 else None},
        urls={recipe.filename: recipe.url},
        retry_if_failed=retries,
    )
    try:
        path = Path(fetcher.fetch(recipe.filename))
    except ValueError as exc:
        if "hash" not in str(exc).lower():
            raise
        raise ChecksumMismatchError(
            f"recipe {name!r}: the file downloaded from {recipe.url} does not have the "
            f"recipe's sha256 {recipe.sha256}; nothing was kept in {folder}. The upstream "
            f"file has changed or the download was corrupted. ({exc})"
        ) from exc
    digest = _sha256(path)
    verified = bool(recipe.sha256)
    if not verified:
        warnings.warn(
            f"UNVERIFIED download: recipe {name!r} has no pinned sha256, so {path} was not "
            f"checked. Its sha256 is {digest}; check the file against {recipe.url} and pin "
            "it in the recipe (sha256 and sha256_status).",
            UnverifiedDownloadWarning,
            stacklevel=2,
        )
    result = CorpusDownload(recipe, path, digest, verified)
    if convert and recipe.converter is not None:
        target = folder / f"{name}.jsonl"
        count = _write_corpus(CONVERTERS[recipe.converter](path), target)
        result = CorpusDownload(recipe, path, digest, verified, target, count)
    return result
