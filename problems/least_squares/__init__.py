r"""Least squares :math:`f(x) = \frac{1}{2n}\|Ax - b\|^2`, :math:`H = A^\top A/n`: instances with
exact constants, descent methods (Numba kernels with NumPy twins) and the exact
second-moment stability operators of linearised SGD.
"""
from .generators import gaussian_design, gaussian_population, interpolation_design
from .methods import gradient_descent, heavy_ball, minibatch_sgd, nesterov, online_sgd
from .stability import (population_second_moment_growth, population_second_moment_operator,
                        second_moment_growth, second_moment_operator)

__all__ = [
    "gaussian_design", "interpolation_design", "gaussian_population",
    "gradient_descent", "heavy_ball", "nesterov", "minibatch_sgd", "online_sgd",
    "second_moment_operator", "second_moment_growth",
    "population_second_moment_operator", "population_second_moment_growth",
]
