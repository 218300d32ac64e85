"""Separable classification: kernels against twins, Tyurin's perceptron limit, the generator."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from problems.linear_classification import (
    batch_perceptron,
    logistic_gd,
    perceptron_deviation,
    separable_data,
)

DERANDOMIZED = settings(derandomize=True, database=None, deadline=None, max_examples=40)


def _instance(seed, n_samples=50, dim=5, margin=0.1):
    return separable_data(np.random.default_rng(seed), n_samples=n_samples, dim=dim, margin=margin)


def _first_zero_misclassified(instance, step_size, n_iter):
    trace = logistic_gd(instance, None, step_size=step_size, n_iter=n_iter,
                        metric="misclassified", n_checkpoints=20 * n_iter)
    assert np.array_equal(trace.t, np.arange(n_iter + 1))  # every iteration recorded
    zero = np.flatnonzero(trace.values[0] == 0.0)
    return int(trace.t[zero[0]]) if zero.size else np.inf


@pytest.mark.parametrize("metric", ["loss", "misclassified", "perceptron_loss"])
@pytest.mark.parametrize("step_size", [0.5, 50.0, 1e8, 1e307])
def test_logistic_gd_kernel_matches_numpy_twin(metric, step_size):
    inst = _instance(1, margin=0.01)
    fast = logistic_gd(inst, None, step_size=step_size, n_iter=200, metric=metric, backend="numba")
    slow = logistic_gd(inst, None, step_size=step_size, n_iter=200, metric=metric, backend="numpy")
    np.testing.assert_array_equal(fast.t, slow.t)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10, atol=0)
    np.testing.assert_allclose(fast.info["v_final"], slow.info["v_final"], rtol=1e-10)


@pytest.mark.parametrize("tie_weight", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("metric", ["misclassified", "perceptron_loss", "loss"])
def test_batch_perceptron_kernel_matches_numpy_twin(tie_weight, metric):
    inst = _instance(2, margin=0.01)
    kw = dict(n_iter=200, tie_weight=tie_weight, metric=metric)
    fast = batch_perceptron(inst, None, backend="numba", **kw)
    slow = batch_perceptron(inst, None, backend="numpy", **kw)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10, atol=0)
    np.testing.assert_allclose(fast.info["w_final"], slow.info["w_final"], rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("tie_weight", [0.0, 0.5])
def test_perceptron_deviation_kernel_matches_numpy_twin(tie_weight):
    inst = _instance(3)
    kw = dict(step_size=1e3, n_iter=100, tie_weight=tie_weight)
    fast = perceptron_deviation(inst, None, backend="numba", **kw)
    slow = perceptron_deviation(inst, None, backend="numpy", **kw)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_huge_step_logistic_gd_follows_perceptron_with_half_ties(seed):
    trace = perceptron_deviation(_instance(seed), None, step_size=1e8, n_iter=30,
                                 tie_weight=0.5, n_checkpoints=100)
    assert np.array_equal(trace.t, np.arange(31))
    assert trace.values[0, 0] == 0.0
    assert np.max(trace.values) < 1e-12


@pytest.mark.parametrize("seed", [0, 1])
def test_zero_tie_weight_perceptron_deviates_from_step_one(seed):
    trace = perceptron_deviation(_instance(seed), None, step_size=1e8, n_iter=30, tie_weight=0.0)
    assert trace.t[1] == 1 and np.allclose(trace.values[0, 1:], 1.0)  # w_t = 0: all of v_t/eta is deviation
    assert np.all(trace.info["w_final"] == 0.0)  # every point is a tie at w = 0, forever


def test_moderate_step_deviation_is_not_small():
    # the limit needs a large step: at step_size = 1 the rescaled iterate is far from w_t
    trace = perceptron_deviation(_instance(0), None, step_size=1.0, n_iter=30)
    assert trace.values[0, -1] > 1e-3


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_larger_step_separates_in_no_more_iterations(seed):
    inst = _instance(seed, n_samples=200, dim=20, margin=0.01)
    counts = [_first_zero_misclassified(inst, s, 2000) for s in (1.0, 10.0, 100.0)]
    assert np.isfinite(counts[-1])
    assert counts[0] >= counts[1] >= counts[2]


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_logistic_loss_is_finite_at_huge_step(backend):
    inst = _instance(5, margin=0.01)
    trace = logistic_gd(inst, None, step_size=1e8, n_iter=50, backend=backend)
    assert trace.info["first_nonfinite"] is None
    assert np.all(np.isfinite(trace.values))
    assert trace.values[0, 0] == pytest.approx(np.log(2.0), rel=1e-15)  # f(0) = log 2
    Z = inst.data["labels"][:, None] * inst.data["features"]
    m = Z @ (np.ones(5) * 1e3)  # a large iterate where the naive formula overflows
    naive_ok = np.abs(m) < 700
    stable = np.logaddexp(0.0, -m)
    np.testing.assert_allclose(stable[naive_ok], np.log1p(np.exp(-m[naive_ok])), rtol=1e-12)


def test_misclassified_counts_boundary_points():
    # at v_0 = 0 every margin is 0, and a point on the boundary counts as misclassified
    inst = _instance(6)
    trace = logistic_gd(inst, None, step_size=1.0, n_iter=1, metric="misclassified")
    assert trace.values[0, 0] == 50


@DERANDOMIZED
@given(seed=st.integers(0, 2**32 - 1), n_samples=st.integers(1, 300), dim=st.integers(1, 30),
       margin=st.floats(1e-6, 0.9), radius=st.floats(0.1, 10.0))
def test_generator_realises_its_margin_and_radius(seed, n_samples, dim, margin, radius):
    margin = margin * radius
    inst = separable_data(np.random.default_rng(seed), n_samples=n_samples, dim=dim,
                          margin=margin, radius=radius)
    B, y, u = inst.data["features"], inst.data["labels"], inst.data["separator"]
    assert B.shape == (n_samples, dim) and B.dtype == np.float64
    assert set(np.unique(y)) <= {-1.0, 1.0}
    assert np.linalg.norm(u) == pytest.approx(1.0, rel=1e-14)
    realised = y * (B @ u)
    assert inst.constants["margin"] == np.min(realised) >= margin
    assert inst.constants["radius"] == np.max(np.linalg.norm(B, axis=1)) <= radius
    assert inst.constants["n_samples"] == n_samples and inst.constants["dim"] == dim


def test_generator_is_reproducible_from_rng():
    a, b = _instance(7), _instance(7)
    np.testing.assert_array_equal(a.data["features"], b.data["features"])


@pytest.mark.parametrize("kwargs, name", [
    (dict(n_samples=0, dim=2), "n_samples"),
    (dict(n_samples=2.5, dim=2), "n_samples"),
    (dict(n_samples=5, dim=0), "dim"),
    (dict(n_samples=5, dim=2, margin=-0.1), "margin"),
    (dict(n_samples=5, dim=2, margin=2.0, radius=1.0), "margin"),
    (dict(n_samples=5, dim=2, radius=np.inf), "radius"),
])
def test_generator_rejects_bad_inputs(kwargs, name):
    with pytest.raises(ValueError, match=name):
        separable_data(np.random.default_rng(0), **kwargs)


@pytest.mark.parametrize("method, kwargs, name", [
    (logistic_gd, dict(step_size=0.0, n_iter=5), "step_size"),
    (logistic_gd, dict(step_size=np.nan, n_iter=5), "step_size"),
    (logistic_gd, dict(step_size=1.0, n_iter=0), "n_iter"),
    (logistic_gd, dict(step_size=1.0, n_iter=5, metric="accuracy"), "metric"),
    (logistic_gd, dict(step_size=1.0, n_iter=5, backend="jax"), "backend"),
    (logistic_gd, dict(step_size=1.0, n_iter=5, n_checkpoints=1), "n_checkpoints"),
    (batch_perceptron, dict(n_iter=5, tie_weight=1.5), "tie_weight"),
    (batch_perceptron, dict(n_iter=-1), "n_iter"),
    (perceptron_deviation, dict(step_size=-1.0, n_iter=5), "step_size"),
    (perceptron_deviation, dict(step_size=1.0, n_iter=5, tie_weight=-0.1), "tie_weight"),
])
def test_methods_reject_bad_inputs(method, kwargs, name):
    with pytest.raises(ValueError, match=name):
        method(_instance(0), None, **kwargs)


def test_methods_reject_a_foreign_instance():
    with pytest.raises(ValueError, match="instance"):
        logistic_gd(object(), None, step_size=1.0, n_iter=5)
