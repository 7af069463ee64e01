"""Scenario 9, open statistics (issue 18): /stats/ over many cases in PostgreSQL.

    python -m bench.stats                   # 1,000,000 cases
    python -m bench.stats --cases 101000

The cases are scale.py's, bulk-inserted in SQL (two years of closed cases and a protest day's
open ones, their reports and events, 1,000 stations). Timed, in this process:
- the computation itself: every grouped query and the suppression (stats.compute and
  stats.publish.build), uncached, `--computations` times;
- the page (`GET /stats/`) and its JSON download, each through every middleware and view of the
  production settings (Django's test client, no sockets), with the cache warm: once with each
  cache a deployment may have (each process's own memory, the default; Redis, which
  docs/deploy.md recommends for several servers). A cache hit should cost the database nothing.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from .loadgen import percentile
from .report import save, spread, table
from .scale import build
from .stack import Database

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def timed(call, samples: int) -> list[float]:
    out = []
    for _ in range(samples):
        began = time.perf_counter()
        call()
        out.append((time.perf_counter() - began) * 1000)
    return out


def measure(samples: int, computations: int) -> dict:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from habeas.stats import compute, publish

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ru")
    results = {}
    if computations:
        with CaptureQueriesContext(connection) as queries:
            publish.build(compute.compute(), 5)
        results["computation"] = {
            "ms": timed(lambda: publish.build(compute.compute(), 5), computations),
            "selects": len(queries.captured_queries),
        }
    caches["default"].clear()

    def page(path):
        def get():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")

        return get

    for name, path in (("page", "/stats/"), ("json", "/stats/stats.json")):
        page(path)()  # the one computation; every request after it is a cache hit
        with CaptureQueriesContext(connection) as hit:
            page(path)()
        results[name] = {"ms": timed(page(path), samples), "selects": len(hit.captured_queries)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=None, help="of which open (default 1 %%)")
    parser.add_argument("--samples", type=int, default=500, help="cached requests per run")
    parser.add_argument("--computations", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    open_cases = args.open if args.open is not None else args.cases // 100

    db = Database("postgres").create()
    try:
        built = build(db, args.cases, open_cases)
        print(f"built {args.cases:,} cases ({open_cases:,} open) in {built:.0f} s", flush=True)
        db.manage("collectstatic", "--noinput", "-v", "0")
        rows = []
        runs = {}
        for cache_name, url in (("memory", "locmem://"), ("redis", REDIS_URL)):
            # One Django per cache: the settings are read once, at start-up. The computation
            # does not depend on the cache: timed in the first only.
            computations = args.computations if cache_name == "memory" else 0
            env = db.env(HABEAS_CACHE_URL=url)
            out = subprocess.run(  # noqa: S603 - our own fixed command
                [
                    sys.executable,
                    "-m",
                    "bench.stats",
                    "--one-run",
                    str(args.samples),
                    str(computations),
                    str(args.repeat),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=3600,
            )
            runs[cache_name] = eval_json(out.stdout)
        for cache_name, repeats in runs.items():
            for name in ("page", "json"):
                p50 = spread([statistics.median(r[name]["ms"]) for r in repeats])
                p99 = spread([percentile(r[name]["ms"], 99) for r in repeats])
                rows.append(
                    [
                        f"{name} ({cache_name} cache, warm)",
                        f"{p50['median']:.2f} ({p50['min']:.2f}–{p50['max']:.2f})",
                        f"{p99['median']:.2f} ({p99['min']:.2f}–{p99['max']:.2f})",
                        str(repeats[0][name]["selects"]),
                    ]
                )
        computed = [ms for r in runs["memory"] for ms in r["computation"]["ms"]]
        rows.append(
            [
                "the computation itself (uncached)",
                f"{statistics.median(computed):.0f} ({min(computed):.0f}–{max(computed):.0f})",
                "—",
                str(runs["memory"][0]["computation"]["selects"]),
            ]
        )
        print(
            f"\n/stats/ over {args.cases:,} cases on PostgreSQL; ms, median (min–max) of "
            f"{args.repeat} runs of {args.samples} requests (the computation: all "
            f"{args.repeat}×{args.computations} runs)\n"
        )
        print(table(["request", "p50", "p99", "SELECTs"], rows))
        print(f"\n{save('stats', {'args': vars(args), 'build_s': built, 'runs': runs})}")
    finally:
        if not args.keep:
            db.drop()


def eval_json(text: str):
    return json.loads(text.strip().splitlines()[-1])


def one_run(samples: int, computations: int, repeat: int) -> None:
    """In a child process set up for one cache: print each repeat's figures as JSON."""
    import django

    django.setup()
    print(json.dumps([measure(samples, computations) for _ in range(repeat)]))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one-run":
        one_run(*(int(a) for a in sys.argv[2:]))
    else:
        main()
