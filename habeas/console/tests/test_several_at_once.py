"""Several cases in one action from the console: a lawyer's "Take the waiting cases here"
on the station board, a dispatcher's "Assign the ticked cases" on the queue and on the
board. Who may press which, what each says afterwards, and bad input answered plainly."""

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.cases.models import Case, Status
from habeas.dispatch import services as dispatch
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

from .helpers import open_case

EN = {"Accept-Language": "en"}
TVERSKOY = {"lat": 55.7649, "lon": 37.6116}


def at_tverskoy(n: int) -> list[Case]:
    from habeas.cases.services import Location

    return [open_case(location=Location(**TVERSKOY)) for _ in range(n)]


def tverskoy() -> PoliceStation:
    return PoliceStation.objects.get(name="ОВД Тверской")


def page_after(client, response, headers=EN) -> str:
    assert response.status_code == 302, response.content[:300]
    return client.get(response["Location"], headers=headers).content.decode()


def test_a_lawyer_takes_the_waiting_cases_at_a_station_from_the_board(lawyer_a, stations):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=2)
    cases = at_tverskoy(3)
    client = staff_client(lawyer_a)
    response = client.post(f"/console/stations/{tverskoy().pk}/take-all/", headers=EN)
    assert response["Location"] == "/console/stations/"
    html = page_after(client, response)
    assert "You took 2 cases at ОВД Тверской." in html
    assert "You already have 2 cases, your limit" in html and "1 case is still waiting." in html
    assert Case.objects.filter(assigned_lawyer=lawyer_a).count() == 2
    assert AuditEntry.objects.filter(actor=lawyer_a, what="take").count() == 2
    assert Case.objects.get(pk=cases[2].pk).status == Status.OPEN


def test_a_lawyer_off_duty_is_told_to_go_on_duty_and_takes_nothing(lawyer_a, stations):
    at_tverskoy(1)
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=False)
    client = staff_client(lawyer_a)
    html = page_after(
        client, client.post(f"/console/stations/{tverskoy().pk}/take-all/", headers=EN)
    )
    assert "Go on duty first to take a case." in html
    assert not Case.objects.filter(assigned_lawyer=lawyer_a).exists()


def test_a_dispatcher_or_an_operator_cannot_take_a_stations_cases(dispatcher, operator, stations):
    at_tverskoy(1)
    for user in (dispatcher, operator):
        client = staff_client(user)
        html = page_after(
            client, client.post(f"/console/stations/{tverskoy().pk}/take-all/", headers=EN)
        )
        assert "Only a lawyer on duty can take cases." in html
    assert not Case.objects.filter(assigned_lawyer__isnull=False).exists()


def test_taking_at_a_station_that_does_not_exist_is_a_readable_404(lawyer_a, stations):
    response = staff_client(lawyer_a).post("/console/stations/999999/take-all/", headers=EN)
    assert response.status_code == 404
    assert "There is no police station with this id." in response.content.decode()


def test_a_dispatcher_assigns_the_ticked_cases_and_hears_of_each_one_left(
    dispatcher, lawyer_a, lawyer_b, stations
):
    free, taken = at_tverskoy(2)
    dispatch.act(taken, "take", lawyer_b)
    client = staff_client(dispatcher)
    response = client.post(
        "/console/assign/",
        {"case": [free.public_id, taken.public_id], "lawyer": lawyer_a.pk, "next": "/console/"},
        headers=EN,
    )
    assert response["Location"] == "/console/"
    html = page_after(client, response)
    assert "1 case assigned to Anna Lawyer." in html
    assert f"{taken.public_id}: Boris Lawyer has already taken this case." in html
    assert Case.objects.get(pk=free.pk).assigned_lawyer == lawyer_a
    assert AuditEntry.objects.filter(actor=dispatcher, what="assign").count() == 1


def test_a_batch_past_the_lawyers_capacity_says_so_in_russian(dispatcher, lawyer_a, stations):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=1)
    chosen = at_tverskoy(3)
    client = staff_client(dispatcher)
    response = client.post(
        "/console/assign/",
        {"case": [c.public_id for c in chosen], "lawyer": lawyer_a.pk},
        headers={"Accept-Language": "ru"},
    )
    html = page_after(client, response, {"Accept-Language": "ru"})
    assert "это его лимит" in html and "ещё ждут" in html
    assert "their limit" not in html and "lawyer_full" not in html
    assert Case.objects.filter(assigned_lawyer=lawyer_a).count() == 1


def test_a_dispatcher_gives_a_stations_waiting_cases_to_one_lawyer_from_the_board(
    dispatcher, lawyer_a, stations
):
    at_tverskoy(2)
    client = staff_client(dispatcher)
    response = client.post(
        "/console/assign/",
        {"station": tverskoy().pk, "lawyer": lawyer_a.pk, "next": "/console/stations/"},
        headers=EN,
    )
    assert "2 cases assigned to Anna Lawyer." in page_after(client, response)
    assert Case.objects.filter(assigned_lawyer=lawyer_a).count() == 2


def test_only_dispatchers_assign_several_cases(lawyer_a, lawyer_b, operator, stations):
    [case] = at_tverskoy(1)
    for user in (lawyer_b, operator):
        response = staff_client(user).post(
            "/console/assign/", {"case": [case.public_id], "lawyer": lawyer_a.pk}, headers=EN
        )
        assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).assigned_lawyer is None


def test_a_form_with_nothing_chosen_goes_back_with_a_message(dispatcher, lawyer_a, stations):
    [case] = at_tverskoy(1)
    client = staff_client(dispatcher)
    no_case = client.post("/console/assign/", {"lawyer": lawyer_a.pk}, headers=EN)
    assert "Choose at least one case first." in page_after(client, no_case)
    no_lawyer = client.post("/console/assign/", {"case": [case.public_id]}, headers=EN)
    assert "Choose a lawyer first." in page_after(client, no_lawyer)


def test_input_no_form_of_ours_sends_is_a_readable_400(dispatcher, lawyer_a, stations):
    [case] = at_tverskoy(1)
    client = staff_client(dispatcher)
    bad = [
        {"case": [case.public_id], "lawyer": "x1"},
        {"case": [case.public_id], "lawyer": dispatcher.pk},  # not a lawyer
        {"case": ["NOSUCHCASE"], "lawyer": lawyer_a.pk},
        {"station": "999999", "lawyer": lawyer_a.pk},
        {"case": [f"C{i}" for i in range(300)], "lawyer": lawyer_a.pk},
    ]
    for form in bad:
        response = client.post("/console/assign/", form, headers=EN)
        assert response.status_code == 400, form
        assert b"<h1" in response.content or b"message" in response.content
    assert Case.objects.get(pk=case.pk).assigned_lawyer is None


def test_the_queue_shows_dispatchers_ticks_on_waiting_cases_and_lawyers_none(
    dispatcher, lawyer_a, lawyer_b, stations
):
    waiting, taken = at_tverskoy(2)
    dispatch.act(taken, "take", lawyer_b)
    desk = staff_client(dispatcher).get("/console/", headers=EN).content.decode()
    assert f'name="case" value="{waiting.public_id}" form="assign-several"' in desk
    assert f'value="{taken.public_id}" form="assign-several"' not in desk
    assert 'id="assign-several"' in desk and "Assign the ticked cases" in desk
    lawyer = staff_client(lawyer_a).get("/console/", headers=EN).content.decode()
    assert 'form="assign-several"' not in lawyer and 'id="assign-several"' not in lawyer
