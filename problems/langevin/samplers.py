r"""Langevin samplers simulated with many independent chains: ULA, MALA, SGLD and a synchronous
coupling of ULA with a fine-step reference.

ULA (unadjusted Langevin algorithm, Roberts & Tweedie 1996 [1, Sec. 1.4]):
:math:`x_{k+1} = x_k - h\nabla U(x_k) + \sqrt{2h}\,\xi_k`. On :math:`N(m, \Lambda^{-1})`,
along an eigenvector with precision :math:`\lambda`, :math:`x' - m = (1 - h\lambda)(x - m) +
\sqrt{2h}\,\xi` [derived here], so the stationary variance :math:`s` solves
:math:`s = (1 - h\lambda)^2 s + 2h`: :math:`s = 1/(\lambda(1 - h\lambda/2))`, finite iff
:math:`h < 2/\lambda`. MALA [1, Sec. 1.5] adds a Metropolis-Hastings accept/reject that makes
:math:`\pi` exactly invariant for every :math:`h` [recollection: standard]. SGLD (Welling & Teh
2011 [2]) replaces :math:`\nabla U` by an unbiased minibatch estimate.

Metrics (``metric``), each a per-chain running time average over the steps
:math:`(\text{burn\_in}, \text{burn\_in} + t]` (``t`` = steps after the burn-in, log-spaced from
1 to ``n_iter``; one row per chain, the chain mean is the estimate), with :math:`m` the target
mean and :math:`(\lambda_i, v_i)` the eigenpairs stored in the instance (ascending):

* ``"variance_ratio"``: :math:`\lambda_{\max}(v_{\max}^\top(x - m))^2`; on a Gaussian, 1 for
  exact samples, :math:`1/(1 - h\lambda_{\max}/2)` for ULA's stationary law;
* ``"variance_ratio_soft"``: :math:`\lambda_{\min}(v_{\min}^\top(x - m))^2`;
* ``"mean_error"``: :math:`\sqrt{\lambda_{\max}}\,v_{\max}^\top(x - m)` (tends to 0);
* ``"second_moment"``: :math:`\|x - m\|^2/\operatorname{tr}\Sigma` (needs ``trace_covariance``:
  Gaussian kinds only).

On ``coupled_logcosh_target`` the eigenpairs are those of :math:`\nabla^2 U(0)` and the metrics
are measurements with no closed form.

Randomness: ``rng.spawn(3)`` gives three streams: [0] the Gaussian increments, drawn step by
step as ``(steps, chains, d)``, [1] the MALA uniforms ``(steps, chains)``, [2] the SGLD batch
uniforms ``(steps, chains, B)``; each is drawn in chunks of at most ``problems.types.CHUNK_NUMBERS`` numbers
per step range, so memory is flat in ``n_iter`` and the numbers do not depend on the chunking.
Every back end consumes the same arrays: ``backend`` is ``"numba"`` (the jitted kernels, the
default) or an array back end of ``problems.backend`` (``"numpy"``, ``"cupy"``,
``"array_api_strict"``), which runs the array-API twins of ``_reference.py``: each chunk is
moved to the device once and sliced per step there, the chain states and running sums stay on
the device, checkpoint columns and the final state come home as NumPy. A run depends on the
seed and on ``chains``, not on the back end (beyond rounding).

[1] G. O. Roberts, R. L. Tweedie (1996). Exponential convergence of Langevin distributions and
    their discrete approximations. Bernoulli 2(4).
[2] M. Welling, Y. W. Teh (2011). Bayesian learning via stochastic gradient Langevin dynamics. ICML.
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems import backend as _backend
from problems.types import Trace, checkpoints, chunks, first_nonfinite

from . import _kernels, _reference
from .targets import LINEAR_REGRESSION, LOGCOSH, kind

METRICS = ("variance_ratio", "variance_ratio_soft", "mean_error", "second_moment")
COUPLING_METRICS = ("coupling_w2", "projected_w2")
BACKENDS = _backend.BACKENDS


def ula(instance, rng, *, step_size, n_iter, chains=1000, burn_in=0, metric="variance_ratio",
        n_checkpoints=60, backend="numba") -> Trace:
    r"""ULA on any target (see the module docstring), :math:`0 < h < 2/L`, chains from ``x0``.

    ``info``: ``step_size``, ``chains``, ``burn_in``, ``backend``, ``kind``,
    ``standard_error`` (per checkpoint: standard deviation over chains / :math:`\sqrt{\text{chains}}`),
    ``final_state`` (chains, d), ``first_nonfinite``.
    """
    run = _setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints,
                 backend, stable=True)
    xp, k = run["xp"], 0
    common = (run["target"], run["precision"], run["mean"], run["coupling"])
    observe = (run["code"], run["direction"], run["scale"], run["t"])
    for t0, noise in _increments(run, per_step=0):
        if xp is None:
            k = _kernels._ula_chunk(*common, run["x"], noise, run["h"], t0, run["burn_in"],
                                    *observe, k, run["acc"], run["out"])
        else:
            run["x"], run["acc"], k = _quiet(
                _reference._ula_chunk, xp, *common, run["x"], noise, run["h"], t0,
                run["burn_in"], *observe, k, run["acc"], run["out"])
    return _trace(run, metric)


def mala(instance, rng, *, step_size, n_iter, chains=1000, burn_in=0, metric="variance_ratio",
         n_checkpoints=60, backend="numba") -> Trace:
    r"""MALA: the ULA proposal accepted with probability
    :math:`\min\{1, \pi(y)q(x|y)/(\pi(x)q(y|x))\}`, :math:`q(y|x) = N(y; x - h\nabla U(x), 2hI)`.
    Any :math:`h > 0` (a large step only lowers the acceptance). ``info`` as :func:`ula`, plus
    ``acceptance_rate`` (accepted moves after the burn-in over chains times ``n_iter``)."""
    run = _setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints,
                 backend, stable=False)
    xp, uniform_rng, k = run["xp"], run["streams"][1], 0
    accepted = _device(run, np.zeros(run["chains"], dtype=np.int64))
    common = (run["target"], run["precision"], run["mean"], run["coupling"])
    observe = (run["code"], run["direction"], run["scale"], run["t"])
    for t0, noise in _increments(run, per_step=1):
        uniforms = _device(run, uniform_rng.random((noise.shape[0], run["chains"])))
        if xp is None:
            k = _kernels._mala_chunk(*common, run["x"], noise, uniforms, run["h"], t0,
                                     run["burn_in"], *observe, k, run["acc"], accepted, run["out"])
        else:
            run["x"], run["acc"], accepted, k = _quiet(
                _reference._mala_chunk, xp, *common, run["x"], noise, uniforms, run["h"], t0,
                run["burn_in"], *observe, k, run["acc"], accepted, run["out"])
    total = int(_backend.to_numpy(accepted).sum())
    return _trace(run, metric, acceptance_rate=float(total / (run["chains"] * n_iter)))


def sgld(instance, rng, *, step_size, n_iter, batch_size, chains=1000, burn_in=0,
         metric="variance_ratio", n_checkpoints=60, backend="numba") -> Trace:
    r"""SGLD on ``bayesian_linear_regression``:
    :math:`w \leftarrow w - h\big(\alpha w + \frac nB\sum_{i\in\mathcal B}\nabla U_i(w)\big) + \sqrt{2h}\,\xi`,
    :math:`\nabla U_i(w) = x_i(x_i^\top w - y_i)/\sigma^2`, a fresh batch per step and chain,
    drawn uniformly **without replacement** (see ``_kernels._sgld_chunk``). ``batch_size = n_data``
    is the whole data set, draws no batch uniforms, and is ULA on the posterior (same increments,
    equal to rounding). The exact stationary covariance, minibatch inflation included, is
    ``gaussian.sgld_stationary_covariance``. ``info`` as :func:`ula`, plus ``batch_size``."""
    if kind(instance) != LINEAR_REGRESSION:
        raise ValueError(f"sgld needs a 'linear_regression' target (a finite sum), got kind "
                         f"{instance.data['kind']!r}; build one with bayesian_linear_regression")
    run = _setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints,
                 backend, stable=True)
    X = np.ascontiguousarray(instance.data["design"], dtype=np.float64)
    y = np.ascontiguousarray(instance.data["response"], dtype=np.float64)
    n = X.shape[0]
    B = _checks.integer("batch_size", batch_size, low=1, high=n,
                        fix="pass a minibatch size between 1 and n_data")
    sigma2 = instance.constants["noise"] ** 2
    alpha = instance.constants["prior_precision"]
    width = 0 if B == n else B
    permutation = _device(run, np.tile(np.arange(n, dtype=np.int64), (run["chains"], 1)))
    X, y = _device(run, X), _device(run, y)
    xp, batch_rng, k = run["xp"], run["streams"][2], 0
    observe = (run["code"], run["mean"], run["direction"], run["scale"], run["t"])
    for t0, noise in _increments(run, per_step=width):
        uniforms = _device(run, batch_rng.random((noise.shape[0], run["chains"], width)))
        if xp is None:
            k = _kernels._sgld_chunk(X, y, sigma2, alpha, run["x"], noise, uniforms, permutation,
                                     B, run["h"], t0, run["burn_in"], *observe, k, run["acc"],
                                     run["out"])
        else:
            run["x"], permutation, run["acc"], k = _quiet(
                _reference._sgld_chunk, xp, X, y, sigma2, alpha, run["x"], noise, uniforms,
                permutation, B, run["h"], t0, run["burn_in"], *observe, k, run["acc"], run["out"])
    return _trace(run, metric, batch_size=B)


def ula_coupling(instance, rng, *, step_size, n_iter, chains=200, refinement=64,
                 metric="coupling_w2", n_checkpoints=60, backend="numba") -> Trace:
    r"""ULA with step :math:`h` against ULA with step :math:`h/R` (:math:`R` = ``refinement``),
    both from ``x0``, driven by one Brownian path (``_kernels._coupling_chunk``): coarse
    step :math:`k` meets fine step :math:`kR` at time :math:`kh`.

    Metrics at coarse step counts ``t`` (0 included), one row:

    * ``"coupling_w2"``: :math:`\big(\frac1C\sum_c\|X^c_k - Y^c_{kR}\|^2\big)^{1/2}`, an unbiased
      estimate (under the square root) of :math:`\mathbb E\|X_k - Y_{kR}\|^2`, itself
      :math:`\ge W_2^2(\mathrm{law}(X_k), \mathrm{law}(Y_{kR}))` (any coupling bounds :math:`W_2`);
    * ``"projected_w2"``: the 1D :math:`W_2` between the empirical laws of :math:`u^\top X_k` and
      :math:`u^\top Y_{kR}` from sorted samples, :math:`u = (1, -1, 1, \dots)/\sqrt d` (it feels
      the nearest-neighbour coupling of ``coupled_logcosh_target``); the 1D :math:`W_2` of
      projections is :math:`\le W_2` of the laws, so this estimates a lower bound (up to
      sampling error); on the same samples it never exceeds ``coupling_w2`` (the sorted
      matching is the best one, and :math:`|u^\top z| \le \|z\|`).

    Noise: ``(steps, R, chains, d)`` standard normals per chunk from stream 0 of
    ``rng.spawn(3)`` (as the other samplers). Any target kind; :math:`0 < h < 2/L`.
    ``info``: ``coupling_w2`` and ``projected_w2`` (both curves), ``step_size``,
    ``refinement``, ``chains``, ``direction``, ``backend``, ``first_nonfinite``.
    """
    R = _checks.integer("refinement", refinement, low=1, fix="pass the fine/coarse step ratio")
    run = _setup(instance, rng, step_size, n_iter, chains, 0, "mean_error", n_checkpoints,
                 backend, stable=True, metrics=None)
    code = _checks.choice("metric", metric, COUPLING_METRICS)
    d, C = run["x"].shape[1], run["chains"]
    t = checkpoints(run["n_iter"], run["n_checkpoints"])
    u = np.where(np.arange(d) % 2 == 0, 1.0, -1.0) / np.sqrt(d)
    x, xp = run["x"], run["xp"]
    y = x.copy() if xp is None else xp.asarray(x, copy=True)
    direction = _device(run, u)
    squared = np.zeros(t.size)
    px, py = np.zeros((t.size, C)), np.zeros((t.size, C))
    common = (run["target"], run["precision"], run["mean"], run["coupling"])
    noise_rng, k = run["streams"][0], 0
    for t0, t1 in chunks(run["n_iter"], R * C * d):
        noise = _device(run, noise_rng.standard_normal((t1 - t0, R, C, d)))
        if xp is None:
            k = _kernels._coupling_chunk(*common, x, y, noise, run["h"], t0, u, t, k, squared,
                                         px, py)
        else:
            x, y, k = _quiet(_reference._coupling_chunk, xp, *common, x, y, noise, run["h"],
                             t0, direction, t, k, squared, px, py)
    curves = {"coupling_w2": np.sqrt(squared),
              "projected_w2": np.sqrt(np.mean((np.sort(px, axis=1) - np.sort(py, axis=1)) ** 2,
                                              axis=1))}
    values = curves[COUPLING_METRICS[code]][None, :]
    return Trace(metric, t, values, {**curves, "step_size": run["h"], "refinement": R,
                                     "chains": C, "direction": u, "backend": backend,
                                     "first_nonfinite": first_nonfinite(t, values)})


def _setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints, backend,
           stable, metrics=METRICS) -> dict:
    """Validated arguments, the target's arrays, the observable and the output buffers."""
    target_kind = kind(instance)
    _checks.generator(rng)
    L = float(instance.constants["L"])
    h = _checks.positive("step_size", step_size)
    if stable and h >= 2.0 / L:
        raise ValueError(f"step_size={step_size!r} >= 2/L = {2.0 / L:.6g}: ULA is unstable there "
                         f"(the chains diverge); pass step_size < {2.0 / L:.6g}")
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    C = _checks.integer("chains", chains, low=1, fix="pass the number of independent chains")
    burn_in = _checks.integer("burn_in", burn_in, low=0, fix="pass the steps to discard, >= 0")
    K = _checks.integer("n_checkpoints", n_checkpoints, low=1)
    _checks.choice("backend", backend, BACKENDS)
    xp = None if backend == "numba" else _backend.namespace(backend)  # BackendUnavailable here
    logcosh = target_kind == LOGCOSH
    precision = instance.data.get("precision")
    if precision is None and not logcosh:
        raise ValueError(f"instance {instance.name!r} stores no dense precision (dim "
                         f"{instance.constants['dim']:g} > DENSE_MAX_DIM); simulate a smaller dim")
    code, direction, scale = _observable(instance, metric, metrics)
    x0 = np.ascontiguousarray(instance.data["x0"], dtype=np.float64)
    t = checkpoints(n_iter, K + 1)[1:]
    dense = np.zeros((0, 0)) if logcosh else np.ascontiguousarray(precision, dtype=np.float64)
    run = {"xp": xp, "target": _kernels.LOGCOSH if logcosh else _kernels.GAUSSIAN,
           "coupling": float(instance.data["coupling"]) if logcosh else 0.0,
           "h": h, "n_iter": n_iter, "chains": C, "burn_in": burn_in, "n_checkpoints": K,
           "code": code, "scale": scale, "t": t, "out": np.full((C, t.size), np.nan),
           "streams": rng.spawn(3), "backend": backend, "kind": target_kind}
    # the state and the target's arrays on the device (as they are for "numba"); ``out`` and
    # the checkpoint steps ``t`` stay on the host
    arrays = {"precision": dense, "direction": direction, "x": np.tile(x0, (C, 1)),
              "mean": np.ascontiguousarray(instance.data["mean"], dtype=np.float64),
              "acc": np.zeros(C)}
    return run | {key: _device(run, value) for key, value in arrays.items()}


def _quiet(twin, *args):
    """``twin(*args)`` with NumPy's floating-point warnings off: divergence is evidence (inf/NaN
    in ``out``), not an error; other namespaces do not warn."""
    with np.errstate(all="ignore"):
        return twin(*args)


def _device(run, array):
    """``array`` (host NumPy) where the run computes: itself for "numba", else on the device."""
    return array if run["xp"] is None else _backend.to_device(run["xp"], array)


def _observable(instance, metric, metrics):
    """``(code, direction, scale)`` of the metric's observable (see the module docstring)."""
    d = int(instance.constants["dim"])
    if metrics is None:
        return _kernels.PROJECTED, np.zeros(d), 0.0
    _checks.choice("metric", metric, metrics)
    if metric == "second_moment":
        if "trace_covariance" not in instance.constants:
            raise ValueError(f"metric 'second_moment' needs constant 'trace_covariance', which "
                             f"instance {instance.name!r} (kind {instance.data['kind']!r}) lacks; "
                             "pass another metric or a Gaussian target")
        return _kernels.SQUARED_NORM, np.zeros(d), 1.0 / instance.constants["trace_covariance"]
    V, lam = instance.data["eigenvectors"], instance.data["eigenvalues"]
    if V is None:
        raise ValueError(f"metric {metric!r} needs stored eigenvectors, which instance "
                         f"{instance.name!r} lacks (dim too large); pass a smaller dim")
    i = 0 if metric == "variance_ratio_soft" else -1
    direction = np.ascontiguousarray(V[:, i], dtype=np.float64)
    if metric == "mean_error":
        return _kernels.PROJECTED, direction, float(np.sqrt(lam[i]))
    return _kernels.PROJECTED_SQUARE, direction, float(lam[i])


def _increments(run, per_step):
    """``(t0, noise)`` chunks over all ``burn_in + n_iter`` steps; ``noise`` is
    ``(m, chains, d)`` from stream 0, sized so that a chunk's draws (``per_step`` more numbers
    per chain and step from the other streams included) stay under ``problems.types.CHUNK_NUMBERS``;
    drawn on the host, moved to the device once per chunk (array back ends)."""
    C, d = run["x"].shape
    for t0, t1 in chunks(run["burn_in"] + run["n_iter"], C * (d + per_step)):
        yield t0, _device(run, run["streams"][0].standard_normal((t1 - t0, C, d)))


def _trace(run, metric, **extra) -> Trace:
    out, t = run["out"], run["t"]
    se = np.std(out, axis=0, ddof=1) / np.sqrt(out.shape[0]) if out.shape[0] > 1 \
        else np.full(t.size, np.nan)
    info = {"step_size": run["h"], "chains": run["chains"], "burn_in": run["burn_in"],
            "backend": run["backend"], "kind": run["kind"], "standard_error": se,
            "final_state": _backend.to_numpy(run["x"]), "first_nonfinite": first_nonfinite(t, out),
            **extra}
    return Trace(metric, t, out, info)
