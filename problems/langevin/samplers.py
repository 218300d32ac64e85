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

Seeds as one batched state: ``ula.over_seeds``, ``mala.over_seeds`` and ``sgld.over_seeds``
(``(instances, rngs, params)``, one parameter dict per seed) return the traces of the per-seed
calls. On an array back end, when the instances' kinds and shapes and every parameter but
``step_size`` (which resolves per instance, e.g. ``0.3/L``) agree, they stack the seeds: the
chains become ``(S, chains, d)``, each seed's randomness is drawn from its own three streams as
its single call draws it and stacked, and the twins step all seeds at once (a single call is
``S = 1``), so each trace equals the per-seed call's. A chunk then holds ``CHUNK_NUMBERS`` over
all seeds (memory flat in ``S``; a chunk of 8 x 32 MiB no longer stays in cache): its steps
are fewer than the single call's, which changes no number (a stream drawn in pieces is the same
stream, and a chunk boundary only recomputes MALA's gradient and potential from the state).
Otherwise, and on ``"numba"`` (whose kernels gain nothing), they run seed by seed.

[1] G. O. Roberts, R. L. Tweedie (1996). Exponential convergence of Langevin distributions and
    their discrete approximations. Bernoulli 2(4).
[2] M. Welling, Y. W. Teh (2011). Bayesian learning via stochastic gradient Langevin dynamics. ICML.
"""
from __future__ import annotations

import inspect

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
    return _ula([_setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints,
                        backend, stable=True)])[0]


def mala(instance, rng, *, step_size, n_iter, chains=1000, burn_in=0, metric="variance_ratio",
         n_checkpoints=60, backend="numba") -> Trace:
    r"""MALA: the ULA proposal accepted with probability
    :math:`\min\{1, \pi(y)q(x|y)/(\pi(x)q(y|x))\}`, :math:`q(y|x) = N(y; x - h\nabla U(x), 2hI)`.
    Any :math:`h > 0` (a large step only lowers the acceptance). ``info`` as :func:`ula`, plus
    ``acceptance_rate`` (accepted moves after the burn-in over chains times ``n_iter``)."""
    return _mala([_setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints,
                         backend, stable=False)])[0]


def sgld(instance, rng, *, step_size, n_iter, batch_size, chains=1000, burn_in=0,
         metric="variance_ratio", n_checkpoints=60, backend="numba") -> Trace:
    r"""SGLD on ``bayesian_linear_regression``:
    :math:`w \leftarrow w - h\big(\alpha w + \frac nB\sum_{i\in\mathcal B}\nabla U_i(w)\big) + \sqrt{2h}\,\xi`,
    :math:`\nabla U_i(w) = x_i(x_i^\top w - y_i)/\sigma^2`, a fresh batch per step and chain,
    drawn uniformly **without replacement** (see ``_kernels._sgld_chunk``). ``batch_size = n_data``
    is the whole data set, draws no batch uniforms, and is ULA on the posterior (same increments,
    equal to rounding). The exact stationary covariance, minibatch inflation included, is
    ``gaussian.sgld_stationary_covariance``. ``info`` as :func:`ula`, plus ``batch_size``."""
    return _sgld([_sgld_setup(instance, rng, step_size, n_iter, batch_size, chains, burn_in, metric,
                              n_checkpoints, backend)])[0]


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
    x, xp = _device(run, run["x"]), run["xp"]
    y = x.copy() if xp is None else xp.asarray(x, copy=True)
    direction = _device(run, u)
    squared = np.zeros(t.size)
    px, py = np.zeros((t.size, C)), np.zeros((t.size, C))
    common = (run["target"], _device(run, run["precision"]), _device(run, run["mean"]), run["coupling"])
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
    """Validated arguments, the target's arrays (host NumPy), the observable and the streams
    (``rng.spawn(3)``): one seed's run, which :func:`_chains` places where it computes."""
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
    return {"xp": xp, "target": _kernels.LOGCOSH if logcosh else _kernels.GAUSSIAN,
            "coupling": float(instance.data["coupling"]) if logcosh else 0.0,
            "h": h, "n_iter": n_iter, "chains": C, "burn_in": burn_in, "n_checkpoints": K,
            "code": code, "scale": scale, "t": t, "streams": rng.spawn(3), "backend": backend,
            "kind": target_kind, "metric": metric, "precision": dense, "direction": direction,
            "x": np.tile(x0, (C, 1)),
            "mean": np.ascontiguousarray(instance.data["mean"], dtype=np.float64)}


def _sgld_setup(instance, rng, step_size, n_iter, batch_size, chains, burn_in, metric,
                n_checkpoints, backend) -> dict:
    """:func:`_setup` for :func:`sgld`, with the data set and the validated ``batch_size``."""
    if kind(instance) != LINEAR_REGRESSION:
        raise ValueError(f"sgld needs a 'linear_regression' target (a finite sum), got kind "
                         f"{instance.data['kind']!r}; build one with bayesian_linear_regression")
    run = _setup(instance, rng, step_size, n_iter, chains, burn_in, metric, n_checkpoints,
                 backend, stable=True)
    X = np.ascontiguousarray(instance.data["design"], dtype=np.float64)
    y = np.ascontiguousarray(instance.data["response"], dtype=np.float64)
    B = _checks.integer("batch_size", batch_size, low=1, high=X.shape[0],
                        fix="pass a minibatch size between 1 and n_data")
    return run | {"design": X, "response": y, "batch_size": B,
                  "noise_variance": instance.constants["noise"] ** 2,
                  "prior_precision": instance.constants["prior_precision"]}


def _ula(runs) -> list:
    """ULA on the runs (one for "numba"; one or several seeds stacked on an array back end)."""
    b, k = _chains(runs), 0
    common = (b["target"], b["precision"], b["mean"], b["coupling"])
    observe = (b["code"], b["direction"], b["scale"], b["t"])
    for t0, _, noise in _increments(b, per_step=0):
        if b["xp"] is None:
            k = _kernels._ula_chunk(*common, b["x"], noise, b["h"], t0, b["burn_in"], *observe, k,
                                    b["acc"], b["out"])
        else:
            b["x"], b["acc"], k = _quiet(
                _reference._ula_chunk, b["xp"], *common, b["x"], noise, b["h"], t0, b["burn_in"],
                *observe, k, b["acc"], b["out"])
    return _traces(runs, b)


def _mala(runs) -> list:
    """MALA on the runs, as :func:`_ula`; each trace's ``acceptance_rate`` is its seed's."""
    b, k = _chains(runs), 0
    C = b["chains"]
    accepted = _fresh(b, np.zeros(C, dtype=np.int64))
    common = (b["target"], b["precision"], b["mean"], b["coupling"])
    observe = (b["code"], b["direction"], b["scale"], b["t"])
    for t0, m, noise in _increments(b, per_step=1):
        uniforms = _draw(b, 1, "random", (m, C))
        if b["xp"] is None:
            k = _kernels._mala_chunk(*common, b["x"], noise, uniforms, b["h"], t0, b["burn_in"],
                                     *observe, k, b["acc"], accepted, b["out"])
        else:
            b["x"], b["acc"], accepted, k = _quiet(
                _reference._mala_chunk, b["xp"], *common, b["x"], noise, uniforms, b["h"], t0,
                b["burn_in"], *observe, k, b["acc"], accepted, b["out"])
    totals = np.reshape(_backend.to_numpy(accepted), (len(runs), C)).sum(axis=1)
    return _traces(runs, b, [{"acceptance_rate": float(int(total) / (C * b["n_iter"]))}
                             for total in totals])


def _sgld(runs) -> list:
    """SGLD on the runs, as :func:`_ula` (the seeds share ``n_data``, ``d`` and ``batch_size``)."""
    b, k = _chains(runs), 0
    (n, d), B, C = runs[0]["design"].shape, runs[0]["batch_size"], b["chains"]
    width = 0 if B == n else B
    X, y = _seeds(b, runs, "design", n, d), _seeds(b, runs, "response", n)
    sigma2, alpha = _seeds(b, runs, "noise_variance", 1, 1), _seeds(b, runs, "prior_precision", 1, 1)
    permutation = _fresh(b, np.tile(np.arange(n, dtype=np.int64), (C, 1)))
    observe = (b["code"], b["mean"], b["direction"], b["scale"], b["t"])
    for t0, m, noise in _increments(b, per_step=width):
        uniforms = _draw(b, 2, "random", (m, C, width))
        if b["xp"] is None:
            k = _kernels._sgld_chunk(X, y, sigma2, alpha, b["x"], noise, uniforms, permutation,
                                     B, b["h"], t0, b["burn_in"], *observe, k, b["acc"], b["out"])
        else:
            b["x"], permutation, b["acc"], k = _quiet(
                _reference._sgld_chunk, b["xp"], X, y, sigma2, alpha, b["x"], noise, uniforms,
                permutation, B, b["h"], t0, b["burn_in"], *observe, k, b["acc"], b["out"])
    return _traces(runs, b, [{"batch_size": B}] * len(runs))


def _over_seeds(method, setup, sample, instances, rngs, params) -> list:
    """``[method(instance, rng, **p) ...]`` over the seeds, as one batched state where it can be
    (see the module docstring): each seed's run is validated and set up by ``setup`` (the
    single call's own checks, in its order), then ``sample`` steps them all at once."""
    def one_by_one():
        return [method(instance, rng, **p) for instance, rng, p in zip(instances, rngs, params)]

    shared = [{key: value for key, value in p.items() if key != "step_size"} for p in params]
    shapes = {(i.data.get("kind"), np.shape(i.data.get("x0")), np.shape(i.data.get("design")))
              for i in instances}
    if (not params or params[0].get("backend", "numba") == "numba" or len(shapes) > 1
            or any(p.keys() != params[0].keys() or other != shared[0]
                   for p, other in zip(params, shared))):
        return one_by_one()
    signature = inspect.signature(method)
    try:
        bound = [signature.bind(instance, rng, **p)
                 for instance, rng, p in zip(instances, rngs, params)]
    except TypeError:
        return one_by_one()  # raises the single call's own error
    for arguments in bound:
        arguments.apply_defaults()
    return sample([setup(**arguments.arguments) for arguments in bound])


ula.over_seeds = lambda instances, rngs, params: _over_seeds(
    ula, lambda **a: _setup(**a, stable=True), _ula, instances, rngs, params)
mala.over_seeds = lambda instances, rngs, params: _over_seeds(
    mala, lambda **a: _setup(**a, stable=False), _mala, instances, rngs, params)
sgld.over_seeds = lambda instances, rngs, params: _over_seeds(
    sgld, _sgld_setup, _sgld, instances, rngs, params)


def _chains(runs) -> dict:
    """The runs where they compute, with their running sums ``acc`` and the host ``out``: the
    single run's host arrays for "numba" (``out`` ``(chains, K)``); on an array back end every
    run stacked along a leading seed axis on the device (shapes in ``_reference``; ``out``
    ``(S, chains, K)``), ``streams`` one triple per seed."""
    run = runs[0]
    b = dict(run, streams=[r["streams"] for r in runs], buffers={})
    (C, d), K = run["x"].shape, run["t"].size
    b |= {"x": _seeds(b, runs, "x", C, d),
          "precision": _seeds(b, runs, "precision", *run["precision"].shape),
          "mean": _seeds(b, runs, "mean", 1, d), "direction": _seeds(b, runs, "direction", d, 1),
          "h": _seeds(b, runs, "h", 1, 1), "coupling": _seeds(b, runs, "coupling", 1, 1),
          "scale": _seeds(b, runs, "scale", 1), "acc": _fresh(b, np.zeros(C)),
          "out": np.full((C, K) if run["xp"] is None else (len(runs), C, K), np.nan)}
    return b


def _seeds(b, runs, key, *shape):
    """``run[key]`` as it is for "numba" (one run); else the runs' values stacked to
    ``(S, *shape)`` on the device."""
    if b["xp"] is None:
        return runs[0][key]
    return _backend.to_device(b["xp"], np.reshape(np.stack([np.asarray(r[key], dtype=np.float64)
                                                            for r in runs]), (len(runs), *shape)))


def _fresh(b, array):
    """A new state array from the host ``array``: itself for "numba", else one copy per seed on
    the device (``(S, *array.shape)``)."""
    if b["xp"] is None:
        return array
    return _backend.to_device(b["xp"], np.tile(array, (len(b["streams"]),) + (1,) * array.ndim))


def _draw(b, stream, method, shape):
    """Each seed's chunk ``streams[stream].<method>(shape)`` (``shape`` = ``(m, chains, ...)``):
    the one host array for "numba"; else ``(S, m, chains, ...)``, each seed's block drawn in
    place (``out=``: the same numbers) into a host buffer the run reuses from chunk to chunk (no
    copy, no fresh pages), moved to the device once."""
    if b["xp"] is None:
        return getattr(b["streams"][0][stream], method)(shape)
    buffer = b["buffers"].get(stream)
    if buffer is None or buffer.shape[2:] != shape[1:] or buffer.shape[1] < shape[0]:
        buffer = b["buffers"][stream] = np.empty((len(b["streams"]), *shape))
    for s, streams in enumerate(b["streams"]):
        getattr(streams[stream], method)(shape, out=buffer[s, :shape[0]])
    return _backend.to_device(b["xp"], buffer[:, :shape[0]])


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


def _increments(b, per_step):
    """``(t0, m, noise)`` chunks over all ``burn_in + n_iter`` steps; ``noise`` is
    ``(m, chains, d)`` from stream 0 of each seed (stacked by :func:`_draw`), sized so that the
    seeds' draws in a chunk (``per_step`` more numbers per chain and step from the other streams
    included) stay under ``problems.types.CHUNK_NUMBERS`` together."""
    C, d = b["chains"], b["mean"].shape[-1]
    for t0, t1 in chunks(b["burn_in"] + b["n_iter"], len(b["streams"]) * C * (d + per_step)):
        yield t0, t1 - t0, _draw(b, 0, "standard_normal", (t1 - t0, C, d))


def _traces(runs, b, extras=None) -> list:
    """One trace per run: its rows of ``out`` and of the final state, its own ``info``."""
    S, (C, K) = len(runs), b["out"].shape[-2:]
    outs = np.reshape(b["out"], (S, C, K))
    finals = np.reshape(_backend.to_numpy(b["x"]), (S, C, -1))
    return [_trace(run, outs[s], finals[s], **(extras[s] if extras else {}))
            for s, run in enumerate(runs)]


def _trace(run, out, final_state, **extra) -> Trace:
    t = run["t"]
    se = np.std(out, axis=0, ddof=1) / np.sqrt(out.shape[0]) if out.shape[0] > 1 \
        else np.full(t.size, np.nan)
    info = {"step_size": run["h"], "chains": run["chains"], "burn_in": run["burn_in"],
            "backend": run["backend"], "kind": run["kind"], "standard_error": se,
            "final_state": final_state, "first_nonfinite": first_nonfinite(t, out), **extra}
    return Trace(run["metric"], t, out, info)
