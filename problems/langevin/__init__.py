r"""Langevin samplers on targets with known laws.

Overdamped: Gaussian targets (exact ULA laws, Lyapunov stationary covariances, W2 mixing times
after Li, Zha & Tao 2022), a coupled log-cosh target, Bayesian linear regression (SGLD); ULA,
MALA, SGLD and a fine-step coupling simulated with many chains. Underdamped: minibatch SGHMC
integrators (Euler, BAOAB, a fourth-order splitting) with exact stationary laws on a Gaussian
location model (Franzese et al. 2022). Also: the alpha-convention SDE with state-dependent
diffusion (Lau & Lubensky 2007), distributed and federated SGLD (El Mekkaoui et al. 2021) and
Moreau-Yosida ULA on an l1 target (Lau & Liu 2022, Euclidean case). Numba kernels with
array-API twins (NumPy, CuPy, array_api_strict: ``problems.backend``).
"""
from .diffusion import alpha_sde, state_dependent_diffusion, stationary_density
from .federated import dsgld, final_w2, fsgld, sharded_gaussian_posterior
from .gaussian import (gaussian_w2, lmc_mixing_time, mixing_time, sgld_stationary_covariance,
                       stationary_variance_ratio, stationary_w2, ula_exact, ula_law,
                       ula_stationary_covariance)
from .hamiltonian import gaussian_location_model, sghmc, sghmc_exact, variance_error
from .proximal import laplace_gaussian_target, myula, myula_stationary, smoothed_moments, target_density
from .samplers import mala, sgld, ula, ula_coupling
from .targets import bayesian_linear_regression, coupled_logcosh_target, gaussian_target

__all__ = ["gaussian_target", "coupled_logcosh_target", "bayesian_linear_regression",
           "ula_stationary_covariance", "ula_law", "gaussian_w2", "sgld_stationary_covariance",
           "ula_exact", "stationary_w2", "stationary_variance_ratio", "lmc_mixing_time",
           "mixing_time", "ula", "mala", "sgld", "ula_coupling",
           "gaussian_location_model", "sghmc", "sghmc_exact", "variance_error",
           "state_dependent_diffusion", "stationary_density", "alpha_sde",
           "sharded_gaussian_posterior", "dsgld", "fsgld", "final_w2",
           "laplace_gaussian_target", "target_density", "smoothed_moments", "myula_stationary", "myula"]
