r"""Factored gradient methods for low-rank matrix recovery, recorded at checkpoints in one pass.

Xiong, Ding & Du [1] show that over-parameterisation (width :math:`k > r`) slows gradient
descent on :math:`\frac14\|XX^\top - M_\star\|_F^2` from linear to sublinear,
:math:`\|X_tX_t^\top - M_\star\|_F^2 = \Theta(1/t^2)` from a small initialisation, while the
asymmetric parameterisation :math:`FG^\top` converges linearly at a rate that depends on the
initialisation scale :math:`\alpha`, a dependence one modified step removes. Ma & Fattahi
[2] show that the subgradient method on the :math:`\ell_1` loss with geometrically decaying
steps recovers :math:`M_\star` from grossly corrupted measurements.

Every method measures :math:`W_t - M_\star` (:math:`W = XX^\top` or :math:`FG^\top`), formed
entry by entry at the checkpoints: ``"frobenius"`` :math:`\|W_t - M_\star\|_F`,
``"frobenius_squared"`` its square, ``"relative"`` :math:`\|W_t - M_\star\|_F/\|M_\star\|_F`.
The initial factors are :math:`\alpha Z` with :math:`Z_{ij} \sim N(0, 1/n)` i.i.d., drawn on
the host from ``rng`` replica by replica, identically for every back end: the Numba kernels
(``backend="numba"``, the default) or their array-API twins, the same code run on NumPy
(``"numpy"``), on a CUDA GPU through CuPy (``"cupy"``) or on ``"array_api_strict"`` (see
:mod:`problems.backend`); the instance and the initial factors are moved to the device and
the checkpoints come home as NumPy.
Divergence is not an error: a replica that overflows reads ``inf`` from then on and
``info["first_nonfinite"]`` gives the first checkpoint where some replica did.
``symmetric_gd.over_seeds`` and ``asymmetric_gd.over_seeds`` (the engine's form for several
seeds) run the seeds of a grid point as one batched state on the array back ends, factors
``(seeds, replicas, n, k)``, each seed's initial factors drawn from its own ``rng`` as above;
every trace is the per-seed call's.

[1] N. Xiong, L. Ding, S. S. Du (2024). How Over-Parameterization Slows Down Gradient
    Descent in Matrix Sensing: The Curses of Symmetry and Initialization. ICLR 2024.
[2] J. Ma, S. Fattahi (2023). Global Convergence of Sub-gradient Method for Robust Matrix
    Recovery: Small Initialization, Noisy Measurements, and Over-parameterization. JMLR 24.
"""
from __future__ import annotations

import inspect
from typing import NamedTuple

import numpy as np

import problems.backend
from problems.types import Instance, Trace

from . import _checks, _kernels, _reference

METRICS = ("frobenius", "frobenius_squared", "relative")
BACKENDS = problems.backend.BACKENDS
_MAKERS = "symmetric_low_rank or asymmetric_low_rank"


def symmetric_gd(instance, rng, *, width, init_scale, step_size, n_iter, replicas=1,
                 metric="frobenius", n_checkpoints=60, backend="numba") -> Trace:
    r"""Gradient descent on the symmetric factorisation :math:`W = XX^\top`,
    :math:`X \in \mathbb R^{n\times k}`: :math:`X_{t+1} = X_t - \eta\nabla f(X_t)`.

    Full observation: :math:`f(X) = \frac14\|XX^\top - M_\star\|_F^2`,
    :math:`\nabla f(X) = (XX^\top - M_\star)X
    = X(X^\top X) - U(\operatorname{diag}(\sigma)\,U^\top X)` (:math:`O(nk^2 + nrk)` per step).
    Sensing: :math:`f(X) = \frac1{4m}\sum_i (\langle A_i, XX^\top\rangle - y_i)^2`,
    :math:`\nabla f(X) = \frac1m\sum_i r_i A_i X` (:math:`A_i` symmetric,
    :math:`r_i = \langle A_i, XX^\top\rangle - y_i`; :math:`O(mn^2)` per step).

    Parameters
    ----------
    instance : Instance
        From :func:`symmetric_low_rank` (sensed when it has ``n_measurements > 0``).
    rng : numpy.random.Generator
        Draws :math:`X_0 = \alpha Z`, ``Z = rng.standard_normal((replicas, n, k)) / sqrt(n)``.
    width : int
        :math:`k`, with ``rank <= k <= dim``.
    init_scale : float
        :math:`\alpha > 0`.
    step_size : float
        :math:`\eta > 0` (of order :math:`0.1/\sigma_1` to :math:`0.5/\sigma_1`).
    n_iter : int
        Number of steps :math:`T`.
    replicas : int
        Independent initialisations (rows of ``values``).
    metric : {"frobenius", "frobenius_squared", "relative"}
    n_checkpoints : int
        Number of recording points (see :func:`problems.types.checkpoints`).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        Where it runs (see the module docstring); ``"cupy"`` needs CuPy and a GPU.
    """
    return _finish(_symmetric_run(instance, rng, width, init_scale, step_size, n_iter, replicas,
                                  metric, n_checkpoints, backend))


def asymmetric_gd(instance, rng, *, width, init_scale, step_size, n_iter, init_ratio=1.0,
                  rebalance_at=-1, rebalance_scale=1.0, replicas=1, metric="frobenius",
                  n_checkpoints=60, backend="numba") -> Trace:
    r"""Simultaneous gradient descent on the asymmetric factorisation :math:`W = FG^\top`.

    :math:`F \in \mathbb R^{n_1\times k}`, :math:`G \in \mathbb R^{n_2\times k}`,
    :math:`(F, G)_{t+1} = (F_t - \eta\nabla_F f, \; G_t - \eta\nabla_G f)` at :math:`(F_t, G_t)`.
    Full observation: :math:`f = \frac12\|FG^\top - M_\star\|_F^2`,
    :math:`\nabla_F f = (FG^\top - M_\star)G`, :math:`\nabla_G f = (FG^\top - M_\star)^\top F`,
    computed from :math:`M_\star = U\operatorname{diag}(\sigma)V^\top` (:math:`V = U` for a
    symmetric instance: the asymmetric parameterisation of a symmetric problem). Sensing:
    :math:`f = \frac1{2m}\sum_i(\langle A_i, FG^\top\rangle - y_i)^2`,
    :math:`\nabla_F f = \frac1m\sum_i r_i A_i G`, :math:`\nabla_G f = \frac1m\sum_i r_i A_i^\top F`.
    Caution: the sensing matrices of a symmetric instance are symmetric, so they see only the
    symmetric part of :math:`FG^\top`; its antisymmetric part is unobserved and can stall the
    metric (use :func:`asymmetric_low_rank` with ``rows = cols`` for sensed asymmetric runs).

    Initialisation (per replica, :math:`Z_F` then :math:`Z_G`): :math:`F_0 = \alpha Z_F`,
    :math:`G_0 = \rho\,\alpha Z_G`, :math:`(Z_F)_{ij} \sim N(0, 1/n_1)`,
    :math:`(Z_G)_{ij} \sim N(0, 1/n_2)`, :math:`\rho` = ``init_ratio`` (imbalance).

    One-step rebalancing (the modification of [1] that removes the dependence of the rate on
    :math:`\alpha`): when :math:`t` = ``rebalance_at``, before that step's update, with
    :math:`P = F^\top F = Q\Lambda Q^\top` and :math:`c` = ``rebalance_scale``,

    .. math:: F \leftarrow \sqrt c\, F P^{-1/2}, \qquad G \leftarrow G P^{1/2}/\sqrt c .

    Then :math:`FG^\top` is unchanged and :math:`F^\top F = c\,I` (all singular values of
    :math:`F` equal :math:`\sqrt c`). Requires :math:`F` of full column rank.
    ``rebalance_at = -1`` never rebalances. The operation is ``_kernels._rebalance``.

    Parameters
    ----------
    instance : Instance
        From :func:`symmetric_low_rank` or :func:`asymmetric_low_rank`.
    width : int
        :math:`k`, with ``rank <= k <= min(rows, cols)``.
    init_ratio : float
        :math:`\rho > 0`.
    rebalance_at : int
        -1 or a step in ``[0, n_iter)``.
    rebalance_scale : float
        :math:`c > 0`.

    Other parameters as in :func:`symmetric_gd`.
    """
    return _finish(_asymmetric_run(instance, rng, width, init_scale, step_size, n_iter, init_ratio,
                                   rebalance_at, rebalance_scale, replicas, metric, n_checkpoints,
                                   backend))


def subgradient_l1(instance, rng, *, width, init_scale, step_size, decay, n_iter, n_used=0,
                   replicas=1, metric="frobenius", n_checkpoints=60, backend="numba") -> Trace:
    r"""Subgradient method on the robust :math:`\ell_1` loss of [2] with geometric steps.

    .. math::

        f(X) = \frac1{m'}\sum_{i < m'} |\langle A_i, XX^\top\rangle - y_i|, \qquad
        X_{t+1} = X_t - \eta q^t\, \frac2{m'}\sum_{i<m'} \operatorname{sign}(r_i)\, A_i X_t,

    :math:`r_i = \langle A_i, X_tX_t^\top\rangle - y_i`, :math:`\operatorname{sign}(0) = 0`,
    over the first :math:`m'` = ``n_used`` measurements (0: all), so that runs with growing
    :math:`m'` see nested subsets of one instance. :math:`X_0 = \alpha Z` as in
    :func:`symmetric_gd` (same draws).

    Parameters
    ----------
    instance : Instance
        From :func:`symmetric_low_rank` with ``n_measurements > 0``.
    decay : float
        :math:`q \in (0, 1]`.
    n_used : int
        :math:`m'`, 0 (all) or at most ``n_measurements``.

    Other parameters as in :func:`symmetric_gd`.
    """
    U, _, _, M_star, A, y, norm_M = _problem(instance, "subgradient_l1", symmetric=True)
    if A.shape[0] == 0:
        raise ValueError(f"subgradient_l1 needs measurements, but instance {instance.name!r} "
                         "is fully observed; build it with symmetric_low_rank(n_measurements > 0)")
    n = M_star.shape[0]
    k, alpha, eta, R, code, t, xp, rng = _common(
        instance, rng, width, n, init_scale, step_size, n_iter, replicas, metric,
        n_checkpoints, backend)
    q = _checks.real("decay", decay, low=0.0, high=1.0, low_open=True,
                     fix="pass the geometric step decay q in (0, 1]")
    m_used = _checks.integer("n_used", n_used, low=0, high=A.shape[0],
                             fix=f"pass 0 (all) or at most n_measurements={A.shape[0]}")
    m_used = m_used or A.shape[0]
    X0 = alpha * (rng.standard_normal((R, n, k)) / np.sqrt(n))
    out = np.full((R, t.size), np.nan)
    _launch(xp, "_subgradient_l1", (M_star, A[:m_used], y[:m_used], X0),
            (eta, q, code, norm_M, t, out))
    return Trace(metric, t, out, _checks.info(
        t, out, backend=backend, width=k, init_scale=alpha, step_size=eta, decay=q,
        n_used=m_used, replicas=R))


symmetric_gd.over_seeds = lambda instances, rngs, params: _over_seeds(
    symmetric_gd, _symmetric_run, instances, rngs, params)
asymmetric_gd.over_seeds = lambda instances, rngs, params: _over_seeds(
    asymmetric_gd, _asymmetric_run, instances, rngs, params)


class _Run(NamedTuple):
    """One validated call with its initial factors drawn, not yet launched: ``kernel``'s
    arrays (host NumPy, in its argument order) and scalars (those between the arrays and
    ``record_at``), the checkpoint grid, the namespace (``None``: Numba), and the trace's
    metric and ``info`` settings."""
    kernel: str
    arrays: tuple
    scalars: tuple
    t: np.ndarray
    xp: object
    metric: str
    info: dict


def _symmetric_run(instance, rng, width, init_scale, step_size, n_iter, replicas, metric,
                   n_checkpoints, backend) -> _Run:
    U, s, _, M_star, A, y, norm_M = _problem(instance, "symmetric_gd", symmetric=True)
    n = M_star.shape[0]
    k, alpha, eta, R, code, t, xp, rng = _common(
        instance, rng, width, min(M_star.shape), init_scale, step_size, n_iter, replicas,
        metric, n_checkpoints, backend)
    X0 = alpha * (rng.standard_normal((R, n, k)) / np.sqrt(n))
    return _Run("_symmetric_gd", (U, s, M_star, A, y, X0), (eta, code, norm_M), t, xp, metric,
                {"backend": backend, "width": k, "init_scale": alpha, "step_size": eta,
                 "replicas": R, "n_measurements": A.shape[0]})


def _asymmetric_run(instance, rng, width, init_scale, step_size, n_iter, init_ratio,
                    rebalance_at, rebalance_scale, replicas, metric, n_checkpoints,
                    backend) -> _Run:
    U, s, V, M_star, A, y, norm_M = _problem(instance, "asymmetric_gd", symmetric=False)
    n1, n2 = M_star.shape
    k, alpha, eta, R, code, t, xp, rng = _common(
        instance, rng, width, min(n1, n2), init_scale, step_size, n_iter, replicas, metric,
        n_checkpoints, backend)
    rho = _checks.positive("init_ratio", init_ratio, fix="pass the scale of G_0 over F_0")
    at = _checks.integer("rebalance_at", rebalance_at, low=-1, high=int(t[-1]) - 1,
                         fix=f"pass -1 (never) or a step in [0, n_iter={int(t[-1])})")
    c = _checks.positive("rebalance_scale", rebalance_scale,
                         fix="pass the common squared singular value of F after rebalancing")
    F0, G0 = np.empty((R, n1, k)), np.empty((R, n2, k))
    for r in range(R):
        F0[r] = alpha * (rng.standard_normal((n1, k)) / np.sqrt(n1))
        G0[r] = (rho * alpha) * (rng.standard_normal((n2, k)) / np.sqrt(n2))
    return _Run("_asymmetric_gd", (U, s, V, M_star, A, y, F0, G0), (eta, at, c, code, norm_M),
                t, xp, metric,
                {"backend": backend, "width": k, "init_scale": alpha, "init_ratio": rho,
                 "step_size": eta, "rebalance_at": at, "rebalance_scale": c, "replicas": R,
                 "n_measurements": A.shape[0]})


def _finish(run: _Run) -> Trace:
    """Launch ``run`` and return its trace."""
    out = np.full((run.info["replicas"], run.t.size), np.nan)
    _launch(run.xp, run.kernel, run.arrays, (*run.scalars, run.t, out))
    return Trace(run.metric, run.t, out, _checks.info(run.t, out, **run.info))


# How a batch of S seeds stacks a kernel's arguments on a leading seed axis. Per array: 1 where
# the stack also takes a unit replica axis, to broadcast against the (S, R, n, k) factors (U, s,
# V, M_star, y); 0 for the factors (they have their replica axis) and for A (reshaped to
# (S, m, n1 n2), it multiplies the (S, R, n1 n2) rows of the products seed by seed). Per scalar:
# 0 where the seeds must agree (metric code, rebalance_at), else the rank of its per-seed array
# (S, 1, ...): 4 to scale the factors (step size, rebalancing scale), 2 to divide the (S, R)
# metric (norm_M).
_SEED_LAYOUT = {
    "_symmetric_gd": ((1, 1, 1, 0, 1, 0), (4, 0, 2)),
    "_asymmetric_gd": ((1, 1, 1, 1, 0, 1, 0, 0), (4, 0, 4, 0, 2)),
}


def _over_seeds(method, prepare, instances, rngs, params) -> list[Trace]:
    r"""The traces of ``method(instance, rng, **p)`` for each seed's instance, generator and
    parameters, the seeds run as one batched state where they can.

    Each seed is validated and draws its initial factors from its own generator as its call
    does (``prepare`` is that call's first half, so its errors are the call's). On an array
    back end, seeds whose arrays have equal shapes and whose settings agree (all but the step
    size, the initial and rebalancing scales and ratio, which may resolve per instance) run as
    one state: the factors ``(S, R, n, k)``, the instance arrays stacked on a leading seed axis
    (``_SEED_LAYOUT``), one set of batched products per step for all seeds. The Numba
    kernels, or seeds that differ otherwise, run one by one. Each trace equals the per-seed
    call's (the same arithmetic; a batched product may round differently in the last place),
    its ``info`` too."""
    runs = []
    for instance, rng, p in zip(instances, rngs, params):
        try:
            bound = inspect.signature(method).bind(instance, rng, **p)
        except TypeError:
            method(instance, rng, **p)  # raises the call's own TypeError
            raise
        bound.apply_defaults()
        runs.append(prepare(**bound.arguments))
    if len(runs) < 2 or runs[0].xp is None or not all(_agree(runs[0], run) for run in runs[1:]):
        return [_finish(run) for run in runs]
    first = runs[0]
    lifts, ranks = _SEED_LAYOUT[first.kernel]
    arrays = [np.stack([run.arrays[i] for run in runs]) for i in range(len(lifts))]
    arrays = [a[:, None] if lift else a for a, lift in zip(arrays, lifts)]
    scalars = [problems.backend.to_device(first.xp, np.reshape(
        [run.scalars[i] for run in runs], (-1,) + (1,) * (rank - 1))) if rank else first.scalars[i]
        for i, rank in enumerate(ranks)]
    out = np.full((len(runs), first.info["replicas"], first.t.size), np.nan)
    _launch(first.xp, first.kernel, arrays, (*scalars, first.t, out))
    return [Trace(run.metric, run.t, out[s], _checks.info(run.t, out[s], **run.info))
            for s, run in enumerate(runs)]


def _agree(first: _Run, run: _Run) -> bool:
    """Whether ``run`` can join ``first``'s seed batch (see ``_SEED_LAYOUT``)."""
    return (run.kernel == first.kernel and run.xp is first.xp and run.metric == first.metric
            and np.array_equal(run.t, first.t)
            and [a.shape for a in run.arrays] == [a.shape for a in first.arrays]
            and all(rank or a == b for rank, a, b in
                    zip(_SEED_LAYOUT[first.kernel][1], first.scalars, run.scalars)))


def _namespace(backend):
    """``None`` for the Numba kernels, else the array namespace of ``backend`` (raises
    :class:`problems.backend.BackendUnavailable` where it cannot run)."""
    _checks.choice("backend", backend, BACKENDS)
    return None if backend == "numba" else problems.backend.namespace(backend)


def _launch(xp, name, arrays, rest):
    """Run kernel ``name`` on the host arrays, or its twin on ``xp`` with them moved there;
    ``rest`` (scalars, the checkpoint grid, ``out``) is passed as is."""
    if xp is None:
        getattr(_kernels, name)(*arrays, *rest)
        return
    with np.errstate(all="ignore"):  # overflow is evidence (+inf), not a warning; no-op off NumPy
        getattr(_reference, name)(xp, *(problems.backend.to_device(xp, a) for a in arrays), *rest)


def _problem(instance, method: str, symmetric: bool):
    """``U, s, V, M_star, A, y, norm_M``; ``A`` is ``(0, n1, n2)`` under full observation."""
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         f"build one with {_MAKERS}")
    U, s, M_star = _checks.data(instance, ("U", "singular_values", "M_star"), method, _MAKERS)
    if symmetric and "V" in instance.data:
        raise ValueError(f"{method} needs a symmetric ground truth, got instance "
                         f"{instance.name!r}; build it with symmetric_low_rank")
    V = _checks.data(instance, ("V",), method, _MAKERS)[0] if "V" in instance.data else U
    if "A" in instance.data:
        A, y = _checks.data(instance, ("A", "y"), method, _MAKERS)
    else:
        A, y = np.zeros((0,) + M_star.shape), np.zeros(0)
    return U, s, V, M_star, A, y, float(instance.constants["norm_M"])


def _common(instance, rng, width, max_width, init_scale, step_size, n_iter, replicas, metric,
            n_checkpoints, backend):
    """The arguments every method validates, in signature order, plus the back end's
    namespace (``None`` for Numba)."""
    r = int(instance.constants["rank"])
    k = _checks.integer("width", width, low=r, high=max_width,
                        fix=f"pass rank={r} <= width <= {max_width}")
    alpha = _checks.positive("init_scale", init_scale, fix="pass the scale alpha of X_0")
    eta = _checks.positive("step_size", step_size, fix="try 0.2 / sigma_1")
    t = _checks.record_points(n_iter, n_checkpoints)
    R = _checks.integer("replicas", replicas, low=1)
    code = _checks.choice("metric", metric, METRICS)
    return k, alpha, eta, R, code, t, _namespace(backend), _checks.generator(rng)
