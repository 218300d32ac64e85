r"""Activation patterns of a ReLU layer on a data set: exact enumeration and Gaussian sampling.

For data :math:`X \in \mathbb R^{n\times p}` (rows :math:`x_k`, the last column the bias 1), a gate
:math:`u \in \mathbb R^p` induces the pattern :math:`D(u) = \operatorname{diag}(\mathbb 1[Xu \ge 0])`.
Pilanci & Ergen's convex program [1] has one pair of weight blocks per distinct pattern
:math:`D_1, \dots, D_P`; :math:`P \le 2r\,(e(n-1)/r)^r` with :math:`r = \operatorname{rank} X`
[1, as recalled].

Facts used here [derived here]:

* Because every row has last coordinate 1, a gate on some hyperplanes :math:`x_k^\top u = 0`
  has the pattern of the open cell that :math:`u + t e_p` (small :math:`t > 0`) enters: the
  closed patterns :math:`\mathbb 1[Xu \ge 0]` are exactly the sign patterns of the open cells of
  the central arrangement :math:`\{x_k^\top u = 0\}`.
* The all-zero pattern (:math:`u = -e_p`) multiplies its weights by :math:`D = 0`: it never
  changes the fit and only adds penalty, so it is dropped everywhere.
* With :math:`\le 2` features the patterns are the subsets cut off by a line (a threshold on the
  line): :func:`enumerate_patterns` sweeps the normal's angle over the open arcs between the
  :math:`n(n-1)` critical angles at which two projections tie; at a direction inside an arc
  all projections differ and the patterns are the :math:`n` non-empty suffixes of the sorted
  order. Every split by a line is realised inside some arc (perturb the normal off a
  critical angle and the threshold off the points), so the union is exact: for points in
  general position in the plane it has :math:`n(n-1) + 1` elements.
* In general dimension the cells are built incrementally (one hyperplane at a time; a cell
  with interior witness :math:`u_c` is split by the new hyperplane iff the LP
  :math:`\sigma_j x_j^\top u \ge 1\ (j \text{ seen}),\ -\operatorname{sign}(x_k^\top u_c)\,x_k^\top u \ge 1`
  is feasible; open cells are cones, so strict inequalities scale to :math:`\ge 1`). Exact,
  one LP per cell and hyperplane: for small :math:`n` only.

Sampling: Gaussian gates :math:`u_g \sim \mathcal N(0, I_p)`, patterns kept in the order of their
first appearance, so the patterns of the first :math:`G` gates are a prefix of those of the
first :math:`G' > G`: nested sets, along which the sampled optimum cannot increase.

[1] M. Pilanci, T. Ergen (2020). Neural Networks are Convex Regularizers: Exact Polynomial-time
    Convex Optimization Formulations for Two-layer Networks. ICML 2020, arXiv:2002.10553.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from problems import _validate as _checks

MAX_SWEEP_SAMPLES = 400  # n(n-1) arcs of n suffixes each
MAX_INCREMENTAL_CELLS = 20_000


def check_design(X) -> np.ndarray:
    """``X`` as a float64 (n, p) array whose last column is the bias column of ones."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 2:
        raise ValueError(f"X must be an (n, p) array with p >= 2 (features and a bias column), got shape "
                         f"{X.shape}; build it with data.planted_relu_regression or data.relu_classification")
    if not np.all(np.isfinite(X)) or not np.all(X[:, -1] == 1.0):
        raise ValueError("X must be finite with a last column of ones (the bias); append np.ones((n, 1))")
    return X


def unique_patterns(patterns: np.ndarray) -> np.ndarray:
    """Distinct rows of a boolean (G, n) array in order of first appearance, all-zero row dropped."""
    patterns = np.asarray(patterns, dtype=bool)
    if patterns.shape[0] == 0:
        return patterns.reshape(0, patterns.shape[1])
    _, first = np.unique(np.packbits(patterns, axis=1), axis=0, return_index=True)
    kept = patterns[np.sort(first)]
    return kept[kept.any(axis=1)]


def enumerate_patterns(X, *, method: str = "auto") -> np.ndarray:
    r"""Every distinct non-zero activation pattern :math:`\mathbb 1[Xu \ge 0]`, as a boolean
    (P, n) array in lexicographic order.

    ``method``: ``"sweep"`` (exact, at most 2 features, :math:`O(n^3\log n)`), ``"incremental"``
    (exact, any dimension, one LP per cell and hyperplane: small :math:`n` only) or
    ``"auto"`` (the sweep where it applies).
    """
    X = check_design(X)
    method = _checks.one_of("method", method, ("auto", "sweep", "incremental"))
    features = X.shape[1] - 1
    if method == "auto":
        method = "sweep" if features <= 2 else "incremental"
    if method == "sweep":
        if features > 2:
            raise ValueError(f"method='sweep' needs at most 2 features, got {features}; use method='incremental'")
        if X.shape[0] > MAX_SWEEP_SAMPLES:
            raise ValueError(f"the sweep handles at most {MAX_SWEEP_SAMPLES} samples, got {X.shape[0]}; "
                             f"sample patterns with sample_patterns instead")
        found = _sweep(X[:, :-1])
    else:
        found = _incremental(X)
    found = unique_patterns(found)
    order = np.lexsort(found.T[::-1])
    return found[order]


def _sweep(features: np.ndarray) -> np.ndarray:
    n, f = features.shape
    if f == 1:
        directions = np.array([[1.0], [-1.0]])
    else:
        diff = features[:, None, :] - features[None, :, :]
        off = ~np.eye(n, dtype=bool)
        # the normal theta ties x_j and x_k when theta is perpendicular to x_j - x_k
        critical = np.mod(np.arctan2(diff[..., 1], diff[..., 0])[off] + 0.5 * np.pi, 2 * np.pi)
        critical = np.unique(critical)
        if critical.size == 0:  # every point coincides: one arc
            critical = np.array([0.0])
        upper = np.append(critical[1:], critical[0] + 2 * np.pi)
        mids = 0.5 * (critical + upper)
        directions = np.stack([np.cos(mids), np.sin(mids)], axis=1)
    projections = features @ directions.T  # (n, arcs)
    order = np.argsort(-projections, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[:, None], axis=0)
    # suffix k of an arc's order: the points whose rank is below k (k = 1..n)
    sizes = np.arange(1, n + 1)
    return (rank.T[:, None, :] < sizes[None, :, None]).reshape(-1, n)


def _incremental(X: np.ndarray) -> np.ndarray:
    n, p = X.shape
    signs = [np.zeros(0, dtype=np.int8)]
    witnesses = [np.eye(p)[-1]]  # e_p is interior to the first cell (no hyperplane yet)
    for k in range(n):
        new_signs, new_witnesses = [], []
        for sigma, u in zip(signs, witnesses):
            side = 1 if X[k] @ u > 0 else -1
            if X[k] @ u == 0:  # a witness on the new hyperplane: both sides are non-empty
                other = _cell_point(X[:k], sigma, X[k], -1)
                here = _cell_point(X[:k], sigma, X[k], 1)
                new_signs += [np.append(sigma, 1), np.append(sigma, -1)]
                new_witnesses += [here, other]
                continue
            new_signs.append(np.append(sigma, side))
            new_witnesses.append(u)
            other = _cell_point(X[:k], sigma, X[k], -side)
            if other is not None:
                new_signs.append(np.append(sigma, -side))
                new_witnesses.append(other)
        signs, witnesses = new_signs, new_witnesses
        if len(signs) > MAX_INCREMENTAL_CELLS:
            raise ValueError(f"more than {MAX_INCREMENTAL_CELLS} cells after {k + 1} samples; the incremental "
                             f"enumeration is for small n: use sample_patterns")
    return np.array([s > 0 for s in signs], dtype=bool).reshape(-1, n)


def _cell_point(seen: np.ndarray, sigma: np.ndarray, row: np.ndarray, side: int):
    """An interior point of the cone {sigma_j x_j^T u > 0, side * row^T u > 0}, or None if empty."""
    p = row.size
    A = -np.vstack([sigma[:, None] * seen, side * row[None, :]]) if seen.size else -(side * row[None, :])
    result = linprog(np.zeros(p), A_ub=A, b_ub=-np.ones(A.shape[0]), bounds=[(None, None)] * p, method="highs")
    return result.x if result.status == 0 else None


def sample_patterns(X, rng: np.random.Generator, n_gates: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Patterns of ``n_gates`` Gaussian gates :math:`u_g \sim \mathcal N(0, I_p)`, drawn as
    ``rng.standard_normal((n_gates, p))``: the distinct non-zero ones in order of first
    appearance (a boolean (P_s, n) array) and, for each, the index of the gate that first
    produced it (so the patterns of the first ``G`` gates are those with index below ``G``)."""
    X = check_design(X)
    _checks.generator(rng)
    n_gates = _checks.integer("n_gates", n_gates, low=1, high=10_000_000)
    gates = rng.standard_normal((n_gates, X.shape[1]))
    patterns = (gates @ X.T) >= 0.0
    _, first = np.unique(np.packbits(patterns, axis=1), axis=0, return_index=True)
    first = np.sort(first)
    kept = patterns[first].any(axis=1)
    return patterns[first][kept], first[kept]


def sweep_count(n_samples: int) -> int:
    """:math:`n(n-1) + 1`: the number of non-zero patterns of :math:`n` points in general
    position in the plane (with a bias column), i.e. the :math:`n(n-1) + 2` affine dichotomies
    [classical, Cover 1965, recollection] less the empty one."""
    return int(n_samples) * (int(n_samples) - 1) + 1
