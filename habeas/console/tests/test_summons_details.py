"""A summons's details reach the lawyer who goes with the person, and nobody else.

Found in security round 2: the summons (when, where, why, what the paper says) was sealed on
the way in and then shown to no one.
"""

from conftest import staff_client
from habeas.api.tests.test_summons import summons_body
from habeas.cases.models import Case


def page(user, case) -> str:
    return (
        staff_client(user)
        .get(f"/console/cases/{case.public_id}/", headers={"Accept-Language": "en"})
        .content.decode()
    )


def test_the_dispatcher_sees_when_where_and_why_the_person_is_summoned(phone, dispatcher):
    assert phone.sos(summons_body()).status_code == 201
    html = page(dispatcher, Case.objects.get())
    assert "ОВД Тверской, каб. 12" in html
    assert "10:30" in html
    assert "As a witness" in html
    assert "вызывается в качестве свидетеля" in html


def test_a_lawyer_not_on_the_case_sees_no_summons_details(phone, lawyer_a, lawyer_b):
    assert phone.sos(summons_body()).status_code == 201
    html = page(lawyer_b, Case.objects.get())
    assert "ОВД Тверской, каб. 12" not in html
    assert "вызывается" not in html
