"""Scenario 4, crash: kill -9 the server, or the database, in the middle of a surge.

    python -m bench.crash --db sqlite                 # kill the server
    python -m bench.crash --db postgres               # kill the server
    python -m bench.crash --db postgres --kill database

Phones retry with the same idempotency key until they get an answer (as the PWA does), then
the acknowledged keys are compared with the database: an acknowledged SOS without its case is
lost; a key with two cases, or a case without a report, is a duplicate; a retry answered with
another case id than the first answer is a mismatch. All three must be 0.

The database kill (`pg_ctl stop -m immediate`, PostgreSQL's crash stop, no clean shutdown)
runs on a private PostgreSQL cluster started here for the purpose on its own port, so that the
shared one on 5432, with other people's test runs on it, is never touched.
"""

import argparse
import asyncio
import contextlib
import json
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from habeas.lib import smscodec
from habeas.lib.keyed import keyed_hash

from . import loadgen
from .report import save, table
from .stack import DEFAULT_SERVER, Database, Server, Worker, free_port

PG_BIN = (
    Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
    if Path("/usr/lib/postgresql").exists()
    else None
)


class PrivatePostgres:
    """A throwaway cluster owned by the postgres user, on a free port, fsync on (the default)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="habeas-pg-"))
        self.dir.chmod(0o777)
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/habeas_bench"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own fixed commands
            ["/usr/sbin/runuser", "-u", "postgres", "--", *args],
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )

    def init(self) -> "PrivatePostgres":
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )
        return self.start()

    def start(self) -> "PrivatePostgres":
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c max_connections=50 -k {self.dir}",
            "start",
        )
        return self

    def crash(self) -> None:
        """Stop the way a power cut would: no checkpoint, recovery from the WAL on start."""
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.crash()
        shutil.rmtree(self.dir, ignore_errors=True)


async def phones(port: int, count: int, concurrency: int, seed: int, give_up_s: float):
    """`count` phones, `concurrency` at a time, each retrying every 0.2 s until answered.

    Returns key → the case ids it was answered with (one per answered try).
    """
    rng = random.Random(seed)  # noqa: S311 - seeded load, not secrets
    answers: dict[str, list[str]] = {}
    queue: asyncio.Queue = asyncio.Queue()
    for _ in range(count):
        queue.put_nowait((loadgen.new_key("crash"), loadgen.sos_body(rng)))
    retries = 0
    failed: dict[str, int] = {}  # answers to the tries that failed, by status (None: no answer)
    deadline = time.monotonic() + give_up_s

    async def lane() -> None:
        nonlocal retries
        while not queue.empty():
            key, body = queue.get_nowait()
            while time.monotonic() < deadline:
                conn = loadgen.Conn(port)
                try:
                    status, data = await asyncio.wait_for(
                        conn.request("POST", "/api/v1/cases", body, {"Idempotency-Key": key}), 15
                    )
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    status, data = None, b""
                finally:
                    conn.close()
                if status in (200, 201):
                    answers.setdefault(key, []).append(json.loads(data)["case_id"])
                    # Ask once more with the same key: the answer must name the same case.
                    if len(answers[key]) == 1 and rng.random() < 0.1:
                        continue
                    break
                retries += 1
                failed[str(status)] = failed.get(str(status), 0) + 1
                await asyncio.sleep(0.2)

    began = time.monotonic()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return answers, {"retries": retries, "failed": failed, "took_s": time.monotonic() - began}


def audit(db: Database, answers: dict[str, list[str]]) -> dict:
    rows = db.sql(
        "SELECT r.idempotency_key, c.public_id FROM cases_report r "
        "JOIN cases_case c ON c.id = r.case_id"
    )
    # The database keeps a keyed hash of each key's public reference, as open_case stores it.
    secret = db.keys["SECRET_KEY"]
    phones = {
        keyed_hash("sos-reference", smscodec.reference(key), secret=secret): key for key in answers
    }
    in_db: dict[str, list[str]] = {}
    for stored, public_id in rows:
        if stored in phones:
            in_db.setdefault(phones[stored], []).append(public_id)
    cases = db.sql("SELECT count(*) FROM cases_case")[0][0]
    orphans = db.sql(
        "SELECT count(*) FROM cases_case c WHERE NOT EXISTS "
        "(SELECT 1 FROM cases_report r WHERE r.case_id = c.id)"
    )[0][0]
    events = db.sql("SELECT count(*) FROM cases_caseevent WHERE kind = 'reported'")[0][0]
    lost = [k for k in answers if k not in in_db]
    duplicated = sum(len(v) - 1 for v in in_db.values()) + orphans
    mismatched = [k for k, ids in answers.items() if k in in_db and set(ids) != {in_db[k][0]}]
    return {
        "acknowledged": len(answers),
        "cases_in_db": cases,
        "lost": len(lost),
        "duplicated": duplicated,
        "mismatched": len(mismatched),
        "unacknowledged_but_stored": len(set(in_db) - set(answers)),
        "reported_events": events,
    }


def one_run(args, seed: int) -> dict:
    pg = PrivatePostgres().init() if args.db == "postgres" else None
    db = Database(args.db, url=pg.url if pg else None).create()
    try:
        srv = Server(args.server, db).wait_ready()
        worker = Worker(db)
        port = srv.port
        killed_at = {}

        async def scenario():
            task = asyncio.create_task(phones(port, args.phones, args.clients, seed, args.give_up))
            await asyncio.sleep(args.kill_after)
            killed_at["t"] = time.monotonic()
            if args.kill == "server":
                await asyncio.to_thread(srv.kill)  # SIGKILL to the master and its workers
                await asyncio.sleep(args.down)
                restarted = Server(args.server, db, port=port)
                await asyncio.to_thread(restarted.wait_ready)
                killed_at["server"] = restarted
            else:
                await asyncio.to_thread(pg.crash)
                await asyncio.sleep(args.down)
                await asyncio.to_thread(pg.start)
            killed_at["back"] = time.monotonic() - killed_at["t"]
            return await task

        answers, tries = loadgen.run(scenario())
        # A worker whose database went away exits; production's supervisor restarts it.
        worker_exited = worker.popen.poll() is not None
        for p in (killed_at.get("server", srv), worker):
            p.stop()
        result = audit(db, answers)
        result.update(tries, down_s=round(killed_at["back"], 2), worker_exited=worker_exited)
        print(f"  {args.kill} killed on {args.db}: {result}", flush=True)
        return result
    finally:
        db.drop()
        if pg:
            pg.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--kill", choices=["server", "database"], default="server")
    parser.add_argument(
        "--server", choices=["gunicorn", "granian", "uvicorn"], default=DEFAULT_SERVER
    )
    parser.add_argument("--phones", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--kill-after", type=float, default=3.0, help="seconds into the surge")
    parser.add_argument("--down", type=float, default=1.0, help="seconds before restarting")
    parser.add_argument("--give-up", type=float, default=240.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.kill == "database" and args.db != "postgres":
        parser.error("--kill database is for PostgreSQL (SQLite lives in the server's process)")
    runs = [one_run(args, seed) for seed in range(args.repeat)]
    cols = [
        "run",
        "acknowledged",
        "cases in db",
        "lost",
        "duplicated",
        "mismatched",
        "retries",
        "down s",
    ]
    rows = [
        [
            i + 1,
            r["acknowledged"],
            r["cases_in_db"],
            r["lost"],
            r["duplicated"],
            r["mismatched"],
            r["retries"],
            r["down_s"],
        ]
        for i, r in enumerate(runs)
    ]
    print(
        f"\nCrash: kill -9 the {args.kill} on {args.db} ({args.server}), "
        f"{args.phones} phones, {args.clients} at a time\n"
    )
    print(table(cols, rows))
    print(f"\n{save(f'crash-{args.db}-{args.kill}', {'args': vars(args), 'runs': runs})}")


if __name__ == "__main__":
    main()
