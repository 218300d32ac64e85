r"""Lieder: the Halpern bound is tight; :math:`F = L\,I` attains it at every even iterate.

Problem: the extremal operator :math:`F(z) = Lz` in dimension 20 (:math:`z^\star = 0`, :math:`z_0 \sim \mathcal N(0, I)`).
Method: **Halpern iteration** with :math:`T = I - \frac2L F = -I`, as in ``lieder_halpern_bound``.
Guarantee (**tight bound**): :math:`\|F(z_k)\| = L\|z_0 - z^\star\|/(k+1)` at every even :math:`k`.

Provenance: Lieder (2021) shows the rate cannot be improved (checked against the research notes).
The attaining iterates are derived here: with :math:`T = -I`, :math:`z_{k+1} = \frac{z_0 - (k+1)z_k}{k+2}`
gives :math:`z_k = z_0/(k+1)` at even :math:`k` and :math:`z_k = 0` at odd :math:`k`. The method records the
residual at the last even iterate :math:`2\lfloor k/2\rfloor` (metric ``residual_even``), and the claim is the
bound there; ``rtol = 1e-9`` covers round-off (the largest deviation seen by :math:`k = 10^4` is
:math:`7\cdot10^{-13}`).

Worst case over the class (PEP): at even :math:`N \in \{2, 4, 8\}` the worst case over all :math:`1/L`-cocoercive
operators equals the bound, so :math:`F = L\,I` is a worst case of the class.
"""
import sympy

from problems.monotone_inclusion import halpern, scaled_identity
from problems.pep import halpern_pep
from theory.claim import Bound, Claim, Interval, Search, WorstCase, control
from theory.papers import LIEDER
from theory.symbols import L, dist0, t

LAST_EVEN = 2 * sympy.floor(t / 2)

CLAIM = Claim(
    id="monotone-inclusion/lieder-halpern-bound-tight",
    title="Halpern iteration: F = L I attains ||F(z_k)|| = L ||z_0 - z*|| / (k + 1) at every even k",
    family="halpern",
    citation=LIEDER.at("Theorem 2.1 and the tightness example"),
    statement=r"\|F(z_{2j})\| = \frac{L\|z_0 - z^\star\|}{2j+1} \quad (F = L\,I)",
    assumptions=("cocoercive",),
    problem=scaled_identity,
    problem_params={"dim": 20, "lipschitz": 2.0},
    method=halpern,
    method_params={"n_iter": 10_000, "metric": "residual_even", "n_checkpoints": 120},
    measured="||F(z_k)|| at the last even k",
    claimed=L * dist0 / (LAST_EVEN + 1),
    test=Bound(side="tight", rtol=1e-9),
    seeds=8,
    # F = L I is a worst case of the whole class: the PEP value equals the bound at even N
    worst_case=WorstCase(pep=halpern_pep, params={"L": 2.0}, constants={"L": 2.0, "dist0": 1.0}, horizons=(2, 4, 8)),
    search=Search(space={"dim": Interval(1, 40, integer=True), "lipschitz": Interval(0.1, 10.0, log=True)},
                  examples=20, polish=0),
)

CLAIMS = [control(
    CLAIM, suffix="half-constant",
    why="An upper bound with half the constant, L ||z_0 - z*|| / (2(k+1)): the extremal instance sits at twice it.",
    claimed=L * dist0 / (2 * (LAST_EVEN + 1)),
    test=Bound(side="upper", rtol=1e-9),
)]
