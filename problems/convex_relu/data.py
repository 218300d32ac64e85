r"""Data sets for two-layer ReLU networks :math:`f(x) = \sum_j \alpha_j (x^\top u_j)_+`, with their
activation patterns.

Every design carries a bias column: :math:`X = [A, \mathbf 1] \in \mathbb R^{n\times(d+1)}`, so a
neuron :math:`(x^\top u)_+` has a bias and the patterns are those of affine hyperplanes in
feature space (``arrangements``). The regularisation strength :math:`\beta` of the training
problem is part of the instance (a constant a claim may name), and so are the patterns of the
convex program: all of them (``patterns="exact"``, at most 2 features or small :math:`n`) or those
of ``n_gates`` Gaussian gates (``"sampled"``, nested in the order of first appearance).

Constants: ``n_samples``, ``dim`` (features :math:`d`), ``beta``, ``n_patterns`` (:math:`P`),
``patterns_exact`` (1 or 0), ``max_width`` :math:`= n + 1` (Pilanci & Ergen's bound on the
number of neurons an optimal network needs [recollection of 2002.10553, Thm 1]) and, for
classification, ``epsilon`` (the adversarial radius, :math:`\ell_\infty`, features only) and
``min_margin`` (realised :math:`\min_k y_k (f_\text{teacher}(x_k) - c)`, 0 when labels were flipped).
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

from .admm import local_rate
from .arrangements import enumerate_patterns, sample_patterns

PATTERN_KINDS = ("exact", "sampled")
EXACT_LIMIT = {1: 400, 2: 400, 3: 12, 4: 9}  # the sweep for <= 2 features; the incremental LPs beyond


def _design(rng, n: int, d: int) -> np.ndarray:
    return np.hstack([rng.uniform(-1.0, 1.0, size=(n, d)), np.ones((n, 1))])


def _teacher(rng, d: int, width: int):
    U = rng.standard_normal((width, d + 1))
    U[:, -1] *= 0.5  # biases smaller than the weights: kinks inside the data cloud
    alpha = rng.choice([-1.0, 1.0], size=width) * rng.uniform(0.5, 1.5, size=width)
    return U, alpha


def _patterns(rng, X, kind: str, n_gates):
    n, d = X.shape[0], X.shape[1] - 1
    if kind == "exact":
        if n > EXACT_LIMIT.get(d, 0):
            raise ValueError(f"patterns='exact' enumerates at most {EXACT_LIMIT.get(d, 0)} samples with {d} "
                             f"features, got n_samples={n}; pass patterns='sampled' with n_gates")
        return enumerate_patterns(X), 1.0
    gates = _checks.integer("n_gates", n_gates, low=1, fix="pass the number of Gaussian gates to sample")
    patterns, _ = sample_patterns(X, rng, gates)
    return patterns, 0.0


def _check_common(n_samples, dim, beta, patterns):
    n = _checks.integer("n_samples", n_samples, low=2, fix="use at least 2 samples")
    d = _checks.integer("dim", dim, low=1, high=20, fix="use 1 to 20 features")
    b = _checks.positive("beta", beta, fix="the weight-decay strength must be > 0")
    _checks.one_of("patterns", patterns, PATTERN_KINDS)
    return n, d, b


def planted_relu_regression(rng: np.random.Generator, *, n_samples: int, dim: int = 2, teacher_width: int = 3,
                            noise: float = 0.1, beta: float = 0.1, patterns: str = "exact",
                            n_gates: int | None = None, n_patterns: int | None = None,
                            admm_penalty: float | None = None) -> Instance:
    r"""Regression on a planted ReLU teacher: :math:`a_k \sim U[-1, 1]^d`, :math:`x_k = (a_k, 1)`,
    :math:`y_k = \sum_{j\le w} \alpha^\star_j (x_k^\top u^\star_j)_+ + \sigma\xi_k`, :math:`\xi_k \sim \mathcal N(0, 1)`,
    :math:`u^\star_j \sim \mathcal N(0, I)` (bias halved), :math:`|\alpha^\star_j| \in [0.5, 1.5]` with random signs.

    Draw order: design, teacher, noise, then the gates (``patterns="sampled"``). ``n_patterns``
    keeps the first that many sampled patterns (the approximate formulation with :math:`P_s`
    patterns). ``data``: ``X`` (n, d+1), ``y`` (n,), ``patterns`` (P, n) bool, ``teacher_U``
    (w, d+1), ``teacher_alpha`` (w,), ``loss`` ``"squared"``. ``constants``: see the module
    docstring, plus ``noise``.

    ``admm_penalty`` :math:`\rho`: also analyse ADMM with that penalty (dual step 1) on these
    patterns (``admm.local_rate``) and add the constants ``admm_penalty``, ``admm_rate`` (the
    spectral radius :math:`\rho_J` of the ADMM map's Jacobian at its fixed point: the predicted
    linear rate), ``admm_second_rate``, ``admm_rate_spread`` (over the branches of degenerate
    components) and ``admm_affine_from`` (the iteration from which the map is affine).
    """
    _checks.generator(rng)
    n, d, b = _check_common(n_samples, dim, beta, patterns)
    w = _checks.integer("teacher_width", teacher_width, low=1)
    sigma = _checks.nonnegative("noise", noise)
    X = _design(rng, n, d)
    U, alpha = _teacher(rng, d, w)
    y = np.maximum(X @ U.T, 0.0) @ alpha + sigma * rng.standard_normal(n)
    found, exact = _patterns(rng, X, patterns, n_gates)
    if n_patterns is not None:
        if patterns != "sampled":
            raise ValueError("n_patterns keeps a prefix of sampled patterns; pass patterns='sampled'")
        keep = _checks.integer("n_patterns", n_patterns, low=1, high=found.shape[0],
                               fix=f"the gates found {found.shape[0]} patterns; raise n_gates")
        found = found[:keep]
    constants = {"n_samples": float(n), "dim": float(d), "beta": b, "noise": sigma,
                 "n_patterns": float(found.shape[0]), "patterns_exact": exact, "max_width": float(n + 1)}
    if admm_penalty is not None:
        rho = _checks.positive("admm_penalty", admm_penalty)
        analysis = local_rate(X, y, found, b, rho)
        constants.update(admm_penalty=rho, admm_rate=analysis["rate"], admm_second_rate=analysis["second_rate"],
                         admm_rate_spread=analysis["rate_spread"], admm_affine_from=float(analysis["affine_from"]))
    return Instance(
        data={"X": X, "y": y, "patterns": found, "teacher_U": U, "teacher_alpha": alpha, "loss": "squared"},
        constants=constants,
        name=f"planted_relu_regression(n={n}, d={d}, beta={b:g}, patterns={patterns})",
    )


def relu_classification(rng: np.random.Generator, *, n_samples: int, dim: int = 2, teacher_width: int = 3,
                        margin: float = 0.0, flip: float = 0.0, beta: float = 0.1, epsilon: float = 0.05,
                        patterns: str = "exact", n_gates: int | None = None) -> Instance:
    r"""Binary labels of a planted ReLU teacher: :math:`y_k = \operatorname{sign}(f^\star(x_k) - c)`
    with :math:`c` the median of :math:`f^\star` over a pool (balanced classes).

    ``margin`` :math:`> 0` keeps only points with :math:`|f^\star(x_k) - c| \ge` ``margin`` (a
    separable set with a margin in the teacher's output; points are drawn in pools of
    :math:`4n` until :math:`n` are kept); ``flip`` flips each label with that probability (a
    non-separable set). ``epsilon`` is the :math:`\ell_\infty` radius of the adversarial
    perturbations of the features (the bias is not perturbed). Draw order: teacher, pools of
    designs, flips, gates. ``data``: ``X``, ``y`` in :math:`\{-1, +1\}`, ``patterns``,
    ``teacher_U``, ``teacher_alpha``; ``constants``: the module docstring's.
    """
    _checks.generator(rng)
    n, d, b = _check_common(n_samples, dim, beta, patterns)
    w = _checks.integer("teacher_width", teacher_width, low=1)
    gap = _checks.nonnegative("margin", margin)
    p_flip = _checks.real("flip", flip, low=0.0, high=0.5, fix="flip probabilities lie in [0, 0.5]")
    eps = _checks.nonnegative("epsilon", epsilon)
    U, alpha = _teacher(rng, d, w)
    pool = _design(rng, 4 * n, d)
    centre = float(np.median(np.maximum(pool @ U.T, 0.0) @ alpha))
    kept = np.zeros((0, d + 1))
    for _ in range(200):
        score = np.maximum(pool @ U.T, 0.0) @ alpha - centre
        kept = np.vstack([kept, pool[np.abs(score) >= max(gap, 1e-12)]])
        if kept.shape[0] >= n:
            break
        pool = _design(rng, 4 * n, d)
    if kept.shape[0] < n:
        raise ValueError(f"margin={margin!r} leaves fewer than {n} points after 200 pools; lower the margin")
    X = kept[:n]
    score = np.maximum(X @ U.T, 0.0) @ alpha - centre
    y = np.where(score >= 0.0, 1.0, -1.0)
    flipped = rng.random(n) < p_flip
    y[flipped] *= -1.0
    found, exact = _patterns(rng, X, patterns, n_gates)
    return Instance(
        data={"X": X, "y": y, "patterns": found, "teacher_U": U, "teacher_alpha": alpha, "loss": "hinge"},
        constants={"n_samples": float(n), "dim": float(d), "beta": b, "epsilon": eps,
                   "n_patterns": float(found.shape[0]), "patterns_exact": exact, "max_width": float(n + 1),
                   "min_margin": 0.0 if flipped.any() else float(np.min(np.abs(score)))},
        name=f"relu_classification(n={n}, d={d}, margin={gap:g}, flip={p_flip:g}, eps={eps:g})",
    )
