r"""Moreau-Yosida (proximal) Langevin for a non-smooth composite target: the exact stationary
law of MYULA on a grid, and simulated chains.

Target (``laplace_gaussian_target``): :math:`\pi(x) \propto e^{-w|x| - x^2/2}` on
:math:`\mathbb R` (a product over coordinates when ``dim > 1``), :math:`w` = ``l1_weight``.
With :math:`m(w) = \int_0^\infty e^{-wx - x^2/2}dx = \sqrt{\pi/2}\,\operatorname{erfcx}(w/\sqrt2)`
and :math:`I_k = \int_0^\infty x^k e^{-wx-x^2/2}dx`, integration by parts gives
:math:`I_{k+1} + wI_k = kI_{k-1}` (:math:`I_1 + wI_0 = 1`), hence [derived here]

.. math:: E_\pi|x| = \frac1{m(w)} - w, \qquad \operatorname{Var}_\pi(x) = E_\pi x^2
          = 1 + w^2 - \frac w{m(w)}.

MYULA (Durmus, Moulines & Pereyra [2]; the Euclidean case of the Bregman-Moreau scheme of
Lau & Liu [1]) replaces :math:`g = w|\cdot|` by its Moreau envelope
:math:`g^\lambda(x) = \min_u g(u) + (x-u)^2/(2\lambda)`, whose gradient is
:math:`(x - \operatorname{prox}_{\lambda g}(x))/\lambda = \operatorname{clip}(x/\lambda, -w, w)`
(soft thresholding), and runs ULA on :math:`x^2/2 + g^\lambda`:

.. math:: x' = x - h\big(x + \operatorname{clip}(x/\lambda, -w, w)\big) + \sqrt{2h}\,\xi.

Its bias has two parts: the smoothing (the chain targets, as :math:`h \to 0`,
:math:`\pi_\lambda \propto e^{-x^2/2 - g^\lambda}`, with
:math:`g^\lambda(x) = w|x| - \lambda w^2/2` for :math:`|x| \ge \lambda w` and
:math:`x^2/(2\lambda)` otherwise) and the discretisation. With :math:`\lambda = h` (the
default) both vanish as :math:`h \to 0`; with :math:`\lambda` fixed the error tends to the
smoothed target's.

**Stationary law without simulation** (``myula_stationary``): the transition density
:math:`k(x, y) = \varphi_{\sqrt{2h}}(y - \mu(x))`, :math:`\mu(x)` the drift map above, is
discretised by the Nyström method on a uniform grid of ``grid_points`` points on
:math:`[-R, R]` (rows :math:`K_{ij} \propto k(x_i, x_j)`, truncated beyond 9 standard
deviations and renormalised to sum to 1: a stochastic matrix); the stationary weights are
its Perron left eigenvector (``scipy.sparse.linalg.eigs`` from a uniform start, so
deterministic). The trapezoid rule errs by :math:`O(\Delta^2)` only at the kinks of
:math:`\mu` and of the density; ``info["grid_change"]`` is the change of the metric when
the spacing is doubled (the grid-convergence check).

**Bregman version: not implemented.** Lau & Liu's Bregman-Moreau envelopes pay off with a
mirror map adapted to a constrained domain (entropy on the orthant or simplex); this target
lives on :math:`\mathbb R`, where the natural mirror map is Euclidean and the scheme *is*
MYULA. A mirror-Langevin discretisation on another target was not built, and no Bregman
variant is offered here.

[1] T. T.-K. Lau, H. Liu (2022). Bregman Proximal Langevin Monte Carlo via Bregman-Moreau
    Envelopes. ICML 2022.
[2] A. Durmus, E. Moulines, M. Pereyra (2018). Efficient Bayesian computation by proximal
    Markov chain Monte Carlo: when Langevin meets Moreau. SIAM J. Imaging Sci. 11(1).
"""
from __future__ import annotations

import numpy as np
import scipy.integrate
import scipy.sparse
import scipy.sparse.linalg
import scipy.special

from problems import _validate as _checks
from problems import backend as _backend
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _sde_kernels, _sde_reference
from ._sde_kernels import ABS_MOMENT, SECOND_MOMENT

GRID_METRICS = ("abs_mean_error", "variance_error", "tv")
SIM_METRICS = ("abs_mean", "second_moment")
BACKENDS = _backend.BACKENDS
TRUNCATION = 9.0  # kernel rows cut at 9 standard deviations (mass beyond: 2e-19)


def laplace_gaussian_target(rng, *, l1_weight=1.0, dim=1) -> Instance:
    r""":math:`\pi \propto \exp(-w\|x\|_1 - \|x\|^2/2)` with its exact moments per coordinate.

    ``rng`` is validated, not used. ``constants``: ``l1_weight``, ``dim``,
    ``target_abs_mean`` :math:`E_\pi|x_i|`, ``target_variance`` :math:`\operatorname{Var}_\pi
    x_i` (closed forms of the module docstring), ``normaliser`` :math:`2m(w)` (of one
    coordinate's density).
    """
    _checks.generator(rng)
    w = _checks.nonnegative("l1_weight", l1_weight, fix="pass the weight of |x| (>= 0)")
    d = _checks.integer("dim", dim, low=1)
    m = np.sqrt(np.pi / 2.0) * scipy.special.erfcx(w / np.sqrt(2.0))
    constants = {"l1_weight": w, "dim": d, "target_abs_mean": 1.0 / m - w,
                 "target_variance": 1.0 + w * w - w / m, "normaliser": 2.0 * m}
    return Instance(data={}, constants=constants,
                    name=f"laplace_gaussian_target(w={w:g}, d={d})")


def target_density(instance, x):
    """The exact one-coordinate density of the target at the points ``x``."""
    w, Z = _target(instance, "target_density")
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-w * np.abs(x) - x * x / 2.0) / Z


def smoothed_moments(instance, smoothing):
    r""":math:`(E|x|, \operatorname{Var}x)` under the Moreau-Yosida smoothed target
    :math:`\pi_\lambda` (the :math:`h \to 0` limit of MYULA at fixed :math:`\lambda`), by
    quadrature on :math:`[0, 40]` (even density) split at :math:`\lambda w`."""
    w, _ = _target(instance, "smoothed_moments")
    lam = _checks.positive("smoothing", smoothing, fix="pass the Moreau-Yosida parameter")

    def weight(x):
        env = w * x - lam * w * w / 2.0 if x >= lam * w else x * x / (2.0 * lam)
        return np.exp(-x * x / 2.0 - env)

    def integral(k):
        return sum(scipy.integrate.quad(lambda x: x**k * weight(x), lo, hi, epsabs=0.0,
                                        epsrel=1e-12, limit=200)[0]
                   for lo, hi in ((0.0, lam * w), (lam * w, 40.0)) if hi > lo)
    Z = integral(0)
    return integral(1) / Z, integral(2) / Z


def myula_stationary(instance, rng, *, step_size, smoothing=None, grid_points=4001,
                     half_width=10.0, metric="abs_mean_error") -> Trace:
    r"""The stationary law of MYULA by the grid method (module docstring): a one-value Trace.

    Metrics (per coordinate): ``"abs_mean_error"`` :math:`|E_h|x| - E_\pi|x||`,
    ``"variance_error"`` :math:`|\operatorname{Var}_h x - \operatorname{Var}_\pi x|`
    (absolute), ``"tv"`` :math:`\tfrac12\int|\pi_h - \pi|` (trapezoid on the grid).
    ``t = [step_size]``; ``rng`` is validated, not used. ``smoothing`` :math:`\lambda`
    defaults to ``step_size``.

    ``info``: ``abs_mean``, ``variance`` (of the chain's law), ``abs_mean_error``,
    ``variance_error``, ``tv``, ``smoothed_abs_mean``, ``smoothed_variance`` (of
    :math:`\pi_\lambda`), ``grid`` and ``weights`` (stationary probabilities of the grid
    points), ``spacing``, ``grid_change`` (the metric's change at double spacing),
    ``step_size``, ``smoothing``.
    """
    _checks.generator(rng)
    w, _ = _target(instance, "myula_stationary")
    h = _checks.positive("step_size", step_size, fix="pass the Langevin step size")
    lam = h if smoothing is None else _checks.positive(
        "smoothing", smoothing, fix="pass the Moreau-Yosida parameter, or None for step_size")
    n = _checks.integer("grid_points", grid_points, low=101)
    R = _checks.positive("half_width", half_width, fix="pass the grid's half width, e.g. 10")
    code = _checks.choice("metric", metric, GRID_METRICS)
    if 2.0 * R / (n - 1) > 0.125 * np.sqrt(2.0 * h):  # the coarse check grid doubles it
        raise ValueError(f"grid_points={n} gives spacing {2 * R / (n - 1):.3g}, not small "
                         f"against sqrt(2 step_size) = {np.sqrt(2 * h):.3g} / 8; pass more "
                         f"grid_points or a smaller half_width")
    grid, weights = _stationary(h, lam, w, n, R)
    measured = _grid_metrics(instance, grid, weights)
    coarse = _grid_metrics(instance, *_stationary(h, lam, w, (n - 1) // 2 + 1, R))
    name = GRID_METRICS[code]
    smooth_abs, smooth_var = smoothed_moments(instance, lam)
    info = {**measured, "smoothed_abs_mean": smooth_abs, "smoothed_variance": smooth_var,
            "grid": grid, "weights": weights, "spacing": float(grid[1] - grid[0]),
            "grid_change": abs(measured[name] - coarse[name]), "step_size": h,
            "smoothing": lam}
    return Trace(metric, np.array([h]), np.array([[measured[name]]]), info)


def myula(instance, rng, *, step_size, smoothing=None, n_iter, chains=1000, burn_in=0,
          metric="abs_mean", n_checkpoints=60, backend="numba") -> Trace:
    r"""Simulated MYULA chains (module docstring), vectorised over ``chains``.

    Metric per chain (one row each) at the checkpoints ``t`` (steps after ``burn_in``): the
    running time average over the states :math:`k = \text{burn\_in}, \dots, \text{burn\_in} + t`
    of :math:`\frac1d\sum_i|x_i|` (``"abs_mean"``) or :math:`\frac1d\sum_i x_i^2`
    (``"second_moment"``). Randomness, in order: :math:`x_0 \sim N(0, \operatorname{Var}_\pi)`
    ``(chains, d)``, then per chunk of ``m`` steps ``rng.standard_normal((m, chains, d))``, all
    drawn on the host. ``backend``: ``"numba"`` (the jitted kernel, the default) or an array
    back end of ``problems.backend`` (``"numpy"``, ``"cupy"``, ``"array_api_strict"``), which
    runs the array-API twin in ``_sde_reference`` on the same numbers, each chunk moved to the
    device once; the result does not depend on the back end (beyond rounding).
    ``info``: ``step_size``, ``smoothing``, ``chains``, ``burn_in``, ``backend``,
    ``first_nonfinite``.
    """
    rng = _checks.generator(rng)
    w, _ = _target(instance, "myula")
    h = _checks.positive("step_size", step_size, fix="pass the Langevin step size")
    lam = h if smoothing is None else _checks.positive(
        "smoothing", smoothing, fix="pass the Moreau-Yosida parameter, or None for step_size")
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    R = _checks.integer("chains", chains, low=1)
    burn_in = _checks.integer("burn_in", burn_in, low=0)
    statistic = (ABS_MOMENT, SECOND_MOMENT)[_checks.choice("metric", metric, SIM_METRICS)]
    _checks.choice("backend", backend, BACKENDS)
    xp = None if backend == "numba" else _backend.namespace(backend)  # BackendUnavailable here
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    d = int(instance.constants["dim"])
    x = rng.standard_normal((R, d)) * np.sqrt(instance.constants["target_variance"])
    out, acc, cursor = np.full((R, t.size), np.nan), np.zeros(R), np.zeros(1, dtype=np.int64)
    if xp is not None:  # the chains and their sums stay on the device; the cursor is an int
        x, acc, cursor = _backend.to_device(xp, x), _backend.to_device(xp, acc), 0
    for t0, t1 in chunks(burn_in + int(t[-1]), R * d):
        normals = rng.standard_normal((t1 - t0, R, d))
        if xp is None:
            _sde_kernels._myula_segment(x, normals, t1 - t0, t0 + 1, burn_in, t, h, lam, w,
                                        statistic, cursor, acc, out)
        else:
            with np.errstate(all="ignore"):  # divergence is evidence (inf in out), not a warning
                x, acc, cursor = _sde_reference._myula_segment(
                    xp, x, _backend.to_device(xp, normals), t1 - t0, t0 + 1, burn_in, t, h, lam,
                    w, statistic, cursor, acc, out)
    info = {"step_size": h, "smoothing": lam, "chains": R, "burn_in": burn_in,
            "backend": backend, "first_nonfinite": first_nonfinite(t, out)}
    return Trace(metric, t, out, info)


def _stationary(h, lam, w, n, R):
    """Grid points and the Perron left eigenvector of the Nyström transition matrix."""
    grid = np.linspace(-R, R, n)
    dx = grid[1] - grid[0]
    mu = grid - h * (grid + np.clip(grid / lam, -w, w))
    s = np.sqrt(2.0 * h)
    width = int(np.ceil(TRUNCATION * s / dx))
    cols = np.rint((mu + R) / dx).astype(np.int64)[:, None] + np.arange(-width, width + 1)
    inside = (cols >= 0) & (cols < n)
    cols = np.clip(cols, 0, n - 1)
    vals = np.where(inside, np.exp(-0.5 * ((grid[cols] - mu[:, None]) / s) ** 2), 0.0)
    vals /= vals.sum(axis=1, keepdims=True)
    K = scipy.sparse.csr_matrix((vals.ravel(), cols.ravel(),
                                 np.arange(n + 1) * (2 * width + 1)), shape=(n, n))
    KT = K.T.tocsr()
    _, vecs = scipy.sparse.linalg.eigs(KT, k=1, which="LM", v0=np.full(n, 1.0 / n),
                                       tol=1e-14)
    weights = np.abs(np.real(vecs[:, 0]))
    weights /= weights.sum()
    for _ in range(3):  # polish: a few exact applications of the chain
        weights = KT @ weights
        weights /= weights.sum()
    return grid, weights


def _grid_metrics(instance, grid, weights):
    w, Z = _target(instance, "myula_stationary")
    c = instance.constants
    abs_mean = float(np.sum(weights * np.abs(grid)))
    mean = float(np.sum(weights * grid))
    variance = float(np.sum(weights * grid * grid) - mean * mean)
    exact = np.exp(-w * np.abs(grid) - grid * grid / 2.0) / Z * (grid[1] - grid[0])
    return {"abs_mean": abs_mean, "variance": variance,
            "abs_mean_error": abs(abs_mean - c["target_abs_mean"]),
            "variance_error": abs(variance - c["target_variance"]),
            "tv": float(0.5 * np.sum(np.abs(weights - exact)))}


def _target(instance, method):
    if not isinstance(instance, Instance) or "target_abs_mean" not in instance.constants:
        raise ValueError(f"instance must be an Instance from laplace_gaussian_target, got "
                         f"{getattr(instance, 'name', type(instance).__name__)!r} in {method}")
    return float(instance.constants["l1_weight"]), float(instance.constants["normaliser"])
