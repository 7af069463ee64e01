"""Rows for test_migrations: one realistic row of each of our models, made with the model as it
was when its table first appeared (the historical model a migration hands out), so that
every later migration runs over old rows, as on a server being upgraded.

A new model needs a row here: the migration test fails and names it until one is added.
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.apps import apps as current_apps
from django.utils import timezone

# Stored in clear before cases 0003 and timers 0002 hashed them.
CLEAR_SOS_KEY = "app-key-0001"
CLEAR_TIMER_KEY = "timer-key-0001"


def our_apps() -> list[str]:
    """Labels of the project's apps that have migrations."""
    return [
        config.label
        for config in current_apps.get_app_configs()
        if config.name.startswith("habeas.") and (Path(config.path) / "migrations").is_dir()
    ]


def one(apps, label: str):
    return apps.get_model(label).objects.get()


def _user(apps) -> None:
    apps.get_model("accounts.User").objects.create(
        username="anna@lawyers.test",
        email="anna@lawyers.test",
        password="!",  # unusable, as for a person not yet invited
        first_name="Anna",
        last_name="Lawyer",
    )


def _audit(apps) -> None:
    apps.get_model("accounts.AuditEntry").objects.create(
        actor=one(apps, "accounts.User"), action="view", case_ref="MIGRATE234", what="case page"
    )


def _invitation(apps) -> None:
    apps.get_model("accounts.Invitation").objects.create(
        user=one(apps, "accounts.User"), token_hash="i" * 64, expires_at=timezone.now()
    )


def _station(apps) -> None:
    apps.get_model("stations.PoliceStation").objects.create(
        name="ОМВД России по Тверскому району",
        address="Москва, ул. Тверская, 5",
        lat=55.7649,
        lon=37.6116,
        source="ovdinfo-2013",
        source_id="17",
        weight=12,
    )


def _lawyer(apps) -> None:
    lawyer = apps.get_model("lawyers.Lawyer").objects.create(
        user=one(apps, "accounts.User"), on_duty=True, phone="+7 900 000-00-01", capacity=3
    )
    lawyer.stations.add(one(apps, "stations.PoliceStation"))


def _case(apps) -> None:
    apps.get_model("cases.Case").objects.create(
        public_id="MIGRATE234",
        kind="detention",
        status="assigned",
        police_station=one(apps, "stations.PoliceStation"),
        assigned_lawyer=one(apps, "accounts.User"),
        lat_coarse=55.765,
        lon_coarse=37.61,
    )


def _report(apps) -> None:
    apps.get_model("cases.Report").objects.create(
        case=one(apps, "cases.Case"),
        channel="app",
        reporter_role="self",
        sealed=b"sealed details",
        blind_index="b" * 64,
        status_token_hash="t" * 64,
        idempotency_key=CLEAR_SOS_KEY,
        fingerprint="f" * 64,
    )


def _event(apps) -> None:
    apps.get_model("cases.CaseEvent").objects.create(
        case=one(apps, "cases.Case"), kind="reported", data={"channel": "app"}
    )


def _claim(apps) -> None:
    apps.get_model("cases.PersonClaim").objects.create(
        blind_index="b" * 64, case=one(apps, "cases.Case")
    )


def _offer(apps) -> None:
    apps.get_model("dispatch.Offer").objects.create(
        case=one(apps, "cases.Case"),
        lawyer=one(apps, "accounts.User"),
        state="accepted",
        expires_at=timezone.now() + timedelta(minutes=3),
    )


def _timer(apps) -> None:
    apps.get_model("timers.CheckInTimer").objects.create(
        token_hash="h" * 64,
        idempotency_key=CLEAR_TIMER_KEY,
        fingerprint="f" * 64,
        pin_hash="x",
        duress_hash="y",
        deadline=timezone.now(),
    )


def _callback(apps) -> None:
    apps.get_model("callbacks.CallBack").objects.create(
        case=one(apps, "cases.Case"),
        report=one(apps, "cases.Report"),
        try_after=timezone.now(),
        sealed_number=b"sealed number",
    )


def _hearing(apps) -> None:
    apps.get_model("court.Hearing").objects.create(
        case=one(apps, "cases.Case"), starts_at=timezone.now(), sealed=b"sealed hearing"
    )


def _decision(apps) -> None:
    apps.get_model("court.Decision").objects.create(
        hearing=one(apps, "court.Hearing"),
        outcome="fine",
        fine_rub=10000,
        copy_received_on=timezone.localdate(),
        appeal_deadline=timezone.localdate(),
    )


def _conversation(apps) -> None:
    apps.get_model("bot.Conversation").objects.create(
        chat_key="c" * 64, sealed=b"sealed", expires_at=timezone.now()
    )


def _update(apps) -> None:
    apps.get_model("bot.ProcessedUpdate").objects.create(update_id=7001)


def _message(apps) -> None:
    apps.get_model("notifications.Message").objects.create(
        dedupe_key="offer:1:sms", channel="sms", recipient=one(apps, "accounts.User"), sealed=b"x"
    )


def _push(apps) -> None:
    apps.get_model("notifications.PushSubscription").objects.create(
        user=one(apps, "accounts.User"),
        endpoint="https://fcm.googleapis.com/fcm/send/abc",
        p256dh="p" * 87,
        auth="a" * 22,
    )


def _follower(apps) -> None:
    apps.get_model("notifications.Follower").objects.create(
        topic="case:1", channel="telegram", address_hash="h" * 64, sealed=b"sealed"
    )


def _beat(apps) -> None:
    apps.get_model("ops.WorkerBeat").objects.create(worker_id="worker-1", seen_at=timezone.now())


def _installs(apps) -> None:
    apps.get_model("stats.InstallDay").objects.create(day=timezone.localdate(), count=3)


def _turn(apps) -> None:
    apps.get_model("ops.Turn").objects.create(name="sweep", due_at=timezone.now())


def _evidence(apps) -> None:
    apps.get_model("evidence.Evidence").objects.create(
        case=one(apps, "cases.Case"),
        upload_key="k" * 20,
        kind="photo",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        sealed=b"sealed",
        uploader="person",
        pieces=["1/1/000000-abcd"],
    )


# In the order rows can be made: a row's foreign keys point at rows made before it.
ROWS: dict[str, Callable] = {
    "accounts.User": _user,
    "accounts.AuditEntry": _audit,
    "accounts.Invitation": _invitation,
    "stations.PoliceStation": _station,
    "lawyers.Lawyer": _lawyer,
    "cases.Case": _case,
    "cases.Report": _report,
    "cases.CaseEvent": _event,
    "cases.PersonClaim": _claim,
    "dispatch.Offer": _offer,
    "timers.CheckInTimer": _timer,
    "callbacks.CallBack": _callback,
    "court.Hearing": _hearing,
    "court.Decision": _decision,
    "evidence.Evidence": _evidence,
    "bot.Conversation": _conversation,
    "bot.ProcessedUpdate": _update,
    "notifications.Message": _message,
    "notifications.PushSubscription": _push,
    "notifications.Follower": _follower,
    "ops.WorkerBeat": _beat,
    "ops.Turn": _turn,
    "stats.InstallDay": _installs,
}


def tables(apps, labels: list[str]) -> list[str]:
    """Our models with a table of their own in this state, in ROWS' order (new ones last)."""
    found = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in labels and not model._meta.proxy and model._meta.managed
    ]
    order = list(ROWS)
    return sorted(found, key=lambda label: order.index(label) if label in order else len(order))


def fill(apps, labels: list[str], made: dict[str, int]) -> None:
    """Make the row of each model that has a table now and no row yet; count them in `made`."""
    for label in tables(apps, labels):
        if label in made:
            continue
        assert label in ROWS, f"no row for {label}: add one to habeas/tests/migrating.py"
        ROWS[label](apps)
        made[label] = apps.get_model(label).objects.count()
