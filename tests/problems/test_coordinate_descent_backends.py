"""The array-API twin of problems.coordinate_descent on every back end: every selection rule,
metric and block layout on NumPy and array_api_strict (held to the 2023.12 standard) against
the Numba kernel, with the greedy selections equal (the worst-case start makes the block norms
tie in exact arithmetic), CuPy when a GPU is here; the state kept across chunks on the device;
the floating-point floors found by the worst-case searches; and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
import problems.types
from problems import coordinate_descent as cd

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
RULES = ["random", "lipschitz", "cyclic", "gs", "gsl"]
METRICS = ["suboptimality", "distance", "progress_ratio"]


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twin is written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def make(seed=5, **kw):
    return cd.least_squares(np.random.default_rng(seed), **{"n_samples": 30, "dim": 8, **kw})


def run(inst, backend, seed=9, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return cd.coordinate_descent(inst, np.random.default_rng(seed), backend=backend,
                                     **{"n_iter": 150, **kw})


def assert_backend_matches_numba(inst, backend, seed=9, **kw):
    ref, tr = run(inst, "numba", seed, **kw), run(inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert np.all(np.isfinite(ref.values))
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=0)
    np.testing.assert_array_equal(tr.info["selections"], ref.info["selections"])
    np.testing.assert_allclose(tr.info["min_progress_ratio"], ref.info["min_progress_ratio"], rtol=1e-10, atol=0)
    assert isinstance(tr.info["selections"], np.ndarray) and tr.info["selections"].dtype == np.int64
    return tr


# block size 1 from the worst l1 start (exact ties), 3 (the last block shorter: 8 = 3 + 3 + 2), 8 (one block)
LAYOUTS = [(1, "worst_l1"), (3, "random"), (8, "random")]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("rule", RULES)
def test_array_twin_matches_numba_kernel(rule, metric, backend):
    for block, start in LAYOUTS:
        inst = make(lipschitz_spread=1.0 if start == "worst_l1" else 100.0, start=start)
        assert_backend_matches_numba(inst, backend, rule=rule, metric=metric, block_size=block, replicas=3,
                                     step="max" if block == 3 else "block")


@FAST
@given(seed=st.integers(0, 2**32 - 1), rule=st.sampled_from(RULES), block=st.integers(1, 6),
       step=st.sampled_from(["block", "max"]))
def test_strict_twin_matches_numba_over_seeds_rules_and_blocks(seed, rule, block, step):
    inst = make(seed=seed, dim=6, n_samples=20, lipschitz_spread=30.0)
    assert_backend_matches_numba(inst, "array_api_strict", seed=seed, rule=rule, block_size=block, step=step,
                                 replicas=2, n_iter=80, metric="progress_ratio")


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_state_carries_over_chunks_on_the_device(backend, monkeypatch):
    inst = make(seed=6)
    whole = run(inst, backend, rule="lipschitz", replicas=3, metric="progress_ratio")
    monkeypatch.setattr(problems.types, "CHUNK_NUMBERS", 7)  # chunks of 2 steps for 3 replicas
    pieces = run(inst, backend, rule="lipschitz", replicas=3, metric="progress_ratio")
    np.testing.assert_array_equal(pieces.values, whole.values)
    np.testing.assert_array_equal(pieces.info["selections"], whole.info["selections"])


def _underflow_instance():
    # the worst-case searches' draw {"dim": 2, "seed": 0} of nutini_gs_rate_mu1 / nutini_gsl_progress
    problem_seed, method_seed = np.random.SeedSequence(0).spawn(2)
    inst = cd.least_squares(np.random.default_rng(problem_seed), n_samples=60, dim=2, lipschitz_spread=1.0)
    return inst, method_seed


def test_strict_twin_passes_the_underflow_threshold_and_stops_the_ratio_at_the_floor():
    inst, method_seed = _underflow_instance()
    with strict_2023():
        gs = cd.coordinate_descent(inst, np.random.default_rng(method_seed), n_iter=2000, rule="gs", step="max",
                                   backend="array_api_strict")
        gsl = cd.coordinate_descent(inst, np.random.default_rng(method_seed), n_iter=300, rule="gsl",
                                    metric="progress_ratio", n_checkpoints=30, backend="array_api_strict")
    assert np.all(np.isfinite(gs.values)) and gs.values[0, -1] <= 1e-300
    assert gsl.values.min() >= 1 - 1e-9


@needs_cupy
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("rule", RULES)
def test_cupy_twin_matches_numba_kernel(rule, metric):
    for block, start in LAYOUTS:
        inst = make(lipschitz_spread=1.0 if start == "worst_l1" else 100.0, start=start)
        assert_backend_matches_numba(inst, "cupy", rule=rule, metric=metric, block_size=block, replicas=3)


def test_unknown_backend_raises_value_error_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="backend.*'numba'.*'numpy'.*'cupy'.*'array_api_strict'"):
        cd.coordinate_descent(make(), np.random.default_rng(0), n_iter=10, backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        cd.coordinate_descent(make(), np.random.default_rng(0), n_iter=10, backend="cupy")


def test_coordinate_descent_accepts_every_backend():
    assert all(problems.backend.accepts(cd.coordinate_descent, b) for b in problems.backend.BACKENDS)
