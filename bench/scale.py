"""Scenario 5, scale: the console's reads over 1,000,000 cases in PostgreSQL.

    python -m bench.scale                      # build, measure, add proposed indexes, measure
    python -m bench.scale --cases 200000 --repeat 3

Cases are bulk-inserted with generate_series (never the ORM row by row): two years of closed
cases and a protest day's open ones (open, assigned, lawyer at the station), each with a report
and its events, over 1,068 stations and 300 lawyers. Then each read runs as the console runs it,
through the ORM with production settings: the queue's first page, Case.objects.version(), the
open count, a case page (every query case_context makes, as a dispatcher), and a search by
station and by day (first page of 50 plus a count: the console has no search yet, so these are
the queries it would make). Each EXPLAIN ANALYZE goes into the JSON. Then the indexes proposed
in docs/benchmarks.md are created with the same SQL Django would emit and the reads run again.
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


def build(db: Database, cases: int) -> float:
    """Fill the database in SQL; return seconds taken."""
    began = time.monotonic()
    subprocess.run(  # noqa: S603 - our own fixed commands
        [sys.executable, "-m", "bench.setup_lawyers", "--count", str(LAWYERS)],
        cwd=ROOT,
        env=db.env(),
        check=True,
        timeout=300,
    )
    recent = max(cases // 100, 1)  # the protest day's cases: 1 % of all, half of them open
    db.execute(f"""
        INSERT INTO stations_policestation (name, address, lat, lon, source, source_id, weight)
        SELECT 'ОВД № ' || g, '', 55.55 + random() * 0.4, 37.35 + random() * 0.55,
               'bench', 'b' || g, (random() * 100)::int
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
            purge_after, escalated_at, summons_at, assigned_lawyer_id, police_station_id)
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
               CASE WHEN r4 < 0.7 THEN s[1 + floor(r1 * array_length(s, 1))::int] END
        FROM shaped, ids;
    """)  # noqa: S608 - only our own numbers are formatted in
    db.execute("""
        INSERT INTO cases_report (channel, reporter_role, sealed, blind_index, status_token_hash,
            watch_token_hash, idempotency_key, fingerprint, created_at, case_id)
        SELECT 'app', 'self', NULL, md5('b' || id), md5('s' || id) || md5('t' || id),
               md5('w' || id) || md5('x' || id), 'bench-' || id, md5('f' || id), created_at, id
        FROM cases_case;
    """)
    db.execute("""
        INSERT INTO cases_caseevent (kind, created_at, sealed_note, data, case_id)
        SELECT 'reported', created_at, NULL::bytea, '{}'::jsonb, id FROM cases_case
        UNION ALL
        SELECT 'accepted', created_at + interval '5 minutes', NULL::bytea, '{}'::jsonb, id
        FROM cases_case WHERE assigned_lawyer_id IS NOT NULL
        UNION ALL
        SELECT 'closed', closed_at, NULL::bytea, '{}'::jsonb, id
        FROM cases_case WHERE status = 'closed';
    """)
    db.execute("VACUUM ANALYZE")
    return time.monotonic() - began


# The proposal, as the SQL Django emits for the Meta definitions in docs/benchmarks.md.
PROPOSED_INDEXES = [
    # Case: models.Index(F("priority").desc(), F("created_at").desc(),
    #                    condition=~Q(status="closed"), name="case_open_queue_idx")
    "CREATE INDEX case_open_queue_idx ON cases_case (priority DESC, created_at DESC) "
    "WHERE NOT (status = 'closed')",
    # Case: models.Index(fields=["-created_at"], name="case_created_idx")
    "CREATE INDEX case_created_idx ON cases_case (created_at DESC)",
    # Case: models.Index(fields=["police_station", "-created_at"], name="case_station_idx")
    "CREATE INDEX case_station_idx ON cases_case (police_station_id, created_at DESC)",
    # Case: models.Index(fields=["assigned_lawyer"], condition=~Q(status="closed"),
    #                    name="case_open_lawyer_idx")
    "CREATE INDEX case_open_lawyer_idx ON cases_case (assigned_lawyer_id) "
    "WHERE NOT (status = 'closed')",
]


def measure(samples: int, seed: int) -> tuple[dict, dict]:
    """Time each read `samples` times in this process (Django set up for the bench database)."""
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from habeas.accounts.models import Role, User
    from habeas.cases.models import Case
    from habeas.console.casepage import case_context
    from habeas.console.views import QUEUE_LIMIT

    rng = random.Random(seed)  # noqa: S311 - seeded load, not secrets
    dispatcher, _ = User.objects.get_or_create(
        email="dispatcher@bench.test",
        defaults={"username": "dispatcher@bench.test", "role": Role.DISPATCHER},
    )
    open_ids = list(Case.objects.open().values_list("public_id", flat=True)[:2000])
    station_ids = list(
        Case.objects.exclude(police_station=None)
        .values_list("police_station_id", flat=True)
        .distinct()[:500]
    )
    newest = Case.objects.aggregate(m=Max("created_at"))["m"]
    total = Case.objects.count()

    def case_page():
        # Half the pages opened are today's open cases, half any case from the archive.
        if rng.random() < 0.5:
            public_id = rng.choice(open_ids)
        else:
            public_id = f"{rng.randrange(1, total):Z>10X}"
        case = Case.objects.select_related("police_station", "assigned_lawyer").get(
            public_id=public_id
        )
        case_context(case, dispatcher)

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
        "queue first page": lambda: list(Case.objects.queue()[:QUEUE_LIMIT]),
        "Case.objects.version()": lambda: Case.objects.version(),
        "open count": lambda: Case.objects.open().count(),
        # The rewrite proposed in docs/benchmarks.md: two queries that each can use an index.
        "version() split": lambda: (
            Case.objects.aggregate(last=Max("updated_at")),
            Case.objects.open().count(),
        ),
        "case page (all queries)": case_page,
        "search by station": by_station,
        "search by day": by_date,
    }
    times, plans = {}, {}
    for name, read in reads.items():
        read()  # warm the cache, as a live console is
        with CaptureQueriesContext(connection) as captured:
            read()
        plans[name] = []
        for q in captured.captured_queries:
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
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=100, help="timed reads per query and run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    db = Database("postgres").create()
    try:
        built = build(db, args.cases)
        print(f"built {args.cases} cases in {built:.0f} s", flush=True)
        os.environ.update(db.env())
        import django

        django.setup()
        from django.db import connection

        results = {}
        for phase in ("as is", "with proposed indexes"):
            if phase != "as is":
                began = time.monotonic()
                with connection.cursor() as cur:
                    for sql in PROPOSED_INDEXES:
                        cur.execute(sql)
                    cur.execute("ANALYZE cases_case")
                print(f"indexes built in {time.monotonic() - began:.0f} s", flush=True)
            runs = [measure(args.samples, seed) for seed in range(args.repeat)]
            results[phase] = {
                name: {
                    "p50": spread([statistics.median(r[0][name]) for r in runs]),
                    "p99": spread([percentile(r[0][name], 99) for r in runs]),
                    "samples": [len(r[0][name]) for r in runs],
                    "plans": runs[0][1][name],
                }
                for name in runs[0][0]
            }
        rows = []
        for name in results["as is"]:
            before, after = results["as is"][name], results["with proposed indexes"][name]
            rows.append(
                [
                    name,
                    f"{before['p50']['median']:.1f}",
                    f"{before['p99']['median']:.1f} ({before['p99']['min']:.1f}–"
                    f"{before['p99']['max']:.1f})",
                    f"{after['p99']['median']:.1f} ({after['p99']['min']:.1f}–"
                    f"{after['p99']['max']:.1f})",
                    slowest_plan(before["plans"]),
                    slowest_plan(after["plans"]),
                ]
            )
        print(
            f"\nScale: {args.cases:,} cases on PostgreSQL; ms, median (min–max) of "
            f"{args.repeat} runs of {args.samples} reads\n"
        )
        print(
            table(
                [
                    "read",
                    "p50 as is",
                    "p99 as is",
                    "p99 with indexes",
                    "slowest plan as is",
                    "slowest plan with indexes",
                ],
                rows,
            )
        )
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
