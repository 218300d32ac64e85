r"""Worst cases over whole function classes: performance estimation problems (PEP) with PEPit.

A PEP computes exactly the largest value a performance measure of a first-order method can
take after :math:`N` steps, over every function (or operator) of a class, subject to an
initial condition normalised to 1 (Drori & Teboulle 2014; Taylor, Hendrickx & Glineur 2017).
PEPit writes it as a semidefinite program, which CVXPY hands to Clarabel here (named, never
left to CVXPY's choice). Each model returns a :class:`WorstCaseValue`: the worst case in the
units of the claim (a norm, not its square), the solver's status, the primal and dual
objectives and the Gram matrix of the worst-case instance, whose rank is the dimension in
which a worst-case function lives.

The models mirror the methods of the families: :func:`gradient_descent_pep` and
:func:`nesterov_pep` (``problems.least_squares``), :func:`halpern_pep`
(``problems.monotone_inclusion``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SOLVER = "CLARABEL"


@dataclass(frozen=True)
class WorstCaseValue:
    """What one PEP solve found: ``value`` (the worst case, in the claim's units), the
    solver's ``status`` and name, its primal and dual objectives (PEPit certifies the dual
    one, a valid bound whenever the solve is accurate), and the worst-case instance."""

    value: float
    status: str
    solver: str
    primal: float
    dual: float
    instance: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative primal-dual gap of the SDP solve."""
        return abs(self.primal - self.dual) / max(abs(self.dual), 1e-300)


def _solve(problem, *, square_root: bool) -> WorstCaseValue:
    """Solve a PEPit problem with Clarabel and package the result; never raises on a
    failed solve (the status says what happened)."""
    import cvxpy

    try:
        dual = problem.solve(wrapper="cvxpy", solver=SOLVER, verbose=0)
    except cvxpy.error.SolverError as exc:
        return WorstCaseValue(math.nan, f"solver_error: {str(exc).splitlines()[0]}", SOLVER, math.nan, math.nan)
    prob = problem.wrapper.prob
    status, primal = str(prob.status), float(problem.wrapper.objective.value)
    if dual is None or not np.isfinite(primal):
        return WorstCaseValue(math.nan, status if status != "optimal" else "unbounded", SOLVER, primal, math.nan)
    gram = np.asarray(problem.G_value, dtype=np.float64)
    eigenvalues = np.linalg.eigvalsh((gram + gram.T) / 2)
    rank = int(np.sum(eigenvalues > 1e-6 * max(eigenvalues.max(), 1e-300)))
    value = math.sqrt(max(float(dual), 0.0)) if square_root else float(dual)
    return WorstCaseValue(value, status, prob.solver_stats.solver_name, primal, float(dual),
                          {"gram_rank": rank, "gram_eigenvalues": eigenvalues[::-1][:4].tolist(),
                           "function_values": np.asarray(problem.F_value, dtype=np.float64).tolist()})


def gradient_descent_pep(*, L: float, mu: float, step_size: float, n_iter: int,
                         initial: str = "function_value", performance: str = "function_value") -> WorstCaseValue:
    r"""Worst case of gradient descent :math:`x_{k+1} = x_k - \gamma\nabla f(x_k)` after
    ``n_iter`` steps over the :math:`L`-smooth :math:`\mu`-strongly convex functions
    (:math:`\mu = 0`: smooth convex), with :math:`f(x_0) - f_\star \le 1` (``initial =
    "function_value"``) or :math:`\|x_0 - x_\star\|^2 \le 1` (``"distance"``); performance
    :math:`f(x_N) - f_\star` or :math:`\|x_N - x_\star\|` (``"distance"``)."""
    from PEPit import PEP
    from PEPit.functions import SmoothConvexFunction, SmoothStronglyConvexFunction

    problem = PEP()
    f = (problem.declare_function(SmoothStronglyConvexFunction, L=L, mu=mu) if mu > 0
         else problem.declare_function(SmoothConvexFunction, L=L))
    x_star = f.stationary_point()
    f_star = f(x_star)
    x = x0 = problem.set_initial_point()
    problem.set_initial_condition((f(x0) - f_star <= 1) if initial == "function_value" else ((x0 - x_star) ** 2 <= 1))
    for _ in range(int(n_iter)):
        x = x - step_size * f.gradient(x)
    problem.set_performance_metric(f(x) - f_star if performance == "function_value" else (x - x_star) ** 2)
    return _solve(problem, square_root=performance == "distance")


def nesterov_pep(*, L: float, mu: float, n_iter: int) -> WorstCaseValue:
    r"""Worst case of Nesterov's method with constant momentum
    :math:`\beta = (\sqrt L - \sqrt\mu)/(\sqrt L + \sqrt\mu)` and step :math:`1/L`,
    :math:`x_{k+1} = y_k - \frac1L\nabla f(y_k)`, :math:`y_{k+1} = x_{k+1} + \beta(x_{k+1} - x_k)`,
    :math:`y_0 = x_0`, over the :math:`L`-smooth :math:`\mu`-strongly convex functions: the largest
    :math:`f(x_N) - f_\star` when :math:`f(x_0) - f_\star + \frac\mu2\|x_0 - x_\star\|^2 \le 1`."""
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexFunction

    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexFunction, L=L, mu=mu)
    x_star = f.stationary_point()
    f_star = f(x_star)
    x = y = x0 = problem.set_initial_point()
    problem.set_initial_condition(f(x0) - f_star + mu / 2 * (x0 - x_star) ** 2 <= 1)
    beta = (math.sqrt(L) - math.sqrt(mu)) / (math.sqrt(L) + math.sqrt(mu))
    for _ in range(int(n_iter)):
        x_next = y - 1 / L * f.gradient(y)
        y = x_next + beta * (x_next - x)
        x = x_next
    problem.set_performance_metric(f(x) - f_star)
    return _solve(problem, square_root=False)


def halpern_pep(*, L: float, n_iter: int) -> WorstCaseValue:
    r"""Worst case of Halpern's iteration :math:`z_{k+1} = \frac1{k+2}z_0 + \frac{k+1}{k+2}(z_k - \frac2LF(z_k))`
    over the :math:`1/L`-cocoercive operators: the largest :math:`\|F(z_N)\|` when
    :math:`\|z_0 - z_\star\|^2 \le 1` (``problems.monotone_inclusion.halpern`` with its default step)."""
    from PEPit import PEP
    from PEPit.operators import CocoerciveOperator

    problem = PEP()
    F = problem.declare_function(CocoerciveOperator, beta=1 / L)
    z_star = F.stationary_point()
    z = z0 = problem.set_initial_point()
    problem.set_initial_condition((z0 - z_star) ** 2 <= 1)
    for k in range(int(n_iter)):
        z = 1 / (k + 2) * z0 + (k + 1) / (k + 2) * (z - 2 / L * F.gradient(z))
    problem.set_performance_metric(F.gradient(z) ** 2)
    return _solve(problem, square_root=True)
