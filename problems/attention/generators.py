r"""Instances for one attention layer: token selection (Tarzanagh, Li, Thrampoulidis & Oymak 2023)
and in-context linear regression (Mahankali, Hashimoto & Ma 2023), with exact constants.

**Token selection.** :math:`n` sequences :math:`X_i \in \mathbb R^{T\times d}` (rows :math:`x_{it}`),
queries :math:`z_i \in \mathbb R^d`, labels :math:`Y_i = \pm1`, a fixed linear head :math:`v`. The token
scores are :math:`\gamma_{it} = Y_i v^\top x_{it}`; the optimal token of sequence :math:`i` is
:math:`\alpha_i = \arg\max_t \gamma_{it}` [paper, as recalled: Definition of optimal tokens; the
official code (github.com/umich-sota/TF-as-SVM, ``best_ids``) computes the same].

**In-context regression.** A prompt is :math:`(x_1, y_1, \dots, x_n, y_n, x_q)` with
:math:`x_i, x_q \sim N(0, \Sigma)`, a task :math:`w \sim N(0, I_d)` per prompt and
:math:`y_i = w^\top x_i + \varepsilon_i`, :math:`\varepsilon_i \sim N(0, \sigma^2)`; the instance is the
distribution (prompts are drawn by the method from its own ``rng``).

All randomness comes from ``rng``, in the order each generator states.
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

DESIGNS = ("equal_scores", "random")


def token_selection(rng: np.random.Generator, *, n_sequences=6, n_tokens=4, dim=8, design="equal_scores",
                    score_gap=1.0) -> Instance:
    r"""Sequences for the attention SVM.

    ``design="equal_scores"`` (the setting of the paper's global-convergence theorem, as recalled:
    every non-optimal token of a sequence has the same score): :math:`v` uniform on the sphere; the
    optimal position :math:`\alpha_i` uniform in :math:`\{0..T-1\}`;
    :math:`x_{it} = P_\perp g_{it}/\sqrt d + Y_i\,\delta\,[t = \alpha_i]\,v` with :math:`P_\perp = I - vv^\top`,
    :math:`g_{it} \sim N(0, I_d)`, :math:`\delta` = ``score_gap``, so :math:`\gamma_{i\alpha_i} = \delta` and
    :math:`\gamma_{it} = 0` otherwise. ``design="random"`` (the official local-convergence experiment):
    :math:`v`, tokens and queries uniform on the unit sphere, labels :math:`\pm1` at random, optimal tokens
    by score. Queries :math:`z_i` are uniform on the unit sphere in both designs. With
    :math:`d \ge \max(n, T - 1)` the attention SVM is feasible for generic data [paper, as recalled].

    Draw order: ``equal_scores``: :math:`v`, labels, :math:`\alpha`, :math:`g` ``(n, T, d)``, :math:`z`;
    ``random``: :math:`v`, labels, tokens ``(n, T, d)``, :math:`z`.

    Returns
    -------
    Instance
        ``data``: ``X`` (n, T, d), ``Z`` (n, d), ``v`` (d,), ``labels`` (n,), ``values`` :math:`v^\top x_{it}`
        (n, T), ``scores`` :math:`\gamma` (n, T), ``optimal_tokens`` (n,). ``constants``: ``n_sequences``,
        ``n_tokens``, ``dim``, ``score_gap`` (smallest :math:`\gamma_{i\alpha_i} - \max_{t\ne\alpha_i}\gamma_{it}`),
        ``score_spread`` (largest spread of the non-optimal scores of one sequence; 0 for equal scores),
        ``equal_scores`` (1.0 or 0.0).
    """
    rng = _checks.generator(rng)
    n = _checks.integer("n_sequences", n_sequences, low=1)
    T = _checks.integer("n_tokens", n_tokens, low=2)
    d = _checks.integer("dim", dim, low=2)
    kind = _checks.one_of("design", design, DESIGNS)
    delta = _checks.positive("score_gap", score_gap, fix="pass the score margin of the optimal token")
    v = _unit(rng.standard_normal(d))
    labels = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    if kind == "equal_scores":
        optimal = rng.integers(0, T, size=n)
        g = rng.standard_normal((n, T, d)) / np.sqrt(d)
        X = g - np.einsum("ntd,d->nt", g, v)[:, :, None] * v
        X[np.arange(n), optimal] += (labels * delta)[:, None] * v
    else:
        X = _unit(rng.standard_normal((n, T, d)))
    Z = _unit(rng.standard_normal((n, d)))
    values = X @ v
    scores = labels[:, None] * values
    if kind == "random":
        optimal = np.argmax(scores, axis=1)
    rows = np.arange(n)
    others = np.where(np.arange(T)[None, :] == optimal[:, None], np.nan, scores)
    gap = np.min(scores[rows, optimal] - np.nanmax(others, axis=1))
    spread = np.max(np.nanmax(others, axis=1) - np.nanmin(others, axis=1))
    data = {"X": X, "Z": Z, "v": v, "labels": labels, "values": values, "scores": scores,
            "optimal_tokens": optimal.astype(np.int64)}
    constants = {"n_sequences": n, "n_tokens": T, "dim": d, "score_gap": gap, "score_spread": spread,
                 "equal_scores": 1.0 if kind == "equal_scores" else 0.0}
    return Instance(data=data, constants={k: float(c) for k, c in constants.items()},
                    name=f"token_selection(n={n}, T={T}, d={d}, design={kind})")


def in_context_regression(rng: np.random.Generator, *, dim=4, n_context=8, noise_std=np.sqrt(0.5),
                          condition_number=1.0) -> Instance:
    r"""The prompt distribution of in-context linear regression, with the exact optimum of the LSA.

    :math:`\Sigma = I` when ``condition_number`` is 1 (no draw); otherwise
    :math:`\Sigma = Q\operatorname{diag}(\lambda)Q^\top`, :math:`Q` Haar, :math:`\lambda` geometric from
    :math:`\kappa^{-1/2}` to :math:`\kappa^{1/2}` (the only draw). The task covariance is :math:`I_d`.

    Exact optimum [derived here]: the LSA prediction is :math:`\hat y = h^\top\Gamma x_q` plus terms whose
    population coefficients vanish (``methods.lsa_optimum``), with :math:`h = \frac1n\sum_i y_ix_i`;
    :math:`\mathbb E[hh^\top] = \frac{n+1}{n}\Sigma^2 + \frac{\operatorname{tr}\Sigma + \sigma^2}{n}\Sigma`
    (Wishart: :math:`\mathbb E[SAS] = n(n+1)\Sigma A\Sigma + n\operatorname{tr}(A\Sigma)\Sigma` for
    :math:`S = X^\top X`, here with :math:`A = \mathbb E[ww^\top] = I`; the noise adds
    :math:`\sigma^2\Sigma/n`) and :math:`\mathbb E[hw^\top] = \Sigma`, so

    .. math::

        \Gamma_\star = \mathbb E[hh^\top]^{-1}\Sigma
        = \Big(\tfrac{n+1}{n}\Sigma + \tfrac{\operatorname{tr}\Sigma + \sigma^2}{n}I\Big)^{-1},


    which is :math:`\frac{n}{n + d + 1 + \sigma^2} I` for :math:`\Sigma = I`: one GD step from 0 on
    :math:`\frac1{2n}\sum_i (y_i - w^\top x_i)^2` (whose gradient at 0 is :math:`-h`) with that step.

    Returns
    -------
    Instance
        ``data``: ``covariance`` :math:`\Sigma`, ``covariance_root`` :math:`\Sigma^{1/2}`, ``Gamma_star``.
        ``constants``: ``dim``, ``n_context``, ``noise_variance`` :math:`\sigma^2`, ``condition_number``,
        ``trace_covariance``, ``gamma_star`` (:math:`\operatorname{tr}\Gamma_\star/d`) and
        ``gamma_anisotropy`` (:math:`\|\Gamma_\star - \gamma_\star I\|_F/\|\gamma_\star I\|_F`, 0 when isotropic).
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    n = _checks.integer("n_context", n_context, low=1)
    sigma = _checks.nonnegative("noise_std", noise_std, fix="pass the label noise standard deviation")
    kappa = _checks.real("condition_number", condition_number, low=1.0,
                         fix="pass the ratio of the largest to the smallest covariate variance (>= 1)")
    if kappa == 1.0:
        cov, root = np.eye(d), np.eye(d)
    else:
        Q, R = np.linalg.qr(rng.standard_normal((d, d)))
        Q = Q * np.where(np.diag(R) < 0, -1.0, 1.0)
        lam = np.geomspace(kappa ** -0.5, kappa ** 0.5, d)
        cov, root = (Q * lam) @ Q.T, (Q * np.sqrt(lam)) @ Q.T
    gamma_star = np.linalg.inv((n + 1) / n * cov + (np.trace(cov) + sigma**2) / n * np.eye(d))
    gamma_star = 0.5 * (gamma_star + gamma_star.T)
    mean_step = np.trace(gamma_star) / d
    anisotropy = np.linalg.norm(gamma_star - mean_step * np.eye(d)) / (mean_step * np.sqrt(d))
    constants = {"dim": d, "n_context": n, "noise_variance": sigma**2, "condition_number": kappa,
                 "trace_covariance": np.trace(cov), "gamma_star": mean_step, "gamma_anisotropy": anisotropy}
    return Instance(data={"covariance": cov, "covariance_root": root, "Gamma_star": gamma_star},
                    constants={k: float(c) for k, c in constants.items()},
                    name=f"in_context_regression(d={d}, n={n}, sigma2={sigma**2:g}, kappa={kappa:g})")


def _unit(a: np.ndarray) -> np.ndarray:
    return a / np.linalg.norm(a, axis=-1, keepdims=True)
