import re

from django.test import Client

from conftest import staff_client
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer

from .helpers import open_case


def on_duty(user) -> bool:
    return Lawyer.objects.get(user=user).on_duty


def duty_button(html: str) -> str:
    return re.search(r'<button type="submit" id="duty-toggle"[^>]*>', html).group(0)


def test_a_lawyer_sees_a_duty_switch_in_the_header_showing_their_state(lawyer_a):
    client = staff_client(lawyer_a)
    button = duty_button(client.get("/console/").content.decode())
    assert 'aria-pressed="true"' in button and 'value="off"' in button


def test_a_dispatcher_has_no_duty_switch_of_their_own(dispatcher):
    html = staff_client(dispatcher).get("/console/").content.decode()
    assert 'id="duty-toggle"' not in html


def test_one_tap_takes_a_lawyer_off_duty_and_back_to_the_page_they_were_on(lawyer_a):
    client = staff_client(lawyer_a)
    response = client.post("/console/duty/", {"on_duty": "off", "next": "/console/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/console/profile/"
    assert not on_duty(lawyer_a)
    page = client.get("/console/").content.decode()
    assert 'aria-pressed="false"' in duty_button(page)
    assert 'class="message info off-duty"' in page


def test_coming_on_duty_offers_the_cases_that_were_waiting(lawyer_a, run_tasks):
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=False)
    case = open_case()
    run_tasks()
    assert not Offer.objects.filter(case=case).exists()

    staff_client(lawyer_a).post("/console/duty/", {"on_duty": "on"})
    assert on_duty(lawyer_a)
    run_tasks()
    assert Offer.objects.pending().get(case=case).lawyer == lawyer_a


def test_a_lawyer_without_a_profile_gets_one_on_their_first_tap(lawyer_a):
    Lawyer.objects.filter(user=lawyer_a).delete()
    staff_client(lawyer_a).post("/console/duty/", {"on_duty": "on"})
    assert on_duty(lawyer_a)


def test_a_dispatcher_puts_a_lawyer_on_and_off_duty(dispatcher, lawyer_a):
    client = staff_client(dispatcher)
    client.post("/console/duty/", {"on_duty": "off", "lawyer": lawyer_a.pk})
    assert not on_duty(lawyer_a)
    response = client.post(
        "/console/duty/", {"on_duty": "on", "lawyer": lawyer_a.pk, "next": "/console/roster/"}
    )
    assert response["Location"] == "/console/roster/"
    assert on_duty(lawyer_a)


def test_a_lawyer_cannot_change_another_lawyers_duty(lawyer_a, lawyer_b):
    response = staff_client(lawyer_a).post(
        "/console/duty/", {"on_duty": "off", "lawyer": lawyer_b.pk}
    )
    assert response.status_code == 403
    assert on_duty(lawyer_b)


def test_a_dispatcher_cannot_go_on_duty_as_a_lawyer(dispatcher):
    assert staff_client(dispatcher).post("/console/duty/", {"on_duty": "on"}).status_code == 403
    assert not Lawyer.objects.filter(user=dispatcher).exists()


def test_an_unknown_lawyer_or_state_is_a_400(dispatcher, lawyer_a):
    client = staff_client(dispatcher)
    for lawyer in ("999999", "abc", str(dispatcher.pk + 1000)):
        response = client.post("/console/duty/", {"on_duty": "off", "lawyer": lawyer})
        assert response.status_code == 400
    response = staff_client(lawyer_a).post("/console/duty/", {"on_duty": "maybe"})
    assert response.status_code == 400
    assert on_duty(lawyer_a)


def test_a_next_address_on_another_site_is_ignored(lawyer_a):
    response = staff_client(lawyer_a).post(
        "/console/duty/", {"on_duty": "off", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/console/"


def test_the_duty_switch_needs_a_csrf_token_and_a_login(lawyer_a, stranger):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lawyer_a)
    assert client.post("/console/duty/", {"on_duty": "off"}).status_code == 403
    response = stranger.post("/console/duty/", {"on_duty": "off"})
    assert response.status_code == 302 and "/console/login/" in response["Location"]
    assert on_duty(lawyer_a)
