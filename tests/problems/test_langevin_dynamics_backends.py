"""The Langevin dynamics modules (SGHMC, the alpha-point SDE scheme, distributed and federated
SGLD, MYULA) on the array back ends: their array-API twins agree with the Numba kernels on
NumPy, on array_api_strict (held to the 2023.12 standard) and on CuPy where a GPU is present;
the host-drawn randomness does not depend on the chunking on any back end; a back end that is
unknown or cannot run here is named."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.langevin.diffusion as diffusion
import problems.langevin.federated as federated
import problems.langevin.hamiltonian as hamiltonian
import problems.langevin.proximal as proximal
from problems import backend, types

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
ARRAY = ["numpy", "array_api_strict"]
MODULES = (diffusion, federated, hamiltonian, proximal)
needs_cupy = pytest.mark.skipif(not backend.available("cupy"), reason="needs CuPy and a CUDA GPU")


def rng(seed=0):
    return np.random.default_rng(seed)


def location(seed=0):
    return hamiltonian.gaussian_location_model(rng(seed), n_data=20, batch_size=5, dim=2,
                                               data_scale=4.0)


def shards():
    return federated.sharded_gaussian_posterior(rng(), n_shards=3, n_per_shard=10)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run_on(be, call):
    with strict_2023() if be == "array_api_strict" else contextlib.nullcontext():
        return call(be)


def sghmc(integrator, full_gradient=False, metric="variance_ratio", seed=1, h=0.15):
    return lambda be: hamiltonian.sghmc(location(), rng(seed), integrator=integrator, step_size=h,
                                        n_iter=60, chains=4, burn_in=3, full_gradient=full_gradient,
                                        metric=metric, backend=be)


def alpha(potential, diffusion_kind, a, corrected, metric):
    inst = diffusion.state_dependent_diffusion(rng(), potential=potential, diffusion=diffusion_kind)
    return lambda be: diffusion.alpha_sde(inst, rng(2), alpha=a, corrected=corrected,
                                          step_size=0.01, n_iter=80, chains=5, metric=metric,
                                          backend=be)


CASES = {
    **{f"sghmc_{i}": sghmc(i) for i in hamiltonian.INTEGRATORS},
    "sghmc_full_gradient_momentum": sghmc("baoab", True, "momentum_variance_ratio"),
    "alpha_sine_stratonovich": alpha("harmonic", "sine", 0.5, False, "variance_ratio"),
    "alpha_double_well_ito": alpha("double_well", "rational", 0.0, True, "mean"),
    "alpha_anti_ito": alpha("harmonic", "sine", 1.0, True, "mean"),
    "dsgld_random": lambda be: federated.dsgld(shards(), rng(3), step_size=2e-3, n_iter=80,
                                               local_steps=7, chains=4, burn_in=5,
                                               schedule="random", backend=be),
    "fsgld_round_robin": lambda be: federated.fsgld(shards(), rng(3), step_size=2e-3, n_iter=80,
                                                    local_steps=3, chains=4, metric="mean_error",
                                                    backend=be),
    **{f"myula_{m}": (lambda be, m=m: proximal.myula(
        proximal.laplace_gaussian_target(rng(), dim=3), rng(4), step_size=0.1, smoothing=0.3,
        n_iter=80, chains=4, burn_in=2, metric=m, backend=be)) for m in proximal.SIM_METRICS},
}


def assert_agree(a, b):
    np.testing.assert_allclose(b.values, a.values, rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(b.t, a.t)
    for key in ("final_mean", "final_covariance"):
        if key in a.info:
            assert isinstance(b.info[key], np.ndarray)
            np.testing.assert_allclose(b.info[key], a.info[key], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("be", ARRAY)
@pytest.mark.parametrize("case", list(CASES))
def test_array_twins_match_numba_kernels(case, be):
    a, b = CASES[case]("numba"), run_on(be, CASES[case])
    assert_agree(a, b)
    assert b.info["backend"] == be and np.all(np.isfinite(b.values))


@FAST
@given(seed=st.integers(0, 2**32 - 1), h=st.floats(0.02, 0.4),
       integrator=st.sampled_from(hamiltonian.INTEGRATORS))
def test_strict_minibatch_sghmc_matches_numba_over_seeds_and_steps(seed, h, integrator):
    call = sghmc(integrator, seed=seed, h=h)
    assert_agree(call("numba"), run_on("array_api_strict", call))


def test_strict_twins_carry_their_state_across_segments(monkeypatch):
    """Short chunks (a step or a few): the twins match the kernels fed the same segments, and
    where the host draws only normals (one stream, not interleaved with integers) the chunking
    changes no number at all."""
    single_stream = ("alpha_sine_stratonovich", "myula_abs_mean", "fsgld_round_robin")
    whole = {c: run_on("array_api_strict", CASES[c]) for c in single_stream}
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 30)
    for case in ("sghmc_baoab", "dsgld_random", *single_stream):
        chunked = run_on("array_api_strict", CASES[case])
        assert_agree(CASES[case]("numba"), chunked)
        if case in whole:
            np.testing.assert_allclose(chunked.values, whole[case].values, rtol=1e-13, atol=0)


def test_divergent_twins_report_inf_without_warnings():
    target = proximal.laplace_gaussian_target(rng())
    with strict_2023(), np.errstate(all="raise"):
        tr = proximal.myula(target, rng(), step_size=10.0, n_iter=400, chains=2,
                            backend="array_api_strict")
        assert tr.info["first_nonfinite"] is not None and tr.values[0, -1] == np.inf
    tr = federated.dsgld(federated.sharded_gaussian_posterior(rng()), rng(), step_size=0.05,
                         n_iter=500, chains=2, backend="numpy")
    assert federated.final_w2(tr) == np.inf


def test_dynamics_modules_declare_every_back_end():
    methods = (diffusion.alpha_sde, federated.dsgld, federated.fsgld, hamiltonian.sghmc,
               proximal.myula)
    for method in methods:
        assert all(backend.accepts(method, be) for be in backend.BACKENDS), method.__name__
    assert all(module.BACKENDS == backend.BACKENDS for module in MODULES)


@pytest.mark.parametrize("case", list(CASES))
def test_unknown_backend_is_named(case):
    with pytest.raises(ValueError, match=r"backend must be one of .*'array_api_strict', got 'jax'"):
        CASES[case]("jax")


@pytest.mark.skipif(backend.available("cupy"), reason="CuPy runs here")
@pytest.mark.parametrize("case", ["sghmc_euler", "alpha_anti_ito", "fsgld_round_robin",
                                  "myula_abs_mean"])
def test_cupy_without_a_gpu_says_so_in_one_line(case):
    with pytest.raises(backend.BackendUnavailable, match="cupy") as err:
        CASES[case]("cupy")
    assert "\n" not in str(err.value)


@needs_cupy
@pytest.mark.parametrize("case", list(CASES))
def test_cupy_twins_match_numba_kernels(case):
    a, b = CASES[case]("numba"), CASES[case]("cupy")
    assert_agree(a, b)
    assert b.info["backend"] == "cupy"
