r"""Scalar networks :math:`f(w) = \prod_{i=1}^D w_i` with the square loss, and the sharpness of
their gradient-flow solutions (Kreisler, Nacson, Soudry, Carmon, ICML 2023 [1]).

Loss :math:`L(w) = \frac12 (f(w) - y)^2`, :math:`w \in \mathbb R^D`, target :math:`y > 0`.
Gradient flow conserves every :math:`w_i^2 - w_j^2`, so from :math:`w` it ends (if it
reaches zero loss) at the gradient-flow solution

.. math:: \mathrm{GFS}(w)_i = \operatorname{sign}(w_i)\sqrt{w_i^2 + s}, \qquad
          \prod_{i=1}^D (w_i^2 + s) = y^2, \quad w_i^2 + s > 0,

with :math:`s` unique because the left side increases with :math:`s`. At a zero-loss point
:math:`\nabla^2 L = \nabla f \nabla f^\top`, so the sharpness there is
:math:`\|\nabla f\|^2 = \sum_i \prod_{j\ne i} w_j^2 = y^2 \sum_i 1/w_i^2`, and the GFS
sharpness is

.. math:: \varphi(w) = y^2 \sum_{i=1}^D \frac{1}{w_i^2 + s}.

[1] I. Kreisler, M. S. Nacson, D. Soudry, Y. Carmon (2023). Gradient Descent Monotonically
    Decreases the Sharpness of Gradient Flow Solutions in Scalar Networks and Beyond.
    ICML 2023, arXiv:2305.13064.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems._validate import integer, nonnegative, one_of, positive
from problems.types import Instance

from . import _kernels, _reference

BACKENDS = problems.backend.BACKENDS


def scalar_network(rng: np.random.Generator, *, depth=4, target=1.0, init_spread=0.5,
                   sharpness_ratio=1.5) -> Instance:
    r"""A positive, imbalanced initialisation of a depth-``depth`` scalar network.

    :math:`v_i = \exp(\sigma g_i)`, :math:`g_i \sim N(0, 1)`, :math:`\sigma` =
    ``init_spread``; then :math:`w_0 = v\,(y u/\prod_i v_i)^{1/D}` with
    :math:`u \sim U(0.3, 0.7)`, so :math:`\prod_i w_{0,i} = u y` (loss
    :math:`\frac12 (1-u)^2 y^2 > 0`) and the ratios :math:`w_{0,i}/w_{0,j}` keep the spread.
    The step size is :math:`\eta = \rho/\varphi(w_0)` with :math:`\rho` =
    ``sharpness_ratio``, so :math:`\eta\varphi(w_0) = \rho`: GD is expected to end at
    :math:`\varphi(w_0) < 2/\eta` for :math:`\rho < 2` and at the edge of stability
    (sharpness :math:`\approx 2/\eta`) for :math:`\rho > 2`.

    Returns
    -------
    Instance
        ``data``: ``w0``, ``gfs0`` (:math:`\mathrm{GFS}(w_0)`). ``constants``: ``depth``,
        ``target`` (:math:`y`), ``gfs_sharpness0`` (:math:`\varphi(w_0)`), ``step_size``
        (:math:`\eta`), ``sharpness_ratio`` (:math:`\eta\varphi(w_0)`), ``loss0``
        (:math:`L(w_0)`), ``sharpness0`` (:math:`\lambda_{\max}\nabla^2 L(w_0)`),
        ``init_spread``.
    """
    D = integer("depth", depth, low=1, fix="pass the number of scalar layers D >= 1")
    y = positive("target", target, fix="the GFS is defined here for y > 0")
    spread = nonnegative("init_spread", init_spread, fix="pass a log-scale spread >= 0")
    rho = positive("sharpness_ratio", sharpness_ratio,
                   fix="pass eta * phi(w0) > 0, e.g. 1.5 (below EoS) or 2.5 (EoS)")
    v = np.exp(spread * rng.standard_normal(D))
    u = rng.uniform(0.3, 0.7)
    w0 = v * np.exp((np.log(u * y) - np.sum(np.log(v))) / D)
    phi0 = _kernels._gfs_sharpness(w0, y)
    f0 = np.prod(w0)
    constants = {
        "depth": D, "target": y, "gfs_sharpness0": phi0, "step_size": rho / phi0,
        "sharpness_ratio": rho, "loss0": 0.5 * (f0 - y) ** 2,
        "sharpness0": _kernels._sharpness(w0, y), "init_spread": spread,
    }
    data = {"w0": w0, "gfs0": gfs(w0, y)}
    return Instance(data=data, constants={k: float(v) for k, v in constants.items()},
                    name="scalar_networks/scalar_network")


def gfs(w, target, *, backend="numba") -> np.ndarray:
    r"""The gradient-flow solution :math:`\mathrm{GFS}(w)` (NaN entries where it is undefined:
    some :math:`w_i = 0` or :math:`\operatorname{sign}\prod w_i \ne \operatorname{sign} y`).
    ``backend``: where the shift :math:`s` is found (the kernel, or its array-API twin on that
    namespace, see :mod:`problems.backend`)."""
    w, y = _vector(w), _target(target)
    s = _evaluate(backend, "_gfs_shift", w, y)
    with np.errstate(invalid="ignore"):  # s is NaN where the GFS is undefined
        return np.sign(w) * np.sqrt(w * w + s)


def gfs_sharpness(w, target, *, backend="numba") -> float:
    r"""The GFS sharpness :math:`\varphi(w) = y^2 \sum_i 1/(w_i^2 + s)` (module docstring)."""
    return _evaluate(backend, "_gfs_sharpness", _vector(w), _target(target))


def sharpness(w, target, *, backend="numba") -> float:
    r""":math:`\lambda_{\max}(\nabla^2 L(w))`, the largest eigenvalue of the loss Hessian
    :math:`\nabla f\nabla f^\top + (f - y)\nabla^2 f`."""
    return _evaluate(backend, "_sharpness", _vector(w), _target(target))


def _vector(w) -> np.ndarray:
    w = np.ascontiguousarray(w, dtype=np.float64)
    if w.ndim != 1 or w.size < 1:
        raise ValueError(f"w must be a non-empty vector of weights, got shape {w.shape}")
    return w


def _target(target) -> float:
    return positive("target", target, fix="the GFS is defined here for y > 0")


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the move of a
    host array to the back end's device (chosen here, once; ``BackendUnavailable`` where it cannot run)."""
    one_of("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _evaluate(backend, name: str, w: np.ndarray, y: float) -> float:
    """``impl.name(w, y)`` on ``backend``, brought home as a Python float."""
    impl, move = _backend(backend)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return float(problems.backend.to_numpy(getattr(impl, name)(move(w), y)))
