r"""Deterministic Halpern on a finite sum pays :math:`n` oracle calls per iteration: :math:`O(nL/\varepsilon)` in total.

Problem, sweep and target as in ``vr_halpern_oracle_complexity`` (:math:`n \in \{64, \dots, 4096\}`, dimension 20,
:math:`\varepsilon = 10^{-4}L\|z_0 - z^\star\|`).
Method: **Halpern iteration** with :math:`T = I - \frac2L F`, every step a full evaluation of :math:`F` (:math:`n` calls).
Guarantee (**scaling**): the component evaluations to reach :math:`\varepsilon` grow linearly in :math:`n`.

Provenance: the baseline the paper improves on by a factor up to :math:`\sqrt n` (abstract, checked). Derived:
by Lieder's bound :math:`L\|z_0-z^\star\|/(2\varepsilon)` iterations suffice on these instances, whatever :math:`n`, each
costing :math:`n`; so the exponent is 1, the variance-reduced method's 1/2 being the comparison.
Tolerance 0.1; the control is the variance-reduced exponent 1/2.
"""
from problems.monotone_inclusion import cocoercive_linear, halpern, oracle_calls_to_tolerance
from theory.claim import Claim, Scaling, control
from theory.papers import CAI_ALACAOGLU_DIAKONIKOLAS
from theory.symbols import L, dist0, n_components

CLAIM = Claim(
    id="monotone-inclusion/halpern-oracle-complexity-linear-in-n",
    title="Deterministic Halpern: oracle calls to reach eps grow linearly in n",
    family="halpern",
    citation=CAI_ALACAOGLU_DIAKONIKOLAS.at("abstract; the deterministic baseline O(n L / eps)"),
    statement=r"\#\text{calls}(\varepsilon) = \Theta(n\,L\|z_0 - z^\star\|/\varepsilon)",
    assumptions=("cocoercive",),
    problem=cocoercive_linear,
    problem_params={"dim": 20, "spread": 0.1},
    method=halpern,
    method_params={"n_iter": 20_000, "tol": 1e-4 * L * dist0},
    measured="component evaluations to ||F(z_k)|| <= 1e-4 L ||z_0 - z*||",
    claimed=n_components,
    test=Scaling(parameter="n_components", values=(64, 256, 1024, 4096), cost=oracle_calls_to_tolerance,
                 tolerance=0.1),
    seeds=8,
)

CLAIMS = [control(
    CLAIM, suffix="sqrt-n",
    why="The variance-reduced exponent 1/2 claimed for the deterministic method: it evaluates all n components "
        "at every step.",
    claimed=n_components ** 0.5,
)]
