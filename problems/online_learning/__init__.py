r"""Online convex optimisation in the stochastically extended adversarial (SEA) model
(Sachs et al. 2022; Chen, Zhang, Tu, Zhao & Zhang 2023): loss sequences with exact (or
bounded) SEA quantities, and online gradient descent, optimistic online mirror descent
(Euclidean and entropic), Hedge and the online Newton step (plain and optimistic), with the
regret against the exact best fixed point recorded at log-spaced horizons in one pass:
Numba kernels with NumPy twins.
"""
from .methods import hedge, online_newton_step, ogd, optimistic_omd
from .sequences import expert_losses, linear_sea, portfolio_sea, quadratic_sea

__all__ = ["linear_sea", "quadratic_sea", "portfolio_sea", "expert_losses", "ogd",
           "optimistic_omd", "hedge", "online_newton_step"]
