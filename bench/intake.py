"""Every way in, one person one case (issue 11): two numbers, in one process on SQLite.

1. Reports to cases: the detainee's SOS plus two friends' reports of the same person (the name
   with other spacing and case, the same date of birth), with three lawyers on duty, through
   the real API and the real worker: how many cases and offers, and how many lawyers tied up.
2. Bot reply latency: a Telegram update posted to the webhook until a local server that
   behaves like the Bot API receives the reply, through the outbox and the worker (each
   update then one worker pass, as a worker polling with no interval would).

    python -m bench.intake [--updates 20] [--repeats 3]

The development settings (HABEAS_DEBUG=1) on a fresh database in a temporary folder; nothing
leaves the machine. Quote the medians and the spread, with `uptime` before and after.
"""

import argparse
import json
import os
import statistics
import tempfile
import time

from .report import save, spread, table

SECRET = "bench-webhook-secret"  # noqa: S105 - the local fake's, nothing real
BODY = {"kind": "detention", "location": {"lat": 55.7649, "lon": 37.6116, "accuracy_m": 25}}
PEOPLE = [
    ("self", "Мария Иванова", "sos"),
    ("relative", "  мария   ИВАНОВА ", "friend-1"),
    ("witness", "Мария Иванова", "friend-2"),
]


def setup(fake_url: str, folder: str) -> None:
    os.environ.update(
        HABEAS_DEBUG="1",
        HABEAS_VAR_DIR=folder,
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        HABEAS_TELEGRAM_TOKEN="123:BENCH",  # noqa: S106 - goes only to the local fake
        HABEAS_TELEGRAM_API_URL=f"{fake_url}/bot",
        HABEAS_TELEGRAM_WEBHOOK_SECRET=SECRET,
        HABEAS_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="habeas.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def work() -> None:
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def lawyers() -> None:
    from habeas.accounts.models import Role, User
    from habeas.lawyers.models import Lawyer
    from habeas.stations.services import DEMO_FILE, import_stations

    import_stations(DEMO_FILE, "ovdinfo-2013")
    for n in range(3):
        user = User.objects.create_user(email=f"lawyer{n}@bench.test", role=Role.LAWYER)
        Lawyer.objects.create(
            user=user, on_duty=True, base_lat=55.766, base_lon=37.612, radius_km=20, capacity=3
        )


def reports_to_cases(client) -> dict:
    from habeas.cases.models import Case
    from habeas.dispatch.models import Offer

    answers = []
    for role, name, key in PEOPLE:
        body = {**BODY, "person": {"full_name": name, "date_of_birth": "1995-04-12"}}
        if role != "self":
            body = {**body, "reporter_role": role, "reporter": {"relation": "friend"}}
        started = time.perf_counter()
        response = client.post(
            "/api/v1/cases",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": f"bench-{key}-0001"},
        )
        answers.append(
            (response.status_code, response.json().get("merged"), time.perf_counter() - started)
        )
        work()
    offers = Offer.objects.all()
    return {
        "reports": len(PEOPLE),
        "cases": Case.objects.count(),
        "offers": offers.count(),
        "lawyers_tied_up": offers.values("lawyer").distinct().count(),
        "answers": [{"status": s, "merged": m, "ms": round(t * 1000, 1)} for s, m, t in answers],
    }


def bot_latency(client, fake, updates: int, first_chat: int) -> list[float]:
    took = []
    for n in range(updates):
        chat = first_chat + n
        update = {
            "update_id": 900000000 + chat,
            "message": {
                "message_id": 1,
                "from": {"id": chat, "is_bot": False, "first_name": "A", "language_code": "ru"},
                "chat": {"id": chat, "type": "private"},
                "date": int(time.time()),
                "text": "/start",
            },
        }
        before = len(fake.sent)
        started = time.perf_counter()
        client.post(
            "/api/v1/inbound/telegram",
            json.dumps(update),
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        work()
        if len(fake.sent) > before:
            took.append((time.perf_counter() - started) * 1000)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from habeas.notifications.tests.fakes import FakeTelegram

    fake = FakeTelegram().start()
    with tempfile.TemporaryDirectory() as folder:
        setup(fake.url, folder)
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        lawyers()
        merged = reports_to_cases(client)
        work()  # the first worker pass warms the process; the latency runs start warm
        runs = [
            bot_latency(client, fake, args.updates, 10_000 * (r + 1)) for r in range(args.repeats)
        ]
    fake.stop()
    medians = [statistics.median(r) for r in runs if r]
    every = [t for r in runs for t in r]
    latency = {
        "per_repeat_median_ms": spread(medians),
        "all_ms": spread(every),
        "p90_ms": statistics.quantiles(every, n=10)[-1] if len(every) >= 10 else None,
        "replies": len(every),
        "updates": args.updates * args.repeats,
    }
    print(
        table(
            ["reports", "cases", "offers", "lawyers tied up"],
            [[merged["reports"], merged["cases"], merged["offers"], merged["lawyers_tied_up"]]],
        )
    )
    print()
    print(
        table(
            ["bot reply latency (ms)", "median (min–max)"],
            [
                [
                    "median of each repeat",
                    "{median:.0f} ({min:.0f}–{max:.0f})".format(**latency["per_repeat_median_ms"]),
                ],
                ["every update", "{median:.0f} ({min:.0f}–{max:.0f})".format(**latency["all_ms"])],
                ["p90, every update", f"{latency['p90_ms']:.0f}" if latency["p90_ms"] else "-"],
                ["replies received / updates", f"{latency['replies']} / {latency['updates']}"],
            ],
        )
    )
    print(save("intake", {"reports_to_cases": merged, "bot_latency": latency}))


if __name__ == "__main__":
    main()
