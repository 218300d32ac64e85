r"""A result cache: a claim's record on disk, under a content hash of everything that computes it.

The key of a claim is the SHA-256 of: its id, the root seed, the profile (quick or full), the array back end,
the versions of the numerical libraries, the source of its claim file, and the sources of the code it runs: the engine
(``theory/*.py``, ``verifiers/*.py``), the shared problem modules (``problems/*.py``) and
every problem package whose functions the claim file refers to (its generator, method,
statistics, PEP models). Editing one claim recomputes that claim only; editing a kernel
recomputes the claims of its package; editing the engine recomputes everything.

Entries are JSON files written atomically (a temporary file in the same folder, then
``os.replace``), so an interrupted run leaves no partial entry; an unreadable entry is a
miss. The records hold the plot payloads, so a report can be rebuilt from the cache alone.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Iterable, Optional

from verifiers.catalog import Entry, _module_name

ROOT = Path(__file__).resolve().parent.parent
#: The cache folder; the environment variable ``VERIFIERS_CACHE`` moves it (the tests do).
DEFAULT = Path(os.environ.get("VERIFIERS_CACHE") or ROOT / ".cache" / "results")
#: Bumped when the record layout changes, so that old entries are not read back.
FORMAT = 1


def _sources(paths: Iterable[Path]) -> bytes:
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        # repository files by their path in the repository, so that a clone elsewhere shares the keys
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _engine_files() -> list[Path]:
    return [p for folder in ("theory", "verifiers") for p in (ROOT / folder).glob("*.py")] \
        + list((ROOT / "problems").glob("*.py"))


def _packages_used(entry: Entry) -> set[Path]:
    """The problem packages whose functions the claim's file refers to (directly or via its claim)."""
    used = {entry.claim.problem, entry.claim.method}
    claim_module = sys.modules.get(_module_name(entry.source.resolve()))
    if claim_module is not None:  # what the file imported: statistics, PEP models, other methods
        used |= {v for v in vars(claim_module).values() if callable(v)}
    packages = set()
    for obj in used:
        name = getattr(obj, "__module__", "") or ""
        if name.startswith("problems.") and name.count(".") >= 1:
            package = ROOT / "problems" / name.split(".")[1]
            if package.is_dir():
                packages.add(package)
    return packages


@functools.lru_cache(maxsize=1)
def _library_versions() -> str:
    """The numerical libraries' versions: another NumPy or solver may change the last digits."""
    found = []
    for name in ("numpy", "scipy", "numba", "sympy", "cvxpy", "clarabel", "scs", "pepit"):
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} absent")
    return ";".join(found)


def key(entry: Entry, *, quick: bool, root_seed: int, backend: str = "numba") -> str:
    """The content hash under which this claim's record is stored."""
    files = _engine_files() + [entry.source]
    for package in _packages_used(entry):
        files += list(package.rglob("*.py"))
    digest = hashlib.sha256()
    digest.update(json.dumps({"format": FORMAT, "id": entry.claim.id, "seed": root_seed, "quick": quick,
                              "backend": backend, "libraries": _library_versions()}).encode())
    digest.update(_sources(p.resolve() for p in files))
    return digest.hexdigest()


class ResultCache:
    """Records on disk under ``folder``, one JSON file per key."""

    def __init__(self, folder: Path = DEFAULT):
        self.folder = Path(folder)

    def path(self, entry: Entry, *, quick: bool, root_seed: int, backend: str = "numba") -> Path:
        return self.folder / f"{key(entry, quick=quick, root_seed=root_seed, backend=backend)}.json"

    def load(self, entry: Entry, *, quick: bool, root_seed: int, backend: str = "numba") -> Optional[dict]:
        path = self.path(entry, quick=quick, root_seed=root_seed, backend=backend)
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("id") == entry.claim.id else None

    def store(self, entry: Entry, record: dict, *, quick: bool, root_seed: int, backend: str = "numba") -> None:
        """Write atomically; errors (a claim's code raised, a worker died) are not cached."""
        if record.get("status") == "error":
            return
        path = self.path(entry, quick=quick, root_seed=root_seed, backend=backend)
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".partial-", suffix=".json")
        try:
            with os.fdopen(handle, "w") as stream:
                json.dump(record, stream, default=_plain)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _plain(value):
    """JSON for the NumPy scalars and arrays a record may hold."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if inspect.isclass(value) or callable(value):
        return repr(value)
    raise TypeError(f"cannot store {type(value).__name__} in the result cache")
