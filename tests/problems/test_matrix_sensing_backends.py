"""The matrix-sensing twins are array-API code: on NumPy, array_api_strict and (where there
is a GPU) CuPy they agree with the Numba kernels, divergence included; a back end that is
not one of the four is refused by name."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import matrix_sensing as ms

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=10)
ARRAY = ["numpy", "array_api_strict"]
needs_cupy = pytest.mark.skipif(not problems.backend.available("cupy"),
                                reason="needs CuPy and a CUDA GPU")


def sym(**kw):
    return ms.symmetric_low_rank(np.random.default_rng(0), **{"dim": 8, "rank": 2, **kw})


def asym(**kw):
    return ms.asymmetric_low_rank(np.random.default_rng(0), **{"rows": 7, "cols": 5, "rank": 2,
                                                               **kw})


GD = {"init_scale": 0.3, "step_size": 0.1, "n_iter": 150, "replicas": 3, "n_checkpoints": 20}
SENSED = {"n_measurements": 80, "noise": 0.01}
# (method, instance maker, instance parameters, method parameters): every path of every kernel
CASES = {
    "symmetric_full": (ms.symmetric_gd, sym, {}, {"width": 3}),
    "symmetric_full_overparameterised": (ms.symmetric_gd, sym, {}, {"width": 8}),
    "symmetric_sensing": (ms.symmetric_gd, sym, SENSED, {"width": 3, "metric": "relative"}),
    "asymmetric_full": (ms.asymmetric_gd, asym, {}, {"width": 3, "init_ratio": 0.5}),
    "asymmetric_full_rebalanced": (ms.asymmetric_gd, asym, {},
                                   {"width": 3, "rebalance_at": 7, "rebalance_scale": 0.7,
                                    "metric": "frobenius_squared"}),
    "asymmetric_of_symmetric": (ms.asymmetric_gd, sym, {}, {"width": 3, "rebalance_at": 0}),
    "asymmetric_sensing": (ms.asymmetric_gd, asym, SENSED,
                           {"width": 3, "init_ratio": 0.5, "rebalance_at": 4}),
    "subgradient_l1": (ms.subgradient_l1, sym, {"n_measurements": 100, "outlier_fraction": 0.1},
                       {"width": 3, "decay": 0.99, "n_used": 70}),
}


def run(case, backend, **override):
    method, make, problem, params = CASES[case]
    return method(make(**problem), np.random.default_rng(11), backend=backend,
                  **{**GD, **params, **override})


def assert_agrees_with_numba(case, backend, **override):
    reference, trace = run(case, "numba", **override), run(case, backend, **override)
    np.testing.assert_array_equal(trace.t, reference.t)
    np.testing.assert_allclose(trace.values, reference.values, rtol=1e-10, atol=0)
    assert trace.info["backend"] == backend and reference.info["backend"] == "numba"
    assert type(trace.values) is np.ndarray and trace.values.dtype == np.float64
    return reference


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("backend", ARRAY)
def test_array_api_twin_matches_numba_kernel(backend, case):
    reference = assert_agrees_with_numba(case, backend)
    assert np.all(np.isfinite(reference.values))
    assert reference.values[:, -1].max() < reference.values[:, 0].min()  # it moved, downhill


@pytest.mark.parametrize("case", ["symmetric_sensing", "asymmetric_full", "subgradient_l1"])
@pytest.mark.parametrize("backend", ARRAY)
def test_array_api_twin_diverges_to_inf_where_the_kernel_does(backend, case):
    override = {"init_scale": 1.0, "step_size": 50.0, "n_iter": 2000}
    reference = assert_agrees_with_numba(case, backend, **override)
    assert not np.isfinite(reference.values[:, -1]).any()
    assert np.all(reference.values[~np.isfinite(reference.values)] == np.inf)


@given(seed=st.integers(0, 2**32 - 1), step=st.floats(0.02, 0.4), width=st.integers(2, 8))
@FAST
def test_strict_twin_matches_numba_over_seeds_steps_and_widths(seed, step, width):
    inst = ms.symmetric_low_rank(np.random.default_rng(seed), dim=8, rank=2)
    kw = {"width": width, "init_scale": 0.3, "step_size": step, "n_iter": 80, "replicas": 2,
          "n_checkpoints": 10}
    reference = ms.symmetric_gd(inst, np.random.default_rng(seed + 1), backend="numba", **kw)
    trace = ms.symmetric_gd(inst, np.random.default_rng(seed + 1), backend="array_api_strict",
                            **kw)
    np.testing.assert_allclose(trace.values, reference.values, rtol=1e-10, atol=0)


@needs_cupy
@pytest.mark.parametrize("case", CASES)
def test_cupy_twin_matches_numba_kernel(case):
    assert_agrees_with_numba(case, "cupy")


@pytest.mark.skipif(problems.backend.available("cupy"), reason="CuPy and a GPU are present")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        run("symmetric_full", "cupy")


@pytest.mark.parametrize("method", [ms.symmetric_gd, ms.asymmetric_gd, ms.subgradient_l1])
def test_every_method_runs_on_every_back_end_and_refuses_others(method):
    assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
    case = {ms.symmetric_gd: "symmetric_full", ms.asymmetric_gd: "asymmetric_full",
            ms.subgradient_l1: "subgradient_l1"}[method]
    with pytest.raises(ValueError, match=r"backend.*'numba'.*'array_api_strict'.*'torch'"):
        run(case, "torch")


# ---------------------------------------------------------------- seeds as one batched state

def seeded(case, seeds=3, backend="numpy", **override):
    """The engine's arguments for ``over_seeds``: one instance, generator and parameter dict per
    seed, the step size (0.2 / sigma_1) and rebalancing scale (sigma_r) resolved per instance."""
    method, make, problem, params = CASES[case]
    makers = {sym: ms.symmetric_low_rank, asym: ms.asymmetric_low_rank}
    shape = {"dim": 8} if make is sym else {"rows": 7, "cols": 5}
    instances = [makers[make](np.random.default_rng(s), rank=2, **shape, **problem)
                 for s in range(seeds)]
    per_instance = [{"step_size": 0.2 / i.constants["sigma_1"],
                     **({"rebalance_scale": i.constants["sigma_r"]}
                        if "rebalance_at" in params else {})} for i in instances]
    return method, instances, [np.random.default_rng(20 + s) for s in range(seeds)], [
        {**GD, **params, **p, "backend": backend, **override} for p in per_instance]


@pytest.fixture
def launches(monkeypatch):
    """The shapes of the initial factors of every kernel launch: ``(S, R, n, k)`` for a batch."""
    shapes = []
    launch = ms.methods._launch
    monkeypatch.setattr(ms.methods, "_launch", lambda xp, name, arrays, rest: (
        shapes.append(arrays[-1].shape), launch(xp, name, arrays, rest))[1])
    return shapes


def assert_per_seed_traces(method, instances, rngs, params, traces):
    assert len(traces) == len(instances)
    for s, (instance, p, trace) in enumerate(zip(instances, params, traces)):
        alone = method(instance, np.random.default_rng(20 + s), **p)
        np.testing.assert_array_equal(trace.t, alone.t)
        np.testing.assert_allclose(trace.values, alone.values, rtol=1e-12, atol=0)
        assert trace.metric == alone.metric and trace.info == alone.info


@pytest.mark.parametrize("case", ["symmetric_full", "symmetric_sensing", "asymmetric_full",
                                  "asymmetric_full_rebalanced", "asymmetric_sensing"])
@pytest.mark.parametrize("backend", ["numba", *ARRAY])
def test_seeds_run_as_one_batched_state_give_the_per_seed_traces(backend, case, launches):
    method, instances, rngs, params = seeded(case, backend=backend)
    traces = method.over_seeds(instances, rngs, params)
    n_seeds = len(instances)
    assert launches == ([(GD["replicas"],) + launches[0][1:]] * n_seeds if backend == "numba"
                        else [(n_seeds, GD["replicas"]) + launches[0][2:]])
    assert_per_seed_traces(method, instances, rngs, params, traces)


def test_a_seed_that_diverges_reads_inf_in_its_own_rows_only(launches):
    method, instances, rngs, params = seeded("asymmetric_full")
    params[1] = {**params[1], "init_scale": 1.0, "step_size": 50.0}
    traces = method.over_seeds(instances, rngs, params)
    assert len(launches) == 1 and len(launches[0]) == 4
    assert traces[1].info["first_nonfinite"] is not None
    assert traces[0].info["first_nonfinite"] is None and traces[2].info["first_nonfinite"] is None
    assert_per_seed_traces(method, instances, rngs, params, traces)


def test_seeds_with_other_shapes_or_settings_run_one_by_one(launches):
    method, instances, rngs, params = seeded("symmetric_sensing", seeds=2)
    unequal = [instances[0], ms.symmetric_low_rank(np.random.default_rng(1), dim=6, rank=2,
                                                   **SENSED)]
    traces = method.over_seeds(unequal, rngs, params)
    assert [len(shape) for shape in launches] == [3, 3]
    assert_per_seed_traces(method, unequal, rngs, params, traces)
    method, instances, rngs, params = seeded("symmetric_full", seeds=2)
    params[1] = {**params[1], "metric": "relative"}
    launches.clear()
    traces = method.over_seeds(instances, rngs, params)
    assert [len(shape) for shape in launches] == [3, 3]
    assert_per_seed_traces(method, instances, rngs, params, traces)


def test_seeds_are_validated_as_the_single_call_validates():
    method, instances, rngs, params = seeded("asymmetric_full")
    params[2] = {**params[2], "init_ratio": -1.0}
    with pytest.raises(ValueError) as single:
        method(instances[2], rngs[2], **params[2])
    with pytest.raises(ValueError) as batched:
        method.over_seeds(instances, rngs, params)
    assert str(batched.value) == str(single.value)
    params[2] = {**params[2], "init_ratio": 1.0, "widht": 3}
    with pytest.raises(TypeError, match="widht"):
        method.over_seeds(instances, rngs, params)
