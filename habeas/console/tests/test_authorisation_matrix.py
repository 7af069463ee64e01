"""Who may open what: every persona against every console page and every API operation.

The world: the detainee's case (Мария Иванова) is assigned to lawyer_a; a second case is
offered to lawyer_a. lawyer_b is on duty but on neither. The "token" persona is a browser
carrying only the detainee's status token, which means nothing to the console.

A console page without a row here, or an API operation the staff session would change,
fails this file: adding a page means deciding who may see it.
"""

import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.cases import services
from habeas.cases.models import Case
from habeas.console.urls import urlpatterns
from habeas.dispatch import services as dispatch
from habeas.evidence import services as evidence
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

from .helpers import case_of, open_case

NAME = "Мария Иванова"

# What a response must be. Each outcome also forbids the name unless it is NAME.
LOGIN = "login"  # 302 to the console's login page
OK = "ok"  # 200, without the person's name
NAME_SHOWN = "name"  # 200, with the person's name
DENIED = "403"  # 403
BAD = "400"  # 400: allowed in, but the (deliberately empty) input is refused
QUEUE = "queue"  # 302 to the queue (the page has nothing to do for this user)
LOGGED_OUT = "logged out"  # 302 to the login page without a next
CHANGED = "changed"  # 302 and an audited change by this user
UNCHANGED = "unchanged"  # 302 and no change recorded
GONE = "410"  # 410: an invitation link that is not open (here: one that never existed)
MISSING = "404"  # 404: nothing with that id

STAFF = ["lawyer_a", "lawyer_b", "dispatcher", "admin"]
PERSONAS = ["stranger", "token", *STAFF]


@dataclass
class Row:
    method: str
    path: str  # with {case} and {offer} placeholders
    staff: dict  # persona -> outcome, for the four staff personas
    data: dict = field(default_factory=dict)
    outsiders: str = LOGIN  # for the stranger and the status token


def every(outcome: str) -> dict:
    return dict.fromkeys(STAFF, outcome)


def lawyers_and_dispatchers(lawyer: str, dispatcher: str) -> dict:
    return {"lawyer_a": lawyer, "lawyer_b": lawyer, "dispatcher": dispatcher, "admin": dispatcher}


ADMIN_ONLY = {"lawyer_a": DENIED, "lawyer_b": DENIED, "dispatcher": DENIED}

# The person's name shows to the lawyer on the case and to dispatchers, never to another lawyer.
CASE_READERS = {
    "lawyer_a": NAME_SHOWN,
    "lawyer_b": OK,
    "dispatcher": NAME_SHOWN,
    "admin": NAME_SHOWN,
}

# Pages of a case's details without its name in them: the lawyer on the case and dispatchers.
CASE_PEOPLE = {"lawyer_a": OK, "lawyer_b": DENIED, "dispatcher": OK, "admin": OK}

MATRIX: dict[str, Row] = {
    "login": Row("GET", "/console/login/", every(QUEUE), outsiders=OK),
    "logout": Row("POST", "/console/logout/", every(LOGGED_OUT), outsiders=LOGGED_OUT),
    "verify": Row("GET", "/console/two-factor/", every(QUEUE)),
    "setup": Row("GET", "/console/two-factor/setup/", every(QUEUE)),
    "welcome": Row("GET", "/console/welcome/not-a-token/", every(GONE), outsiders=GONE),
    "recovery_codes": Row("POST", "/console/two-factor/recovery-codes/", every(OK)),
    "queue": Row("GET", "/console/", every(OK)),
    "queue_fragment": Row("GET", "/console/queue/list/", every(OK)),
    "case": Row("GET", "/console/cases/{case}/", CASE_READERS),
    "case_live": Row("GET", "/console/cases/{case}/live/", CASE_READERS),
    "act": Row(
        "POST",
        "/console/cases/{case}/act/",
        {"lawyer_a": CHANGED, "lawyer_b": UNCHANGED, "dispatcher": CHANGED, "admin": CHANGED},
        data={"action": "en_route"},
    ),
    # A second case of the same person joins this one; a relative's report splits off.
    "case_merge": Row(
        "POST",
        "/console/cases/{case}/merge/",
        lawyers_and_dispatchers(UNCHANGED, CHANGED),
        data={"other": "{offered_case}"},
    ),
    "case_split": Row(
        "POST",
        "/console/cases/{case}/reports/{report}/split/",
        lawyers_and_dispatchers(UNCHANGED, CHANGED),
    ),
    "offer": Row(
        "GET",
        "/console/offers/{offer}/",
        {"lawyer_a": OK, "lawyer_b": DENIED, "dispatcher": OK, "admin": OK},
    ),
    "offer_answer": Row(
        "POST",
        "/console/offers/{offer}/answer/",
        {"lawyer_a": CHANGED, "lawyer_b": UNCHANGED, "dispatcher": UNCHANGED, "admin": UNCHANGED},
        data={"answer": "accept"},
    ),
    "duty": Row(
        "POST", "/console/duty/", lawyers_and_dispatchers(QUEUE, DENIED), {"on_duty": "on"}
    ),
    "profile": Row("GET", "/console/profile/", every(OK)),
    # The hotline's own pages: operators and dispatchers (the operator persona is tested in
    # test_new_case.py and the call-back tests).
    "new_case": Row("GET", "/console/cases/new/", lawyers_and_dispatchers(DENIED, OK)),
    "callbacks": Row("GET", "/console/callbacks/", lawyers_and_dispatchers(DENIED, OK)),
    "callback_record": Row(
        "POST", "/console/callbacks/record/", lawyers_and_dispatchers(DENIED, UNCHANGED)
    ),
    "roster": Row("GET", "/console/roster/", lawyers_and_dispatchers(DENIED, OK)),
    "requests": Row("GET", "/console/requests/", every(OK)),
    # The organisation's own figures and their downloads: dispatchers and administrators.
    "figures": Row("GET", "/console/figures/", lawyers_and_dispatchers(DENIED, OK)),
    "figures_csv": Row("GET", "/console/figures/figures.csv", lawyers_and_dispatchers(DENIED, OK)),
    "obstruction_by_station_csv": Row(
        "GET", "/console/figures/obstruction-by-station.csv", lawyers_and_dispatchers(DENIED, OK)
    ),
    # The day's overview: counts, stations and lawyers' names, no person; the map shows the
    # coarse areas to dispatchers only (test_map.py), never a name.
    "stations": Row("GET", "/console/stations/", every(OK)),
    "stations_fragment": Row("GET", "/console/stations/list/", every(OK)),
    "map": Row("GET", "/console/map/", every(OK)),
    # A lawyer takes a station's waiting cases; a dispatcher is not one (told so, no change).
    "take_all_here": Row(
        "POST", "/console/stations/{station}/take-all/", lawyers_and_dispatchers(CHANGED, UNCHANGED)
    ),
    "assign_several": Row(
        "POST",
        "/console/assign/",
        lawyers_and_dispatchers(DENIED, CHANGED),
        data={"station": "{station}", "lawyer": "{lawyer_b_id}"},
    ),
    # The court stage: the lawyer on the case or a dispatcher records; the list is everyone's
    # (each lawyer sees their own cases there).
    "record_hearing": Row(
        "POST",
        "/console/cases/{case}/hearings/",
        {"lawyer_a": UNCHANGED, "lawyer_b": DENIED, "dispatcher": UNCHANGED, "admin": UNCHANGED},
    ),
    "record_decision": Row("POST", "/console/hearings/999999/decision/", every(MISSING)),
    "court": Row("GET", "/console/court/", every(OK)),
    # The obstruction record holds the lawyer's notes: the case's own people only.
    "obstruction": Row("GET", "/console/cases/{case}/obstruction/", CASE_PEOPLE),
    "obstruction_json": Row("GET", "/console/cases/{case}/obstruction.json", CASE_PEOPLE),
    # Evidence files, like the details: the case's own people only; each download audited.
    "evidence_download": Row("GET", "/console/cases/{case}/evidence/{evidence}/", CASE_PEOPLE),
    "evidence_covered": Row(
        "GET", "/console/cases/{case}/evidence/{evidence}/covered.jpg", CASE_PEOPLE
    ),
    # No file in the form: refused with a message, nothing attached.
    "evidence_attach": Row(
        "POST",
        "/console/cases/{case}/evidence/",
        {"lawyer_a": UNCHANGED, "lawyer_b": DENIED, "dispatcher": UNCHANGED, "admin": UNCHANGED},
    ),
    # Bringing staff in and letting them go: administrators only, not even dispatchers.
    "staff": Row("GET", "/console/staff/", ADMIN_ONLY | {"admin": OK}),
    "staff_link": Row("POST", "/console/staff/{lawyer_b_id}/link/", ADMIN_ONLY | {"admin": OK}),
    "staff_deactivate": Row(
        "POST", "/console/staff/{lawyer_b_id}/deactivate/", ADMIN_ONLY | {"admin": CHANGED}
    ),
    "outbox": Row("GET", "/console/outbox/", lawyers_and_dispatchers(DENIED, OK)),
    "outbox_retry": Row("POST", "/console/outbox/retry/", lawyers_and_dispatchers(DENIED, BAD)),
    "push_subscribe": Row("POST", "/console/push/subscribe/", every(BAD)),
    # The service worker is a static script that must load before login; it holds no data.
    "service_worker": Row("GET", "/console/sw.js", every(OK), outsiders=OK),
}


def test_every_console_page_has_a_row():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.fixture
def world(detainee, lawyer_a, lawyer_b, dispatcher, admin):
    # Only lawyer_a is on duty, and free, while the second case is offered: the offer is hers.
    Lawyer.objects.filter(user=lawyer_b).update(on_duty=False)
    offer = dispatch.offer_next(open_case(name="Пётр Сидоров").pk)
    Lawyer.objects.filter(user=lawyer_b).update(on_duty=True)
    assert offer is not None and offer.lawyer == lawyer_a
    case = case_of(detainee)
    services.transition(case.pk, "take", actor=lawyer_a)
    # Her sister reported her too: the report joined her case, and a dispatcher may split it.
    sister = open_case(name=NAME, born=date(1995, 4, 12), reporter_role="relative")
    assert sister.pk == case.pk
    # A third person waits at a station nobody is at yet: "take all" and "assign" have one.
    station = PoliceStation.objects.create(name="ОВД Матричный", lat=55.7, lon=37.6)
    waiting = open_case(name="Иван Ждущий")
    Case.objects.filter(pk=waiting.pk).update(near_station=station)
    photo = small_jpeg()
    item, _new = evidence.declare(
        case,
        evidence.Declared(
            "matrix-photo-000001", len(photo), sha256(photo).hexdigest(), "image/jpeg"
        ),
        "person",
    )
    evidence.append(item, 0, io.BytesIO(photo), len(photo))
    users = {"lawyer_a": lawyer_a, "lawyer_b": lawyer_b, "dispatcher": dispatcher, "admin": admin}
    return {
        "case": case.public_id,
        "offer": offer.pk,
        "offered_case": offer.case.public_id,
        "report": case.reports.get(reporter_role="relative").pk,
        "token": detainee.token,
        "lawyer_b_id": lawyer_b.pk,
        "station": station.pk,
        "evidence": item.pk,
        "users": users,
    }


def browser(persona: str, world: dict) -> Client:
    if persona == "stranger":
        return Client()
    if persona == "token":
        return Client(headers={"Authorization": f"Bearer {world['token']}"})
    return staff_client(world["users"][persona])


def small_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


def matches(outcome: str, response, user) -> bool:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    status, where = response.status_code, response.get("Location", "")
    if outcome == NAME_SHOWN:
        return status == 200 and NAME in body
    if NAME in body:
        return False
    changed = AuditEntry.objects.filter(action="change", actor=user).exists() if user else False
    return {
        LOGIN: status == 302 and where.startswith("/console/login/?next="),
        OK: status == 200,
        DENIED: status == 403,
        BAD: status == 400,
        GONE: status == 410,
        MISSING: status == 404,
        QUEUE: status == 302 and where == reverse("console:queue"),
        LOGGED_OUT: status == 302 and where == reverse("console:login"),
        CHANGED: status == 302 and changed,
        UNCHANGED: status == 302 and not changed,
    }[outcome]


@contextmanager
def rolled_back():
    """Undo whatever one persona's request changed.

    The block is marked as Django's TestCase marks the one it wraps each test in, so the
    services' durable transactions run inside it exactly as they do inside any test.
    """
    block = transaction.atomic()
    block._from_testcase = True
    with block:
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", MATRIX)
def test_console_matrix(world, name):
    row = MATRIX[name]
    path = row.path.format(**world)
    wrong = []
    for persona in PERSONAS:
        outcome = row.staff[persona] if persona in STAFF else row.outsiders
        # Each persona meets the same world: whatever one request changes is rolled back.
        with rolled_back():
            client = browser(persona, world)
            data = {k: v.format(**world) for k, v in row.data.items()}
            response = client.get(path) if row.method == "GET" else client.post(path, data)
            if not matches(outcome, response, world["users"].get(persona)):
                got = f"{response.status_code} {response.get('Location', '')}".strip()
                wrong.append(f"{persona}: expected {outcome}, got {got}")
    assert not wrong, f"{row.method} {path}\n" + "\n".join(wrong)


# Actions on the act URL whose rules differ by persona (security round 2): what the family
# reads as fact is for the lawyer on the case or a dispatcher; a case waiting for a lawyer's
# answer can be taken only by that lawyer (or a dispatcher).
ACTIONS_MATRIX = {
    "released": (
        "{case}",
        {"action": "released"},
        {"lawyer_a": CHANGED, "lawyer_b": UNCHANGED, "dispatcher": CHANGED, "admin": CHANGED},
    ),
    "take_offered": (
        "{offered_case}",
        {"action": "take"},
        {"lawyer_a": CHANGED, "lawyer_b": UNCHANGED, "dispatcher": CHANGED, "admin": CHANGED},
    ),
}


@pytest.mark.parametrize("name", ACTIONS_MATRIX)
def test_console_actions_matrix(world, name):
    case, data, expected = ACTIONS_MATRIX[name]
    path = f"/console/cases/{case.format(**world)}/act/"
    wrong = []
    for persona, outcome in expected.items():
        with rolled_back():
            response = browser(persona, world).post(path, data)
            if not matches(outcome, response, world["users"][persona]):
                wrong.append(f"{persona}: expected {outcome}, got {response.status_code}")
    assert not wrong, f"{name}\n" + "\n".join(wrong)


# --- the API: tokens and signatures only; a staff session opens nothing there ------------


def api_operations() -> list[tuple[str, str]]:
    document = Client().get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def call(client: Client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, json.dumps({}), content_type="application/json")


def test_the_api_document_lists_operations(db):
    assert ("GET", "/api/v1/cases/status") in api_operations()


def test_a_staff_session_gives_no_extra_access_to_any_api_operation(world):
    for method, path in api_operations():
        anonymous = call(Client(), method, path)
        for persona in STAFF:
            staff = call(staff_client(world["users"][persona]), method, path)
            assert staff.status_code == anonymous.status_code, (method, path, persona)
            assert NAME not in staff.content.decode(errors="replace")


@pytest.mark.parametrize("persona", ["stranger", *STAFF])
def test_the_status_endpoint_wants_the_token_not_a_session(world, persona):
    assert browser(persona, world).get("/api/v1/cases/status").status_code == 401


def test_the_status_token_opens_its_own_status_and_nothing_in_the_console(world):
    token = browser("token", world)
    status = token.get("/api/v1/cases/status")
    assert status.status_code == 200 and NAME not in status.content.decode()
    assert token.get(f"/console/cases/{world['case']}/").status_code == 302
