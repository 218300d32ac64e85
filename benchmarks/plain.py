r"""Plain per-step loops: the code a user would write first, the third column of the kernel table.

One replica (or chain) at a time, one step at a time, NumPy operations on 1-D arrays. Each
loop takes the method's instance, generator and parameters, draws the same random numbers
the same way (so it computes the same numbers as the kernel, which
``tests/test_benchmarks.py`` checks to ``rtol=1e-10`` on a tiny case: the ratio then compares
equal work) and returns the ``values`` of the method's ``Trace``, shape ``(replicas, len(t))``.

Only the settings the benchmark uses are covered (constant step, a Gaussian target, batches
drawn with replacement or of size one); anything else raises ``ValueError``. The loops do
not flush tiny components to zero as the kernels do (``TINY = 1e-280``), which changes no
number on the benchmark's instances.
"""
from __future__ import annotations

import numpy as np

from problems.types import checkpoints, chunks


def gradient_descent(instance, rng, *, step_size, n_iter, n_checkpoints=60):
    r"""Gradient descent on least squares as :math:`e \leftarrow e - \eta H e`,
    recording :math:`\frac12 e^\top H e` (the method's default metric)."""
    H = instance.data["H"]
    e = instance.data["x0"] - instance.data["x_star"]
    t = checkpoints(n_iter, n_checkpoints)
    values = np.empty(t.size)
    k = 0
    for step in range(n_iter + 1):
        if step == t[k]:
            values[k] = 0.5 * (e @ (H @ e))
            k += 1
        if step == n_iter:
            break
        e = e - step_size * (H @ e)
    return values[None, :]


def minibatch_sgd(instance, rng, *, step_size, batch_size, n_iter, replicas=1,
                  average="last", ema_decay=0.99, sampling="with_replacement", n_checkpoints=60):
    r"""Mini-batch SGD with a constant step, :math:`e \leftarrow e - \frac{\eta}{B}\sum_{i}
    a_i(a_i^\top e - r_i)`, measuring :math:`\frac12 m^\top H m` at the last iterate or the EMA."""
    if batch_size > 1 and sampling != "with_replacement":
        raise ValueError("the plain loop draws batches with replacement (or of size 1); "
                         "pass sampling='with_replacement' or batch_size=1")
    if average not in ("last", "ema"):
        raise ValueError(f"average={average!r}: the plain loop has 'last' and 'ema'")
    A, H = instance.data["A"], instance.data["H"]
    x_star = instance.data["x_star"]
    res = instance.data["b"] - A @ x_star
    n = A.shape[0]
    idx = np.concatenate([rng.integers(0, n, size=(t1 - t0, replicas, batch_size))
                          for t0, t1 in chunks(n_iter, replicas * batch_size)])
    t = checkpoints(n_iter, n_checkpoints)
    values = np.empty((replicas, t.size))
    for r in range(replicas):
        e = instance.data["x0"] - x_star
        m = e.copy()
        k = 0
        for step in range(n_iter + 1):
            shown = m if average == "ema" else e
            if step == t[k]:
                values[r, k] = 0.5 * (shown @ (H @ shown))
                k += 1
            if step == n_iter:
                break
            g = np.zeros_like(e)
            for i in idx[step, r]:
                g += (A[i] @ e - res[i]) * A[i]
            e = e - (step_size / batch_size) * g
            m = ema_decay * m + (1.0 - ema_decay) * e
    return values


def ula(instance, rng, *, step_size, n_iter, chains=1, metric="variance_ratio", n_checkpoints=60):
    r"""ULA :math:`x \leftarrow x - h\Lambda(x - m) + \sqrt{2h}\,\xi` on a Gaussian target, one
    chain at a time; the running average of :math:`\lambda_{\max}(v_{\max}^\top(x - m))^2`."""
    precision, mean, x0, v, lam, t = _gaussian(instance, metric, n_iter, n_checkpoints)
    noise = rng.spawn(3)[0].standard_normal((n_iter, chains, mean.size))
    root = np.sqrt(2.0 * step_size)
    values = np.empty((chains, t.size))
    for c in range(chains):
        x = x0.copy()
        acc, k = 0.0, 0
        for step in range(n_iter):
            x = x - step_size * (precision @ (x - mean)) + root * noise[step, c]
            acc += lam * (v @ (x - mean)) ** 2
            if step + 1 == t[k]:
                values[c, k] = acc / (step + 1)
                k += 1
    return values


def mala(instance, rng, *, step_size, n_iter, chains=1, metric="variance_ratio", n_checkpoints=60):
    r"""MALA on a Gaussian target, one chain at a time: the ULA proposal :math:`y`, accepted
    iff :math:`\log\alpha \ge 0` or :math:`u < e^{\log\alpha}`; observable as :func:`ula`."""
    precision, mean, x0, v, lam, t = _gaussian(instance, metric, n_iter, n_checkpoints)
    streams = rng.spawn(3)
    noise = streams[0].standard_normal((n_iter, chains, mean.size))
    uniforms = streams[1].random((n_iter, chains))
    root = np.sqrt(2.0 * step_size)
    values = np.empty((chains, t.size))
    for c in range(chains):
        x = x0.copy()
        g_x = precision @ (x - mean)
        u_x = 0.5 * ((x - mean) @ g_x)
        acc, k = 0.0, 0
        for step in range(n_iter):
            xi = noise[step, c]
            y = x - step_size * g_x + root * xi
            g_y = precision @ (y - mean)
            u_y = 0.5 * ((y - mean) @ g_y)
            back = x - y + step_size * g_y
            log_alpha = u_x - u_y - (back @ back) / (4.0 * step_size) + 0.5 * (xi @ xi)
            if log_alpha >= 0.0 or uniforms[step, c] < np.exp(log_alpha):
                x, g_x, u_x = y, g_y, u_y
            acc += lam * (v @ (x - mean)) ** 2
            if step + 1 == t[k]:
                values[c, k] = acc / (step + 1)
                k += 1
    return values


def _gaussian(instance, metric, n_iter, n_checkpoints):
    """Precision, mean, start, top eigenpair and the checkpoints (after step 1) of a Gaussian target."""
    if instance.data.get("kind") != "gaussian" or metric != "variance_ratio":
        raise ValueError("the plain Langevin loops take a 'gaussian' target and "
                         "metric='variance_ratio'")
    t = checkpoints(n_iter, n_checkpoints + 1)[1:]
    return (instance.data["precision"], instance.data["mean"], instance.data["x0"],
            instance.data["eigenvectors"][:, -1], float(instance.data["eigenvalues"][-1]), t)
