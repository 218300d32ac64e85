r"""Block coordinate descent with random, cyclic and greedy (Gauss-Southwell) block selection,
recorded at checkpoints in one pass.

On :math:`f(x) = \frac12\|Ax - b\|^2` (``generators.least_squares``), with contiguous blocks
:math:`b` of ``block_size`` coordinates and block Lipschitz constants
:math:`L_b = \lambda_{\max}(H_{bb})`, one iteration picks a block :math:`b_t` and sets

.. math:: x_{t+1} = x_t - \eta_{b_t}\, U_{b_t}\nabla_{b_t} f(x_t),
          \qquad \eta_b = 1/L_b \ (\text{step} = \text{"block"}) \ \text{or}\ 1/L
          \ (\text{"max"},\ L = \max_b L_b).

Selection rules (``rule``): ``"random"`` (uniform), ``"lipschitz"`` (probability
:math:`\propto L_b`), ``"cyclic"``, ``"gs"`` (Gauss-Southwell, :math:`\arg\max_b\|\nabla_b f\|`),
``"gsl"`` (Gauss-Southwell-Lipschitz, :math:`\arg\max_b\|\nabla_b f\|^2/L_b`).

Guarantees [1, 2] (as recalled; the constants are those of the generator's docstring). A
step with :math:`\eta_b = 1/L_b` makes progress at least :math:`\|\nabla_b f\|^2/(2L_b)`, so
GSL guarantees :math:`\max_b\|\nabla_b f\|^2/(2L_b) \ge \max_b\|\nabla_b f\|^2/(2L)`, the
progress GS guarantees with :math:`L` [2, Sec. 2, "more progress per iteration than the
Gauss-Southwell rule"]. With single coordinates, GS with step :math:`1/L` converges as
:math:`f(x_t) - f_\star \le (1 - \mu_1/L)^t(f(x_0) - f_\star)` and GSL with steps :math:`1/L_i`
as :math:`(1 - \mu_L)^t` [1, Sec. 4], against :math:`1 - \mu/(nL)` for uniform random
selection in expectation [1, Sec. 3; Nesterov 2012].

Metrics (``metric``): ``"suboptimality"`` :math:`f(x_t) - f_\star = \frac12 e_t^\top He_t`,
``"distance"`` :math:`\|x_t - x_\star\|`, ``"progress_ratio"`` the smallest, over the steps from
:math:`x_0, \dots, x_t`, of the step's exact progress divided by the GS guarantee
:math:`\max_b\|\nabla_b f(x_s)\|^2/(2L)` (at least 1 for GS with step :math:`1/L` and for GSL
with steps :math:`1/L_b`, by the inequality above).

[1] J. Nutini, M. Schmidt, I. Laradji, M. Friedlander, H. Koepke (2015). Coordinate descent
    converges faster with the Gauss-Southwell rule than random selection. ICML 2015.
[2] J. Nutini, I. Laradji, M. Schmidt (2022). Let's make block coordinate descent converge
    faster: faster greedy rules, message-passing, active-set complexity, and superlinear
    convergence. JMLR 23 (arXiv:1712.08859).
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _kernels, _reference

METRICS = ("suboptimality", "distance", "progress_ratio")
RULES = ("random", "lipschitz", "cyclic", "gs", "gsl")
STEPS = ("block", "max")
BACKENDS = problems.backend.BACKENDS


def coordinate_descent(instance, rng, *, n_iter, rule="gsl", step="block", block_size=1, replicas=1,
                       metric="suboptimality", n_checkpoints=60, backend="numba") -> Trace:
    r"""Block coordinate descent (see the module docstring) from the instance's :math:`x_0`.

    Parameters
    ----------
    instance : Instance
        From ``generators.least_squares`` (needs ``H``, ``x0``, ``x_star``).
    rng : numpy.random.Generator
        Draws the blocks of the random rules: per chunk of steps, ``rng.integers(0, B,
        (steps, replicas))`` (uniform) or ``rng.random((steps, replicas))`` mapped through the
        cumulative :math:`L_b/\sum L_b` (``"lipschitz"``); one block per iterate
        :math:`t = 0..n_{\mathrm{iter}}` (the last one only evaluated). Deterministic rules draw nothing.
    n_iter : int
    rule : {"random", "lipschitz", "cyclic", "gs", "gsl"}
    step : {"block", "max"}
        :math:`\eta_b = 1/L_b` or :math:`1/\max_b L_b`.
    block_size : int
        Contiguous blocks of this many coordinates (the last one shorter if it does not divide ``dim``).
    replicas : int
        Independent runs (rows of ``values``); identical for deterministic rules.
    metric : {"suboptimality", "distance", "progress_ratio"}
    n_checkpoints : int
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or its array-API twin on that namespace (:mod:`problems.backend`):
        ``H``, the block constants, the state and each chunk of choices are moved to the
        device, the metric comes home at the checkpoints.

    Returns
    -------
    Trace
        ``info``: ``first_nonfinite``, ``backend``, ``rule``, ``step``, ``block_size``,
        ``n_blocks``, ``L_blocks`` (the :math:`L_b`), ``step_sizes``, ``L`` (:math:`\max_b L_b`,
        the constant of the GS guarantee), ``selections`` (replicas x blocks: how often each
        block was updated), ``min_progress_ratio`` (per replica, over all steps).
    """
    H, e0 = _quadratic(instance)
    rng = _checks.generator(rng)
    n = e0.size
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    rule_code = _checks.choice("rule", rule, RULES)
    step_code = _checks.choice("step", step, STEPS)
    size = _checks.integer("block_size", block_size, low=1, high=n, fix=f"pass a block size in [1, dim = {n}]")
    R = _checks.integer("replicas", replicas, low=1)
    metric_code = _checks.choice("metric", metric, METRICS)
    impl, move = _backend(backend)
    block_start, block_len, L_block = _blocks(H, size)
    L = float(L_block.max())
    step_sizes = 1.0 / L_block if step_code == 0 else np.full(block_start.size, 1.0 / L)
    cdf = np.cumsum(L_block) / L_block.sum()
    # E, ratio, counts: the state, updated in place chunk after chunk
    E, ratio = move(np.tile(e0, (R, 1))), move(np.full(R, np.inf))
    counts = move(np.zeros((R, block_start.size), dtype=np.int64))
    out = np.full((R, t.size), np.nan)
    H_, L_, steps_ = move(H), move(L_block), move(step_sizes)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is evidence, not a warning
        for t0, t1 in chunks(n_iter + 1, R):
            if rule_code == _kernels.RANDOM:
                choices = rng.integers(0, block_start.size, size=(t1 - t0, R))
            elif rule_code == _kernels.LIPSCHITZ:
                choices = np.minimum(np.searchsorted(cdf, rng.random((t1 - t0, R)), side="right"),
                                     block_start.size - 1)
            else:
                choices = np.zeros((t1 - t0, R), dtype=np.int64)
            impl._cd_chunk(H_, block_start, block_len, L_, steps_, L, rule_code,
                           move(np.ascontiguousarray(choices, dtype=np.int64)), t0, n_iter, metric_code, t,
                           E, ratio, counts, out)
    counts, ratio = (np.array(problems.backend.to_numpy(a)) for a in (counts, ratio))
    info = {"first_nonfinite": first_nonfinite(t, out), "backend": backend, "rule": rule, "step": step,
            "block_size": size, "n_blocks": int(block_start.size), "L_blocks": L_block, "step_sizes": step_sizes,
            "L": L, "selections": counts, "min_progress_ratio": ratio, "replicas": R}
    return Trace(metric, t, out, info)


def _backend(backend):
    """``(impl, move)``: the Numba kernel and the identity, or the array-API twin and the move of
    a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _quadratic(instance):
    """``H`` and the starting error ``e0 = x0 - x_star`` of a ``least_squares`` instance."""
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; build one with least_squares")
    missing = [k for k in ("H", "x0", "x_star") if k not in instance.data]
    if missing:
        raise ValueError(f"instance {instance.name!r} lacks data {missing} that coordinate_descent needs; "
                         "build it with least_squares")
    H = np.ascontiguousarray(instance.data["H"], dtype=np.float64)
    e0 = np.asarray(instance.data["x0"], dtype=np.float64) - np.asarray(instance.data["x_star"], dtype=np.float64)
    return H, e0


def _blocks(H, size: int):
    r"""Contiguous blocks of ``size`` coordinates (the last one shorter): starts, lengths and
    :math:`L_b = \lambda_{\max}(H_{bb})`."""
    n = H.shape[0]
    start = np.arange(0, n, size, dtype=np.int64)
    length = np.minimum(size, n - start).astype(np.int64)
    L_block = np.array([np.linalg.eigvalsh(H[s:s + k, s:s + k])[-1] for s, k in zip(start, length)])
    return start, length, L_block
