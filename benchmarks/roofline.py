r"""Least-squares gradient descent against the memory-bandwidth roofline of the same machine.

The roofline is a STREAM-like triad :math:`a = b + s c` on arrays far beyond the last-level
cache, one thread, best of several passes taken before and after the gradient-descent
timings (the machine may be shared): bandwidth = 24 bytes per element (read :math:`b, c`,
write :math:`a`; the write-allocate read is not counted, as in STREAM) over the time. NumPy
does it in two passes (``multiply`` then ``add`` into ``a``), Numba in one; the better of
the two is the roofline.

Gradient descent with ``operator="design"`` applies the :math:`n \times d` design matrix at
each step, :math:`e \leftarrow e - \eta A^\top(Ae)/n`; the Numba kernel does it in one pass
over the rows, so a step streams :math:`8nd` bytes and cannot beat that many bytes over the
triad bandwidth. The time per step is a difference, ``(T(n_long) - T(n_short)) / (n_long -
n_short)``, so the fixed costs of a call (validation, checkpoints, setup) cancel.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numba
import numpy as np

from problems import least_squares as ls

from .report import Table, check, missing
from .timing import best

DIM = 50
STEPS = (2, 22)  # n_short, n_long
TARGET = 0.5


def triad_numpy(a, b, c, s):
    np.multiply(c, s, out=a)
    np.add(a, b, out=a)


@numba.njit(cache=False)
def triad_numba(a, b, c, s):
    for i in range(a.size):
        a[i] = b[i] + s * c[i]


@numba.njit(cache=False)
def read_numba(x):
    """Sum of a 1-D array with four accumulators: one read-only stream, as the GD kernel's."""
    s0 = s1 = s2 = s3 = 0.0
    m = x.size - x.size % 4
    for i in range(0, m, 4):
        s0 += x[i]
        s1 += x[i + 1]
        s2 += x[i + 2]
        s3 += x[i + 3]
    for i in range(m, x.size):
        s0 += x[i]
    return (s0 + s1) + (s2 + s3)


@functools.lru_cache(maxsize=1)
def design(rows: int):
    """The least-squares instance of the roofline (and of the GPU section), built once per run."""
    return ls.gaussian_design(np.random.default_rng(0), n_samples=rows, dim=DIM, condition_number=100.0,
                              noise=0.1)


def sizes(scale: float) -> tuple[int, int]:
    """Triad length (2**24 doubles from ``scale`` 0.25 to 1, proportional above) and design rows
    (10**6 at ``scale`` 1, proportional)."""
    length = 2**24 * (min(1.0, 4.0 * scale) if scale < 1.0 else scale)
    return max(2**12, int(length)), max(1000, int(10**6 * scale))


def section(scale: float, repeat: int):
    length, rows = sizes(scale)
    instance, step_bytes = design(rows), 8 * rows * DIM
    before = _triad_seconds(length, passes=max(repeat, 5))
    notes, per_step = [], {}
    for backend in ("numba", "numpy"):
        try:
            per_step[backend] = _step_seconds(instance, backend, repeat)
        except (TypeError, ValueError) as exc:
            notes.append(f"gradient_descent(operator='design', backend={backend!r}) did not run: "
                         f"{type(exc).__name__}: {exc}")
    after = _triad_seconds(length, passes=max(repeat, 5))  # the best of both sides of the GD timings
    flat = instance.data["A"].reshape(-1)
    read = best(lambda: read_numba(flat), max(repeat, 5))
    triads = {name: min(before[name], after[name]) for name in before}
    triad_bytes = 24 * length
    roofline = max(triad_bytes / t for t in triads.values())
    rows_out = [(f"triad a = b + s*c, {name}", triad_bytes / 1e6, t, triad_bytes / t / 1e9,
                 triad_bytes / t / roofline) for name, t in triads.items()]
    rows_out.append(("read A once (sum), Numba, one stream", step_bytes / 1e6, read, step_bytes / read / 1e9,
                     step_bytes / read / roofline))
    rows_out += [(f"GD operator='design', {backend}{'' if backend == 'numba' else ' twin'}", step_bytes / 1e6,
                  seconds, step_bytes / seconds / 1e9, step_bytes / seconds / roofline)
                 for backend, seconds in per_step.items()]
    llc = _last_level_cache()
    notes += [f"roofline = best triad = {roofline / 1e9:.3g} GB/s, one thread like the kernel (the twin's "
              f"BLAS calls may use more); the last column is GB/s over it",
              f"triad arrays 3 x {8 * length / 2**20:.0f} MiB; A = {rows} x {DIM} float64 = "
              f"{step_bytes / 2**20:.0f} MiB, {step_bytes / 1e6:.0f} MB streamed per step; "
              f"last-level cache {'unknown' if llc is None else f'{llc / 2**20:.0f} MiB'}",
              f"GD s/step = (T({STEPS[1]} steps) - T({STEPS[0]} steps)) / {STEPS[1] - STEPS[0]}, "
              f"best of {repeat} each; triads: best of {max(repeat, 5)} passes before and after"]
    if "numba" in per_step:
        notes.append(f"GD numba / one-stream read of A = {read / per_step['numba']:.2f}: out of cache, the read is "
                     f"the kernel's other bound (on one core, one read-only stream may fall short of the triad)")
    if llc is not None and min(3 * 8 * length, step_bytes) < 2 * llc:
        notes.append("a working set is under twice the last-level cache: part of it may stay cached "
                     "between passes (a larger --scale makes both larger)")
    fraction = step_bytes / per_step["numba"] / roofline if "numba" in per_step else None
    goal = f">= {TARGET} of the triad bandwidth (memory-bound kernel)"
    name = "least-squares GD operator='design' (numba)"
    target = check(name, goal, fraction, TARGET) if fraction is not None else \
        missing(name, goal, "operator='design' did not run")
    table = Table("roofline: least-squares GD against the triad bandwidth",
                  ("measurement", "MB per iteration", "s per iteration", "GB/s", "achieved/roofline"),
                  tuple(rows_out), tuple(notes))
    return table, [target]


def _triad_seconds(length: int, passes: int) -> dict:
    """Best seconds of a triad pass over three fresh arrays (freed on return), per implementation."""
    b, c, a = np.full(length, 1.0), np.full(length, 2.0), np.zeros(length)
    return {"NumPy (multiply, add: 2 passes)": best(lambda: triad_numpy(a, b, c, 3.0), passes),
            "Numba, one pass": best(lambda: triad_numba(a, b, c, 3.0), passes)}


def _step_seconds(instance, backend: str, repeat: int) -> float:
    def run(n_iter):
        ls.gradient_descent(instance, np.random.default_rng(0), step_size=1.0, n_iter=n_iter,
                            n_checkpoints=2, operator="design", backend=backend)
    run(STEPS[0])  # compiles, or loads from the cache
    short, long = (best(lambda: run(n), repeat, warm_up=False) for n in STEPS)
    return (long - short) / (STEPS[1] - STEPS[0])


def _last_level_cache():
    """Bytes of the highest-level CPU cache, from sysfs (``None`` where it cannot be read)."""
    found = {}
    for index in Path("/sys/devices/system/cpu/cpu0/cache").glob("index*"):
        try:
            level = int((index / "level").read_text())
            text = (index / "size").read_text().strip()
        except (OSError, ValueError):
            continue
        factor = {"K": 2**10, "M": 2**20, "G": 2**30}.get(text[-1:], 1)
        try:
            found[level] = int(text.rstrip("KMG")) * factor
        except ValueError:
            continue
    return found[max(found)] if found else None
