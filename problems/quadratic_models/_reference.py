r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, written with
array contractions against the array API standard (2023.12), so the same code runs on NumPy, CuPy
and ``array_api_strict`` (the namespace is read from the arrays passed in, which the public method
has already moved to the back end's device). The tests hold the kernels to them
(``rtol=1e-10``). Overflow is allowed (the method silences NumPy's warnings around the call):
divergence shows up as inf/NaN in ``out``.

The step loop stays on the device; ``record_at`` and ``out`` are host NumPy arrays, and a metric
comes home as a Python float only at a checkpoint (its eigen-solve runs on the device, through the
standard's ``linalg`` extension).
"""
from __future__ import annotations

import math

from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import HESSIAN_SHARPNESS, LOSS, NTK_SHARPNESS


def _jacobian_and_outputs(xp, J, Q, z0, theta):
    r"""``(J(theta), z(theta))``: :math:`J + Q\theta` (n, p) and :math:`z_0 + \frac12(J\theta + J(\theta)\theta)`."""
    Jt = J + Q @ theta  # (n, p, p) @ (p,): one batched matrix-vector product
    return Jt, z0 + 0.5 * (J @ theta + Jt @ theta)


def _forward(J, Q, z0, theta, Jt, z):
    xp = array_namespace(J, theta)
    Jt[...], z[...] = _jacobian_and_outputs(xp, J, Q, z0, theta)


def _top_eigenvalue(xp, K) -> float:
    """The largest eigenvalue of the symmetric ``K``; NaN when ``K`` is not finite."""
    if not bool(xp.all(xp.isfinite(K))):
        return math.nan
    return float(to_numpy(xp.linalg.eigvalsh(K)[-1]))


def _ntk_eigenvalue(Jt):
    xp = array_namespace(Jt)
    return _top_eigenvalue(xp, Jt @ Jt.mT)


def _hessian_eigenvalue(Jt, Q, residual):
    xp = array_namespace(Jt, Q)
    return _top_eigenvalue(xp, Jt.mT @ Jt + xp.tensordot(residual, Q, axes=1))  # + sum_a r_a Q_a


def _metric(Jt, Q, residual, step_size, metric):
    """The recorded value (a Python float: it is computed at checkpoints only)."""
    xp = array_namespace(Jt, residual)
    if metric == LOSS:
        return float(to_numpy(0.5 * xp.vecdot(residual, residual)))
    if metric == HESSIAN_SHARPNESS:
        return step_size * _hessian_eigenvalue(Jt, Q, residual)
    lam = _ntk_eigenvalue(Jt)
    return step_size * lam if metric == NTK_SHARPNESS else lam


def _quadratic_gd_loop(J, Q, z0, y, theta0, step_size, metric, record_at, out):
    xp = array_namespace(J, theta0)
    theta = theta0  # rebound at each step, never written
    k = 0
    for t in range(int(record_at[-1]) + 1):
        Jt, z = _jacobian_and_outputs(xp, J, Q, z0, theta)
        r = z - y
        if t == record_at[k]:
            out[0, k] = _metric(Jt, Q, r, step_size, metric)
            k += 1
        if t == record_at[-1]:
            break
        theta = theta - step_size * (Jt.mT @ r)
    return theta
