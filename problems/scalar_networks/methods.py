r"""Gradient descent on a scalar network, recorded at log-spaced checkpoints in one pass.

.. math:: w_{t+1} = w_t - \eta\,(f(w_t) - y)\,\nabla f(w_t), \qquad
          f(w) = \prod_{i=1}^D w_i, \quad \nabla f(w)_i = \prod_{j \ne i} w_j .

Kreisler et al. (2023) [1] prove that the GFS sharpness :math:`\varphi(w_t)` (see
:mod:`problems.scalar_networks.generators`) decreases monotonically along GD, while the loss
and the sharpness of the iterate itself, :math:`\lambda_{\max}(\nabla^2 L(w_t))`, need not.
The ``*_increase`` metrics make monotonicity checkable from a log-spaced trace: at each
checkpoint they record the largest one-step ratio :math:`q(w_{s+1})/q(w_s)` since the
previous checkpoint, so :math:`q` is non-increasing along the whole run iff every recorded
value is :math:`\le 1`.

[1] I. Kreisler, M. S. Nacson, D. Soudry, Y. Carmon (2023). Gradient Descent Monotonically
    Decreases the Sharpness of Gradient Flow Solutions in Scalar Networks and Beyond.
    ICML 2023, arXiv:2305.13064.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems._validate import integer, one_of, positive
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels
from .generators import _backend

_METRICS = {
    "gfs_sharpness": _kernels.GFS_SHARPNESS,
    "gfs_sharpness_increase": _kernels.GFS_SHARPNESS_INCREASE,
    "sharpness": _kernels.SHARPNESS,
    "sharpness_increase": _kernels.SHARPNESS_INCREASE,
    "loss": _kernels.LOSS,
    "loss_increase": _kernels.LOSS_INCREASE,
}
BACKENDS = problems.backend.BACKENDS


def scalar_gd(instance: Instance, rng: np.random.Generator, *, step_size=None, n_iter,
              metric="gfs_sharpness", n_checkpoints=60, backend="numba") -> Trace:
    r"""Gradient descent from ``instance.data["w0"]`` (see the module docstring).

    Parameters
    ----------
    instance : Instance
        From :func:`scalar_network` (``w0``; constants ``target``, ``step_size``).
    rng : numpy.random.Generator
        Unused (the method is deterministic); kept for a uniform signature.
    step_size : float or None
        :math:`\eta > 0`; ``None`` takes ``instance.constants["step_size"]``.
    n_iter : int
        Number of steps :math:`T \ge 1`.
    metric : str
        ``"gfs_sharpness"`` :math:`\varphi(w_t)`; ``"sharpness"``
        :math:`\lambda_{\max}(\nabla^2 L(w_t))` (symmetric eigen-solver, largest eigenvalue);
        ``"loss"`` :math:`L(w_t)`; and ``"gfs_sharpness_increase"``,
        ``"sharpness_increase"``, ``"loss_increase"``: the largest ratio
        :math:`q(w_{s+1})/q(w_s)` over the steps :math:`t_{k-1} \le s < t_k` (1 at
        :math:`t_0 = 0`), computed at every step.
    n_checkpoints : int
        Number of recording points (see :func:`problems.types.checkpoints`).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or its array-API twin on that namespace (:mod:`problems.backend`): per
        step the prefix and suffix products of the ``D`` weights and one vector update, on the
        device; the step loop is scalar (one vector, nothing to batch), and the GFS root-find
        decides on the host after each Newton iteration, as the kernel does.

    Returns
    -------
    Trace
        ``values`` of shape (1, K). ``info``: ``first_nonfinite``, ``backend``,
        ``step_size``, ``target``, ``w_final``. :math:`\varphi` is NaN once
        :math:`\operatorname{sign}\prod_i w_{t,i} \ne \operatorname{sign} y` or some
        :math:`w_{t,i} = 0`; divergence gives inf/NaN, never an exception.
    """
    w0, y = _unpack(instance)
    if step_size is None:
        step_size = instance.constants.get("step_size")
    eta = positive("step_size", step_size,
                   fix="pass eta > 0 or build the instance with scalar_network")
    n_iter = integer("n_iter", n_iter, low=1)
    code = _METRICS[one_of("metric", metric, _METRICS)]
    t = checkpoints(n_iter, integer("n_checkpoints", n_checkpoints, low=2))
    out = np.full((1, t.size), np.nan)
    impl, move = _backend(backend)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is evidence
        w_final = impl._scalar_gd_loop(move(w0), y, eta, code, t, out)
    info = {"first_nonfinite": first_nonfinite(t, out), "backend": backend,
            "step_size": eta, "target": y, "w_final": np.asarray(problems.backend.to_numpy(w_final))}
    return Trace(metric=metric, t=t, values=out, info=info)


def _unpack(instance) -> tuple[np.ndarray, float]:
    data = getattr(instance, "data", None)
    if not isinstance(instance, Instance) or "w0" not in data \
            or "target" not in instance.constants:
        raise ValueError(f"instance must be an Instance with data 'w0' and constant 'target', "
                         f"got instance={instance!r}; build one with scalar_network(rng, ...)")
    w0 = np.ascontiguousarray(data["w0"], dtype=np.float64)
    if w0.ndim != 1 or w0.size < 1 or not np.all(np.isfinite(w0)):
        raise ValueError(f"instance.data w0 must be a finite non-empty vector, got {w0!r}; "
                         f"build it with scalar_network")
    y = positive("target", instance.constants["target"],
                 fix="the GFS is defined here for y > 0; build it with scalar_network")
    return w0, y
