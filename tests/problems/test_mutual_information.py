"""Tests for problems.mutual_information: the closed-form moments of the density ratio against
quadrature, the chi-square reduction against the pairwise log ratio, the kernels against their
twins, the Monte Carlo variance estimates (direct, change of measure, NWJ, both samplers) within
their derived error of the exact values, the derived sample sizes, reproducibility, and bad arguments."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.types
from problems import mutual_information as mi
from problems.mutual_information import _kernels, _reference
from problems.mutual_information.generators import kurtosis, tilted_relative_variance

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=10)


def make(n_pairs=20, correlation=0.1):
    return mi.correlated_gaussians(np.random.default_rng(0), n_pairs=n_pairs, correlation=correlation)


def variance(inst, seed=0, **kw):
    return mi.estimator_variance(inst, np.random.default_rng(seed), **kw)


def _pair_log_ratio(x, y, rho):
    joint = -np.log(2 * np.pi) - 0.5 * np.log(1 - rho**2) - (x * x - 2 * rho * x * y + y * y) / (2 * (1 - rho**2))
    marginals = -np.log(2 * np.pi) - (x * x + y * y) / 2
    return joint - marginals


@pytest.mark.parametrize("rho", [0.05, 0.1, 0.2])
def test_ratio_moments_match_gauss_hermite_quadrature(rho):
    nodes, weights = np.polynomial.hermite_e.hermegauss(120)
    weights = weights / weights.sum()
    x, y = np.meshgrid(nodes, nodes, indexing="ij")
    w = np.outer(weights, weights)
    log_r = _pair_log_ratio(x, y, rho)
    for k in (1, 2, 3, 4):
        if rho < 1 / max(k - 1, 1e-9):
            assert mi.ratio_moment(k, rho, 1) == pytest.approx(np.sum(w * np.exp(k * log_r)), rel=1e-9)
    inst = make(n_pairs=7, correlation=rho)
    assert inst.constants["mi"] == pytest.approx(7 * np.sum(w * np.exp(log_r) * log_r), rel=1e-9)  # KL(P||Q)
    assert inst.constants["partition_variance"] == pytest.approx(np.expm1(2 * inst.constants["mi"]), rel=1e-14)
    assert mi.ratio_moment(4, 0.34, 1) == np.inf


@FAST
@given(st.integers(1, 30), st.floats(0.01, 0.32), st.integers(0, 2**32 - 1))
def test_chi_square_reduction_equals_the_pairwise_log_ratio(d, rho, seed):
    x, y = np.random.default_rng(seed).standard_normal((2, 5, d))
    U = np.sum((x + y) ** 2 / 2, axis=1)
    V = np.sum((x - y) ** 2 / 2, axis=1)
    direct = np.sum(_pair_log_ratio(x, y, rho), axis=1)
    np.testing.assert_allclose(_reference._log_ratio_chi2(U, V, d, rho), direct, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(_reference._log_ratio_pairs(x, y, rho), direct, rtol=1e-10, atol=1e-10)


def test_kernels_match_numpy_twins():
    rng = np.random.default_rng(3)
    U, V = rng.chisquare(40, (2, 5000))
    X, Y = rng.standard_normal((2, 300, 6))
    cases = [("_partition_sums_chi2", (U, V, 40.0, 0.1)), ("_information_sums_chi2", (U, V, 40.0, 0.1, 0.2)),
             ("_tilted_sums_chi2", (U, V, 40.0, 0.1, 0.2)), ("_partition_sums_pairs", (X, Y, 0.2)),
             ("_information_sums_pairs", (X, Y, 0.2, 0.12)), ("_tilted_sums_pairs", (X, Y, 0.2, 0.12))]
    for name, args in cases:
        a, b = np.array([1.0, 2.0]), np.array([1.0, 2.0])
        getattr(_kernels, name)(*args, a)
        getattr(_reference, name)(*args, b)
        np.testing.assert_allclose(a, b, rtol=1e-10)
        assert not np.array_equal(a, [1.0, 2.0])
    inst = make()
    for kw in ({}, {"estimator": "nwj"}, {"variance_estimator": "tilted", "sampler": "pairs"}):
        a = variance(inst, n_pairs_values=[5, 20], samples=3000, **kw)
        b = variance(inst, n_pairs_values=[5, 20], samples=3000, backend="numpy", **kw)
        np.testing.assert_allclose(a.values, b.values, rtol=1e-10)


@pytest.mark.parametrize("sampler", ["chi2", "pairs"])
@pytest.mark.parametrize("estimator, variance_estimator", [("partition", "direct"), ("partition", "tilted"),
                                                           ("nwj", "direct"), ("nwj", "tilted")])
def test_variance_estimates_agree_with_the_exact_values_within_their_error(sampler, estimator, variance_estimator):
    inst = make(correlation=0.1)
    tr = variance(inst, n_pairs_values=[2, 10, 30], estimator=estimator, variance_estimator=variance_estimator,
                  sampler=sampler, relative_error=0.03, replicas=2)
    exact = tr.info["exact"]
    rho, d = 0.1, np.array([2, 10, 30])
    np.testing.assert_allclose(exact, np.expm1(-d * np.log1p(-rho**2)) + (d * rho**2 if estimator == "nwj" else 0))
    # 5 standard errors of the partition part (the NWJ term only lowers the relative error)
    assert np.all(np.abs(tr.values / exact - 1) <= 5 * tr.info["expected_relative_error"])


def test_the_song_ermon_bound_holds_and_is_not_attained():
    inst = make(n_pairs=60, correlation=0.1)
    tr = variance(inst, n_pairs_values=[60], relative_error=0.05, replicas=4)
    c = inst.constants
    ratio = tr.values.mean() / c["song_ermon_bound"]
    assert ratio > 1 and ratio == pytest.approx(np.exp(c["mi"]) + 1, rel=0.15)


def test_sample_sizes_come_from_the_exact_relative_variances():
    inst = make()
    tr = variance(inst, n_pairs_values=[10, 100], relative_error=0.2)
    K = np.array([kurtosis(0.1, 10), kurtosis(0.1, 100)])
    np.testing.assert_array_equal(tr.info["samples"], np.maximum(1000, np.ceil(K / 0.04)))
    assert tr.info["relative_variance"][1] == pytest.approx(K[1])
    tilted = variance(inst, n_pairs_values=[100], relative_error=0.2, variance_estimator="tilted")
    assert tilted.info["relative_variance"][0] == pytest.approx(tilted_relative_variance(0.1, 100))
    assert tilted_relative_variance(0.1, 100) < K[1] / 10  # e^{2I} against e^{8I}
    second = variance(inst, n_pairs_values=[10, 100], relative_error=0.2, metric="second_moment")
    np.testing.assert_allclose(second.values, 1 + tr.values, rtol=1e-15)
    with pytest.raises(ValueError, match="max_samples"):
        variance(inst, n_pairs_values=[400], relative_error=0.01, max_samples=10**6)


def test_results_reproduce_from_the_seed_and_barely_depend_on_the_chunk_size(monkeypatch):
    inst = make()
    kw = dict(n_pairs_values=[3, 8], samples=5000, estimator="nwj", sampler="pairs", replicas=2)
    a, b = variance(inst, seed=1, **kw), variance(inst, seed=1, **kw)
    np.testing.assert_array_equal(a.values, b.values)
    monkeypatch.setattr(problems.types, "CHUNK_NUMBERS", 1000)
    c = variance(inst, seed=1, **kw)
    np.testing.assert_allclose(a.values, c.values, rtol=1e-12)  # same stream, sums grouped differently
    assert not np.allclose(a.values, variance(inst, seed=2, **kw).values, rtol=1e-6)


def _bad_calls():
    rng, inst = np.random.default_rng(0), make()
    return [
        ("correlation", lambda: mi.correlated_gaussians(rng, correlation=0.4)),
        ("correlation", lambda: mi.correlated_gaussians(rng, correlation=0.0)),
        ("n_pairs", lambda: mi.correlated_gaussians(rng, n_pairs=0)),
        ("rng", lambda: mi.correlated_gaussians(0)),
        ("rng", lambda: mi.estimator_variance(inst, 0)),
        ("instance", lambda: mi.estimator_variance({"correlation": 0.1}, rng)),
        ("n_pairs_values", lambda: mi.estimator_variance(inst, rng, n_pairs_values=[10, 5])),
        ("n_pairs_values", lambda: mi.estimator_variance(inst, rng, n_pairs_values=[0])),
        ("estimator", lambda: mi.estimator_variance(inst, rng, estimator="mine")),
        ("variance_estimator", lambda: mi.estimator_variance(inst, rng, variance_estimator="bootstrap")),
        ("relative_error", lambda: mi.estimator_variance(inst, rng, relative_error=0.0)),
        ("samples", lambda: mi.estimator_variance(inst, rng, samples=1)),
        ("replicas", lambda: mi.estimator_variance(inst, rng, replicas=0)),
        ("sampler", lambda: mi.estimator_variance(inst, rng, sampler="exact")),
        ("metric", lambda: mi.estimator_variance(inst, rng, metric="mse")),
        ("second_moment", lambda: mi.estimator_variance(inst, rng, estimator="nwj", metric="second_moment")),
        ("backend", lambda: mi.estimator_variance(inst, rng, backend="jax")),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
