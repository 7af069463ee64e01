import re
from datetime import date

from conftest import DETAINEE_BODY, staff_client
from habeas.cases import services

from .helpers import case_of, open_case


def card_ids(html: str) -> list[str]:
    return re.findall(r'data-case-id="([^"]+)"', html)


def test_the_queue_lists_open_cases_as_dispatch_does_minors_first_then_the_longest_waiting(
    dispatcher,
):
    older = open_case()
    newer = open_case()
    minor = open_case(name="Петя Сидоров", born=date(2012, 5, 5))
    html = staff_client(dispatcher).get("/console/").content.decode()
    assert card_ids(html) == [minor.public_id, older.public_id, newer.public_id]
    assert re.search(rf'class="card is-minor"\s+data-case-id="{minor.public_id}"', html)


def test_the_queue_hides_closed_cases(dispatcher, detainee):
    gone = open_case()
    services.transition(gone.pk, "take", actor=dispatcher)
    services.transition(gone.pk, "close", actor=dispatcher)
    html = staff_client(dispatcher).get("/console/").content.decode()
    assert card_ids(html) == [detainee.case_id]


def test_the_queue_shows_no_names_or_phones(lawyer_a, detainee):
    html = staff_client(lawyer_a).get("/console/").content.decode()
    person = DETAINEE_BODY["person"]
    assert detainee.case_id in html
    for secret in (person["full_name"], "Мария", person["phone"], "555-01-02", person["note"]):
        assert secret not in html


def test_the_queue_shows_who_has_a_case_and_the_open_count(lawyer_a, lawyer_b, detainee):
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    open_case()
    html = staff_client(lawyer_b).get("/console/", headers={"Accept-Language": "en"})
    text = html.content.decode()
    assert "Anna Lawyer" in text
    assert 'id="open-count" class="count" aria-live="polite">2<' in text
    assert "<title>Queue: 2 open" in text


def test_the_queue_fragment_answers_304_until_a_new_sos_arrives(lawyer_a, detainee, phone):
    client = staff_client(lawyer_a)
    first = client.get("/console/queue/list/")
    assert first.status_code == 200
    etag = first["ETag"]

    again = client.get("/console/queue/list/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    assert phone.sos().status_code == 201
    fresh = client.get("/console/queue/list/", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert card_ids(fresh.content.decode()) == [detainee.case_id, phone.case_id]


def test_the_queue_page_hands_its_etag_to_the_poller(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    page = client.get("/console/").content.decode()
    etag = re.search(r'data-etag="([^"]+)"', page).group(1).replace("&quot;", '"')
    assert client.get("/console/queue/list/", headers={"If-None-Match": etag}).status_code == 304


def test_the_queue_fragment_changes_with_the_language(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    ru = client.get("/console/queue/list/", headers={"Accept-Language": "ru"})
    en = client.get(
        "/console/queue/list/",
        headers={"Accept-Language": "en", "If-None-Match": ru["ETag"]},
    )
    assert en.status_code == 200


def test_a_status_change_refreshes_the_queue_fragment(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    etag = client.get("/console/queue/list/")["ETag"]
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    assert client.get("/console/queue/list/", headers={"If-None-Match": etag}).status_code == 200
