r"""Descent methods on least squares, each recorded at log-spaced checkpoints in one pass.

Loss convention: :math:`f(x) = \frac{1}{2n}\|Ax - b\|^2`, :math:`H = A^\top A/n`,
:math:`f_i(x) = \frac12 (a_i^\top x - b_i)^2`. Since :math:`A^\top(Ax_\star - b) = 0`,

.. math:: f(x) - f_\star = \tfrac12 (x - x_\star)^\top H (x - x_\star) \quad\text{exactly,}

and every method carries the error :math:`e = x - x_\star` instead of :math:`x`: the
recursions below are mathematically identical to the ones on :math:`x`, and the metric
has no cancellation floor (computing :math:`f(x) - f_\star` from two function values
stalls near :math:`\epsilon_{\mathrm{mach}} f_\star`).

Each public function validates its arguments, draws all randomness on the host from
``rng`` (identically for every back end), dispatches to the Numba kernel
(``backend="numba"``) or to its array-API twin on ``"numpy"``, ``"cupy"`` or
``"array_api_strict"`` (:mod:`problems.backend`: the instance's arrays and each chunk of
randomness are moved to the device, the metric comes home at the checkpoints) and returns
a :class:`~problems.types.Trace` with ``values`` of shape ``(replicas, len(t))``;
``info["backend"]`` says which ran.
Divergence is not an error: values become inf/NaN and ``info["first_nonfinite"]``
gives the first checkpoint where that happened (``None`` otherwise). Error components
below ``1e-280`` in magnitude are flushed to zero (``_kernels.TINY``): subnormal
arithmetic is ~100x slower, and by then the suboptimality has underflowed anyway.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems.types import Trace

from . import _checks, _kernels, _reference

METRICS = ("suboptimality", "distance")
SCHEDULES = ("constant", "inverse_sqrt", "linear_decay")
AVERAGES = ("last", "uniform", "ema")
SAMPLINGS = ("without_replacement", "with_replacement")
OPERATORS = ("hessian", "design")
BACKENDS = problems.backend.BACKENDS
_DESIGNS = "gaussian_design or interpolation_design"


def gradient_descent(instance, rng, *, step_size, n_iter, metric="suboptimality",
                     operator="hessian", n_checkpoints=60, backend="numba") -> Trace:
    r"""Gradient descent :math:`x_{t+1} = x_t - \eta \nabla f(x_t)`, run as
    :math:`e_{t+1} = (I - \eta H) e_t`, or with ``operator="design"`` as
    :math:`e_{t+1} = e_t - \frac{\eta}{n} A^\top (A e_t)` (the same iteration, since
    :math:`\nabla f(x) = \frac1n A^\top(Ax - b)` and :math:`A^\top(Ax_\star - b) = 0`).

    Parameters
    ----------
    instance : Instance
        From :func:`gaussian_design` or :func:`interpolation_design` (uses ``H``, ``x0``,
        ``x_star``; with ``operator="design"`` also ``A``, and ``H`` only if stored).
    rng : numpy.random.Generator
        Unused (the method is deterministic); kept for a uniform signature.
    step_size : float
        :math:`\eta > 0`; the iteration contracts iff :math:`\eta < 2/L`.
    n_iter : int
        Number of steps :math:`T`.
    metric : {"suboptimality", "distance"}
        :math:`f(x_t) - f_\star = \frac12 e_t^\top H e_t` or :math:`\|x_t - x_\star\|`
        (without a stored ``H``, ``operator="design"`` measures
        :math:`\frac1{2n}\|Ae_t\|^2`, the same number).
    operator : {"hessian", "design"}
        What a step applies: the cached :math:`d\times d` matrix ``H`` (compute-bound), or
        the :math:`n\times d` design ``A`` itself; the Numba kernel does the latter in one
        fused pass over the rows (:math:`r_i = a_i^\top e`, :math:`g \mathrel{+}= r_i a_i`),
        streaming ``A`` from memory once per step (:math:`8nd` bytes: memory-bound).
    n_checkpoints : int
        Number of recording points (see :func:`problems.types.checkpoints`).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or the array-API twin on that namespace (:mod:`problems.backend`).
    """
    design = _checks.choice("operator", operator, OPERATORS) == 1
    A, H, e0 = _design(instance) if design else (None, *_quadratic(instance, "gradient_descent"))
    step_size, _, code, t = _settings(instance, step_size, 0.0, metric, n_iter, n_checkpoints)
    out = np.full((1, t.size), np.nan)
    impl, move = _backend(backend)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is evidence, not a warning
        if design:
            impl._gd_design_loop(move(A), move(H), move(e0), step_size, code, t, out)
        else:
            impl._gd_loop(move(H), move(e0), step_size, code, t, out)
    return Trace(metric, t, out, _checks.info(t, out, backend=backend, step_size=step_size,
                                              operator=operator))


def heavy_ball(instance, rng, *, step_size, momentum, n_iter, metric="suboptimality",
               n_checkpoints=60, backend="numba") -> Trace:
    r"""Polyak's heavy ball :math:`x_{t+1} = x_t - \eta\nabla f(x_t) + \beta(x_t - x_{t-1})`,
    :math:`x_{-1} = x_0`, run on :math:`e = x - x_\star`.

    With :math:`\eta = 4/(\sqrt L + \sqrt\mu)^2`, :math:`\beta = \big(\frac{\sqrt L - \sqrt\mu}
    {\sqrt L + \sqrt\mu}\big)^2` the asymptotic rate on quadratics is
    :math:`\frac{\sqrt L - \sqrt \mu}{\sqrt L + \sqrt \mu}`. Parameters as in
    :func:`gradient_descent`; ``momentum`` is :math:`\beta` (any finite real).
    """
    H, e0 = _quadratic(instance, "heavy_ball")
    step_size, momentum, code, t = _settings(instance, step_size, momentum, metric, n_iter, n_checkpoints)
    out = np.full((1, t.size), np.nan)
    impl, move = _backend(backend)
    with np.errstate(over="ignore", invalid="ignore"):
        impl._heavy_ball_loop(move(H), move(e0), step_size, momentum, code, t, out)
    return Trace(metric, t, out, _checks.info(t, out, backend=backend, step_size=step_size,
                                              momentum=momentum))


def nesterov(instance, rng, *, step_size, momentum=None, n_iter, metric="suboptimality",
             n_checkpoints=60, backend="numba") -> Trace:
    r"""Nesterov's method with constant momentum:
    :math:`y_t = x_t + \beta(x_t - x_{t-1})`, :math:`x_{t+1} = y_t - \eta\nabla f(y_t)`,
    :math:`x_{-1} = x_0`, run on :math:`e = x - x_\star`.

    ``momentum=None`` takes :math:`\beta = \frac{\sqrt L - \sqrt\mu}{\sqrt L + \sqrt\mu}`
    from ``instance.constants``; with :math:`\eta = 1/L` the slowest eigenmode then has
    a double root and :math:`\|e_t\| \asymp t\,(1 - \sqrt{\mu/L})^t`. Other parameters as
    in :func:`gradient_descent`.
    """
    H, e0 = _quadratic(instance, "nesterov")
    step_size, momentum, code, t = _settings(instance, step_size, momentum, metric, n_iter, n_checkpoints)
    out = np.full((1, t.size), np.nan)
    impl, move = _backend(backend)
    with np.errstate(over="ignore", invalid="ignore"):
        impl._nesterov_loop(move(H), move(e0), step_size, momentum, code, t, out)
    return Trace(metric, t, out, _checks.info(t, out, backend=backend, step_size=step_size,
                                              momentum=momentum))


def minibatch_sgd(instance, rng, *, step_size, batch_size, n_iter, schedule="constant",
                  average="last", ema_decay=0.99, replicas=1, metric="suboptimality",
                  sampling="without_replacement", n_checkpoints=60,
                  backend="numba") -> Trace:
    r"""Mini-batch SGD on the finite sum :math:`f = \frac1n\sum_i f_i`.

    .. math::

        x_{t+1} = x_t - \frac{\eta_t}{B}\sum_{i\in B_t} a_i (a_i^\top x_t - b_i),

    run as :math:`e_{t+1} = e_t - \frac{\eta_t}{B}\sum_{i\in B_t} a_i(a_i^\top e_t - r_i)`
    with :math:`r = b - A x_\star`. Batches :math:`B_t` are drawn independently at each step
    and for each replica: a uniform ``batch_size``-subset (``"without_replacement"``) or
    ``batch_size`` i.i.d. uniform indices (``"with_replacement"``).

    Parameters
    ----------
    step_size : float
        :math:`\eta > 0`. ``schedule``: ``"constant"`` :math:`\eta_t = \eta`;
        ``"inverse_sqrt"`` :math:`\eta_t = \eta/\sqrt{t+1}`; ``"linear_decay"``
        :math:`\eta_t = \eta(1 - t/T)`.
    batch_size : int
        :math:`B \in [1, n]`.
    average : {"last", "uniform", "ema"}
        The point measured: :math:`x_t`; :math:`\bar x_t = \frac{1}{t+1}\sum_{s\le t} x_s`;
        or :math:`m_t = \gamma m_{t-1} + (1-\gamma)x_t`, :math:`m_0 = x_0`,
        :math:`\gamma` = ``ema_decay`` in :math:`[0, 1)`.
    replicas : int
        Independent runs (rows of ``values``) from one stream of ``rng``.
    metric : {"suboptimality", "distance"}
        :math:`\frac12 e^\top H e = f - f_\star` or :math:`\|e\|`, at the measured point.
    """
    A, b, H, x0, x_star = _checks.data(instance, ("A", "b", "H", "x0", "x_star"),
                                       "minibatch_sgd", _DESIGNS)
    n = A.shape[0]
    _checks.positive("step_size", step_size, fix="try 1/max_i ||a_i||^2")
    B = _checks.integer("batch_size", batch_size, low=1, high=n,
                        fix=f"use 1 <= batch_size <= n_samples={n}")
    codes = _sgd_codes(schedule, average, ema_decay, metric)
    R = _checks.integer("replicas", replicas, low=1)
    replace = _checks.choice("sampling", sampling, SAMPLINGS) == 1
    t = _checks.record_points(n_iter, n_checkpoints)
    rng = _checks.generator(rng)
    impl, move = _backend(backend)
    E0, out = np.tile(x0 - x_star, (R, 1)), np.full((R, t.size), np.nan)
    E, M = move(E0), move(E0.copy())  # the state, updated in place chunk after chunk
    A, res, H = move(A), move(b - A @ x_star), move(H)
    with np.errstate(over="ignore", invalid="ignore"):
        for t0, t1 in _checks.chunks(int(t[-1]), R * B):
            idx = _checks.draw_batches(rng, n, B, t1 - t0, R, replace, impl)
            impl._minibatch_sgd_chunk(A, res, H, E, M, move(idx), t0, int(t[-1]),
                                      float(step_size), codes[0], codes[1], float(ema_decay),
                                      codes[2], t, out)
    return Trace(metric, t, out, _checks.info(
        t, out, backend=backend, step_size=float(step_size), batch_size=B, schedule=schedule,
        average=average, ema_decay=float(ema_decay), sampling=sampling, replicas=R))


def online_sgd(instance, rng, *, step_size, n_iter, batch_size=1, average="last",
               ema_decay=0.99, replicas=1, n_checkpoints=60, backend="numba") -> Trace:
    r"""One-pass SGD on streaming Gaussian linear regression (:func:`gaussian_population`).

    At each step, fresh samples :math:`x_j \sim N(0, \Sigma)`,
    :math:`y_j = x_j^\top w_\star + \sigma\varepsilon_j`, :math:`j = 1..B`, and

    .. math:: w_{t+1} = w_t + \frac{\eta}{B}\sum_{j=1}^B (y_j - x_j^\top w_t)\, x_j .

    The measured point is the last iterate, the uniform average or the EMA (as in
    :func:`minibatch_sgd`); the metric is the excess risk
    :math:`(w - w_\star)^\top \Sigma (w - w_\star)` (exact, :math:`\Sigma` diagonal;
    note: no factor 1/2). The samples are drawn in chunks of shape
    ``(steps, replicas, batch_size, dim)`` then ``(steps, replicas, batch_size)`` and do
    not depend on ``average`` or ``ema_decay``: runs differing only in those see the same
    samples (paired comparisons).
    """
    lam, w_star, w0 = _checks.data(instance, ("eigenvalues", "w_star", "w0"), "online_sgd",
                                   "gaussian_population")
    noise = float(instance.constants.get("noise", 0.0))
    _checks.positive("step_size", step_size, fix="try 1/trace_H")
    B = _checks.integer("batch_size", batch_size, low=1)
    _, average_code, _ = _sgd_codes("constant", average, ema_decay, "suboptimality")
    R = _checks.integer("replicas", replicas, low=1)
    t = _checks.record_points(n_iter, n_checkpoints)
    rng = _checks.generator(rng)
    impl, move = _backend(backend)
    V0, out, d = np.tile(w0 - w_star, (R, 1)), np.full((R, t.size), np.nan), lam.size
    V, M, lam = move(V0), move(V0.copy()), move(lam)
    with np.errstate(over="ignore", invalid="ignore"):
        for t0, t1 in _checks.chunks(int(t[-1]), R * B * (d + 1)):
            Z = rng.standard_normal((t1 - t0, R, B, d))
            xi = rng.standard_normal((t1 - t0, R, B))
            impl._online_sgd_chunk(lam, move(Z), move(xi), noise, V, M, t0, int(t[-1]),
                                   float(step_size), average_code, float(ema_decay), t, out)
    return Trace("excess_risk", t, out, _checks.info(
        t, out, backend=backend, step_size=float(step_size), batch_size=B, average=average,
        ema_decay=float(ema_decay), replicas=R))


def _settings(instance, step_size, momentum, metric, n_iter, n_checkpoints):
    """Validated ``(step_size, momentum, metric code, checkpoints)`` of a method on a quadratic;
    ``momentum=None`` is Nesterov's :math:`\frac{\sqrt L - \sqrt\mu}{\sqrt L + \sqrt\mu}`."""
    step_size = _checks.positive("step_size", step_size, fix="try 1/L")
    if momentum is None:
        L, mu = instance.constants["L"], instance.constants["mu"]
        momentum = (np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))
    momentum = _checks.real("momentum", momentum, fix="pass beta, usually in [0, 1), or None for Nesterov's")
    return step_size, momentum, _checks.choice("metric", metric, METRICS), _checks.record_points(n_iter, n_checkpoints)


def _over_seeds(method, loop: str, instances, rngs, params) -> list:
    r"""``method`` on several instances (one parameter dict each) as one batched state on an
    array back end: the Hessians stacked ``(S, d, d)``, the errors ``(S, 1, d)``, the step sizes
    and momenta ``(S, 1, 1)``, one matrix product per step for all seeds. The Numba kernels,
    parameters that differ in more than the step size and momentum (which resolve per
    instance: ``1/L``), the design operator or unequal dimensions run seed by seed. Each
    trace equals the per-seed call's (the same arithmetic; a batched product may round
    differently in the last place)."""
    first = params[0]
    per_seed = ("step_size", "momentum")
    shared = {k: v for k, v in first.items() if k not in per_seed}
    backend = first.get("backend", "numba")
    if (backend == "numba" or first.get("operator", "hessian") != "hessian"
            or any({k: v for k, v in p.items() if k not in per_seed} != shared or p.keys() != first.keys()
                   for p in params)):
        return [method(instance, rng, **p) for instance, rng, p in zip(instances, rngs, params)]
    quadratics = [_quadratic(instance, method.__name__) for instance in instances]
    if len({e0.shape for _, e0 in quadratics}) > 1:
        return [method(instance, rng, **p) for instance, rng, p in zip(instances, rngs, params)]
    settings = [_settings(instance, p.get("step_size"), p.get("momentum", 0.0 if loop == "_gd_loop" else None),
                          p.get("metric", "suboptimality"), p.get("n_iter"), p.get("n_checkpoints", 60))
                for instance, p in zip(instances, params)]
    t, code = settings[0][3], settings[0][2]
    impl, move = _backend(backend)
    H = move(np.stack([H for H, _ in quadratics]))
    e0 = move(np.stack([e0 for _, e0 in quadratics]))
    step = move(np.array([s[0] for s in settings]).reshape(-1, 1, 1))
    momentum = move(np.array([s[1] for s in settings]).reshape(-1, 1, 1))
    out = np.full((len(instances), t.size), np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        if loop == "_gd_loop":
            impl._gd_loop(H, e0, step, code, t, out)
        else:
            getattr(impl, loop)(H, e0, step, momentum, code, t, out)
    metric = first.get("metric", "suboptimality")
    traces = []
    for s, (step_size, beta, _, _) in enumerate(settings):
        row = out[s:s + 1]
        extra = {"operator": "hessian"} if loop == "_gd_loop" else {"momentum": beta}
        traces.append(Trace(metric, t, row, _checks.info(t, row, backend=backend, step_size=step_size, **extra)))
    return traces


gradient_descent.over_seeds = lambda instances, rngs, params: _over_seeds(
    gradient_descent, "_gd_loop", instances, rngs, params)
heavy_ball.over_seeds = lambda instances, rngs, params: _over_seeds(
    heavy_ball, "_heavy_ball_loop", instances, rngs, params)
nesterov.over_seeds = lambda instances, rngs, params: _over_seeds(
    nesterov, "_nesterov_loop", instances, rngs, params)


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the
    move of a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _quadratic(instance, method: str):
    H, x0, x_star = _checks.data(instance, ("H", "x0", "x_star"), method, _DESIGNS)
    return H, x0 - x_star


def _design(instance):
    """``A``, ``H`` (empty when the instance stores none: the metric then uses ``A``), ``e0``."""
    A, x0, x_star = _checks.data(instance, ("A", "x0", "x_star"), "gradient_descent", _DESIGNS)
    H = (_checks.data(instance, ("H",), "gradient_descent", _DESIGNS)[0]
         if "H" in instance.data else np.empty((0, 0)))
    return A, H, x0 - x_star


def _sgd_codes(schedule, average, ema_decay, metric) -> tuple[int, int, int]:
    _checks.real("ema_decay", ema_decay, low=0.0, high=1.0, high_open=True,
                 fix="pass the EMA weight of the past, e.g. 0.99")
    return (_checks.choice("schedule", schedule, SCHEDULES),
            _checks.choice("average", average, AVERAGES),
            _checks.choice("metric", metric, METRICS))
