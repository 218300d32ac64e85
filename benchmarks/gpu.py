"""CuPy against the NumPy twin on GPU-sized instances (run only where CuPy sees a GPU).

The instances of the issue: symmetric matrix sensing on the population loss at n = 2048 and
4096 with width n (a few steps: each is O(n^3)), ULA with 10^5 chains in dimension 10, and
least-squares gradient descent with ``operator="design"`` on 10^6 rows x 50. Both back ends
run the same array-API twin on the same instance and random numbers (drawn on the host and
moved to the device); ``scale`` shrinks the instances (for tests).

The clock stops when the result is home: a method returns NumPy arrays, and the copy from
the device waits for every kernel queued before it, so no explicit synchronisation is
needed. The first call of each back end is not timed (CuPy compiles its kernels then).
"""
from __future__ import annotations

import numpy as np

from problems import langevin as lg
from problems import least_squares as ls
from problems import matrix_sensing as ms
from problems.backend import BackendUnavailable, namespace
from problems.types import chunks

from . import roofline
from .report import Table, check, missing
from .timing import best

TARGET = 20.0
LANGEVIN_STEPS = 300


def cases(scale: float):
    """``(label, method, instance, params)`` of the GPU-sized instances, shrunk by ``scale``."""
    out = []
    for full in (2048, 4096):
        n = max(8, int(full * scale))
        out.append((f"symmetric_gd n={n} width={n}", ms.symmetric_gd,
                    ms.symmetric_low_rank(np.random.default_rng(0), dim=n, rank=2),
                    dict(width=n, init_scale=0.3, step_size=0.2, n_iter=3, n_checkpoints=2)))
    chains = max(100, int(10**5 * scale))
    out.append((f"ula {chains} chains d=10 x {LANGEVIN_STEPS} steps", lg.ula,
                lg.gaussian_target(np.random.default_rng(0), dim=10, condition_number=10.0),
                dict(step_size=0.03, n_iter=LANGEVIN_STEPS, chains=chains, metric="variance_ratio")))
    rows = roofline.sizes(scale)[1]
    out.append((f"gradient_descent design {rows} x {roofline.DIM} x 50 steps", ls.gradient_descent,
                roofline.design(rows), dict(step_size=1.0, n_iter=50, n_checkpoints=2, operator="design")))
    return out


def unavailable(backend: str):
    """Why ``backend`` cannot run here (one line), or ``None`` when it can."""
    try:
        namespace(backend)
    except (BackendUnavailable, ValueError) as exc:
        return str(exc)
    return None


def section(scale: float, repeat: int, backend: str = "cupy"):
    """The table and the targets, or ``(None, targets)`` when ``backend`` cannot run here."""
    goal = f">= {TARGET:g}x the NumPy twin"
    reason = unavailable(backend)
    if reason is not None:
        return None, [missing(f"{backend} vs NumPy on GPU-sized instances", goal, reason)]
    rows, notes, targets = [], [], []
    for label, method, instance, params in cases(scale):
        traces = {}

        def run(name):
            traces[name] = method(instance, np.random.default_rng(0), **params, backend=name)

        try:
            slow = best(lambda: run("numpy"), repeat)
            fast = best(lambda: run(backend), repeat)
        except Exception as exc:  # a twin that does not take this back end (yet): evidence, not a crash
            rows.append((label, None, None, None, "—"))
            notes.append(f"{label}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            targets.append(missing(f"{backend} vs NumPy: {label}", goal, "did not run"))
            continue
        agree = np.allclose(traces["numpy"].values, traces[backend].values, rtol=1e-8, atol=0.0,
                            equal_nan=True)
        rows.append((label, slow, fast, slow / fast, "yes" if agree else "NO"))
        targets.append(check(f"{backend} vs NumPy: {label}", goal, slow / fast, TARGET) if agree else
                       missing(f"{backend} vs NumPy: {label}", goal, "its values differ from the NumPy twin's"))
        if method is lg.ula:
            drawn = best(lambda: _host_noise(params["chains"], params["n_iter"]), 1, warm_up=False)
            notes.append(f"{label}: drawing its Gaussian increments on the host alone takes {drawn:.3g} s, "
                         f"{drawn / fast:.0%} of the {backend} call (both back ends draw them)")
    notes = ["seconds per call, best of the repeats; the result comes home as NumPy, which waits for "
             "the device", "agree: same values as the NumPy twin to rtol 1e-8"] + notes
    table = Table(f"GPU: {backend} against the NumPy twin",
                  ("instance", "numpy s", f"{backend} s", f"numpy/{backend}", "agree"), tuple(rows),
                  tuple(notes))
    return table, targets


def _host_noise(chains: int, n_iter: int, dim: int = 10):
    stream = np.random.default_rng(0).spawn(3)[0]
    for t0, t1 in chunks(n_iter, chains * dim):
        stream.standard_normal((t1 - t0, chains, dim))
