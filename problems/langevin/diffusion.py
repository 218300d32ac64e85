r"""State-dependent diffusion: the drift correction that makes :math:`e^{-U}` stationary in
each stochastic-calculus convention (Lau & Lubensky [1]).

For :math:`\alpha \in [0, 1]` (0 Itô, 1/2 Stratonovich, 1 anti-Itô / Hänggi-Klimontovich)
and :math:`kT = 1`,

.. math:: dx = \big[-D(x)U'(x) + c\,(1-\alpha)D'(x)\big]dt + \sqrt{2D(x)}\circ_\alpha dW,

with :math:`c = 1` (``corrected=True``, [1]'s drift) or :math:`c = 0`. Stationary density
[derived here]: the :math:`\alpha`-integral equals the Itô integral plus the drift
:math:`\alpha\,b\,b'` with :math:`b = \sqrt{2D}`, :math:`bb' = D'`, so the Itô drift is
:math:`A = -DU' + (c(1-\alpha) + \alpha)D'` and the Fokker-Planck flux
:math:`J = A\rho - (D\rho)'` vanishes when

.. math:: \frac{\rho'}{\rho} = -U' - (1-c)(1-\alpha)\frac{D'}{D}
          \quad\Longrightarrow\quad \rho \propto D^{-(1-c)(1-\alpha)}e^{-U}:

:math:`e^{-U}` with the correction, :math:`D^{-(1-\alpha)}e^{-U}` without it (Itô:
:math:`e^{-U}/D`; Stratonovich: :math:`e^{-U}/\sqrt D`; anti-Itô needs no correction). On
:math:`\mathbb R` with :math:`D` bounded below and :math:`e^{-U}` integrable, zero flux is the
stationary solution (a constant nonzero flux would not be integrable).

**Discretisation** (``alpha_sde``): the :math:`\alpha`-point predictor-corrector

.. math:: \hat x = x + a(x)h + \sqrt{2D(x)}\,\Delta W, \qquad
          x' = x + a(x)h + \sqrt{2D\big(x + \alpha(\hat x - x)\big)}\,\Delta W,

with the same :math:`\Delta W \sim N(0, h)` in both. Expanding,
:math:`\sqrt{2D(x + \alpha\sqrt{2D}\Delta W + O(h))}\,\Delta W = b\,\Delta W + \alpha b b'
\Delta W^2 + O(h^{3/2})`, whose mean adds :math:`\alpha bb' h = \alpha D' h`: the increment
has the Itô drift of the :math:`\alpha`-convention to first order, so the scheme converges
weakly (order 1) to the :math:`\alpha`-SDE [derived here]. :math:`\alpha = 0` is
Euler-Maruyama; at :math:`\alpha = 1/2` it differs from Heun's average of the two
amplitudes only at :math:`O(h^{3/2})` per step.

Potentials: ``"harmonic"`` :math:`U = x^2/2`; ``"double_well"`` :math:`U = x^4/4 - x^2/2`.
Diffusions: ``"rational"`` :math:`D = f + x^2/(1+x^2)` with :math:`f` = ``floor`` (the
research notes' choice), ``"sine"`` :math:`D = 1 + \tfrac12\sin x` (``floor`` unused).

[1] A. W. C. Lau, T. C. Lubensky (2007). State-dependent diffusion: Thermodynamic
    consistency and its path integral formulation. Phys. Rev. E 76, 011123.
"""
from __future__ import annotations

import numpy as np
import scipy.integrate

from problems import _validate as _checks
from problems import backend as _backend
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _sde_kernels, _sde_reference
from ._sde_kernels import DOUBLE_WELL, FIRST_MOMENT, HARMONIC, RATIONAL, SECOND_MOMENT, SINE

POTENTIALS = ("harmonic", "double_well")
DIFFUSIONS = ("rational", "sine")
METRICS = ("variance_ratio", "mean")
BACKENDS = _backend.BACKENDS


def state_dependent_diffusion(rng, *, potential="harmonic", diffusion="rational",
                              floor=0.3) -> Instance:
    r"""A potential and a diffusion coefficient, with the moments of the stationary laws.

    ``rng`` is validated, not used (the instance is deterministic). ``constants`` (all by
    adaptive quadrature on :math:`\mathbb R`, relative error below 1e-10):
    ``target_variance`` :math:`E_\pi x^2` for :math:`\pi \propto e^{-U}` (mean 0: both
    potentials are even; 1 exactly for the harmonic one); ``uncorrected_variance_ito`` and
    ``uncorrected_variance_stratonovich``: :math:`E_\rho x^2` for
    :math:`\rho \propto D^{-(1-\alpha)}e^{-U}`, :math:`\alpha = 0, \tfrac12` (what runs without
    the correction converge to; a second moment about 0, the variance when :math:`D` is even),
    with their means ``uncorrected_mean_ito``, ``uncorrected_mean_stratonovich`` (0 for an even
    :math:`D`); ``floor`` (the value used; 0 for ``"sine"``, which has none).
    ``data``: ``potential``, ``diffusion`` (the names).
    """
    _checks.generator(rng)
    pot = _checks.one_of("potential", potential, POTENTIALS)
    dif = _checks.one_of("diffusion", diffusion, DIFFUSIONS)
    f = _checks.positive("floor", floor, fix="pass the lower bound of D(x) > 0") \
        if dif == "rational" else 0.0
    data = {"potential": pot, "diffusion": dif}
    # the harmonic target is N(0, 1): its variance is 1 exactly, not to quadrature accuracy
    constants = {"target_variance": 1.0 if pot == "harmonic" else _moment(data, f, 0.0, 2),
                 "floor": f}
    for name, alpha in (("ito", 0.0), ("stratonovich", 0.5)):
        constants[f"uncorrected_variance_{name}"] = _moment(data, f, 1.0 - alpha, 2)
        constants[f"uncorrected_mean_{name}"] = _moment(data, f, 1.0 - alpha, 1)
    return Instance(data=data, constants=constants,
                    name=f"state_dependent_diffusion({pot}, {dif}, floor={f:g})")


def stationary_density(instance, x, *, alpha, corrected=True):
    r"""The normalised stationary density :math:`\rho \propto D^{-(1-c)(1-\alpha)}e^{-U}` of the
    :math:`\alpha`-SDE (module docstring) at the points ``x``."""
    _check_instance(instance, "stationary_density")
    a = _checks.real("alpha", alpha, low=0.0, high=1.0, fix="0 Ito, 0.5 Stratonovich, 1 anti-Ito")
    exponent = 0.0 if _flag("corrected", corrected) else 1.0 - a
    f = float(instance.constants["floor"])
    Z = _moment(instance.data, f, exponent, 0)
    return _weight(np.asarray(x, dtype=np.float64), instance.data, f, exponent) / Z


def alpha_sde(instance, rng, *, alpha, corrected=True, step_size=2e-3, n_iter, chains=2000,
              burn_in=0, metric="variance_ratio", n_checkpoints=60, backend="numba") -> Trace:
    r"""Chains of the :math:`\alpha`-point scheme (module docstring), vectorised over ``chains``.

    Metric per chain (one row each) at the checkpoints ``t`` (steps after ``burn_in``): the
    running time average over the states :math:`k = \text{burn\_in}, \dots, \text{burn\_in} + t`
    of :math:`x^2/` ``target_variance`` (``"variance_ratio"``; 1 at stationarity of
    :math:`e^{-U}`) or of :math:`x` (``"mean"``). Time after burn-in is ``t * step_size``.

    Randomness, in order: :math:`x_0 \sim N(0,` ``target_variance`` :math:`)` per chain, then per
    chunk of ``m`` steps ``rng.standard_normal((m, chains))`` (the :math:`\Delta W/\sqrt h`),
    all drawn on the host. ``backend``: ``"numba"`` (the jitted kernel, the default) or an array
    back end of ``problems.backend`` (``"numpy"``, ``"cupy"``, ``"array_api_strict"``), which
    runs the array-API twin in ``_sde_reference`` on the same numbers, each chunk moved to the
    device once; the result does not depend on the back end (beyond rounding).

    ``info``: ``alpha``, ``corrected``, ``step_size``, ``predicted_ratio`` /
    ``predicted_mean`` (the metric's stationary value under the law the SDE has, by
    quadrature: 1 when corrected), ``chains``, ``burn_in``, ``backend``, ``first_nonfinite``.
    """
    rng = _checks.generator(rng)
    _check_instance(instance, "alpha_sde")
    a = _checks.real("alpha", alpha, low=0.0, high=1.0, fix="0 Ito, 0.5 Stratonovich, 1 anti-Ito")
    corr = _flag("corrected", corrected)
    h = _checks.positive("step_size", step_size, fix="try 2e-3")
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    R = _checks.integer("chains", chains, low=1)
    burn_in = _checks.integer("burn_in", burn_in, low=0)
    code = _checks.choice("metric", metric, METRICS)
    _checks.choice("backend", backend, BACKENDS)
    xp = None if backend == "numba" else _backend.namespace(backend)  # BackendUnavailable here
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    c, f = instance.constants, float(instance.constants["floor"])
    pot = (HARMONIC, DOUBLE_WELL)[POTENTIALS.index(instance.data["potential"])]
    dif = (RATIONAL, SINE)[DIFFUSIONS.index(instance.data["diffusion"])]
    statistic, scale = ((SECOND_MOMENT, 1.0 / c["target_variance"]) if code == 0 else
                        (FIRST_MOMENT, 1.0))
    x = rng.standard_normal(R) * np.sqrt(c["target_variance"])
    out, acc, cursor = np.full((R, t.size), np.nan), np.zeros(R), np.zeros(1, dtype=np.int64)
    settings = (h, a, 1.0 if corr else 0.0, pot, dif, f, statistic, float(scale))
    if xp is not None:  # the chains and their sums stay on the device; the cursor is an int
        x, acc, cursor = _backend.to_device(xp, x), _backend.to_device(xp, acc), 0
    for t0, t1 in chunks(burn_in + int(t[-1]), R):
        normals = rng.standard_normal((t1 - t0, R))
        if xp is None:
            _sde_kernels._alpha_segment(x, normals, t1 - t0, t0 + 1, burn_in, t, *settings,
                                        cursor, acc, out)
        else:
            with np.errstate(all="ignore"):  # divergence is evidence (inf in out), not a warning
                x, acc, cursor = _sde_reference._alpha_segment(
                    xp, x, _backend.to_device(xp, normals), t1 - t0, t0 + 1, burn_in, t,
                    *settings, cursor, acc, out)
    exponent = 0.0 if corr else 1.0 - a
    info = {"alpha": a, "corrected": corr, "step_size": h,
            "predicted_ratio": _moment(instance.data, f, exponent, 2) / c["target_variance"],
            "predicted_mean": _moment(instance.data, f, exponent, 1), "chains": R,
            "burn_in": burn_in, "backend": backend, "first_nonfinite": first_nonfinite(t, out)}
    return Trace(metric, t, out, info)


def _weight(x, data, floor, exponent):
    r""":math:`D(x)^{-\text{exponent}}e^{-U(x)}` (unnormalised)."""
    U = x * x / 2.0 if data["potential"] == "harmonic" else x**4 / 4.0 - x * x / 2.0
    D = floor + x * x / (1.0 + x * x) if data["diffusion"] == "rational" else 1.0 + 0.5 * np.sin(x)
    return D ** (-exponent) * np.exp(-U)


def _moment(data, floor, exponent, power):
    r""":math:`E x^{\text{power}}` under :math:`\rho \propto D^{-\text{exponent}}e^{-U}`
    (``power = 0``: the normaliser), by ``scipy.integrate.quad`` on :math:`[-12, 12]` split at 0
    (the integrands are below :math:`e^{-30}` beyond, relative to their mass)."""
    def integral(k):
        parts = [scipy.integrate.quad(lambda x: x**k * _weight(x, data, floor, exponent), lo, hi,
                                      epsabs=0.0, epsrel=1e-12, limit=200)[0]
                 for lo, hi in ((-12.0, 0.0), (0.0, 12.0))]
        return parts[0] + parts[1]
    Z = integral(0)
    return Z if power == 0 else integral(power) / Z


def _flag(name, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_instance(instance, method):
    if not isinstance(instance, Instance) or "diffusion" not in instance.data \
            or "target_variance" not in instance.constants:
        raise ValueError(f"instance must be an Instance from state_dependent_diffusion, got "
                         f"{getattr(instance, 'name', type(instance).__name__)!r} in {method}")
