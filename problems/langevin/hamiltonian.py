r"""Minibatch SGHMC on a linear-Gaussian model: exact stationary laws of splitting integrators.

Claim under test (Franzese, Milios, Filippone & Michiardi [1], abstract, as retrieved):
"when considering mini-batches, the best achievable error rate is :math:`O(\eta^2)`, with
:math:`\eta` being the integrator step size".

**Model** (``gaussian_location_model``). Data :math:`x_1..x_n \in \mathbb R^d`, tempered
likelihood :math:`x_i \sim N(\theta, s^2 I)` with :math:`s^2 = n` (so that the posterior
precision is 1 whatever :math:`n`), prior :math:`N(0, \tau^{-1}I)` (flat when ``prior`` is
``None``, :math:`\tau = 0`):

.. math:: U(\theta) = \sum_i \frac{\|\theta - x_i\|^2}{2n} + \frac\tau2\|\theta\|^2, \quad
          \nabla U(\theta) = L\theta - \bar x, \quad L = 1 + \tau, \quad
          \pi = N(\bar x/L,\ L^{-1}I).

Minibatch gradient with a batch :math:`B` of :math:`b` indices drawn uniformly *without*
replacement: :math:`g(\theta) = \frac nb\sum_{i\in B}\nabla U_i + \tau\theta = L\theta -
\bar x_B`. Its noise :math:`\bar x - \bar x_B` is additive and independent of
:math:`\theta`, with covariance :math:`\sigma_g^2 I`,
:math:`\sigma_g^2 = s_x^2\,\frac{n-b}{b(n-1)}` [derived: the finite-population variance of a
sample mean], where :math:`s_x^2` is the per-coordinate population variance of the data,
which the generator makes exactly isotropic (the centred data are whitened).

**Integrators** of :math:`dq = p\,dt`, :math:`dp = -\nabla U dt - \gamma p\,dt +
\sqrt{2\gamma}\,dW` (unit mass and temperature), built from three operations:
kick :math:`K_a: p \leftarrow p - a\,g(q)` (a fresh minibatch at *every* kick, so the
kicks' noises are independent), drift :math:`A_a: q \leftarrow q + a p`, damping
:math:`O_{c,v}: p \leftarrow c\,p + \sqrt v\,\xi`. With :math:`h` = ``step_size``:

* ``"euler"``: SGHMC of Chen, Fox & Guestrin [2, eq. (15)]:
  :math:`p' = (1-h\gamma)p - h\,g(q) + N(0, v)`, :math:`q' = q + hp'`, i.e.
  :math:`O_{1-h\gamma,\,v}` then :math:`K_h` then :math:`A_h`, :math:`v = 2\gamma h`;
  1 gradient per step;
* ``"baoab"``: :math:`K_{h/2}A_{h/2}O_{c,v}A_{h/2}K_{h/2}`, :math:`c = e^{-\gamma h}`,
  :math:`v = 1 - c^2` (Leimkuhler & Matthews); 2 gradients per step (no first-same-as-last
  reuse: the two half kicks use independent minibatches);
* ``"fourth_order"``: :math:`O_{c,v}\,\Phi_h\,O_{c,v}` with :math:`c = e^{-\gamma h/2}`,
  :math:`v = 1 - c^2` (each :math:`O` is the exact half-step OU flow) and :math:`\Phi_h` the
  Forest-Ruth/Yoshida composition of velocity Verlet
  :math:`V_{w_1h}V_{w_0h}V_{w_1h}`, :math:`w_1 = 1/(2 - 2^{1/3})`,
  :math:`w_0 = -2^{1/3}/(2-2^{1/3})`, merged into the kicks and drifts
  :math:`K_{b_1h}A_{w_1h}K_{b_2h}A_{w_0h}K_{b_2h}A_{w_1h}K_{b_1h}`,
  :math:`b_1 = w_1/2`, :math:`b_2 = (w_1+w_0)/2` (4 gradients per step; the scheme is
  symmetric). With full gradients on this Gaussian its stationary position-variance error
  is :math:`O(h^4)` (log-log slope 4.01 on :math:`h \in [0.0125, 0.2]`, :math:`\gamma = 1`)
  [computed here with :func:`sghmc_exact`].

**Noise compensation** (``compensate=True``, Chen et al.'s :math:`\hat B` correction made
exact for this model): the injected damping variances are reduced by the variance that the
minibatch noise puts into the momentum per step, counted at the kicks,
:math:`\sum_{\text{kicks}} a_k^2\,\sigma_g^2` [derived: a kick :math:`K_a` adds
:math:`-a(\bar x - \bar x_B)`]: Euler :math:`v = 2\gamma h - h^2\sigma_g^2` (Chen's
:math:`2(C - \hat B)h` with :math:`\hat B = \frac h2\sigma_g^2`); BAOAB
:math:`v = 1 - c^2 - 2(h/2)^2\sigma_g^2`; fourth order, split equally over its two
:math:`O` steps, :math:`v = 1 - c^2 - \tfrac12(2b_1^2 + 2b_2^2)h^2\sigma_g^2`. A negative
:math:`v` is an error (the step is too large to compensate). For Euler the compensated
chain's noise equals the full-gradient chain's in covariance, so its error is Euler's own
:math:`O(h^2)`; the other schemes keep an :math:`O(h^2)` error from *where* the noise
enters (inside the splitting, not at the damping).

**Exact stationary law** [derived]: per coordinate, with :math:`z = (q - \bar x/L, p)`, each
operation is affine in :math:`z` with independent additive noise, so a step is
:math:`z' = Mz + \zeta`, :math:`\operatorname{Cov}\zeta = Q`, and the stationary covariance
solves :math:`\Sigma = M\Sigma M^\top + Q` (``scipy.linalg.solve_discrete_lyapunov``),
whenever the spectral radius of :math:`M` is below 1. Second moments of a linear recursion
depend on the noise only through its covariance, so :math:`\Sigma` is exact for the real
(non-Gaussian) minibatch noise of :func:`sghmc` too.

[1] G. Franzese, D. Milios, M. Filippone, P. Michiardi (2022). Revisiting the Effects of
    Stochasticity for Hamiltonian Samplers. ICML 2022 (arXiv:2106.16200).
[2] T. Chen, E. B. Fox, C. Guestrin (2014). Stochastic Gradient Hamiltonian Monte Carlo.
    ICML 2014. [recollection for the equation number]
"""
from __future__ import annotations

import numpy as np
import scipy.linalg

from problems import _validate as _checks
from problems import backend as _backend
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _sde_kernels, _sde_reference
from ._sde_kernels import DAMP, DRIFT, KICK

INTEGRATORS = ("euler", "baoab", "fourth_order")
EXACT_METRICS = ("variance_error", "momentum_variance_error")
SIM_METRICS = ("variance_ratio", "momentum_variance_ratio")
BACKENDS = _backend.BACKENDS
W1 = 1.0 / (2.0 - 2.0 ** (1.0 / 3.0))
W0 = -(2.0 ** (1.0 / 3.0)) / (2.0 - 2.0 ** (1.0 / 3.0))


def gaussian_location_model(rng, *, n_data=1000, dim=1, batch_size=10,
                            data_scale=2.0 * 10.0 ** 0.5, prior=None) -> Instance:
    r"""Data for the tempered Gaussian location model of the module docstring.

    Draw order: the location :math:`\mu_x \sim N(0, I_d)`, then :math:`Z` ``(n, d)``
    standard normal; :math:`Z` is centred and whitened exactly
    (:math:`\frac1n Z^\top Z = I`), and :math:`x_i = \mu_x + s Z_i` with :math:`s` =
    ``data_scale``. The default :math:`s^2 = 40` gives
    :math:`\sigma_g^2 = 40\cdot 990/(10\cdot 999) = 3.964` at :math:`n = 1000, b = 10`
    (the research notes' setting: additive gradient noise of standard deviation about 2).

    Parameters
    ----------
    n_data : int, at least ``dim + 1`` (the whitening needs full rank).
    dim : int
    batch_size : int in ``[1, n_data]`` (``n_data`` gives :math:`\sigma_g^2 = 0`).
    data_scale : float > 0, the per-coordinate standard deviation of the data.
    prior : float >= 0 or None, the prior precision :math:`\tau` (None: flat prior).

    Returns
    -------
    Instance
        ``data``: ``x`` (n, d), ``data_mean`` :math:`\bar x`, ``posterior_mean``
        :math:`\bar x/L`. ``constants``: ``L`` (posterior precision :math:`1+\tau`),
        ``target_variance`` (:math:`1/L`), ``gradient_noise_variance`` (:math:`\sigma_g^2`,
        from the stored data), ``data_variance`` (:math:`s_x^2`, realised), ``prior_precision``,
        ``dim``, ``n_data``, ``batch_size``.
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    n = _checks.integer("n_data", n_data, low=d + 1, fix="the centred data are whitened, "
                        "which needs n_data >= dim + 1")
    b = _checks.integer("batch_size", batch_size, low=1, high=n)
    s = _checks.positive("data_scale", data_scale, fix="pass the data's standard deviation")
    tau = 0.0 if prior is None else _checks.nonnegative(
        "prior", prior, fix="pass a prior precision >= 0, or None for a flat prior")
    location = rng.standard_normal(d)
    Z = rng.standard_normal((n, d))
    Z -= Z.mean(axis=0)
    lam, V = np.linalg.eigh(Z.T @ Z / n)
    Z = Z @ ((V / np.sqrt(lam)) @ V.T)
    x = location + s * Z
    mean = x.mean(axis=0)
    data_var = float(np.mean((x - mean) ** 2))
    L = 1.0 + tau
    constants = {"L": L, "target_variance": 1.0 / L,
                 "gradient_noise_variance": data_var * (n - b) / (b * (n - 1.0)),
                 "data_variance": data_var, "prior_precision": tau, "dim": d, "n_data": n,
                 "batch_size": b}
    return Instance(data={"x": x, "data_mean": mean, "posterior_mean": mean / L},
                    constants=constants,
                    name=f"gaussian_location_model(n={n}, d={d}, b={b}, s={s:g}, tau={tau:g})")


def sghmc_exact(instance, rng, *, integrator, step_size, friction=1.0, compensate=True,
                full_gradient=False, metric="variance_error") -> Trace:
    r"""The exact stationary covariance of an integrator (no simulation): a one-value Trace.

    ``"variance_error"``: :math:`|\operatorname{Var}_h(q) - \operatorname{Var}_\pi(q)| /
    \operatorname{Var}_\pi(q)` per coordinate (isotropic), :math:`\operatorname{Var}_\pi = 1/L`;
    ``"momentum_variance_error"``: :math:`|\operatorname{Var}_h(p) - 1|`. ``t = [step_size]``;
    ``rng`` is validated, not used. An unstable step (spectral radius :math:`\ge 1`) gives
    ``inf``. ``info``: ``stationary_covariance`` (2x2 over :math:`(q - \bar x/L, p)`),
    ``position_variance``, ``momentum_variance``, ``signed_variance_error``,
    ``momentum_variance_error``, ``transition_matrix``, ``noise_covariance``,
    ``spectral_radius``, ``stable``, and the schedule's settings (see :func:`sghmc`).
    """
    _checks.generator(rng)
    L, sigma2 = _model(instance, "sghmc_exact", full_gradient)
    h = _checks.positive("step_size", step_size, fix="pass the integrator step size")
    code = _checks.choice("metric", metric, EXACT_METRICS)
    kinds, a, b, settings = _schedule(integrator, h, friction, sigma2, compensate)
    M, Q = _transition(kinds, a, b, L, sigma2)
    radius = float(np.max(np.abs(np.linalg.eigvals(M))))
    info = {"transition_matrix": M, "noise_covariance": Q, "spectral_radius": radius,
            "stable": radius < 1.0, **settings}
    if radius < 1.0:
        S = scipy.linalg.solve_discrete_lyapunov(M, Q)
        S = 0.5 * (S + S.T)
        signed = S[0, 0] * L - 1.0
        info.update(stationary_covariance=S, position_variance=float(S[0, 0]),
                    momentum_variance=float(S[1, 1]), signed_variance_error=float(signed),
                    momentum_variance_error=float(abs(S[1, 1] - 1.0)))
        value = abs(signed) if code == 0 else abs(S[1, 1] - 1.0)
    else:
        info.update(stationary_covariance=None, signed_variance_error=np.inf,
                    momentum_variance_error=np.inf)
        value = np.inf
    return Trace(metric, np.array([h]), np.array([[value]]), info)


def sghmc(instance, rng, *, integrator, step_size, n_iter, chains, friction=1.0,
          compensate=True, full_gradient=False, burn_in=0, metric="variance_ratio",
          n_checkpoints=60, backend="numba") -> Trace:
    r"""Simulated SGHMC chains with real minibatches, vectorised over ``chains``.

    The integrator, compensation and gradients are those of the module docstring. Each
    chain starts at stationarity of the target: :math:`q_0 \sim N(\bar x/L, L^{-1}I)`,
    :math:`p_0 \sim N(0, I)`. Metric per chain (one row each), recorded at the checkpoints
    ``t`` (steps after ``burn_in``, :func:`problems.types.checkpoints` of ``n_iter``):
    the running time average over the states :math:`k = \text{burn\_in}, \dots,
    \text{burn\_in} + t` of :math:`\frac1d\sum_i L(q_i - \bar x_i/L)^2`
    (``"variance_ratio"``, expectation :math:`\operatorname{Var}_h(q)/\operatorname{Var}_\pi(q)`
    at stationarity) or of :math:`\frac1d\sum_i p_i^2` (``"momentum_variance_ratio"``).

    Randomness, in order: :math:`q_0` then :math:`p_0` (each ``(chains, d)``); then per chunk of
    ``m`` steps (at most ``problems.types.CHUNK_NUMBERS`` numbers): unless ``full_gradient``,
    ``rng.integers(arange(b), n, (m, kicks, chains, b))`` (the partial Fisher-Yates draws
    that pick each kick's batch, each chain keeping its own permutation of the data), then
    ``rng.standard_normal((m, dampings, chains, d))``; all drawn on the host. ``backend``:
    ``"numba"`` (the jitted kernel, the default) or an array back end of ``problems.backend``
    (``"numpy"``, ``"cupy"``, ``"array_api_strict"``), which runs the array-API twin in
    ``_sde_reference`` on the same numbers, each chunk moved to the device once; the result
    does not depend on the back end (beyond rounding).

    ``info``: ``integrator``, ``step_size``, ``friction``, ``compensate``, ``full_gradient``,
    ``injected_variances`` (per damping), ``minibatch_momentum_variance`` (what
    compensation subtracts per step), ``gradients_per_step``, ``stationary_ratio`` (the exact
    expectation of the metric from :func:`sghmc_exact`, ``None`` if unstable), ``chains``,
    ``burn_in``, ``backend``, ``first_nonfinite``.
    """
    rng = _checks.generator(rng)
    L, sigma2 = _model(instance, "sghmc", full_gradient)
    h = _checks.positive("step_size", step_size, fix="pass the integrator step size")
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    R = _checks.integer("chains", chains, low=1)
    burn_in = _checks.integer("burn_in", burn_in, low=0)
    statistic = _checks.choice("metric", metric, SIM_METRICS)
    _checks.choice("backend", backend, BACKENDS)
    xp = None if backend == "numba" else _backend.namespace(backend)  # BackendUnavailable here
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    kinds, a, b, settings = _schedule(integrator, h, friction, sigma2, compensate)
    exact = sghmc_exact(instance, rng, integrator=integrator, step_size=h, friction=friction,
                        compensate=compensate, full_gradient=full_gradient)
    S = exact.info["stationary_covariance"]
    x = np.ascontiguousarray(instance.data["x"], dtype=np.float64)
    n, d = x.shape
    B = 0 if full_gradient else int(instance.constants["batch_size"])
    mean = np.asarray(instance.data["posterior_mean"], dtype=np.float64)
    data_mean = np.asarray(instance.data["data_mean"], dtype=np.float64)
    q = mean + rng.standard_normal((R, d)) / np.sqrt(L)
    p = rng.standard_normal((R, d))
    perm = np.tile(np.arange(n, dtype=np.int64), (R, 1))
    n_kicks, n_damps = int(np.sum(kinds == KICK)), int(np.sum(kinds == DAMP))
    out, acc, cursor = np.full((R, t.size), np.nan), np.zeros(R), np.zeros(1, dtype=np.int64)
    low = np.arange(B, dtype=np.int64)
    model, scale = (x, data_mean, mean), L if statistic == 0 else 1.0
    if xp is not None:  # chains, permutations and sums stay on the device; the cursor is an int
        q, p, perm, acc = (_backend.to_device(xp, v) for v in (q, p, perm, acc))
        model, cursor = tuple(_backend.to_device(xp, v) for v in model), 0
    for t0, t1 in chunks(burn_in + int(t[-1]), R * (n_kicks * B + n_damps * d)):
        first, m = t0 + 1, t1 - t0
        draws = (rng.integers(low, n, size=(m, n_kicks, R, B)) if B else
                 np.zeros((m, n_kicks, R, 0), dtype=np.int64))
        normals = rng.standard_normal((m, n_damps, R, d))
        if xp is None:
            _sde_kernels._sghmc_segment(q, p, perm, *model, L, kinds, a, b, draws, normals,
                                        bool(full_gradient), m, first, burn_in, t, statistic,
                                        scale, cursor, acc, out)
        else:
            with np.errstate(all="ignore"):  # divergence is evidence (inf in out), not a warning
                q, p, perm, acc, cursor = _sde_reference._sghmc_segment(
                    xp, q, p, perm, *model, L, kinds, a, b, _backend.to_device(xp, draws),
                    _backend.to_device(xp, normals), bool(full_gradient), m, first, burn_in, t,
                    statistic, scale, cursor, acc, out)
    ratio = None if S is None else float(S[0, 0] * L if statistic == 0 else S[1, 1])
    info = {**settings, "stationary_ratio": ratio, "chains": R, "burn_in": burn_in,
            "backend": backend, "first_nonfinite": first_nonfinite(t, out)}
    return Trace(metric, t, out, info)


def variance_error(trace: Trace) -> float:
    r"""``trace -> float``: the relative stationary variance error.

    For a :func:`sghmc_exact` trace its value; for a :func:`sghmc` ``"variance_ratio"`` (or
    ``"momentum_variance_ratio"``) trace :math:`|\bar r - 1|` with :math:`\bar r` the mean over
    chains of the last recorded running average."""
    if trace.metric in EXACT_METRICS:
        return float(np.mean(trace.values[:, 0]))
    if trace.metric in SIM_METRICS:
        return float(abs(np.mean(trace.values[:, -1]) - 1.0))
    raise ValueError(f"variance_error needs a trace of sghmc_exact or sghmc, got metric "
                     f"{trace.metric!r}")


def _schedule(integrator, h, friction, sigma2, compensate):
    """Operation codes, coefficients and the settings recorded in ``info``."""
    name = INTEGRATORS[_checks.choice("integrator", integrator, INTEGRATORS)]
    gamma = _checks.positive("friction", friction, fix="pass the friction gamma > 0")
    if not isinstance(compensate, (bool, np.bool_)):
        raise ValueError(f"compensate must be True or False, got {compensate!r}")
    if name == "euler":
        kicks, c, v = [h], 1.0 - gamma * h, 2.0 * gamma * h
        ops = [(DAMP, c, None), (KICK, h, 0.0), (DRIFT, h, 0.0)]
    elif name == "baoab":
        kicks, c = [h / 2, h / 2], np.exp(-gamma * h)
        v = -np.expm1(-2.0 * gamma * h)
        ops = [(KICK, h / 2, 0.0), (DRIFT, h / 2, 0.0), (DAMP, c, None), (DRIFT, h / 2, 0.0),
               (KICK, h / 2, 0.0)]
    else:
        b1, b2 = W1 / 2.0, (W1 + W0) / 2.0
        kicks, c = [b1 * h, b2 * h, b2 * h, b1 * h], np.exp(-gamma * h / 2.0)
        v = -np.expm1(-gamma * h)
        core = [(KICK, b1 * h, 0.0), (DRIFT, W1 * h, 0.0), (KICK, b2 * h, 0.0),
                (DRIFT, W0 * h, 0.0), (KICK, b2 * h, 0.0), (DRIFT, W1 * h, 0.0),
                (KICK, b1 * h, 0.0)]
        ops = [(DAMP, c, None)] + core + [(DAMP, c, None)]
    n_damps = sum(kind == DAMP for kind, _, _ in ops)
    minibatch = float(sum(k * k for k in kicks) * sigma2)
    v_inj = v - (minibatch / n_damps if compensate else 0.0)
    if v_inj < 0:
        raise ValueError(
            f"step_size={h!r} is too large to compensate the minibatch noise: the injected "
            f"variance {v!r} minus the minibatch variance {minibatch / n_damps!r} is negative; "
            f"pass a smaller step_size or compensate=False")
    kinds = np.array([k for k, _, _ in ops], dtype=np.int64)
    a = np.array([coef for _, coef, _ in ops], dtype=np.float64)
    b = np.array([np.sqrt(v_inj) if k == DAMP else 0.0 for k, _, _ in ops], dtype=np.float64)
    settings = {"integrator": name, "step_size": h, "friction": gamma,
                "compensate": bool(compensate), "injected_variances": [v_inj] * n_damps,
                "minibatch_momentum_variance": minibatch, "gradients_per_step": len(kicks),
                "gradient_noise_variance": float(sigma2)}
    return kinds, a, b, settings


def _transition(kinds, a, b, L, sigma2):
    r""":math:`M` and :math:`Q` of one step on :math:`z = (q - \bar x/L, p)` (one coordinate)."""
    M, G = np.eye(2), np.zeros((2, 0))
    for kind, coef, std in zip(kinds, a, b):
        if kind == KICK:
            S = np.array([[1.0, 0.0], [-coef * L, 1.0]])
            added = np.array([[0.0], [-coef * np.sqrt(sigma2)]])
        elif kind == DRIFT:
            S, added = np.array([[1.0, coef], [0.0, 1.0]]), np.zeros((2, 0))
        else:
            S, added = np.array([[1.0, 0.0], [0.0, coef]]), np.array([[0.0], [std]])
        M, G = S @ M, np.hstack([S @ G, added])
    return M, G @ G.T


def _model(instance, method, full_gradient):
    """``L`` and the gradient-noise variance used (0 with ``full_gradient``)."""
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         "build one with gaussian_location_model")
    missing = [k for k in ("x", "data_mean", "posterior_mean") if k not in instance.data]
    missing += [k for k in ("L", "gradient_noise_variance", "batch_size")
                if k not in instance.constants]
    if missing:
        raise ValueError(f"instance {instance.name!r} lacks {missing} that {method} needs; "
                         "build it with gaussian_location_model")
    if not isinstance(full_gradient, (bool, np.bool_)):
        raise ValueError(f"full_gradient must be True or False, got {full_gradient!r}")
    sigma2 = 0.0 if full_gradient else float(instance.constants["gradient_noise_variance"])
    return float(instance.constants["L"]), sigma2
