r"""Advani & Saxe: with fewer samples than weights, gradient descent never trains the component of the
initial weights in the null space of the data, which adds :math:`(1 - \alpha)\sigma_0^2` to the test error.

Problem: a linear teacher and student with :math:`P = 80` weights and :math:`N \in \{20, 40\}` samples
(:math:`\alpha = N/P \in \{1/4, 1/2\}`), rows :math:`x \sim \mathcal N(0, I_P/P)`, :math:`\sigma_{\bar w} = 1`,
:math:`\sigma_\varepsilon = 0.5`, initial weights :math:`w_0 \sim \mathcal N(0, \sigma_0^2 I)`, :math:`\sigma_0 = 1`.
Method: **gradient descent** :math:`w_{k+1} = w_k - \eta X^\top(Xw_k - y)`, :math:`\eta = 1/\lambda_{\max}(X^\top
X)`, 1200 steps, from 128 independent :math:`w_0` per seed and, on the same data, from :math:`w_0 = 0`.
Measured: the excess test error :math:`E_g(w_k) - E_g(w_k^{(0)})` of each run over the zero-initialised
one (:math:`E_g(w) = \|w - \bar w\|^2/P + \sigma_\varepsilon^2`, exact), averaged over the 128 runs, at the
last step.
Claim (**tight bound**, in expectation over :math:`w_0`): the excess equals :math:`(1 - \alpha)\sigma_0^2`.

Provenance: the abstract (as retrieved) names "a frozen subspace of the weights in which no learning occurs
under gradient descent" and says low generalisation error "requires starting with small initial weights";
the term's form is derived here (``problems.wide_networks.linear_student``): :math:`w_k - w_k^{(0)} = (I -
\eta X^\top X)^k w_0 \to P_{\ker X}w_0`, so the excess tends to :math:`(\|P_{\ker X}w_0\|^2 -
2w_0^\top P_{\ker X}\bar w)/P`, whose mean over :math:`w_0` is :math:`\sigma_0^2(P - \operatorname{rank}X)/P
= (1-\alpha)\sigma_0^2` exactly at finite :math:`P` (rank :math:`N` almost surely), for every :math:`X,
\bar w, \varepsilon`. Window: the row-space part of :math:`w_0` decays as :math:`(1 - \lambda_{\min}/
\lambda_{\max})^k`; at :math:`\alpha = 1/2` the Marchenko-Pastur edges give a condition number near 34
(at most about 100 with finite-:math:`P` fluctuations), so after ``burn_in = 600`` steps the transient is
below :math:`e^{-6}` of the term; only the last checkpoint (1200) lies after it. Tolerance, from the
Monte Carlo error decided before running: per run the excess has relative spread
:math:`((2 + 4\sigma_{\bar w}^2/\sigma_0^2)/(P - N))^{1/2}` (0.32 at :math:`\alpha = 1/4`, 0.39 at
:math:`\alpha = 1/2`), so 128 runs give 3% per seed and 12 seeds a 99% interval of :math:`\pm 3\%` about a
centre within :math:`\pm 3\%`: ``rtol = 0.1``. The control, :math:`(1-\alpha)^2\sigma_0^2`, sits at ratio
:math:`1/(1-\alpha)` = 1.33 and 2. The worst-case search over :math:`N` 1-40, scales (teacher at most init) and
label noise (8 draws of 12 seeds) finds the ratio within 0.75% of 1 (1.0074 at :math:`N = 6`); the control fails
at :math:`N = 35` (1.77 = :math:`1/(1 - 35/80)`).
"""
from problems.wide_networks import linear_teacher_student, student_gradient_descent
from theory import papers
from theory.claim import Bound, Claim, Interval, Search, control
from theory.symbols import init_scale, symbol

sample_ratio = symbol("sample_ratio")

ADVANI_SAXE = papers.ADVANI_SAXE.at('abstract (a frozen subspace of the weights in which no learning occurs); term derived here')

CLAIM = Claim(
    id="wide-networks/advani-saxe-frozen-subspace",
    title="Linear student, N < P: the untrained null-space part of w0 adds (1 - N/P) sigma0^2 to the test error",
    family="wide-networks",
    citation=ADVANI_SAXE,
    statement=r"\lim_{k\to\infty}\mathbb E_{w_0}\big[E_g(w_k) - E_g(w_k^{(0)})\big] = (1 - \alpha)\,\sigma_0^2",
    problem=linear_teacher_student,
    problem_params={"n_params": 80, "noise": 0.5, "teacher_scale": 1.0, "init_scale": 1.0},
    grid={"n_samples": [20, 40]},
    method=student_gradient_descent,
    method_params={"n_iter": 1200, "replicas": 128, "metric": "init_excess", "n_checkpoints": 8},
    measured="late-time test error minus that of the zero-initialised run",
    claimed=(1 - sample_ratio) * init_scale ** 2,
    test=Bound(side="tight", statistic="mean", rtol=0.1, burn_in=600),
    seeds=12,
    quick={"grid": {"n_samples": [20]}, "seeds": 8, "method_params": {"n_iter": 600},
           "test": Bound(side="tight", statistic="mean", rtol=0.1, burn_in=300)},
    # N from 1 to 40 at the claim's P = 80 (alpha <= 1/2, where the window above is derived), teacher over init
    # scale at most 1 (the per-run spread is then at most the one the tolerance is derived for), any label noise;
    # polish 0 (Nelder-Mead with the seed fixed chases MC noise)
    search=Search(space={"n_samples": Interval(1, 40, integer=True), "init_scale": Interval(1.0, 2.0),
                         "teacher_scale": Interval(0.0, 1.0), "noise": Interval(0.0, 1.0)},
                  examples=8, polish=0, quick_examples=2),
)

CLAIMS = [control(
    CLAIM, suffix="squared-fraction",
    why="The frozen term with the fraction squared, (1 - alpha)^2 sigma0^2: the measured ratio is "
        "1/(1 - alpha) = 1.33 at alpha = 1/4 and 2 at alpha = 1/2.",
    claimed=(1 - sample_ratio) ** 2 * init_scale ** 2,
)]
