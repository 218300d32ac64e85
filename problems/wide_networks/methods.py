r"""Random two-layer networks at initialisation, grown one hidden unit at a time: the empirical
NTK's distance to its limit, and the excess kurtosis of the output, at log-spaced widths in one pass.

The network is :math:`f(x) = m^{-1/2}\sum_{j\le m} a_j\phi(w_j^\top x)` with :math:`w_j \sim
\mathcal N(0, I_d)`, :math:`a_j \sim \mathcal N(0, 1)` (NTK parameterisation, no biases). The
network of width :math:`m' \le m` is the first :math:`m'` units of the width-:math:`m` one, so a
run records every width :math:`m' \in` ``checkpoints(width)`` :math:`\setminus\{0\}` at once;
values at different recorded widths of one run are therefore correlated, while separate runs
are independent. Weights are drawn on the host, network by network
(``rng.standard_normal((networks, width, d + 1))`` in chunks of whole networks: input weights,
then the readout weight, per unit), identically for every back end: ``backend="numba"`` runs the
jitted kernel, ``"numpy"``, ``"cupy"`` and ``"array_api_strict"`` its array-API twin on that
namespace (:mod:`problems.backend`; each chunk of weights is moved to the device, the recorded
values come home per checkpoint), and ``info["backend"]`` says which ran.

The closed forms these are compared with (the limit kernel, :math:`V`, :math:`c`) are in
:mod:`problems.wide_networks.limits`.
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _kernels, _reference

NTK_METRICS = {"deviation": _kernels.DEVIATION, "relative_deviation": _kernels.RELATIVE_DEVIATION,
               "entry_deviation": _kernels.ENTRY_DEVIATION}
ESTIMATORS = ("conditional", "sample")
BACKENDS = problems.backend.BACKENDS
_ACTIVATION_CODES = {"relu": _kernels.RELU, "linear": _kernels.LINEAR}


def empirical_ntk(instance, rng, *, width, replicas=32, metric="deviation", n_checkpoints=20,
                  backend="numba") -> Trace:
    r"""The empirical NTK :math:`\Theta_{m'}` of ``replicas`` independent random networks on the
    instance's inputs, against the limit :math:`\Theta_\infty` (``instance.data["limit_ntk"]``), at
    the recorded widths :math:`m' \le` ``width``.

    ``metric``: ``"deviation"`` :math:`\|\Theta_{m'} - \Theta_\infty\|_F`; ``"relative_deviation"``
    the same over :math:`\|\Theta_\infty\|_F`; ``"entry_deviation"``
    :math:`|\Theta_{m'}(x_0, x_1) - \Theta_\infty(x_0, x_1)|`. Since :math:`\Theta_{m'}` is an average
    of :math:`m'` i.i.d. terms with mean :math:`\Theta_\infty`, the root mean square over replicas
    of ``"deviation"`` is :math:`\sqrt{V/m'}` exactly (``V`` = ``ntk_variance``; see :func:`rms_final`).

    ``backend``: ``"numba"`` (the kernel), or ``"numpy"``, ``"cupy"``, ``"array_api_strict"`` (the
    array-API twin: one batched product per block of units between two recorded widths).

    ``info``: ``width``, ``replicas``, ``backend``, ``ntk_variance``, ``first_nonfinite``.
    """
    X, activation = _network_inputs(instance)
    _checks.generator(rng)
    m = _checks.integer("width", width, low=1)
    R = _checks.integer("replicas", replicas, low=1)
    code = NTK_METRICS[_checks.one_of("metric", metric, NTK_METRICS)]
    impl, move = _backend(backend)
    t = _widths(m, n_checkpoints)
    d = X.shape[1]
    out = np.full((R, t.size), np.nan)
    gram = move(np.ascontiguousarray(instance.data["gram"], dtype=np.float64))
    limit = move(np.ascontiguousarray(instance.data["limit_ntk"], dtype=np.float64))
    X_device = move(X)
    for r0, r1 in chunks(R, m * (d + 1)):
        Z = rng.standard_normal((r1 - r0, m, d + 1))
        block = np.full((r1 - r0, t.size), np.nan)
        impl._ntk_widths(move(Z), X_device, gram, limit, activation, t, code, block)
        out[r0:r1] = block
    info = {"width": m, "replicas": R, "backend": backend,
            "ntk_variance": float(instance.constants["ntk_variance"]), "first_nonfinite": first_nonfinite(t, out)}
    return Trace(metric, t, out, info)


def rms_final(trace: Trace) -> float:
    r"""The root mean square over replicas of the metric at the last recorded point,
    :math:`(\frac1R\sum_r y_{r,K}^2)^{1/2}`: for :func:`empirical_ntk`'s ``"deviation"`` an estimate of
    :math:`(\mathbb E\|\Theta_m - \Theta_\infty\|_F^2)^{1/2} = \sqrt{V/m}`."""
    return float(np.sqrt(np.mean(np.asarray(trace.values)[:, -1] ** 2)))


def output_kurtosis(instance, rng, *, width, networks=4096, replicas=1, estimator="conditional", point=0,
                    n_checkpoints=20, backend="numba") -> Trace:
    r"""Monte Carlo estimates of the excess kurtosis :math:`\kappa_{m'}` of :math:`f(x)` over random
    networks, :math:`x` = row ``point`` of the instance's inputs, at the recorded widths :math:`m'`.

    Each replica is one estimate from ``networks`` independent networks.
    ``estimator="sample"``: raw moments of the outputs (the mean is 0 by symmetry),
    :math:`\hat\kappa = \overline{f^4}/(\overline{f^2})^2 - 3`. ``estimator="conditional"``
    (Rao-Blackwellised, [derived here]): given the hidden layer :math:`f \sim \mathcal N(0, S)`,
    :math:`S = \frac1{m'}\sum_j\phi(w_j^\top x)^2`, so :math:`f^2, f^4` are replaced by their
    conditional means :math:`S, 3S^2`: :math:`\hat\kappa = 3(\overline{S^2}/\bar S^2 - 1)`. Both are
    ratio estimators, biased by :math:`O(1/\text{networks})`; the conditional one has a relative
    standard error of about :math:`\sqrt{c_{m'}/\text{networks}}` with :math:`c_1 \approx 8`,
    :math:`c_{m'} \to 2.2` (ReLU; measured), independent of the :math:`1/m'` size of
    :math:`\kappa_{m'}` itself, where the sample estimator's absolute error stays near
    :math:`\sqrt{24/\text{networks}}`.

    ``backend``: as in :func:`empirical_ntk` (the twin: one product and two cumulative sums per chunk
    of networks; the power sums stay on the host).

    ``info``: ``standard_error`` (replicas, K), the delta-method standard error of each estimate
    from the sample's own moments; ``networks``, ``estimator``, ``kurtosis_constant``,
    ``width``, ``backend``, ``first_nonfinite``.
    """
    X, activation = _network_inputs(instance)
    _checks.generator(rng)
    m = _checks.integer("width", width, low=1)
    n = _checks.integer("networks", networks, low=2)
    R = _checks.integer("replicas", replicas, low=1)
    index = _checks.integer("point", point, low=0, high=X.shape[0] - 1, fix="pick a row of instance.data['X']")
    conditional = _checks.one_of("estimator", estimator, ESTIMATORS) == "conditional"
    impl, move = _backend(backend)
    t = _widths(m, n_checkpoints)
    x = np.ascontiguousarray(X[index])
    x_device = move(x)
    values, errors = np.empty((R, t.size)), np.empty((R, t.size))
    for r in range(R):
        sums = np.zeros((5, t.size))  # power sums 0..4 of the variable the estimator averages
        for n0, n1 in chunks(n, m * (x.size + 1)):
            Z = rng.standard_normal((n1 - n0, m, x.size + 1))
            second, output = np.empty((n1 - n0, t.size)), np.empty((n1 - n0, t.size))
            impl._hidden_layer(move(Z), x_device, activation, t, second, output)
            variable = second if conditional else output**2
            for power in range(5):
                sums[power] += np.sum(variable**power, axis=0)
        values[r], errors[r] = _kurtosis(sums / n, n, 3.0 if conditional else 1.0)
    info = {"standard_error": errors, "networks": n, "estimator": estimator, "width": m, "backend": backend,
            "kurtosis_constant": float(instance.constants["kurtosis_constant"]),
            "first_nonfinite": first_nonfinite(t, values)}
    return Trace("excess_kurtosis", t, values, info)


def _kurtosis(moments, n, factor):
    r""":math:`\hat\kappa = \text{factor}\cdot B/A^2 - 3` with :math:`A, B` the means of the variable
    and of its square, and the delta-method standard error from its moments 1..4."""
    A, B, third, fourth = moments[1], moments[2], moments[3], moments[4]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = factor * B / A**2 - 3.0
        dA, dB = -2.0 * factor * B / A**3, factor / A**2
        variance = (dA**2 * (B - A**2) + dB**2 * (fourth - B**2) + 2 * dA * dB * (third - A * B)) / n
    return value, np.sqrt(np.maximum(variance, 0.0))


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the move of a
    host array to the back end's device (chosen here, once; ``BackendUnavailable`` where it cannot run)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _widths(width: int, n_checkpoints) -> np.ndarray:
    """Log-spaced widths 1 = m_1 < ... < m_K = width (``checkpoints`` without its 0)."""
    return checkpoints(width, _checks.integer("n_checkpoints", n_checkpoints, low=2) + 1)[1:]


def _network_inputs(instance):
    if not isinstance(instance, Instance) or any(k not in instance.data for k in ("X", "limit_ntk", "activation")):
        raise ValueError(f"instance must come from sphere_points, got {type(instance).__name__} "
                         f"{getattr(instance, 'name', '')!r}")
    X = np.ascontiguousarray(instance.data["X"], dtype=np.float64)
    return X, _ACTIVATION_CODES[instance.data["activation"]]
