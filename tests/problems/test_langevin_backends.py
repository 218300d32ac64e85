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


# ---------------------------------------------------------------- seeds as one batched state

SEED_CASES = {  # (method, instance of seed s, parameters; step_size in units of 1/L, per instance)
    "ula_gaussian": (lg.ula, gauss, {"step_size": 0.5, "n_iter": 30, "chains": 6, "burn_in": 3}),
    "ula_second_moment": (lg.ula, gauss, {"step_size": 0.5, "n_iter": 20, "chains": 5,
                                          "metric": "second_moment"}),
    "ula_logcosh": (lg.ula, lambda s: lg.coupled_logcosh_target(rng(s), dim=6, coupling=0.2 + 0.2 * s),
                    {"step_size": 0.5, "n_iter": 30, "chains": 6, "metric": "mean_error"}),
    "mala_gaussian": (lg.mala, gauss, {"step_size": 2.0, "n_iter": 30, "chains": 6, "burn_in": 3}),
    "mala_logcosh": (lg.mala, lambda s: lg.coupled_logcosh_target(rng(s), dim=6, coupling=0.2 + 0.2 * s),
                     {"step_size": 3.0, "n_iter": 30, "chains": 6, "metric": "variance_ratio_soft"}),
    "sgld_minibatch": (lg.sgld, lambda s: lg.bayesian_linear_regression(rng(s), n_data=30, dim=4),
                       {"step_size": 0.3, "n_iter": 20, "chains": 5, "batch_size": 4, "burn_in": 2}),
    "sgld_full_batch": (lg.sgld, lambda s: lg.bayesian_linear_regression(rng(s), n_data=30, dim=4),
                        {"step_size": 0.3, "n_iter": 15, "chains": 5, "batch_size": 30}),
}


def seed_params(case, be, seeds=3):
    method, make, p = SEED_CASES[case]
    instances = [make(s) for s in range(seeds)]
    params = [{**p, "step_size": p["step_size"] / i.constants["L"], "backend": be} for i in instances]
    return method, instances, params


def assert_same_trace(batched, alone):
    np.testing.assert_allclose(batched.values, alone.values, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(batched.t, alone.t)
    assert batched.metric == alone.metric and batched.info.keys() == alone.info.keys()
    for key, value in alone.info.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_allclose(batched.info[key], value, rtol=1e-12, atol=1e-14)
        else:
            assert batched.info[key] == value, key


@pytest.mark.parametrize("be", ["numba", *ARRAY])
@pytest.mark.parametrize("case", list(SEED_CASES))
def test_seeds_run_as_one_batched_state_give_the_per_seed_traces(case, be, monkeypatch):
    method, instances, params = seed_params(case, be)
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 200)  # several chunks, the last one shorter
    stacked = []
    chains = samplers._chains
    monkeypatch.setattr(samplers, "_chains", lambda runs: stacked.append(len(runs)) or chains(runs))
    batched = run_on(be, lambda _: method.over_seeds(instances, [rng(10 + s) for s in range(3)], params))
    assert stacked == ([1, 1, 1] if be == "numba" else [3])  # numba: seed by seed
    for s, (instance, p, trace) in enumerate(zip(instances, params, batched)):
        assert_same_trace(trace, run_on(be, lambda _: method(instance, rng(10 + s), **p)))
    if "acceptance_rate" in batched[0].info:  # each seed's own
        assert len({trace.info["acceptance_rate"] for trace in batched}) > 1


def test_seeds_with_other_shapes_or_settings_run_one_by_one(monkeypatch):
    stacked = []
    chains = samplers._chains
    monkeypatch.setattr(samplers, "_chains", lambda runs: stacked.append(len(runs)) or chains(runs))
    p = {"step_size": 0.1, "n_iter": 10, "chains": 4, "backend": "numpy"}
    unequal = [gauss(0), lg.gaussian_target(rng(1), dim=6, condition_number=5.0)]
    mixed = [p, {**p, "metric": "mean_error"}]
    for instances, params in [(unequal, [p, p]), ([gauss(0), gauss(1)], mixed)]:
        traces = lg.ula.over_seeds(instances, [rng(0), rng(1)], params)
        for s, (instance, q, trace) in enumerate(zip(instances, params, traces)):
            assert_same_trace(trace, lg.ula(instance, rng(s), **q))
    assert stacked == [1] * 8


@pytest.mark.parametrize("params, error", [
    ({"step_size": 0.5, "n_iter": 10}, ValueError),  # >= 2/L = 0.4: the single call's message
    ({"n_iter": 10}, TypeError),                      # missing step_size
    ({"step_size": 0.1, "n_iter": 10, "chains": 0}, ValueError),
])
def test_over_seeds_raises_the_single_calls_error(params, error):
    instances, p = [gauss(0), gauss(1)], {**params, "backend": "numpy"}
    with pytest.raises(error) as single:
        lg.ula(instances[0], rng(), **p)
    with pytest.raises(error) as batched:
        lg.ula.over_seeds(instances, [rng(), rng()], [p, p])
    assert str(batched.value) == str(single.value)
