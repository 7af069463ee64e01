"""Scenario 2, time to lawyer: SOS acknowledged → the first offer handed to the SMS gateway.

    python -m bench.time_to_lawyer --db sqlite
    python -m bench.time_to_lawyer --db postgres --rates 2,10,30 --surge 100 --repeat 3

Lawyers are on duty (bench.setup_lawyers; SMS is their only channel) and the SMS gateway is
the tests' fake provider on loopback, which stamps each message as it arrives. Phones arrive at
each steady rate (Poisson) for --seconds, then a surge of --surge clients posts as fast as it
is answered for --surge-seconds. The clock starts when the phone gets its 201 (the case is
committed) and stops when the gateway receives the offer's SMS; both clocks are this machine's.
Between runs, pending offers are cancelled so every run starts with every lawyer free.
"""

import argparse
import re
import subprocess
import sys
import threading
import time

from habeas.notifications.tests.fakes import FakeProvider

from . import loadgen
from .report import cell, save, spread, table
from .stack import DEFAULT_SERVER, ROOT, Database, Server, Worker

OFFER_LINK = re.compile(r"/offers/(\d+)/")


class StampedGateway(FakeProvider):
    """The fake SMS gateway, noting when each message arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: dict[int, float] = {}  # offer id → arrival time
        self.stamp_lock = threading.Lock()

    def handle(self, handler, body: dict) -> None:
        now = time.time()
        if match := OFFER_LINK.search(body.get("text", "")):
            with self.stamp_lock:
                self.stamps.setdefault(int(match.group(1)), now)
        super().handle(handler, body)


def first_offers(db: Database, case_ids: list[str]) -> dict[str, int]:
    """Case public id → id of its first offer, for the cases this run opened."""
    rows = db.sql(
        "SELECT c.public_id, o.id FROM dispatch_offer o JOIN cases_case c ON c.id = o.case_id "
        "WHERE o.attempt = 1"
    )
    wanted = set(case_ids)
    return {public_id: offer for public_id, offer in rows if public_id in wanted}


def one_run(db, srv, gateway, label: str, load, wait_s: float) -> dict:
    result = loadgen.run(load)
    acked = result.acked_at
    # Wait for the worker to offer each case and the gateway to receive each offer.
    deadline = time.monotonic() + wait_s
    while True:
        offers = first_offers(db, list(acked))
        delivered = [o for o in offers.values() if o in gateway.stamps]
        settled = len(offers) == len(acked) and len(delivered) == len(offers)
        if settled or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    waits = [
        (gateway.stamps[offer] - acked[case]) * 1000
        for case, offer in offers.items()
        if offer in gateway.stamps
    ]
    row = {
        "load": label,
        "cases": len(acked),
        "offered": len(offers),
        "sms_received": len(waits),
        "p50_ms": loadgen.percentile(waits, 50),
        "p95_ms": loadgen.percentile(waits, 95),
        "p99_ms": loadgen.percentile(waits, 99),
        "max_ms": max(waits, default=None),
        "sos_p99_ms": result.summary()["p99_ms"],
    }
    print(
        f"  {label:>14}: {row['cases']} cases, {row['sms_received']} SMS; "
        f"p50 {row['p50_ms'] or 0:.0f} ms p99 {row['p99_ms'] or 0:.0f} ms "
        f"max {row['max_ms'] or 0:.0f} ms",
        flush=True,
    )
    # Free every lawyer for the next run.
    db.execute("UPDATE dispatch_offer SET state = 'cancelled' WHERE state = 'pending'")
    return row


def setup_lawyers(db: Database, count: int) -> None:
    subprocess.run(  # noqa: S603 - our own fixed commands
        [sys.executable, "-m", "bench.setup_lawyers", "--count", str(count)],
        cwd=ROOT,
        env=db.env(),
        check=True,
        timeout=300,
    )


def measure(args) -> dict:
    db = Database(args.db).create()
    gateway = StampedGateway().start()
    runs = []
    try:
        setup_lawyers(db, args.lawyers)
        env = {"HABEAS_SMS_URL": gateway.url + "/send"}
        srv = Server(args.server, db, **env).wait_ready()
        workers = [Worker(db, args.interval, i, **env) for i in range(args.workers)]
        try:
            for r in range(args.repeat):
                for rate in args.rates:
                    load = loadgen.open_loop(srv.port, rate, args.seconds, seed=r * 100 + rate)
                    row = one_run(db, srv, gateway, f"{rate:g} SOS/s", load, args.wait)
                    runs.append({"repeat": r, **row})
                if args.surge:
                    load = loadgen.closed_loop(
                        srv.port,
                        "/api/v1/cases",
                        args.surge,
                        args.surge_seconds,
                        warmup=0,
                        seed=r,
                        record=True,
                    )
                    row = one_run(db, srv, gateway, f"surge {args.surge}", load, args.wait)
                    runs.append({"repeat": r, **row})
        finally:
            for w in workers:
                w.stop()
            srv.stop()
    finally:
        gateway.stop()
        db.drop()
    return {
        "db": args.db,
        "server": args.server,
        "interval": args.interval,
        "workers": args.workers,
        "lawyers": args.lawyers,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--server", choices=["gunicorn", "granian", "uvicorn"], default=DEFAULT_SERVER
    )
    parser.add_argument("--rates", default="2,10,30", help="steady arrival rates, SOS per second")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--surge", type=int, default=100, help="surge clients (0: none)")
    parser.add_argument("--surge-seconds", type=float, default=3)
    parser.add_argument("--lawyers", type=int, default=300)
    parser.add_argument("--interval", type=float, default=0.2, help="db_worker --interval")
    parser.add_argument("--workers", type=int, default=1, help="db_worker processes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--wait", type=float, default=120, help="most seconds to wait for SMS")
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",") if r]
    data = measure(args)
    rows, summary = [], []
    for label in dict.fromkeys(r["load"] for r in data["runs"]):
        these = [r for r in data["runs"] if r["load"] == label]
        s = {k: spread([r[k] for r in these]) for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")}
        cases = sum(r["cases"] for r in these)
        sms = sum(r["sms_received"] for r in these)
        rows.append(
            [
                label,
                f"{sms}/{cases}",
                cell(s["p50_ms"]),
                cell(s["p95_ms"]),
                cell(s["p99_ms"]),
                cell(s["max_ms"]),
            ]
        )
        summary.append({"load": label, "cases": cases, "sms": sms, **s})
    data["summary"] = summary
    print(
        f"\nTime to lawyer, {args.server} on {args.db}, {args.workers} worker(s) at "
        f"--interval {args.interval:g}: median (min–max) of {args.repeat} runs\n"
    )
    print(table(["load", "SMS / cases", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    print(f"\n{save(f'time-to-lawyer-{args.db}', data)}")


if __name__ == "__main__":
    main()
