r"""Low-rank matrix recovery: ground truths :math:`M_\star` of rank :math:`r`, fully observed or
sensed by Gaussian measurements (possibly corrupted), and factored gradient methods on
them (Xiong, Ding & Du 2024; Ma & Fattahi 2023): Numba kernels with array-API twins
(NumPy, CuPy, array_api_strict).
"""
from .generators import asymmetric_low_rank, symmetric_low_rank
from .methods import asymmetric_gd, subgradient_l1, symmetric_gd

__all__ = ["symmetric_low_rank", "asymmetric_low_rank", "symmetric_gd", "asymmetric_gd",
           "subgradient_l1"]
