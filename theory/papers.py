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

# Papers of issue 10's claims and the convex ReLU family, cited by several claim files
CHEN_LION = Citation(
    authors='L. Chen, B. Liu, K. Liang and Q. Liu', year=2024,
    title='Lion Secretly Solves Constrained Optimization: As Lyapunov Predicts',
    venue='ICLR (arXiv:2310.05898)', locator="abstract", url='https://arxiv.org/abs/2310.05898')

MAHANKALI_ET_AL = Citation(
    authors='A. Mahankali, T. B. Hashimoto and T. Ma', year=2024,
    title='One Step of Gradient Descent is Provably the Optimal In-Context Learner with One Layer of '
          'Linear Self-Attention',
    venue='ICLR (arXiv:2307.03576)', locator="abstract", url='https://arxiv.org/abs/2307.03576')

TARZANAGH_ET_AL = Citation(
    authors='D. A. Tarzanagh, Y. Li, C. Thrampoulidis and S. Oymak', year=2023,
    title='Transformers as Support Vector Machines',
    venue='arXiv:2308.16898 (NeurIPS 2023 M3L workshop)', locator="abstract", url='https://arxiv.org/abs/2308.16898')

BAI_GAUTAM_SOJOUDI = Citation(
    authors='Y. Bai, T. Gautam and S. Sojoudi', year=2023,
    title='Efficient Global Optimization of Two-layer ReLU Networks: Quadratic-time Algorithms and '
          'Adversarial Training',
    venue='SIAM J. Math. Data Sci. (arXiv:2201.01965)', locator="abstract", url='https://arxiv.org/abs/2201.01965')

PILANCI_ERGEN = Citation(
    authors='M. Pilanci and T. Ergen', year=2020,
    title='Neural Networks are Convex Regularizers: Exact Polynomial-time Convex Optimization '
          'Formulations for Two-layer Networks',
    venue='ICML 2020 (arXiv:2002.10553)', locator="abstract", url='https://arxiv.org/abs/2002.10553')

NUTINI_2022 = Citation(
    authors='J. Nutini, I. Laradji and M. Schmidt', year=2022,
    title="Let's Make Block Coordinate Descent Converge Faster: Faster Greedy Rules, Message-Passing, "
          'Active-Set Complexity, and Superlinear Convergence',
    venue='JMLR 23, arXiv:1712.08859', locator="abstract", url='https://arxiv.org/abs/1712.08859')

SONG_ERMON = Citation(
    authors='J. Song and S. Ermon', year=2020,
    title='Understanding the Limitations of Variational Mutual Information Estimators',
    venue='ICLR 2020, arXiv:1910.06222', locator="abstract", url='https://arxiv.org/abs/1910.06222')

BORUP_ANDERSEN = Citation(
    authors='K. Borup and L. N. Andersen', year=2021,
    title='Even your Teacher Needs Guidance: Ground-Truth Targets Dampen Regularization Imposed by Self-Distillation',
    venue='NeurIPS 2021, arXiv:2102.13088', locator="abstract", url='https://arxiv.org/abs/2102.13088')

BAHRI_ET_AL = Citation(
    authors='Y. Bahri, E. Dyer, J. Kaplan, J. Lee and U. Sharma', year=2021,
    title='Explaining Neural Scaling Laws',
    venue='arXiv:2102.06701 (PNAS 2024)', locator="abstract", url='https://arxiv.org/abs/2102.06701')

ADVANI_SAXE = Citation(
    authors='M. S. Advani and A. M. Saxe', year=2017,
    title='High-dimensional dynamics of generalization error in neural networks',
    venue='arXiv:1710.03667 (with H. Sompolinsky: Neural Networks 132, 2020)',
    locator="abstract", url='https://arxiv.org/abs/1710.03667')

ANTOGNINI = Citation(
    authors='J. M. Antognini', year=2019,
    title='Finite size corrections for neural network Gaussian processes',
    venue='ICML 2019 Workshop on Theoretical Physics for Deep Learning (arXiv:1908.10030)',
    locator="abstract", url='https://arxiv.org/abs/1908.10030')
