r"""Bahri, Dyer, Kaplan, Lee & Sharma: in the resolution-limited regime the loss of a linear random-feature model
falls as a power of the width, :math:`L(P) \propto P^{-\alpha}` for a feature spectrum
:math:`\lambda_k \propto k^{-(1+\alpha)}`.

Problem: latent features :math:`F \sim N(0, \Lambda)` in :math:`S = 4096` dimensions,
:math:`\lambda_k = k^{-(1+\alpha)}`, :math:`\alpha \in \{1, 2\}`, linear teacher :math:`y = \omega^\top F`,
:math:`\omega \sim N(0, I)`.
Method: least squares on :math:`P` Gaussian random projections :math:`f = VF` with **infinite data** (the population
fit), test loss averaged over the teacher exactly,
:math:`L_\infty(P) = 1 - \operatorname{tr}((V\Lambda V^\top)^{-1}V\Lambda^2V^\top)/\operatorname{tr}\Lambda`
(``problems.random_features``).
Claim (**scaling**): :math:`L_\infty(P) \propto P^{-\alpha}`, :math:`P \in \{32, 64, 128, 256\}`, exponent within 0.1.

Provenance. The regimes and the duality are the abstract's [paper, as retrieved]: "variance-limited and
resolution-limited scaling behavior for both dataset and model size ... In the large width limit, this can be
equivalently obtained from the spectrum of certain kernels ... large width and large dataset resolution-limited
scaling exponents are related by a duality", exhibited "in the controlled setting of large random feature ... models".
The exponent :math:`\alpha` for a spectrum :math:`k^{-(1+\alpha)}` is [recollection] of the paper's random-feature
section, and [derived here] heuristically: a rank-:math:`P` fit leaves the tail
:math:`\sum_{k \gtrsim P} k^{-(1+\alpha)} \approx P^{-\alpha}/\alpha`.
Window, decided from the theory and a pilot on other seeds before any verdict: the tail sum is a power law once the
first eigenvalues no longer dominate (local exponent -0.91 from :math:`P` = 8 to 16, -1.007 from 32 to 64 at
:math:`\alpha = 1`) and until the truncation at :math:`S` bends it by about :math:`(P/S)^\alpha` (-1.026 from 128 to
256): hence :math:`P \in [32, 256]` with :math:`S = 4096`. Quick profile: :math:`\alpha = 1` only, the same window with
:math:`S = 2048` (the truncation bends the last local exponent to about -1.05); earlier quick settings were dropped
because they did not decide: :math:`[16, 128]` left :math:`\alpha = 2` inconclusive (-1.95, interval :math:`\pm0.075`,
its lower end still bent by the first eigenvalues), and three points :math:`[32, 128]` gave :math:`\alpha = 2`
intervals of :math:`\pm0.08`, straddling the band. Pilot fits: :math:`-1.016 \pm 0.017` (:math:`\alpha = 1`) and :math:`-1.984 \pm 0.039`
(:math:`\alpha = 2`), seed standard deviations; the projections are nested across :math:`P` (common random numbers).
The loss is exact given :math:`V` (no label noise, teacher averaged analytically), so the spread is that of the random
projections only.
"""
from problems.random_features import power_law_teacher, random_feature_regression
from theory import papers
from theory.claim import Claim, Scaling, control
from theory.symbols import symbol
from verifiers.statistics import final_value

P, alpha = symbol("n_features"), symbol("alpha")

BAHRI_ET_AL = papers.BAHRI_ET_AL.at('abstract (four regimes, duality); random-feature exponents recalled')

CLAIM = Claim(
    id="scaling-laws/bahri-resolution-limited-width",
    title="Resolution-limited width scaling of a linear random-feature model: L(P) ~ P^-alpha (infinite data)",
    family="scaling-laws",
    citation=BAHRI_ET_AL,
    statement=r"L(D = \infty, P) \propto P^{-\alpha}\quad\text{for}\quad \lambda_k \propto k^{-(1+\alpha)}",
    problem=power_law_teacher,
    problem_params={"latent_dim": 4096},
    grid={"alpha": [1.0, 2.0]},
    method=random_feature_regression,
    method_params={"n_samples": "infinite", "metric": "test_loss"},
    measured="L(D = inf, P), teacher-averaged, relative to the zero predictor",
    claimed=P ** (-alpha),
    test=Scaling(parameter="n_features", values=(32, 64, 128, 256), cost=final_value, tolerance=0.1),
    seeds=8,
    quick={"problem_params": {"latent_dim": 2048}, "grid": {"alpha": [1.0]}},
)

CLAIMS = [control(
    CLAIM, suffix="eigenvalue-exponent",
    why="The loss decaying like the eigenvalue at the cut-off, P^-(1+alpha) (the alpha vs 1 + alpha confusion): an "
        "exponent 1 off, against a +-0.04 interval.",
    claimed=P ** (-(1 + alpha)),
)]
