"""Scenario 5, scale: the console's requests over many cases in PostgreSQL.

    python -m bench.scale                              # 1,000,000 cases, 10,000 open
    python -m bench.scale --cases 101000 --open 1000   # a protest day over 100,000 closed

Cases are bulk-inserted with generate_series (never the ORM row by row): two years of closed
cases and a protest day's open ones (waiting, assigned, lawyer at the station), each with a
report and its events, over 1,000 stations and 300 lawyers. Then each read runs as the console
serves it: a request through every middleware and view of the production settings, in this
process (Django's test client, no sockets), as a dispatcher with the second factor passed — the
queue page, its poll (changed, and unchanged: 304), the queue filtered by station, a lawyer's
own work above the queue, the station board, a case page; and two searches through the ORM (by
station, by day). Each SELECT's EXPLAIN ANALYZE goes into the JSON. The indexes are the
models' own (habeas/cases/models.py), created by the migrations.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta

from .loadgen import percentile
from .report import save, spread, table
from .stack import ROOT, Database

STATIONS = 1000
LAWYERS = 300


def build(db: Database, cases: int, open_cases: int) -> float:
    """Fill the database in SQL; return seconds taken."""
    began = time.monotonic()
    subprocess.run(  # noqa: S603 - our own fixed commands
        [sys.executable, "-m", "bench.setup_lawyers", "--count", str(LAWYERS)],
        cwd=ROOT,
        env=db.env(),
        check=True,
        timeout=300,
    )
    recent = max(open_cases, 1)  # the protest day's open cases: half waiting, the rest taken
    db.execute(f"""
        INSERT INTO stations_policestation (name, address, lat, lon, source, source_id, weight,
            city)
        SELECT 'ОВД № ' || g, '', 55.55 + random() * 0.4, 37.35 + random() * 0.55,
               'bench', 'b' || g, (random() * 100)::int, 'москва'
        FROM generate_series(1, {STATIONS}) g;
    """)  # noqa: S608 - only our own numbers are formatted in
    db.execute(f"""
        WITH ids AS (
            SELECT (SELECT array_agg(id) FROM accounts_user WHERE email LIKE '%@bench.test') AS l,
                   (SELECT array_agg(id) FROM stations_policestation) AS s
        ),
        raw AS (
            SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                   CASE WHEN g > {cases - recent}
                        THEN now() - random() * interval '12 hours'
                        -- skewed towards the recent past, as case loads grow
                        ELSE now() - interval '12 hours'
                             - power(random(), 1.5) * interval '730 days' END AS created
            FROM generate_series(1, {cases}) g
        ),
        shaped AS (
            SELECT raw.*,
                   CASE WHEN g <= {cases - recent} THEN 'closed'
                        WHEN r2 < 0.5 THEN 'open'
                        WHEN r2 < 0.8 THEN 'assigned'
                        ELSE 'lawyer_on_site' END AS status
            FROM raw
        )
        INSERT INTO cases_case (public_id, kind, status, priority, is_minor, lat_coarse,
            lon_coarse, location_captured_at, created_at, updated_at, closed_at, close_reason,
            purge_after, escalated_at, due_at, assigned_lawyer_id, police_station_id,
            origin, city, outcome)
        SELECT upper(lpad(to_hex(g), 10, 'Z')),
               CASE WHEN r1 < 0.85 THEN 'detention' WHEN r1 < 0.93 THEN 'summons'
                    WHEN r1 < 0.97 THEN 'search' ELSE 'other' END,
               status,
               CASE WHEN r3 < 0.05 THEN 10 ELSE 0 END, r3 < 0.05,
               round((55.55 + r4 * 0.4)::numeric, 3), round((37.35 + r2 * 0.55)::numeric, 3),
               created, created,
               CASE WHEN status = 'closed' THEN created + r2 * interval '48 hours'
                    ELSE created + r2 * interval '1 hour' END,
               CASE WHEN status = 'closed' THEN created + r2 * interval '48 hours' END,
               CASE WHEN status = 'closed' THEN 'released' ELSE '' END,
               CASE WHEN status = 'closed' THEN created + interval '32 days' END,
               CASE WHEN r4 < 0.03 THEN created + interval '10 minutes' END,
               CASE WHEN r1 >= 0.85 AND r1 < 0.93 THEN created + interval '3 days' END,
               CASE WHEN status <> 'open' AND r4 < 0.8
                    THEN l[1 + floor(r3 * array_length(l, 1))::int] END,
               CASE WHEN r4 < 0.7 THEN s[1 + floor(r1 * array_length(s, 1))::int] END,
               'sos', 'москва', CASE WHEN status = 'closed' THEN 'released' ELSE '' END
        FROM shaped, ids;
    """)  # noqa: S608 - only our own numbers are formatted in
    db.execute("""
        INSERT INTO cases_report (channel, reporter_role, sealed, blind_index, name_index,
            status_token_hash, watch_token_hash, idempotency_key, fingerprint, created_at, case_id)
        SELECT 'app', 'self', NULL, md5('b' || id), md5('n' || id),
               md5('s' || id) || md5('t' || id),
               md5('w' || id) || md5('x' || id), 'bench-' || id, md5('f' || id), created_at, id
        FROM cases_case;
    """)
    db.execute("""
        INSERT INTO cases_caseevent (kind, created_at, sealed_note, data, case_id)
        SELECT 'reported', created_at, NULL::bytea, '{}'::jsonb, id FROM cases_case
        UNION ALL
        SELECT 'refused_entry', created_at + interval '40 minutes', NULL::bytea,
               '{"reason": "fortress"}'::jsonb, id
        FROM cases_case WHERE status = 'lawyer_on_site' AND priority = 0
        UNION ALL
        SELECT 'accepted', created_at + interval '5 minutes', NULL::bytea, '{}'::jsonb, id
        FROM cases_case WHERE assigned_lawyer_id IS NOT NULL
        UNION ALL
        SELECT 'closed', closed_at, NULL::bytea, '{}'::jsonb, id
        FROM cases_case WHERE status = 'closed';
    """)
    db.execute("VACUUM ANALYZE")
    return time.monotonic() - began


def console_browser(user):
    """A browser logged in as `user` with the second factor passed, as the console requires.

    Requests run in this process through every middleware and view (Django's test client, no
    sockets): the time is the server's work per request, without the network's.
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from habeas.accounts.models import SealedTOTPDevice

    device, _ = SealedTOTPDevice.objects.get_or_create(
        user=user, name="console", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(samples: int, seed: int) -> tuple[dict, dict]:
    """Time each read `samples` times in this process (Django set up for the bench database)."""
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from habeas.accounts.models import Role, User
    from habeas.cases.models import Case

    rng = random.Random(seed)  # noqa: S311 - seeded load, not secrets
    dispatcher, _ = User.objects.get_or_create(
        email="dispatcher@bench.test",
        defaults={"username": "dispatcher@bench.test", "role": Role.DISPATCHER},
    )
    desk = console_browser(dispatcher)
    # The lawyer with the most open cases: "my offers, then my cases" above the queue.
    busiest = (
        Case.objects.open()
        .exclude(assigned_lawyer=None)
        .values_list("assigned_lawyer", flat=True)
        .order_by("assigned_lawyer")
        .first()
    )
    phone = console_browser(User.objects.get(pk=busiest)) if busiest else desk
    open_ids = list(Case.objects.open().values_list("public_id", flat=True)[:2000])
    station_ids = list(
        Case.objects.exclude(police_station=None)
        .values_list("police_station_id", flat=True)
        .distinct()[:500]
    )
    newest = Case.objects.aggregate(m=Max("created_at"))["m"]
    total = Case.objects.count()
    etag = desk.get("/console/queue/list/")["ETag"]

    # The queue offers only the stations of open cases.
    open_station_ids = list(
        Case.objects.open()
        .exclude(police_station=None)
        .values_list("police_station_id", flat=True)
        .distinct()[:500]
    )

    def ok(response, status=200):
        if response.status_code != status:
            body = response.content.decode(errors="replace")[-600:]
            raise SystemExit(f"{response.request['PATH_INFO']}: {response.status_code}\n{body}")

    def unchanged():
        # The ETag carries the minute ("5 min ago" ages): once a minute the poll gets the
        # page again, as a real console's does, and keeps the new ETag.
        nonlocal etag
        response = desk.get("/console/queue/list/", HTTP_IF_NONE_MATCH=etag)
        if response.status_code == 200:
            etag = response["ETag"]
            return
        ok(response, 304)

    def case_page():
        # Half the pages opened are today's open cases, half any case from the archive.
        if rng.random() < 0.5:
            public_id = rng.choice(open_ids)
        else:
            public_id = f"{rng.randrange(1, total):Z>10X}"
        ok(desk.get(f"/console/cases/{public_id}/"))

    def by_station():
        found = Case.objects.filter(police_station_id=rng.choice(station_ids))
        list(found.select_related("police_station", "assigned_lawyer").order_by("-created_at")[:50])
        found.count()

    def by_date():
        day = newest - timedelta(days=rng.randrange(0, 700))
        day = day.replace(hour=0, minute=0, second=0, microsecond=0)
        found = Case.objects.filter(created_at__gte=day, created_at__lt=day + timedelta(days=1))
        list(found.select_related("police_station", "assigned_lawyer").order_by("-created_at")[:50])
        found.count()

    reads = {
        "queue page (dispatcher)": lambda: ok(desk.get("/console/")),
        "queue poll, changed": lambda: ok(desk.get("/console/queue/list/")),
        "queue poll, unchanged (304)": unchanged,
        "queue filtered by station": lambda: ok(
            desk.get("/console/", {"station": rng.choice(open_station_ids)})
        ),
        "a lawyer's own work and queue": lambda: ok(phone.get("/console/")),
        "station board": lambda: ok(desk.get("/console/stations/")),
        "case page": case_page,
        "search by station (ORM)": by_station,
        "search by day (ORM)": by_date,
    }
    times, plans = {}, {}
    for name, read in reads.items():
        read()  # warm the cache, as a live console is
        with CaptureQueriesContext(connection) as captured:
            read()
        plans[name] = []
        for q in captured.captured_queries:
            if not q["sql"].lstrip().upper().startswith("SELECT"):
                continue  # the session's and audit's writes: nothing to explain
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                plans[name].append({"sql": q["sql"], "plan": [r[0] for r in cur.fetchall()]})
        ms = []
        # A read that takes seconds gets fewer samples, so the whole run stays within minutes.
        while len(ms) < samples and (len(ms) < 5 or sum(ms) < 20_000):
            t = time.perf_counter()
            read()
            ms.append((time.perf_counter() - t) * 1000)
        times[name] = ms
    return times, plans


def slowest_plan(plans: list[dict]) -> str:
    """The top plan line of the slowest statement of a read, for the table."""

    def took(p):
        last = [line for line in p["plan"] if "Execution Time" in line]
        return float(last[0].split(":")[1].split()[0]) if last else 0.0

    worst = max(plans, key=took)
    return f"{worst['plan'][0].strip()[:70]}… ({took(worst):.1f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="all cases, open and closed")
    parser.add_argument(
        "--open", type=int, default=None, help="of which open (default: 1 %% of --cases)"
    )
    parser.add_argument("--samples", type=int, default=100, help="timed reads per query and run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()
    open_cases = args.open if args.open is not None else args.cases // 100

    db = Database("postgres").create()
    try:
        built = build(db, args.cases, open_cases)
        print(f"built {args.cases:,} cases ({open_cases:,} open) in {built:.0f} s", flush=True)
        # The pages name their static files by the manifest, as in production.
        db.manage("collectstatic", "--noinput", "-v", "0")
        os.environ.update(db.env())
        # Set up as the production server is (habeas/wsgi.py), start-up objects frozen.
        import habeas.wsgi  # noqa: F401

        runs = [measure(args.samples, seed) for seed in range(args.repeat)]
        results = {
            name: {
                "p50": spread([statistics.median(r[0][name]) for r in runs]),
                "p99": spread([percentile(r[0][name], 99) for r in runs]),
                "samples": [len(r[0][name]) for r in runs],
                "plans": runs[0][1][name],
            }
            for name in runs[0][0]
        }
        rows = [
            [
                name,
                f"{r['p50']['median']:.1f} ({r['p50']['min']:.1f}–{r['p50']['max']:.1f})",
                f"{r['p99']['median']:.1f} ({r['p99']['min']:.1f}–{r['p99']['max']:.1f})",
                str(len(r["plans"])),
                slowest_plan(r["plans"]) if r["plans"] else "—",
            ]
            for name, r in results.items()
        ]
        print(
            f"\nScale: {args.cases:,} cases ({open_cases:,} open) on PostgreSQL, the indexes of "
            f"the models; ms per request, median (min–max) of {args.repeat} runs of "
            f"{args.samples}\n"
        )
        print(table(["read", "p50", "p99", "SELECTs", "slowest statement's plan"], rows))
        print(f"\n{save('scale', {'args': vars(args), 'build_s': built, 'results': results})}")
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            db.drop()


if __name__ == "__main__":
    main()
