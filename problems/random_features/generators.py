r"""A linear teacher with a power-law feature spectrum: the random-feature model of Bahri, Dyer, Kaplan,
Lee & Sharma (2021), Sec. "Random feature models" [as recalled; the exact normalisations of the paper
were not retrieved, and the scaling exponents do not depend on them].

Latent features :math:`F \sim N(0, \Lambda)` in :math:`\mathbb R^S`, :math:`\Lambda = \operatorname{diag}(\lambda_k)`,
:math:`\lambda_k = k^{-(1+\alpha)}` (:math:`k = 1..S`); a teacher :math:`y = \omega^\top F` with
:math:`\omega \sim N(0, I_S)`, noise-free. The student (``methods.random_feature_regression``) sees
:math:`P` random projections of :math:`F`. The instance is this distribution; the projections and the
samples are drawn by the method.
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance


def power_law_teacher(rng: np.random.Generator, *, latent_dim=4096, alpha=1.0) -> Instance:
    r"""The spectrum :math:`\lambda_k = k^{-(1+\alpha)}`, :math:`k = 1..S` (no draw; ``rng`` is validated only).

    Returns
    -------
    Instance
        ``data``: ``eigenvalues`` (S,), descending. ``constants``: ``alpha``, ``latent_dim`` :math:`S`,
        ``trace_Lambda`` :math:`\sum_k\lambda_k`, ``tail_at_latent_dim`` :math:`\lambda_S/\lambda_1`.
    """
    _checks.generator(rng)
    S = _checks.integer("latent_dim", latent_dim, low=2)
    a = _checks.positive("alpha", alpha, fix="pass the exponent alpha of lambda_k = k^-(1 + alpha)")
    lam = np.arange(1, S + 1, dtype=np.float64) ** (-(1.0 + a))
    constants = {"alpha": a, "latent_dim": S, "trace_Lambda": float(lam.sum()), "tail_at_latent_dim": float(lam[-1])}
    return Instance(data={"eigenvalues": lam}, constants=constants, name=f"power_law_teacher(S={S}, alpha={a:g})")
