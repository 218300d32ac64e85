r"""SOR iteration counts on shifted Poisson systems, and bandits that learn the relaxation.

**SOR sweep** (``_kernels.py``): lexicographic successive over-relaxation on the 5-point stencil
from :math:`x_0 = 0`; the cost of a solve is the number of sweeps :math:`k` to the first
:math:`\|b - A x_k\| \le \mathrm{tol}\,\|b\|` (``tol`` and the cap ``max_iter`` come from the
instance). A solve that does not get there within ``max_iter`` sweeps costs ``max_iter`` and is
counted in ``info["capped_runs"]``.

**Bandits** (Khodak, Chow, Balcan & Talwalkar [1], as retrieved: the abstract — a bandit that
sees only iteration counts has overall cost approaching that of the best fixed
:math:`\omega`; the paper's algorithm is Tsallis-INF based, its exact variant and rates were
not retrieved). Round :math:`t = 1..T`: the learner picks arm :math:`A_t` among the
relaxations :math:`\omega_1 < \dots < \omega_K` and observes only
:math:`\ell_t(A_t) = \mathrm{iters}_t(\omega_{A_t})/\mathrm{max\_iter} \in [0, 1]`. With the
importance-weighted estimates :math:`\hat L_{t,k} = \sum_{s \le t} \ell_s(k)\,1\{A_s = k\}/p_{s,k}`:

* Exp3 (losses, anytime): :math:`p_{t,k} \propto \exp(-\eta_t \hat L_{t-1,k})`,
  :math:`\eta_t = \sqrt{2\ln K/(K t)}`. Pseudo-regret bound [derived here from the standard
  FTRL bound :math:`\ln K/\eta_T + \frac K2\sum_t \eta_t` with :math:`\sum_{t\le T} t^{-1/2}
  \le 2\sqrt T`]: :math:`(1/\sqrt2 + \sqrt2)\sqrt{TK\ln K}`.
* 1/2-Tsallis-INF (Zimmert & Seldin [2], recollection): :math:`p_{t,k} = 4\big(\eta_t(\hat
  L_{t-1,k} - x_t)\big)^{-2}`, :math:`\eta_t = 2/\sqrt t`, with :math:`x_t < \min_k \hat
  L_{t-1,k}` the normaliser making :math:`\sum_k p_{t,k} = 1`. :math:`f(x) = \sum_k p_k(x) - 1`
  is increasing and convex on :math:`x < \min_k\hat L_k` with :math:`f'(x) = \eta\sum_k
  p_k^{3/2}`, so Newton from :math:`x_0 = \min_k \hat L_k - 2/\eta` (where the best arm alone
  has weight 1, :math:`f \ge 0`) decreases monotonically to the root [derived here]; it stops
  at :math:`f \le 10^{-13}` (at most 100 steps) and the weights are divided by their sum.
  Bound [2, Theorem 1, recollection]: :math:`4\sqrt{KT} + 1`.

Both bounds are on the expected regret against a fixed arm for losses in :math:`[0, 1]`
chosen in advance (oblivious), which is the case here: the cost matrix is fixed by the
instance. Regret here is the realised one against the best fixed arm **in hindsight for each
prefix**: :math:`R_T = \sum_{t \le T}\ell_t(A_t) - \min_k\sum_{t\le T}\ell_t(k)`, in normalised
units (multiply by ``max_iter`` for iterations). Arms are drawn by inverse CDF from host
uniforms ``rng.random((replicas, chunk))``, chunk by chunk of at most ``CHUNK`` rounds.

Back ends (``backend``): the Numba kernels (``"numba"``) or their array-API twins on
``"numpy"``, ``"cupy"`` or ``"array_api_strict"`` (:mod:`problems.backend`): randomness is
drawn on the host as above whichever runs, the shifts, right-hand sides, arms, cost matrix,
uniforms and the bandits' state are moved to the device, counts and checkpoints come home;
``info["backend"]`` says which ran.

[1] M. Khodak, E. Chow, M.-F. Balcan, A. Talwalkar (2024). Learning to Relax: Setting Solver
    Parameters Across a Sequence of Linear System Instances. ICLR (arXiv:2310.02246).
[2] J. Zimmert, Y. Seldin (2021). Tsallis-INF: An Optimal Algorithm for Stochastic and
    Adversarial Bandits. JMLR 22.
"""
from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels, _reference
from .generators import check_omegas, jacobi_radius, sor_spectral_radius, young_omega

METRICS = ("iterations", "best_omega")
BANDIT_METRICS = ("average_regret", "regret")
ALGORITHMS = ("exp3", "tsallis_inf")
BACKENDS = problems.backend.BACKENDS
CHUNK = 2**14  # bandit rounds per host draw of uniforms
_CACHE_SIZE = 4
_COST_CACHE: OrderedDict = OrderedDict()  # content hash -> (iterations, capped, seconds)


def sor_cost_matrix(instance, rng, *, omegas=None, backend="numba") -> np.ndarray:
    r"""SOR sweep counts, shape ``(horizon, K)``: entry :math:`(t, k)` solves
    :math:`A_{c_t}x = b_t` with :math:`\omega_k` (capped at ``max_iter``). Serial over
    systems, deterministic. ``omegas`` defaults to the instance's arms; ``rng`` is validated,
    not used. Memoised on the content of the instance (see :func:`bandit_relaxation`)."""
    iterations, _, _, _ = _cost_matrix(instance, rng, omegas, backend)
    return iterations.copy()


def sor_iterations(instance, rng, *, omegas=None, shift=0.0, metric="iterations", replicas=1,
                   backend="numba") -> Trace:
    r"""Sweep counts of SOR on :math:`A_c = ` 5-point Laplacian :math:`+\, c I` (grid, ``tol``,
    ``max_iter`` from the instance) against the relaxation: ``t`` = ``omegas``, one row per
    replica, each with its own :math:`b \sim N(0, I)` drawn from ``rng`` (``rng.standard_normal
    ((replicas, g, g))``).

    ``info``: ``best_omega`` (fewest mean iterations, ties to the smallest :math:`\omega`),
    ``young_omega`` :math:`\omega^\star(c)` from :math:`\rho(J) = 4\cos(\pi/(g+1))/(4 + c)`
    (consistently ordered, so Young's theory holds for every :math:`c \ge 0`; see
    ``generators``), ``jacobi_radius``, ``young_radius`` :math:`\omega^\star - 1`,
    ``sor_radius`` (Young's :math:`\rho(\mathcal L_\omega)` per arm), ``predicted_iterations``
    :math:`\ln(1/\mathrm{tol})/\ln(1/\rho(\mathcal L_\omega))` (asymptotic, per arm),
    ``omega_spacing`` (largest gap of the grid of arms), ``capped`` / ``capped_runs``,
    ``grid``, ``tol``, ``max_iter``, ``shift``, ``backend``.

    ``metric="best_omega"`` returns the one number a claim about the optimal relaxation
    needs: ``t = [shift]`` and one value, the ``best_omega`` above (the counts stay in
    ``info["iterations"]``).
    """
    g, tol, max_iter, (impl, move) = _instance_settings(instance, rng, backend)
    arms = _arms(instance, omegas)
    c = _checks.nonnegative("shift", shift, fix="the shifted Laplacian needs c >= 0")
    _checks.one_of("metric", metric, METRICS)
    R = _checks.integer("replicas", replicas, low=1, high=10**5)
    rhs = rng.standard_normal((R, g, g))
    out = np.empty((R, arms.size), dtype=np.int64)
    with np.errstate(all="ignore"):  # a diverging solve is counted as capped, not warned
        impl._sor_counts(move(np.full(R, c)), move(rhs), move(arms), tol, max_iter, out)
    capped = out < 0
    values = np.where(capped, max_iter, out).astype(np.float64)
    mu = jacobi_radius(g, c)
    radius = np.array([sor_spectral_radius(w, mu) for w in arms])
    with np.errstate(divide="ignore"):
        predicted = np.log(1.0 / tol) / np.log(1.0 / radius)
    info = {"best_omega": float(arms[np.argmin(values.mean(axis=0))]),
            "young_omega": young_omega(mu), "jacobi_radius": mu,
            "young_radius": young_omega(mu) - 1.0, "sor_radius": radius,
            "predicted_iterations": predicted,
            "omega_spacing": float(np.max(np.diff(arms))) if arms.size > 1 else 0.0,
            "capped": capped, "capped_runs": int(capped.sum()), "grid": g, "tol": tol,
            "max_iter": max_iter, "shift": c, "backend": backend}
    if metric == "best_omega":
        return Trace(metric, np.array([c]), np.array([[info["best_omega"]]]), {**info, "iterations": values})
    return Trace(metric, arms, values, info)


def best_omega(trace: Trace) -> float:
    """The relaxation with the fewest iterations (mean over replicas; ties: the smallest)."""
    if not isinstance(trace, Trace) or trace.metric != "iterations":
        raise ValueError(f"best_omega needs a Trace from sor_iterations (metric 'iterations'), "
                         f"got {getattr(trace, 'metric', type(trace).__name__)!r}")
    mean = trace.values.mean(axis=0)
    return float(trace.t[np.flatnonzero(mean == mean.min()).min()])


def bandit_relaxation(instance, rng, *, algorithm="exp3", omegas=None, replicas=1,
                      n_checkpoints=40, metric="average_regret", record_at=None,
                      backend="numba") -> Trace:
    r"""Exp3 or 1/2-Tsallis-INF choosing :math:`\omega_t` for the instance's sequence, seeing
    only the (normalised) iteration count of the arm played (module docstring).

    The cost matrix (all systems :math:`\times` all arms, :func:`sor_cost_matrix`) is computed
    once per call and memoised across calls on a hash of the instance's shifts, right-hand
    sides, arms, ``tol``, ``max_iter`` and the back end (the last few are kept), so several
    algorithms on one instance pay for it once.

    Parameters
    ----------
    algorithm : {"exp3", "tsallis_inf"}
    omegas : sequence of float, optional
        The arms (strictly increasing, in (0, 2)); default the instance's.
    replicas : int
        Independent runs of the bandit on the same sequence (rows of ``values``).
    n_checkpoints : int
        Log-spaced rounds :math:`T` (``checkpoints(horizon, n)`` without 0).
    metric : {"average_regret", "regret"}
        :math:`R_T/T` or :math:`R_T` per replica.
    record_at : sequence of int, optional
        Explicit rounds (strictly increasing, in ``[1, horizon]``) instead of the checkpoints.

    ``info``: ``algorithm``, ``omegas``, ``max_iter``, ``pulls`` (replicas, K),
    ``algorithm_iterations`` (replicas,) total sweeps paid, ``best_fixed_cost``,
    ``instance_optimal_cost`` (:math:`\sum_t\min_k\ell_t(k)`) and ``regret_bound`` (the
    textbook bound above) at each ``t``, ``best_arm`` / ``best_omega`` in hindsight, all up to
    the last recorded round (the rounds played), ``capped_runs`` (over the whole cost
    matrix), ``cost_matrix_seconds``, ``cost_matrix_cached``, ``backend``, ``first_nonfinite``.
    """
    code = _checks.choice("algorithm", algorithm, ALGORITHMS)
    _checks.one_of("metric", metric, BANDIT_METRICS)
    R = _checks.integer("replicas", replicas, low=1, high=10**5)
    iterations, capped, seconds, cached = _cost_matrix(instance, rng, omegas, backend)
    max_iter = int(instance.constants["max_iter"])
    T, K = iterations.shape
    t = _record_rounds(record_at, n_checkpoints, T)
    costs = iterations / max_iter
    impl, move = _backend(backend)
    # the state lives on the device between chunks; only the uniforms travel per chunk
    L_hat, alg_cost = move(np.zeros((R, K))), move(np.zeros(R))
    pulls, out = move(np.zeros((R, K), dtype=np.int64)), np.full((R, t.size), np.nan)
    device_costs = move(costs)
    with np.errstate(all="ignore"):  # frozen Newton rows may divide by zero; never read
        for start in range(0, int(t[-1]), CHUNK):
            uniforms = rng.random((R, min(CHUNK, int(t[-1]) - start)))
            impl._bandit(device_costs, move(uniforms), start, code, L_hat, alg_cost, pulls, t,
                         out)
    alg_cost, pulls = problems.backend.to_numpy(alg_cost), problems.backend.to_numpy(pulls)
    prefix = np.cumsum(costs, axis=0)[t - 1]
    best_fixed = prefix.min(axis=1)
    regret = out - best_fixed[None, :]
    values = regret / t if metric == "average_regret" else regret
    best_arm, arms = int(np.argmin(prefix[-1])), _arms(instance, omegas)
    info = {"algorithm": algorithm, "omegas": arms, "max_iter": max_iter, "pulls": pulls,
            "algorithm_iterations": np.round(alg_cost * max_iter).astype(np.int64),
            "best_fixed_cost": best_fixed,
            "instance_optimal_cost": np.cumsum(costs.min(axis=1))[t - 1],
            "regret_bound": _regret_bound(code, K, t), "best_arm": best_arm,
            "best_omega": float(arms[best_arm]), "capped_runs": int(capped.sum()),
            "cost_matrix_seconds": seconds, "cost_matrix_cached": cached, "backend": backend,
            "first_nonfinite": first_nonfinite(t, values)}
    return Trace(metric, t, values, info)


def _arms(instance, omegas) -> np.ndarray:
    return check_omegas(instance.data["omegas"] if omegas is None else omegas)


def _regret_bound(code: int, K: int, t: np.ndarray) -> np.ndarray:
    t = t.astype(np.float64)
    if code == _kernels.EXP3:
        return (1.0 / math.sqrt(2.0) + math.sqrt(2.0)) * np.sqrt(t * K * math.log(K))
    return 4.0 * np.sqrt(K * t) + 1.0


def _record_rounds(record_at, n_checkpoints, T: int) -> np.ndarray:
    if record_at is None:
        n = _checks.integer("n_checkpoints", n_checkpoints, low=2)
        return checkpoints(T, n)[1:]
    try:
        t = np.asarray(record_at, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"record_at must be a sequence of rounds, got {record_at!r}") from None
    if (t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)) or np.any(t != np.round(t))
            or t.min() < 1 or t.max() > T or np.any(np.diff(t) <= 0)):
        raise ValueError(f"record_at must be strictly increasing integers in [1, {T}] (the "
                         f"horizon), got {record_at!r}")
    return t.astype(np.int64)


def _cost_matrix(instance, rng, omegas, backend):
    """``(iterations capped at max_iter, capped mask, seconds, from_cache)``, memoised."""
    g, tol, max_iter, (impl, move) = _instance_settings(instance, rng, backend)
    arms = _arms(instance, omegas)
    shifts = np.ascontiguousarray(instance.data["shifts"], dtype=np.float64)
    rhs = np.ascontiguousarray(instance.data["rhs"], dtype=np.float64)
    if shifts.ndim != 1 or rhs.shape != (shifts.size, g, g):
        raise ValueError(f"instance {instance.name!r}: shifts {shifts.shape} and rhs {rhs.shape} "
                         f"do not describe one sequence on a {g}x{g} grid; use shifted_laplacians")
    key = hashlib.sha256(b"".join([shifts.tobytes(), rhs.tobytes(), arms.tobytes(),
                                   repr((tol, max_iter, g, backend)).encode()])).hexdigest()
    if key in _COST_CACHE:
        _COST_CACHE.move_to_end(key)
        return (*_COST_CACHE[key], True)
    start = time.perf_counter()
    out = np.empty((shifts.size, arms.size), dtype=np.int64)
    with np.errstate(all="ignore"):  # a diverging solve is counted as capped, not warned
        impl._sor_counts(move(shifts), move(rhs), move(arms), tol, max_iter, out)
    seconds = time.perf_counter() - start
    capped = out < 0
    iterations = np.where(capped, max_iter, out)
    for array in (iterations, capped):
        array.setflags(write=False)
    _COST_CACHE[key] = (iterations, capped, seconds)
    while len(_COST_CACHE) > _CACHE_SIZE:
        _COST_CACHE.popitem(last=False)
    return iterations, capped, seconds, False


def _instance_settings(instance, rng, backend):
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         f"build one with shifted_laplacians")
    missing = [k for k in ("shifts", "rhs", "omegas") if k not in instance.data]
    missing += [k for k in ("grid", "tol", "max_iter") if k not in instance.constants]
    if missing:
        raise ValueError(f"instance {instance.name!r} lacks {missing}; build it with "
                         f"shifted_laplacians")
    _checks.generator(rng)
    impl = _backend(backend)
    c = instance.constants
    return int(c["grid"]), float(c["tol"]), int(c["max_iter"]), impl


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the
    move of a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)
