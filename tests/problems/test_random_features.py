"""Tests for problems.random_features: the spectrum is the stated power law, the projection residual is the
explicit S x S formula, the width and data limits are the same function (duality), the conditional and
latent estimators agree in expectation with the inverse-Wishart mean, nested draws give monotone losses,
the scaling exponents are those derived, and bad arguments are named."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import random_features as rf

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
seeds = st.integers(0, 2**32 - 1)


def teacher(S=64, alpha=1.0):
    return rf.power_law_teacher(np.random.default_rng(0), latent_dim=S, alpha=alpha)


def test_spectrum_is_the_power_law_and_constants_are_exact():
    inst = teacher(100, alpha=0.5)
    lam = inst.data["eigenvalues"]
    np.testing.assert_allclose(lam, np.arange(1, 101) ** -1.5, rtol=1e-15)
    assert inst.constants["trace_Lambda"] == pytest.approx(lam.sum(), rel=1e-15)
    assert inst.constants["tail_at_latent_dim"] == pytest.approx(100 ** -1.5, rel=1e-15)
    assert (inst.constants["alpha"], inst.constants["latent_dim"]) == (0.5, 100)


@FAST
@given(seeds, st.integers(1, 20))
def test_projection_loss_is_the_explicit_residual_formula(seed, rows):
    inst = teacher(24)
    lam = inst.data["eigenvalues"]
    M = np.random.default_rng(seed).standard_normal((rows, 24))
    L = np.diag(lam)
    explicit = np.trace(L - L @ M.T @ np.linalg.solve(M @ L @ M.T, M @ L)) / lam.sum()
    got = rf.projection_loss(M, lam)
    assert got == pytest.approx(explicit, rel=1e-9, abs=1e-13)
    assert 0.0 <= got <= 1.0
    assert rf.projection_loss(np.random.default_rng(seed).standard_normal((24, 24)), lam) == 0.0


def test_width_and_data_limits_are_the_same_function_of_the_draw():
    inst = teacher(128)
    for k in (4, 16, 40):
        width = rf.random_feature_regression(inst, np.random.default_rng(7), n_features=k, n_samples="infinite")
        data = rf.random_feature_regression(inst, np.random.default_rng(7), n_features="infinite", n_samples=k)
        assert width.values[0, 0] == data.values[0, 0]


def test_latent_formula_is_the_explicit_teacher_average_for_one_draw():
    inst = teacher(30)
    lam = inst.data["eigenvalues"]
    for P, D in ((5, 12), (12, 5), (40, 5)):
        rng = np.random.default_rng(4)
        V = rng.standard_normal((P, 30))
        X = rng.standard_normal((D, 30)) * np.sqrt(lam)
        A = V.T @ np.linalg.pinv(X @ V.T) @ X
        explicit = np.trace((A - np.eye(30)).T @ np.diag(lam) @ (A - np.eye(30))) / lam.sum()
        got = rf.random_feature_regression(inst, np.random.default_rng(4), n_features=P, n_samples=D,
                                           estimator="latent")
        assert got.values[0, 0] == pytest.approx(explicit, rel=1e-9)


def test_conditional_and_latent_estimators_agree_with_the_inverse_wishart_mean():
    inst, P, D, R = teacher(64), 4, 12, 1500
    cond = rf.random_feature_regression(inst, np.random.default_rng(1), n_features=P, n_samples=D, replicas=R,
                                        estimator="conditional", metric="excess_loss")
    latent = rf.random_feature_regression(inst, np.random.default_rng(2), n_features=P, n_samples=D, replicas=R,
                                          estimator="latent", metric="excess_loss")
    theory = np.mean(cond.info["limit_loss"]) * P / (D - P - 1)
    for tr in (cond, latent):
        se = tr.values.std(ddof=1) / np.sqrt(R)
        assert abs(tr.values.mean() - theory) < 4.5 * se + 0.02 * theory
    assert cond.values.std() < latent.values.std()  # the conditional expectation has less variance


def test_finite_width_approaches_the_infinite_width_loss():
    inst = teacher(40)
    limit = rf.random_feature_regression(inst, np.random.default_rng(3), n_features="infinite", n_samples=6,
                                         replicas=300).values.mean()
    gaps = [abs(rf.random_feature_regression(inst, np.random.default_rng(3), n_features=P, n_samples=6,
                                             replicas=300, estimator="latent").values.mean() - limit)
            for P in (20, 2000)]
    assert gaps[1] < 0.2 * gaps[0]


def test_nested_draws_give_losses_that_fall_with_width_and_data():
    inst = teacher(256)
    for kw in ({"n_samples": "infinite"}, {"n_features": "infinite"}):
        key = "n_features" if "n_samples" in kw else "n_samples"
        losses = [rf.random_feature_regression(inst, np.random.default_rng(5), **{key: k}, **kw).values[0, 0]
                  for k in (8, 16, 32, 64)]
        assert np.all(np.diff(losses) < 0)


def test_scaling_exponents_are_alpha_and_one_in_their_regimes():
    inst = teacher(2048, alpha=1.0)
    P = np.array([16, 32, 64, 128])
    res = [rf.random_feature_regression(inst, np.random.default_rng(6), n_features=int(p),
                                        n_samples="infinite").values[0, 0] for p in P]
    assert np.polyfit(np.log(P), np.log(res), 1)[0] == pytest.approx(-1.0, abs=0.1)
    D = np.array([256, 512, 1024, 2048])
    var = [rf.random_feature_regression(inst, np.random.default_rng(6), n_features=8, n_samples=int(d),
                                        metric="excess_loss").values[0, 0] for d in D]
    assert np.polyfit(np.log(D), np.log(var), 1)[0] == pytest.approx(-1.0, abs=0.05)


def test_replicas_are_reproducible_and_infinite_data_has_no_excess():
    inst = teacher(64)
    a, b = (rf.random_feature_regression(inst, np.random.default_rng(8), n_features=6, n_samples=20, replicas=3)
            for _ in range(2))
    np.testing.assert_array_equal(a.values, b.values)
    assert a.info["estimator"] == "conditional" and len(set(a.values[:, 0])) == 3
    ex = rf.random_feature_regression(inst, np.random.default_rng(8), n_features=6, n_samples="infinite",
                                      metric="excess_loss")
    assert ex.values[0, 0] == 0.0


def _bad_calls():
    rng, inst = np.random.default_rng(0), teacher(32)
    return [
        ("latent_dim", lambda: rf.power_law_teacher(rng, latent_dim=1)),
        ("alpha", lambda: rf.power_law_teacher(rng, alpha=0.0)),
        ("rng", lambda: rf.power_law_teacher(None)),
        ("instance", lambda: rf.random_feature_regression({"eigenvalues": 1}, rng, n_features=2, n_samples=3)),
        ("n_features", lambda: rf.random_feature_regression(inst, rng, n_features=0, n_samples=3)),
        ("n_samples", lambda: rf.random_feature_regression(inst, rng, n_features=2, n_samples="many")),
        ("infinite", lambda: rf.random_feature_regression(inst, rng, n_features="infinite", n_samples="infinite")),
        ("latent_dim", lambda: rf.random_feature_regression(inst, rng, n_features=32, n_samples="infinite")),
        ("estimator", lambda: rf.random_feature_regression(inst, rng, n_features=4, n_samples=5,
                                                           estimator="conditional")),
        ("estimator", lambda: rf.random_feature_regression(inst, rng, n_features=4, n_samples=5, estimator="ols")),
        ("metric", lambda: rf.random_feature_regression(inst, rng, n_features=4, n_samples=9, metric="risk")),
        ("replicas", lambda: rf.random_feature_regression(inst, rng, n_features=4, n_samples=9, replicas=0)),
        ("backend", lambda: rf.random_feature_regression(inst, rng, n_features=4, n_samples=9, backend="jax")),
        ("n_samples", lambda: rf.random_feature_regression(teacher(4096), rng, n_features="infinite",
                                                           n_samples=20000)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()


@FAST
@given(seeds, st.integers(1, 12), st.integers(13, 60))
def test_kernels_match_numpy_twins(seed, P, S):
    from problems.random_features import _kernels, _reference
    rng = np.random.default_rng(seed)
    Mt, lam = rng.standard_normal((S, P)), rng.uniform(0.1, 2.0, S)
    grams = {}
    for impl in (_kernels, _reference):
        G1, G2 = np.empty((P, P)), np.empty((P, P))
        impl._weighted_grams(Mt, lam, G1, G2)
        grams[impl] = (G1, G2, impl._trace_solve(G1, G2))
    for a, b in zip(grams[_kernels], grams[_reference]):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    assert np.isnan(_kernels._trace_solve(-np.eye(P), np.eye(P)))
    inst = teacher(S)
    runs = [rf.random_feature_regression(inst, np.random.default_rng(seed), n_features=P, n_samples=P + 3,
                                         replicas=2, backend=be) for be in ("numba", "numpy")]
    np.testing.assert_allclose(runs[0].values, runs[1].values, rtol=1e-10)
