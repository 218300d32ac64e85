r"""Gradient descent on a quadratic regression model, recorded at log-spaced checkpoints.

.. math:: \theta_{t+1} = \theta_t - \eta\, J(\theta_t)^\top (z(\theta_t) - y), \qquad
          J(\theta) = J + Q\theta,

on :math:`L(\theta) = \frac12\|z(\theta) - y\|^2` (conventions in
:mod:`problems.quadratic_models.generators`). Agarwala et al. (2023) [1] show that such
models exhibit progressive sharpening: :math:`\eta\lambda_{\max}(J(\theta_t)J(\theta_t)^\top)`
grows during training towards a value near the edge of stability 2.

[1] A. Agarwala, F. Pedregosa, J. Pennington (2023). Second-order regression models exhibit
    progressive sharpening to the edge of stability. ICML 2023, arXiv:2210.04860.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems._validate import integer, one_of, positive
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels, _reference

_METRICS = {
    "ntk_sharpness": _kernels.NTK_SHARPNESS,
    "ntk_eigenvalue": _kernels.NTK_EIGENVALUE,
    "loss": _kernels.LOSS,
    "hessian_sharpness": _kernels.HESSIAN_SHARPNESS,
}
BACKENDS = problems.backend.BACKENDS
_KEYS = ("J", "Q", "z0", "y", "theta0")


def quadratic_gd(instance: Instance, rng: np.random.Generator, *, step_size=None, n_iter,
                 metric="ntk_sharpness", n_checkpoints=60, backend="numba") -> Trace:
    r"""Gradient descent from ``instance.data["theta0"]`` (see the module docstring).

    Parameters
    ----------
    instance : Instance
        From :func:`quadratic_model` (``J``, ``Q``, ``z0``, ``y``, ``theta0``).
    rng : numpy.random.Generator
        Unused (the method is deterministic); kept for a uniform signature.
    step_size : float or None
        :math:`\eta > 0`; ``None`` takes ``instance.constants["step_size"]``.
    n_iter : int
        Number of steps :math:`T \ge 1`.
    metric : {"ntk_sharpness", "ntk_eigenvalue", "loss", "hessian_sharpness"}
        :math:`\eta\lambda_{\max}(J(\theta_t)J(\theta_t)^\top)` (edge of stability at 2);
        :math:`\lambda_{\max}(J(\theta_t)J(\theta_t)^\top)`; :math:`L(\theta_t)`; or
        :math:`\eta\lambda_{\max}(J(\theta_t)^\top J(\theta_t) + \sum_a r_a Q_a)`, the loss
        Hessian's (a ``p x p`` eigen-solve at each checkpoint).
    n_checkpoints : int
        Number of recording points (see :func:`problems.types.checkpoints`).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or its array-API twin on that namespace (:mod:`problems.backend`): per
        step one batched product :math:`Q\theta` (n, p), two matrix-vector products and
        :math:`J(\theta)^\top r`, on the device; the metric comes home at the checkpoints.

    Returns
    -------
    Trace
        ``values`` of shape (1, K). ``info``: ``first_nonfinite``, ``backend``,
        ``step_size``, ``theta_final``. Divergence gives inf/NaN, never an exception.
    """
    J, Q, z0, y, theta0 = _unpack(instance)
    if step_size is None:
        step_size = instance.constants.get("step_size")
    eta = positive("step_size", step_size,
                   fix="pass eta > 0 or build the instance with quadratic_model")
    n_iter = integer("n_iter", n_iter, low=1)
    code = _METRICS[one_of("metric", metric, _METRICS)]
    t = checkpoints(n_iter, integer("n_checkpoints", n_checkpoints, low=2))
    out = np.full((1, t.size), np.nan)
    impl, move = _backend(backend)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is evidence, not a warning
        theta = impl._quadratic_gd_loop(move(J), move(Q), move(z0), move(y), move(theta0), eta, code, t, out)
    info = {"first_nonfinite": first_nonfinite(t, out), "backend": backend,
            "step_size": eta, "theta_final": np.asarray(problems.backend.to_numpy(theta))}
    return Trace(metric=metric, t=t, values=out, info=info)


def model_outputs(instance: Instance, theta) -> tuple[np.ndarray, np.ndarray]:
    r"""The outputs :math:`z(\theta)` (n) and the Jacobian :math:`J(\theta) = J + Q\theta`
    (n, p) of the instance's model at ``theta``."""
    J, Q, z0, _, theta0 = _unpack(instance)
    theta = np.ascontiguousarray(theta, dtype=np.float64)
    if theta.shape != theta0.shape:
        raise ValueError(f"theta must have shape {theta0.shape} (one entry per parameter), "
                         f"got {theta.shape}")
    Jt, z = np.empty(J.shape), np.empty(J.shape[0])
    _kernels._forward(J, Q, z0, theta, Jt, z)
    return z, Jt


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the move of a
    host array to the back end's device (chosen here, once; ``BackendUnavailable`` where it cannot run)."""
    one_of("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _unpack(instance) -> list[np.ndarray]:
    data = getattr(instance, "data", None)
    if not isinstance(instance, Instance) or any(key not in data for key in _KEYS):
        raise ValueError(f"instance must be an Instance with data {list(_KEYS)}, got "
                         f"instance={instance!r}; build one with quadratic_model(rng, ...)")
    J, Q, z0, y, theta0 = (np.ascontiguousarray(data[key], dtype=np.float64) for key in _KEYS)
    n, p = J.shape if J.ndim == 2 else (-1, -1)
    if J.ndim != 2 or Q.shape != (n, p, p) or z0.shape != (n,) or y.shape != (n,) \
            or theta0.shape != (p,):
        raise ValueError(f"instance.data shapes must be J (n, p), Q (n, p, p), z0 (n,), y (n,), "
                         f"theta0 (p,); got {[np.shape(data[key]) for key in _KEYS]}; build it "
                         f"with quadratic_model")
    return [J, Q, z0, y, theta0]
