"""Scenario 1, surge: N clients post SOS with new idempotency keys as fast as they are answered.

    python -m bench.surge --db sqlite --server granian
    python -m bench.surge --db postgres --server gunicorn --clients 10,100,500 --repeat 3

In each repeat the three targets run back to back at each client count, in turn, against the
same server: a no-op view (the framework's ceiling), a view that inserts one row in one
transaction (the ceiling for one durable write), and POST /api/v1/cases (the SOS). The worker
runs beside it, as in production. Dispatch tasks the worker has not reached when an SOS run
ends are counted and then cleared, so that they do not slow the next run down (scenario 2
measures dispatch).
"""

import argparse
import time

from . import loadgen
from .report import cell, save, spread, table
from .stack import DEFAULT_SERVER, Database, Server, Worker

# Each target runs with the worker stopped (the request path alone, as the baselines have no
# work for it), and the SOS once more with the worker running as in production.
TARGETS = {
    "noop": "/api/bench/noop",
    "insert": "/api/bench/insert",
    "sos": "/api/v1/cases",
    "sos+worker": "/api/v1/cases",
}
TASKS = "django_tasks_database_dbtaskresult"


def backlog(db: Database) -> int:
    return db.sql(f"SELECT count(*) FROM {TASKS} WHERE status = 'READY'")[0][0]  # noqa: S608


def clear_backlog(db: Database) -> None:
    db.execute(f"DELETE FROM {TASKS} WHERE status = 'READY'")  # noqa: S608


def measure(db_kind: str, server: str, clients: list[int], repeat: int, seconds: float) -> dict:
    db = Database(db_kind).create()
    runs: list[dict] = []

    def one(r: int, n: int, target: str) -> None:
        res = loadgen.run(loadgen.closed_loop(srv.port, TARGETS[target], n, seconds, seed=r))
        row = {"repeat": r, "clients": n, "target": target, **res.summary()}
        if target.startswith("sos"):
            # Dispatch work left undone would slow the next run: count it, then drop it.
            row["dispatch_backlog"] = backlog(db)
            clear_backlog(db)
        runs.append(row)
        print(
            f"  {server}/{db_kind} r{r} {n:>3} clients {target:>10}: "
            f"{row['rps']:7.0f} req/s  p99 {row['p99_ms'] or 0:7.1f} ms  "
            f"{row['statuses']} errors={row['errors']} late={row['late']}",
            flush=True,
        )
        time.sleep(0.5)

    try:
        srv = Server(server, db).wait_ready()
        try:
            for r in range(repeat):
                for n in clients:
                    for target in ("noop", "insert", "sos"):
                        one(r, n, target)
                worker = Worker(db)
                try:
                    time.sleep(2)  # let it start
                    for n in clients:
                        one(r, n, "sos+worker")
                finally:
                    worker.stop()
        finally:
            srv.stop()
    finally:
        db.drop()
    return {"db": db_kind, "server": server, "seconds": seconds, "runs": runs}


def summarise(data: dict, clients: list[int]) -> tuple[str, list[dict]]:
    rows, out = [], []
    for n in clients:
        by = {
            t: [r for r in data["runs"] if r["clients"] == n and r["target"] == t] for t in TARGETS
        }
        ratios = {
            t: [
                s["rps"] / i["rps"] if i["rps"] else None
                for s, i in zip(by[t], by["insert"], strict=True)
            ]
            for t in ("sos", "sos+worker")
        }
        for t in TARGETS:
            rps = spread([r["rps"] for r in by[t]])
            p50 = spread([r["p50_ms"] for r in by[t]])
            p95 = spread([r["p95_ms"] for r in by[t]])
            p99 = spread([r["p99_ms"] for r in by[t]])
            bad = sum(sum(v for k, v in r["statuses"].items() if k[0] != "2") for r in by[t])
            bad += sum(r["errors"] for r in by[t])
            late = sum(r["late"] for r in by[t])
            ratio = spread(ratios[t]) if t in ratios else None
            rows.append(
                [n, t, cell(rps), cell(p50, 1), cell(p95, 1), cell(p99, 1), bad,
                 cell(ratio, 2) if ratio else ""]
            )  # fmt: skip
            out.append(
                {
                    "clients": n,
                    "target": t,
                    "rps": rps,
                    "p50": p50,
                    "p95": p95,
                    "p99": p99,
                    "failed": bad,
                    "late": late,
                    "over_insert": ratio,
                }
            )
    cols = ["clients", "target", "req/s", "p50 ms", "p95 ms", "p99 ms", "failed",
            "÷ insert req/s"]  # fmt: skip
    return table(cols, rows), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--server", choices=["gunicorn", "granian", "uvicorn"], default=DEFAULT_SERVER
    )
    parser.add_argument("--clients", default="10,100,500")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    data = measure(args.db, args.server, clients, args.repeat, args.seconds)
    text, summary = summarise(data, clients)
    data["summary"] = summary
    print(
        f"\nSurge, {args.server} on {args.db}: median (min–max) of {args.repeat} runs "
        f"of {args.seconds:g} s\n"
    )
    print(text)
    print(f"\n{save(f'surge-{args.db}-{args.server}', data)}")


if __name__ == "__main__":
    main()
