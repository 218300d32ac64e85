r"""A claim's bound against the exact worst case over its function class (PEP, via PEPit).

For each horizon :math:`N` of the claim's :class:`~theory.claim.WorstCase`, the ratio
:math:`r_N = \mathrm{PEP}_N / \mathrm{claimed}(N)` of the worst case to the claimed value:

* any solve not ``optimal`` (or with a primal-dual gap above ``rtol``): ``inconclusive``,
  naming the status, since an inaccurate SDP value certifies nothing;
* :math:`\max_N r_N > 1 + \mathrm{rtol}`: ``violated``; the function class holds an
  instance on which the bound fails, and PEPit's worst-case Gram matrix describes it
  (its rank is the dimension it lives in);
* otherwise ``consistent``: the bound holds for every function of the class at these
  horizons, and it is *tight* when :math:`\max_N r_N \ge 1 - \mathrm{rtol}`.
"""
from __future__ import annotations

import math

from theory.claim import Claim, WorstCase, parse_expression
from verifiers.expressions import value
from verifiers.verdict import Verdict


def certify(claim: Claim, *, quick: bool = False) -> Verdict:
    """The verdict of the claim's worst-case certificate; its evidence is what the report shows."""
    spec: WorstCase = claim.worst_case
    expr = parse_expression(claim.id, "worst_case.claimed", claim.claimed if spec.claimed is None else spec.claimed)
    horizons = [int(n) for n in spec.horizons]
    if quick:  # the two shortest horizons: the SDP grows with N
        horizons = horizons[:2]
    rows, failed, worst = [], [], None
    for n in horizons:
        result = spec.pep(n_iter=n, **spec.params)
        claimed = value(expr, {**spec.constants, "t": float(n)}, claim_id=claim.id, field_name="worst_case.claimed")
        ratio = result.value / claimed if claimed > 0 else math.inf
        rows.append({"N": n, "pep": result.value, "claimed": claimed, "ratio": ratio, "status": result.status,
                     "gap": result.gap, "gram_rank": result.instance.get("gram_rank")})
        if result.status != "optimal" or not math.isfinite(result.value) or result.gap > spec.rtol:
            failed.append(f"N = {n}: {result.solver} status {result.status}, primal-dual gap {result.gap:.2g}")
        elif worst is None or ratio > worst["ratio"]:
            worst = rows[-1]
    what = spec.measured or claim.measured
    evidence = {"worst_case": rows, "worst_case_measure": what, "worst_case_class": _class_of(spec)}
    if failed:
        return Verdict("inconclusive", "PEP worst case not certified: " + "; ".join(failed), evidence=evidence)
    tight = worst["ratio"] >= 1 - spec.rtol
    summary = (f"PEP worst case over the class ({what}) at N = {worst['N']}: {worst['pep']:.6g} against claimed "
               f"{worst['claimed']:.6g} (ratio {worst['ratio']:.6f}, max over N in {horizons})")
    if worst["ratio"] > 1 + spec.rtol:
        return Verdict("violated", f"{summary}: the bound fails on PEPit's worst-case instance (Gram rank "
                                   f"{worst['gram_rank']}, i.e. a function in {worst['gram_rank']} dimensions)",
                       estimate=worst["ratio"], claimed_value=1.0, evidence=evidence)
    return Verdict("consistent", f"{summary}: holds for the whole class{', tight' if tight else ', not tight'}",
                   estimate=worst["ratio"], claimed_value=1.0, evidence=evidence)


def _class_of(spec: WorstCase) -> str:
    params = ", ".join(f"{k}={v:g}" if isinstance(v, (int, float)) else f"{k}={v}" for k, v in spec.params.items())
    return f"{getattr(spec.pep, '__name__', 'pep')}({params})"
