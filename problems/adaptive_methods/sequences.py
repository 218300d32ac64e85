r"""Reddi, Kale & Kumar's online convex problems on which Adam does not converge, carrying their
exact constants.

Every instance is a sequence of linear losses :math:`f_t(x) = g_t x` on the interval
:math:`\mathcal F = [-1, 1]` (so :math:`\nabla f_t = g_t`, bounded by :math:`C`, and the
domain has diameter :math:`D = 2`), with :math:`x_\star = -1` the minimiser of the average
loss. Reddi et al. [1]:

* Theorem 1 (deterministic, :math:`\beta_1 = 0`, :math:`\beta_2 = 1/(1 + C^2)`):
  :math:`g_t = C` if :math:`t \equiv 1 \pmod 3`, else :math:`-1`, with :math:`C > 2`;
* Theorem 2 (deterministic, any :math:`\beta_1 < \sqrt{\beta_2}`): the same with period
  :math:`C` instead of 3 (one large gradient :math:`C`, then :math:`C - 1` gradients
  :math:`-1`), :math:`C` large enough for the given :math:`\beta_1, \beta_2`;
* Theorem 3 (stochastic): :math:`g_t = C` with probability :math:`p = (1 + \delta)/(C + 1)`,
  else :math:`-1`, independently, so :math:`\mathbb E g_t = \delta > 0`.

:func:`reddi_periodic` covers Theorems 1 and 2 (``period`` 3 or :math:`C`); the sum of the
gradients over a period is :math:`C - (P - 1) > 0` (required), so :math:`x_\star = -1` and the
average regret of a method stuck at :math:`+1` tends to
:math:`2\,(C - P + 1)/P` (:math:`4/3` for :math:`C = 3, P = 3`). :func:`reddi_stochastic`
covers Theorem 3; its gradients are drawn by the methods from their own ``rng`` (one stream
per replica), so replicas are independent realisations. [1, as recalled: the statements, not
the constants of the proofs; the sequences themselves are as in the paper's abstract and
examples.]

Constants: ``big_gradient`` :math:`C`, ``period`` :math:`P` (0 for the stochastic sequence),
``probability`` (of the large gradient: :math:`1/P` or :math:`p`), ``mean_gradient``
(:math:`(C - P + 1)/P` or :math:`\delta`), ``gradient_bound`` :math:`G_\infty = C`,
``diameter`` 2, ``lower`` -1, ``upper`` 1, ``x_star`` -1, ``x0`` (the starting point),
``horizon`` :math:`T`, ``reddi_beta2`` :math:`1/(1 + C^2)` (Theorem 1's :math:`\beta_2`),
``worst_average_regret`` :math:`2\cdot` ``mean_gradient`` (the average regret of
:math:`x_t \equiv +1` against :math:`x_\star`).

[1] S. J. Reddi, S. Kale, S. Kumar (2018). On the Convergence of Adam and Beyond. ICLR 2018.
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance


def reddi_periodic(rng: np.random.Generator, *, big_gradient=3.0, period=3,
                   horizon=1_000_000, start="random") -> Instance:
    r"""Reddi's deterministic sequence: :math:`g_t = C` when :math:`t \equiv 1 \pmod P`, else
    :math:`-1` (:math:`t = 1, 2, \dots`), on :math:`[-1, 1]`.

    ``start``: ``"random"`` draws :math:`x_1 \sim U[-1, 1]` from ``rng`` (its only draw), or a
    float in :math:`[-1, 1]`. Requires :math:`C > P - 1` (else :math:`x_\star \ne -1`).
    """
    rng = _checks.generator(rng)
    P = _checks.integer("period", period, low=1)
    C = _checks.positive("big_gradient", big_gradient,
                         fix="pass the large gradient C of Reddi et al.'s sequence")
    if C <= P - 1:
        raise ValueError(f"big_gradient must exceed period - 1 = {P - 1} (so that the average "
                         f"loss is minimised at -1), got {C!r}; pass a larger big_gradient")
    T = _checks.integer("horizon", horizon, low=1)
    x0 = _start(rng, start)
    mean = (C - (P - 1)) / P
    return _instance("periodic", C, P, 1.0 / P, mean, T, x0,
                     f"reddi_periodic(C={C:g}, period={P}, T={T})")


def reddi_stochastic(rng: np.random.Generator, *, big_gradient=10.0, margin=0.1,
                     horizon=1_000_000, start="random") -> Instance:
    r"""Reddi's stochastic sequence (Theorem 3): :math:`g_t = C` with probability
    :math:`p = (1 + \delta)/(C + 1)`, else :math:`-1`; :math:`\mathbb E g_t = \delta`
    (``margin``) :math:`> 0`, so :math:`x_\star = -1` minimises the expected loss.

    The gradients are drawn by the methods (see the module docstring); the generator draws
    only :math:`x_1` (``start="random"``).
    """
    rng = _checks.generator(rng)
    C = _checks.positive("big_gradient", big_gradient,
                         fix="pass the large gradient C of Reddi et al.'s sequence")
    delta = _checks.real("margin", margin, low=0.0, high=C, low_open=True, high_open=True,
                         fix="pass the expected gradient delta in (0, big_gradient)")
    T = _checks.integer("horizon", horizon, low=1)
    x0 = _start(rng, start)
    return _instance("stochastic", C, 0, (1.0 + delta) / (C + 1.0), delta, T, x0,
                     f"reddi_stochastic(C={C:g}, delta={delta:g}, T={T})")


def periodic_gradients(big_gradient: float, period: int, t0: int, m: int) -> np.ndarray:
    r""":math:`g_t` for :math:`t = t_0 + 1, \dots, t_0 + m` of :func:`reddi_periodic`."""
    t = np.arange(t0 + 1, t0 + m + 1)
    return np.where((t - 1) % period == 0, float(big_gradient), -1.0)


def _start(rng, start) -> float:
    if isinstance(start, str):
        _checks.one_of("start", start, ("random",))
        return float(rng.uniform(-1.0, 1.0))
    return _checks.real("start", start, low=-1.0, high=1.0,
                        fix="pass 'random' or a starting point in [-1, 1]")


def _instance(kind, C, P, probability, mean, T, x0, name) -> Instance:
    constants = {
        "big_gradient": C, "period": float(P), "probability": probability,
        "mean_gradient": mean, "gradient_bound": C, "diameter": 2.0, "lower": -1.0,
        "upper": 1.0, "x_star": -1.0, "x0": x0, "horizon": float(T),
        "reddi_beta2": 1.0 / (1.0 + C * C), "worst_average_regret": 2.0 * mean,
    }
    return Instance(data={"kind": kind}, constants=constants, name=name)
