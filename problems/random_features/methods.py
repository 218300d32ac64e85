r"""Least squares on :math:`P` random features of the power-law teacher, with the exact test loss.

Student [Bahri et al. 2021, linear random-feature model, as recalled]: features :math:`f = VF \in \mathbb R^P`,
:math:`V_{\mu k} \sim N(0, 1)`; trained on :math:`D` samples by least squares, the minimum-norm solution
when :math:`P > D` (ridge :math:`\to 0`). Its effective teacher estimate is :math:`\hat\omega = A\omega`
with :math:`A = V^\top\Phi^+X`, :math:`\Phi = XV^\top` (:math:`X \in \mathbb R^{D\times S}`, rows :math:`F_j`).
Measured: the test loss averaged over the teacher, exactly [derived here]:

.. math::

    L = \frac{\mathbb E_\omega (A\omega - \omega)^\top\Lambda(A\omega - \omega)}
             {\mathbb E_\omega\,\omega^\top\Lambda\omega}
      = \frac{\operatorname{tr}\big((A - I)^\top\Lambda(A - I)\big)}{\operatorname{tr}\Lambda}
    \quad (\text{the loss of the zero predictor is } 1).

Limits, each exact [derived here]:

* **infinite data** (``n_samples="infinite"``): the population least-squares fit on :math:`f`,
  :math:`A = V^\top(V\Lambda V^\top)^{-1}V\Lambda`,
  :math:`L_\infty(P) = 1 - \operatorname{tr}\big((V\Lambda V^\top)^{-1}V\Lambda^2V^\top\big)/\operatorname{tr}\Lambda`;
* **infinite width** (``n_features="infinite"``): :math:`V^\top V/P \to I`, the minimum-norm interpolant of the
  latent model, :math:`A = \Pi_X` (projection on the row space of :math:`X = G\Lambda^{1/2}`), and
  :math:`L(D) = 1 - \operatorname{tr}\big((G\Lambda G^\top)^{-1}G\Lambda^2G^\top\big)/\operatorname{tr}\Lambda` (using
  :math:`\operatorname{tr}(\Pi\Lambda\Pi) = \operatorname{tr}(\Pi\Lambda)`): the same function of a Gaussian matrix
  as :math:`L_\infty(P)`, so :math:`L(D = k, P = \infty) \overset{d}{=} L(D = \infty, P = k)`: the width/data
  duality of the paper holds exactly in distribution here;
* **both finite, D >= P + 2** (``estimator="conditional"``): with :math:`\beta = \Sigma_P^{-1}V\Lambda\omega`,
  :math:`\Sigma_P = V\Lambda V^\top`, the labels are :math:`y_j = \beta^\top f_j + r_j` with :math:`r_j` Gaussian,
  independent of :math:`f_j` (zero covariance) and of variance :math:`L_\infty(\omega)`; OLS then gives
  :math:`\mathbb E[L \mid f_{1..D}] = L_\infty(P)\,\big(1 + \operatorname{tr}((H^\top H)^{-1})\big)` with
  :math:`H = F\Sigma_P^{-1/2}` standard Gaussian (:math:`D \times P`), whose mean is
  :math:`L_\infty(P)\,(1 + P/(D - P - 1))` (inverse Wishart). Only :math:`V` and :math:`H` are drawn: a
  conditional expectation of the same loss (less variance, no :math:`D \times S` sample);
* **both finite, any D** (``estimator="latent"``): the formula for :math:`A` itself, from drawn :math:`X` and :math:`V`
  (:math:`\Phi^+` by SVD; cost :math:`O(S(P^2 + DP))`).

Metrics: ``"test_loss"`` :math:`L(D, P)`; ``"excess_loss"`` :math:`L(D, P) - L_\infty(P)`, the variance-limited part
in :math:`D` (with the conditional estimator :math:`L_\infty(P)\operatorname{tr}((H^\top H)^{-1})`, no cancellation).
The Gram matrices and Cholesky solves run in single-threaded Numba kernels (``_kernels``; why: see there), with
array-API twins (``_reference``) that run, with the latent estimator, on ``backend="numpy"``, ``"cupy"`` or
``"array_api_strict"`` (:mod:`problems.backend`); the draws are made on the host in the same order for every
back end.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, first_nonfinite

from . import _kernels, _reference

METRICS = ("test_loss", "excess_loss")
BACKENDS = problems.backend.BACKENDS
ESTIMATORS = ("auto", "conditional", "latent")
INFINITE = "infinite"
MAX_DRAWS = 2**26  # Gaussian numbers per replica (512 MiB of float64)
PINV_RTOL = 1e-15  # NumPy's default cutoff of pinv, passed explicitly: array_api_compat's default differs


def random_feature_regression(instance, rng, *, n_features, n_samples, replicas=1, metric="test_loss",
                              estimator="auto", backend="numba") -> Trace:
    r"""The teacher-averaged test loss of least squares on random features (see the module docstring).

    Parameters
    ----------
    instance : Instance
        From ``generators.power_law_teacher``.
    rng : numpy.random.Generator
        Per replica, in order: :math:`V` ``(P, S)`` (when :math:`P` is finite), then :math:`G` ``(D, S)``
        (infinite width or ``estimator="latent"``) or :math:`H` ``(D, P)`` (conditional). Row-major
        draws: a smaller :math:`P` (or :math:`D`) uses the first rows of the same stream, so values swept on
        one stream are nested (common random numbers).
    n_features, n_samples : int or "infinite"
        :math:`P` and :math:`D`; finite ones below ``latent_dim`` where they are the only finite one (at or
        beyond it the loss is exactly 0).
    replicas : int
        Independent draws (rows of ``values``).
    metric : {"test_loss", "excess_loss"}
    estimator : {"auto", "conditional", "latent"}
        ``"auto"``: conditional when both are finite and :math:`D \ge P + 2`, else latent.
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Gram matrices and the Cholesky solves in the kernels (``_kernels``), with the latent estimator's
        pseudo-inverse in NumPy; or all of it in the array-API twins (``_reference``: the standard's ``linalg``)
        on that namespace (:mod:`problems.backend`), the draws made on the host and moved there.

    Returns a Trace at ``t = [0]``; ``info``: ``limit_loss`` (:math:`L_\infty(P)` per replica, NaN without
    :math:`V`), ``estimator``, ``n_features``, ``n_samples``, ``first_nonfinite``.
    """
    if not isinstance(instance, Instance) or "eigenvalues" not in instance.data:
        raise ValueError(f"instance must come from power_law_teacher, got {getattr(instance, 'name', instance)!r}")
    rng = _checks.generator(rng)
    lam = np.asarray(instance.data["eigenvalues"], dtype=np.float64)
    S = lam.size
    P, D = _size("n_features", n_features), _size("n_samples", n_samples)
    if P is None and D is None:
        raise ValueError("n_features and n_samples are both 'infinite' (the loss is 0); make one finite")
    for name, size, other in (("n_features", P, D), ("n_samples", D, P)):
        if size is not None and other is None and size >= S:
            raise ValueError(f"{name}={size} must be below latent_dim={S} when the other is infinite "
                             f"(the fit is then exact); pass a smaller {name} or a larger latent_dim")
    R = _checks.integer("replicas", replicas, low=1)
    code = _checks.choice("metric", metric, METRICS)
    impl, xp = _backend(backend)
    kind = _checks.one_of("estimator", estimator, ESTIMATORS)
    if kind == "auto":
        kind = "conditional" if P is not None and D is not None and D >= P + 2 else "latent"
    if kind == "conditional" and (P is None or D is None or D < P + 2):
        raise ValueError(f"estimator='conditional' needs finite n_features and n_samples >= n_features + 2, "
                         f"got n_features={n_features!r}, n_samples={n_samples!r}; pass estimator='latent'")
    draws = (P or 0) * S + (D or 0) * (S if kind == "latent" else (P or 0))
    if draws > MAX_DRAWS:
        raise ValueError(f"n_features={n_features!r}, n_samples={n_samples!r} with latent_dim={S} need {draws} "
                         f"Gaussian numbers per replica (more than {MAX_DRAWS}); reduce them")
    loss, excess, limit = np.empty(R), np.empty(R), np.full(R, np.nan)
    for r in range(R):
        loss[r], excess[r], limit[r] = _one(rng, _move(xp, lam), P, D, kind, impl, xp)
    values = (loss if code == 0 else excess)[:, None]
    t = np.array([0])
    return Trace(metric, t, values, {"limit_loss": limit, "estimator": kind, "n_features": n_features,
                                     "n_samples": n_samples, "backend": backend,
                                     "first_nonfinite": first_nonfinite(t, values)})


def projection_loss(M: np.ndarray, lam: np.ndarray, backend: str = "numba") -> float:
    r""":math:`1 - \operatorname{tr}\big((M\Lambda M^\top)^{-1}M\Lambda^2M^\top\big)/\operatorname{tr}\Lambda`: the
    relative residual of :math:`\Lambda^{1/2}` off the row space of :math:`M\Lambda^{1/2}` (the two Gram matrices and
    a Cholesky solve, in the kernels or their array-API twins on ``backend``); exactly 0 when :math:`M` has at
    least as many rows as columns."""
    impl, xp = _backend(backend)
    return _projection_loss(impl, xp, _move(xp, M), _move(xp, lam))


def inverse_wishart_trace(H: np.ndarray, backend: str = "numba") -> float:
    r""":math:`\operatorname{tr}((H^\top H)^{-1})` for a tall :math:`H` (kernels or twins: Gram and Cholesky)."""
    impl, xp = _backend(backend)
    return _inverse_wishart_trace(impl, xp, _move(xp, H))


def _projection_loss(impl, xp, M, lam) -> float:
    """:func:`projection_loss` on arrays already on the back end."""
    P = M.shape[0]
    if P >= M.shape[1]:
        return 0.0
    G1, G2 = xp.empty((P, P), dtype=xp.float64), xp.empty((P, P), dtype=xp.float64)
    impl._weighted_grams(np.ascontiguousarray(M.T) if impl is _kernels else M.mT, lam, G1, G2)
    return float(1.0 - impl._trace_solve(G1, G2) / float(xp.sum(lam)))


def _inverse_wishart_trace(impl, xp, H) -> float:
    P = H.shape[1]
    G1, G2 = xp.empty((P, P), dtype=xp.float64), xp.empty((P, P), dtype=xp.float64)
    impl._weighted_grams(H, xp.ones(H.shape[0], dtype=xp.float64), G1, G2)
    return float(impl._trace_solve(G1, xp.eye(P, dtype=xp.float64)))


def _one(rng, lam, P, D, kind, impl, xp):
    """(loss, excess, L_inf(P)) for one replica; ``lam`` on the back end, the draws moved there."""
    S = lam.shape[0]
    V = _move(xp, rng.standard_normal((P, S))) if P is not None else None
    limit = _projection_loss(impl, xp, V, lam) if V is not None else np.nan
    if D is None:
        return limit, 0.0, limit
    if kind == "conditional":
        spread = _inverse_wishart_trace(impl, xp, _move(xp, rng.standard_normal((D, P))))
        return limit * (1.0 + spread), limit * spread, limit
    G = _move(xp, rng.standard_normal((D, S)))
    if V is None:  # infinite width: minimum-norm interpolation of the latent model
        loss = _projection_loss(impl, xp, G, lam)
        return loss, loss, limit
    X = G * xp.sqrt(lam)
    N1 = xp.linalg.pinv(X @ V.mT, rtol=PINV_RTOL) @ X  # Phi^+ X, (P, S)
    tr_lam_a = xp.sum((V * lam) * N1)
    if V.shape[0] <= S:  # tr(N1^T V Lambda V^T N1), through the smaller of P x P and S x S
        tr_ata = xp.sum(N1 * (((V * lam) @ V.mT) @ N1))
    else:
        B = V.mT @ N1
        tr_ata = xp.sum(lam[:, None] * B * B)
    total = float(xp.sum(lam))
    loss = float((total - 2.0 * float(tr_lam_a) + float(tr_ata)) / total)
    return loss, loss - limit, limit


def _backend(backend):
    """``(impl, xp)``: the Numba kernels with NumPy (``array_api_compat.numpy``: NumPy's own functions) for
    the latent estimator, or the array-API twins with the back end's namespace (chosen here, once)."""
    code = _checks.choice("backend", backend, BACKENDS)
    xp = problems.backend.namespace("numpy" if code == 0 else backend)  # BackendUnavailable here
    return (_kernels if code == 0 else _reference), xp


def _move(xp, array):
    """A host array on the back end (float64; NumPy's stays NumPy's)."""
    return problems.backend.to_device(xp, np.asarray(array, dtype=np.float64))


def _size(name, value):
    if isinstance(value, str):
        _checks.one_of(name, value, (INFINITE,))
        return None
    return _checks.integer(name, value, low=1, fix=f"pass a positive integer or {INFINITE!r}")
