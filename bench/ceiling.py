"""Scenario 11, the middleware ceiling: what a request costs before the SOS does anything.

    python -m bench.ceiling --db postgres --repeat 3 --seconds 10

wrk (Debian's `wrk`) posts as fast as it is answered, 100 connections, to granian as deployed
(2 workers × 4 threads), in turn and three times over (interleaved, so a slow minute of the
machine hits every target alike):

- bare Django: the no-op view with no middleware at all (bench/benchsite/bare_settings.py);
- the no-op under /api/: Habeas's middleware as the JSON API runs it;
- the no-op under a page's path: every middleware, as the console and the PWA's pages run it
  (and as every API request did before console/pages_only.py);
- one row inserted under /api/: the API's middleware and one durable write.
"""

import argparse
import re
import subprocess
import tempfile
import time
from pathlib import Path

from .report import cell, save, spread, table
from .stack import Database, Server

POST = 'wrk.method = "POST"\nwrk.body = "{}"\nwrk.headers["Content-Type"] = "application/json"\n'
TARGETS = {
    "bare Django no-op": ("bare", "/api/bench/noop"),
    "Habeas no-op, API": ("habeas", "/api/bench/noop"),
    "Habeas no-op, page": ("habeas", "/bench/noop"),
    "Habeas one-row insert, API": ("habeas", "/api/bench/insert"),
}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(base: str, path: str, seconds: float, script: Path) -> dict:
    out = subprocess.run(  # noqa: S603 - our own fixed command
        ["wrk", "-t2", "-c100", f"-d{seconds:g}s", "--latency", "-s", str(script), base + path],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)] if p99 else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    db = Database(args.db).create()
    script = Path(tempfile.mkdtemp()) / "post.lua"
    script.write_text(POST)
    servers = {
        "habeas": Server("granian", db).wait_ready(),
        "bare": Server(
            "granian", db, DJANGO_SETTINGS_MODULE="bench.benchsite.bare_settings"
        ).wait_ready(),
    }
    runs = []
    try:
        # Each target once unrecorded first: a worker's first requests import and compile.
        for server, path in TARGETS.values():
            wrk(servers[server].base, path, 2, script)
        for r in range(args.repeat):
            for name, (server, path) in TARGETS.items():
                row = {
                    "repeat": r,
                    "target": name,
                    **wrk(servers[server].base, path, args.seconds, script),
                }
                runs.append(row)
                print(
                    f"  r{r} {name:>28}: {row['rps']:7.0f} req/s  p99 {row['p99_ms']:.1f} ms"
                    f"  non-2xx {row['non_2xx']}",
                    flush=True,
                )
                time.sleep(1)
    finally:
        for s in servers.values():
            s.stop()
        db.drop()

    def of(name: str, key: str) -> list[float]:
        return [row[key] for row in runs if row["target"] == name]

    bare = spread(of("bare Django no-op", "rps"))["median"]
    api = spread(of("Habeas no-op, API", "rps"))["median"]
    rows = []
    for name in TARGETS:
        rps = spread(of(name, "rps"))
        rows.append(
            [
                name,
                cell(rps),
                cell(spread(of(name, "p99_ms")), 1),
                f"{rps['median'] / bare:.2f}×",
                f"{rps['median'] / api:.2f}×",
            ]
        )
    print(
        f"\nCeiling on {args.db}: granian 2 × 4 threads, wrk 100 connections, "
        f"{args.repeat} × {args.seconds:g} s interleaved; median (min–max)\n"
    )
    print(table(["target", "req/s", "p99 ms", "× bare", "× Habeas API no-op"], rows))
    print(f"\n{save('ceiling', {'args': vars(args), 'runs': runs})}")


if __name__ == "__main__":
    main()
