r"""Lion with decoupled weight decay on the problems of ``boxes``, recorded at checkpoints in
one pass (``_kernels._lion``; its array-API twin ``_reference._lion`` runs on the back ends
``"numpy"``, ``"cupy"`` and ``"array_api_strict"``, :mod:`problems.backend`).

Chen, Liu, Liang & Liu [1] (abstract, as retrieved in the research notes): Lion with weight
decay :math:`\lambda` solves :math:`\min f(x)` subject to :math:`\|x\|_\infty \le 1/\lambda`.
Two consequences are measured here.

**Box invariance** [derived here]. With :math:`s \in \{-1, 0, 1\}` and :math:`|x_i| \le R = 1/\lambda`,
:math:`|x_i - \epsilon(s + \lambda x_i)| \le (1 - \epsilon\lambda)|x_i| + \epsilon \le R` when
:math:`\epsilon\lambda \le 1`; outside the box the excess :math:`(|x_i| - R)_+` contracts by
:math:`1 - \epsilon\lambda` per step. In floating point (unit round-off :math:`u = 2^{-53}`),
evaluating ``x - eps * (s + lam * x)`` with :math:`\tilde R = \mathrm{fl}(1/\lambda)`: the
product and sum err by at most :math:`\epsilon(u\lambda|x| + 2u|s + \lambda x|) \le 5\epsilon u
(1 + O(u))` (as :math:`\lambda|x| \le 1 + u`), the exact update is at most :math:`\tilde R + \epsilon u`
(the :math:`u` of :math:`\tilde R`), and the last subtraction adds :math:`u\tilde R`; so one
step from inside leaves an excess of at most :math:`\tilde R(u + 6\epsilon\lambda u)`, and an
excess :math:`e` present before contracts to :math:`(1 - \epsilon\lambda)e`. Summing the
geometric series, the relative excess :math:`(\|x_t\|_\infty - \tilde R)_+/\tilde R` after
entering stays below

.. math:: u\,\big(6 + 1/(\epsilon\lambda)\big)\,(1 + O(u))

(``info["invariance_roundoff_bound"]``), e.g. :math:`1.2\cdot 10^{-14}` at
:math:`\epsilon\lambda = 0.01`. Nothing of the kind holds for the :math:`\ell_2` ball of
radius :math:`R` (``norm="2"``): the box's corners are outside it.

**The limit** [derived here]. Near :math:`x_{\mathrm{box}}` with strict complementarity,
active coordinates see a gradient of fixed sign, so :math:`x_i \to \pm R` geometrically (the
fixed point of :math:`x \mapsto (1 - \epsilon\lambda)x \mp \epsilon`). On the free ones write
:math:`x = x_{\mathrm{box}} + \epsilon z`: for a quadratic :math:`g_t = \epsilon Hz_t` on them
and the momentum is :math:`\epsilon` times an :math:`\epsilon`-free sequence, so
:math:`\operatorname{sign}(c_t)` does not depend on :math:`\epsilon` and
:math:`z_{t+1} = z_t - (\operatorname{sign}(c_t) + \lambda x_{\mathrm{box}}) - \epsilon\lambda z_t`:
up to the :math:`O(\epsilon\lambda)` term the oscillation of :math:`z` is the same for every
step size, so :math:`\|x_t - x_{\mathrm{box}}\|_\infty = \Theta(\epsilon)` once the transient
(:math:`\gg 1/(\epsilon\lambda)` steps) is over; for the logistic loss, locally quadratic, to
first order in :math:`\epsilon`. The :math:`\ell_2`-regularised minimiser :math:`x_{\ell_2}`
is a different point (``box_l2_gap``), at distance :math:`O(1)` for every :math:`\epsilon`.

Metrics (``metric``): ``"box_excess"`` the running maximum since entry of
:math:`(\|x_s\|_p - R)_+/R` (:math:`p` = ``norm``; 0 before the first :math:`s` with
:math:`\|x_s\|_\infty \le R`); ``"distance"`` :math:`\|x_t - x_{\mathrm{ref}}\|_\infty`;
``"distance_max"`` the largest :math:`\|x_s - x_{\mathrm{ref}}\|_\infty` over the steps since
the previous checkpoint (the amplitude of the oscillation, whatever its phase at the
checkpoint); ``"objective"`` :math:`f(x_t)`. ``reference``: ``"box"``
(:math:`x_{\mathrm{box}}`) or ``"l2_regularised"`` (:math:`x_{\ell_2}`).

[1] L. Chen, B. Liu, K. Liang, Q. Liu (2023/24). Lion Secretly Solves Constrained
    Optimization: As Lyapunov Predicts. arXiv:2310.05898 (ICLR 2024).
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels
from .methods import _backend

METRICS = ("box_excess", "distance", "distance_max", "objective")
REFERENCES = ("box", "l2_regularised")
NORMS = ("inf", "2")
BACKENDS = problems.backend.BACKENDS
UNIT_ROUNDOFF = 2.0**-53
_CODES = {"box_excess": _kernels.METRIC_BOX_EXCESS, "distance": _kernels.METRIC_DISTANCE,
          "distance_max": _kernels.METRIC_DISTANCE_MAX, "objective": _kernels.METRIC_OBJECTIVE}


def lion(instance, rng, *, step_size=0.01, beta1=0.9, beta2=0.99, n_iter=20_000, replicas=1,
         start_scale=1.0, metric="distance", reference="box", norm="inf", n_checkpoints=60,
         backend="numba") -> Trace:
    r"""Lion with decoupled weight decay :math:`\lambda` = ``instance.constants["weight_decay"]``
    (the box of the instance), step :math:`\epsilon` = ``step_size``, :math:`\beta_1, \beta_2`
    the paper's defaults 0.9, 0.99.

    Starting points (one per replica, the only draw): :math:`x_0 \sim
    U[-sR, sR]^d` with :math:`s` = ``start_scale`` (1: inside the box). Requires
    :math:`\epsilon\lambda < 2` (beyond, the weight decay alone diverges); the invariance
    needs :math:`\epsilon\lambda \le 1`.

    ``info``: ``solver``, ``solver_status`` (the box solve's, from the instance),
    ``entry_step`` (replicas,), the first step inside the box (-1 if never), ``x_final``
    (replicas, d), ``x0``, ``step_size``, ``weight_decay``, ``step_times_weight_decay``,
    ``beta1``, ``beta2``, ``reference``, ``norm``, ``invariance_roundoff_bound`` (module
    docstring), ``backend``, ``replicas``, ``first_nonfinite``.
    """
    c, data = _unpack(instance)
    rng = _checks.generator(rng)
    lam = c["weight_decay"]
    eps = _checks.positive("step_size", step_size, fix="pass Lion's step epsilon > 0")
    if eps * lam >= 2.0:
        raise ValueError(f"step_size * weight_decay must be below 2 (Lion's weight decay "
                         f"diverges beyond), got {eps * lam!r}; pass step_size < {2.0 / lam:g}")
    b1 = _checks.real("beta1", beta1, low=0.0, high=1.0, fix="pass beta1 in [0, 1]")
    b2 = _checks.real("beta2", beta2, low=0.0, high=1.0, fix="pass beta2 in [0, 1]")
    T = _checks.integer("n_iter", n_iter, low=1)
    R_count = _checks.integer("replicas", replicas, low=1)
    scale = _checks.positive("start_scale", start_scale,
                             fix="pass the half-width of the start cube relative to 1/lambda")
    code = _CODES[_checks.one_of("metric", metric, METRICS)]
    ref = data["x_box"] if _checks.one_of("reference", reference, REFERENCES) == "box" \
        else data["x_l2"]
    norm_code = (_kernels.NORM_INF, _kernels.NORM_2)[_checks.choice("norm", norm, NORMS)]
    impl, move = _backend(backend)
    t = checkpoints(T, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    d = data["x_box"].size
    x0 = rng.uniform(-1.0, 1.0, (R_count, d)) * (scale * c["radius"])
    out = np.zeros((R_count, t.size))
    entry, x_final = np.zeros(R_count, dtype=np.int64), np.zeros((R_count, d))
    loss = (_kernels.LOSS_QUADRATIC, _kernels.LOSS_LOGISTIC)[data["loss"] == "logistic"]
    # the instance and the starting points go to the device once; out, entry and x_final stay
    # host arrays that the twin fills at the checkpoints and at the end
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is evidence, not a warning
        impl._lion(loss, move(data["H"]), move(data["center"]), move(data["features"]),
                   move(data["labels"]), lam, eps, b1, b2, move(x0),
                   move(np.ascontiguousarray(ref, dtype=np.float64)), norm_code, code, t, out,
                   entry, x_final)
    info = {"solver": data["solver"], "solver_status": list(data["solver_status"]),
            "solver_attempts": list(instance.data.get("solver_attempts", [])),
            "entry_step": entry, "x_final": x_final, "x0": x0, "step_size": eps,
            "weight_decay": lam, "step_times_weight_decay": eps * lam, "beta1": b1,
            "beta2": b2, "reference": reference, "norm": norm,
            "invariance_roundoff_bound": UNIT_ROUNDOFF * (6.0 + 1.0 / (eps * lam)),
            "backend": backend, "replicas": R_count, "first_nonfinite": first_nonfinite(t, out)}
    return Trace(metric, t, out, info)


def _unpack(instance):
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         "build one with box_constrained")
    keys = ("loss", "H", "center", "features", "labels", "x_box", "x_l2", "solver",
            "solver_status")
    missing = [k for k in keys if k not in instance.data]
    missing += [k for k in ("weight_decay", "radius") if k not in instance.constants]
    if missing:
        raise ValueError(f"instance {instance.name!r} lacks {missing} that lion needs; build "
                         "it with box_constrained")
    data = {k: instance.data[k] for k in keys}
    for key in ("H", "center", "features", "labels", "x_box", "x_l2"):
        data[key] = np.ascontiguousarray(data[key], dtype=np.float64)
    return dict(instance.constants), data
