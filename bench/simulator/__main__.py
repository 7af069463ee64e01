"""python -m bench.simulator --pools 50,107,250,442 --seed 1 --json out.json"""

import argparse
import dataclasses
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from bench.simulator import simulate
from bench.simulator.params import Params, with_overrides
from bench.simulator.report import escalation_table, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulator", description=__doc__)
    parser.add_argument("--pools", default="50,107,250,442", help="lawyer pool sizes, commas")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the results here")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter of bench/simulator/params.py, e.g. --set capacity=6",
    )
    parser.add_argument("--jobs", type=int, default=2, help="pools run in parallel processes")
    args = parser.parse_args(argv)

    base = with_overrides(Params(seed=args.seed), args.set)
    runs = [dataclasses.replace(base, pool=int(p)) for p in args.pools.split(",")]
    started = time.monotonic()
    # One process per pool: the runs share nothing, and the output does not depend on the order.
    # "spawn": forking a process that already runs threads (Django, a test runner) may deadlock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=context) as pool:
        rows = [row for result in pool.map(simulate, runs) for row in result]
    print(table(rows))
    print()
    print(escalation_table(rows))
    print(f"\n{len(rows)} runs in {time.monotonic() - started:.0f} s, seed {args.seed}")
    if args.json:
        params = {k: v for k, v in dataclasses.asdict(base).items() if k != "pool"}
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"params": params, "rows": rows}, out, indent=2, ensure_ascii=False)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
