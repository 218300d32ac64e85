"""``python -m benchmarks``: the speed of the kernels, each figure a ratio to a baseline measured in the same run.

Sections (one table each, then a summary of the issue's speed targets, pass or miss):

* kernels: each Numba kernel against its NumPy twin and, for least-squares GD, minibatch SGD,
  ULA and MALA, against a plain per-step Python/NumPy loop (``benchmarks/kernels.py``);
* throughput: SGD updates and Langevin chain-steps per second, from the same timings;
* roofline: least-squares GD with ``operator="design"`` against a STREAM-like triad
  (``benchmarks/roofline.py``);
* GPU: CuPy against the NumPy twin on GPU-sized instances, where CuPy sees a GPU
  (``benchmarks/gpu.py``);
* verify (``--verify``, ``--verify-quick``): the catalogue's wall time, cold and warm Numba
  cache, and the share spent compiling (``benchmarks/verify.py``).

Absolute seconds mean little on a shared, noisy machine; ratios measured side by side do.
The targets are checked here and printed, never asserted by the tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys

import numba
import numpy as np

from . import gpu, kernels, roofline, verify
from .report import as_json, missing, render, summary

SECTIONS = ("kernels", "roofline", "gpu", "verify")


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per figure, the best kept (default 3)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the iteration counts and the large instances (default 1; 0.05 is quick)")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help=f"run only this section (repeatable): one of {', '.join(SECTIONS)}")
    parser.add_argument("--verify", dest="verify", action="store_const", const="full", default=None,
                        help="also time the full `make verify`, cold and warm Numba cache (about 15 minutes)")
    parser.add_argument("--verify-quick", dest="verify", action="store_const", const="quick",
                        help="the same on the quick grids")
    parser.add_argument("--no-verify", dest="verify", action="store_const", const=None,
                        help="skip the verify section (the last of the three options wins)")
    parser.add_argument("--json", metavar="PATH", default=None, help="write every figure to this JSON file")
    parser.add_argument("--gpu-backend", default="cupy", help=argparse.SUPPRESS)  # tests: array_api_strict
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    if not args.scale > 0:
        parser.error(f"--scale must be positive, got {args.scale}")
    if args.only and "verify" in args.only and args.verify is None:
        parser.error("--only verify needs --verify or --verify-quick")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    chosen = set(args.only or SECTIONS)
    tables, targets = [], []

    def show(table):
        tables.append(table)
        print(render(table) + "\n", flush=True)

    if "kernels" in chosen:
        results = kernels.measure(args.scale, args.repeat)
        show(kernels.kernel_table(results))
        show(kernels.throughput_table(results))
    if "roofline" in chosen:
        table, found = roofline.section(args.scale, args.repeat)
        show(table)
        targets += found
    if "gpu" in chosen:
        table, found = gpu.section(args.scale, args.repeat, args.gpu_backend)
        if table is None:
            print(f"GPU section skipped: {found[0].why}\n", flush=True)
        else:
            show(table)
        targets += found
    if "verify" in chosen and args.verify is not None:
        table, found = verify.section(quick=args.verify == "quick")
        show(table)
        targets += found
    elif "verify" in chosen:
        targets.append(missing(verify.NAME, verify.GOAL, "not run (pass --verify)"))
    print(summary(targets), flush=True)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(as_json(tables, targets, _settings(args)), handle, indent=1, default=_plain)
    return 0


def _settings(args) -> dict:
    return {"argv": sys.argv[1:], "scale": args.scale, "repeat": args.repeat, "verify": args.verify,
            "gpu_backend": args.gpu_backend, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "machine": platform.processor() or platform.machine(),
            "python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__}


def _plain(value):
    """JSON for the NumPy scalars and arrays in the parameters."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


if __name__ == "__main__":
    raise SystemExit(main())
