r"""Array-API twin of ``_kernels._sgd_chunk``, vectorised over replicas.

Written against the array API standard (2023.12), so the same code runs on NumPy, CuPy and
``array_api_strict``: the namespace is read from the state ``x``, which the public method
has already moved to the back end's device together with each chunk of host-drawn
randomness ``G``. The step sizes ``eta``, ``record_at`` and ``out`` stay host NumPy arrays:
the loop control never reads the device, and a checkpoint's metric comes home once
(``to_numpy``), so a GPU is not synchronised at every step. Overflow is allowed: divergence
shows up as inf/NaN in ``out``.
"""
from __future__ import annotations

from array_api_compat import array_namespace

from problems.backend import to_numpy
from problems.nonsmooth._kernels import METRIC_DISTANCE, SQRT_2_OVER_PI


def metric(x, x_star, noise, code):
    r""":math:`\|x - x_\star\|` or :math:`f(x) - f_\star = \sqrt{2/\pi}\, r^2 / (\sqrt{r^2 + \sigma^2} + \sigma)`,
    per row of ``x`` (``noise`` a 0-d array), on the device."""
    xp = array_namespace(x)
    diff = x - x_star
    r = xp.sqrt(xp.vecdot(diff, diff))
    if code == METRIC_DISTANCE:
        return r
    gap = SQRT_2_OVER_PI * r * (r / (xp.hypot(r, noise) + noise))  # 0/0 at r = noise = 0 ...
    return xp.where(r == 0.0, xp.zeros_like(r), gap)  # ... where the gap is 0


def sgd_chunk(x, x_star, noise, G, eta, t0, record_at, k, metric_code, out):
    r"""Steps :math:`x \leftarrow x - \eta_t \operatorname{sign}(a_t^\top(x - x_\star) - \sigma\varepsilon_t)\, a_t`
    for the ``m`` steps of the chunk, recording at the checkpoints passed; returns the new
    state ``x`` (a new array: the method carries it to the next chunk) and the next ``k``.

    ``G`` (replicas, m, d + 1) holds :math:`(a_t, \varepsilon_t)` per replica and step;
    ``eta`` (m,) is read on the host, a Python float per step."""
    xp = array_namespace(x, G)
    noise = xp.asarray(noise, dtype=xp.float64)  # 0-d: xp.hypot takes arrays only
    d = x.shape[1]
    for j in range(G.shape[1] + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            out[:, k] = to_numpy(metric(x, x_star, noise, metric_code))
            k += 1
        if j == G.shape[1]:
            break
        a, eps = G[:, j, :d], G[:, j, d]  # (R, d), (R,)
        res = xp.vecdot(a, x - x_star) - noise * eps  # (R,)
        x = x - (float(eta[j]) * xp.sign(res))[:, None] * a  # sign(0) = 0, NaN stays NaN
    return x, k
