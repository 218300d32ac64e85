r"""The pre-training optimum of one layer of linear self-attention (LSA) on in-context regression,
fitted by least squares over Monte Carlo prompts (Mahankali, Hashimoto & Ma 2023).

**The LSA prediction is linear in its parameters' products.** With context tokens
:math:`e_i = (x_i, y_i) \in \mathbb R^{d+1}` and query :math:`e_q = (x_q, 0)`, one LSA layer predicts
[standard form, as recalled from von Oswald et al. 2022, Zhang, Frei & Bartlett 2023 and the paper]

.. math:: \hat y = u^\top M B x_q, \qquad M = \frac1n\sum_{i=1}^n e_ie_i^\top,

(:math:`u^\top` the label row of :math:`W^{PV}`, :math:`B` the first :math:`d` columns of :math:`W^{KQ}`; the
query's own column reaches :math:`\hat y` through :math:`B` only because its label slot is 0).
Hence :math:`\hat y = \sum_{a\le b,\,c}\Theta_{(ab)c}M_{ab}x_{q,c}`: every LSA is a member of this linear
family, whose least-squares optimum is found by one linear solve. If that optimum has the LSA form,
it is the LSA optimum [derived here]. (Putting the query in the sum adds terms cubic in :math:`x_q`,
even in :math:`w`, whose population coefficients vanish by the symmetry :math:`w \to -w`.)

**The query is integrated out exactly** [derived here]: :math:`x_q \sim N(0, \Sigma)` is independent of the
rest, so :math:`\mathbb E_{x_q, \varepsilon_q}(\hat y - y_q)^2 = (a - w)^\top\Sigma(a - w) + \sigma^2` with
:math:`a_c = \sum_{(ab)}\Theta_{(ab)c}m_{(ab)}`, :math:`m = \operatorname{vech}(M)`. The minimiser over
:math:`\Theta` (each column free) is the unweighted one,
:math:`\Theta = \mathbb E[mm^\top]^{-1}\mathbb E[mw^\top]`, estimated from ``n_prompts`` prompts by
accumulating both moments (kernel ``_context_moments``). Only :math:`m` and :math:`w` are needed: no
query is drawn.

**What the optimum looks like** [derived here]. Under :math:`w \to -w` (with :math:`\varepsilon \to -\varepsilon`) the
:math:`M_{x_jy}` features are odd and :math:`M_{x_jx_k}, M_{yy}` even, as is the target :math:`w` odd: the
even features get coefficient 0, and the :math:`x_j y` block is :math:`\Gamma_{jc}` with
:math:`\hat y = h^\top\Gamma x_q`, :math:`h = \frac1n\sum_i y_ix_i` (``generators.in_context_regression``
gives :math:`\Gamma_\star`). One GD step from 0 on :math:`\frac1{2n}\sum_i(y_i - w^\top x_i)^2` with step
:math:`\eta` predicts :math:`\eta\,h^\top x_q`: the pattern :math:`\Gamma = \eta I`, zero elsewhere.

Metrics (``metric``; one row per replica, at log-spaced prompt counts ``t``): ``"step"``
:math:`\hat\gamma = \operatorname{tr}\hat\Gamma/d`; ``"structure_deviation"``
:math:`\sqrt{\|\hat\Theta_{\text{even}}\|_F^2 + \|\hat\Gamma - \hat\gamma I\|_F^2}\,/\,(|\hat\gamma|\sqrt d)`, the
distance to the one-step-GD pattern relative to its size; ``"gamma_error"``
:math:`\|\hat\Gamma - \Gamma_\star\|_F/\|\Gamma_\star\|_F`.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _kernels, _reference

METRICS = ("step", "structure_deviation", "gamma_error")
BACKENDS = problems.backend.BACKENDS


def lsa_optimum(instance, rng, *, n_prompts, replicas=1, metric="step", n_checkpoints=20,
                backend="numba") -> Trace:
    r"""The least-squares optimum of the linear LSA family, refitted at log-spaced prompt counts in one pass.

    Parameters
    ----------
    instance : Instance
        From ``generators.in_context_regression``.
    rng : numpy.random.Generator
        Per replica, one row of ``n d + d + n`` standard normals per prompt, in prompt order (drawn in
        segments between checkpoints, so the stream does not depend on them): the covariates (mapped by
        :math:`\Sigma^{1/2}`), the task :math:`w`, the label noises.
    n_prompts : int
        Prompts per fit (the Monte Carlo size); the last checkpoint.
    replicas : int
        Independent fits (rows of ``values``).
    metric : {"step", "structure_deviation", "gamma_error"}
    n_checkpoints : int
        Log-spaced prompt counts at which the fit is solved (those below twice the number of features
        :math:`F = (d+1)(d+2)/2` are dropped: the fit is not yet determined there).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        Where the moments are accumulated: the Numba kernel, or its array-API twin (``_reference``,
        vectorised over the prompts of a chunk) on that namespace (:mod:`problems.backend`). The prompts
        are drawn and mapped on the host either way and moved chunk by chunk; the moments come home at
        the checkpoints, where the :math:`F\times F` system is solved.

    ``info`` (at the last checkpoint): ``Gamma_hat`` (replicas, d, d), ``Theta_hat`` (replicas, F, d) in the order
    of :math:`\operatorname{vech}` (upper triangle, row by row, :math:`y` last), ``step`` and
    ``structure_deviation`` per replica; ``gamma_star``, ``n_prompts``, ``first_nonfinite``, ``backend``.
    """
    if not isinstance(instance, Instance) or "covariance_root" not in instance.data:
        raise ValueError(f"instance must come from in_context_regression, got {getattr(instance, 'name', instance)!r}")
    rng = _checks.generator(rng)
    N = _checks.integer("n_prompts", n_prompts, low=1)
    R = _checks.integer("replicas", replicas, low=1)
    code = _checks.choice("metric", metric, METRICS)
    impl, xp = _backend(backend)
    root = np.asarray(instance.data["covariance_root"], dtype=np.float64)
    d, n = root.shape[0], int(instance.constants["n_context"])
    sigma = float(np.sqrt(instance.constants["noise_variance"]))
    F = (d + 1) * (d + 2) // 2
    if N < 2 * F:
        raise ValueError(f"n_prompts must be at least {2 * F} (twice the {F} features) for the fit to be "
                         f"determined, got {N}")
    t = checkpoints(N, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    t = t[t >= 2 * F]
    gamma_star = np.asarray(instance.data["Gamma_star"], dtype=np.float64)
    values = np.empty((R, t.size))
    theta = np.empty((R, F, d))
    width = n * d + d + n
    for r in range(R):
        mm, mw = _zeros(xp, (F, F)), _zeros(xp, (F, d))
        done = 0
        for j, upto in enumerate(t):
            for t0, t1 in chunks(int(upto) - done, width):
                z = rng.standard_normal((t1 - t0, width))
                x = z[:, :n * d].reshape(-1, n, d) @ root.T
                w = z[:, n * d:n * d + d]
                y = np.einsum("Nid,Nd->Ni", x, w) + sigma * z[:, n * d + d:]
                impl._context_moments(*_move(xp, x, y, np.ascontiguousarray(w)), mm, mw)
            done = int(upto)
            mm_host, mw_host = problems.backend.to_numpy(mm), problems.backend.to_numpy(mw)
            theta[r] = np.linalg.solve(0.5 * (mm_host + mm_host.T), mw_host)
            gamma_hat, step, deviation = _read(theta[r:r + 1], d)
            error = np.linalg.norm(gamma_hat[0] - gamma_star) / np.linalg.norm(gamma_star)
            values[r, j] = (step[0], deviation[0], error)[code]
    gamma_hat, step, deviation = _read(theta, d)
    return Trace(metric, t, values, {
        "Gamma_hat": gamma_hat, "Theta_hat": theta, "step": step, "structure_deviation": deviation,
        "gamma_star": float(instance.constants["gamma_star"]), "n_prompts": N, "backend": backend,
        "first_nonfinite": first_nonfinite(t, values)})


def _backend(backend):
    """``(impl, xp)``: the Numba kernel and ``None``, or the array-API twin and its namespace."""
    if _checks.choice("backend", backend, BACKENDS) == 0:
        return _kernels, None
    return _reference, problems.backend.namespace(backend)  # BackendUnavailable when it cannot run here


def _zeros(xp, shape):
    return np.zeros(shape) if xp is None else xp.zeros(shape, dtype=xp.float64)


def _move(xp, *arrays):
    return arrays if xp is None else tuple(problems.backend.to_device(xp, a) for a in arrays)


def gd_block_rows(d: int) -> np.ndarray:
    r"""The rows of :math:`\Theta` that hold :math:`M_{x_j y}`, :math:`j = 0..d-1` (the :math:`\Gamma` block)."""
    index, k = {}, 0
    for a in range(d + 1):
        for b in range(a, d + 1):
            index[(a, b)] = k
            k += 1
    return np.array([index[(j, d)] for j in range(d)])


def _read(theta, d):
    rows = gd_block_rows(d)
    gamma_hat = theta[:, rows, :]
    step = np.trace(gamma_hat, axis1=1, axis2=2) / d
    even = np.delete(theta, rows, axis=1)
    off = gamma_hat - step[:, None, None] * np.eye(d)
    deviation = np.sqrt(np.sum(even**2, axis=(1, 2)) + np.sum(off**2, axis=(1, 2))) / (np.abs(step) * np.sqrt(d))
    return gamma_hat, step, deviation
