r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, written against
the array API standard (2023.12), so the same code runs on NumPy, CuPy and ``array_api_strict``
(the namespace is read from the arrays passed in, which the public functions have already moved to
the back end's device). The tests hold the kernels to them (``rtol=1e-10``). Overflow is allowed
(the callers silence NumPy's warnings): divergence shows up as inf/NaN in ``out``.

The state is one vector of ``D`` weights, so there is nothing to vectorise over: the step loop is
inherently scalar. Values stay 0-d device arrays inside it (no device-to-host copy per step) except
where the kernel takes a data-dependent branch: the GFS root-find (:func:`_gfs_shift`) decides on
the host, once per Newton iteration, whether to go on, exactly as the kernel does. The gradient is
formed from prefix and suffix products in the kernel's order (so GD follows the kernel's trajectory
bit for bit up to the last place, even above the edge of stability, where round-off grows).
"""
from __future__ import annotations

import math

from array_api_compat import array_namespace, device

from problems.backend import to_numpy

from ._kernels import (GFS_SHARPNESS, GFS_SHARPNESS_INCREASE, MAX_NEWTON, SHARPNESS,
                       SHARPNESS_INCREASE)


def _full(xp, w, value):
    """A 0-d float64 array holding ``value`` on ``w``'s device (``where`` takes arrays only in 2023.12)."""
    return xp.full((), value, dtype=xp.float64, device=device(w))


def _gfs_shift(w, target):
    r"""The root :math:`s` of :math:`\sum_i \log(w_i^2 + s) = \log y^2` (see the kernel), a 0-d array."""
    xp = array_namespace(w)
    defined = xp.all(xp.isfinite(w)) & xp.all(w != 0.0) & (xp.prod(xp.sign(w)) * target > 0.0)
    if not bool(defined):  # host branch, as in the kernel
        return _full(xp, w, math.nan)
    c = w * w
    log_y2 = math.log(target * target)
    g = xp.sum(xp.log(c)) - log_y2
    # s_0 = 0 when g(0) <= 0, else min(c) expm1(-g) (-|g| = -g there; |g| keeps the unused branch finite)
    s = xp.where(g > 0.0, xp.min(c) * xp.expm1(-xp.abs(g)), _full(xp, w, 0.0))
    for _ in range(MAX_NEWTON):
        s_new = s - (xp.sum(xp.log(c + s)) - log_y2) / xp.sum(1.0 / (c + s))
        if not bool(s_new > s):  # Newton climbs monotonically; stop when it no longer does
            break
        s = s_new
    return s


def _gfs_sharpness(w, target):
    xp = array_namespace(w)
    s = _gfs_shift(w, target)
    return target * target * xp.sum(1.0 / (w * w + s))


def _product_and_gradient(xp, w):
    r"""``(f(w), grad f(w))``: the prefix and suffix products of the kernel, in its order (``D`` 0-d
    products each way; ``cumulative_prod`` is not in the 2023.12 standard)."""
    D = w.shape[0]
    prefix, p = [], _full(xp, w, 1.0)
    for i in range(D):
        prefix.append(p)
        p = p * w[i]
    grad, suffix = [None] * D, _full(xp, w, 1.0)
    for i in range(D - 1, -1, -1):
        grad[i] = prefix[i] * suffix
        suffix = suffix * w[i]
    return p, xp.stack(grad)


def _output_and_gradient(w, grad):
    xp = array_namespace(w)
    f, grad[...] = _product_and_gradient(xp, w)
    return f


def _hessian(xp, w, target):
    r""":math:`\nabla f\nabla f^\top + (f - y)\nabla^2 f`, with :math:`(\nabla^2 f)_{ij} = \prod_{l\ne i,j} w_l`
    off the diagonal (one product over a ``(D, D, D)`` array whose entries ``l = i`` or ``l = j`` are 1)
    and 0 on it."""
    D = w.shape[0]
    f, grad = _product_and_gradient(xp, w)
    at = xp.arange(D, device=device(w))
    skip = (at[None, None, :] == at[:, None, None]) | (at[None, None, :] == at[None, :, None])
    others = xp.prod(xp.where(skip, _full(xp, w, 1.0), w), axis=2)
    diagonal = at[:, None] == at[None, :]
    return grad[:, None] * grad[None, :] + xp.where(diagonal, _full(xp, w, 0.0), (f - target) * others)


def _loss_hessian(w, target, H):
    H[...] = _hessian(array_namespace(w), w, target)


def _sharpness(w, target):
    r""":math:`\lambda_{\max}(\nabla^2 L(w))`, NaN when the Hessian is not finite: the solver gets a
    zero matrix then and its answer is replaced, so no host branch is needed (a 0-d array)."""
    xp = array_namespace(w)
    H = _hessian(xp, w, target)
    finite = xp.all(xp.isfinite(H))
    top = xp.linalg.eigvalsh(xp.where(finite, H, _full(xp, w, 0.0)))[-1]
    return xp.where(finite, top, _full(xp, w, math.nan))


def _quantity(w, target, metric):
    if metric in (GFS_SHARPNESS, GFS_SHARPNESS_INCREASE):
        return _gfs_sharpness(w, target)
    if metric in (SHARPNESS, SHARPNESS_INCREASE):
        return _sharpness(w, target)
    xp = array_namespace(w)
    return 0.5 * (xp.prod(w) - target) ** 2


def _scalar_gd_loop(w0, target, step_size, metric, record_at, out):
    xp = array_namespace(w0)
    w = w0  # rebound at each step, never written
    increase = metric % 2 == 1
    q = _quantity(w, target, metric) if increase else None
    window, minus_inf = _full(xp, w, 1.0), _full(xp, w, -math.inf)
    k = 0
    for t in range(int(record_at[-1]) + 1):
        if t == record_at[k]:
            out[0, k] = float(to_numpy(window if increase else _quantity(w, target, metric)))
            window = minus_inf
            k += 1
        if t == record_at[-1]:
            break
        f, grad = _product_and_gradient(xp, w)
        w = w - step_size * (f - target) * grad
        if increase:
            q_new = _quantity(w, target, metric)
            ratio = q_new / q
            # the kernel's `if window == window and not ratio <= window: window = ratio`, on the device
            window = xp.where(xp.isnan(window) | (ratio <= window), window, ratio)
            q = q_new
    return w
