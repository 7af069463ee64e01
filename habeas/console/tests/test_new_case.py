"""A hotline operator enters a phone call as a case, through the same intake as the API."""

import re

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.cases.models import Case
from habeas.cases.services import open_details
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

CALL = {
    "caller": "relative",
    "kind": "detention",
    "full_name": "Пётр Сидоров",
    "date_of_birth": "1990-05-06",
    "phone": "",
    "note": "задержали у метро Пушкинская в 14:00",
    "caller_name": "Анна Сидорова",
    "caller_phone": "+7 916 555-01-07",
    "caller_relation": "сестра",
}


def form_key(client) -> str:
    html = client.get("/console/cases/new/").content.decode()
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def test_an_operators_call_becomes_a_sealed_case_dispatched_like_an_sos(
    operator, lawyer_a, stations, run_tasks
):
    station = PoliceStation.objects.get(name="ОВД Тверской")
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=station.lat, base_lon=station.lon)
    client = staff_client(operator)
    response = client.post(
        "/console/cases/new/", {**CALL, "key": form_key(client), "station": station.pk}
    )
    case = Case.objects.get()
    assert response["Location"] == f"/console/cases/{case.public_id}/"
    report = case.reports.get()
    assert (report.channel, report.reporter_role) == ("operator", "relative")
    details = open_details(report)
    assert details["reporter"] == {
        "name": "Анна Сидорова",
        "phone": "+7 916 555-01-07",
        "telegram": "",
        "email": "",
        "relation": "сестра",
    }
    assert case.near_station == station
    assert AuditEntry.objects.filter(actor=operator, case_ref=case.public_id).exists()
    run_tasks()
    assert Offer.objects.get(case=case).lawyer == lawyer_a
    assert not Offer.objects.filter(lawyer=operator).exists(), "an operator is never offered"


def test_a_form_sent_twice_makes_one_case(operator):
    client = staff_client(operator)
    key = form_key(client)
    client.post("/console/cases/new/", {**CALL, "key": key})
    client.post("/console/cases/new/", {**CALL, "key": key})
    assert Case.objects.count() == 1


def test_a_second_call_about_the_same_person_joins_their_case(operator, dispatcher):
    client = staff_client(operator)
    client.post("/console/cases/new/", {**CALL, "key": form_key(client)})
    other = staff_client(dispatcher)
    spaced = {**CALL, "full_name": "  пётр   СИДОРОВ ", "caller": "witness"}
    response = other.post("/console/cases/new/", {**spaced, "key": form_key(other)})
    assert Case.objects.count() == 1
    assert Case.objects.get().reports.count() == 2
    assert response.status_code == 302


def test_bad_input_is_named_per_field_and_stores_nothing(operator):
    client = staff_client(operator)
    bad = {**CALL, "key": form_key(client), "date_of_birth": "2999-01-01", "caller_phone": "x"}
    response = client.post("/console/cases/new/", bad, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a date of birth between 1900 and today." in html
    assert html.count('class="message error"') >= 3
    assert not Case.objects.exists()


def test_a_lawyer_cannot_enter_calls(lawyer_a):
    client = staff_client(lawyer_a)
    assert client.get("/console/cases/new/").status_code == 403
    assert client.post("/console/cases/new/", {**CALL, "key": "k" * 20}).status_code == 403
    assert not Case.objects.exists()


def test_a_call_with_a_city_and_no_station_goes_to_that_citys_lawyers(
    operator, lawyer_a, lawyer_b, stations, run_tasks
):
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.76, base_lon=37.61, radius_km=20)
    Lawyer.objects.filter(user=lawyer_b).update(base_lat=59.94, base_lon=30.31, radius_km=20)
    client = staff_client(operator)
    client.post("/console/cases/new/", {**CALL, "key": form_key(client), "city": "СПб"})
    case = Case.objects.get()
    assert case.city == "санкт-петербург"
    run_tasks()
    assert Offer.objects.pending().get(case=case).lawyer == lawyer_b


def test_a_city_that_is_not_a_name_is_refused_next_to_its_field(operator):
    client = staff_client(operator)
    bad = {**CALL, "key": form_key(client), "city": "12 34"}
    response = client.post("/console/cases/new/", bad, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Enter only the city&#x27;s name" in response.content.decode()
    assert not Case.objects.exists()
