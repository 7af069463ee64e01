"""A case with no location goes to the lawyers covering the city the person gave, and with
no city to dispatchers only: "in everyone's area" sent a St Petersburg lawyer to Moscow."""

from django_tasks_db.models import DBTaskResult

from conftest import DETAINEE_BODY, Phone
from habeas.cases.models import Case
from habeas.dispatch import tasks
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import Message

NO_LOCATION = {k: v for k, v in DETAINEE_BODY.items() if k != "location"}


def in_two_cities(near_tverskoy):
    """Anna works in central Moscow; Boris in St Petersburg."""
    anna, boris = near_tverskoy
    Lawyer.objects.filter(user=boris).update(base_lat=59.94, base_lon=30.31, radius_km=20)
    return anna, boris


def test_a_petersburg_sos_without_location_goes_to_the_petersburg_lawyer(
    phone, near_tverskoy, run_tasks
):
    _, boris = in_two_cities(near_tverskoy)
    assert phone.sos(NO_LOCATION | {"city": "Питер"}).status_code == 201
    run_tasks()
    case = Case.objects.get(public_id=phone.case_id)
    assert case.city == "санкт-петербург"
    assert Offer.objects.pending().get(case=case).lawyer == boris


def test_a_moscow_sos_without_location_never_goes_to_petersburg(phone, near_tverskoy, run_tasks):
    anna, _ = in_two_cities(near_tverskoy)
    Lawyer.objects.filter(user=anna).update(on_duty=False)
    assert phone.sos(NO_LOCATION | {"city": "Москва"}).status_code == 201
    run_tasks()
    assert not Offer.objects.filter(case__public_id=phone.case_id).exists()


def test_without_location_or_city_only_dispatchers_see_it_in_their_next_digest(
    phone, near_tverskoy, dispatcher, run_tasks
):
    assert phone.sos(NO_LOCATION).status_code == 201
    run_tasks()
    case = Case.objects.get(public_id=phone.case_id)
    assert not Offer.objects.filter(case=case).exists()
    assert case.escalated_at is not None, "flagged at once: no lawyer can ever be chosen"
    assert not Message.objects.filter(recipient=dispatcher).exists(), "no message per case"
    digest = DBTaskResult.objects.filter(task_path=tasks.escalation_digest.module_path)
    assert digest.filter(status="READY").count() == 1, "it waits for the dispatchers' digest"


def test_a_relatives_report_gives_a_city_to_the_case_it_joins(phone, stations, run_tasks):
    assert phone.sos(NO_LOCATION).status_code == 201
    relative = {
        "person": NO_LOCATION["person"],
        "city": "Казань",
        "reporter_role": "relative",
        "reporter": {"name": "Мама"},
    }

    mother = Phone()
    assert mother.sos(relative).status_code == 201
    assert mother.case_id == phone.case_id
    assert Case.objects.get(public_id=phone.case_id).city == "казань"
