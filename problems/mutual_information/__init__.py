r"""Variance of variational mutual-information estimators with the optimal critic (Song & Ermon
2020) on correlated Gaussian pairs, where every moment of the density ratio is known in closed
form: instances with the exact information, Renyi-2 divergence and fourth moments, and Monte
Carlo estimates of :math:`n\,\mathrm{Var}` of the partition-function and NWJ estimators, with a
sample size derived from the exact fourth moment: Numba kernels with array-API twins
(NumPy, CuPy, array_api_strict).
"""
from .generators import correlated_gaussians, ratio_moment
from .methods import estimator_variance

__all__ = ["correlated_gaussians", "ratio_moment", "estimator_variance"]
