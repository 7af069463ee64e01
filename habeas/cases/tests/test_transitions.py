import pytest

from habeas.cases import services
from habeas.cases.models import Case, EventKind, Status
from habeas.stations.models import PoliceStation


@pytest.fixture
def case(db) -> Case:
    return services.open_case(services.Intake(), idempotency_key="key-transit-1").case


def kinds(case: Case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def test_a_lawyer_takes_goes_and_arrives_and_each_step_is_an_event(case, lawyer_a):
    services.transition(case.pk, "take", actor=lawyer_a)
    services.transition(case.pk, "en_route", actor=lawyer_a)
    case = services.transition(case.pk, "at_station", actor=lawyer_a)
    assert case.status == Status.LAWYER_ON_SITE
    assert case.assigned_lawyer == lawyer_a
    assert kinds(case) == [
        EventKind.REPORTED,
        EventKind.ACCEPTED,
        EventKind.LAWYER_EN_ROUTE,
        EventKind.LAWYER_ARRIVED,
    ]


def test_a_taken_case_cannot_be_taken_again(case, lawyer_a, lawyer_b):
    services.transition(case.pk, "take", actor=lawyer_a)
    with pytest.raises(services.TransitionError):
        services.transition(case.pk, "take", actor=lawyer_b)
    assert Case.objects.get(pk=case.pk).assigned_lawyer == lawyer_a


def test_only_the_assigned_lawyer_or_a_dispatcher_reports_arrival(
    case, lawyer_a, lawyer_b, dispatcher
):
    services.transition(case.pk, "take", actor=lawyer_a)
    with pytest.raises(services.TransitionError):
        services.transition(case.pk, "at_station", actor=lawyer_b)
    services.transition(case.pk, "at_station", actor=dispatcher)
    assert Case.objects.get(pk=case.pk).status == Status.LAWYER_ON_SITE


def test_setting_the_station_needs_a_station_and_records_it(case, dispatcher):
    station = PoliceStation.objects.create(name="ОВД Тверской", lat=55.76, lon=37.61)
    with pytest.raises(services.TransitionError):
        services.transition(case.pk, "held_at", actor=dispatcher)
    case = services.transition(case.pk, "held_at", actor=dispatcher, station=station)
    assert case.police_station == station
    assert case.events.last().station == station


def test_closing_starts_the_retention_clock_and_ends_all_actions(case, dispatcher, settings):
    settings.HABEAS_RETENTION_DAYS = 30
    case = services.transition(case.pk, "close", actor=dispatcher, note="освобождена")
    assert case.status == Status.CLOSED
    assert (case.purge_after - case.closed_at).days == 30
    assert services.open_note(case.events.last()) == "освобождена"
    assert services.allowed_actions(case, dispatcher) == []
    with pytest.raises(services.TransitionError):
        services.transition(case.pk, "note", actor=dispatcher, note="x")


def test_the_detainee_withdraws_as_a_false_alarm_but_staff_cannot_use_that_action(case, dispatcher):
    with pytest.raises(services.TransitionError):
        services.transition(case.pk, "withdraw", actor=dispatcher)
    case = services.transition(case.pk, "withdraw")
    assert case.status == Status.CLOSED
    assert case.close_reason == "false_alarm"


def test_allowed_actions_follow_the_state_and_the_person(case, lawyer_a, lawyer_b):
    assert "take" in services.allowed_actions(case, lawyer_a)
    assert "at_station" not in services.allowed_actions(case, lawyer_a)
    case = services.transition(case.pk, "take", actor=lawyer_a)
    assert "at_station" in services.allowed_actions(case, lawyer_a)
    assert "at_station" not in services.allowed_actions(case, lawyer_b)
    assert "withdraw" not in services.allowed_actions(case, lawyer_a)
