r"""El Mekkaoui et al.: federated SGLD with conducive gradients samples the posterior for any communication delay,
where distributed SGLD drifts away from it as the delay grows.

Problem: a Gaussian location model in :math:`\mathbb R^2` with 2 shards of 50 points whose data means are 3 apart
(non-IID), Gaussian likelihood and prior; the posterior is Gaussian and known exactly (standard deviation 0.0995).
Methods, 100 chains, step :math:`10^{-4}` (ULA's own bias on this posterior is :math:`3.6\cdot 10^{-4}` in
:math:`W_2`), :math:`2\cdot 10^4` steps after a burn-in of 2000 (the posterior relaxes in about 100 steps):
**DSGLD** (Ahn, Shahbaba & Welling 2014): a chain runs :math:`K` local steps on one shard with the shard gradient
scaled by :math:`N/N_s`, then moves to the next shard (round robin); **FSGLD**: the same with the conducive gradient
:math:`\sum_{s'}\nabla\log q_{s'} - (N/N_s)\nabla\log q_s` added, :math:`q_s` a Gaussian approximation of shard
:math:`s`'s likelihood (exact here, the likelihood being Gaussian).
Measured: :math:`W_2` between the Gaussian fitted to all chains' samples after the burn-in and the posterior.
Claims: (**scaling**) FSGLD's :math:`W_2` is independent of the delay :math:`K \in \{1, 10, 100\}`;
(**comparison**) at :math:`K = 10` and :math:`K = 100`, FSGLD is closer to the posterior than DSGLD on the same seeds.

Provenance: the abstract (checked): with non-IID shards "delaying communication causes the Markov chains to diverge
from the true posterior even for very simple models" and FSGLD converges "to the target posterior in cases where
DSGLD fails". With exact shard approximations the conducive gradient makes every shard's drift the full
posterior's (derived), so FSGLD's chains do not depend on :math:`K` at all; the exponent 0 is then exact, and the
measurement is a check of the implementation as much as of the claim. The DSGLD shard schedule and scaling
follow Ahn et al. as recalled; the paper's exact visiting scheme was not retrieved. The Monte Carlo error of the
fitted :math:`W_2` is about :math:`3\cdot 10^{-3}` here, below DSGLD's gap at :math:`K \ge 10` (:math:`9\cdot 10^{-3}`, 0.31).
"""
import sympy

from problems.langevin import dsgld, final_w2, fsgld, sharded_gaussian_posterior
from theory.claim import Claim, Comparison, Scaling, control
from theory.papers import EL_MEKKAOUI_ET_AL
from theory.symbols import symbol

K = symbol("local_steps")
RUN = {"step_size": 1e-4, "n_iter": 20_000, "chains": 100, "burn_in": 2000, "metric": "w2", "n_checkpoints": 4}

DELAY_FREE = Claim(
    id="langevin/el-mekkaoui-fsgld-delay-free",
    title="Federated SGLD (conducive gradients): W2 to the posterior independent of the communication delay",
    family="langevin",
    citation=EL_MEKKAOUI_ET_AL,
    statement=r"W_2(\hat\pi_{\mathrm{FSGLD}, K}, \pi) \text{ does not grow with } K",
    problem=sharded_gaussian_posterior,
    problem_params={"dim": 2, "n_shards": 2, "n_per_shard": 50, "shard_separation": 3.0},
    method=fsgld,
    method_params=RUN,
    measured="W2(Gaussian fit of the samples, posterior)",
    claimed=sympy.Integer(1),
    test=Scaling(parameter="local_steps", values=(1, 10, 100), cost=final_w2, tolerance=0.1),
    seeds=8,
)

BEATS_DSGLD = Claim(
    id="langevin/el-mekkaoui-fsgld-beats-dsgld",
    title="With delayed communication FSGLD is closer to the posterior than DSGLD (non-IID shards)",
    family="langevin",
    citation=EL_MEKKAOUI_ET_AL,
    statement=r"W_2(\hat\pi_{\mathrm{FSGLD}}, \pi) < W_2(\hat\pi_{\mathrm{DSGLD}}, \pi) \quad (K \ge 10)",
    problem=sharded_gaussian_posterior,
    problem_params={"dim": 2, "n_shards": 2, "n_per_shard": 50, "shard_separation": 3.0},
    grid={"local_steps": [10, 100]},
    method=fsgld,
    method_params=RUN,
    measured="W2(Gaussian fit of the samples, posterior)",
    claimed=0,
    test=Comparison(statistic=final_w2, other_method=dsgld, other_params=RUN, label="FSGLD", other_label="DSGLD"),
    seeds=8,
)

CLAIMS = [
    DELAY_FREE, BEATS_DSGLD,
    control(DELAY_FREE, suffix="dsgld-delay-free",
            why="DSGLD is asymptotically unbiased for any communication delay: its W2 grows with K (9e-3 at K = 10, "
                "0.31 at K = 100, against the 3e-3 Monte Carlo floor at K = 1).",
            method=dsgld),
    control(BEATS_DSGLD, suffix="reversed",
            why="The reversed comparison: DSGLD closer to the posterior than FSGLD.",
            test=Comparison(statistic=final_w2, other_method=dsgld, other_params=RUN, direction="greater",
                            label="FSGLD", other_label="DSGLD")),
]
