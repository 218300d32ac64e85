r"""Wide networks: a random two-layer network at initialisation (the empirical NTK against its
infinite-width limit, Jacot et al. 2018; the output's excess kurtosis c/m, Antognini 2019) and a
linear student trained by gradient descent on a linear teacher (the late-time error's peak at
N = P and the frozen subspace, Advani & Saxe 2017), with exact limits and constants: Numba
kernels with array-API twins (NumPy, CuPy, array_api_strict).
"""
from .generators import linear_teacher_student, sphere_points
from .limits import gaussian_moments, kurtosis_constant, limit_ntk, ntk_entry_variances
from .linear_student import (early_stopped_error, expected_flow_error, expected_late_time_error,
                             expected_test_error, late_time_error, spectrum, student_gradient_descent)
from .methods import empirical_ntk, output_kurtosis, rms_final

__all__ = ["sphere_points", "linear_teacher_student", "gaussian_moments", "limit_ntk", "ntk_entry_variances",
           "kurtosis_constant", "empirical_ntk", "output_kurtosis", "rms_final", "late_time_error",
           "student_gradient_descent", "expected_test_error", "expected_late_time_error", "expected_flow_error",
           "early_stopped_error", "spectrum"]
