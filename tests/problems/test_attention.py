"""Tests for problems.attention: the token-selection data have the stated scores, the attention SVMs are
optimal (KKT, second solver), the underflow-free gradient direction is the gradient, kernels agree with
their NumPy twins, normalized GD aligns with the SVM of its parameterization, the LSA fit recovers the
exact optimum, and bad arguments are named."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import attention as at
from problems.attention import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=6)
seeds = st.integers(0, 2**32 - 1)


def tokens(seed=0, **kw):
    return at.token_selection(np.random.default_rng(seed), **{"n_sequences": 4, "n_tokens": 3, "dim": 5, **kw})


def loss(inst, W):
    X, Z, values, labels = (inst.data[k] for k in ("X", "Z", "values", "labels"))
    s = np.einsum("ntp,np->nt", X, Z @ W.T)
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return np.mean(np.log1p(np.exp(-labels * np.sum(p * values, axis=1))))


# ---------------------------------------------------------------- generators

@FAST
@given(seeds, st.integers(1, 5), st.integers(2, 5), st.floats(0.2, 3.0))
def test_equal_scores_design_gives_one_optimal_token_and_equal_other_scores(seed, n, T, gap):
    inst = at.token_selection(np.random.default_rng(seed), n_sequences=n, n_tokens=T, dim=6, score_gap=gap)
    scores, alpha = inst.data["scores"], inst.data["optimal_tokens"]
    rows = np.arange(n)
    np.testing.assert_allclose(scores[rows, alpha], gap, rtol=1e-12)
    others = np.delete(scores, alpha + T * rows)  # flattened positions of the optimal tokens
    np.testing.assert_allclose(others, 0.0, atol=1e-12)
    np.testing.assert_allclose(inst.data["values"], inst.data["X"] @ inst.data["v"], rtol=1e-13)
    assert inst.constants["score_gap"] == pytest.approx(gap, rel=1e-12)
    assert inst.constants["score_spread"] <= 1e-12 and inst.constants["equal_scores"] == 1.0
    np.testing.assert_allclose(np.linalg.norm(inst.data["Z"], axis=1), 1.0, rtol=1e-13)


def test_random_design_picks_the_best_scored_token_and_is_reproducible():
    inst = tokens(3, design="random", n_tokens=6)
    assert np.array_equal(inst.data["optimal_tokens"], np.argmax(inst.data["scores"], axis=1))
    np.testing.assert_allclose(np.linalg.norm(inst.data["X"], axis=2), 1.0, rtol=1e-13)
    assert inst.constants["equal_scores"] == 0.0 and inst.constants["score_spread"] > 0
    again = tokens(3, design="random", n_tokens=6)
    for key in inst.data:
        np.testing.assert_array_equal(inst.data[key], again.data[key])


# ---------------------------------------------------------------- the attention SVM

def _constraint_rows(inst, alpha):
    X, Z = inst.data["X"], inst.data["Z"]
    return np.array([np.outer(X[i, alpha[i]] - X[i, t], Z[i]).ravel()
                     for i in range(X.shape[0]) for t in range(X.shape[1]) if t != alpha[i]])


def test_frobenius_svm_is_feasible_and_satisfies_kkt():
    inst = at.token_selection(np.random.default_rng(1))
    W, status = at.max_margin_attention(inst, norm="frobenius")
    assert status == "optimal"
    D = _constraint_rows(inst, inst.data["optimal_tokens"])
    margins = D @ W.ravel()
    assert margins.min() >= 1 - 1e-7
    # stationarity: W = sum_k lambda_k D_k with lambda >= 0, lambda_k = 0 off the active constraints
    active = margins <= 1 + 1e-6
    lam, *_ = np.linalg.lstsq(D[active].T, W.ravel(), rcond=None)
    assert lam.min() >= -1e-6
    np.testing.assert_allclose(D[active].T @ lam, W.ravel(), atol=1e-6)


def test_nuclear_svm_has_the_smaller_nuclear_norm_and_agrees_with_a_second_solver():
    inst = at.token_selection(np.random.default_rng(2))
    W_f, _ = at.max_margin_attention(inst, norm="frobenius")
    W_n, status = at.max_margin_attention(inst, norm="nuclear")
    assert status == "optimal"
    assert (_constraint_rows(inst, inst.data["optimal_tokens"]) @ W_n.ravel()).min() >= 1 - 1e-7
    nuc = lambda W: np.linalg.svd(W, compute_uv=False).sum()  # noqa: E731
    assert nuc(W_n) <= nuc(W_f) * (1 + 1e-7) and np.linalg.norm(W_f) <= np.linalg.norm(W_n) * (1 + 1e-7)
    assert at.alignment_gap(W_f, W_n) > 0.05  # the two SVMs differ on this design
    for norm, W in (("frobenius", W_f), ("nuclear", W_n)):
        other, status = at.max_margin_attention(inst, norm=norm, solver="SCS")
        assert status in ("optimal", "optimal_inaccurate")
        assert at.alignment_gap(other, W) < 1e-4


# ---------------------------------------------------------------- the gradient direction

def test_direction_is_the_gradient_up_to_a_positive_factor():
    inst = tokens(4)
    X, Z, values, labels = (np.ascontiguousarray(inst.data[k]) for k in ("X", "Z", "values", "labels"))
    W = np.random.default_rng(0).standard_normal((5, 5))
    numeric = np.zeros((5, 5))
    h = 1e-6
    for p in range(5):
        for q in range(5):
            E = np.zeros((5, 5))
            E[p, q] = h
            numeric[p, q] = (loss(inst, W + E) - loss(inst, W - E)) / (2 * h)
    for impl in (_kernels, _reference):
        G = np.empty((5, 5))
        top = impl._direction(X, Z, values, labels, W, G)
        np.testing.assert_allclose(G * np.exp(top) / X.shape[0], numeric, rtol=1e-6, atol=1e-10)


def test_direction_stays_exact_where_the_plain_gradient_underflows():
    inst = tokens(5)
    X, Z, values, labels = (np.ascontiguousarray(inst.data[k]) for k in ("X", "Z", "values", "labels"))
    W, _ = at.max_margin_attention(inst)
    G_small, G_large = np.empty((5, 5)), np.empty((5, 5))
    _kernels._direction(X, Z, values, labels, 2.0 * W, G_small)
    top = _kernels._direction(X, Z, values, labels, 4000.0 * W, G_large)
    assert top < -700  # the gradient itself is below the smallest double
    assert np.all(np.isfinite(G_large)) and np.linalg.norm(G_large) > 0
    # far along W^mm only the support constraints carry weight: the direction is minus a
    # nonnegative combination of the active constraint matrices
    D = _constraint_rows(inst, inst.data["optimal_tokens"])
    coef, *_ = np.linalg.lstsq(D.T, -G_large.ravel(), rcond=None)
    np.testing.assert_allclose(D.T @ coef, -G_large.ravel(), atol=1e-8 * np.abs(G_large).max())


# ---------------------------------------------------------------- kernels vs twins

@pytest.mark.parametrize("parameterization,normalization", [("W", "joint"), ("KQ", "joint"), ("KQ", "blockwise")])
def test_kernels_match_numpy_twins(parameterization, normalization):
    inst = tokens(6, design="random")
    # blockwise normalization amplifies round-off (by 1e5 from step 200 to 300 here): compared on 150 steps
    n_iter = 150 if normalization == "blockwise" else 300
    runs = {be: at.attention_gd(inst, np.random.default_rng(3), n_iter=n_iter, parameterization=parameterization,
                                normalization=normalization, init_scale=0.3, replicas=2, metric="norm", backend=be)
            for be in ("numba", "numpy")}
    np.testing.assert_allclose(runs["numba"].values, runs["numpy"].values, rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(runs["numba"].info["tokens"], runs["numpy"].info["tokens"])
    x, y, w = (np.random.default_rng(0).standard_normal(s) for s in ((50, 6, 3), (50, 6), (50, 3)))
    out = {}
    for impl in (_kernels, _reference):
        mm, mw = np.zeros((10, 10)), np.zeros((10, 3))
        impl._context_moments(x, y, w, mm, mw)
        out[impl] = (mm, mw)
    for a, b in zip(out[_kernels], out[_reference]):
        np.testing.assert_allclose(a, b, rtol=1e-10)


# ---------------------------------------------------------------- normalized GD and the SVMs

def test_w_gd_aligns_with_the_frobenius_svm_and_kq_gd_with_the_nuclear_svm():
    inst = at.token_selection(np.random.default_rng(0))
    rng = np.random.default_rng(1)
    w_fro = at.attention_gd(inst, rng, n_iter=4000, reference="frobenius", svm_gap=True)
    w_nuc = at.attention_gd(inst, rng, n_iter=4000, reference="nuclear")
    gap = w_fro.info["svm_gap"]
    assert w_fro.info["selects_reference_tokens"] and gap > 0.05
    assert w_fro.values[0, -1] < 1e-3 * gap and w_nuc.values[0, -1] > 0.9 * gap
    assert np.all(np.diff(w_fro.values[0, -20:]) < 0)  # still improving at the end
    kq_nuc = at.attention_gd(inst, np.random.default_rng(1), n_iter=4000, parameterization="KQ", reference="nuclear")
    kq_fro = at.attention_gd(inst, np.random.default_rng(1), n_iter=4000, parameterization="KQ")
    assert kq_nuc.values[0, -1] < 0.1 * gap and kq_fro.values[0, -1] > 0.9 * gap
    mass = at.attention_gd(inst, np.random.default_rng(1), n_iter=4000, metric="off_token_mass")
    assert mass.values[0, 0] == pytest.approx(1 - 1 / inst.constants["n_tokens"]) and mass.values[0, -1] < 1e-30


def test_alignment_gap_is_one_minus_cosine_and_off_token_mass_is_the_softmax_remainder():
    A, B = np.random.default_rng(0).standard_normal((2, 4, 4))
    cos = np.sum(A * B) / np.linalg.norm(A) / np.linalg.norm(B)
    assert at.alignment_gap(A, B) == pytest.approx(1 - cos, rel=1e-12)
    assert at.alignment_gap(np.zeros((4, 4)), B) == 1.0 and at.alignment_gap(3 * B, B) < 1e-30
    inst = tokens(7)
    X, Z, alpha = inst.data["X"], inst.data["Z"], inst.data["optimal_tokens"]
    A = np.random.default_rng(1).standard_normal((5, 5))
    s = np.einsum("ntp,np->nt", X, Z @ A.T)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    assert at.off_token_mass(X, Z, A, alpha) == pytest.approx(np.max(1 - p[np.arange(4), alpha]), rel=1e-10)


def test_selected_tokens_and_replicas_are_reproducible_from_the_seed():
    inst = tokens(8, design="random", n_tokens=5)
    a, b = (at.attention_gd(inst, np.random.default_rng(9), n_iter=500, parameterization="KQ", replicas=2,
                            tokens="selected") for _ in range(2))
    np.testing.assert_array_equal(a.values, b.values)
    assert a.info["selects_reference_tokens"] and a.info["solver_status"] == ["optimal"] * len(a.info["solver_status"])


# ---------------------------------------------------------------- linear self-attention

def test_lsa_optimum_is_one_gd_step_with_the_derived_size():
    inst = at.in_context_regression(np.random.default_rng(0), dim=2, n_context=4, noise_std=1.0)
    assert inst.constants["gamma_star"] == pytest.approx(4 / (4 + 2 + 1 + 1.0), rel=1e-14)
    tr = at.lsa_optimum(inst, np.random.default_rng(1), n_prompts=40_000, replicas=4)
    steps = tr.info["step"]
    se = steps.std(ddof=1) / 2
    assert abs(steps.mean() - inst.constants["gamma_star"]) < 4.5 * se + 1e-4
    assert abs(steps.mean() - 4 / 6) > 20 * se  # the n/(n + d) step is resolved
    assert np.all(tr.info["structure_deviation"] < 0.1)


def test_lsa_fit_recovers_the_preconditioned_optimum_with_anisotropic_covariates():
    inst = at.in_context_regression(np.random.default_rng(2), dim=2, n_context=4, condition_number=9.0)
    G = inst.data["Gamma_star"]
    cov, n, s2 = inst.data["covariance"], 4, inst.constants["noise_variance"]
    np.testing.assert_allclose(np.linalg.inv((n + 1) / n * cov + (np.trace(cov) + s2) / n * np.eye(2)), G, rtol=1e-12)
    tr = at.lsa_optimum(inst, np.random.default_rng(3), n_prompts=40_000, metric="gamma_error")
    assert tr.values[0, -1] < 0.03 and inst.constants["gamma_anisotropy"] > 0.3
    assert tr.info["structure_deviation"][0] > 0.2


def test_lsa_checkpoints_do_not_change_the_prompt_stream():
    inst = at.in_context_regression(np.random.default_rng(0), dim=2, n_context=3)
    few = at.lsa_optimum(inst, np.random.default_rng(4), n_prompts=3000, n_checkpoints=3)
    many = at.lsa_optimum(inst, np.random.default_rng(4), n_prompts=3000, n_checkpoints=30)
    np.testing.assert_allclose(few.info["Theta_hat"], many.info["Theta_hat"], rtol=1e-12)
    assert few.t[-1] == many.t[-1] == 3000 and many.t[0] >= 2 * 6 and many.values.shape == (1, many.t.size)
    assert many.values[0, -1] == few.values[0, -1] or abs(many.values[0, -1] / few.values[0, -1] - 1) < 1e-12


def test_gd_block_rows_index_the_label_column_of_vech():
    rows = at.gd_block_rows(3)
    upper = list(zip(*np.triu_indices(4)))
    assert [upper[k] for k in rows] == [(0, 3), (1, 3), (2, 3)]


# ---------------------------------------------------------------- bad input

def _bad_calls():
    rng, inst = np.random.default_rng(0), tokens()
    lsa = at.in_context_regression(rng, dim=2, n_context=3)
    return [
        ("n_tokens", lambda: at.token_selection(rng, n_tokens=1)),
        ("design", lambda: at.token_selection(rng, design="adversarial")),
        ("score_gap", lambda: at.token_selection(rng, score_gap=0.0)),
        ("rng", lambda: at.token_selection(0)),
        ("norm", lambda: at.max_margin_attention(inst, norm="spectral")),
        ("solver", lambda: at.max_margin_attention(inst, solver="MOSEK")),
        ("tokens", lambda: at.max_margin_attention(inst, np.array([0, 1, 2, 3, 4]))),
        ("instance", lambda: at.attention_gd({"X": 1}, rng, n_iter=10)),
        ("n_iter", lambda: at.attention_gd(inst, rng, n_iter=0)),
        ("step_size", lambda: at.attention_gd(inst, rng, n_iter=10, step_size=-0.1)),
        ("parameterization", lambda: at.attention_gd(inst, rng, n_iter=10, parameterization="QK")),
        ("normalization", lambda: at.attention_gd(inst, rng, n_iter=10, normalization="none")),
        ("metric", lambda: at.attention_gd(inst, rng, n_iter=10, metric="loss")),
        ("reference", lambda: at.attention_gd(inst, rng, n_iter=10, reference="spectral")),
        ("tokens", lambda: at.attention_gd(inst, rng, n_iter=10, tokens="best")),
        ("init_scale", lambda: at.attention_gd(inst, rng, n_iter=10, parameterization="KQ", init_scale=0.0)),
        ("backend", lambda: at.attention_gd(inst, rng, n_iter=10, backend="jax")),
        ("noise_std", lambda: at.in_context_regression(rng, noise_std=-1.0)),
        ("condition_number", lambda: at.in_context_regression(rng, condition_number=0.5)),
        ("n_prompts", lambda: at.lsa_optimum(lsa, rng, n_prompts=5)),
        ("metric", lambda: at.lsa_optimum(lsa, rng, n_prompts=100, metric="risk")),
        ("instance", lambda: at.lsa_optimum(dataclasses.replace(lsa, data={}), rng, n_prompts=100)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
