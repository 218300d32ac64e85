r"""Block coordinate descent on least squares :math:`f(x) = \frac12\|Ax - b\|^2` with varied
coordinate Lipschitz constants: instances with the exact strong-convexity constants of the
greedy rules (:math:`\mu`, :math:`\mu_1`, :math:`\mu_L`, by vertex enumeration), and
coordinate descent with random, Lipschitz-sampled, cyclic, Gauss-Southwell and
Gauss-Southwell-Lipschitz selection (Nutini et al. 2015, 2022): Numba kernels with
array-API twins (NumPy, CuPy, array_api_strict).
"""
from .generators import least_squares, strong_convexity
from .methods import coordinate_descent

__all__ = ["least_squares", "strong_convexity", "coordinate_descent"]
