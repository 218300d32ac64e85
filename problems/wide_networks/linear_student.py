r"""Advani & Saxe [1]: the generalisation dynamics of a linear student trained by gradient descent.

Setting (``generators.linear_teacher_student``): :math:`y = X\bar w + \varepsilon` with
:math:`X \in \mathbb R^{N\times P}` (entries :math:`\mathcal N(0, 1/P)`), gradient descent on
:math:`\frac12\|y - Xw\|^2` from :math:`w_0 \sim \mathcal N(0, \sigma_0^2 I)`, test error
:math:`E_g = \|w - \bar w\|^2/P + \sigma_\varepsilon^2`; :math:`\alpha = N/P`.

**Exact solution** [derived here; the paper averages the same mode-by-mode solution over the
Marchenko-Pastur density (recollection: only its abstract was retrieved), and its normalisation of
time and of the error may differ by constants]. Let :math:`X^\top X =
\sum_i \lambda_i v_iv_i^\top` with :math:`r = \operatorname{rank}X` non-zero eigenvalues. The
error :math:`e = w - \bar w` obeys :math:`e_{k+1} = (I - \eta X^\top X)e_k + \eta X^\top
\varepsilon`, so along :math:`v_i` (:math:`\lambda_i > 0`)

.. math:: e_{k,i} = q_i\,(w_0 - \bar w)_i + (1 - q_i)(X^+\varepsilon)_i, \qquad q_i = (1 - \eta\lambda_i)^k
          \quad(\text{gradient flow: } q_i = e^{-\lambda_i t}),

while along the :math:`P - r` directions of :math:`\ker X` the error never moves: the **frozen
subspace**, :math:`e_{k,\ker} = P_{\ker X}(w_0 - \bar w)`. Averaging over :math:`w_0, \bar w,
\varepsilon` (independent, centred; :math:`\mathbb E(X^+\varepsilon)_i^2 = \sigma_\varepsilon^2/\lambda_i`):

.. math::

    \mathbb E[E_g \mid X] = \sigma_\varepsilon^2 + \frac1P\Big[\sum_{i\le r} q_i^2(\sigma_0^2 +
    \sigma_{\bar w}^2) + (1 - q_i)^2\frac{\sigma_\varepsilon^2}{\lambda_i}\Big]
    + \frac{P - r}{P}(\sigma_0^2 + \sigma_{\bar w}^2).

*Late time* (:math:`q \to 0`): :math:`E_g(\infty) = \sigma_\varepsilon^2(1 + \operatorname{tr}
(X^\top X)^+/P) + (1 - \alpha)^+(\sigma_0^2 + \sigma_{\bar w}^2)` (:math:`r = \min(N, P)` almost
surely). The initialisation enters only through the frozen term :math:`(1-\alpha)^+\sigma_0^2`
(claim (b)): its component in :math:`\ker X` is never trained.

*The peak at* :math:`N = P` (claim (a)), per instance, with nested samples (the first :math:`N`
rows): for :math:`N \ge P`, adding a row :math:`x` gives :math:`\operatorname{tr}(X^\top X + xx^\top)^{-1}
= \operatorname{tr}(X^\top X)^{-1} - x^\top(X^\top X)^{-2}x/(1 + x^\top(X^\top X)^{-1}x)`, strictly
smaller, and the frozen term is 0: :math:`E_g(\infty)` decreases. For :math:`N < P`,
:math:`\operatorname{tr}(X^\top X)^+ = \operatorname{tr}(XX^\top)^{-1}` and the bordered inverse gives
:math:`\operatorname{tr}G_{N+1}^{-1} = \operatorname{tr}G_N^{-1} + (1 + \|G_N^{-1}b\|^2)/s` with
:math:`s > 0` the squared distance of the new row to the span of the others: the noise term
increases (by :math:`\approx \sigma_\varepsilon^2/(P(1-\alpha)^2)`) while the frozen term falls by
:math:`(\sigma_0^2 + \sigma_{\bar w}^2)/P`; close to :math:`N = P` (where :math:`s \sim \chi^2_{P-N}/P`)
the increase wins (at :math:`N = P - 1` it is :math:`\ge \sigma_\varepsilon^2/\chi^2_1`, against a fall of
:math:`(\sigma_0^2 + \sigma_{\bar w}^2)/P`). So :math:`E_g(\infty)` peaks at exactly :math:`N = P` on all but a
vanishing fraction of instances, unless :math:`\sigma_\varepsilon` is small against
:math:`(\sigma_0^2 + \sigma_{\bar w}^2)^{1/2}` (noiseless labels: no peak); its mean over :math:`X` is even infinite at :math:`N \in \{P - 1, P, P + 1\}`
(inverse Wishart moments), the finite-size form of the divergence at :math:`\alpha = 1`.

[1] M. S. Advani, A. M. Saxe (2017). High-dimensional dynamics of generalization error in neural
    networks. arXiv:1710.03667.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from .methods import _backend

GD_METRICS = ("test_error", "train_error", "init_excess")
LATE_METRICS = ("error", "increment", "overtraining")
AVERAGES = ("all", "init")
BACKENDS = problems.backend.BACKENDS
MAX_REPLICA_WEIGHTS = 2**24  # replicas x n_params initial weights held at once


def spectrum(X: np.ndarray) -> np.ndarray:
    """The non-zero eigenvalues of :math:`X^\\top X`, from the smaller Gram matrix (:math:`XX^\\top`
    when :math:`N < P`; same non-zero spectrum, and a symmetric solver three times faster than an
    SVD); eigenvalues below :math:`\\lambda_{\\max}\\max(N, P)\\,\\epsilon`, the solver's
    round-off, count as zero."""
    X = np.asarray(X, dtype=np.float64)
    gram = X @ X.T if X.shape[0] < X.shape[1] else X.T @ X
    lam = np.linalg.eigvalsh(gram)
    if lam.size == 0 or lam[-1] <= 0:
        return np.empty(0)
    return lam[lam > lam[-1] * max(X.shape) * np.finfo(float).eps]


def expected_late_time_error(eigenvalues, n_params, noise, teacher_scale, init_scale) -> float:
    r""":math:`\sigma_\varepsilon^2(1 + \sum_i\lambda_i^{-1}/P) + (P - r)(\sigma_0^2 + \sigma_{\bar w}^2)/P`."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    P = float(n_params)
    return float(noise**2 * (1 + np.sum(1 / lam) / P) + (P - lam.size) * (init_scale**2 + teacher_scale**2) / P)


def expected_flow_error(eigenvalues, n_params, noise, teacher_scale, init_scale, times) -> np.ndarray:
    r""":math:`\mathbb E[E_g(t) \mid X]` under gradient flow (:math:`q_i = e^{-\lambda_i t}`) at ``times``."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    q = np.exp(-np.outer(np.asarray(times, dtype=np.float64), lam))
    return _expected(q, lam, float(n_params), noise, teacher_scale, init_scale)


def early_stopped_error(eigenvalues, n_params, noise, teacher_scale, init_scale) -> tuple[float, float]:
    r"""(:math:`\min_{t\ge0}\mathbb E[E_g(t)\mid X]`, the minimising :math:`t`) under gradient flow: a
    log grid of 400 times over :math:`[10^{-3}/\lambda_{\max}, 10^3/\lambda_{\min}]` and :math:`t = 0`,
    refined by a bounded scalar search between the grid neighbours of the best point."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    args = (lam, n_params, noise, teacher_scale, init_scale)
    grid = np.concatenate([[0.0], np.geomspace(1e-3 / lam.max(), 1e3 / lam.min(), 400)])
    values = expected_flow_error(*args, grid)
    k = int(np.argmin(values))
    if 0 < k < grid.size - 1:
        found = minimize_scalar(lambda s: expected_flow_error(*args, [np.exp(s)])[0], method="bounded",
                                bounds=(np.log(max(grid[k - 1], grid[1])), np.log(grid[k + 1])),
                                options={"xatol": 1e-10})
        if found.fun < values[k]:
            return float(found.fun), float(np.exp(found.x))
    return float(values[k]), float(grid[k])


def _expected(q, lam, P, noise, teacher_scale, init_scale):
    spread = init_scale**2 + teacher_scale**2
    learned = np.sum(q**2 * spread + (1 - q) ** 2 * noise**2 / lam, axis=-1)
    return noise**2 + (learned + (P - lam.size) * spread) / P


def _rows(instance, n_samples, extra=0):
    """The first ``n_samples`` rows of the design and labels (all when ``None``)."""
    if not isinstance(instance, Instance) or any(k not in instance.data for k in ("X", "y", "teacher")):
        raise ValueError(f"instance must come from linear_teacher_student, got {type(instance).__name__} "
                         f"{getattr(instance, 'name', '')!r}")
    X, y = instance.data["X"], instance.data["y"]
    pool = X.shape[0]
    N = pool - extra if n_samples is None else _checks.integer(
        "n_samples", n_samples, low=1, high=pool - extra,
        fix=f"the instance holds {pool} samples" + (f" and this metric also uses sample N + {extra}" if extra else ""))
    return np.ascontiguousarray(X[:N]), np.ascontiguousarray(y[:N]), N


def late_time_error(instance, rng, *, n_samples=None, metric="error") -> Trace:
    r"""The :math:`t\to\infty` test error averaged over :math:`w_0, \bar w, \varepsilon` given the first
    :math:`N` rows of :math:`X` (exact; see the module docstring), as a one-point trace at :math:`t = N`.

    ``metric``: ``"error"`` :math:`E_g(\infty \mid X_N)`; ``"increment"``
    :math:`E_g(\infty \mid X_{N+1}) - E_g(\infty \mid X_N)` (negative past the peak; needs one more row);
    ``"overtraining"`` :math:`E_g(\infty \mid X_N) - \min_t E_g(t \mid X_N)` under gradient flow.
    ``rng`` is validated, not used. ``info``: ``n_samples``, ``rank``, ``error``,
    ``early_stopped_error``, ``best_time`` (the last two for ``"overtraining"`` only).
    """
    _checks.generator(rng)
    metric = _checks.one_of("metric", metric, LATE_METRICS)
    X, _, N = _rows(instance, n_samples, extra=1 if metric == "increment" else 0)
    c = instance.constants
    scales = (c["noise"], c["teacher_scale"], c["init_scale"])
    lam = spectrum(X)
    error = expected_late_time_error(lam, X.shape[1], *scales)
    info = {"n_samples": N, "rank": int(lam.size), "error": error}
    value = error
    if metric == "increment":
        value = expected_late_time_error(spectrum(instance.data["X"][:N + 1]), X.shape[1], *scales) - error
    elif metric == "overtraining":
        best, when = early_stopped_error(lam, X.shape[1], *scales)
        info.update(early_stopped_error=best, best_time=when)
        value = error - best
    return Trace(metric, np.array([float(N)]), np.array([[value]]), info)


def student_gradient_descent(instance, rng, *, n_iter, step_size=None, n_samples=None, replicas=1,
                             metric="test_error", n_checkpoints=60, backend="numba") -> Trace:
    r"""Gradient descent :math:`w_{k+1} = w_k - \eta X^\top(Xw_k - y)` on the first :math:`N` rows,
    from ``replicas`` independent :math:`w_0 = \sigma_0\xi`, :math:`\xi \sim \mathcal N(0, I_P)`
    (``rng.standard_normal((replicas, P))``), :math:`\sigma_0` = ``init_scale`` of the instance.

    ``step_size`` defaults to :math:`1/\lambda_{\max}(X^\top X)` (stable below :math:`2/\lambda_{\max}`;
    :math:`k` steps approximate gradient flow to time :math:`\eta k`).

    ``metric``: ``"test_error"`` :math:`E_g(w_k) = \|w_k - \bar w\|^2/P + \sigma_\varepsilon^2`;
    ``"train_error"`` :math:`\|y - Xw_k\|^2/N`; ``"init_excess"`` :math:`E_g(w_k) - E_g(w_k^{(0)})`, the
    excess over the same descent started at :math:`w_0 = 0` (same data): at late times its mean
    over :math:`w_0` is the frozen term :math:`\sigma_0^2(P - \operatorname{rank}X)/P = (1 - \alpha)\sigma_0^2`.

    ``backend``: ``"numba"`` (the kernel), or ``"numpy"``, ``"cupy"``, ``"array_api_strict"`` (the
    array-API twin: per step two products, :math:`XW` (N, R+1) and :math:`X^\top r` (P, R+1), all
    replicas at once; the errors come home at the checkpoints).

    ``info``: ``step_size``, ``n_samples``, ``lambda_max``, ``lambda_min`` (non-zero, of the rows
    used), ``rank``, ``replicas``, ``backend``, ``first_nonfinite``, ``w0`` (replicas, P).
    """
    X, y, N = _rows(instance, n_samples)
    _checks.generator(rng)
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    metric = _checks.one_of("metric", metric, GD_METRICS)
    impl, move = _backend(backend)
    R = _checks.integer("replicas", replicas, low=1)
    P = X.shape[1]
    if R * P > MAX_REPLICA_WEIGHTS:
        raise ValueError(f"replicas={R} with n_params={P} holds {R * P} weights (more than "
                         f"{MAX_REPLICA_WEIGHTS}); reduce replicas")
    lam = spectrum(X)
    eta = 1.0 / lam.max() if step_size is None else _checks.positive(
        "step_size", step_size, fix=f"gradient descent is stable below 2/lambda_max = {2 / lam.max():.4g}")
    c = instance.constants
    w0 = c["init_scale"] * rng.standard_normal((R, P))
    W = np.zeros((P, R + 1))  # the last column is the descent from w_0 = 0
    W[:, :R] = w0.T
    test, train = np.full((R + 1, t.size), np.nan), np.full((R + 1, t.size), np.nan)
    teacher = np.ascontiguousarray(instance.data["teacher"], dtype=np.float64)
    with np.errstate(all="ignore"):  # divergence is evidence (inf), not a warning
        impl._linear_gd(move(X), move(y), move(teacher), move(W), float(eta), float(c["noise"]) ** 2, t, test,
                        train)
    with np.errstate(invalid="ignore"):
        values = {"test_error": test[:R], "train_error": train[:R], "init_excess": test[:R] - test[R]}[metric]
    values = np.where(np.isfinite(values), values, np.inf)
    info = {"step_size": eta, "n_samples": N, "lambda_max": float(lam.max()), "lambda_min": float(lam.min()),
            "rank": int(lam.size), "replicas": R, "backend": backend, "first_nonfinite": first_nonfinite(t, values),
            "w0": w0}
    return Trace(metric, t, values, info)


def expected_test_error(instance, rng, *, n_iter, step_size=None, n_samples=None, average="all",
                        n_checkpoints=60) -> Trace:
    r"""The exact mean of :func:`student_gradient_descent`'s ``"test_error"`` at the same checkpoints
    (:math:`q_i = (1 - \eta\lambda_i)^k`): ``average="all"`` over :math:`w_0, \bar w, \varepsilon` given
    :math:`X` (the module docstring's formula), ``"init"`` over :math:`w_0` only, for the instance's
    own teacher and noise:
    :math:`\sigma_\varepsilon^2 + \frac1P[\sum_i (q_i^2(\sigma_0^2 + \bar w_i^2) - 2q_i(1-q_i)\bar w_i
    c_i + (1-q_i)^2c_i^2) + \sigma_0^2(P - r) + \|P_{\ker X}\bar w\|^2]`, :math:`\bar w_i = v_i^\top\bar w`,
    :math:`c_i = v_i^\top X^+\varepsilon`. One row; ``rng`` is validated, not used."""
    X, y, N = _rows(instance, n_samples)
    _checks.generator(rng)
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    average = _checks.one_of("average", average, AVERAGES)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > s[0] * max(X.shape) * np.finfo(float).eps
    lam, V = s[keep] ** 2, Vt[keep]
    eta = 1.0 / lam.max() if step_size is None else _checks.positive("step_size", step_size)
    c = instance.constants
    P = X.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        q = (1 - eta * lam)[None, :] ** t[:, None].astype(np.float64)
        if average == "all":
            values = _expected(q, lam, P, c["noise"], c["teacher_scale"], c["init_scale"])
        else:
            w_bar = instance.data["teacher"]
            coords = V @ w_bar
            fit = V @ (np.linalg.pinv(X) @ (y - X @ w_bar))
            frozen = w_bar @ w_bar - coords @ coords
            learned = np.sum(q**2 * (c["init_scale"] ** 2 + coords**2) - 2 * q * (1 - q) * coords * fit
                             + (1 - q) ** 2 * fit**2, axis=1)
            values = c["noise"] ** 2 + (learned + c["init_scale"] ** 2 * (P - lam.size) + frozen) / P
    values = np.where(np.isfinite(values), values, np.inf)
    return Trace("test_error", t, values[None, :], {"step_size": eta, "n_samples": N, "average": average,
                                                    "rank": int(lam.size)})
