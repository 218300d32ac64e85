r"""Two-layer ReLU networks through their convex reformulation (Pilanci & Ergen 2020) and its fast
solvers and robust variant (Bai, Gautam & Sojoudi 2022): data with their activation patterns
(exact enumeration or Gaussian sampling), the convex program in CVXPY (Clarabel) with a dual
certificate and the reconstruction of the network, gradient training of the non-convex network,
ADMM with its per-iteration cost and predicted local rate, and adversarial training scored by
the exact robust loss. Numba kernels with array-API twins (NumPy, CuPy, array_api_strict).
"""
from .admm import admm, local_rate, per_iteration_operations, per_iteration_seconds
from .adversarial import (adversarial_comparison, adversarial_training, convex_adversarial_training, robust_margins,
                          robust_scores, solve_robust_convex)
from .arrangements import enumerate_patterns, sample_patterns
from .convex_program import (ConvexSolution, nonconvex_objective, reconstruct, reconstruction_deviation,
                             sampled_patterns_path, solve_convex)
from .data import planted_relu_regression, relu_classification
from .nonconvex import nonconvex_training

__all__ = [
    "planted_relu_regression", "relu_classification", "enumerate_patterns", "sample_patterns", "solve_convex",
    "ConvexSolution", "reconstruct", "nonconvex_objective", "reconstruction_deviation", "sampled_patterns_path",
    "nonconvex_training", "admm", "local_rate", "per_iteration_operations", "per_iteration_seconds",
    "convex_adversarial_training", "adversarial_training", "adversarial_comparison", "solve_robust_convex",
    "robust_margins", "robust_scores",
]
