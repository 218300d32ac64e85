r"""Lau & Lubensky: with a state-dependent diffusion coefficient the Boltzmann distribution is reached only with the
drift correction :math:`(1 - \alpha)D'(x)` of the :math:`\alpha`-convention.

Problem: :math:`U(x) = x^2/2` (:math:`kT = 1`), :math:`D(x) = 0.3 + x^2/(1 + x^2)`; target :math:`e^{-U}`, variance 1.
Method: :math:`dx = [-D(x)U'(x) + (1 - \alpha)D'(x)]dt + \sqrt{2D(x)}\circ_\alpha dW` discretised at
:math:`h = 2\cdot 10^{-3}` by a predictor-corrector that evaluates the noise amplitude at
:math:`x + \alpha(x_{\mathrm{pred}} - x)` with the same increment (Euler-Maruyama for :math:`\alpha = 0`), 1000 chains,
10 time units of burn-in, then the time average of :math:`x^2` over 40 time units (compared after 20).
Claim (**bound, tight, in expectation**, for :math:`\alpha \in \{0, \frac12, 1\}`): the stationary variance is 1.

Provenance: the abstract (checked) says that reaching Boltzmann requires an added drift "proportional to the
derivative of the diffusion coefficient times a factor that depends on the convention". The factor
:math:`(1 - \alpha)` is derived here from the zero-flux stationary Fokker-Planck equation (and tested in the package
by quadrature): without it the stationary density is :math:`D^{-(1-\alpha)}e^{-U}`, whose variance is 0.5953 (Itô) and
0.7827 (Stratonovich). Tolerance: the scheme's time-step bias, extrapolated from :math:`h = 0.04, 0.02` with
40 000 chains, is at most :math:`0.33h < 0.1\%`; ``rtol`` = 3% is 7 times smaller than the 22% error of the control.
Averaging window: a seed's standard error scales as :math:`0.42\%\sqrt{(2000 \cdot 60)/(\text{chains}\cdot\text{time})}`
(measured with 2000 chains over 60 time units); with 1000 chains it is 1.0% after 20 time units, and the interval
over 8 seeds, Bonferroni-corrected over the compared checkpoints, about :math:`\pm 1.4\%`, inside the 3%. So only
checkpoints after 20 time units of averaging are compared (a first setting compared from 5 time units, where the
standard error is 2% and the interval :math:`\pm 3\%`: it came out inconclusive, as this estimate says it must).
The worst-case search over every :math:`\alpha \in [0, 1]`, floors 0.3-1 and the diffusion :math:`1 + \sin(x)/2`
(4 draws) finds the variance within 0.1% of 1 (most extreme 1.0010, sine, :math:`\alpha = 0.17`); the control
fails on its first draw, at :math:`\alpha = 0` (0.5953, the uncorrected Itô value).
"""
from problems.langevin import alpha_sde, state_dependent_diffusion
from theory.claim import Bound, Claim, Interval, Search, control
from theory.papers import LAU_LUBENSKY

STEP = 2e-3

CLAIM = Claim(
    id="langevin/lau-lubensky-drift-correction",
    title="State-dependent diffusion: with the (1 - alpha) D' correction every alpha-convention samples exp(-U)",
    family="langevin",
    citation=LAU_LUBENSKY,
    statement=r"dx = [-DU' + (1-\alpha)D']dt + \sqrt{2D}\circ_\alpha dW \ \Rightarrow\ \pi \propto e^{-U}",
    problem=state_dependent_diffusion,
    problem_params={"potential": "harmonic", "diffusion": "rational", "floor": 0.3},
    grid={"alpha": [0.0, 0.5, 1.0]},
    method=alpha_sde,
    method_params={"alpha": 0.0, "corrected": True, "step_size": STEP, "n_iter": int(40 / STEP), "chains": 1000,
                   "burn_in": int(10 / STEP), "metric": "variance_ratio", "n_checkpoints": 6},
    measured="E x^2 / Var_pi (time average over chains)",
    claimed=1,
    test=Bound(side="tight", statistic="mean", rtol=0.03, burn_in=int(20 / STEP)),
    seeds=8,
    quick={"method_params": {"n_iter": int(25 / STEP)}},
    # every convention alpha in [0, 1], and diffusions no slower than the claim's (D >= 0.3: floor 0.3 to 1, or
    # 1 + sin(x)/2), harmonic U (the spectral gap is then at least min D); the quick horizon, 25 time units, which
    # the MC budget above covers (from 20 on); 4 draws (each a third of the claim's cost); polish 0 (it chases
    # MC noise)
    search=Search(space={"alpha": Interval(0.0, 1.0), "floor": Interval(0.3, 1.0),
                         "diffusion": ["rational", "sine"], "n_iter": [int(25 / STEP)]},
                  examples=4, polish=0, quick_examples=1),
)

CLAIMS = [control(
    CLAIM, suffix="stratonovich-uncorrected",
    why="The Stratonovich convention needs no drift correction: without it the stationary density is "
        "D^(-1/2) e^(-U), variance 0.783, 22% below the Boltzmann value.",
    grid={"alpha": [0.5]}, method_params={**CLAIM.method_params, "corrected": False},
)]
