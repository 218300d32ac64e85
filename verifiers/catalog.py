r"""Find claims: every ``.py`` file under a folder (names starting with ``_`` skipped)
that defines ``CLAIM`` or ``CLAIMS``; a target may also be one file or a claim id.

Loading is by path (a claim file may live anywhere on disk) and each file is read
once. A file that fails to import, defines no claim, or holds a malformed claim gives a
one-line message naming the file, claim and field, and the other files still load.
"""
from __future__ import annotations

import hashlib
import inspect
import importlib.util
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from theory.claim import Claim, ClaimSpecError, validate
from verifiers.assumptions import CHECKS

CATALOGUE = Path(__file__).resolve().parent.parent / "theory" / "claims"


@dataclass(frozen=True)
class Entry:
    claim: Claim
    source: Path


def _module_name(path: Path) -> str:
    return "claimfile_" + hashlib.sha1(str(path).encode()).hexdigest()[:12]


def load_file(path: Path) -> list[Entry]:
    """Import one claim file and return its validated claims; raise ClaimSpecError otherwise."""
    path = path.resolve()
    name = _module_name(path)
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and pickling look the module up by name
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            where = ""
            tb = exc.__traceback__
            while tb is not None:
                if Path(tb.tb_frame.f_code.co_filename).resolve() == path:
                    where = f" (line {tb.tb_lineno})"
                tb = tb.tb_next
            raise ClaimSpecError(f"{path}: cannot be imported{where}: {type(exc).__name__}: {exc}".splitlines()[0]) \
                from None
    claims = ([module.CLAIM] if hasattr(module, "CLAIM") else []) + list(getattr(module, "CLAIMS", []))
    if not claims:
        raise ClaimSpecError(f"{path}: defines neither CLAIM nor CLAIMS")
    entries = []
    for claim in claims:
        if not isinstance(claim, Claim):
            raise ClaimSpecError(f"{path}: CLAIMS holds {type(claim).__name__}, not a theory.claim.Claim")
        try:
            validate(claim)
            unknown = [a for a in claim.assumptions if a not in CHECKS]
            if unknown:
                raise ClaimSpecError(f"claim {claim.id!r}: field 'assumptions' names {unknown}; "
                                     f"known assumptions are {sorted(CHECKS)}")
        except ClaimSpecError as exc:
            raise ClaimSpecError(f"{path}: {exc}") from None
        if not claim.provenance and module.__doc__:  # the file's docstring states the theorem and its sources
            claim = replace(claim, provenance=inspect.cleandoc(module.__doc__))
        entries.append(Entry(claim, path))
    return entries


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if not any(part.startswith("_") for part in p.relative_to(folder).parts))


def discover(targets: Iterable[str] = (), keyword: str = "") -> tuple[list[Entry], list[str]]:
    """Claims named by ``targets`` (the whole catalogue by default), filtered by ``keyword``.

    Returns the entries and the one-line messages of everything that failed to load.
    """
    targets = list(targets) or [str(CATALOGUE)]
    files, ids, errors = [], [], []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            files += _files(path)
        elif path.suffix == ".py" and path.exists():
            files.append(path)
        elif path.suffix == ".py":
            errors.append(f"{target}: no such claim file")
        else:
            ids.append(target)
    named = {p.resolve() for p in files}  # files named by path, directly or through a folder
    if ids:
        files += _files(CATALOGUE)
    entries, seen = [], {}
    for path in dict.fromkeys(p.resolve() for p in files):
        try:
            loaded = load_file(path)
        except ClaimSpecError as exc:
            errors.append(str(exc))
            continue
        for entry in loaded:
            if entry.claim.id in seen:
                errors.append(f"{path}: claim id {entry.claim.id!r} is already defined in {seen[entry.claim.id]}")
                continue
            seen[entry.claim.id] = path
            entries.append(entry)
    if ids:
        known = {e.claim.id for e in entries}
        errors += [f"{i}: no claim with this id (and no such file or folder)" for i in ids if i not in known]
        entries = [e for e in entries if e.claim.id in ids or e.source in named]
    if keyword:
        entries = [e for e in entries if keyword in e.claim.id or keyword in e.claim.title]
    return entries, errors

