from datetime import timedelta

from django.utils import timezone

from habeas.cases.models import Case
from habeas.cases.services import open_details


def summons_body(days_ahead: int = 3, **extra) -> dict:
    when = (timezone.localdate() + timedelta(days=days_ahead)).isoformat()
    return {
        "kind": "summons",
        "person": {"full_name": "Пётр Сидоров"},
        "summons": {
            "date": when,
            "time": "10:30",
            "place": "ОВД Тверской, каб. 12",
            "text": "вызывается в качестве свидетеля",
            "reason": "witness",
            **extra,
        },
    }


def test_a_summons_opens_a_case_of_its_kind_dated_for_the_console(phone):
    assert phone.sos(summons_body()).status_code == 201
    case = Case.objects.get()
    assert case.kind == "summons"
    assert timezone.localtime(case.due_at).strftime("%H:%M") == "10:30"
    assert list(Case.objects.requests()) == [case]
    sealed = open_details(case.reports.get())["summons"]
    assert sealed["place"] == "ОВД Тверской, каб. 12"


def test_upcoming_summons_are_listed_soonest_first(phone):
    phone.sos(summons_body(5), key="summons-key-0005")
    phone.sos(summons_body(1), key="summons-key-0001")
    dates = [c.due_at for c in Case.objects.requests()]
    assert dates == sorted(dates)


def test_bad_summons_input_is_named_per_field(phone):
    cases = [
        (summons_body(400), "summons.date"),
        (summons_body(time="25:00"), "summons.time"),
        (summons_body(reason="party"), "summons.reason"),
        ({"kind": "summons"}, "body"),
        ({"kind": "detention", "summons": summons_body()["summons"]}, "body"),
    ]
    for body, field in cases:
        response = phone.sos(body)
        assert response.status_code == 422, body
        assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    assert Case.objects.count() == 0
