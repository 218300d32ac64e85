r"""Plain NumPy twin of ``_kernels._sgd_chunk``, vectorised over replicas."""
from __future__ import annotations

import numpy as np

from problems.nonsmooth._kernels import METRIC_DISTANCE, SQRT_2_OVER_PI


def metric(x, x_star, noise, code):
    r""":math:`\|x - x_\star\|` or :math:`f(x) - f_\star = \sqrt{2/\pi}\, r^2 / (\sqrt{r^2 + \sigma^2} + \sigma)`, per row."""
    r = np.sqrt(np.sum((x - x_star) ** 2, axis=1))
    if code == METRIC_DISTANCE:
        return r
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = SQRT_2_OVER_PI * r * (r / (np.hypot(r, noise) + noise))
    return np.where(r == 0.0, 0.0, gap)


@np.errstate(over="ignore", invalid="ignore")  # divergence is evidence, not an error
def sgd_chunk(x, x_star, noise, G, eta, t0, record_at, k, metric_code, out):
    r"""Steps :math:`x \leftarrow x - \eta_t \operatorname{sign}(a_t^\top(x - x_\star) - \sigma\varepsilon_t)\, a_t`
    for the ``m`` steps of the chunk, recording at the checkpoints passed; returns the next ``k``."""
    d = x.shape[1]
    for j in range(G.shape[1] + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            out[:, k] = metric(x, x_star, noise, metric_code)
            k += 1
        if j == G.shape[1]:
            break
        a, eps = G[:, j, :d], G[:, j, d]
        res = np.sum(a * (x - x_star), axis=1) - noise * eps
        x -= (eta[j] * np.sign(res))[:, None] * a
    return k
