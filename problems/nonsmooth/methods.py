r"""Stochastic subgradient descent on absolute-loss regression, measured at the last iterate.

Liu & Zhou (2024) [1] bound the last iterate of SGD on convex Lipschitz problems,
:math:`\mathbb E[f(x_T)] - f_\star = O\bigl((D^2 + G^2)\log T / \sqrt T\bigr)` for
:math:`\eta_t \propto 1/\sqrt t` (and :math:`O(1/\sqrt T)` for suitable schedules). The method
is the plain stochastic subgradient step on :math:`f(x) = \mathbb E|a^\top x - c|`,

.. math:: x_{t+1} = x_t - \eta_t\, \operatorname{sign}(a_t^\top x_t - c_t)\, a_t,
          \qquad a_t^\top x_t - c_t = a_t^\top (x_t - x_\star) - \sigma \varepsilon_t,

with a fresh :math:`(a_t, \varepsilon_t)` each step and :math:`\operatorname{sign}(0) = 0`.

[1] Z. Liu, Z. Zhou (2024). Revisiting the Last-Iterate Convergence of Stochastic
    Gradient Methods. ICLR 2024.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems.nonsmooth import _kernels, _reference
from problems._validate import integer, one_of, positive
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

_METRICS = {"suboptimality": _kernels.METRIC_SUBOPTIMALITY, "distance": _kernels.METRIC_DISTANCE}
_SCHEDULES = ("inverse_sqrt", "constant", "linear_decay")
BACKENDS = problems.backend.BACKENDS


def _unpack(instance):
    data = getattr(instance, "data", None)
    if not isinstance(instance, Instance) or "x_star" not in data or "x0" not in data \
            or "noise" not in instance.constants:
        raise ValueError(f"instance must be an Instance with data 'x_star', 'x0' and constant "
                         f"'noise', got instance={instance!r}; build one with absolute_regression")
    x_star = np.ascontiguousarray(data["x_star"], dtype=np.float64)
    x0 = np.ascontiguousarray(data["x0"], dtype=np.float64)
    if x_star.ndim != 1 or x0.shape != x_star.shape:
        raise ValueError(f"instance.data x_star and x0 must be vectors of one length, got shapes "
                         f"{x_star.shape} and {x0.shape}; build it with absolute_regression")
    return x_star, x0, float(instance.constants["noise"])


def step_sizes(schedule, step_size, t, n_iter):
    r""":math:`\eta_t` at the steps ``t``: :math:`\eta/\sqrt{t+1}` (``"inverse_sqrt"``),
    :math:`\eta` (``"constant"``) or :math:`\eta (1 - t/T)` (``"linear_decay"``)."""
    t = np.asarray(t, dtype=np.float64)
    if schedule == "inverse_sqrt":
        return step_size / np.sqrt(t + 1.0)
    if schedule == "constant":
        return np.full(t.shape, step_size)
    return step_size * (1.0 - t / n_iter)


def sgd(instance: Instance, rng: np.random.Generator, *, step_size: float, n_iter: int,
        schedule: str = "inverse_sqrt", replicas: int = 1, metric: str = "suboptimality",
        n_checkpoints: int = 60, backend: str = "numba") -> Trace:
    r"""Stochastic subgradient descent from :math:`x_0` (see the module docstring).

    Randomness: ``rng.spawn(replicas)`` gives one stream per replica, from which
    :math:`(a_t, \varepsilon_t)` is drawn as one row of ``d + 1`` standard normals per step,
    in chunks of at most ``problems.types.CHUNK_NUMBERS`` numbers in all. Replica ``r`` therefore does not depend
    on the number of replicas, the chunk size or the back end.

    Back ends: the Numba kernel (``backend="numba"``, the default) updates the host state in
    place; on ``"numpy"``, ``"cupy"`` or ``"array_api_strict"`` the array-API twin
    (:mod:`problems.backend`) carries the state on the device, each chunk of randomness is
    moved there, and the metric comes home at the checkpoints.

    Parameters
    ----------
    instance : Instance
        From :func:`absolute_regression` (``x_star``, ``x0``, constant ``noise``).
    rng : numpy.random.Generator
        The only source of randomness (must support ``spawn``, e.g. ``default_rng(seed)``).
    step_size : float
        Base step :math:`\eta > 0`.
    n_iter : int
        Number of steps :math:`T \ge 1`.
    schedule : {"inverse_sqrt", "constant", "linear_decay"}
        :math:`\eta_t = \eta/\sqrt{t+1}`, :math:`\eta`, or :math:`\eta(1 - t/T)`, :math:`t = 0..T-1`.
    replicas : int
        Independent runs (rows of ``values``).
    metric : {"suboptimality", "distance"}
        Last-iterate :math:`f(x_t) - f_\star` from the closed form, or :math:`\|x_t - x_\star\|`.
    n_checkpoints : int
        Number of recording points (see :func:`problems.types.checkpoints`).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or the array-API twin on that namespace (:mod:`problems.backend`).

    Returns
    -------
    Trace
        ``values`` of shape (replicas, K); ``info``: ``first_nonfinite``, ``backend``,
        ``schedule``, ``step_size``, ``x_final`` (replicas, d, NumPy).
    """
    x_star, x0, noise = _unpack(instance)
    step_size = positive("step_size", step_size)
    n_iter = integer("n_iter", n_iter, low=1)
    one_of("schedule", schedule, _SCHEDULES)
    R = integer("replicas", replicas, low=1)
    code = _METRICS[one_of("metric", metric, _METRICS)]
    t = checkpoints(n_iter, integer("n_checkpoints", n_checkpoints, low=2))
    numba = one_of("backend", backend, BACKENDS) == "numba"
    xp = None if numba else problems.backend.namespace(backend)  # BackendUnavailable if not here
    streams = rng.spawn(R)
    d = x0.size
    x = np.tile(x0, (R, 1))
    out = np.empty((R, t.size))
    if not numba:
        x, x_star = problems.backend.to_device(xp, x), problems.backend.to_device(xp, x_star)
    k = 0
    for t0, t1 in chunks(n_iter, R * (d + 1)):
        m = t1 - t0
        G = np.empty((R, m, d + 1))
        for r in range(R):
            streams[r].standard_normal(out=G[r])
        eta = step_sizes(schedule, step_size, np.arange(t0, t0 + m), n_iter)
        if numba:
            k = _kernels._sgd_chunk(x, x_star, noise, G, eta, t0, t, k, code, out)
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is evidence
                x, k = _reference.sgd_chunk(x, x_star, noise, problems.backend.to_device(xp, G),
                                            eta, t0, t, k, code, out)
    x = problems.backend.to_numpy(x)
    info = {"first_nonfinite": first_nonfinite(t, out), "backend": backend,
            "schedule": schedule, "step_size": step_size, "x_final": x}
    return Trace(metric=metric, t=t, values=out, info=info)
