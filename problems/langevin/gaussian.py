r"""Exact laws of ULA on Gaussian targets: no simulation, NumPy/SciPy only.

On :math:`\pi = N(m, \Lambda^{-1})`, :math:`\Lambda = V\operatorname{diag}(\lambda)V^\top`, ULA
:math:`x' = x - h\Lambda(x - m) + \sqrt{2h}\,\xi` started at :math:`\delta_{x_0}` decouples in
the eigenbasis [derived here]: with :math:`z = V^\top(x - m)` and :math:`q_i = 1 - h\lambda_i`,
:math:`z_i' = q_i z_i + \sqrt{2h}\,\xi_i`, so after :math:`k` steps

.. math:: \mathbb E z_{k,i} = q_i^k z_{0,i}, \qquad
   \operatorname{Var} z_{k,i} = 2h\sum_{j<k} q_i^{2j} = s_i\,(1 - q_i^{2k}), \qquad
   s_i = \frac{1}{\lambda_i(1 - h\lambda_i/2)} .

Law and target share eigenvectors, so [derived here, the commuting case of the
Bures-Wasserstein formula] :math:`W_2^2(\mathrm{law}_k, \pi) = \sum_i (q_i^k z_{0,i})^2 +
(\sqrt{v_{k,i}} - \lambda_i^{-1/2})^2`, :math:`v_{k,i} = \operatorname{Var} z_{k,i}`; it is
evaluated as :math:`(v - a)^2/(\sqrt v + \sqrt a)^2` with
:math:`v_{k,i} - 1/\lambda_i = (h\lambda_i - 2q_i^{2k})/(\lambda_i(2 - h\lambda_i))`, free of
cancellation near stationarity. On :math:`N(0, I_d)` from :math:`\delta_0` this is
:math:`\sqrt d\,|\sqrt{s_k} - 1|`, :math:`s_k = s_\infty(1 - (1-h)^{2k})`, the pipeline of
Li, Zha & Tao (ICLR 2022) [1], who prove an :math:`\tilde O(\sqrt d/\varepsilon)` mixing time in
:math:`W_2` [paper, as retrieved: abstract].

[1] R. Li, H. Zha, M. Tao (2022). Sqrt(d) Dimension Dependence of Langevin Monte Carlo. ICLR.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg

from problems import _validate as _checks
from problems.types import Trace, checkpoints

from .targets import LINEAR_REGRESSION, LOGCOSH, kind

EXACT_METRICS = ("w2", "variance_ratio")
SGLD_MAX_DIM = 30  # the SGLD moment equation is a dim^2 x dim^2 linear system


def ula_stationary_covariance(precision, step_size) -> np.ndarray:
    r""":math:`\Sigma_h` solving :math:`\Sigma_h = M\Sigma_h M^\top + 2hI`, :math:`M = I - h\Lambda`
    (``scipy.linalg.solve_discrete_lyapunov``): ULA's stationary covariance on any Gaussian
    with precision :math:`\Lambda`; along an eigenvector, :math:`1/(\lambda(1 - h\lambda/2))`.
    Exists iff :math:`h < 2/\lambda_{\max}`."""
    P = _spd("precision", precision)
    h = _checks.positive("step_size", step_size)
    # eigvalsh may return lambda_max a rounding error low: 2/lambda_max itself must not pass
    _stable(h, np.linalg.eigvalsh(P)[-1] * (1.0 + 1e-12))
    M = np.eye(P.shape[0]) - h * P
    S = scipy.linalg.solve_discrete_lyapunov(M, 2.0 * h * np.eye(P.shape[0]))
    return 0.5 * (S + S.T)


def ula_law(instance, step_size, k):
    r"""``(mean_k, cov_k)`` of ULA after ``k`` steps from :math:`\delta_{x_0}` on a Gaussian
    instance, from the eigenbasis closed form (any :math:`h > 0`; ``k = 0`` gives
    :math:`(x_0, 0)`)."""
    lam, V, m, z0 = _gaussian(instance, "ula_law")
    if V is None:
        raise ValueError(f"ula_law returns a dense covariance, but instance {instance.name!r} "
                         "stores no eigenvectors (dim too large); use ula_exact")
    h = _checks.positive("step_size", step_size)
    k = _checks.integer("k", k, low=0, fix="pass a number of steps >= 0")
    if k == 0:
        return np.asarray(instance.data["x0"], dtype=np.float64).copy(), np.zeros((lam.size, lam.size))
    factor, var = _moments(h * lam, lam, np.array([k]))
    mean = m + V @ (factor[0] * z0)
    cov = (V * var[0]) @ V.T
    return mean, 0.5 * (cov + cov.T)


def gaussian_w2(mean1, cov1, mean2, cov2) -> float:
    r"""Bures-Wasserstein distance :math:`W_2(N(m_1, S_1), N(m_2, S_2))`:
    :math:`W_2^2 = \|m_1 - m_2\|^2 + \operatorname{tr}S_1 + \operatorname{tr}S_2 -
    2\operatorname{tr}(S_1^{1/2}S_2S_1^{1/2})^{1/2}` [recollection: Dowson & Landau 1982].
    Square roots by ``eigh`` of the symmetrised matrices (the symmetric square root, more
    accurate than ``sqrtm`` here), tiny negative eigenvalues clipped to 0."""
    m1, m2 = (np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (mean1, mean2))
    S1, S2 = (np.atleast_2d(np.asarray(S, dtype=np.float64)) for S in (cov1, cov2))
    d = m1.size
    for name, shape in (("mean2", m2.shape), ("cov1", S1.shape), ("cov2", S2.shape)):
        if shape != ((d,) if name == "mean2" else (d, d)):
            raise ValueError(f"{name} has shape {shape}, incompatible with mean1 of length {d}; "
                             "pass means (d,) and covariances (d, d)")
    w, U = np.linalg.eigh(0.5 * (S1 + S1.T))
    root = (U * np.sqrt(np.clip(w, 0.0, None))) @ U.T
    inner = root @ (0.5 * (S2 + S2.T)) @ root
    cross = np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(0.5 * (inner + inner.T)), 0.0, None)))
    w2 = np.sum((m1 - m2) ** 2) + np.trace(S1) + np.trace(S2) - 2.0 * cross
    return float(np.sqrt(max(w2, 0.0)))


def sgld_stationary_covariance(instance, step_size, batch_size) -> np.ndarray:
    r"""Exact stationary covariance of SGLD (``samplers.sgld``) on ``bayesian_linear_regression``.

    [derived here] With :math:`e = w - m`, :math:`X_i = x_ix_i^\top/\sigma^2`, :math:`G = \sum_i X_i`,
    :math:`\rho_i = x_i(x_i^\top m - y_i)/\sigma^2` (:math:`\sum_i\rho_i = -\alpha m`), a step is
    :math:`e' = (M - hE_{\mathcal B})e - hc_{\mathcal B} + \sqrt{2h}\,\xi`, :math:`M = I - hP`,
    :math:`E_{\mathcal B} = \frac nB\sum_{i\in\mathcal B}X_i - G`,
    :math:`c_{\mathcal B} = \frac nB\sum_{i\in\mathcal B}\rho_i - \sum_i\rho_i`, both of mean 0
    and independent of :math:`e`. So the stationary mean is :math:`m` and
    :math:`S = MSM + h^2\,\mathbb E[E_{\mathcal B}SE_{\mathcal B}] + h^2\,\mathbb E[c c^\top] + 2hI`.
    For a uniform :math:`B`-subset, :math:`P(i\in\mathcal B) = p_1 = B/n`,
    :math:`P(i, j\in\mathcal B) = p_2 = B(B-1)/(n(n-1))` (:math:`i\neq j`), hence with
    :math:`c_1 = (n/B)^2(p_1 - p_2)`, :math:`c_2 = (n/B)^2p_2 - 1`:
    :math:`\mathbb E[E S E] = c_1\sum_iX_iSX_i + c_2\,GSG` and
    :math:`\mathbb E[cc^\top] = c_1\sum_i\rho_i\rho_i^\top + c_2(\sum_i\rho_i)(\sum_i\rho_i)^\top`.
    Solved as a :math:`d^2\times d^2` linear system (``dim`` at most 30); :math:`B = n` gives
    :math:`c_1 = c_2 = 0`, ULA's :func:`ula_stationary_covariance`. Raises if the second-moment
    recursion is unstable (spectral radius :math:`\ge 1`).
    """
    if kind(instance) != LINEAR_REGRESSION:
        raise ValueError(f"sgld_stationary_covariance needs a 'linear_regression' target, got "
                         f"{instance.data['kind']!r}; build one with bayesian_linear_regression")
    X, y, m, P = (np.asarray(instance.data[key], dtype=np.float64)
                  for key in ("design", "response", "mean", "precision"))
    n, d = X.shape
    if d > SGLD_MAX_DIM:
        raise ValueError(f"sgld_stationary_covariance solves a dim^2 system; dim={d} exceeds "
                         f"{SGLD_MAX_DIM}; pass a smaller dim")
    h = _checks.positive("step_size", step_size)
    B = _checks.integer("batch_size", batch_size, low=1, high=n, fix="pass 1 <= batch_size <= n_data")
    _stable(h, instance.constants["L"])
    sigma2 = instance.constants["noise"] ** 2
    p1, p2 = B / n, (B * (B - 1) / (n * (n - 1)) if n > 1 else 0.0)
    c1, c2 = (n / B) ** 2 * (p1 - p2), (n / B) ** 2 * p2 - 1.0
    G = X.T @ X / sigma2
    rho = X * ((X @ m - y) / sigma2)[:, None]
    outer = np.einsum("ni,nj->nij", X, X).reshape(n, d * d) / sigma2
    M = np.eye(d) - h * P
    T = np.kron(M, M) + h**2 * (c1 * outer.T @ outer + c2 * np.kron(G, G))
    radius = np.max(np.abs(np.linalg.eigvals(T)))
    if radius >= 1.0:
        raise ValueError(f"SGLD with step_size={h:g}, batch_size={B} is mean-square unstable on "
                         f"{instance.name!r} (spectral radius {radius:.6g} >= 1); pass a smaller "
                         "step_size or a larger batch_size")
    s = rho.sum(axis=0)
    rhs = h**2 * (c1 * rho.T @ rho + c2 * np.outer(s, s)) + 2.0 * h * np.eye(d)
    S = np.linalg.solve(np.eye(d * d) - T, rhs.reshape(-1)).reshape(d, d)
    return 0.5 * (S + S.T)


def ula_exact(instance, rng, *, step_size, n_iter, metric="w2", n_checkpoints=60) -> Trace:
    r"""The exact law of ULA from :math:`\delta_{x_0}` on a Gaussian instance, at checkpoints
    (one row; deterministic, ``rng`` validated only).

    Metrics: ``"w2"`` :math:`W_2(\mathrm{law}_k, \pi)` (module docstring); ``"variance_ratio"``
    :math:`L\operatorname{Var}(v_{\max}^\top x_k)`, which tends to :math:`1/(1 - hL/2)`.
    ``info``: ``stationary_w2`` :math:`W_2(\pi_h, \pi) = \big(\sum_i(\sqrt{s_i} -
    \lambda_i^{-1/2})^2\big)^{1/2}` (:math:`\pi_h = N(m, \Sigma_h)`; :math:`\approx\sqrt d\,h/4`
    on :math:`N(0, I_d)`, i.e. :math:`O(h)`), ``stationary_variance_ratio``
    :math:`= 1/(1 - hL/2)`, ``step_size``. Needs :math:`h < 2/L`.
    """
    lam, _, _, z0 = _gaussian(instance, "ula_exact")
    _checks.generator(rng)
    h = _checks.positive("step_size", step_size)
    L = float(lam[-1])
    _stable(h, L)
    t = checkpoints(_checks.integer("n_iter", n_iter, low=1),
                    _checks.integer("n_checkpoints", n_checkpoints, low=2))
    code = _checks.choice("metric", metric, EXACT_METRICS)
    lam_g, mult, z0sq = _groups(lam, z0)
    if code == 0:
        values = np.sqrt(_w2_squared(h, lam_g, mult, z0sq, t))
    else:
        values = L * _moments(h * lam[-1:], lam[-1:], t)[1][:, 0]
    info = {"stationary_w2": _stationary_w2(h, lam_g, mult),
            "stationary_variance_ratio": 1.0 / (1.0 - h * L / 2.0), "step_size": h,
            "first_nonfinite": None}
    return Trace(metric, t, values[None, :], info)


def stationary_w2(trace: Trace) -> float:
    r""":math:`W_2(\pi_h, \pi)` of a :func:`ula_exact` trace (a cost for scaling claims)."""
    return float(trace.info["stationary_w2"])


def stationary_variance_ratio(trace: Trace) -> float:
    r""":math:`1/(1 - hL/2)`, ULA's stationary variance ratio along the stiffest direction."""
    return float(trace.info["stationary_variance_ratio"])


def lmc_mixing_time(instance, rng, *, accuracy, n_steps_grid=400) -> Trace:
    r""":math:`k^\star(\varepsilon) = \min_{0 < h < 2/L} k(h)`, the :math:`W_2` mixing time of
    ULA/LMC from :math:`\delta_{x_0}` on a Gaussian instance (any covariance), exactly per step.

    :math:`k(h)` is the smallest :math:`k` with :math:`W_2(\mathrm{law}_j, \pi) \le \varepsilon`
    for **all** :math:`j \ge k` (not the first hitting time: from :math:`\delta_m` the variance
    passes through :math:`1/\lambda_i` and :math:`W_2` dips on the way). [derived here] Write
    :math:`W_2^2(j) = A(j) + B(j)`, :math:`A(j) = \sum_i q_i^{2j}z_{0,i}^2` (non-increasing) and
    :math:`B(j)` the variance part. :math:`v_{j,i}` increases to :math:`s_i > 1/\lambda_i`, so once
    :math:`j \ge J_\times = \max_i \lceil\log(h\lambda_i/2)/(2\log|q_i|)\rceil` (every
    :math:`v_{j,i} \ge 1/\lambda_i`), :math:`B(j) \le B_\infty = W_2^2(\pi_h, \pi)`. If
    :math:`B_\infty \ge \varepsilon^2`, :math:`k(h) = \infty`. Else, for
    :math:`J = \min\{j \ge J_\times : A(j) + B_\infty \le \varepsilon^2\}` (bisection on the
    monotone :math:`A`), every :math:`j \ge J` is within :math:`\varepsilon`, and :math:`k(h)` is
    1 + the last :math:`j < J` with :math:`W_2(j) > \varepsilon` (0 if none), found by evaluating
    :math:`W_2(j)` exactly for every :math:`j < J`, in blocks downward from :math:`J`.

    The search over :math:`h`: :math:`B_\infty` increases with :math:`h`, so the feasible steps
    are :math:`(0, h_{\sup})` (bisection). A log grid of ``n_steps_grid`` steps on
    :math:`[10^{-4}h_{\sup}, h_{\sup})`, then 8 rounds of 31 steps in the brackets (between
    the neighbouring steps seen) around the smallest and the largest step attaining the best
    :math:`k` so far (:math:`k(h)` is integer-valued and piecewise constant, with plateaus whose
    ends are the frontier: no golden section; the optimum often sits just below
    :math:`h_{\sup}`). Steps are pruned with the closed-form lower bound
    :math:`k(h) \ge \max_i\lceil\log(1 - v^\star_i/s_i)/(2\log|q_i|)\rceil`, :math:`v^\star_i = (\lambda_i^{-1/2} - \varepsilon/\sqrt{n_i})^2`
    (the first :math:`j` at which one eigenvalue group, of multiplicity :math:`n_i`, alone is
    within :math:`\varepsilon`). :math:`k^\star` is the minimum over the steps evaluated: exact
    for each, an upper bound on the infimum over all :math:`h` (tests: brute force, and the
    isotropic closed form :math:`\lceil\min_h \log c(h)/(2\log(1-h))\rceil`).

    Returns ``Trace("mixing_time", t=[accuracy], values=[[k*]])`` with ``info``:
    ``best_step_size``, ``stationary_w2_at_best``, ``step_size_sup`` (:math:`h_{\sup}`),
    ``evaluations`` (exact :math:`k(h)` computed), ``at_grid_edge`` (best at the smallest step
    seen: widen the grid).
    """
    lam, _, _, z0 = _gaussian(instance, "lmc_mixing_time")
    _checks.generator(rng)
    eps = _checks.positive("accuracy", accuracy, fix="pass the W2 accuracy epsilon > 0")
    n_grid = _checks.integer("n_steps_grid", n_steps_grid, low=8)
    lam_g, mult, z0sq = _groups(lam, z0)
    h_sup = _feasible_sup(lam_g, mult, eps, 2.0 / lam[-1])
    grid = h_sup * np.geomspace(1e-4, 1.0, n_grid + 1)[:-1]
    seen, evaluated = np.empty(0), {}
    best, h_best, edge = np.inf, np.nan, False
    for _ in range(9):
        best, h_best = _search(grid, best, h_best, lam_g, mult, z0sq, eps, evaluated)
        seen = np.union1d(seen, grid)
        if not np.isfinite(best):
            break
        tied = sorted(h for h, k in evaluated.items() if k == best)
        edge = bool(tied[0] == seen[0])
        grid = np.concatenate([_bracket(seen, h, h_sup) for h in sorted({tied[0], tied[-1]})])
    info = {"best_step_size": float(h_best), "step_size_sup": float(h_sup),
            "evaluations": len(evaluated), "at_grid_edge": edge, "accuracy": eps,
            "stationary_w2_at_best": _stationary_w2(h_best, lam_g, mult) if np.isfinite(best)
            else np.nan}
    return Trace("mixing_time", np.array([eps]), np.array([[best]]), info)


def mixing_time(trace: Trace) -> float:
    """:math:`k^\\star` of a :func:`lmc_mixing_time` trace (a cost for scaling claims)."""
    return float(trace.values[0, 0])


# ---------------------------------------------------------------- eigenbasis machinery

def _gaussian(instance, who):
    if kind(instance) == LOGCOSH:
        raise ValueError(f"{who} needs a Gaussian target (kind 'gaussian' or 'linear_regression'), "
                         f"got kind 'logcosh' ({instance.name!r}); simulate it with samplers.ula")
    lam = np.asarray(instance.data["eigenvalues"], dtype=np.float64)
    V, m = instance.data["eigenvectors"], np.asarray(instance.data["mean"], dtype=np.float64)
    e0 = np.asarray(instance.data["x0"], dtype=np.float64) - m
    return lam, V, m, (e0 if V is None else V.T @ e0)


def _groups(lam, z0):
    """Distinct eigenvalues, their multiplicities and the summed :math:`z_0^2` per group."""
    lam_g, inverse = np.unique(lam, return_inverse=True)
    return lam_g, np.bincount(inverse).astype(np.float64), np.bincount(inverse, weights=z0**2)


def _log_q(hlam):
    r""":math:`\log|1 - h\lambda|` (``log1p`` below 1, :math:`-\infty` at :math:`h\lambda = 1`)."""
    with np.errstate(divide="ignore"):
        return np.where(hlam < 1.0, np.log1p(-np.minimum(hlam, 1.0)), np.log(np.abs(hlam - 1.0)))


def _powers(hlam, j):
    r""":math:`q^{2j}` and :math:`1 - q^{2j}` for steps ``j`` (rows) and groups (columns)."""
    j = np.asarray(j, dtype=np.float64)[:, None]
    with np.errstate(invalid="ignore"):
        two = np.where(j == 0, 0.0, 2.0 * j * _log_q(hlam))
    return np.exp(two), -np.expm1(two)


def _moments(hlam, lam, k):
    r"""Mean factor :math:`q^k` and variance :math:`2h\sum_{j<k}q^{2j}` per direction, rows ``k``."""
    r, one_minus_r = _powers(hlam, k)
    k = np.asarray(k, dtype=np.float64)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(hlam == 2.0, 2.0 * (hlam / lam) * k, 2.0 * one_minus_r / (lam * (2.0 - hlam)))
    return np.power(1.0 - hlam, k), var


def _w2_squared(h, lam, mult, z0sq, j):
    r""":math:`W_2^2(\mathrm{law}_j, \pi)` for the steps ``j`` (:math:`h\lambda < 2`), by groups."""
    hlam = h * lam
    r, one_minus_r = _powers(hlam, j)
    var = one_minus_r / (lam * (1.0 - hlam / 2.0))
    gap = (hlam - 2.0 * r) / (lam * (2.0 - hlam))
    spread = gap**2 / (np.sqrt(var) + np.sqrt(1.0 / lam)) ** 2
    return np.sum(mult * spread + r * z0sq, axis=1)


def _stationary_w2(h, lam, mult):
    gap = (h / 2.0) / (1.0 - h * lam / 2.0)
    s = 1.0 / (lam * (1.0 - h * lam / 2.0))
    return float(np.sqrt(np.sum(mult * gap**2 / (np.sqrt(s) + np.sqrt(1.0 / lam)) ** 2)))


def _feasible_sup(lam, mult, eps, h_max):
    """The step where the stationary W2 reaches ``eps`` (increasing in h), by bisection."""
    lo, hi = 0.0, h_max
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _stationary_w2(mid, lam, mult) < eps else (lo, mid)
    return lo


def _lower_bounds(steps, lam, mult, eps):
    """Closed-form lower bounds on k(h) (one eigenvalue group alone within eps)."""
    hlam = steps[:, None] * lam
    s = 1.0 / (lam * (1.0 - hlam / 2.0))
    target = np.clip(np.sqrt(1.0 / lam) - eps / np.sqrt(mult), 0.0, None) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        j = np.log1p(-target / s) / (2.0 * _log_q(hlam))
    return np.max(np.floor(np.nan_to_num(j, nan=0.0, posinf=0.0)), axis=1)


def _k_of_h(h, lam, mult, z0sq, eps):
    """k(h) exactly (see lmc_mixing_time); inf if the stationary W2 is not below eps."""
    eps2 = eps * eps
    budget = eps2 - _stationary_w2(h, lam, mult) ** 2
    if budget <= 0.0:
        return np.inf
    logq = _log_q(h * lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = np.log(h * lam / 2.0) / (2.0 * logq)
    j_safe = int(max(1.0, np.ceil(np.max(np.nan_to_num(cross, nan=0.0))))) + 1

    def mean_part(j):
        return float(np.sum(_powers(h * lam, [j])[0][0] * z0sq))
    if mean_part(j_safe) > budget:
        lo, hi = j_safe, 2 * j_safe
        while mean_part(hi) > budget:
            lo, hi = hi, 2 * hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if mean_part(mid) > budget else (lo, mid)
        j_safe = hi
    block = max(1, 2**20 // lam.size)
    for top in range(j_safe, 0, -block):
        j = np.arange(max(top - block, 0), top)
        bad = np.nonzero(_w2_squared(h, lam, mult, z0sq, j) > eps2)[0]
        if bad.size:
            return int(j[bad[-1]]) + 1
    return 0


def _search(steps, best, h_best, lam, mult, z0sq, eps, evaluated):
    """Exact k(h) over ``steps`` in order of their lower bounds, skipping those that cannot
    beat ``best``; every k(h) computed goes into ``evaluated``."""
    bounds = _lower_bounds(steps, lam, mult, eps)
    for i in np.argsort(bounds, kind="stable"):
        if bounds[i] > best:
            break
        k = evaluated.setdefault(float(steps[i]), _k_of_h(steps[i], lam, mult, z0sq, eps))
        if k < best:
            best, h_best = k, float(steps[i])
    return best, h_best


def _bracket(seen, h, h_sup):
    """31 steps strictly between the neighbours of ``h`` among the steps seen."""
    i = int(np.searchsorted(seen, h))
    lo = seen[i - 1] if i > 0 else 0.5 * seen[0]
    hi = seen[i + 1] if i + 1 < seen.size else h_sup
    return np.linspace(lo, hi, 33)[1:-1]


def _stable(h, L):
    if h >= 2.0 / L:
        raise ValueError(f"step_size={h!r} >= 2/lambda_max = {2.0 / L:.6g}: ULA is unstable (no "
                         f"stationary law, the variance grows without bound); pass step_size < "
                         f"{2.0 / L:.6g}")


def _spd(name, matrix):
    P = np.asarray(matrix, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or not np.all(np.isfinite(P)) \
            or not np.allclose(P, P.T, rtol=1e-12, atol=1e-14 * np.abs(P).max()):
        raise ValueError(f"{name} must be a finite symmetric square matrix, got shape "
                         f"{P.shape}; pass the target's precision")
    if np.linalg.eigvalsh(P)[0] <= 0:
        raise ValueError(f"{name} must be positive definite (smallest eigenvalue "
                         f"{np.linalg.eigvalsh(P)[0]:.3g}); pass a precision matrix")
    return 0.5 * (P + P.T)
