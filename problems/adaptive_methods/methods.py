r"""The Adam family on Reddi's sequences (``sequences``): Adam, AMSGrad, diffGrad and
AdaBelief, projected onto the interval, with the regret recorded at log-spaced horizons in
one pass.

Update (``_kernels._adaptive_chunk``, the papers' convex-analysis form): step
:math:`\alpha_t = \alpha/\sqrt t` (``step_size`` :math:`\alpha`), first-moment weight
:math:`\beta_{1,t} = \beta_1\lambda^{t-1}` (``beta1``, ``beta1_decay`` :math:`\lambda \in (0, 1]`;
1 keeps it constant), second-moment weight :math:`\beta_2`,

.. math::

    m_t = \beta_{1,t} m_{t-1} + (1-\beta_{1,t})g_t, \qquad
    x_{t+1} = \Pi_{\mathcal F}\Big(x_t - \alpha_t\,\xi_t\,\frac{m_t}{\sqrt{\hat v_t} + \epsilon}\Big),

* **Adam** (Kingma & Ba 2015): :math:`\hat v_t = v_t = \beta_2 v_{t-1} + (1-\beta_2)g_t^2`, :math:`\xi_t = 1`;
* **AMSGrad** (Reddi et al. 2018, Algorithm 2): :math:`\hat v_t = \max(\hat v_{t-1}, v_t)`;
* **diffGrad** (Dubey et al. 2020): Adam with the friction
  :math:`\xi_t = \operatorname{sigmoid}(|g_{t-1} - g_t|) \in [\tfrac12, 1)`, :math:`g_0 = 0`
  (the authors' ``diffGrad_v2.py``, which keeps the previous gradient; their first
  release overwrote it, so that :math:`\xi_t \equiv \tfrac12` [code, as retrieved]);
* **AdaBelief** (Zhuang et al. 2020): :math:`\hat v_t = s_t = \beta_2 s_{t-1} +
  (1-\beta_2)(g_t - m_t)^2 + \epsilon`; ``max_belief=True`` takes
  :math:`\hat s_t = \max(\hat s_{t-1}, s_t)` (the official code's ``amsgrad`` option), which
  makes the convex theorem's hypothesis :math:`s_t \le s_{t+1}` hold by construction.

``bias_correction=True`` multiplies :math:`\alpha_t` by
:math:`\sqrt{1-\beta_2^t}/(1-\beta_1^t)` (nominal :math:`\beta_1`); the papers' regret
analyses and Reddi's examples omit it (default), and it tends to 1 geometrically.
In one dimension the projection in the :math:`\sqrt{\hat v_t}`-weighted norm of the analyses
is clipping to :math:`[-1, 1]`.

Regret at a checkpoint :math:`T` (prefix of the run, realised losses):
:math:`\mathrm{Reg}_T = \sum_{t\le T} g_t x_t - \min_{x\in[-1,1]} x\sum_{t\le T} g_t`, exact
(the comparator is :math:`-|\sum_t g_t|`). Metrics (``metric``): ``"regret"``,
``"average_regret"`` :math:`\mathrm{Reg}_T/T` (0 at :math:`T = 0`), ``"iterate"`` the point
:math:`x_{T+1}` to be played next, ``"distance"`` :math:`|x_{T+1} - x_\star|`.

Stochastic sequences: ``rng.spawn(replicas)`` gives one stream per replica; replica ``r``
draws, chunk after chunk, ``stream.random(m) < p`` (a large gradient where true), so its
gradients depend neither on the number of replicas nor on the chunking nor on the back end.
Periodic sequences draw nothing (their replicas are identical). Randomness never enters a
kernel.

Back ends (``backend``, :mod:`problems.backend`): ``"numba"`` runs the jitted kernel;
``"numpy"``, ``"cupy"`` and ``"array_api_strict"`` run its array-API twin
(``_reference._adaptive_chunk``) on that namespace, the state (one entry per replica) and
each chunk of gradients moved to the device, the checkpoints brought home.

``info``: ``regret``, ``comparator``, ``iterate`` (replicas, K); ``x_final`` (replicas,);
``denominator_decreases`` (replicas,): rounds :math:`t \ge 2` with
:math:`\hat v_t < \hat v_{t-1}` (0 for AMSGrad and ``max_belief``);
``denominator_min`` (replicas,): :math:`\min_t \hat v_t` (the :math:`c` of AdaBelief's
hypothesis :math:`s_t \ge c > 0`); ``gamma_kingma_ba`` :math:`\beta_1^2/\sqrt{\beta_2}` (Adam
and diffGrad theorems need it :math:`< 1`); ``gamma_amsgrad`` :math:`\beta_1/\sqrt{\beta_2}`
(AMSGrad's Theorem 4 needs it :math:`< 1`); the settings (``optimizer``, ``step_size``,
``beta1``, ``beta1_decay``, ``beta2``, ``eps``, ``bias_correction``, ``max_belief``),
``backend``, ``replicas``, ``first_nonfinite``.
"""
from __future__ import annotations

import math

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _kernels, _reference
from .sequences import periodic_gradients

METRICS = ("regret", "average_regret", "iterate", "distance")
BACKENDS = problems.backend.BACKENDS
_MAKERS = "reddi_periodic or reddi_stochastic"


def adam(instance, rng, *, step_size=0.5, beta1=0.0, beta1_decay=1.0, beta2=0.999, eps=1e-8,
         bias_correction=False, replicas=1, metric="regret", n_checkpoints=60,
         backend="numba") -> Trace:
    r"""Adam (:math:`\hat v_t = v_t`, no friction); parameters in the module docstring."""
    return _run(_kernels.ADAM, "adam", instance, rng, step_size, beta1, beta1_decay, beta2, eps,
                bias_correction, replicas, metric, n_checkpoints, backend)


def amsgrad(instance, rng, *, step_size=0.5, beta1=0.0, beta1_decay=1.0, beta2=0.999,
            eps=1e-8, bias_correction=False, replicas=1, metric="regret", n_checkpoints=60,
            backend="numba") -> Trace:
    r"""AMSGrad (:math:`\hat v_t = \max(\hat v_{t-1}, v_t)`). Reddi et al.'s Theorem 4 [as
    recalled]: with :math:`\beta_{1,t} \le \beta_1`, :math:`\gamma = \beta_1/\sqrt{\beta_2} < 1`,
    :math:`\alpha_t = \alpha/\sqrt t`, bounded gradients and domain,
    :math:`\mathrm{Reg}_T = O(\sqrt{T\log T})` (the :math:`\sqrt{1 + \log T}` term)."""
    return _run(_kernels.AMSGRAD, "amsgrad", instance, rng, step_size, beta1, beta1_decay, beta2,
                eps, bias_correction, replicas, metric, n_checkpoints, backend)


def diffgrad(instance, rng, *, step_size=0.5, beta1=0.0, beta1_decay=1.0, beta2=0.999,
             eps=1e-8, bias_correction=False, replicas=1, metric="regret", n_checkpoints=60,
             backend="numba") -> Trace:
    r"""diffGrad: Adam with the friction :math:`\xi_t = \operatorname{sigmoid}(|g_{t-1} - g_t|)`."""
    return _run(_kernels.DIFFGRAD, "diffgrad", instance, rng, step_size, beta1, beta1_decay,
                beta2, eps, bias_correction, replicas, metric, n_checkpoints, backend)


def adabelief(instance, rng, *, step_size=0.5, beta1=0.0, beta1_decay=1.0, beta2=0.999,
              eps=1e-8, bias_correction=False, max_belief=False, replicas=1, metric="regret",
              n_checkpoints=60, backend="numba") -> Trace:
    r"""AdaBelief (:math:`s_t`, the EMA of :math:`(g_t - m_t)^2`, plus :math:`\epsilon`);
    ``max_belief=True`` uses :math:`\max(\hat s_{t-1}, s_t)`. With :math:`\beta_1 = 0`,
    :math:`m_t = g_t` and :math:`s_t` is :math:`\epsilon`-sized: the method is then projected
    gradient descent with a step of order :math:`\alpha_t/\sqrt\epsilon`."""
    if not isinstance(max_belief, bool):
        raise ValueError(f"max_belief must be True or False, got {max_belief!r}")
    code = _kernels.ADABELIEF_MAX if max_belief else _kernels.ADABELIEF
    return _run(code, "adabelief", instance, rng, step_size, beta1, beta1_decay, beta2, eps,
                bias_correction, replicas, metric, n_checkpoints, backend,
                max_belief=max_belief)


def _run(code, name, instance, rng, step_size, beta1, beta1_decay, beta2, eps, bias_correction,
         replicas, metric, n_checkpoints, backend, **extra) -> Trace:
    c = _unpack(instance, name)
    rng = _checks.generator(rng)
    alpha, b1, lam, b2, eps, R, (impl, move) = _settings(step_size, beta1, beta1_decay, beta2,
                                                         eps, bias_correction, replicas, backend)
    metric = _checks.one_of("metric", metric, METRICS)
    T = int(c["horizon"])
    t = checkpoints(T, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    state = [np.full(R, c["x0"])] + [np.zeros(R) for _ in range(6)]
    state += [np.zeros(R, dtype=np.int64), np.full(R, np.inf)]
    # x, m, v, den, g_prev, cum_loss, grad_sum, decreases, den_min: updated in place chunk after chunk
    x, m, v, den, g_prev, cum_loss, grad_sum, decreases, den_min = (move(a) for a in state)
    out_loss, out_gsum, out_x = (np.zeros((R, t.size)) for _ in range(3))
    streams = rng.spawn(R) if instance.data["kind"] == "stochastic" else None
    k = 0
    with np.errstate(all="ignore"):  # divergence and NaN are evidence, not warnings
        for t0, t1 in chunks(T, R):
            grads = _gradients(instance.data["kind"], c, streams, R, t0, t1 - t0)
            k = impl._adaptive_chunk(code, alpha, b1, lam, b2, eps, bias_correction, c["lower"],
                                     c["upper"], move(grads), t0, t, k, x, m, v, den, g_prev,
                                     cum_loss, grad_sum, decreases, den_min, out_loss, out_gsum,
                                     out_x)
    x, decreases, den_min = (np.array(problems.backend.to_numpy(a)) for a in (x, decreases, den_min))
    comparator = np.minimum(c["lower"] * out_gsum, c["upper"] * out_gsum)
    regret = out_loss - comparator
    values = {"regret": regret, "average_regret": regret / np.maximum(t, 1), "iterate": out_x,
              "distance": np.abs(out_x - c["x_star"])}[metric]
    info = {"optimizer": name, "backend": backend, "replicas": R, "step_size": alpha,
            "beta1": b1, "beta1_decay": lam, "beta2": b2, "eps": eps,
            "bias_correction": bias_correction, "regret": regret, "comparator": comparator,
            "iterate": out_x, "x_final": x, "denominator_decreases": decreases,
            "denominator_min": den_min,
            "gamma_kingma_ba": b1 * b1 / math.sqrt(b2) if b2 > 0 else math.inf,
            "gamma_amsgrad": b1 / math.sqrt(b2) if b2 > 0 else math.inf,
            "first_nonfinite": first_nonfinite(t, values), **extra}
    return Trace(metric, t, values, info)


def _settings(step_size, beta1, beta1_decay, beta2, eps, bias_correction, replicas, backend):
    alpha = _checks.positive("step_size", step_size, fix="pass alpha of alpha_t = alpha/sqrt(t)")
    b1 = _checks.real("beta1", beta1, low=0.0, high=1.0, high_open=True,
                      fix="pass a first-moment weight in [0, 1)")
    lam = _checks.real("beta1_decay", beta1_decay, low=0.0, high=1.0, low_open=True,
                       fix="pass lambda in (0, 1] of beta1_t = beta1 lambda^(t-1)")
    b2 = _checks.real("beta2", beta2, low=0.0, high=1.0, high_open=True,
                      fix="pass a second-moment weight in [0, 1)")
    eps = _checks.nonnegative("eps", eps, fix="pass the denominator offset epsilon >= 0")
    if not isinstance(bias_correction, bool):
        raise ValueError(f"bias_correction must be True or False, got {bias_correction!r}")
    R = _checks.integer("replicas", replicas, low=1)
    return alpha, b1, lam, b2, eps, R, _backend(backend)


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the
    move of a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _gradients(kind, c, streams, R, t0, m) -> np.ndarray:
    """The (R, m) gradients of rounds t0 + 1 .. t0 + m."""
    if kind == "periodic":
        return np.tile(periodic_gradients(c["big_gradient"], int(c["period"]), t0, m), (R, 1))
    grads = np.empty((R, m))
    for r in range(R):
        grads[r] = np.where(streams[r].random(m) < c["probability"], c["big_gradient"], -1.0)
    return grads


def _unpack(instance, method) -> dict:
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         f"build one with {_MAKERS}")
    needed = ("big_gradient", "period", "probability", "lower", "upper", "x0", "x_star",
              "horizon")
    missing = [key for key in needed if key not in instance.constants]
    if missing or instance.data.get("kind") not in ("periodic", "stochastic"):
        raise ValueError(f"instance {instance.name!r} lacks {missing or ['kind']} that {method} "
                         f"needs; build it with {_MAKERS}")
    return dict(instance.constants)
