r"""Khodak et al.: on the model problem the iteration-minimising SOR relaxation is Young's :math:`\omega^\star`.

Problem: the 5-point 2-D Poisson matrix on a :math:`g \times g` grid (Dirichlet, :math:`g \in \{8, 10, 16, 32\}`),
a random right-hand side :math:`b \sim \mathcal N(0, I)` per replica, SOR from :math:`x_0 = 0` to relative residual
:math:`10^{-8}`.
Method: SOR iteration counts on 67 relaxations :math:`\omega \in [1, 1.99]` (spacing 0.015), mean over 5
right-hand sides; the measured quantity is the :math:`\omega` with the fewest iterations.
Claim (**bound, tight**): it equals :math:`\omega^\star = 2/(1 + \sqrt{1 - \rho(J)^2})`,
:math:`\rho(J) = \cos(\pi/(g+1))`, within one grid spacing.

Provenance. Khodak, Chow, Balcan & Talwalkar (abstract, checked) learn :math:`\omega` for a sequence of
systems and compare with the best fixed :math:`\omega`; the anchor they build on is Young's theorem for
consistently ordered matrices (Young 1971, Ch. 6, recollection; the formula is checked in the package's
tests against the dense eigenvalues of the SOR iteration matrix on small grids). The tolerance is one
spacing of the grid of relaxations relative to the smallest :math:`\omega^\star` of the grid
(:math:`0.015/1.49 = 1.0\%`): the measurement cannot resolve :math:`\omega` more finely, and the asymptotic
count :math:`\ln(1/\text{tol})/\ln(1/\rho(\mathcal L_\omega))` is flat within one spacing of :math:`\omega^\star`.
Worst-case search (every grid :math:`g \in [8, 32]`, 12 draws with fresh right-hand sides): the measured minimiser is
within 0.62% of :math:`\omega^\star` (:math:`g = 10`), inside the 1.0% tolerance; the control is refuted on every draw
(1.495 against 1 at :math:`g = 8`).
"""
import numpy as np
import sympy

from problems.linear_systems import shifted_laplacians, sor_iterations
from theory.claim import Bound, Claim, Interval, Search, control
from theory.papers import KHODAK_ET_AL

SPACING = 0.015
young_omega = sympy.Symbol("young_omega", positive=True)

CLAIM = Claim(
    id="online-learning/khodak-sor-young-omega",
    title="SOR on 2-D Poisson: the iteration-minimising relaxation is Young's omega*",
    family="online-learning",
    citation=KHODAK_ET_AL.at("abstract; Young's theorem (Young 1971, Ch. 6) as the anchor"),
    statement=r"\arg\min_\omega \mathrm{iters}(\omega) = \omega^\star = \frac{2}{1 + \sqrt{1 - \rho(J)^2}}",
    problem=shifted_laplacians,
    problem_params={"horizon": 1, "shift_low": 0.0, "shift_high": 0.0},
    grid={"grid": [8, 10, 16, 32]},
    method=sor_iterations,
    method_params={"omegas": tuple(np.round(np.arange(1.0, 1.99 + 1e-9, SPACING), 6)), "replicas": 5,
                   "metric": "best_omega"},
    measured="relaxation with the fewest SOR iterations",
    claimed=young_omega,
    test=Bound(side="tight", rtol=SPACING / 1.49),
    seeds=8,
    quick={"grid": {"grid": [8, 16]}, "seeds": 4},
    # every grid size between the claim's smallest and largest (8 to 32: omega* in [1.49, 1.83], inside the relaxations,
    # iteration counts large enough that one spacing resolves the minimum), a fresh right-hand side per draw
    search=Search(space={"grid": Interval(8, 32, integer=True)}, examples=12, polish=0, quick_examples=2),
)

CLAIMS = [control(
    CLAIM, suffix="gauss-seidel",
    why="The best fixed relaxation is omega = 1 (Gauss-Seidel). Young's omega* lies between 1.49 (g = 8) and "
        "1.83 (g = 32), 33 to 55 spacings away, and SOR at omega = 1 needs 4 to 15 times more iterations.",
    claimed=sympy.Integer(1),
)]
