"""Tests for problems.kernel_ridge: the Gram matrix and its spectral constants, the distillation
rounds against a direct implementation and their closed form, the limit (geometric series) equal
to the ridge fit with penalty lambda/xi and not to the other rescalings, the linear rate, the
kernel against its twin, and bad arguments."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import kernel_ridge as kr

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=10)
seeds = st.integers(0, 2**32 - 1)


def make(seed=0, **kw):
    return kr.rbf_regression(np.random.default_rng(seed), **{"n_samples": 25, **kw})


def distill(inst, **kw):
    return kr.self_distillation(inst, np.random.default_rng(0), **{"n_rounds": 100, **kw})


@FAST
@given(seeds, st.floats(0.2, 3.0), st.floats(1e-2, 10.0), st.floats(0.05, 1.0))
def test_gram_matrix_is_rbf_and_constants_are_its_spectrum(seed, bandwidth, penalty, xi):
    inst = make(seed, bandwidth=bandwidth, penalty=penalty, xi=xi)
    X, K, c = inst.data["X"], inst.data["K"], inst.constants
    i, j = 2, 7
    assert K[i, j] == pytest.approx(np.exp(-np.sum((X[i] - X[j]) ** 2) / (2 * bandwidth**2)), rel=1e-14)
    np.testing.assert_array_equal(K, K.T)
    eig = np.linalg.eigvalsh(K)
    assert c["kernel_max_eig"] == pytest.approx(eig[-1], rel=1e-12)
    assert c["contraction"] == pytest.approx((1 - xi) * eig[-1] / (eig[-1] + penalty), rel=1e-12)
    assert c["limit_penalty"] == pytest.approx(penalty / xi, rel=1e-15)
    V, d = inst.data["eigenvectors"], inst.data["eigenvalues"]
    np.testing.assert_allclose(V * d @ V.T, K, atol=1e-12)


def test_rounds_match_a_direct_implementation_of_the_weighted_refits():
    inst = make(seed=1, penalty=0.5, xi=0.3)
    K, y = inst.data["K"], inst.data["y"]
    S = K @ np.linalg.inv(K + 0.5 * np.eye(y.size))
    f = S @ y
    fs = [f]
    for _ in range(5):
        f = S @ (0.3 * y + 0.7 * f)
        fs.append(f)
    ref = kr.ridge_fit(inst, 0.5 / 0.3)
    tr = distill(inst, n_rounds=5, n_checkpoints=10)
    np.testing.assert_array_equal(tr.t, np.arange(6))
    expected = [np.linalg.norm(g - ref) / np.linalg.norm(ref) for g in fs]
    np.testing.assert_allclose(tr.values[0], expected, rtol=1e-10)
    np.testing.assert_allclose(fs[0], kr.ridge_fit(inst, 0.5), rtol=1e-10)  # round 0 is the ridge fit


@FAST
@given(seeds, st.floats(1e-2, 10.0), st.floats(0.05, 1.0))
def test_the_limit_is_the_ridge_fit_with_penalty_lambda_over_xi(seed, penalty, xi):
    inst = make(seed, penalty=penalty, xi=xi)
    limit = kr.distillation_limit(inst)
    ridge = kr.ridge_fit(inst, penalty / xi)
    assert np.linalg.norm(limit - ridge) <= 1e-10 * np.linalg.norm(ridge)
    rounds = int(np.ceil(np.log(1e-15) / np.log(inst.constants["contraction"]))) + 20  # past the transient
    tr = distill(inst, n_rounds=rounds)
    assert tr.values[0, -1] <= 1e-12
    if xi < 0.9:  # the other rescalings are far from it
        for wrong in (penalty, penalty * xi):
            assert np.linalg.norm(limit - kr.ridge_fit(inst, wrong)) > 1e-3 * np.linalg.norm(ridge)


@FAST
@given(seeds, st.floats(1e-2, 10.0), st.floats(0.05, 0.95))
def test_rounds_follow_their_closed_form_and_the_geometric_bound(seed, penalty, xi):
    inst = make(seed, penalty=penalty, xi=xi)
    c = inst.constants
    closed = distill(inst, metric="closed_form_deviation")
    assert closed.values.max() <= 1e-12
    dev = distill(inst)
    assert dev.values[0, 0] == pytest.approx(c["deviation0"], rel=1e-9)
    assert np.all(dev.values[0] <= c["deviation0"] * c["contraction"] ** dev.t + 1e-12)


def test_deviation_decays_at_the_contraction_rate():
    inst = make(seed=2, n_samples=40, penalty=5.0, xi=0.5)
    tr = distill(inst, n_rounds=30, n_checkpoints=100)
    c = inst.constants
    late = (tr.t >= 20) & (tr.t <= 28)
    fitted = np.polyfit(tr.t[late], np.log(tr.values[0, late]), 1)[0]
    assert fitted == pytest.approx(np.log(c["contraction"]), rel=0.01)


def test_xi_one_keeps_the_ridge_fit_and_xi_argument_overrides_the_instance():
    inst = make(seed=3, penalty=1.0, xi=0.5)
    tr = distill(inst, xi=1.0, reference_penalty=1.0, n_rounds=10)
    assert tr.values.max() <= 1e-13 and tr.info["contraction"] == 0.0


def test_kernel_matches_numpy_twin_to_the_last_rounds():
    inst = make(seed=4, penalty=0.1, xi=0.25)
    for metric in ("deviation", "closed_form_deviation"):
        a, b = distill(inst, metric=metric, n_rounds=150), distill(inst, metric=metric, n_rounds=150, backend="numpy")
        np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=0)
    assert a.values[0, -1] < 1e-13  # the comparison covers converged, round-off-level rounds


def test_results_are_deterministic():
    inst = make(seed=5)
    a = kr.self_distillation(inst, np.random.default_rng(1), n_rounds=50)
    b = kr.self_distillation(inst, np.random.default_rng(2), n_rounds=50)
    np.testing.assert_array_equal(a.values, b.values)


def _bad_calls():
    rng, inst = np.random.default_rng(0), make()
    return [
        ("n_samples", lambda: kr.rbf_regression(rng, n_samples=1)),
        ("bandwidth", lambda: kr.rbf_regression(rng, bandwidth=0.0)),
        ("penalty", lambda: kr.rbf_regression(rng, penalty=-1.0)),
        ("xi", lambda: kr.rbf_regression(rng, xi=0.0)),
        ("xi", lambda: kr.rbf_regression(rng, xi=1.5)),
        ("noise", lambda: kr.rbf_regression(rng, noise=-0.1)),
        ("rng", lambda: kr.rbf_regression(0)),
        ("rng", lambda: kr.self_distillation(inst, 0, n_rounds=5)),
        ("instance", lambda: kr.self_distillation({"K": np.eye(2)}, rng, n_rounds=5)),
        ("n_rounds", lambda: kr.self_distillation(inst, rng, n_rounds=0)),
        ("xi", lambda: kr.self_distillation(inst, rng, n_rounds=5, xi=2.0)),
        ("reference_penalty", lambda: kr.self_distillation(inst, rng, n_rounds=5, reference_penalty=0.0)),
        ("metric", lambda: kr.self_distillation(inst, rng, n_rounds=5, metric="risk")),
        ("backend", lambda: kr.self_distillation(inst, rng, n_rounds=5, backend="jax")),
        ("penalty", lambda: kr.ridge_fit(inst, 0.0)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
