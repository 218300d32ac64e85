r"""Smooth convex problems whose unconstrained minimiser lies outside the box
:math:`\|x\|_\infty \le R = 1/\lambda`, with the box-constrained and the
:math:`\ell_2`-regularised minimisers: the instances for Lion with decoupled weight decay
(``lion``).

For weight decay :math:`\lambda` the instance carries

.. math::

    x_{\mathrm{box}} = \arg\min_{\|x\|_\infty \le 1/\lambda} f(x), \qquad
    x_{\ell_2} = \arg\min_x f(x) + \tfrac\lambda2\|x\|_2^2 ,

the limit Chen et al. claim for Lion and the one a reader might expect from "weight decay".

* ``loss="quadratic"``: :math:`f(x) = \frac12(x - x_c)^\top H(x - x_c)`, :math:`H` with
  eigenvalues log-uniform in :math:`[L/\kappa, L]` (``condition_number`` :math:`\kappa`,
  :math:`L = 1`) and a Haar rotation. Built backwards from the answer [derived here]: pick
  :math:`x_{\mathrm{box}}` (``n_active`` coordinates at :math:`\pm R`, the others uniform in
  :math:`[-R/2, R/2]`), the gradient there (0 on the free coordinates,
  :math:`-\operatorname{sign}(x_i)\mu_i` on the active ones, :math:`\mu_i \sim U[0.5, 1.5]`:
  the KKT conditions of the box with strict complementarity), and
  :math:`x_c = x_{\mathrm{box}} - H^{-1}\nabla f(x_{\mathrm{box}})`; convexity makes the KKT
  point the minimiser, so :math:`x_{\mathrm{box}}` is exact. :math:`x_{\ell_2} = (H +
  \lambda I)^{-1}Hx_c` (closed form).
* ``loss="logistic"``: :math:`f(x) = \frac1n\sum_i\log(1 + e^{-y_ia_i^\top x})`, :math:`a_i
  \sim N(0, I_d)`, labels :math:`y_i = \pm1` drawn from the logistic model
  :math:`P(y_i = 1) = \sigma(a_i^\top w/\tau)` with a planted :math:`w` (``n_active``
  coordinates of size ``signal`` :math:`\cdot R\cdot U[0.5, 1.5]`, random signs, the others 0;
  :math:`\tau` = ``temperature``), so the data are not separable and the unconstrained
  minimiser is finite, near :math:`w`, outside the box on the planted coordinates. :math:`x_{\mathrm{box}}` from CVXPY, polished by projected Newton on its active
  set; :math:`x_{\ell_2}` by Newton's method (smooth, strongly convex).

CVXPY solves the box problem in both cases (``CLARABEL``, then ``SCS`` with tolerances
:math:`10^{-10}` if Clarabel does not end ``optimal``; ``data["solver_attempts"]``): for the
quadratic it is a cross-check of the constructed answer (``solver_discrepancy``), for the
logistic loss it is the answer (polished). The solver used is ``data["solver"]``, its status
``data["solver_status"]``; the methods copy both to ``info``, so a solve that is not
``optimal`` makes a claim's grid point inconclusive.

Constants: ``weight_decay`` :math:`\lambda`, ``radius`` :math:`1/\lambda`, ``dim``,
``n_active`` (coordinates of :math:`x_{\mathrm{box}}` at :math:`\pm R`), ``n_free``,
``box_l2_gap`` :math:`\|x_{\mathrm{box}} - x_{\ell_2}\|_\infty`, ``kkt_residual`` (of
:math:`x_{\mathrm{box}}`: free gradient entries and outward-pointing active ones),
``complementarity_margin`` (the smallest :math:`|\partial_if|` over active coordinates and
:math:`(R - |x_i|)/R` over free ones), ``solver_discrepancy`` (CVXPY's solution against the
stored one, :math:`\ell_\infty`), ``objective_box`` :math:`f(x_{\mathrm{box}})`,
``lipschitz`` (a bound on the Lipschitz constant of :math:`\nabla f`: :math:`\lambda_{\max}(H)`
or :math:`\lambda_{\max}(A^\top A)/(4n)`), ``unconstrained_excess``
(:math:`\|x_c\|_\infty/R` for the quadratic; for the logistic loss the largest multiplier
:math:`\max_i|\partial_if(x_{\mathrm{box}})|`).
"""
from __future__ import annotations

import warnings

import cvxpy as cp
import numpy as np

from problems import _validate as _checks
from problems.types import Instance

LOSSES = ("quadratic", "logistic")
SOLVERS = (("CLARABEL", {}), ("SCS", {"eps_abs": 1e-10, "eps_rel": 1e-10, "max_iters": 200_000}))


def box_constrained(rng: np.random.Generator, *, loss="quadratic", dim=10, weight_decay=1.0,
                    n_active=None, condition_number=10.0, n_samples=200, signal=8.0,
                    temperature=1.0) -> Instance:
    r"""A quadratic or logistic problem with the box :math:`\|x\|_\infty \le 1/\lambda` active.

    Draw order, quadratic: the rotation (QR of a Gaussian), the eigenvalues, the active set
    (``rng.permutation``), the signs of the active coordinates, the free coordinates, the
    multipliers :math:`\mu_i`. Logistic: the planted coordinates (``rng.permutation``), their
    signs and sizes, the features, the uniforms that draw the labels. ``n_active`` defaults to
    ``dim // 2`` (at least 1); for the logistic loss it is the number of planted coordinates,
    and the number of active ones (``constants["n_active"]``) is what the solve finds.
    """
    rng = _checks.generator(rng)
    kind = _checks.one_of("loss", loss, LOSSES)
    d = _checks.integer("dim", dim, low=2)
    lam = _checks.positive("weight_decay", weight_decay, fix="pass lambda > 0 (the box is 1/lambda)")
    k = max(1, d // 2) if n_active is None else _checks.integer(
        "n_active", n_active, low=1, high=d, fix="pass the number of box-active coordinates")
    R = 1.0 / lam
    if kind == "quadratic":
        kappa = _checks.real("condition_number", condition_number, low=1.0,
                             fix="pass the condition number of H (>= 1)")
        return _quadratic(rng, d, lam, R, k, kappa)
    n = _checks.integer("n_samples", n_samples, low=d)
    size = _checks.positive("signal", signal, fix="pass the size of the planted coefficients / R")
    temp = _checks.positive("temperature", temperature,
                            fix="pass the temperature of the logistic labels (> 0)")
    return _logistic(rng, d, lam, R, k, n, size, temp)


def _quadratic(rng, d, lam, R, k, kappa) -> Instance:
    Q, Rq = np.linalg.qr(rng.standard_normal((d, d)))
    Q = Q * np.where(np.diag(Rq) < 0, -1.0, 1.0)
    eig = np.exp(rng.uniform(np.log(1.0 / kappa), 0.0, d))
    eig[np.argmax(eig)] = 1.0
    H = (Q * eig) @ Q.T
    H = 0.5 * (H + H.T)
    active = rng.permutation(d)[:k]
    signs = rng.choice([-1.0, 1.0], size=k)
    x_box = rng.uniform(-0.5 * R, 0.5 * R, d)
    x_box[active] = signs * R
    grad = np.zeros(d)
    grad[active] = -signs * rng.uniform(0.5, 1.5, k)
    center = x_box - np.linalg.solve(H, grad)
    x_l2 = np.linalg.solve(H + lam * np.eye(d), H @ center)
    x_cvx, *solve = _solve_box(lambda x: 0.5 * cp.quad_form(x - center, cp.psd_wrap(H)), d, R)
    data = {"loss": "quadratic", "H": H, "center": center, "features": np.zeros((0, d)),
            "labels": np.zeros(0), "x_box": x_box, "x_l2": x_l2, "x_box_cvxpy": x_cvx,
            **_solve_record(*solve)}
    f = lambda x: 0.5 * (x - center) @ H @ (x - center)  # noqa: E731
    extra = {"lipschitz": float(np.max(eig)), "unconstrained_excess": float(np.max(np.abs(center)) / R)}
    return _finish(data, f, lambda x: H @ (x - center), lam, R, extra,
                   f"box_constrained(quadratic, d={d}, lambda={lam:g}, active={k})")


def _logistic(rng, d, lam, R, k, n, size, temp) -> Instance:
    active = rng.permutation(d)[:k]
    w = np.zeros(d)
    w[active] = rng.choice([-1.0, 1.0], size=k) * size * R * rng.uniform(0.5, 1.5, k)
    A = rng.standard_normal((n, d))
    y = np.where(rng.random(n) < 1.0 / (1.0 + np.exp(-(A @ w) / temp)), 1.0, -1.0)

    def f(x):
        z = -y * (A @ x)
        return float(np.mean(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))))

    def grad(x):
        return (-y / (1.0 + np.exp(y * (A @ x)))) @ A / n

    def hess(x):
        p = 1.0 / (1.0 + np.exp(-y * (A @ x)))
        return (A * (p * (1.0 - p))[:, None]).T @ A / n

    # the sum, not the mean: Clarabel ends "optimal_inaccurate" on 2% of the mean-scaled instances
    x_cvx, *solve = _solve_box(lambda x: cp.sum(cp.logistic(-cp.multiply(y, A @ x))), d, R)
    # a failed solve (reported in solver_status) leaves the polish to start from 0
    x_box = _polish_box(x_cvx if np.all(np.isfinite(x_cvx)) else np.zeros(d), grad, hess, R)
    x_l2 = _newton(lambda x: grad(x) + lam * x, lambda x: hess(x) + lam * np.eye(d), np.zeros(d))
    data = {"loss": "logistic", "H": np.zeros((d, d)), "center": np.zeros(d), "features": A,
            "labels": y, "x_box": x_box, "x_l2": x_l2, "x_box_cvxpy": x_cvx,
            **_solve_record(*solve)}
    extra = {"lipschitz": float(np.linalg.eigvalsh(A.T @ A)[-1] / (4.0 * n)),
             "unconstrained_excess": float(np.max(np.abs(grad(x_box))))}
    return _finish(data, f, grad, lam, R, extra,
                   f"box_constrained(logistic, d={d}, n={n}, lambda={lam:g}, active={k})")


def _solve_box(objective, d, R):
    """CVXPY's solution of min objective(x) s.t. |x_i| <= R, the solver used and its status:
    ``CLARABEL``, then ``SCS`` (tight tolerances) if Clarabel does not end ``optimal``."""
    x = cp.Variable(d)
    problem = cp.Problem(cp.Minimize(objective(x)), [cp.abs(x) <= R])
    attempts = []
    for solver, options in SOLVERS:
        try:
            with warnings.catch_warnings():  # an inaccurate solve is reported by its status
                warnings.simplefilter("ignore", UserWarning)
                problem.solve(solver=solver, **options)
            status = str(problem.status)
        except cp.error.SolverError as exc:  # reported as a status, never raised
            status = f"solver_error: {exc}".splitlines()[0]
        attempts.append(f"{solver}: {status}")
        if status == "optimal" and x.value is not None:
            break
    value = x.value if x.value is not None and status == "optimal" else np.full(d, np.nan)
    return np.asarray(value, dtype=np.float64), solver, status, attempts


def _solve_record(solver, status, attempts) -> dict:
    return {"solver": solver, "solver_status": [status], "solver_attempts": attempts}


def _polish_box(x, grad, hess, R, iters=50):
    r"""Projected Newton on the active set of ``x``: coordinates at :math:`\pm R` whose
    gradient points outwards stay there; Newton on the rest until the free gradient is at
    round-off (the interior-point answer is only accurate to about 1e-8)."""
    x = np.clip(x, -R, R)
    for _ in range(iters):
        g = grad(x)
        at_bound = (np.abs(x) >= R * (1 - 1e-6)) & (g * np.sign(x) < 0)
        x[at_bound] = np.sign(x[at_bound]) * R
        free = ~at_bound
        if np.max(np.abs(g[free]), initial=0.0) <= 1e-14:
            break
        step = np.linalg.solve(hess(x)[np.ix_(free, free)], g[free])
        x[free] = np.clip(x[free] - step, -R, R)
    return x


def _newton(grad, hess, x, iters=100):
    for _ in range(iters):
        g = grad(x)
        if np.max(np.abs(g)) <= 1e-15:
            break
        x = x - np.linalg.solve(hess(x), g)
    return x


def _finish(data, f, grad, lam, R, extra, name) -> Instance:
    x_box = data["x_box"]
    g = grad(x_box)
    active = np.abs(x_box) >= R * (1 - 1e-12)
    outward = np.maximum(g[active] * np.sign(x_box[active]), 0.0)
    kkt = max(np.max(np.abs(g[~active]), initial=0.0), np.max(outward, initial=0.0))
    margin = min(np.min(np.abs(g[active]), initial=np.inf),
                 np.min((R - np.abs(x_box[~active])) / R, initial=np.inf))
    discrepancy = np.max(np.abs(data["x_box_cvxpy"] - x_box))
    constants = {"weight_decay": lam, "radius": R, "dim": float(x_box.size),
                 "n_active": float(active.sum()), "n_free": float((~active).sum()),
                 "box_l2_gap": float(np.max(np.abs(x_box - data["x_l2"]))),
                 "kkt_residual": float(kkt), "complementarity_margin": float(margin),
                 "solver_discrepancy": float(discrepancy) if np.isfinite(discrepancy) else 1e300,
                 "objective_box": float(f(x_box)), **extra}
    return Instance(data=data, constants=constants, name=name)
