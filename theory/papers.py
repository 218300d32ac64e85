"""Papers cited by several claims, each as a :class:`~theory.claim.Citation` whose locator
a claim sets with :meth:`~theory.claim.Citation.at` (``XIONG_DING_DU.at("Theorem 3.1")``)."""
from theory.claim import Citation

XIONG_DING_DU = Citation(
    authors="N. Xiong, L. Ding and S. S. Du", year=2024,
    title="How Over-Parameterization Slows Down Gradient Descent in Matrix Sensing: "
          "The Curses of Symmetry and Initialization",
    venue="ICLR (arXiv:2310.01769)", locator="abstract", url="https://arxiv.org/abs/2310.01769")

MA_FATTAHI = Citation(
    authors="J. Ma and S. Fattahi", year=2023,
    title="Global Convergence of Sub-gradient Method for Robust Matrix Recovery: Small Initialization, "
          "Noisy Measurements, and Over-parameterization",
    venue="JMLR (arXiv:2202.08788)", locator="abstract", url="https://arxiv.org/abs/2202.08788")

LIEDER = Citation(
    authors="F. Lieder", year=2021, title="On the convergence rate of the Halpern-iteration",
    venue="Optimization Letters 15", locator="Theorem 2.1", url="https://doi.org/10.1007/s11590-020-01617-9")

CAI_ALACAOGLU_DIAKONIKOLAS = Citation(
    authors="X. Cai, A. Alacaoglu and J. Diakonikolas", year=2024,
    title="Variance Reduced Halpern Iteration for Finite-Sum Monotone Inclusions",
    venue="ICLR (arXiv:2310.02987)", locator="abstract", url="https://arxiv.org/abs/2310.02987")

# Langevin samplers
ROBERTS_TWEEDIE = Citation(
    authors="G. O. Roberts and R. L. Tweedie", year=1996,
    title="Exponential convergence of Langevin distributions and their discrete approximations",
    venue="Bernoulli 2(4)", locator="Sec. 1.4-1.5 (ULA and MALA)", url="https://doi.org/10.2307/3318418")

LI_ZHA_TAO = Citation(
    authors="R. Li, H. Zha and M. Tao", year=2022, title="Sqrt(d) Dimension Dependence of Langevin Monte Carlo",
    venue="ICLR (arXiv:2109.03839)", locator="abstract", url="https://arxiv.org/abs/2109.03839")

FRANZESE_ET_AL = Citation(
    authors="G. Franzese, D. Milios, M. Filippone and P. Michiardi", year=2022,
    title="Revisiting the Effects of Stochasticity for Hamiltonian Samplers",
    venue="ICML (arXiv:2106.16200)", locator="abstract", url="https://arxiv.org/abs/2106.16200")

LAU_LUBENSKY = Citation(
    authors="A. W. C. Lau and T. C. Lubensky", year=2007,
    title="State-dependent diffusion: thermodynamic consistency and its path integral formulation",
    venue="Physical Review E 76, 011123", locator="abstract", url="https://doi.org/10.1103/PhysRevE.76.011123")

EL_MEKKAOUI_ET_AL = Citation(
    authors="K. El Mekkaoui, D. Mesquita, P. Blomstedt and S. Kaski", year=2021,
    title="Federated Stochastic Gradient Langevin Dynamics", venue="UAI (arXiv:2004.11231)", locator="abstract",
    url="https://arxiv.org/abs/2004.11231")

LAU_LIU = Citation(
    authors="T. T.-K. Lau and H. Liu", year=2022,
    title="Bregman Proximal Langevin Monte Carlo via Bregman-Moreau Envelopes", venue="ICML (arXiv:2207.04387)",
    locator="abstract", url="https://arxiv.org/abs/2207.04387")

FEDER_URBANKE_FOGEL = Citation(
    authors="M. Feder, R. Urbanke and Y. Fogel", year=2025,
    title="The Universality Lens: Why Even Highly Over-Parametrized Models Learn Well", venue="arXiv:2506.07661",
    locator="abstract", url="https://arxiv.org/abs/2506.07661")

# Online learning
CHEN_ET_AL_OOMD = Citation(
    authors="S. Chen, Y.-J. Zhang, W.-W. Tu, P. Zhao and L. Zhang", year=2024,
    title="Optimistic Online Mirror Descent for Bridging Stochastic and Adversarial Online Convex Optimization",
    venue="JMLR 25 (ICML 2023; arXiv:2302.04552)", locator="abstract", url="https://arxiv.org/abs/2302.04552")

ORABONA = Citation(
    authors="F. Orabona", year=2019, title="A Modern Introduction to Online Learning", venue="arXiv:1912.13213",
    locator="Sec. 6 (online mirror descent, entropic regularizer)", url="https://arxiv.org/abs/1912.13213")

KHODAK_ET_AL = Citation(
    authors="M. Khodak, E. Chow, M.-F. Balcan and A. Talwalkar", year=2024,
    title="Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances",
    venue="ICLR (arXiv:2310.02246)", locator="abstract", url="https://arxiv.org/abs/2310.02246")

YOUNG = Citation(
    authors="D. M. Young", year=1971, title="Iterative Solution of Large Linear Systems", venue="Academic Press",
    locator="Ch. 6 (optimal SOR relaxation for consistently ordered matrices)", url="")
