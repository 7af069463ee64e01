"""Small helpers shared by the console tests."""

import itertools
from datetime import date, timedelta

from habeas.cases import services
from habeas.cases.models import Case

_keys = itertools.count(1)


def open_case(name: str = "Иван Петров", born: date | str | None = "", **intake) -> Case:
    """Open a case the way an SOS would, through the cases service.

    Each call is another person (born a day apart) unless given the same name and `born`:
    reports of one person join one case. Without a location the person gave Moscow as
    their city.
    """
    n = next(_keys)
    if born == "":
        born = date(1990, 1, 1) + timedelta(days=n)
    person = services.Person(full_name=name, date_of_birth=born, phone="+7 900 000-00-00")
    # A case with no place and no city goes to dispatchers only; these are in Moscow.
    intake.setdefault("city", "" if intake.get("location") else "Москва")
    opened = services.open_case(
        services.Intake(person=person, **intake), idempotency_key=f"console-test-{n:06d}"
    )
    return opened.case


def case_of(phone) -> Case:
    return Case.objects.get(public_id=phone.case_id)


def act(client, case_id: str, action: str, **fields):
    """Post an action form; HTTP_* keywords are request headers, the rest form fields."""
    headers = {k: v for k, v in fields.items() if k.startswith("HTTP_")}
    data = {k: v for k, v in fields.items() if not k.startswith("HTTP_")}
    return client.post(f"/console/cases/{case_id}/act/", {"action": action, **data}, **headers)
