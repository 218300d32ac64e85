r"""Gradient descent on one softmax-attention layer and the attention SVM it is claimed to solve.

Model [1, Sec. 2, as recalled; the official code github.com/umich-sota/TF-as-SVM, ``base.py``, as retrieved]:
sequence :math:`X_i` (rows :math:`x_{it}`), query :math:`z_i`, fixed head :math:`v`,

.. math::

    f_i(W) = v^\top X_i^\top \operatorname{softmax}(X_iWz_i), \qquad
    \mathcal L(W) = \frac1n\sum_{i=1}^n \log\big(1 + e^{-Y_if_i(W)}\big),

with :math:`W` trained directly or as :math:`W = KQ^\top` (:math:`K, Q \in \mathbb R^{d\times m}`).
The attention SVM for tokens :math:`\alpha = (\alpha_i)` [1, (Att-SVM)]:

.. math::

    W^{\mathrm{mm}}_\alpha = \arg\min_W \|W\| \quad\text{s.t.}\quad
    (x_{i\alpha_i} - x_{it})^\top W z_i \ge 1 \quad (t \ne \alpha_i,\ i \le n),

with :math:`\|\cdot\|_F` (``norm="frobenius"``) or the nuclear norm (``"nuclear"``). Claims of [1]
(abstract, as retrieved): GD on :math:`W` converges in direction to :math:`W^{\mathrm{mm}}_F`; the
:math:`(K, Q)` parameterization with vanishing regularization to :math:`W^{\mathrm{mm}}_\star` (nuclear).

**Method.** Normalized GD, as in the official experiments (README: "normalized gradient descent to
ensure divergence of attention weights", :math:`\eta = 0.1`, :math:`W_0 = 0`; :math:`Q_0 = 0`,
:math:`K_0 = 0.1\,G` with :math:`G` Gaussian): :math:`\theta \leftarrow \theta - \eta\nabla/\|\nabla\|`.
For :math:`(K, Q)` the official code normalizes each factor's gradient on its own
(``normalization="blockwise"``); ``"joint"`` (the default) divides both by their joint norm, which is GD on
:math:`(K, Q)` up to a change of time, so that the balance :math:`K^\top K - Q^\top Q` of gradient flow
is kept. (Measured here: with ``"blockwise"`` the alignment with :math:`W^{\mathrm{mm}}_\star` stops
improving after a few thousand steps and drifts away again; with ``"joint"`` it keeps improving.)

Metrics (``metric``), at log-spaced checkpoints, one row per replica:
``"alignment_gap"`` :math:`1 - \cos(W_t, W^{\mathrm{mm}})` (Frobenius inner product), computed as
:math:`\frac12\|W_t/\|W_t\| - W^{\mathrm{mm}}/\|W^{\mathrm{mm}}\|\|_F^2` (no cancellation), 1 at :math:`W_t = 0`;
``"relative_alignment_gap"`` the same divided by :math:`1 - \cos(W^{\mathrm{mm}}_F, W^{\mathrm{mm}}_\star)` for the
same tokens (0 at the reference SVM, about 1 at the other one: which of the two GD follows, in units of
their distance); ``"norm"`` :math:`\|W_t\|_F`; ``"off_token_mass"`` :math:`\max_i (1 - p_{i\alpha_i})`, the attention
left on the other tokens. The SVM's tokens (``tokens``): ``"optimal"``, by score, or ``"selected"``, the
tokens GD attends to at the last iterate (the locally optimal direction of [1, Sec. 4], as the official
``local_converge`` notebook does).

[1] D. A. Tarzanagh, Y. Li, C. Thrampoulidis, S. Oymak (2023). Transformers as Support Vector Machines.
    arXiv:2308.16898.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels, _reference

METRICS = ("alignment_gap", "relative_alignment_gap", "norm", "off_token_mass")
NORMS = ("frobenius", "nuclear")
PARAMETERIZATIONS = ("W", "KQ")
NORMALIZATIONS = ("joint", "blockwise")
TOKENS = ("optimal", "selected")
BACKENDS = problems.backend.BACKENDS
SOLVERS = ("CLARABEL", "SCS")


def max_margin_attention(instance: Instance, tokens=None, *, norm="frobenius", solver="CLARABEL"):
    r"""The attention SVM :math:`W^{\mathrm{mm}}_\alpha` for ``tokens`` (default: the optimal ones),
    solved with CVXPY. Returns ``(W, status)``; ``W`` is ``None`` unless the solve ended with a solution.

    The constraints are :math:`\langle W, (x_{i\alpha_i} - x_{it})z_i^\top\rangle \ge 1`. The Frobenius problem
    is a QP (``sum_squares``), the nuclear one an SDP (``normNuc``); both are solved by ``solver``.
    """
    import cvxpy as cp  # imported here: only the solves need it

    X, Z = _token_data(instance, "max_margin_attention")
    alpha = _tokens(instance, tokens)
    kind = _checks.one_of("norm", norm, NORMS)
    name = _checks.one_of("solver", solver, SOLVERS)
    n, T, d = X.shape
    rows = np.array([np.outer(X[i, alpha[i]] - X[i, t], Z[i]).ravel()
                     for i in range(n) for t in range(T) if t != alpha[i]])
    W = cp.Variable((d, d))
    objective = cp.sum_squares(W) if kind == "frobenius" else cp.normNuc(W)
    problem = cp.Problem(cp.Minimize(objective), [rows @ cp.vec(W, order="C") >= 1])
    try:
        problem.solve(solver=name)
    except cp.error.SolverError as exc:
        return None, f"solver_error: {exc}".splitlines()[0]
    status = str(problem.status)
    return (None if W.value is None else np.array(W.value, dtype=np.float64)), status


def attention_gd(instance, rng, *, n_iter, step_size=0.1, parameterization="W", normalization="joint",
                 init_scale=None, width=None, replicas=1, metric="alignment_gap", reference="frobenius",
                 tokens="optimal", solver="CLARABEL", svm_gap=False, n_checkpoints=60,
                 backend="numba") -> Trace:
    r"""Normalized GD on the attention weights, recorded at log-spaced checkpoints in one pass.

    Parameters
    ----------
    instance : Instance
        From ``generators.token_selection``.
    rng : numpy.random.Generator
        Draws the initialisations, in order, per replica: :math:`W_0` ``(d, d)`` (only when
        ``init_scale > 0``) or :math:`K_0` ``(d, m)``.
    n_iter : int
    step_size : float
        :math:`\eta` (0.1, as in the official experiments).
    parameterization : {"W", "KQ"}
    normalization : {"joint", "blockwise"}
        ``"KQ"`` only (see the module docstring).
    init_scale : float, optional
        :math:`W_0` = ``init_scale`` times a Gaussian matrix (default 0: :math:`W_0 = 0`); for ``"KQ"``,
        :math:`K_0` = ``init_scale`` times a Gaussian (default 0.1) and :math:`Q_0 = 0`.
    width : int, optional
        :math:`m`, the columns of :math:`K` and :math:`Q` (default :math:`d`).
    replicas : int
        Independent initialisations (rows of ``values``).
    metric : {"alignment_gap", "relative_alignment_gap", "norm", "off_token_mass"}
    reference : {"frobenius", "nuclear"}
        The SVM of the alignment metrics.
    tokens : {"optimal", "selected"}
    solver : {"CLARABEL", "SCS"}
    svm_gap : bool
        Also solve the other SVM and report :math:`1 - \cos(W^{\mathrm{mm}}_F, W^{\mathrm{mm}}_\star)` (always done
        for ``"relative_alignment_gap"``).
    n_checkpoints : int
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernels, or their array-API twins (``_reference``: the replicas as one stacked
        state) on that namespace (:mod:`problems.backend`); the initialisations are drawn on the host
        either way, the iterates come home at the checkpoints and the metrics are computed there.

    ``info``: ``solver``, ``solver_status`` (one per SVM solved), ``svm_gap`` (per replica, for its tokens,
    when solved), ``tokens`` (``(replicas, n)``, the SVM's tokens), ``selects_reference_tokens`` (every
    replica attends to them at the last iterate), ``final_norm``, ``step_size``, ``parameterization``,
    ``normalization``, ``init_scale``, ``width``, ``first_nonfinite``, ``backend``.
    """
    X, Z = _token_data(instance, "attention_gd")
    rng = _checks.generator(rng)
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    eta = _checks.positive("step_size", step_size, fix="try 0.1")
    kind = _checks.one_of("parameterization", parameterization, PARAMETERIZATIONS)
    blockwise = _checks.choice("normalization", normalization, NORMALIZATIONS) == 1
    code = _checks.choice("metric", metric, METRICS)
    ref_norm = _checks.one_of("reference", reference, NORMS)
    token_rule = _checks.one_of("tokens", tokens, TOKENS)
    _checks.one_of("solver", solver, SOLVERS)
    impl, move = _backend(backend)
    R = _checks.integer("replicas", replicas, low=1)
    d = X.shape[2]
    m = d if width is None else _checks.integer("width", width, low=1, fix="pass the columns of K and Q")
    default_scale = 0.0 if kind == "W" else 0.1
    scale = default_scale if init_scale is None else _checks.nonnegative(
        "init_scale", init_scale, fix="pass the scale of the Gaussian initialisation")
    if kind == "KQ" and scale == 0.0:
        raise ValueError("init_scale=0 with parameterization='KQ' starts at a stationary point (K = Q = 0); "
                         "pass init_scale > 0 (0.1 as in the official code)")
    values, labels = (np.ascontiguousarray(instance.data[k], dtype=np.float64) for k in ("values", "labels"))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is evidence
        W_t = _run(impl, move, kind, blockwise, X, Z, values, labels, rng, R, d, m, scale, eta, t)
    alpha = _reference_tokens(instance, W_t, token_rule)
    both = svm_gap or code == 1
    solves, gaps, statuses = _solve_svms(instance, alpha, ref_norm, solver, both)
    info = {"solver": solver, "solver_status": statuses, "tokens": alpha, "step_size": eta,
            "parameterization": kind, "normalization": normalization if kind == "KQ" else None,
            "init_scale": scale, "width": m if kind == "KQ" else None, "backend": backend,
            "final_norm": np.linalg.norm(W_t[:, -1], axis=(1, 2)),
            "selects_reference_tokens": bool(np.all(_selected(X, Z, W_t[:, -1]) == alpha))}
    if both:
        info["svm_gap"] = np.array([gaps[tuple(int(x) for x in a)] for a in alpha])
    out = _metric(code, X, Z, W_t, alpha, solves, gaps)
    info["first_nonfinite"] = first_nonfinite(t, out)
    return Trace(metric, t, out, info)


def _solve_svms(instance, alpha, ref_norm, solver, both):
    r"""The reference SVM for every distinct token set of ``alpha`` (and, when ``both``, the other SVM and the
    gap :math:`1 - \cos(W^{\mathrm{mm}}_F, W^{\mathrm{mm}}_\star)`, NaN if a solve failed); their statuses."""
    other = "nuclear" if ref_norm == "frobenius" else "frobenius"
    solves, gaps, statuses = {}, {}, []
    for key in sorted({tuple(int(x) for x in a) for a in alpha}):
        solves[key], status = max_margin_attention(instance, np.array(key), norm=ref_norm, solver=solver)
        statuses.append(status)
        if both:
            W_other, status = max_margin_attention(instance, np.array(key), norm=other, solver=solver)
            statuses.append(status)
            ok = solves[key] is not None and W_other is not None
            gaps[key] = float(alignment_gap(solves[key], W_other)) if ok else float("nan")
    return solves, gaps, statuses


def alignment_gap(W, reference) -> np.ndarray:
    r""":math:`1 - \cos(W, W_{\mathrm{ref}})` over the last two axes, as
    :math:`\frac12\|\hat W - \hat W_{\mathrm{ref}}\|_F^2` (:math:`\hat A = A/\|A\|_F`); 1 where :math:`W = 0`."""
    W = np.asarray(W, dtype=np.float64)
    norms = np.linalg.norm(W, axis=(-2, -1), keepdims=True)
    unit = np.divide(W, norms, out=np.zeros_like(W), where=norms > 0)
    ref = np.asarray(reference, dtype=np.float64)
    ref = ref / np.linalg.norm(ref)
    gap = 0.5 * np.sum((unit - ref) ** 2, axis=(-2, -1))
    return np.where(norms[..., 0, 0] > 0, gap, 1.0)


def off_token_mass(X, Z, W, tokens) -> float:
    r""":math:`\max_i (1 - p_{i\alpha_i}(W))`, stably: :math:`\exp(\mathrm{lse}_{t\ne\alpha_i} - \mathrm{lse}_t)`
    of the scores shifted by :math:`s_{i\alpha_i}`."""
    s = np.einsum("ntp,np->nt", X, Z @ np.asarray(W).T)
    rows = np.arange(X.shape[0])
    shifted = s - s[rows, tokens][:, None]
    off = np.where(np.arange(s.shape[1])[None, :] == np.asarray(tokens)[:, None], -np.inf, shifted)
    return float(np.max(np.exp(_logsumexp(off) - _logsumexp(shifted))))


def _logsumexp(a):
    top = np.max(a, axis=1)
    return top + np.log(np.sum(np.exp(a - top[:, None]), axis=1))


def _run(impl, move, kind, blockwise, X, Z, values, labels, rng, R, d, m, scale, eta, t):
    """The kernel (or twin) for ``kind``; returns :math:`W_t` of shape (replicas, len(t), d, d), on the host."""
    data = [move(a) for a in (X, Z, values, labels)]
    if kind == "W":
        W0 = np.stack([scale * rng.standard_normal((d, d)) if scale > 0 else np.zeros((d, d)) for _ in range(R)])
        W_t = np.empty((R, t.size, d, d))
        impl._normalized_gd_w(*data, move(W0), eta, t, W_t)
        return W_t
    K0 = np.stack([scale * rng.standard_normal((d, m)) for _ in range(R)])
    K_t, Q_t = np.empty((R, t.size, d, m)), np.empty((R, t.size, d, m))
    impl._normalized_gd_kq(*data, move(K0), move(np.zeros_like(K0)), eta, blockwise, t, K_t, Q_t)
    return np.einsum("rkpc,rkqc->rkpq", K_t, Q_t)


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the move of a
    host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _selected(X, Z, W):
    """The attended token of every sequence, per replica: (replicas, n)."""
    return np.argmax(np.einsum("ntp,rpq,nq->rnt", X, W, Z), axis=2)


def _reference_tokens(instance, W_t, rule):
    if rule == "optimal":
        return np.tile(_tokens(instance, None), (W_t.shape[0], 1))
    final = W_t[:, -1]
    if not np.all(np.isfinite(final)):
        return np.tile(_tokens(instance, None), (W_t.shape[0], 1))
    return _selected(instance.data["X"], instance.data["Z"], final)


def _metric(code, X, Z, W_t, alpha, solves, gaps):
    R, K = W_t.shape[:2]
    out = np.full((R, K), np.nan)
    for r in range(R):
        key = tuple(int(x) for x in alpha[r])
        if code in (0, 1):
            if solves[key] is not None:
                out[r] = alignment_gap(W_t[r], solves[key]) / (gaps[key] if code == 1 else 1.0)
        elif code == 2:
            out[r] = np.linalg.norm(W_t[r], axis=(1, 2))
        else:
            out[r] = [off_token_mass(X, Z, W, alpha[r]) if np.all(np.isfinite(W)) else np.nan for W in W_t[r]]
    return out


def _tokens(instance, tokens):
    n, T = instance.data["X"].shape[:2]
    if tokens is None:
        return np.asarray(instance.data["optimal_tokens"], dtype=np.int64)
    alpha = np.asarray(tokens)
    if alpha.shape != (n,) or not np.issubdtype(alpha.dtype, np.integer) or alpha.min() < 0 or alpha.max() >= T:
        raise ValueError(f"tokens must be {n} integers in [0, {T - 1}] (one per sequence), got {tokens!r}")
    return alpha.astype(np.int64)


def _token_data(instance, method):
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         "build one with token_selection")
    missing = [k for k in ("X", "Z", "values", "labels", "optimal_tokens") if k not in instance.data]
    if missing:
        raise ValueError(f"instance {instance.name!r} lacks data {missing} that {method} needs; "
                         "build it with token_selection")
    return (np.ascontiguousarray(instance.data[k], dtype=np.float64) for k in ("X", "Z"))
