import re

from conftest import staff_client
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer, OfferState

from .helpers import act, case_of


def offer_to_first_lawyer(detainee) -> Offer:
    offer = dispatch.offer_next(case_of(detainee).pk)
    assert offer is not None
    return offer


def test_the_offered_lawyer_sees_the_offer_in_the_queue_and_accepts_it(
    lawyer_a, lawyer_b, detainee
):
    offer = offer_to_first_lawyer(detainee)
    client = staff_client(offer.lawyer)
    queue = client.get("/console/").content.decode()
    assert f'data-offer-id="{offer.pk}"' in queue

    page = client.get(f"/console/offers/{offer.pk}/").content.decode()
    assert 'value="accept"' in page and 'value="decline"' in page
    assert "Мария" not in page and "555-01-02" not in page

    response = client.post(f"/console/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert response["Location"] == f"/console/cases/{detainee.case_id}/"
    assert case_of(detainee).assigned_lawyer == offer.lawyer
    assert Offer.objects.get(pk=offer.pk).state == OfferState.ACCEPTED
    assert detainee.status().json()["stage"] == "lawyer_assigned"


def test_declining_passes_the_case_to_the_next_lawyer(lawyer_a, lawyer_b, detainee, run_tasks):
    offer = offer_to_first_lawyer(detainee)
    client = staff_client(offer.lawyer)
    response = client.post(f"/console/offers/{offer.pk}/answer/", {"answer": "decline"})
    assert response["Location"] == "/console/"
    run_tasks()
    assert Offer.objects.get(pk=offer.pk).state == OfferState.DECLINED
    assert Offer.objects.pending().get().lawyer != offer.lawyer


def test_another_lawyer_cannot_open_or_answer_someone_elses_offer(lawyer_a, lawyer_b, detainee):
    offer = offer_to_first_lawyer(detainee)
    other = lawyer_b if offer.lawyer == lawyer_a else lawyer_a
    client = staff_client(other)
    assert client.get(f"/console/offers/{offer.pk}/").status_code == 403
    client.post(f"/console/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert Offer.objects.get(pk=offer.pk).state == OfferState.PENDING
    assert case_of(detainee).assigned_lawyer is None


def test_an_answered_offer_says_so_instead_of_offering_buttons(lawyer_a, lawyer_b, detainee):
    offer = offer_to_first_lawyer(detainee)
    client = staff_client(offer.lawyer)
    client.post(f"/console/offers/{offer.pk}/answer/", {"answer": "accept"})
    again = client.post(
        f"/console/offers/{offer.pk}/answer/", {"answer": "decline"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert again["Location"] == f"/console/offers/{offer.pk}/"
    page = client.get(f"/console/offers/{offer.pk}/", headers={"Accept-Language": "en"})
    assert "This offer is no longer open" in page.content.decode()
    assert 'value="accept"' not in page.content.decode()


def test_an_unknown_answer_is_a_400(lawyer_a, lawyer_b, detainee):
    offer = offer_to_first_lawyer(detainee)
    response = staff_client(offer.lawyer).post(
        f"/console/offers/{offer.pk}/answer/", {"answer": "maybe"}
    )
    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.state == OfferState.PENDING
    assert case_of(detainee).assigned_lawyer is None


def test_taking_the_case_from_its_page_answers_the_takers_own_offer(lawyer_a, lawyer_b, detainee):
    offer = offer_to_first_lawyer(detainee)
    act(staff_client(offer.lawyer), detainee.case_id, "take")
    assert Offer.objects.get(pk=offer.pk).state == OfferState.ACCEPTED


def test_another_lawyer_cannot_take_a_case_waiting_for_the_offered_lawyers_answer(
    lawyer_a, lawyer_b, detainee
):
    offer = offer_to_first_lawyer(detainee)
    other = lawyer_b if offer.lawyer == lawyer_a else lawyer_a
    client = staff_client(other)
    act(client, detainee.case_id, "take", HTTP_ACCEPT_LANGUAGE="en")
    assert case_of(detainee).assigned_lawyer is None
    assert Offer.objects.get(pk=offer.pk).state == OfferState.PENDING
    page = client.get(f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "en"})
    assert "waiting for" in page.content.decode()


def test_a_dispatcher_taking_the_case_withdraws_the_pending_offer(dispatcher, lawyer_a, detainee):
    offer = offer_to_first_lawyer(detainee)
    act(staff_client(dispatcher), detainee.case_id, "take")
    assert case_of(detainee).assigned_lawyer == dispatcher
    assert Offer.objects.get(pk=offer.pk).state == OfferState.CANCELLED


def test_a_dispatcher_assigns_a_lawyer_by_hand(dispatcher, lawyer_a, lawyer_b, detainee):
    offer = offer_to_first_lawyer(detainee)
    client = staff_client(dispatcher)
    page = client.get(f"/console/cases/{detainee.case_id}/").content.decode()
    select = re.search(r'<select name="lawyer".*?</select>', page, re.S).group(0)
    assert f'value="{lawyer_b.pk}"' in select

    act(client, detainee.case_id, "assign", lawyer=str(lawyer_b.pk))
    assert case_of(detainee).assigned_lawyer == lawyer_b
    assert Offer.objects.get(pk=offer.pk).state == OfferState.CANCELLED
    assert detainee.status().json()["stage"] == "lawyer_assigned"
    timeline = client.get(f"/console/cases/{detainee.case_id}/").content.decode()
    accepted = re.search(r'data-event="accepted">(.*?)</li>', timeline, re.S).group(1)
    assert "Dina Dispatcher" in accepted and "Boris Lawyer" in accepted


def test_assigning_an_unknown_lawyer_or_a_dispatcher_is_a_400(dispatcher, lawyer_a, detainee):
    client = staff_client(dispatcher)
    for bad in ("424242", str(dispatcher.pk), "x"):
        assert act(client, detainee.case_id, "assign", lawyer=bad).status_code == 400
    assert case_of(detainee).assigned_lawyer is None


def test_a_lawyer_cannot_assign(lawyer_a, lawyer_b, detainee):
    client = staff_client(lawyer_a)
    act(client, detainee.case_id, "assign", lawyer=str(lawyer_b.pk), HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "en"})
    assert "Only a dispatcher can do this." in page.content.decode()
    assert case_of(detainee).assigned_lawyer is None
