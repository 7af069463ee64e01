import re

import pytest

from conftest import staff_client
from habeas.cases import services
from habeas.dispatch import services as dispatch
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

from .helpers import open_case

EN = {"Accept-Language": "en"}


def row(html: str, user) -> str:
    return re.search(rf'<tr [^>]*data-lawyer-id="{user.pk}">(.*?)</tr>', html, re.S).group(1)


def roster(client) -> str:
    response = client.get("/console/roster/", headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_roster_lists_every_lawyer_on_duty_first_with_load_and_capacity(
    dispatcher, lawyer_a, lawyer_b, stations
):
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=False)
    Lawyer.objects.filter(user=lawyer_b).update(capacity=2)
    # Both at one station: a busy lawyer is offered only cases where they already are.
    here = services.Location(lat=55.7649, lon=37.6116)
    services.transition(open_case(location=here).pk, "take", actor=lawyer_b)
    offered = dispatch.offer_next(open_case(location=here).pk)
    assert offered.lawyer == lawyer_b

    html = roster(staff_client(dispatcher))
    ids = re.findall(r'data-lawyer-id="(\d+)"', html)
    assert ids == [str(lawyer_b.pk), str(lawyer_a.pk)]
    boris = row(html, lawyer_b)
    assert "2 of 2" in boris and "full" in boris
    assert 'aria-pressed="true"' in boris
    assert 'aria-pressed="false"' in row(html, lawyer_a)
    assert "0 of 3" in row(html, lawyer_a)


def test_the_roster_shows_each_lawyers_turn_area_and_channels(
    dispatcher, lawyer_a, lawyer_b, stations
):
    Lawyer.objects.filter(user=lawyer_a).update(
        base_lat=55.75, base_lon=37.61, radius_km=12, channels="email,telegram"
    )
    Lawyer.objects.get(user=lawyer_b).stations.set(PoliceStation.objects.all()[:3])
    services.transition(open_case().pk, "take", actor=lawyer_b)

    html = roster(staff_client(dispatcher))
    anna, boris = row(html, lawyer_a), row(html, lawyer_b)
    # For a case with no place known, the free lawyer is first and the busy one is not in
    # line at all: one place at a time, the policy's own order.
    assert re.search(r'class="position">1<', anna)
    assert not re.search(r'class="position">\d', boris)
    assert "within 12 km of base" in anna and "Email, Telegram" in anna
    assert "3 stations" in boris


def test_a_lawyer_at_capacity_or_off_duty_has_no_turn(dispatcher, lawyer_a, lawyer_b):
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=False)
    Lawyer.objects.filter(user=lawyer_b).update(capacity=1)
    services.transition(open_case().pk, "take", actor=lawyer_b)
    html = roster(staff_client(dispatcher))
    for user in (lawyer_a, lawyer_b):
        assert re.search(r'class="position">—<', row(html, user))


def test_a_dispatcher_toggles_duty_from_the_roster(dispatcher, lawyer_a):
    client = staff_client(dispatcher)
    form = re.search(
        r'<form method="post" action="/console/duty/".*?</form>',
        row(roster(client), lawyer_a),
        re.S,
    )
    assert f'name="lawyer" value="{lawyer_a.pk}"' in form.group(0)
    response = client.post(
        "/console/duty/", {"lawyer": lawyer_a.pk, "on_duty": "off", "next": "/console/roster/"}
    )
    assert response["Location"] == "/console/roster/"
    assert 'aria-pressed="false"' in row(roster(client), lawyer_a)


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
def test_dispatchers_and_admins_see_the_roster_in_the_nav(request, persona, lawyer_a):
    client = staff_client(request.getfixturevalue(persona))
    assert 'href="/console/roster/"' in client.get("/console/").content.decode()
    assert client.get("/console/roster/").status_code == 200


def test_a_lawyer_cannot_see_the_roster(lawyer_a):
    client = staff_client(lawyer_a)
    assert client.get("/console/roster/").status_code == 403
    assert 'href="/console/roster/"' not in client.get("/console/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(stranger):
    response = stranger.get("/console/roster/")
    assert response.status_code == 302 and response["Location"].startswith("/console/login/")
