"""Scenario 3, flood: junk at 10× the legitimate rate while real phones send their SOS.

    python -m bench.flood --db sqlite
    python -m bench.flood --db postgres --rates 5,20 --factor 10 --repeat 3

Real phones arrive at each rate (Poisson), each on a network of its own, and retry like the
PWA (same key every 3 s) until accepted. Junk arrives at factor × that rate from --junk-networks
/24 networks, cycling through: a body that is not JSON, JSON with invalid fields, a reused key
with a different body, a reused key with the same body, and a made-up SOS with a new key (the
kind no server can tell from a real one). The rate limits are the production defaults.
"""

import argparse
import asyncio
import itertools
import json
import random
import time

from . import loadgen
from .report import cell, save, spread, table
from .stack import DEFAULT_SERVER, Database, Server, Worker

JUNK_KINDS = ("not-json", "invalid", "reused-key-other-body", "reused-key-same-body", "fake-sos")


async def junk(port: int, rate: float, seconds: float, networks: int, seed: int, base: int) -> dict:
    """Send junk at `rate` per second for `seconds`; count the answers by kind and status."""
    rng = random.Random(seed)  # noqa: S311 - seeded load, not secrets
    counts: dict[str, dict[str, int]] = {k: {} for k in JUNK_KINDS}
    reused = loadgen.new_key("junk")
    reused_body = loadgen.sos_body(rng)
    kinds = itertools.cycle(JUNK_KINDS)
    pending = []
    # The reused key first opens a case with this body: later repeats are retries (200) or,
    # with another body, conflicts (409).
    conn = loadgen.Conn(port)
    await conn.request("POST", "/api/v1/cases", reused_body, {"Idempotency-Key": reused})
    conn.close()

    async def one(kind: str, source: str) -> None:
        if kind == "not-json":
            body, key = b"{not json", loadgen.new_key("junk")
        elif kind == "invalid":
            body, key = json.dumps({"kind": "party", "location": {"lat": 999}}).encode(), reused
        elif kind == "reused-key-other-body":
            body, key = loadgen.sos_body(rng), reused
        elif kind == "reused-key-same-body":
            body, key = reused_body, reused
        else:
            body, key = loadgen.sos_body(rng), loadgen.new_key("junk")
        conn = loadgen.Conn(port, source)
        try:
            status, _ = await asyncio.wait_for(
                conn.request("POST", "/api/v1/cases", body, {"Idempotency-Key": key}), 15
            )
            status = str(status)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            status = "error"
        finally:
            conn.close()
        counts[kind][status] = counts[kind].get(status, 0) + 1

    t0 = time.monotonic()
    next_at = t0
    while (next_at := next_at + rng.expovariate(rate)) < t0 + seconds:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        source = f"127.{base}.{rng.randrange(networks)}.{rng.randrange(1, 255)}"
        pending.append(asyncio.create_task(one(next(kinds), source)))
    await asyncio.gather(*pending)
    return counts


async def flood(port, rate, factor, seconds, networks, seed, base):
    legit, junk_counts = await asyncio.gather(
        loadgen.open_loop(port, rate, seconds, seed=seed, networks=True),
        junk(port, rate * factor, seconds, networks, seed + 1, base),
    )
    return legit, junk_counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--server", choices=["gunicorn", "granian", "uvicorn"], default=DEFAULT_SERVER
    )
    parser.add_argument("--rates", default="5,20", help="legitimate SOS per second")
    parser.add_argument("--factor", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--junk-networks", type=int, default=20)
    parser.add_argument("--limit", default="120", help="HABEAS_RATE_SOS_PER_NETWORK (default)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]

    db = Database(args.db).create()
    runs = []
    try:
        env = {"HABEAS_RATE_SOS_PER_NETWORK": args.limit}
        srv = Server(args.server, db, **env).wait_ready()
        worker = Worker(db, **env)
        try:
            for r in range(args.repeat):
                for rate in rates:
                    legit, junk_counts = loadgen.run(
                        # Junk comes from fresh networks each run (127.<base>.x.y), so that
                        # one run's spent rate-limit windows do not shield the next.
                        flood(
                            srv.port,
                            rate,
                            args.factor,
                            args.seconds,
                            args.junk_networks,
                            seed=r * 1000 + int(rate),
                            base=200 + len(runs),
                        )
                    )
                    s = legit.summary()
                    sent = len(legit.keys) + len(legit.gave_up)
                    row = {
                        "repeat": r,
                        "rate": rate,
                        "legit_sent": sent,
                        "legit_accepted": len(legit.keys),
                        "accepted_share": len(legit.keys) / sent if sent else None,
                        "legit_statuses": s["statuses"],
                        "legit_errors": s["errors"],
                        "accept_p50_ms": s["p50_ms"],
                        "accept_p95_ms": s["p95_ms"],
                        "accept_p99_ms": s["p99_ms"],
                        "accept_max_ms": s["max_ms"],
                        "junk": junk_counts,
                    }
                    runs.append(row)
                    print(
                        f"  r{r} {rate:g}/s legit + {rate * args.factor:g}/s junk: "
                        f"{row['legit_accepted']}/{sent} accepted, p99 "
                        f"{row['accept_p99_ms'] or 0:.0f} ms, legit answers {s['statuses']} "
                        f"errors={s['errors']}; junk {junk_counts}",
                        flush=True,
                    )
        finally:
            worker.stop()
            srv.stop()
    finally:
        db.drop()

    rows, summary = [], []
    for rate in rates:
        these = [x for x in runs if x["rate"] == rate]
        share = spread([x["accepted_share"] * 100 for x in these])
        limited = sum(x["legit_statuses"].get("429", 0) for x in these)
        sp = {
            k: spread([x[k] for x in these])
            for k in ("accept_p50_ms", "accept_p99_ms", "accept_max_ms")
        }
        junk_total: dict[str, int] = {}
        for x in these:
            for kind in x["junk"].values():
                for status, n in kind.items():
                    junk_total[status] = junk_total.get(status, 0) + n
        rows.append(
            [
                f"{rate:g} + {rate * args.factor:g} junk",
                cell(share, 1),
                limited,
                cell(sp["accept_p50_ms"]),
                cell(sp["accept_p99_ms"]),
                cell(sp["accept_max_ms"]),
                junk_total,
            ]
        )
        summary.append(
            {
                "rate": rate,
                "accepted_pct": share,
                "legit_429s": limited,
                **sp,
                "junk_statuses": junk_total,
            }
        )
    print(
        f"\nFlood, {args.server} on {args.db}, limit {args.limit}/min per network: "
        f"median (min–max) of {args.repeat} runs of {args.seconds:g} s\n"
    )
    print(
        table(
            [
                "SOS/s",
                "accepted %",
                "legit 429s",
                "to accept p50 ms",
                "p99 ms",
                "max ms",
                "junk answers",
            ],
            rows,
        )
    )
    print(f"\n{save(f'flood-{args.db}', {'args': vars(args), 'runs': runs, 'summary': summary})}")


if __name__ == "__main__":
    main()
