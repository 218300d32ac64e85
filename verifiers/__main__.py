r"""``python -m verifiers [TARGET ...] [--quick] [--out DIR] [--workers N] [--seed S] [-k SUBSTRING]
[--no-cache | --from-cache] [--scheduler local|tcp://HOST:PORT] [--backend numba|numpy|cupy]``

A TARGET is a claim id, a folder or a ``.py`` claim file (default: the whole catalogue
in ``theory/claims``). Prints a progress line per claim and a verdict table, and writes
``index.html``, one PNG per claim and ``results.json`` under ``--out``. Records are cached
under ``.cache/results`` by a content hash of the claim and the code it runs
(``verifiers.cache``): a rerun recomputes only what changed. ``--no-cache`` neither reads
nor writes the cache; ``--from-cache`` runs nothing and rebuilds the report from it.
``--scheduler`` runs the claims on a Dask distributed cluster (the optional
``distributed`` extra); the records are the same as a local run's, bit for bit.
``--backend cupy`` runs the methods that have an array-API twin on the GPU (the optional
``gpu`` extra; :mod:`problems.backend`), ``--backend numpy`` runs those twins on NumPy; the
other methods run their Numba kernels as by default. Without CuPy or a GPU, ``--backend
cupy`` stops with a one-line error before running anything.

Exit status: 0 when every verdict equals its claim's expected verdict; 1 when one does
not; 2 when a claim file could not be loaded (the others still run) or nothing matched.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from problems.backend import BACKENDS, BackendUnavailable, namespace
from verifiers.cache import DEFAULT, ResultCache
from verifiers.catalog import discover
from verifiers.pool import run_all
from verifiers.run import effective, error_record
from verifiers.report import write_report

_PACKAGES = ("numpy", "scipy", "numba", "sympy", "matplotlib", "cvxpy", "clarabel", "hypothesis", "pepit",
             "array-api-compat", "cupy-cuda12x")


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            if name != "cupy-cuda12x":  # optional: listed only where installed
                found[name] = None
    return found


def _number(x) -> str:
    return "—" if x is None else f"{x:.4g}"


def table(records: list[dict]) -> str:
    """The verdict table: claim, paper, kind, verdict, expected, estimate against claimed, seconds."""
    header = ("claim", "paper", "kind", "verdict", "expected", "estimate [CI] vs claimed", "s")
    rows = []
    for r in records:
        ci = f" [{_number(r['ci'][0])}, {_number(r['ci'][1])}]" if r.get("ci") else ""
        estimate = f"{_number(r['estimate'])}{ci} vs {_number(r.get('claimed_value'))}" \
            if r["estimate"] is not None else "—"
        paper = r.get("paper", "")
        flag = "" if r["status"] == r["expected"] else " !!"
        rows.append((r["id"], paper, r["kind"], r["status"] + flag, r["expected"], estimate, f"{r['seconds']:.1f}"))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m verifiers", description=__doc__.split("\n\n")[1])
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="claim id, folder or .py claim file")
    parser.add_argument("--quick", action="store_true", help="run each claim on its quick grid")
    parser.add_argument("--out", default="reports", help="report folder (default: reports)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="worker processes (default: cores)")
    parser.add_argument("--seed", type=int, default=0, help="root seed (default: 0)")
    parser.add_argument("-k", dest="keyword", default="", help="only claims whose id or title contains this")
    cached = parser.add_mutually_exclusive_group()
    cached.add_argument("--no-cache", action="store_true", help="run every claim; neither read nor write the cache")
    cached.add_argument("--from-cache", action="store_true", help="run nothing: rebuild the report from the cache")
    parser.add_argument("--cache-dir", default=str(DEFAULT), help=argparse.SUPPRESS)
    parser.add_argument("--replay", default=None, metavar="JSON",
                        help="run one drawn instance of a claim's worst-case search, e.g. a counterexample "
                             "the report printed: python -m verifiers CLAIM_ID --replay '{\"dim\": 2, \"seed\": 0}'")
    parser.add_argument("--drop", default=None, metavar="ASSUMPTION",
                        help="with --replay: replay a counterexample of an ablation (found with ASSUMPTION dropped)")
    parser.add_argument("--ablate", default=None, metavar="CLAIM",
                        help="drop each assumption of CLAIM (an id) in turn, search for a counterexample among "
                             "instances that keep the others, and print which assumptions are needed")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on a Dask distributed cluster: 'local' (a LocalCluster of --workers processes) "
                             "or tcp://HOST:PORT (needs pip install '.[distributed]')")
    parser.add_argument("--backend", default="numba", choices=BACKENDS,
                        help="array back end of the methods that have an array-API twin (default: numba, the "
                             "jitted kernels on the CPU; cupy: the GPU, needs pip install '.[gpu]')")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    if args.seed < 0:
        parser.error(f"--seed must be a non-negative integer, got {args.seed}")
    return args


def replay(entries, text: str, dropped=None) -> int:
    """Run one drawn instance of the (single) selected claim's search and print its verdict."""
    import json

    from verifiers.search import ablated, evaluate

    if len(entries) != 1 or entries[0].claim.search is None:
        print("error: --replay needs exactly one claim that has a search", file=sys.stderr)
        return 2
    claim = entries[0].claim
    if dropped is not None and dropped not in claim.assumptions:
        print(f"error: --drop {dropped!r}: claim {claim.id!r} assumes {list(claim.assumptions)}", file=sys.stderr)
        return 2
    try:
        params = json.loads(text)
        if not isinstance(params, dict) or "seed" not in params:
            raise ValueError("a JSON object with a 'seed'")
    except ValueError as exc:
        print(f"error: --replay {text!r}: expected {exc if 'seed' in str(exc) else 'a JSON object'}", file=sys.stderr)
        return 2
    verdict = evaluate(ablated(claim, dropped) if dropped else claim, params, dropped=dropped)
    if verdict is None:
        print(f"{claim.id}: {params}: the instance breaks the claim's assumptions")
        return 1
    broke = "" if dropped is None else \
        f" (the instance {'breaks' if verdict.evidence.get('breaks_dropped') else 'keeps'} {dropped!r})"
    print(f"{claim.id}: {params}: {verdict.status}{broke}: {verdict.reason}")
    return 0 if verdict.status == "consistent" else 1


def ablation_table(rows: list[dict]) -> str:
    """The ablation as text: assumption, finding, draws that broke it, counterexample."""
    header = ("assumption", "without it", "draws", "broke it", "ratio", "counterexample")
    body = [(r["assumption"], r["status"], str(r["evaluated"]), str(r["breaks"]),
             "" if r["ratio"] is None else _number(r["ratio"]),
             "" if r["counterexample"] is None else str(r["counterexample"])) for r in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ablate(claim_id: str, quick: bool, root_seed: int) -> int:
    """``--ablate CLAIM``: the claim's assumptions dropped one at a time (all of them)."""
    from verifiers.search import ablate as run_ablation

    entries, errors = discover([claim_id])
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    if len(entries) != 1 or entries[0].claim.search is None or not entries[0].claim.assumptions:
        print(f"error: --ablate {claim_id!r}: name one claim (by id) that has a search and assumptions",
              file=sys.stderr)
        return 2
    claim = entries[0].claim
    print(f"{claim.id}: dropping each of {list(claim.assumptions)} in turn", file=sys.stderr, flush=True)
    rows = run_ablation(effective(claim, quick), list(claim.assumptions), quick=quick, root_seed=root_seed)
    print(ablation_table(rows))
    for row in rows:
        if row["replay"]:
            print(f"replay ({row['assumption']}): {row['replay']}")
    return 0


def main(argv=None) -> int:
    args = parse(argv)
    if args.backend != "numba":
        try:
            namespace(args.backend)
        except BackendUnavailable as exc:
            print(f"error: --backend {args.backend}: {exc}", file=sys.stderr)
            return 2
    if args.ablate is not None:
        return ablate(args.ablate, args.quick, args.seed)
    entries, errors = discover(args.targets, args.keyword)
    if args.replay is not None:
        for message in errors:
            print(f"error: {message}", file=sys.stderr)
        return replay(entries, args.replay, args.drop)
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    if not entries:
        print("error: no claim to run", file=sys.stderr)
        return 2
    profile = "quick" if args.quick else "full"
    doing = "reading from the cache" if args.from_cache else f"running, {args.workers} workers"
    on = "" if args.backend == "numba" else f"; array back end {args.backend}"
    print(f"{len(entries)} claims ({profile} grids, seed {args.seed}{on}; {doing})", file=sys.stderr, flush=True)
    cache = None if args.no_cache else ResultCache(Path(args.cache_dir))
    if args.from_cache:
        records, interrupted = [], False
        for entry in entries:
            record = cache.load(entry, quick=args.quick, root_seed=args.seed, backend=args.backend)
            if record is None:
                print(f"error: {entry.claim.id}: not in the result cache for this code, seed and profile",
                      file=sys.stderr)
            records.append({**record, "cached": True} if record is not None else
                           {**error_record(entry.claim, "not in the result cache for this code, seed and profile: "
                                                        "run it without --from-cache", root_seed=args.seed),
                            "source": str(entry.source)})
    else:
        records, interrupted = run_all(entries, quick=args.quick, root_seed=args.seed, workers=args.workers,
                                       cache=cache, scheduler=args.scheduler, backend=args.backend)
    print(table(records))
    meta = {"command": " ".join(["python -m verifiers", *(argv if argv is not None else sys.argv[1:])]),
            "root_seed": args.seed, "profile": profile, "backend": args.backend, "date": dt.datetime.now(dt.timezone.utc).isoformat(
                timespec="seconds"), "load_errors": errors, "interrupted": interrupted}
    index = write_report(records, Path(args.out), versions=versions(), meta=meta)
    matched = sum(r["status"] == r["expected"] for r in records)
    print(f"\n{matched} of {len(records)} claims gave their expected verdict; report: {index}")
    if errors:
        return 2
    return 0 if matched == len(records) == len(entries) and not interrupted else 1


if __name__ == "__main__":
    sys.exit(main())
