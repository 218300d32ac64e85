r"""Sequences of linear systems :math:`A_t x = b_t` (shifted 2-D Poisson, 5-point stencil) solved
by SOR: Young's optimal relaxation, SOR iteration counts against :math:`\omega`, and bandits
(Exp3, 1/2-Tsallis-INF) that learn :math:`\omega` from iteration counts alone (Khodak, Chow,
Balcan & Talwalkar, ICLR 2024). Numba kernels with NumPy twins.
"""
from .generators import (jacobi_radius, laplacian_2d, shifted_laplacians, sor_spectral_radius,
                         young_omega)
from .methods import bandit_relaxation, best_omega, sor_cost_matrix, sor_iterations

__all__ = ["shifted_laplacians", "jacobi_radius", "young_omega", "sor_spectral_radius",
           "laplacian_2d", "sor_cost_matrix", "sor_iterations", "best_omega", "bandit_relaxation"]
