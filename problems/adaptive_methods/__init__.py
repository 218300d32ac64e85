r"""Adaptive optimisers against their published guarantees: Reddi, Kale & Kumar's online convex
sequences (periodic and stochastic) with Adam, AMSGrad, diffGrad and AdaBelief (regret recorded
at log-spaced horizons in one pass), and Lion with decoupled weight decay on problems whose
unconstrained minimiser lies outside the box :math:`\|x\|_\infty \le 1/\lambda` (box-constrained
and :math:`\ell_2`-regularised minimisers from CVXPY and closed forms): Numba kernels with
array-API twins (NumPy, CuPy, array_api_strict).
"""
from .boxes import box_constrained
from .lion import lion
from .methods import adabelief, adam, amsgrad, diffgrad
from .sequences import periodic_gradients, reddi_periodic, reddi_stochastic

__all__ = ["reddi_periodic", "reddi_stochastic", "periodic_gradients", "box_constrained",
           "adam", "amsgrad", "diffgrad", "adabelief", "lion"]
