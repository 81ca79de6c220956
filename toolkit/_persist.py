"""Model files: one zip that holds JSON, ``.npy`` arrays and Parquet tables, never a pickle.

Every estimator's ``save(path)`` and ``load(path)`` go through here. A model
file (``.tifa`` by convention) is a zip archive with

- ``manifest.json``: ``format`` (``"tifa-model"``), ``format_version``,
  ``toolkit_version``, ``class``, ``params`` (the constructor's, as JSON), the
  sha256 and size of every other member, and ``checksum``, the sha256 of the
  manifest itself without that field;
- the learned state, in members the estimator names: ``*.json`` (parameters,
  vocabularies, small tables), ``*.npy`` (a numpy array, written and read with
  ``allow_pickle=False``), ``*.npz`` (a sparse matrix as three such arrays),
  ``*.parquet`` (a pandas DataFrame, through pyarrow) and ``*.bin`` (bytes in
  a library's own format, such as a tomotopy model).

Reading checks the archive, the format version, the manifest's checksum, the
class, and each member's checksum before the member is parsed, so a newer,
edited, damaged or truncated file is refused with a message that names the
file, what is wrong and what to do. The checksums detect damage and edits; they
are not a signature (anyone can write a consistent file), and none is needed
for safety: nothing in the file is executed, so a forged file can only hold
wrong numbers.

An estimator takes part with two hooks: ``_save_state(writer)`` writes what
``fit`` learned and ``_load_state(reader)`` sets it again and rebuilds caches
and compiled matchers. Parameters are written from ``get_params(deep=False)``
through :func:`encode_param`; a type that is not JSON (a ``Lexicon``) registers
how it is written with :func:`register_param_type`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from toolkit._atomic import atomic_open

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ModelFileError",
    "ModelReader",
    "ModelWriter",
    "decode_param",
    "encode_param",
    "read_model",
    "register_param_type",
    "write_model",
]

#: What ``manifest.json`` names its format.
FORMAT = "tifa-model"
#: The version of the layout this toolkit writes, and the newest it reads.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Fixed member timestamps: the same model always gives the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_ZIP_MAGIC = b"PK\x03\x04"
_PICKLE_MAGIC = (b"\x80",)


class ModelFileError(ValueError):
    """A file is not a model file this toolkit can read: its message says why and what to do."""


# ---------------------------------------------------------------------- parameters
_PARAM_TYPES: dict[str, tuple[type, Callable[[Any], Any], Callable[[Any], Any]]] = {}


def register_param_type(
    tag: str, cls: type, to_json: Callable[[Any], Any], from_json: Callable[[Any], Any]
) -> None:
    """Write parameters of type ``cls`` as ``{"$<tag>": to_json(value)}``."""
    _PARAM_TYPES[tag] = (cls, to_json, from_json)


def encode_param(value: Any, name: str = "param") -> Any:
    """A parameter value as JSON; tuples and paths keep their type (``$tuple``, ``$path``)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"$tuple": [encode_param(v, name) for v in value]}
    if isinstance(value, list):
        return [encode_param(v, name) for v in value]
    if isinstance(value, Path):
        return {"$path": str(value)}
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {"$dict": {k: encode_param(v, name) for k, v in value.items()}}
    for tag, (cls, to_json, _) in _PARAM_TYPES.items():
        if isinstance(value, cls):
            return {f"${tag}": to_json(value)}
    raise TypeError(
        f"parameter {name!r} holds a {type(value).__name__}, which a model file cannot store "
        "(it stores numbers, strings, lists, paths and lexicons)"
    )


def decode_param(value: Any) -> Any:
    """The inverse of :func:`encode_param`."""
    if isinstance(value, list):
        return [decode_param(v) for v in value]
    if not isinstance(value, dict):
        return value
    ((key, inner),) = value.items()
    if key == "$tuple":
        return tuple(decode_param(v) for v in inner)
    if key == "$path":
        return Path(inner)
    if key == "$dict":
        return {k: decode_param(v) for k, v in inner.items()}
    tag = key[1:]
    if tag not in _PARAM_TYPES:
        raise ModelFileError(f"unknown parameter type {key!r}")
    return _PARAM_TYPES[tag][2](inner)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON: {value!r}")


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, default=_json_default, sort_keys=False).encode()


def _toolkit_version() -> str:
    # toolkit.__version__ without importing the package (this module is its lowest layer).
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tifa-toolkit")
    except PackageNotFoundError:
        return "0+unknown"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest_checksum(manifest: Mapping[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return _sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode())


# ---------------------------------------------------------------------- writing
class ModelWriter:
    """Collects the members of one model file; ``prefix`` nests a model inside another."""

    def __init__(self, members: dict[str, bytes] | None = None, prefix: str = "") -> None:
        self.members: dict[str, bytes] = {} if members is None else members
        self.prefix = prefix

    def _put(self, name: str, data: bytes) -> None:
        key = self.prefix + name
        if key in self.members or key == MANIFEST:
            raise ValueError(f"model file member {key!r} is written twice")
        self.members[key] = data

    def json(self, name: str, obj: Any) -> None:
        """``name.json``: plain JSON (str keys; numpy scalars and sets are converted)."""
        self._put(f"{name}.json", _dumps(obj))

    def array(self, name: str, array: Any) -> None:
        """``name.npy``: a numeric or string array (object arrays are refused)."""
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(array), allow_pickle=False)
        self._put(f"{name}.npy", buffer.getvalue())

    def sparse(self, name: str, matrix: Any) -> None:
        """``name.npz``: a sparse matrix as CSR (``data``, ``indices``, ``indptr``, ``shape``)."""
        import scipy.sparse as sp

        csr = sp.csr_matrix(matrix)
        buffer = io.BytesIO()
        np.savez(
            buffer,
            data=csr.data,
            indices=csr.indices,
            indptr=csr.indptr,
            shape=np.asarray(csr.shape, dtype=np.int64),
        )
        self._put(f"{name}.npz", buffer.getvalue())

    def matrix(self, name: str, matrix: Any) -> None:
        """A sparse matrix (``.npz``) or a dense array (``.npy``), whichever ``matrix`` is."""
        import scipy.sparse as sp

        if sp.issparse(matrix):
            self.sparse(name, matrix)
        else:
            self.array(name, matrix)

    def frame(self, name: str, frame: Any) -> None:
        """``name.parquet``: a pandas DataFrame with its index (pyarrow)."""
        buffer = io.BytesIO()
        frame.to_parquet(buffer, engine="pyarrow", index=True)
        self._put(f"{name}.parquet", buffer.getvalue())

    def bytes(self, name: str, data: bytes) -> None:
        """``name.bin``: bytes in a library's own format."""
        self._put(f"{name}.bin", bytes(data))

    def child(self, name: str) -> ModelWriter:
        """A writer for a model held by this one, under ``name/``."""
        return ModelWriter(self.members, f"{self.prefix}{name}/")


def write_model(
    path: str | Path, *, cls: str, params: Mapping[str, Any], members: Mapping[str, bytes]
) -> Path:
    """Write a model file atomically (a temporary file in the same folder, then a rename)."""
    target = Path(path)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "toolkit_version": _toolkit_version(),
        "class": cls,
        "params": dict(params),
        "members": {
            name: {"sha256": _sha256(data), "size": len(data)}
            for name, data in sorted(members.items())
        },
    }
    manifest["checksum"] = _manifest_checksum(manifest)
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(
            f"cannot write the model file {str(target)!r}: folder {str(folder)!r} does not exist"
        )
    try:
        # Written beside the target and renamed into place (toolkit._atomic): a
        # failed or interrupted save leaves the old file, never half a model.
        with atomic_open(target, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                entries = [(MANIFEST, _dumps(manifest)), *sorted(members.items())]
                for name, data in entries:
                    info = zipfile.ZipInfo(name, date_time=_EPOCH)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, data)
            fh.flush()
            os.fsync(fh.fileno())
    except PermissionError as exc:
        raise PermissionError(
            f"cannot write the model file {str(target)!r}: no permission to write in "
            f"{str(folder)!r}; save it to a folder you can write to"
        ) from exc
    return target


# ---------------------------------------------------------------------- reading
class ModelReader:
    """The verified members of one model file; each is checked against its sha256 when read."""

    def __init__(
        self,
        path: Path,
        archive: zipfile.ZipFile,
        manifest: dict[str, Any],
        prefix: str = "",
    ) -> None:
        self.path = path
        self.archive = archive
        self.manifest = manifest
        self.prefix = prefix

    def _error(self, message: str) -> ModelFileError:
        return ModelFileError(f"{self.path.name}: {message}")

    def _get(self, name: str) -> bytes:
        key = self.prefix + name
        listed = self.manifest["members"].get(key)
        if listed is None:
            raise self._error(
                f"member {key!r} is missing: the file was not written by this toolkit's "
                f"{self.manifest['class']}.save, or was changed"
            )
        # The size first: a changed member is refused before it is decompressed.
        info = self.archive.NameToInfo.get(key)
        if info is not None and info.file_size != listed["size"]:
            raise self._error(
                f"member {key!r} does not match its checksum: the file was changed or damaged"
            )
        try:
            data = self.archive.read(key)
        except KeyError:
            raise self._error(
                f"member {key!r} is listed but absent: the file was changed or damaged"
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise self._error(
                f"member {key!r} cannot be read ({exc}): the file is damaged"
            ) from None
        if len(data) != listed["size"] or _sha256(data) != listed["sha256"]:
            raise self._error(
                f"member {key!r} does not match its checksum: the file was changed or damaged"
            )
        return data

    def has(self, name: str) -> bool:
        """Whether member ``name`` (with its suffix) was written."""
        return self.prefix + name in self.manifest["members"]

    def json(self, name: str) -> Any:
        return json.loads(self._get(f"{name}.json").decode())

    def array(self, name: str) -> np.ndarray:
        return np.load(io.BytesIO(self._get(f"{name}.npy")), allow_pickle=False)

    def sparse(self, name: str) -> Any:
        import scipy.sparse as sp

        with np.load(io.BytesIO(self._get(f"{name}.npz")), allow_pickle=False) as parts:
            shape = tuple(int(n) for n in parts["shape"])
            return sp.csr_matrix((parts["data"], parts["indices"], parts["indptr"]), shape=shape)

    def matrix(self, name: str) -> Any:
        return self.sparse(name) if self.has(f"{name}.npz") else self.array(name)

    def frame(self, name: str) -> Any:
        import pandas as pd

        frame = pd.read_parquet(io.BytesIO(self._get(f"{name}.parquet")), engine="pyarrow")
        # Parquet gives a list cell back as a numpy array: make it the list it was.
        for column in frame.columns:
            if frame[column].dtype == object:
                values = [_listed(v) for v in frame[column]]
                frame[column] = pd.Series(values, index=frame.index, dtype=object)
        return frame

    def bytes(self, name: str) -> bytes:
        return self._get(f"{name}.bin")

    def child(self, name: str) -> ModelReader:
        return ModelReader(self.path, self.archive, self.manifest, f"{self.prefix}{name}/")


def _listed(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_listed(v) for v in value.tolist()]
    if isinstance(value, list):
        return [_listed(v) for v in value]
    if isinstance(value, dict):
        return {k: _listed(v) for k, v in value.items()}
    return value


def _not_a_model(path: Path, head: bytes) -> ModelFileError:
    if head.startswith(_PICKLE_MAGIC):
        what = (
            "it looks like a pickle (TopicModel.save wrote one before format version 1); "
            "pickles are never loaded, as they can run code: fit the model again and save it"
        )
    else:
        what = "save a fitted model with its save(path) method"
    return ModelFileError(f"{path.name}: not a tifa model file; {what}")


def read_model(path: str | Path, expected: str | None = None) -> ModelReader:
    """Open and check a model file; raises :class:`ModelFileError` with what is wrong.

    ``expected`` is the class the caller wants (``"TermDetector"``); a file of
    another class is refused with the class it holds.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"model file not found: {str(p)!r}")
    with p.open("rb") as fh:
        head = fh.read(4)
    if not head.startswith(_ZIP_MAGIC):
        raise _not_a_model(p, head)
    try:
        archive = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ModelFileError(
            f"{p.name}: not a complete tifa model file (truncated zip); copy or save it again"
        ) from None
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        archive.close()
        raise ModelFileError(
            f"{p.name}: not a tifa model file (a zip without {MANIFEST}); "
            "save a fitted model with its save(path) method"
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        archive.close()
        raise ModelFileError(
            f"{p.name}: {MANIFEST} cannot be read: the file is damaged; copy or save it again"
        ) from None
    try:
        manifest = json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        archive.close()
        raise ModelFileError(
            f"{p.name}: {MANIFEST} is not valid JSON: the file was changed or damaged"
        ) from None
    try:
        _check_manifest(p, manifest, archive, expected)
    except BaseException:
        archive.close()
        raise
    return ModelReader(p, archive, manifest)


def _check_manifest(p: Path, manifest: Any, archive: zipfile.ZipFile, expected: str | None) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelFileError(
            f"{p.name}: not a tifa model file ({MANIFEST} does not name format {FORMAT!r})"
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ModelFileError(f"{p.name}: format_version {version!r} is not a number")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{p.name}: written by format version {version} (tifa-toolkit "
            f"{manifest.get('toolkit_version', '?')}), this toolkit reads up to "
            f"{FORMAT_VERSION}; upgrade tifa-toolkit"
        )
    if manifest.get("checksum") != _manifest_checksum(manifest):
        raise ModelFileError(
            f"{p.name}: {MANIFEST} does not match its checksum: the file was changed or damaged"
        )
    if not isinstance(manifest.get("members"), dict) or not isinstance(
        manifest.get("params"), dict
    ):
        raise ModelFileError(
            f"{p.name}: {MANIFEST} lacks its members or params: the file was changed"
        )
    listed = set(manifest["members"])
    present = set(archive.namelist()) - {MANIFEST}
    if listed - present:
        absent = sorted(listed - present)[0]
        raise ModelFileError(
            f"{p.name}: member {absent!r} is listed but absent: the file was changed or damaged"
        )
    if present - listed:
        extra = sorted(present - listed)[0]
        raise ModelFileError(
            f"{p.name}: member {extra!r} is not listed in {MANIFEST}: the file was changed"
        )
    if expected is not None and manifest.get("class") != expected:
        held = manifest.get("class")
        raise ModelFileError(
            f"{p.name}: holds a {held}, not a {expected}; load it with {held}.load(path)"
        )
