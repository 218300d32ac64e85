r"""Logistic-regression GD with large steps, the batch perceptron, and their deviation.

Tyurin (2024) [1] studies gradient descent on the logistic loss of separable data,

.. math:: f(v) = \frac1n \sum_{i=1}^n \log\bigl(1 + e^{-y_i b_i^\top v}\bigr),
          \qquad v_{t+1} = v_t + \frac{\eta}{n} \sum_{i=1}^n y_i b_i\,
          \sigma(-y_i b_i^\top v_t), \quad v_0 = 0,

and shows that as :math:`\eta \to \infty` the rescaled iterates :math:`v_t / \eta` follow
the batch perceptron

.. math:: w_{t+1} = w_t + \frac1n \sum_{i=1}^n y_i b_i \bigl[\mathbb 1\{y_i b_i^\top w_t < 0\}
          + \tfrac12\, \mathbb 1\{y_i b_i^\top w_t = 0\}\bigr], \quad w_0 = 0,

with weight :math:`\tfrac12` on ties because :math:`\sigma(0) = \tfrac12`.

All three methods are deterministic; ``rng`` is accepted for a uniform signature. Each
runs the Numba kernel (``backend="numba"``, the default) or its array-API twin on
``"numpy"``, ``"cupy"`` or ``"array_api_strict"`` (:mod:`problems.backend`: the signed
points are moved to the device once, the metric comes home at the checkpoints);
``info["backend"]`` says which ran, and the final iterates in ``info`` are NumPy arrays.

[1] A. Tyurin (2024). From Logistic Regression to the Perceptron Algorithm: Exploring
    Gradient Descent with Large Step Sizes. arXiv:2412.08424.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems.linear_classification import _kernels, _reference
from problems._validate import integer, one_of, positive, real
from problems.types import Instance, Trace, checkpoints, first_nonfinite

_METRICS = {
    "loss": _kernels.METRIC_LOSS,
    "misclassified": _kernels.METRIC_MISCLASSIFIED,
    "perceptron_loss": _kernels.METRIC_PERCEPTRON_LOSS,
}
BACKENDS = problems.backend.BACKENDS


def _signed_points(instance):
    r"""The rows :math:`z_i = y_i b_i` as a C-contiguous float64 array, after checks."""
    data = getattr(instance, "data", None)
    if not isinstance(instance, Instance) or "features" not in data or "labels" not in data:
        raise ValueError(f"instance must be an Instance with data 'features' and 'labels', "
                         f"got instance={instance!r}; build one with separable_data(rng, ...)")
    B = np.asarray(data["features"], dtype=np.float64)
    y = np.asarray(data["labels"], dtype=np.float64)
    if B.ndim != 2 or y.shape != (B.shape[0],) or not np.all(np.abs(y) == 1.0):
        raise ValueError(f"instance.data must hold features (n, d) and labels (n,) in {{-1, +1}}, "
                         f"got shapes {B.shape} and {y.shape}; build it with separable_data")
    return np.ascontiguousarray(y[:, None] * B)


def _device(backend, Z):
    """``None`` for the Numba kernel, else ``Z`` on the back end's device (chosen here, once;
    ``BackendUnavailable`` when the back end cannot run on this machine)."""
    if one_of("backend", backend, BACKENDS) == "numba":
        return None
    return problems.backend.to_device(problems.backend.namespace(backend), Z)


def _trace(metric, t, out, backend, **params):
    info = {"first_nonfinite": first_nonfinite(t, out), "backend": backend, **params}
    return Trace(metric=metric, t=t, values=out, info=info)


def logistic_gd(instance: Instance, rng: np.random.Generator, *, step_size: float,
                n_iter: int, metric: str = "loss", n_checkpoints: int = 60,
                backend: str = "numba") -> Trace:
    r"""Gradient descent on the logistic loss from :math:`v_0 = 0` (see the module docstring).

    Parameters
    ----------
    instance : Instance
        From :func:`separable_data` (``features``, ``labels``).
    rng : numpy.random.Generator
        Unused (the method is deterministic).
    step_size : float
        :math:`\eta > 0`; any size (Tyurin's regime is :math:`\eta \to \infty`).
    n_iter : int
        Number of steps :math:`T \ge 1`.
    metric : {"loss", "misclassified", "perceptron_loss"}
        :math:`f(v_t)` (computed as ``logaddexp(0, -m)``, finite for any :math:`\eta`);
        :math:`\#\{i : y_i b_i^\top v_t \le 0\}`; or
        :math:`\frac1n \sum_i \max(0, -y_i b_i^\top v_t)`.
    n_checkpoints : int
        Number of recording points (see :func:`problems.types.checkpoints`).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or the array-API twin on that namespace (:mod:`problems.backend`).

    Returns
    -------
    Trace
        ``values`` of shape (1, K) at ``t = checkpoints(n_iter, n_checkpoints)``;
        ``info``: ``first_nonfinite``, ``backend``, ``step_size``, ``v_final``.
    """
    Z = _signed_points(instance)
    step_size = positive("step_size", step_size)
    n_iter = integer("n_iter", n_iter, low=1)
    code = _METRICS[one_of("metric", metric, _METRICS)]
    t = checkpoints(n_iter, integer("n_checkpoints", n_checkpoints, low=2))
    out = np.empty(t.size)
    Z_device = _device(backend, Z)
    if Z_device is None:
        v = _kernels._logistic_gd_loop(Z, step_size, t, code, out)
    else:
        with np.errstate(over="ignore", invalid="ignore"):  # non-finite values are evidence
            v = _reference.logistic_gd_loop(Z_device, step_size, t, code, out)
    return _trace(metric, t, out[None, :], backend, step_size=step_size, v_final=v)


def batch_perceptron(instance: Instance, rng: np.random.Generator, *, n_iter: int,
                     tie_weight: float = 0.5, metric: str = "misclassified",
                     n_checkpoints: int = 60, backend: str = "numba") -> Trace:
    r"""The batch perceptron with weight :math:`\tau` on ties, from :math:`w_0 = 0`:

    .. math:: w_{t+1} = w_t + \frac1n \sum_i y_i b_i \bigl[\mathbb 1\{y_i b_i^\top w_t < 0\}
              + \tau\, \mathbb 1\{y_i b_i^\top w_t = 0\}\bigr].

    With :math:`\tau = 0` every point is a tie at :math:`w_0 = 0` and :math:`w_t = 0` for
    all :math:`t`; :math:`\tau = \tfrac12` is the :math:`\eta \to \infty` limit of logistic GD.

    Parameters
    ----------
    instance : Instance
        From :func:`separable_data`.
    rng : numpy.random.Generator
        Unused (the method is deterministic).
    n_iter : int
        Number of steps :math:`T \ge 1`.
    tie_weight : float
        :math:`\tau \in [0, 1]`.
    metric : {"misclassified", "loss", "perceptron_loss"}
        As in :func:`logistic_gd`, evaluated at :math:`w_t`.
    n_checkpoints : int
    backend : {"numba", "numpy", "cupy", "array_api_strict"}

    Returns
    -------
    Trace
        ``values`` of shape (1, K); ``info``: ``first_nonfinite``, ``backend``,
        ``tie_weight``, ``w_final``.
    """
    Z = _signed_points(instance)
    n_iter = integer("n_iter", n_iter, low=1)
    tie_weight = real("tie_weight", tie_weight, low=0.0, high=1.0)
    code = _METRICS[one_of("metric", metric, _METRICS)]
    t = checkpoints(n_iter, integer("n_checkpoints", n_checkpoints, low=2))
    out = np.empty(t.size)
    Z_device = _device(backend, Z)
    if Z_device is None:
        w = _kernels._perceptron_loop(Z, tie_weight, t, code, out)
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            w = _reference.perceptron_loop(Z_device, tie_weight, t, code, out)
    return _trace(metric, t, out[None, :], backend, tie_weight=tie_weight, w_final=w)


def perceptron_deviation(instance: Instance, rng: np.random.Generator, *, step_size: float,
                         n_iter: int, tie_weight: float = 0.5, n_checkpoints: int = 60,
                         backend: str = "numba") -> Trace:
    r"""Relative deviation of rescaled logistic GD from the batch perceptron:

    .. math:: d_t = \frac{\| v_t / \eta - w_t \|}{\max(\|w_t\|, \|v_t/\eta\|, 10^{-300})},

    with :math:`v_t` from :func:`logistic_gd` (step :math:`\eta`) and :math:`w_t` from
    :func:`batch_perceptron` (tie weight :math:`\tau`), run side by side; :math:`d_0 = 0`.
    Tyurin's claim: :math:`d_t \to 0` as :math:`\eta \to \infty` for :math:`\tau = \tfrac12`.
    With :math:`\tau = 0` the perceptron stays at :math:`w_t = 0`, so :math:`d_t = 1` from
    :math:`t = 1` on (the larger norm in the denominator keeps :math:`d_t \le 2`).

    Parameters
    ----------
    instance : Instance
        From :func:`separable_data`.
    rng : numpy.random.Generator
        Unused (both methods are deterministic).
    step_size : float
        :math:`\eta > 0`.
    n_iter : int
        Number of steps :math:`T \ge 1`.
    tie_weight : float
        :math:`\tau \in [0, 1]`.
    n_checkpoints : int
    backend : {"numba", "numpy", "cupy", "array_api_strict"}

    Returns
    -------
    Trace
        Metric ``"deviation"``, ``values`` of shape (1, K); ``info``: ``first_nonfinite``,
        ``backend``, ``step_size``, ``tie_weight``, ``v_final``, ``w_final``.
    """
    Z = _signed_points(instance)
    step_size = positive("step_size", step_size)
    n_iter = integer("n_iter", n_iter, low=1)
    tie_weight = real("tie_weight", tie_weight, low=0.0, high=1.0)
    t = checkpoints(n_iter, integer("n_checkpoints", n_checkpoints, low=2))
    out = np.empty(t.size)
    Z_device = _device(backend, Z)
    if Z_device is None:
        v, w = _kernels._deviation_loop(Z, step_size, tie_weight, t, out)
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            v, w = _reference.deviation_loop(Z_device, step_size, tie_weight, t, out)
    return _trace("deviation", t, out[None, :], backend, step_size=step_size,
                  tie_weight=tie_weight, v_final=v, w_final=w)
