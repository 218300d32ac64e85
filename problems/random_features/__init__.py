r"""Linear random-feature regression on a power-law teacher (Bahri, Dyer, Kaplan, Lee & Sharma 2021): the
exact teacher-averaged test loss in the data and width limits and at finite size, for the four scaling
regimes (variance- and resolution-limited, in data and in width). Single-threaded Numba kernels for the
Gram matrices and Cholesky solves, with array-API twins (NumPy, CuPy, array_api_strict).
"""
from .generators import power_law_teacher
from .methods import inverse_wishart_trace, projection_loss, random_feature_regression

__all__ = ["power_law_teacher", "random_feature_regression", "projection_loss", "inverse_wishart_trace"]
