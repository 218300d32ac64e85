r"""Self-distillation in kernel ridge regression (Borup & Andersen 2021): RBF regression
instances with the exact spectral constants of the distillation map, and the distillation
rounds :math:`f_t = K(K + \lambda I)^{-1}(\xi y + (1 - \xi) f_{t-1})` with their limit, the
ridge fit with penalty :math:`\lambda/\xi`: a Numba kernel with its array-API twin.
"""
from .generators import rbf_regression
from .methods import distillation_limit, ridge_fit, self_distillation

__all__ = ["rbf_regression", "ridge_fit", "distillation_limit", "self_distillation"]
