"""Wall time of the whole catalogue (``make verify``) and the share of it spent compiling Numba kernels.

``python -m verifiers --no-cache --workers 2`` runs twice in subprocesses that share one fresh
``NUMBA_CACHE_DIR``: the first run compiles every kernel and writes it there (cold), the
second loads them (warm). Without the variable, ``cache=True`` kernels live in the
``__pycache__`` folders next to the sources, where earlier runs left them and the cold run
would not compile; the section checks that the cold run did write index files into the
fresh folder. The compilation share is ``(cold - warm) / cold``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Table, check, missing

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 600.0
WORKERS = 2
NAME = "full make verify wall time"
GOAL = f"under {LIMIT_S / 60:.0f} minutes on {WORKERS} workers, Numba compilation included"


def section(quick: bool, extra: tuple[str, ...] = ()):
    """The table and the 10-minute target; ``extra`` is passed to ``python -m verifiers`` (e.g. ``-k``)."""
    runs = {}
    with tempfile.TemporaryDirectory(prefix="bench-numba-") as cache:
        for name in ("cold", "warm"):
            with tempfile.TemporaryDirectory(prefix="bench-verify-") as out:
                runs[name] = _run(cache, out, quick, extra, name)
            runs[name]["index_files"] = sum(1 for _ in Path(cache).rglob("*.nbi"))
    cold, warm = runs["cold"]["seconds"], runs["warm"]["seconds"]
    compiled = runs["cold"]["index_files"] > 0
    share = (cold - warm) / cold if compiled else None
    profile = "quick" if quick else "full"
    rows = (("cold: compiles every kernel", cold, 1.0),
            ("warm: kernels from the cache", warm, warm / cold),
            ("compilation (cold - warm)", cold - warm if compiled else None, share))
    command = " ".join(["python -m verifiers", *(["--quick"] if quick else []), "--no-cache",
                        f"--workers {WORKERS}", *extra])
    notes = [f"{command}, NUMBA_CACHE_DIR a fresh folder shared by both runs",
             f"Numba index files in it after the cold run: {runs['cold']['index_files']}, "
             f"after the warm run: {runs['warm']['index_files']}"]
    if not compiled:
        notes.append("the cold run wrote no kernel into NUMBA_CACHE_DIR: the variable did not redirect "
                     "the cache, and the compilation share is not measured")
    for name, run in runs.items():
        notes.append(f"{name} run: exit status {run['returncode']}; {run['last_line']}")
    table = Table(f"make verify ({profile} grids, {WORKERS} workers): wall time and Numba compilation",
                  ("run", "seconds", "run/cold"), rows, tuple(notes))
    if quick or extra:
        return table, [missing(NAME, GOAL, "ran the quick grids or a subset (--verify for the full catalogue)")]
    if runs["cold"]["returncode"] not in (0, 1):  # 1: some verdict not the expected one, still a full run
        return table, [missing(NAME, GOAL, f"the cold run failed (exit status {runs['cold']['returncode']})")]
    if not compiled:
        return table, [missing(NAME, GOAL, "the cold run compiled nothing (kernels came from a cache)")]
    return table, [check(NAME, GOAL, cold, LIMIT_S, below=True)]


def _run(cache: str, out: str, quick: bool, extra: tuple[str, ...], name: str) -> dict:
    command = [sys.executable, "-m", "verifiers", "--no-cache", "--workers", str(WORKERS), "--out", out]
    command += ["--quick"] if quick else []
    command += list(extra)
    env = {**os.environ, "NUMBA_CACHE_DIR": cache}
    print(f"   verify: {name} run ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    summary = next((line for line in reversed(lines) if "expected verdict" in line),
                   lines[-1] if lines else "no output")
    print(f"   verify: {name} run {seconds:.1f} s", file=sys.stderr, flush=True)
    return {"seconds": seconds, "returncode": done.returncode,
            "last_line": summary.split("; report:")[0].strip()}  # the report folder is gone by then
