"""The Langevin samplers on the array back ends: the array-API twins of ULA, MALA, SGLD and the
ULA coupling agree with the Numba kernels on NumPy, on array_api_strict (held to the 2023.12
standard) and on CuPy where a GPU is present; the host-drawn noise does not depend on the
chunking on any back end; a back end that is unknown or cannot run here is named."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import backend, types
from problems import langevin as lg
from problems.langevin import samplers

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
ARRAY = ["numpy", "array_api_strict"]
needs_cupy = pytest.mark.skipif(not backend.available("cupy"), reason="needs CuPy and a CUDA GPU")


def rng(seed=0):
    return np.random.default_rng(seed)


def gauss(seed=0):
    return lg.gaussian_target(rng(seed), dim=5, condition_number=5.0, start_distance=1.0,
                              mean_scale=1.0)


def logcosh():
    return lg.coupled_logcosh_target(rng(), dim=6, coupling=0.5)


def blr():
    return lg.bayesian_linear_regression(rng(1), n_data=30, dim=4)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run_on(be, call):
    with strict_2023() if be == "array_api_strict" else contextlib.nullcontext():
        return call(be)


CASES = {
    "ula_gaussian": lambda be: lg.ula(gauss(), rng(2), step_size=0.1, n_iter=40, chains=7,
                                      burn_in=3, backend=be),
    "ula_gaussian_second_moment": lambda be: lg.ula(
        gauss(), rng(3), step_size=0.2, n_iter=30, chains=6, metric="second_moment", backend=be),
    "ula_logcosh": lambda be: lg.ula(logcosh(), rng(4), step_size=0.2, n_iter=40, chains=7,
                                     metric="mean_error", backend=be),
    "mala_gaussian": lambda be: lg.mala(gauss(), rng(5), step_size=0.4, n_iter=40, chains=7,
                                        burn_in=3, backend=be),
    "mala_logcosh": lambda be: lg.mala(logcosh(), rng(6), step_size=0.8, n_iter=40, chains=7,
                                       metric="variance_ratio_soft", backend=be),
    "sgld_minibatch": lambda be: lg.sgld(blr(), rng(7), step_size=0.002, n_iter=30, chains=5,
                                         batch_size=4, burn_in=2, backend=be),
    "sgld_full_batch": lambda be: lg.sgld(blr(), rng(8), step_size=0.002, n_iter=20, chains=5,
                                          batch_size=30, backend=be),
    "ula_coupling": lambda be: lg.ula_coupling(logcosh(), rng(9), step_size=0.1, n_iter=12,
                                               chains=5, refinement=3, backend=be),
}


def assert_agree(a, b):
    np.testing.assert_allclose(b.values, a.values, rtol=1e-10, atol=1e-14)
    for key in ("final_state", "coupling_w2", "projected_w2"):
        if key in a.info:
            assert isinstance(b.info[key], np.ndarray)
            np.testing.assert_allclose(b.info[key], a.info[key], rtol=1e-10, atol=1e-14)
    assert a.info.get("acceptance_rate") == b.info.get("acceptance_rate")


@pytest.mark.parametrize("be", ARRAY)
@pytest.mark.parametrize("case", list(CASES))
def test_array_twins_match_numba_kernels(case, be):
    a, b = CASES[case]("numba"), run_on(be, CASES[case])
    assert_agree(a, b)
    assert b.info["backend"] == be and np.all(np.isfinite(b.values))
    if "acceptance_rate" in a.info:
        assert 0 < b.info["acceptance_rate"] < 1  # both branches of the accept/reject ran


@FAST
@given(seed=st.integers(0, 2**32 - 1), h=st.floats(0.05, 1.5))
def test_strict_mala_matches_numba_over_seeds_and_steps(seed, h):
    inst = gauss(seed % 100)
    call = lambda be: lg.mala(inst, rng(seed), step_size=h, n_iter=15, chains=4, burn_in=2,
                              metric="mean_error", backend=be)
    assert_agree(call("numba"), run_on("array_api_strict", call))


def test_strict_twins_do_not_depend_on_the_chunking(monkeypatch):
    cases = [CASES["mala_gaussian"], CASES["sgld_minibatch"], CASES["ula_coupling"]]
    whole = [run_on("array_api_strict", call) for call in cases]
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 40)  # a step or two per chunk
    for call, ref in zip(cases, whole):
        np.testing.assert_array_equal(run_on("array_api_strict", call).values, ref.values)


def test_samplers_declare_every_back_end():
    for method in (lg.ula, lg.mala, lg.sgld, lg.ula_coupling):
        assert all(backend.accepts(method, be) for be in backend.BACKENDS)
    assert samplers.BACKENDS == backend.BACKENDS


@pytest.mark.parametrize("method", ["ula", "mala", "ula_coupling"])
def test_unknown_backend_is_named(method):
    with pytest.raises(ValueError, match=r"backend must be one of .*'array_api_strict', got 'jax'"):
        getattr(lg, method)(gauss(), rng(), step_size=0.1, n_iter=5, backend="jax")


@pytest.mark.skipif(backend.available("cupy"), reason="CuPy runs here")
def test_cupy_without_a_gpu_says_so_in_one_line():
    with pytest.raises(backend.BackendUnavailable, match="cupy") as err:
        lg.ula(gauss(), rng(), step_size=0.1, n_iter=5, backend="cupy")
    assert "\n" not in str(err.value)


@needs_cupy
@pytest.mark.parametrize("case", list(CASES))
def test_cupy_twins_match_numba_kernels(case):
    a, b = CASES[case]("numba"), CASES[case]("cupy")
    assert_agree(a, b)
    assert b.info["backend"] == "cupy"
